"""Record edits: load round-trip → change in place → validate the result → write atomically.

Every edit here behaves as a careful person editing the YAML by hand would: comments,
key order, quoting, blank lines, CRLF and Chinese text survive, and only the touched keys
change. The changed record is validated (schema, cross-field rules and references to
units and actions) before anything is written; the write is atomic and refuses if the
file changed on disk after it was read. On any failure no file changes.

The core is pure: no printing, no prompting, no clock (dates are parameters), no
environment. It returns an :class:`EditResult` (the bytes before and after, a one-line
summary and a commit message) and raises safeplan errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from safeplan import checks, yamlio
from safeplan.errors import DataError, RefusedError, UsageError
from safeplan.ids import Choice, new_hazard_id
from safeplan.models import (
    Hazard,
    Plan,
    RectificationPlan,
    Supervision,
    Task,
    TasksFile,
    UnitsFile,
)
from safeplan.problems import N_, Fragment, Problem, render
from safeplan.store import (
    HAZARDS_DIR,
    PLAN_FILE,
    TASKS_FILE,
    UNITS_FILE,
    YAML_SUFFIXES,
    check_hazard_id,
    hazard_ids,
    hazard_path,
    parse_file,
)

M = TypeVar("M", bound=BaseModel)

#: Key orders of the records, as the models list their fields: new keys go where they belong.
HAZARD_ORDER = tuple(Hazard.model_fields)
TASK_ORDER = tuple(Task.model_fields)
PLAN_ORDER = tuple(RectificationPlan.model_fields)
SUPERVISION_ORDER = tuple(Supervision.model_fields)
DOUBLE_REPORT_ORDER = ("regulator_on", "workers_on")

LEVELS = {"major": "major", "general": "general", "重大": "major", "一般": "general"}
SOURCES = {
    "self-check": "self-check",
    "inspection": "inspection",
    "public-report": "public-report",
    "higher-inspection": "higher-inspection",
    "排查": "self-check",
    "自查": "self-check",
    "检查": "inspection",
    "举报": "public-report",
    "上级检查": "higher-inspection",
}
SUPERVISION_LEVELS = {
    "省级": "省级",
    "市级": "市级",
    "县级": "县级",
    "镇级": "镇级",
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "town": "镇级",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FileChange:
    """One file an edit changes: ``old`` None means created, ``new`` None means removed."""

    path: Path
    rel: str
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class EditResult:
    """What an edit did (or, for a dry run, would do)."""

    changes: tuple[FileChange, ...]
    #: One line saying what changed: an English template with its parameters.
    template: str
    params: dict[str, Any]
    #: The git commit message for ``--commit``.
    commit_message: str
    #: The hazard id or task number the edit was about.
    subject: str
    written: bool = False

    @property
    def rels(self) -> list[str]:
        return [c.rel for c in self.changes]

    def message(self, tr: Callable[[str], str] = lambda s: s) -> str:
        return render(self.template, self.params, tr)

    def diff(self) -> str:
        """The unified diff of every changed file, as git would show it."""
        out: list[str] = []
        for c in self.changes:
            old = _lines(c.old)
            new = _lines(c.new)
            a = f"a/{c.rel}" if c.old is not None else "/dev/null"
            b = f"b/{c.rel}" if c.new is not None else "/dev/null"
            out.extend(difflib.unified_diff(old, new, a, b))
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return text.splitlines(keepends=True)


def apply(result: EditResult) -> EditResult:
    """Write an edit's changes: each atomically, all or (rolled back) none."""
    for c in result.changes:
        _expect(c.path, c.old)
    done: list[FileChange] = []
    try:
        for c in result.changes:
            if c.new is None:
                assert c.old is not None
                yamlio.atomic_remove(c.path, c.old)
            else:
                c.path.parent.mkdir(parents=True, exist_ok=True)
                yamlio.atomic_write(c.path, c.new, c.old)
            done.append(c)
    except BaseException:
        for c in reversed(done):
            if c.old is None:
                c.path.unlink(missing_ok=True)
            else:
                yamlio.atomic_write(c.path, c.old, _current(c.path))
        raise
    return EditResult(
        result.changes,
        result.template,
        result.params,
        result.commit_message,
        result.subject,
        written=True,
    )


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _expect(path: Path, old: bytes | None) -> None:
    if _current(path) != old:
        if old is None:
            raise RefusedError(
                N_("{path} already exists: nothing was written"), path=str(path.name)
            )
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=str(path),
        )


