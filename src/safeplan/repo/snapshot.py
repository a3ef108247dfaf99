"""Reading a whole plan repository into an immutable Snapshot, then checking it as a whole.

``read_snapshot`` reads every file on its own (hazard files in parallel: one chunk in
this process, the rest in worker processes, which send back small summaries and
problems, not models). ``check`` runs the rules across files on the snapshot and gives
the :class:`Repository` that commands use: the records, and every problem, located.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, Unpack

from pydantic import BaseModel

from safeplan.criteria import LOCAL_FILE
from safeplan.errors import RefusedError
from safeplan.fsio import JOURNAL_NAME
from safeplan.fsio_journal import read_journal
from safeplan.models.records import Plan, Task, TasksFile, Unit, UnitsFile
from safeplan.models.summary import HazardSummary, forget_shared
from safeplan.problems import N_, Finding, ListOf, Problem
from safeplan.repo.layout import (
    CACHE_DIR,
    HAZARD_CACHE_FILE,
    PLAN_FILE,
    TASKS_FILE,
    UNITS_FILE,
    outside_root,
)
from safeplan.repo.listing import hazard_entries, leftover_temporaries
from safeplan.repo.parallel import Progress, read_hazards
from safeplan.repo.parse import located, missing_evidence, parse_file
from safeplan.rules import cross, register
from safeplan.rules import enterprises as enterprise_rules
from safeplan.rules.criteria import BASIS_MISSING, check_basis
from safeplan.rules.hints import OUTSIDE_ROOT
from safeplan.rules.plan import check_plan
from safeplan.rules.tasks import check_future_progress, check_tasks
from safeplan.rules.units import check_units
from safeplan.yamlio import YamlProblem, read_text

if TYPE_CHECKING:  # the hazard pipeline is imported when there is a hazard file to read
    from safeplan.criteria.catalog import Catalog
    from safeplan.models.criteria import CriteriaFile
    from safeplan.models.enterprises import EnterpriseRecord
    from safeplan.repo.hazardfile import HazardFile, Keep

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Snapshot:
    """Every file of one plan root, each read on its own, with the problems found in it."""

    root: Path
    plan: Plan | None
    units: tuple[Unit, ...]
    tasks: tuple[Task, ...]
    #: Hazard files whose record is valid, in file-name order.
    hazards: tuple[HazardSummary, ...]
    #: What cross-file rules need of every hazard file whose YAML could be parsed.
    refs: tuple[cross.HazardRef, ...]
    problems: tuple[Problem, ...]
    files_checked: int
    #: Hazard files that could not be read (their problems say why).
    unreadable_hazards: tuple[str, ...]
    #: Whether data/units.yaml could be read: without it, unit references are not checked.
    units_read: bool
    #: The text of plan.yaml, units.yaml and tasks.yaml, to locate findings in them.
    texts: dict[str, str] = field(default_factory=dict, compare=False)
    #: The day the snapshot is checked against (None: rules that need a day do not run).
    today: dt.date | None = None
    #: The plan's own 判定标准 (plan/criteria.yaml; None: it has none, or it is invalid).
    criteria: CriteriaFile | None = None
    #: Enterprise files whose record is valid, in file-name order, and their files.
    enterprises: tuple[EnterpriseRecord, ...] = ()
    enterprise_paths: tuple[str, ...] = ()
    #: Set when the per-file cache served every hazard file as its bytes stand: the hash
    #: of those bytes (``repo.cache.CacheRead.token``); None without the cache, or when
    #: any file was read again.
    hazards_token: str | None = None
    #: The same of the enterprise files' cache (``repo.enterprise_cache``).
    enterprises_token: str | None = None
    #: The keeper the hazards were read with (None: none), and what it made of each valid
    #: record, by path: a command's further needs, met in the one read (``hazardfile.Keep``).
    keep: Keep | None = field(default=None, compare=False)
    kept: dict[str, object] = field(default_factory=dict, compare=False)
    #: The hash of the hazard cache's bytes that the hazards are exactly what they decode
    #: to, also when this read wrote them (``CacheRead.vouched``): the whole-plan entry's key
    #: (``repo/warm.py``).
    hazards_vouched: str | None = None


_V = TypeVar("_V")


class _FromSnapshot(Generic[_V]):
    """An attribute of a :class:`Repository` that is its snapshot's, under the same name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, repo: Repository, owner: type | None = None) -> _V:
        value: _V = getattr(repo.snapshot, self.name)
        return value


