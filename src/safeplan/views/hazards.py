"""The hazard listing (made row by row) and one hazard in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from safeplan.models.hazard_views import HazardDetail
from safeplan.models.hazards import Hazard
from safeplan.models.summary import HazardSummary, folded, search_words
from safeplan.models.views import HazardList, HazardRow, HazardTexts
from safeplan.repo import Repository
from safeplan.status import HazardStatus, hazard_status, members
from safeplan.views.rows import hazard_row
from safeplan.views.selection import check_unit, units_by_name

if TYPE_CHECKING:
    from safeplan.criteria.catalog import Catalog


def hazard_list(
    repo: Repository,
    as_of: dt.date,
    state: str | None = None,
    overdue: bool = False,
    level: str | None = None,
    unit: str | None = None,
    search: str | None = None,
    enterprise: str | None = None,
    source: str | None = None,
    industry: str | None = None,
) -> HazardList:
    """The hazards known on a day (found by then), filtered, in order of discovery.

    The filters combine. ``search``: every word of it in the title, enterprise, location,
    description or notes; ``enterprise`` and ``industry``: part of the name, any case or
    width (officers type 百佳, not the registered name); ``source`` and ``level``: codes.
    Each hazard's status is computed once; the rows are made when they are rendered.
    """
    check_unit(repo, unit)
    wanted = members(unit, units_by_name(repo)) if unit else None
    words = search_words(search) if search else ()
    firm = folded(enterprise.strip()) if enterprise else None
    trade = folded(industry.strip()) if industry else None
    chosen: list[tuple[HazardSummary, HazardStatus]] = []
    for h in sorted(repo.hazards, key=lambda h: (h.discovered_on, h.id)):
        if h.discovered_on > as_of:
            continue
        if level is not None and h.level != level:
            continue
        if source is not None and h.source != source:
            continue
        if wanted is not None and h.responsible_unit not in wanted:
            continue
        if firm is not None and firm not in folded(h.enterprise or ""):
            continue
        if trade is not None and trade not in folded(h.industry or ""):
            continue
        if words and not _found(repo, h, words):
            continue
        st = hazard_status(h, as_of)
        if (state is None or st.state == state) and (not overdue or st.overdue):
            chosen.append((h, st))
    view = HazardList(as_of=as_of, count=len(chosen))

    def rows() -> Iterator[HazardRow]:
        for h, st in chosen:
            yield hazard_row(h, st)

    def texts() -> Iterator[HazardTexts]:
        for h, st in chosen:
            yield HazardTexts(
                h.id,
                h.level,
                h.title,
                h.responsible_unit,
                st.deadline,
                st.state,
                st.days_overdue,
                st.extended,
                st.rectified_late_days,
                st.plan_missing,
                st.invalid,
            )

    view._make_rows = rows
    view._make_texts = texts
    return view


def _found(repo: Repository, h: HazardSummary, words: Sequence[str]) -> bool:
    """Every word in the hazard's names (the summary), description or notes (its file,
    read only when the file's text holds every word: a search reads few records)."""
    if h.mentions(words):
        return True
    try:
        raw = folded((repo.root / h.path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
    if not all(w in raw for w in words):
        return False
    from safeplan.repo.hazardfile import load_hazard

    hazard, _ = load_hazard(repo.root, h.path)
    if hazard is None:
        return False
    return h.mentions(words, hazard.description, *(n.text for n in hazard.notes))


def hazard_page(root: Path, hazard_id: str, as_of: dt.date) -> HazardDetail:
    """``hazard show`` and the hazard's web page: one hazard read from its own file (not
    the whole plan), with the catalog its basis cites. Refused: an id that is not one, no
    such hazard, a path that is not a file, a file that cannot be read."""
    from safeplan.errors import DataError
    from safeplan.repo import check_hazard_id, hazard_ids, hazard_path
    from safeplan.repo.hazardfile import load_hazard
    from safeplan.repo.layout import not_a_file
    from safeplan.repo.snapshot import local_criteria
    from safeplan.rules.hazards import BROKEN_LOOP
    from safeplan.rules.hints import FIX_FIRST, unknown

    check_hazard_id(hazard_id)
    path = hazard_path(root, hazard_id)
    rel = path.relative_to(root).as_posix()
    odd = not_a_file(path, rel)
    if odd is not None:
        raise odd
    if not path.is_file():
        raise unknown("hazard", hazard_id, hazard_ids(root))
    hazard, problems = load_hazard(root, rel)
    if hazard is None:
        raise DataError(FIX_FIRST, problems, path=rel)
    broken = any(p.code in BROKEN_LOOP for p in problems)
    return hazard_detail(hazard, rel, as_of, broken, local_criteria(root))


def hazard_detail(
    hazard: Hazard,
    rel: str,
    as_of: dt.date,
    broken: bool = False,
    criteria: Catalog | None = None,
) -> HazardDetail:
    """One hazard in full, with its status on a day (``broken``: its record breaks the loop;
    ``criteria``: the catalog its basis is looked up in)."""
    from safeplan.models.summary import summarize
    from safeplan.views.criteria import cited
    from safeplan.views.hazard_detail import hazard_history

    summary = summarize(hazard, rel, broken)
    row = hazard_row(summary, hazard_status(summary, as_of))
    return HazardDetail(
        as_of=as_of,
        **dict(row),
        record=hazard,
        history=hazard_history(hazard),
        criterion=cited(criteria, hazard.basis) if criteria and hazard.basis else None,
    )
