"""One town's loaded plan as the rows of the export's tables.

What the views need of a hazard's history (its cycles, the deadlines in force) comes from
the same ``HazardSummary`` that ``status`` reads, so the views and the screens cannot read
the record two ways; the registration facts and every dated fact (``hazard_events``) come
from the full record (only valid, counted hazards are exported). A plan loaded with
:class:`ExportKeep` made those rows in the pass that read and validated each file, so the
export reads every hazard file once; otherwise each is read again here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from safeplan.errors import DataError
from safeplan.models.enterprises import FACT_KEYS, EnterpriseRecord
from safeplan.models.hazards import Hazard
from safeplan.models.records import Task
from safeplan.models.summary import HazardSummary
from safeplan.periods import MONTHS
from safeplan.problems import N_
from safeplan.repo import Repository
from safeplan.yamlio import YamlProblem, load_fast, read_text

#: The town code of a plan exported without one (``--town-code``): twelve zeros, so that
#: a county's database shows at once which town forgot to say who it is.
PLACEHOLDER_CODE = "000000000000"

Row = tuple[Any, ...]
#: A dated fact: (kind, day, by, the rest as JSON).
Event = tuple[str, dt.date, str | None, str]


@dataclass(frozen=True)
class TownSource:
    """A town to export: its 行政区划代码 (12 digits), its name, the commit its files were read
    at (None outside git), and its plan, loaded. A county export passes many."""

    code: str
    name: str
    commit: str | None
    repo: Repository


def town_name(repo: Repository) -> str:
    """The town's name when none is given: the plan's issuer without 人民政府 (大井镇)."""
    plan = repo.plan
    if plan is None:
        return repo.root.name
    return plan.issuer.removesuffix("人民政府") or plan.issuer


def town_rows(
    town: TownSource, exported_on: dt.date, as_of: dt.date | None = None
) -> dict[str, list[Row]]:
    """Every row the town contributes, by table, in the tables' column order."""
    out: dict[str, list[Row]] = {}
    for part in town_parts(town, exported_on, as_of):
        for name, rows in part.items():
            out.setdefault(name, []).extend(rows)
    return out


def town_parts(
    town: TownSource, exported_on: dt.date, as_of: dt.date | None = None
) -> Iterator[dict[str, list[Row]]]:
    """The town's rows, by table, a part at a time (the town, units and tasks; its
    enterprises and their duty states on ``as_of``, the export's day, else
    ``exported_on``; then the hazards a chunk at a time), so that a large town is never
    all in memory as rows."""
    repo, code = town.repo, town.code
    plan = repo.plan
    out: dict[str, list[Row]] = {
        "towns": [
            (
                code,
                town.name,
                town.commit,
                plan.title if plan else None,
                plan.rules.due_soon_days if plan else 30,
                exported_on,
            )
        ]
    }
    out["units"] = [
        (code, u.name, u.full_name, u.kind, _json(list(u.members)), True) for u in repo.units
    ]
    out["tasks"] = [
        (
            code,
            t.number,
            t.action,
            t.title,
            t.deadline,
            t.ongoing,
            t.ongoing_after,
            MONTHS[t.check_in],
            _json(list(t.units)),
            t.units[0],
            True,
        )
        for t in repo.tasks
    ]
    out["task_facts"] = [row for t in repo.tasks for row in _task_facts(code, t)]
    yield out
    yield enterprise_part(code, repo, as_of or exported_on)
    yield from hazard_parts(code, repo.root, repo.hazards, kept=kept_rows(repo))


#: Below this many hazards one process is faster than starting workers.
PARALLEL_THRESHOLD = 400
#: The fewest hazards a worker is given at a time.
CHUNK_MIN = 50
_HAZARD_TABLES = (
    "hazards",
    "hazard_events",
    "hazard_cycles",
    "hazard_deadlines",
    "supervisions",
    "extensions",
)
#: In a worker process: the town's code, root and hazards (inherited when it forks).
_JOB: tuple[str, Path, Sequence[HazardSummary]] | None = None