@dataclass(frozen=True)
class Repository:
    """A snapshot checked as a whole: what commands show, and every problem, sorted."""

    snapshot: Snapshot
    problems: tuple[Problem, ...]
    #: The hazards counted: valid records, one per id (a duplicate id is a problem).
    hazards: tuple[HazardSummary, ...]

    # The snapshot's own parts, read through (never copied): commands ask the repository.
    root = _FromSnapshot[Path]()
    plan = _FromSnapshot[Plan | None]()
    units = _FromSnapshot[tuple[Unit, ...]]()
    tasks = _FromSnapshot[tuple[Task, ...]]()
    files_checked = _FromSnapshot[int]()
    enterprises = _FromSnapshot["tuple[EnterpriseRecord, ...]"]()
    unreadable_hazards = _FromSnapshot[tuple[str, ...]]()

    def view_basis(self) -> list[Any] | None:
        """``repo.warm.view_basis`` of this read: what its kept views and its whole-plan entry
        are keyed on (one basis, so that a kept view serves the plan the entry serves)."""
        from safeplan.repo.warm import view_basis

        snap = self.snapshot
        return view_basis(
            snap.hazards_vouched,  # also when this read rewrote the cache and proved it
            snap.enterprises_token,
            bool(snap.enterprises),
            snap.enterprise_paths,
            snap.today,
            self.errors,
            snap.units_read,
            snap.texts,
        )

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def unit_names(self) -> list[str]:
        return [u.name for u in self.units]


# --------------------------------------------------------------------------- the snapshot


def read_snapshot(
    root: Path,
    workers: int | None = None,
    today: dt.date | None = None,
    cache: bool = False,
    progress: Progress | None = None,
    keep: Keep | None = None,
) -> Snapshot:
    """Read every file of a plan root on its own. Problems are collected, never raised.

    With ``today``, facts dated after it are problems (deadlines may lie ahead). With
    ``cache``, hazard files unchanged since the last read come from the plan's per-file
    cache (``repo/cache.py``), which is then brought up to date. ``progress`` hears how
    many of the hazard files to parse (not those the cache serves) are done. ``keep``
    (``hazardfile.Keep``) is given each valid hazard record in the pass that validates it, and
    what it returns is kept in ``Snapshot.kept``: every hazard file is then parsed (the
    cache holds summaries, not what a keeper needs), once."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a big load creates millions of objects; the collector would rescan them
    try:
        return _read(root, workers, today, cache, progress, keep)
    finally:
        if gc_was_enabled:
            gc.enable()


class _FixedFiles:
    """plan.yaml, units.yaml and tasks.yaml, each read on its own: texts and problems so far."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}
        self.count = 0

    def read(self, rel_path: Path, model: type[M], strip: int = 0) -> M | None:
        path = self.root / rel_path
        rel = rel_path.as_posix()
        if not path.is_file():
            missing = N_("file is missing: create it (see the README)")
            self.problems.append(Problem(rel, 1, 1, "missing-file", missing))
            return None
        self.count += 1
        outside = outside_root(self.root, rel)
        if outside is not None:  # the one rule for links (layout.outside_root)
            self.problems.append(
                Problem(rel, 1, 1, "symlink-outside", OUTSIDE_ROOT, {"target": str(outside)})
            )
            return None
        parsed = parse_file(path, rel, model, strip)
        self.problems.extend(parsed.problems)
        self.texts[rel] = parsed.text
        return parsed.record if isinstance(parsed.record, model) else None

    def add(self, found: Sequence[Finding], rel_path: Path) -> None:
        """The rules' findings in one of the files, located in its text."""
        if found:
            rel = rel_path.as_posix()
            self.problems.extend(located(found, rel, self.texts[rel]))