def revert(result: EditResult) -> None:
    """Undo a written edit (used when a commit after the write fails)."""
    for c in reversed(result.changes):
        if c.old is None:
            if c.new is not None and _current(c.path) == c.new:
                c.path.unlink()
        else:
            yamlio.atomic_write(c.path, c.old, _current(c.path))


# --------------------------------------------------------------------------- reading


@dataclass
class _Plan:
    plan: Plan
    unit_names: list[str]


def _load_model(root: Path, rel_path: Path, model: type[M], strip: int = 0) -> tuple[M, str]:
    path = root / rel_path
    rel = rel_path.as_posix()
    if not path.is_file():
        raise DataError(N_("{path} is missing: safeplan needs it to check the edit"), path=rel)
    obj, text, problems = parse_file(path, rel, model, strip)
    if obj is None:
        raise DataError(
            N_(
                "{path} has problems: fix them first (see 'safeplan validate'); nothing was written"
            ),
            problems,
            path=rel,
        )
    return obj, text


def _plan(root: Path) -> _Plan:
    plan, _ = _load_model(root, PLAN_FILE, Plan)
    units, _ = _load_model(root, UNITS_FILE, UnitsFile, strip=2)
    return _Plan(plan, [u.name for u in units.units])


def unit_names(root: Path) -> list[str]:
    """The names of data/units.yaml (for checking a unit named on the command line)."""
    return _plan(root).unit_names


def _parse_bytes(
    data: bytes, rel: str, model: type[M], strip: int = 0
) -> tuple[M | None, str, list[Problem]]:
    """Validate bytes exactly as ``safeplan validate`` would read them from the file."""
    with tempfile.TemporaryDirectory(prefix="safeplan-") as tmp:
        path = Path(tmp) / Path(rel).name
        path.write_bytes(data)
        return parse_file(path, rel, model, strip)


def _located(findings: Iterable[checks.Finding], rel: str, text: str) -> list[Problem]:
    locator = yamlio.Locator(text)
    out = []
    for f in findings:
        line, column = locator.find(f.path, at_key=f.at_key)
        out.append(Problem(rel, line, column, f.code, f.template, f.params, f.severity))
    return out


def _key(f: checks.Finding) -> tuple[str, str, str]:
    return (f.code, f.template, repr(sorted((k, str(v)) for k, v in f.params.items())))


def _invalid(rel: str, problems: list[Problem]) -> DataError:
    return DataError(
        N_("the edit would leave {path} invalid, so nothing was written"), problems, path=rel
    )


def _new_errors(
    before: Sequence[checks.Finding], after: Sequence[checks.Finding]
) -> list[checks.Finding]:
    """Errors the edit introduces (a record's old problems do not block an unrelated edit)."""
    old = {_key(f) for f in before}
    return [f for f in after if f.severity == "error" and _key(f) not in old]


def _unknown_hazard(root: Path, hazard_id: str) -> UsageError:
    found = checks.closest(hazard_id, hazard_ids(root))
    return UsageError(
        N_("no hazard '{id}' in data/hazards/ (closest: {closest})"),
        id=hazard_id,
        closest="、".join(found) if found else "—",
    )


def _hazard_file(root: Path, hazard_id: str) -> tuple[Path, str]:
    check_hazard_id(hazard_id)
    path = hazard_path(root, hazard_id)
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        raise RefusedError(
            N_("{path} is a symbolic link: safeplan edits only regular files"), path=rel
        )
    if not path.is_file():
        raise _unknown_hazard(root, hazard_id)
    return path, rel


def _load_rt(path: Path, rel: str, text: str) -> yamlio.RoundTrip:
    try:
        rt = yamlio.rt_load(path)
    except yamlio.YamlProblem as exc:
        raise DataError(
            N_(
                "{path} has problems: fix them first (see 'safeplan validate'); nothing was written"
            ),
            [Problem(rel, exc.line, exc.column, exc.code, exc.template, exc.params)],
            path=rel,
        ) from None
    if yamlio.decode(rt.original) != text:
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=rel,
        )
    return rt


# --------------------------------------------------------------------------- hazards


@dataclass
class _Change:
    template: str
    params: dict[str, Any]
    commit: str


HazardChange = Callable[[Hazard, Any, _Plan], _Change]