def hazard_parts(
    code: str,
    root: Path,
    hazards: Sequence[HazardSummary],
    workers: int | None = None,
    kept: dict[str, object] | None = None,
) -> Iterator[dict[str, list[Row]]]:
    """The rows of the hazards' tables, a chunk of hazards at a time, in order. ``kept``
    (``Snapshot.kept`` of a load with :class:`ExportKeep`) holds each record's rows, made in
    the read that counted it: they are taken out of it as they are handed on, so that the
    rows kept and the rows written are never both whole in memory (a plan is exported
    once). Without it each full record is read again, in worker processes when there are
    many, as the snapshot reads them."""
    global _JOB
    if kept is not None:
        take = kept.pop
        for i in range(0, len(hazards), KEPT_CHUNK):
            yield _rows_of(code, hazards[i : i + KEPT_CHUNK], lambda path: take(path, None))
        return
    n = workers if workers is not None else _cpus()
    if n <= 1 or len(hazards) < PARALLEL_THRESHOLD:
        yield _rows_of(code, hazards, _reader(root))
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    size = min(max(len(hazards) // (n * 8), CHUNK_MIN), 1000)
    spans = [(i, min(i + size, len(hazards))) for i in range(0, len(hazards), size)]
    _JOB = (code, root, hazards)
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            yield from pool.map(_span_rows, spans)
    finally:
        _JOB = None


#: Kept rows are handed to the database this many hazards at a time.
KEPT_CHUNK = 1000


def _span_rows(span: tuple[int, int]) -> dict[str, list[Row]]:
    assert _JOB is not None
    code, root, hazards = _JOB
    return _rows_of(code, hazards[span[0] : span[1]], _reader(root))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(frozen=True)
class HazardRows:
    """What the export needs of one full record, without the town's code: its registration
    columns, its dated facts, its listings for supervision and its extensions."""

    registration: Row
    events: list[Event]
    supervisions: list[Row]
    extensions: list[Row]


@dataclass(frozen=True)
class ExportKeep:
    """The export's keeper (``repo.load(keep=ExportKeep())``): each valid record's
    :class:`HazardRows`, made in the pass that reads it, so no file is read twice. Equal to
    any other, so that :func:`kept_rows` knows whether a plan was read for the export."""

    def __call__(self, hazard: Hazard) -> HazardRows:
        return hazard_rows(hazard)


def kept_rows(repo: Repository) -> dict[str, object] | None:
    """The rows a load with :class:`ExportKeep` made, by path (None: loaded without it)."""
    snapshot = repo.snapshot
    return snapshot.kept if snapshot.keep == ExportKeep() else None


def hazard_rows(h: Hazard) -> HazardRows:
    """The export's rows of one full record (what the summary does not carry)."""
    ent = h.enterprise
    return HazardRows(
        (
            h.id,
            h.title,
            h.level,
            h.source,
            h.discovered_on,
            h.basis,
            h.description,
            h.industry,
            h.location,
            h.found_by,
            h.responsible_unit,
            h.responsible_person,
            ent.name if ent else None,
            ent.credit_code if ent else None,
        ),
        hazard_events(h),
        [(v.level, v.by, v.listed_on, v.lifted_on) for v in h.supervision],
        [(e.on, e.from_, e.to, e.reason, e.approved_by) for e in h.extensions],
    )


def _reader(root: Path) -> Callable[[str], HazardRows]:
    """Each hazard's rows from its file, read again (a plan loaded without the keeper)."""

    def read(path: str) -> HazardRows:
        return hazard_rows(_full(root, path))

    return read


def _rows_of(
    code: str, hazards: Sequence[HazardSummary], rows_at: Callable[[str], object]
) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {name: [] for name in _HAZARD_TABLES}
    for s in hazards:
        r = rows_at(s.path)
        if not isinstance(r, HazardRows):  # not kept: the file stopped reading meanwhile
            raise _changed(s.path)
        hid = r.registration[0]
        out["hazards"].append(
            (
                code,
                *r.registration,
                s.original_deadline(),
                s.funds,
                s.plan_complete_on,
                s.withdrawn_on,
                s.broken,
                s.path,
                True,
            )
        )
        out["hazard_events"].extend((code, hid, i, *event) for i, event in enumerate(r.events))
        out["hazard_cycles"].extend(
            (code, hid, i, c.rectified_on, c.accepted_on, c.accepted, c.closed_on, c.ended_on)
            for i, c in enumerate(s.cycles)
        )
        out["hazard_deadlines"].extend(
            (code, hid, i, d.on, d.deadline, d.extension) for i, d in enumerate(s.deadlines)
        )
        out["supervisions"].extend((code, hid, i, *v) for i, v in enumerate(r.supervisions))
        out["extensions"].extend((code, hid, i, *e) for i, e in enumerate(r.extensions))
    return out


def _full(root: Path, path: str) -> Hazard:
    """The full record of a hazard the snapshot counted (so it was valid when read)."""
    try:
        return Hazard.model_validate(load_fast(read_text(str(root / path))))
    except (OSError, YamlProblem, ValidationError):
        raise _changed(path) from None


def _changed(path: str) -> DataError:
    return DataError(N_("{path} changed while it was exported: export again"), path=path)


def _fields(model: BaseModel, *leave: str, **more: object) -> str:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key in ("on", "by", *leave):
        data.pop(key, None)
    data.update(more)
    return _json(data)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def hazard_events(h: Hazard) -> list[Event]:
    """Every dated fact of a hazard as (kind, day, by, the rest as JSON), in date order
    (on one day, in the order the record's history runs)."""
    events: list[Event] = [
        (
            "registered",
            h.discovered_on,
            h.found_by,
            _fields(h, *_LATER),
        )
    ]
    for v in h.plan_versions():
        events.append(("plan", h.plan_set_on(v), None, _fields(v)))
    for r in h.plan_revisions:
        events.append(("plan_revised", r.on, r.by, _json({"reason": r.reason} if r.reason else {})))
    for e in h.extensions:
        events.append(("extension", e.on, e.approved_by, _fields(e, "approved_by")))
    for i, c in enumerate(h.cycles()):
        if c.rectification is not None:
            events.append(("rectification", c.rectification.on, None, _cycle(c.rectification, i)))
        if c.acceptance is not None:
            events.append(("acceptance", c.acceptance.on, c.acceptance.by, _cycle(c.acceptance, i)))
        if c.closure is not None:
            events.append(("closure", c.closure.on, c.closure.reviewer, _cycle(c.closure, i)))
        if c.ended_by is not None:
            end = c.ended_by
            events.append(("reopening", end.on, end.by, _json({"cycle": i, "reason": end.reason})))
    for s in h.supervision:
        fields = {"level": s.level}
        events.append(("supervision_listed", s.listed_on, s.by, _json(fields)))
        if s.lifted_on is not None:
            events.append(("supervision_lifted", s.lifted_on, s.by, _json(fields)))
    dr = h.double_report
    if dr is not None and dr.regulator_on is not None:
        events.append(("reported_regulator", dr.regulator_on, None, "{}"))
    if dr is not None and dr.workers_on is not None:
        events.append(("reported_workers", dr.workers_on, None, "{}"))
    if h.withdrawal is not None:
        w = h.withdrawal
        events.append(("withdrawal", w.on, w.by, _json({"reason": w.reason})))
    for fix in h.corrections:
        events.append(("correction", fix.on, fix.by, _fields(fix)))
    for n in h.notes:
        events.append(("note", n.on, n.by, _fields(n)))
    return sorted(events, key=lambda e: e[1])


#: What the registration event leaves to the events after it.
_LATER = (
    "rectification_plan",
    "plan_revisions",
    "extensions",
    "rectification",
    "acceptance",
    "closure",
    "supervision",
    "double_report",
    "reopenings",
    "withdrawal",
    "corrections",
    "notes",
    "discovered_on",
    "found_by",
)


def _cycle(model: BaseModel, cycle: int) -> str:
    return _fields(model, "reviewer", cycle=cycle)


def _task_facts(code: str, t: Task) -> Iterator[Row]:
    """A task's progress notes and completions: the completions a reopening withdrew first
    (with the day it did), then the one in force, as ``task_done_on`` reads them."""
    seq = 0
    for r in t.reopenings:
        if r.previous is not None:
            yield (code, t.number, seq, "done", r.previous.on, None, _fields(r.previous), r.on)
            seq += 1
    if t.done is not None:
        yield (code, t.number, seq, "done", t.done.on, None, _fields(t.done), None)
        seq += 1
    for r in t.reopenings:
        yield (code, t.number, seq, "reopening", r.on, None, _json({"reason": r.reason}), None)
        seq += 1
    for n in t.progress:
        yield (code, t.number, seq, "progress", n.on, n.by, _fields(n), None)
        seq += 1


def adapt_sqlite(value: object) -> object:
    """A value as SQLite stores it: dates as ISO text, booleans as 0/1, money as a float."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def enterprise_part(code: str, repo: Repository, as_of: dt.date) -> dict[str, list[Row]]:
    """The enterprises, their dated facts, the plan's duties, and each enterprise's duty
    states on ``as_of`` as ``enterprise list`` and ``enterprise duties`` compute them (the
    same function, so the database and the screens cannot disagree)."""
    from safeplan.status.enterprises import enterprise_duties

    duties = list(repo.plan.duties) if repo.plan is not None else []
    paths = repo.snapshot.enterprise_paths
    if len(paths) != len(repo.enterprises):
        paths = tuple("" for _ in repo.enterprises)
    out: dict[str, list[Row]] = {
        "enterprises": [
            _enterprise_row(code, e, p) for e, p in zip(repo.enterprises, paths, strict=True)
        ],
        "enterprise_events": [
            (code, e.id, i, *event)
            for e in repo.enterprises
            for i, event in enumerate(enterprise_events(e))
        ],
        "duties": [
            (
                code,
                d.id,
                d.task,
                d.title,
                d.applies_to,
                d.every,
                d.high_risk_every,
                d.fulfilled_by,
                _json(list(d.roles)),
                d.from_,
                True,
            )
            for d in duties
        ],
        "enterprise_duties": [
            (
                code,
                as_of,
                e.id,
                st.duty,
                st.state,
                st.period,
                st.every,
                st.last,
                _json(list(st.missed)),
                st.counted,
                _json(list(st.lacking)),
            )
            for e in repo.enterprises
            if e.registered_on <= as_of
            for st in enterprise_duties(duties, e, as_of)
        ],
    }
    return out


def _enterprise_row(code: str, e: EnterpriseRecord, path: str) -> Row:
    p = e.principal
    return (
        code,
        e.id,
        e.name,
        e.credit_code,
        e.address,
        e.village,
        e.industry,
        e.is_high_risk(),
        e.high_risk.reason if e.high_risk else None,
        e.grade,
        _json(list(e.flags)),
        p.name if p else None,
        p.phone if p else None,
        _json([m.model_dump(mode="json", exclude_none=True) for m in e.safety_managers]),
        e.employees,
        e.department,
        e.registered_on,
        e.closed_on(),
        path or None,
        True,
    )


def enterprise_events(e: EnterpriseRecord) -> list[Event]:
    """Every dated fact of an enterprise as (kind, day, by, the rest as JSON), in date
    order (on one day, in the order the record runs): its registration, state changes,
    the facts its duties ask for (check, drill, training, certificate, inspection),
    corrections and notes."""
    events: list[Event] = [("registered", e.registered_on, None, _fields(e, *_ENT_LATER))]
    for s in e.states:
        events.append(("state", s.on, s.by, _fields(s)))
    for key, kind in FACT_KEYS.items():
        for fact in getattr(e, key):
            by = getattr(fact, "led_by", None) or getattr(fact, "by", None)
            events.append((kind, fact.on, by, _fields(fact, "led_by")))
    for fix in e.corrections:
        events.append(("correction", fix.on, fix.by, _fields(fix)))
    for n in e.notes:
        events.append(("note", n.on, n.by, _fields(n)))
    return sorted(events, key=lambda ev: ev[1])


#: What the enterprise's registration event leaves to the events after it.
_ENT_LATER = ("registered_on", "states", *FACT_KEYS, "corrections", "notes")