def _read(
    root: Path,
    workers: int | None,
    today: dt.date | None,
    cache: bool,
    progress: Progress | None = None,
    keep: Keep | None = None,
) -> Snapshot:
    fixed, plan, units_file, units, tasks, criteria = _read_fixed(root, today)
    problems = fixed.problems
    problems.extend(_interrupted(root))
    problems.extend(leftover_temporaries(root))
    entries, folder_problems = hazard_entries(root)
    problems.extend(folder_problems)
    hazards: list[HazardSummary] = []
    refs: list[cross.HazardRef] = []
    unreadable: list[str] = []
    results, token, vouched = _read_hazard_files(
        root, entries, workers, today, cache, progress, keep
    )
    from safeplan.repo.enterprises import read_enterprises

    enterprises, enterprise_paths, enterprise_problems, enterprise_files, ent_token = (
        read_enterprises(root, today, cache)
    )
    problems.extend(enterprise_problems)
    kept: dict[str, object] = {}
    for result in results:
        problems.extend(result.problems)
        if result.ref is not None:
            refs.append(result.ref)
        if result.summary is None:
            unreadable.append(result.problems[0].path if result.problems else "")
        else:
            hazards.append(result.summary)
            if keep is not None:
                kept[result.summary.path] = result.kept
    forget_shared()  # the summaries hold what they share; the memos are not needed now
    return Snapshot(
        root,
        plan,
        units,
        tasks,
        tuple(hazards),
        tuple(refs),
        tuple(problems),
        fixed.count + len(entries) + enterprise_files,
        tuple(unreadable),
        units_file is not None,
        fixed.texts,
        today,
        criteria,
        enterprises,
        enterprise_paths,
        token,
        ent_token,
        keep,
        kept,
        vouched,
    )


def _read_fixed(
    root: Path, today: dt.date | None
) -> tuple[
    _FixedFiles,
    Plan | None,
    UnitsFile | None,
    tuple[Unit, ...],
    tuple[Task, ...],
    CriteriaFile | None,
]:
    """The plan's fixed files (plan, units, tasks, the local criteria), each checked on its
    own; their problems gathered in the returned ``_FixedFiles``."""
    fixed = _FixedFiles(root)
    plan = fixed.read(PLAN_FILE, Plan)
    units_file = fixed.read(UNITS_FILE, UnitsFile, strip=2)
    tasks_file = fixed.read(TASKS_FILE, TasksFile, strip=2)
    units = tuple(units_file.units) if units_file else ()
    tasks = tuple(tasks_file.tasks) if tasks_file else ()
    if plan is not None:
        fixed.add(check_plan(plan), PLAN_FILE)
    if units_file is not None:
        fixed.add(check_units(units), UNITS_FILE)
    if tasks_file is not None:
        fixed.add(check_tasks(tasks), TASKS_FILE)
        if today is not None:
            fixed.add(check_future_progress(tasks, today), TASKS_FILE)
        fixed.add(missing_evidence(_task_evidence(tasks), str(root)), TASKS_FILE)

    criteria = None
    if (root / LOCAL_FILE).is_file():  # the catalog is imported for a plan that has one
        from safeplan.criteria.catalog import check_file, shipped
        from safeplan.models.criteria import CriteriaFile

        criteria = fixed.read(Path(LOCAL_FILE), CriteriaFile)
        if criteria is not None:
            fixed.add(check_file(criteria, shipped().documents), Path(LOCAL_FILE))
    return fixed, plan, units_file, units, tasks, criteria


def _read_hazard_files(
    root: Path,
    entries: list[tuple[str, str]],
    workers: int | None,
    today: dt.date | None,
    cache: bool,
    progress: Progress | None,
    keep: Keep | None,
) -> tuple[list[HazardFile], str | None, str | None]:
    """Every hazard file's result (from the per-file cache where it still holds), the
    token of a cache that served them all (None: some file was read again, or no cache),
    and the cache's hash that vouches for them (``CacheRead.vouched``)."""
    if cache and not entries:
        _forget_hazard_cache(root)
    if cache and entries and keep is None:
        from safeplan.repo.cache import read_with_cache

        read = read_with_cache(
            root, entries, today, lambda items: read_hazards(items, workers, today, progress)
        )
        return read.results, read.token, read.vouched
    # No hazard file: the hazards (none) are a function of no bytes, which the day view's
    # cache may key on as it keys on a served cache's hash.
    token = "no-hazard-files" if cache and not entries else None
    return read_hazards(entries, workers, today, progress, keep), token, token