def _edit_hazard(root: Path, hazard_id: str, change: HazardChange, write: bool) -> EditResult:
    path, rel = _hazard_file(root, hazard_id)
    ctx = _plan(root)
    hazard, text, problems = parse_file(path, rel, Hazard)
    if hazard is None:
        raise DataError(
            N_(
                "{path} has problems: fix them first (see 'safeplan validate'); nothing was written"
            ),
            problems,
            path=rel,
        )
    before = checks.check_hazard(hazard, path.stem, ctx.unit_names)
    rt = _load_rt(path, rel, text)
    done = change(hazard, rt.data, ctx)
    new = rt.dump()
    _check_hazard_bytes(new, rel, path.stem, ctx.unit_names, before)
    result = EditResult(
        (FileChange(path, rel, rt.original, new),),
        done.template,
        {"path": rel, **done.params},
        done.commit,
        hazard.id,
    )
    return apply(result) if write else result


def _check_hazard_bytes(
    data: bytes, rel: str, stem: str, unit_names: Sequence[str], before: Sequence[checks.Finding]
) -> Hazard:
    hazard, text, problems = _parse_bytes(data, rel, Hazard)
    if hazard is None:
        raise _invalid(rel, problems)
    errors = _new_errors(before, checks.check_hazard(hazard, stem, unit_names))
    if errors:
        raise _invalid(rel, _located(errors, rel, text))
    return hazard


def _data_language(ctx: _Plan) -> str:
    return "zh" if ctx.plan.language.lower().startswith("zh") else "en"


def _compact(**values: Any) -> dict[str, Any]:
    """A record's keys in the order given, leaving out what is not there."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != ""}


def _need(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise UsageError(N_("{option} must not be empty"), option=option)
    return value.strip()


def _evidence(evidence: Sequence[str]) -> list[str]:
    return [e for e in (x.strip() for x in evidence) if e]


def _refuse_closed(hazard: Hazard, what: str) -> None:
    if hazard.closure is not None:
        raise RefusedError(
            N_(
                "{id} is closed (销号 on {on}): {what} is refused; reopen it first with "
                "'safeplan hazard reopen {id} --reason …'"
            ),
            id=hazard.id,
            on=hazard.closure.on,
            what=Fragment(what),
        )


def rectify(
    root: Path,
    hazard_id: str,
    on: dt.date,
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record the rectification (整改). After a failed acceptance, this starts a new cycle."""

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        _refuse_closed(h, N_("recording a rectification"))
        acc = h.acceptance
        if h.rectification is not None and (acc is None or acc.result == "passed"):
            raise RefusedError(
                N_(
                    "{id} was already rectified on {on}: record the acceptance next "
                    "('safeplan hazard accept {id} --by …'), or correct the date in the file"
                ),
                id=h.id,
                on=h.rectification.on,
            )
        if acc is not None and acc.result == "failed":
            # The failed cycle becomes history; the new rectification starts the next one.
            reason = "验收未通过，重新整改" if _data_language(ctx) == "zh" else "acceptance failed"
            _move_cycle(data, on, reason, None)
        record = _compact(on=on, note=note, evidence=_evidence(evidence))
        yamlio.rt_set(data, "rectification", record, HAZARD_ORDER)
        return _Change(
            N_("{path}: rectification (整改) recorded on {on}"),
            {"on": on},
            f"hazard {h.id}: 整改 (rectified) on {on}",
        )

    return _edit_hazard(root, hazard_id, change, write)


