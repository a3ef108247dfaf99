"""``enterprise link``: register the enterprises that existing hazards name in free text
(name and credit code), and link each hazard to its enterprise by id.

One edit of many files, all or nothing (``transaction.apply`` journals it): the new
enterprise files first, then each hazard's ``enterprise.id``. A hazard whose credit code is
a registered enterprise's under another name is linked by the code and said as a warning
(the registered name is kept; the hazard's is what it was written as)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from safeplan import vocab, yamlio
from safeplan.edit.context import context
from safeplan.edit.enterprises import NewEnterprise, enterprise_paths, new_enterprise_id, record_of
from safeplan.edit.transaction import EditResult, FileChange, apply
from safeplan.errors import RefusedError
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.hazards import Hazard
from safeplan.problems import N_, ListOf
from safeplan.repo.layout import ENTERPRISES_DIR
from safeplan.repo.listing import hazard_entries
from safeplan.repo.parse import parse_file

HAZARD_ENTERPRISE_ORDER = ("id", "name", "credit_code", "address")


@dataclass
class _Group:
    """The hazards that name one enterprise (by credit code, else by name)."""

    name: str
    code: str | None
    first: dt.date
    industry: str | None
    hazards: list[tuple[str, str, Hazard]] = field(default_factory=list)


def _registered(root: Path) -> list[EnterpriseRecord]:
    out = []
    for path in enterprise_paths(root).values():
        parsed = parse_file(path, "", EnterpriseRecord)
        if isinstance(parsed.record, EnterpriseRecord):
            out.append(parsed.record)
    return out


class NameMismatch(NamedTuple):
    """A hazard's credit code is a registered enterprise's, under another name."""

    code: str
    hazard_name: str
    registered_name: str
    path: str


def link(root: Path, write: bool = True) -> tuple[EditResult, list[NameMismatch]]:
    """The edit that registers and links, and the warnings (name mismatches) to show."""
    ctx = context(root)
    registered = _registered(root)
    by_code = {e.credit_code: e for e in registered if e.credit_code}
    by_code.update({e.id: e for e in registered})
    by_name = {e.name: e for e in registered}
    groups: dict[str, _Group] = {}
    entries, _ = hazard_entries(root)
    for path, rel in entries:
        parsed = parse_file(path, rel, Hazard)
        h = parsed.record
        if not isinstance(h, Hazard) or h.enterprise is None or h.enterprise.id is not None:
            continue
        ent = h.enterprise
        key = f"code:{ent.credit_code}" if ent.credit_code else f"name:{ent.name}"
        g = groups.get(key)
        if g is None:
            industry = vocab.INDUSTRY.lookup(h.industry) if h.industry else None
            g = groups[key] = _Group(ent.name, ent.credit_code, h.discovered_on, industry)
        g.first = min(g.first, h.discovered_on)
        g.hazards.append((path, rel, h))
    changes: list[FileChange] = []
    warnings: list[NameMismatch] = []
    taken = list(enterprise_paths(root))
    new_names: list[str] = []
    linked = 0
    for g in groups.values():
        target = (by_code.get(g.code) if g.code else None) or by_name.get(g.name)
        if target is None:
            ent_id = g.code or new_enterprise_id(g.first, taken)
            taken.append(ent_id)
            new = NewEnterprise(
                name=g.name,
                industry=g.industry or "other",
                registered_on=g.first,
                credit_code=g.code,
                id=ent_id,
            )
            data = yamlio.rt_dump_new(record_of(new, ent_id))
            epath = root / ENTERPRISES_DIR / f"{ent_id}.yaml"
            changes.append(FileChange(epath, epath.relative_to(root).as_posix(), None, data))
            new_names.append(g.name)
        else:
            ent_id = target.id
            if target.name != g.name and g.code:
                path = f"{ENTERPRISES_DIR.as_posix()}/{target.id}.yaml"
                warnings.append(NameMismatch(g.code, g.name, target.name, path))
        for path, rel, _h in g.hazards:
            rt = yamlio.rt_load(Path(path))
            yamlio.rt_set(rt.data["enterprise"], "id", ent_id, HAZARD_ENTERPRISE_ORDER)
            changes.append(FileChange(Path(path), rel, rt.original, rt.dump()))
            linked += 1
    if not changes:
        raise RefusedError(
            N_("no hazard names an enterprise that is not linked yet: nothing to do")
        )
    result = EditResult(
        root,
        tuple(changes),
        N_("{new} enterprises registered ({names}), {linked} hazards linked"),
        {"new": len(new_names), "names": ListOf(new_names) if new_names else "—", "linked": linked},
        "企业：由隐患登记企业并关联"
        if ctx.language == "zh"
        else "enterprises: registered from hazards and linked",
        "enterprises",
    )
    return (apply(result) if write else result), warnings