def _forget_hazard_cache(root: Path) -> None:
    """No hazard file: the hazard cache can serve nothing, so it is removed rather than read
    (a plan without hazards never imports the hazard pipeline, and a file made later is
    never matched against an entry of a file deleted before)."""
    with contextlib.suppress(OSError):
        os.unlink(root / CACHE_DIR / HAZARD_CACHE_FILE)


def _task_evidence(tasks: Sequence[Task]) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, t in enumerate(tasks):
        for j, note in enumerate(t.progress):
            out += [
                (("tasks", i, "progress", j, "evidence", k), e) for k, e in enumerate(note.evidence)
            ]
        if t.done is not None:
            out += [(("tasks", i, "done", "evidence", k), e) for k, e in enumerate(t.done.evidence)]
    return out


def _interrupted(root: Path) -> list[Problem]:
    """An edit of several files that a kill left half-done (its journal is still there)."""
    try:
        journal = read_journal(root)
    except RefusedError as exc:
        return [Problem(JOURNAL_NAME, 1, 1, "journal", exc.template, exc.params)]
    if journal is None:
        return []
    return [
        Problem(
            JOURNAL_NAME,
            1,
            1,
            "interrupted-edit",
            N_(
                "an edit was interrupted half-way ({summary}): its files are part old, part "
                "new; run 'safeplan recover' to finish it, or 'safeplan recover --undo' to undo it"
            ),
            {"summary": journal.summary},
        )
    ]


def local_criteria(root: Path) -> Catalog:
    """The catalog with the plan's own documents, for a command that reads one hazard (an
    invalid plan/criteria.yaml is left out here: validate says what is wrong with it)."""
    from safeplan.criteria.catalog import catalog
    from safeplan.models.criteria import CriteriaFile

    local = None
    if (root / LOCAL_FILE).is_file():
        parsed = parse_file(root / LOCAL_FILE, LOCAL_FILE, CriteriaFile)
        local = parsed.record if isinstance(parsed.record, CriteriaFile) else None
    return catalog(local)


# --------------------------------------------------------------------------- across files


def _locate_in_file(root: Path, rel: str, findings: Sequence[Finding]) -> list[Problem]:
    """Locate findings in a file read again (cross-file findings are few)."""
    try:
        text = read_text(root / rel)
    except (OSError, YamlProblem):  # changed or vanished since it was read
        text = ""
    return located(findings, rel, text)


def _catalog(local: CriteriaFile | None) -> Catalog:
    """The catalog with the plan's own documents (imported only when a basis is cited)."""
    from safeplan.criteria.catalog import catalog

    return catalog(local)


def check(snapshot: Snapshot) -> Repository:
    """The rules across files, run on a snapshot; every problem sorted by place."""
    problems = list(snapshot.problems)
    plan, units, tasks = snapshot.plan, snapshot.units, snapshot.tasks
    unit_names = [u.name for u in units] if snapshot.units_read else None
    tasks_rel = TASKS_FILE.as_posix()
    if tasks_rel in snapshot.texts and snapshot.texts[tasks_rel] and plan is not None:
        found = cross.check_task_references(tasks, [a.numeral for a in plan.actions], unit_names)
        found += register.check_tasks_before_start(tasks, plan)
        found += register.check_ongoing_done(tasks)
        problems.extend(located(found, tasks_rel, snapshot.texts[tasks_rel]))
    by_file: dict[str, list[Finding]] = {}
    if plan is not None:
        per_file = register.check_hazards_before_start(snapshot.hazards, plan)
        if snapshot.today is not None:
            per_file += register.check_plan_deadline(snapshot.hazards, plan, snapshot.today)
        for ff in per_file:
            by_file.setdefault(ff.path, []).append(ff.finding)
    if unit_names is not None:
        for ff in cross.check_hazard_references(snapshot.refs, unit_names):
            by_file.setdefault(ff.path, []).append(ff.finding)
    valid = {h.path for h in snapshot.hazards}
    duplicates = cross.check_duplicate_ids(r for r in snapshot.refs if r.path in valid)
    for ff in [*duplicates, *cross.check_case_collisions(snapshot.refs)]:
        by_file.setdefault(ff.path, []).append(ff.finding)
    for ff in cross.check_probable_duplicates(snapshot.hazards):
        by_file.setdefault(ff.path, []).append(ff.finding)
    required_from = plan.rules.basis_required_from if plan is not None else None
    required: set[str] = set()
    for ff in check_basis(snapshot.hazards, lambda: _catalog(snapshot.criteria), required_from):
        by_file.setdefault(ff.path, []).append(ff.finding)
        if ff.finding.code == "basis-required":
            required.add(ff.path)
    if required:  # the error replaces the file's warning
        problems = [p for p in problems if not (p.path in required and p.code == BASIS_MISSING)]
    _check_enterprises(snapshot, by_file, problems)
    for rel, found in by_file.items():
        problems.extend(_locate_in_file(snapshot.root, rel, found))
    dropped = {ff.path for ff in duplicates}
    hazards = tuple(h for h in snapshot.hazards if h.path not in dropped)
    problems.sort(key=Problem.sort_key)
    return Repository(snapshot, tuple(problems), hazards)