def accept(
    root: Path,
    hazard_id: str,
    on: dt.date,
    by: str,
    result: str = "passed",
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record the acceptance (验收) of the rectification, passed or failed."""
    if result not in ("passed", "failed"):
        raise UsageError(N_("--result must be passed or failed, not '{value}'"), value=result)
    _need(by, "--by")

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        _refuse_closed(h, N_("recording an acceptance"))
        if h.rectification is None:
            raise RefusedError(
                N_(
                    "{id} has no rectification (整改) yet: record it first with "
                    "'safeplan hazard rectify {id} --on DATE'"
                ),
                id=h.id,
            )
        if h.acceptance is not None:
            raise RefusedError(
                N_(
                    "{id} already has an acceptance (验收) on {on} ({result}): "
                    "correct it in the file if it is wrong"
                ),
                id=h.id,
                on=h.acceptance.on,
                result=h.acceptance.result,
            )
        record = _compact(on=on, by=by, result=result, note=note, evidence=_evidence(evidence))
        yamlio.rt_set(data, "acceptance", record, HAZARD_ORDER)
        what = "验收 (accepted)" if result == "passed" else "验收未通过 (acceptance failed)"
        return _Change(
            N_("{path}: acceptance (验收) recorded on {on} by {by}: {result}"),
            {"on": on, "by": by, "result": Fragment(_RESULT_LABEL[result])},
            f"hazard {h.id}: {what} by {by}",
        )

    return _edit_hazard(root, hazard_id, change, write)


_RESULT_LABEL = {"passed": N_("passed"), "failed": N_("failed")}


def close(
    root: Path,
    hazard_id: str,
    on: dt.date,
    reviewer: str,
    note: str | None = None,
    write: bool = True,
) -> EditResult:
    """Record the closure (销号): only after rectification, a passed acceptance and 双报告."""
    _need(reviewer, "--by")

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        if h.closure is not None:
            raise RefusedError(
                N_("{id} is already closed (销号 on {on} by {reviewer}): nothing to do"),
                id=h.id,
                on=h.closure.on,
                reviewer=h.closure.reviewer,
            )
        if h.rectification is None:
            raise RefusedError(
                N_(
                    "{id} cannot be closed: it has no rectification (整改). Record it first "
                    "('safeplan hazard rectify {id} --on DATE'), then the acceptance"
                ),
                id=h.id,
            )
        if h.acceptance is None:
            raise RefusedError(
                N_(
                    "{id} cannot be closed: it has not been accepted (验收). Record the "
                    "acceptance first ('safeplan hazard accept {id} --on DATE --by NAME')"
                ),
                id=h.id,
            )
        if h.acceptance.result != "passed":
            raise RefusedError(
                N_(
                    "{id} cannot be closed: its acceptance on {on} failed. Rectify again "
                    "('safeplan hazard rectify {id}') and have it accepted"
                ),
                id=h.id,
                on=h.acceptance.on,
            )
        dr = h.double_report
        if (
            h.level == "major"
            and ctx.plan.rules.close_requires_double_report
            and (dr is None or dr.regulator_on is None or dr.workers_on is None)
        ):
            raise RefusedError(
                N_(
                    "{id} is a major hazard and cannot be closed without the double report "
                    "(双报告) to the regulator and to the workers' congress: record it first "
                    "('safeplan hazard report {id} --regulator DATE --workers DATE'), or set "
                    "rules.close_requires_double_report: false in plan/plan.yaml"
                ),
                id=h.id,
            )
        yamlio.rt_set(data, "closure", _compact(on=on, reviewer=reviewer, note=note), HAZARD_ORDER)
        return _Change(
            N_("{path}: closed (销号) on {on}, reviewed by {reviewer}"),
            {"on": on, "reviewer": reviewer},
            f"hazard {h.id}: 销号 (closed) by {reviewer}",
        )

    return _edit_hazard(root, hazard_id, change, write)


def _move_cycle(data: Any, on: dt.date, reason: str, by: str | None) -> None:
    """Move the current rectification/acceptance/closure into a new reopenings entry."""
    previous: dict[str, Any] = {}
    for key in ("rectification", "acceptance", "closure"):
        if key in data:
            value = yamlio.rt_delete(data, key)
            if value is not None:
                previous[key] = value
    entry = _compact(on=on, reason=reason, by=by)
    entry["previous"] = previous
    yamlio.rt_append(data, "reopenings", entry, HAZARD_ORDER)


def reopen(
    root: Path,
    hazard_id: str,
    on: dt.date,
    reason: str,
    by: str | None = None,
    write: bool = True,
) -> EditResult:
    """Reopen a closed hazard: its cycle moves into ``reopenings`` (history is never deleted)."""
    _need(reason, "--reason")

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        failed = h.acceptance is not None and h.acceptance.result == "failed"
        if h.closure is None and not failed:
            raise RefusedError(
                N_("{id} is not closed, so there is nothing to reopen"),
                id=h.id,
            )
        _move_cycle(data, on, reason, by)
        return _Change(
            N_(
                "{path}: reopened on {on} ({reason}); the previous rectification, acceptance "
                "and closure are kept under reopenings"
            ),
            {"on": on, "reason": reason},
            f"hazard {h.id}: 重新打开 (reopened): {reason}",
        )

    return _edit_hazard(root, hazard_id, change, write)


def supervision_level(value: str) -> str:
    level = SUPERVISION_LEVELS.get(value.strip())
    if level is None:
        raise UsageError(
            N_(
                "--level must be one of 省级、市级、县级、镇级 (or province, city, county, town), not '{value}'"
            ),
            value=value,
        )
    return level


def supervise(
    root: Path,
    hazard_id: str,
    level: str,
    by: str,
    on: dt.date,
    write: bool = True,
) -> EditResult:
    """List the hazard for supervision (挂牌督办) by a level of government."""
    level = supervision_level(level)
    _need(by, "--by")

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        _refuse_closed(h, N_("listing it for supervision"))
        for s in h.supervision:
            if s.level == level and s.lifted_on is None:
                raise RefusedError(
                    N_("{id} is already listed for supervision at {level} by {by} since {on}"),
                    id=h.id,
                    level=level,
                    by=s.by,
                    on=s.listed_on,
                )
        yamlio.rt_append(
            data, "supervision", {"level": level, "by": by, "listed_on": on}, HAZARD_ORDER
        )
        return _Change(
            N_("{path}: listed for supervision (挂牌督办) at {level} by {by} on {on}"),
            {"level": level, "by": by, "on": on},
            f"hazard {h.id}: 挂牌督办 (listed for supervision) {level} by {by}",
        )

    return _edit_hazard(root, hazard_id, change, write)


def lift_supervision(
    root: Path,
    hazard_id: str,
    on: dt.date,
    level: str | None = None,
    write: bool = True,
) -> EditResult:
    """Lift a listing for supervision (摘牌)."""
    wanted = supervision_level(level) if level is not None else None

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        active = [
            i
            for i, s in enumerate(h.supervision)
            if s.lifted_on is None and (wanted is None or s.level == wanted)
        ]
        if not active:
            raise RefusedError(
                N_("{id} has no listing for supervision in force{at}: nothing to lift"),
                id=h.id,
                at=f" ({wanted})" if wanted else "",
            )
        if len(active) > 1:
            raise UsageError(
                N_(
                    "{id} is listed for supervision at several levels ({levels}): choose one with --level"
                ),
                id=h.id,
                levels="、".join(h.supervision[i].level for i in active),
            )
        i = active[0]
        item = data["supervision"][i]
        yamlio.rt_set(item, "lifted_on", on, SUPERVISION_ORDER)
        lvl = h.supervision[i].level
        return _Change(
            N_("{path}: supervision (挂牌督办) at {level} lifted on {on}"),
            {"level": lvl, "on": on},
            f"hazard {h.id}: 摘牌 (supervision lifted) {lvl}",
        )

    return _edit_hazard(root, hazard_id, change, write)


def report(
    root: Path,
    hazard_id: str,
    regulator: dt.date | None = None,
    workers: dt.date | None = None,
    write: bool = True,
) -> EditResult:
    """Record the double report (双报告): to the regulator and to the workers' congress."""
    if regulator is None and workers is None:
        raise UsageError(
            N_("give --regulator DATE, --workers DATE or both (双报告: the two reports' dates)")
        )

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        dr = h.double_report
        current = {
            "regulator_on": dr.regulator_on if dr else None,
            "workers_on": dr.workers_on if dr else None,
        }
        wanted = {"regulator_on": regulator, "workers_on": workers}
        updates: dict[str, dt.date] = {}
        for key, value in wanted.items():
            if value is None or current[key] == value:
                continue
            if current[key] is not None:
                raise RefusedError(
                    N_(
                        "{id}: the report {what} is already recorded on {on}: correct it in "
                        "the file if it is wrong"
                    ),
                    id=h.id,
                    what=Fragment(_REPORT_LABEL[key]),
                    on=current[key],
                )
            updates[key] = value
        if not updates:
            raise RefusedError(
                N_("{id}: the double report (双报告) is already recorded with these dates"),
                id=h.id,
            )
        node = data.get("double_report")
        if node is None:
            yamlio.rt_set(data, "double_report", updates, HAZARD_ORDER)
        else:
            for key, value in updates.items():
                yamlio.rt_set(node, key, value, DOUBLE_REPORT_ORDER)
        regulator_on = updates.get("regulator_on", current["regulator_on"])
        workers_on = updates.get("workers_on", current["workers_on"])
        return _Change(
            N_(
                "{path}: double report (双报告) recorded: regulator {regulator}, "
                "workers' congress {workers}"
            ),
            {"regulator": regulator_on or "—", "workers": workers_on or "—"},
            f"hazard {h.id}: 双报告 (double report) recorded",
        )

    return _edit_hazard(root, hazard_id, change, write)


_REPORT_LABEL = {
    "regulator_on": N_("to the regulator"),
    "workers_on": N_("to the workers' congress"),
}


def note(
    root: Path,
    hazard_id: str,
    text: str,
    on: dt.date,
    by: str | None = None,
    write: bool = True,
) -> EditResult:
    """Add a dated note to a hazard."""
    _need(text, "TEXT")

    def change(h: Hazard, data: Any, ctx: _Plan) -> _Change:
        yamlio.rt_append(data, "notes", _compact(on=on, text=text, by=by), HAZARD_ORDER)
        return _Change(
            N_("{path}: note added on {on}"),
            {"on": on},
            f"hazard {h.id}: 备注 (note) on {on}",
        )

    return _edit_hazard(root, hazard_id, change, write)


# --------------------------------------------------------------------------- new hazard


@dataclass
class NewHazard:
    """The fields of ``hazard new``; ``None`` is 'not given'."""

    title: str | None = None
    level: str | None = None
    responsible_unit: str | None = None
    source: str | None = None
    discovered_on: dt.date | None = None
    description: str | None = None
    industry: str | None = None
    enterprise: str | None = None
    credit_code: str | None = None
    enterprise_address: str | None = None
    location: str | None = None
    found_by: str | None = None
    responsible_person: str | None = None
    measures: str | None = None
    funds: str | None = None
    deadline: dt.date | None = None
    plan_person: str | None = None
    contingency_plan: str | None = None
    id: str | None = None
    notes: list[str] = field(default_factory=list)


#: Always required.
REQUIRED = ("title", "level", "responsible_unit", "source", "discovered_on")
#: The rectification plan (五落实): required for a major hazard, and all-or-nothing otherwise.
PLAN_FIELDS = ("measures", "funds", "deadline", "plan_person", "contingency_plan")


def missing_fields(new: NewHazard) -> list[str]:
    """The fields still needed, in the order a person would be asked for them."""
    out = [f for f in REQUIRED if _blank(getattr(new, f))]
    level = LEVELS.get((new.level or "").strip())
    wants_plan = level == "major" or any(not _blank(getattr(new, f)) for f in PLAN_FIELDS)
    if wants_plan:
        out += [f for f in PLAN_FIELDS if _blank(getattr(new, f))]
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def new_hazard(
    root: Path, new: NewHazard, choice: Choice | None = None, write: bool = True
) -> EditResult:
    """Register a hazard: allocate its id and write ``data/hazards/<ID>.yaml``."""
    missing = missing_fields(new)
    if missing:
        raise UsageError(
            N_("a new hazard needs {fields}: give them as options"), fields=", ".join(missing)
        )
    assert new.title and new.level and new.responsible_unit and new.source and new.discovered_on
    level = LEVELS.get(new.level.strip())
    if level is None:
        raise UsageError(
            N_("--level must be major (重大) or general (一般), not '{value}'"), value=new.level
        )
    source = SOURCES.get(new.source.strip())
    if source is None:
        raise UsageError(
            N_("--source must be one of {choices}, not '{value}'"),
            choices="self-check (排查), inspection (检查), public-report (举报), "
            "higher-inspection (上级检查)",
            value=new.source,
        )
    ctx = _plan(root)
    unit = new.responsible_unit.strip()
    check_unit(unit, ctx.unit_names)
    taken = set(hazard_ids(root))
    if new.id is not None:
        hazard_id = check_hazard_id(new.id.strip())
        if hazard_id in taken:
            raise RefusedError(
                N_("a hazard with id {id} already exists: choose another id"), id=hazard_id
            )
    else:
        hazard_id = new_hazard_id(new.discovered_on, taken, choice)
    enterprise = (
        _compact(name=new.enterprise, credit_code=new.credit_code, address=new.enterprise_address)
        if not _blank(new.enterprise)
        else None
    )
    if enterprise is None and not (_blank(new.credit_code) and _blank(new.enterprise_address)):
        raise UsageError(N_("--credit-code and --enterprise-address need --enterprise NAME"))
    plan = None
    if not _blank(new.measures):
        plan = {
            "measures": new.measures,
            "funds": new.funds,
            "deadline": new.deadline,
            "responsible_person": new.plan_person,
            "contingency_plan": new.contingency_plan,
        }
    record = _compact(
        id=hazard_id,
        title=new.title,
        description=new.description,
        level=level,
        industry=new.industry,
        enterprise=enterprise,
        location=new.location,
        discovered_on=new.discovered_on,
        source=source,
        found_by=new.found_by,
        responsible_unit=unit,
        responsible_person=new.responsible_person,
        rectification_plan=plan,
        notes=[{"on": new.discovered_on, "text": t} for t in new.notes if t.strip()],
    )
    record = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
    data = yamlio.rt_dump_new(record)
    path = root / HAZARDS_DIR / f"{hazard_id}.yaml"
    rel = path.relative_to(root).as_posix()
    _check_hazard_bytes(data, rel, hazard_id, ctx.unit_names, ())
    result = EditResult(
        (FileChange(path, rel, None, data),),
        N_("{path}: registered {id}, a {level} hazard: {title}"),
        {
            "path": rel,
            "id": hazard_id,
            "level": Fragment(N_("major") if level == "major" else N_("general")),
            "title": new.title.strip(),
        },
        f"hazard {hazard_id}: 登记 (registered) {new.title.strip()}",
        hazard_id,
    )
    return apply(result) if write else result


def check_unit(name: str, unit_names: Sequence[str]) -> str:
    """A unit named on the command line must be one of data/units.yaml's."""
    if name not in unit_names:
        found = checks.closest(name, unit_names)
        raise UsageError(
            N_(
                "unknown unit '{name}': units are written as the plan writes them "
                "(closest: {closest}; all: 'safeplan unit list')"
            ),
            name=name,
            closest="、".join(found) if found else "—",
        )
    return name


# --------------------------------------------------------------------------- renumber


def renumber(root: Path, old_id: str, new_id: str, write: bool = True) -> EditResult:
    """Give a hazard a new id: rename its file, change its id and every mention of it.

    Mentions are replaced in the hazard's own text and in data/tasks.yaml; evidence
    paths that name an existing file are left alone (the file keeps its name).
    """
    path, rel = _hazard_file(root, old_id)
    check_hazard_id(new_id)
    if new_id == old_id:
        raise UsageError(N_("the new id is the same as the old one: nothing to do"))
    for suffix in YAML_SUFFIXES:
        if (root / HAZARDS_DIR / f"{new_id}{suffix}").exists():
            raise RefusedError(
                N_("a hazard with id {id} already exists: choose another id"), id=new_id
            )
    ctx = _plan(root)
    hazard, text, problems = parse_file(path, rel, Hazard)
    if hazard is None:
        raise DataError(
            N_(
                "{path} has problems: fix them first (see 'safeplan validate'); nothing was written"
            ),
            problems,
            path=rel,
        )
    before = checks.check_hazard(hazard, new_id, ctx.unit_names)
    rt = _load_rt(path, rel, text)
    rt.data["id"] = new_id
    mentions = _replace_mentions(rt.data, old_id, new_id, root, skip=("id",))
    new_path = path.with_name(f"{new_id}{path.suffix}")
    new_rel = new_path.relative_to(root).as_posix()
    new_bytes = rt.dump()
    _check_hazard_bytes(new_bytes, new_rel, new_id, ctx.unit_names, before)
    changes = [
        FileChange(path, rel, rt.original, None),
        FileChange(new_path, new_rel, None, new_bytes),
    ]
    tasks_path = root / TASKS_FILE
    if tasks_path.is_file():
        _tasks_file, tasks_text = _load_model(root, TASKS_FILE, TasksFile, strip=2)
        if old_id in tasks_text:
            trt = _load_rt(tasks_path, TASKS_FILE.as_posix(), tasks_text)
            n = _replace_mentions(trt.data, old_id, new_id, root)
            if n:
                mentions += n
                tbytes = trt.dump()
                parsed, _, tproblems = _parse_bytes(tbytes, TASKS_FILE.as_posix(), TasksFile, 2)
                if parsed is None:
                    raise _invalid(TASKS_FILE.as_posix(), tproblems)
                changes.append(FileChange(tasks_path, TASKS_FILE.as_posix(), trt.original, tbytes))
    result = EditResult(
        tuple(changes),
        N_(
            "renumbered {old} to {new}: {path} is now {new_path} (mentions of the old id updated: {mentions})"
        ),
        {"old": old_id, "new": new_id, "path": rel, "new_path": new_rel, "mentions": mentions},
        f"hazard {old_id} → {new_id}: 重新编号 (renumbered)",
        new_id,
    )
    return apply(result) if write else result


def _replace_mentions(node: Any, old: str, new: str, root: Path, skip: Sequence[str] = ()) -> int:
    """Replace ``old`` by ``new`` in every text value under ``node``, in place."""
    count = 0
    if isinstance(node, dict):
        items: Iterable[tuple[Any, Any]] = [(k, v) for k, v in node.items() if k not in skip]
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return 0
    for key, value in items:
        if isinstance(value, str):
            if old in value and not (root / value).exists():
                node[key] = type(value)(value.replace(old, new))
                count += 1
        else:
            count += _replace_mentions(value, old, new, root)
    return count


# --------------------------------------------------------------------------- tasks


TaskChange = Callable[[Task, Any, _Plan], _Change]


def _edit_task(root: Path, number: int, change: TaskChange, write: bool) -> EditResult:
    ctx = _plan(root)
    rel = TASKS_FILE.as_posix()
    path = root / TASKS_FILE
    tasks_file, text = _load_model(root, TASKS_FILE, TasksFile, strip=2)
    numbers = [t.number for t in tasks_file.tasks]
    if number not in numbers:
        found = checks.closest(str(number), [str(n) for n in numbers])
        raise UsageError(
            N_("no task {number} in data/tasks.yaml (tasks: {first}–{last}; closest: {closest})"),
            number=number,
            first=min(numbers, default="—"),
            last=max(numbers, default="—"),
            closest="、".join(found) if found else "—",
        )
    index = numbers.index(number)
    task = tasks_file.tasks[index]
    numerals = [a.numeral for a in ctx.plan.actions]
    before = [
        f
        for f in checks.check_tasks(tasks_file.tasks, numerals, ctx.unit_names)
        if f.path[1] == index
    ]
    rt = _load_rt(path, rel, text)
    node = rt.data["tasks"][index]
    if node.get("number") != number:  # pragma: no cover - the same text parsed twice
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=rel,
        )
    done = change(task, node, ctx)
    new = rt.dump()
    parsed, new_text, problems = _parse_bytes(new, rel, TasksFile, strip=2)
    if parsed is None:
        raise _invalid(rel, problems)
    after = [
        f for f in checks.check_tasks(parsed.tasks, numerals, ctx.unit_names) if f.path[1] == index
    ]
    errors = _new_errors(before, after)
    if errors:
        raise _invalid(rel, _located(errors, rel, new_text))
    result = EditResult(
        (FileChange(path, rel, rt.original, new),),
        done.template,
        {"path": rel, "number": number, **done.params},
        done.commit,
        str(number),
    )
    return apply(result) if write else result