def _check_enterprises(
    snapshot: Snapshot, by_file: dict[str, list[Finding]], problems: list[Problem]
) -> None:
    """The enterprises across files: grades of the plan, one credit code each, hazards named
    that exist; the plan's duties."""
    plan = snapshot.plan
    plan_rel = PLAN_FILE.as_posix()
    if plan is not None and plan.duties and plan_rel in snapshot.texts:
        found = enterprise_rules.check_duties(plan.duties, [g.code for g in plan.grades])
        problems.extend(located(found, plan_rel, snapshot.texts[plan_rel]))
    for ff in enterprise_rules.check_hazard_enterprises(
        snapshot.hazards, snapshot.enterprises, snapshot.enterprise_paths
    ):
        by_file.setdefault(ff.path, []).append(ff.finding)
    if not snapshot.enterprises:
        return
    hazard_ids = {r.id for r in snapshot.refs if r.id is not None}
    rel_of = dict(zip((e.id for e in snapshot.enterprises), snapshot.enterprise_paths, strict=True))
    for ent, rel in zip(snapshot.enterprises, snapshot.enterprise_paths, strict=True):
        found = enterprise_rules.check_hazard_links(ent, hazard_ids)
        if plan is not None:
            found += enterprise_rules.check_against_plan(ent, plan)
        if found:
            by_file.setdefault(rel, []).extend(found)
    dupes = enterprise_rules.duplicate_credit_codes(snapshot.enterprises)
    for code, ids in dupes.items():
        for eid in ids:
            others = [i for i in ids if i != eid]
            by_file.setdefault(rel_of[eid], []).append(
                Finding(
                    ("credit_code",),
                    "duplicate-credit-code",
                    N_("credit code {code} is also {others}'s: one enterprise, one file"),
                    {"code": code, "others": ListOf(others)},
                )
            )


class ReadOptions(TypedDict, total=False):
    """How ``load`` reads: the keywords of ``read_snapshot``, passed on as they are."""

    workers: int | None
    today: dt.date | None
    cache: bool
    progress: Progress | None
    keep: Keep | None


def load(root: Path, **how: Unpack[ReadOptions]) -> Repository:
    """Read and check every file of a plan root: ``read_snapshot`` (facts after ``today``
    are problems; ``cache``, ``progress`` and ``keep`` as it says), then ``check``; with the
    cache and no keeper, the plan's problems are kept for its next unchanged read."""
    repo = check(read_snapshot(root, **how))
    if how.get("cache") and how.get("keep") is None:
        _keep_warm(repo)
    return repo


def _keep_warm(repo: Repository) -> None:
    """Keep the plan's problems for the next read of the plan unchanged (``repo/warm.py``)."""
    from safeplan.repo.warm import keep_plan

    snap = repo.snapshot
    basis = repo.view_basis()
    evidence = [value for _, value in _task_evidence(snap.tasks)]
    keep_plan(
        repo.root,
        basis,
        snap.today,
        snap.texts,
        evidence,
        repo.problems,
        snap.files_checked,
        snap.plan is not None,
    )