def task_progress(
    root: Path,
    number: int,
    text: str,
    on: dt.date,
    by: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Add a dated progress note to a task."""
    _need(text, "TEXT")

    def change(t: Task, node: Any, ctx: _Plan) -> _Change:
        entry = _compact(on=on, note=text.strip(), by=by, evidence=_evidence(evidence))
        yamlio.rt_append(node, "progress", entry, TASK_ORDER)
        return _Change(
            N_("{path}: task {number}: progress note added on {on}"),
            {"on": on},
            f"task {t.number}: 进展 (progress) on {on}",
        )

    return _edit_task(root, number, change, write)


def task_done(
    root: Path,
    number: int,
    on: dt.date,
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record that a task is done (完成)."""

    def change(t: Task, node: Any, ctx: _Plan) -> _Change:
        if t.done is not None:
            raise RefusedError(
                N_(
                    "task {number} is already done (on {on}): nothing to do; to withdraw it, "
                    "'safeplan task reopen {number} --reason …'"
                ),
                number=t.number,
                on=t.done.on,
            )
        entry = _compact(on=on, note=note, evidence=_evidence(evidence))
        yamlio.rt_set(node, "done", entry, TASK_ORDER)
        return _Change(
            N_("{path}: task {number} done on {on}"),
            {"on": on},
            f"task {t.number}: 完成 (done) on {on}",
        )

    return _edit_task(root, number, change, write)


def task_reopen(
    root: Path,
    number: int,
    on: dt.date,
    reason: str,
    write: bool = True,
) -> EditResult:
    """Withdraw a task's completion: it moves into ``reopenings`` (history is kept)."""
    _need(reason, "--reason")

    def change(t: Task, node: Any, ctx: _Plan) -> _Change:
        if t.done is None:
            raise RefusedError(
                N_("task {number} is not done, so there is nothing to reopen"), number=t.number
            )
        previous = node["done"]
        yamlio.rt_set(node, "done", None, TASK_ORDER)
        entry = {"on": on, "reason": reason.strip(), "previous": previous}
        yamlio.rt_append(node, "reopenings", entry, TASK_ORDER)
        return _Change(
            N_(
                "{path}: task {number} reopened on {on} ({reason}); its completion is kept under reopenings"
            ),
            {"on": on, "reason": reason.strip()},
            f"task {t.number}: 重新打开 (reopened): {reason.strip()}",
        )

    return _edit_task(root, number, change, write)
