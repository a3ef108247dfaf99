"""Finding the plan root and loading every file into a Repository plus its Problems.

Never prints. Hazard files are parsed in parallel (one chunk in this process, the
rest in worker processes) and come back as small summaries and problems, not
models: shipping models back is slower than parsing them.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from safeplan import checks
from safeplan.errors import UsageError
from safeplan.models import (
    HAZARD_ID_RE,
    Hazard,
    HazardSummary,
    Plan,
    Task,
    TasksFile,
    Unit,
    UnitsFile,
    summarize,
)
from safeplan.problems import N_, Choices, Problem
from safeplan.yamlio import Locator, YamlProblem, load_fast, read_text

PLAN_FILE = Path("plan/plan.yaml")
UNITS_FILE = Path("data/units.yaml")
TASKS_FILE = Path("data/tasks.yaml")
HAZARDS_DIR = Path("data/hazards")
YAML_SUFFIXES = (".yaml", ".yml")
#: Below this many hazard files one process is faster than starting workers.
PARALLEL_THRESHOLD = 400

M = TypeVar("M", bound=BaseModel)


@dataclass
class Repository:
    """Everything loaded from one plan root, with every problem found on the way."""

    root: Path
    plan: Plan | None
    units: list[Unit]
    tasks: list[Task]
    hazards: list[HazardSummary]
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    #: Hazard files that could not be loaded (their problems say why): not in ``hazards``.
    unreadable_hazards: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def unit_names(self) -> list[str]:
        return [u.name for u in self.units]


# --------------------------------------------------------------------------- root


def find_root(start: Path, override: Path | None = None) -> Path:
    """The plan root: ``override`` if given, else the nearest ancestor with plan/plan.yaml."""
    if override is not None:
        root = override.expanduser().resolve()
        if not (root / PLAN_FILE).is_file():
            raise UsageError(
                N_(
                    "{root} is not a plan root: it has no plan/plan.yaml (see the README for the files)"
                ),
                root=str(root),
            )
        return root
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / PLAN_FILE).is_file():
            return folder
    raise UsageError(
        N_(
            "no plan found: neither {start} nor a folder above it has plan/plan.yaml; "
            "go to the plan's folder, or use --root or SAFEPLAN_ROOT"
        ),
        start=str(here),
    )


# --------------------------------------------------------------------------- one file

_KIND_NAMES = {
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a mapping"),
    type(None): N_("empty"),
    str: N_("text"),
}


def _field(loc: Sequence[str | int], strip: int) -> str:
    """A field's path as messages show it: ``supervision[0].level``, ``notes[1]``."""
    out = ""
    # Inside an entry of tasks.yaml or units.yaml the 'tasks[3].' prefix is noise (the line
    # says which task); for the list itself or a whole entry it is the only name there is.
    for p in loc[strip:] if len(loc) > strip else loc:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


_KNOWN_FIELDS: set[str] = set()


def _known_fields() -> set[str]:
    if not _KNOWN_FIELDS:
        from safeplan import models

        for obj in vars(models).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel):
                _KNOWN_FIELDS.update(obj.model_fields)
    return _KNOWN_FIELDS


def _fields_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> Iterable[str]:
    """The field names allowed where ``loc`` points (all known fields if that is unclear)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return _known_fields()
        info = current.model_fields.get(part)
        if info is None:
            return _known_fields()
        # Unwrap Optional[...] and list[...] down to the model inside, if any.
        current = info.annotation
        for _ in range(4):
            inner = [
                a
                for a in typing.get_args(current)
                if isinstance(a, type) and issubclass(a, BaseModel)
            ]
            if inner:
                current = inner[0]
                break
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if len(args) != 1:
                break
            current = args[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current.model_fields
    return _known_fields()


#: What a field's pattern asks for, in words (a regular expression helps no one).
_PATTERN_WORDS = {
    HAZARD_ID_RE.pattern: N_(
        "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters"
    ),
    r"^[0-9A-HJ-NPQRTUWXY]{18}$": N_("18 digits and capital letters (no I, O, S, V or Z)"),
}
#: Values quoted in messages are cut to this many characters.
_VALUE_CHARS = 60


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


#: Words people write for a coded value (in Chinese, or the English for a Chinese code).
_SYNONYMS = {
    "重大": "major",
    "一般": "general",
    "自查": "self-check",
    "排查": "self-check",
    "检查": "inspection",
    "举报": "public-report",
    "上级检查": "higher-inspection",
    "合格": "passed",
    "通过": "passed",
    "不合格": "failed",
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "town": "镇级",
    "季度": "quarter",
    "每季度": "quarter",
    "每月": "month",
    "月": "month",
    "半年": "half-year",
    "年": "year",
}


def _error_to_problem(
    err: Any, rel: str, locator: Locator, strip: int, model: type[BaseModel] | None = None
) -> Problem:
    from safeplan.problems import Fragment

    loc: tuple[str | int, ...] = tuple(err["loc"])
    typ: str = err["type"]
    name = _field(loc, strip)
    value = err.get("input")
    ctx = err.get("ctx", {})
    at_key = False
    where = loc
    params: dict[str, Any] = {"field": name}
    if typ == "missing":
        where = loc[:-1]
        at_key = True
        template = N_("missing required field '{field}': add it")
    elif typ in ("extra_forbidden", "invalid_key"):
        at_key = True
        template = N_("unknown field '{field}': remove it or correct its spelling{hint}")
        params["field"] = str(loc[-1])
        close = difflib.get_close_matches(
            str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6
        )
        params["hint"] = (
            Fragment(N_(" (did you mean '{name}'?)"), {"name": close[0]}) if close else ""
        )
    elif typ.startswith("date_"):
        template = N_("'{field}' is not a valid date ({value}): write a real date as YYYY-MM-DD")
        params["value"] = _shown(value)
    elif typ == "string_too_short" or (typ == "string_type" and value is None):
        template = N_("'{field}' is empty: write a value, or remove the key if it is optional")
    elif typ == "string_type":
        template = N_("'{field}' must be text, not {kind}: put the value in quotes")
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        params["value"] = _shown(value)
        if pattern in _PATTERN_WORDS:
            template = N_("'{field}' has the wrong form ('{value}'): it must be {form}")
            params["form"] = Fragment(_PATTERN_WORDS[pattern])
        else:
            template = N_("'{field}' has the wrong form ('{value}'): it must match {pattern}")
            params["pattern"] = pattern
    elif typ == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        meant = _SYNONYMS.get(value.strip()) if isinstance(value, str) else None
        template = (
            N_("'{field}' must be one of {expected}, not '{value}': write '{meant}'")
            if meant in choices
            else N_("'{field}' must be one of {expected}, not '{value}'")
        )
        params["expected"] = Choices(choices)
        params["value"] = _shown(value)
        params["meant"] = meant
    elif typ == "list_type":
        template = N_(
            "'{field}' must be a list, not {kind}: write it as [a, b] "
            "or as lines starting with '- '"
        )
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "too_short" and ctx.get("actual_length") == 0:
        template = N_("'{field}' is an empty list: add at least one entry")
    elif typ in ("model_type", "dict_type", "model_attributes_type"):
        if not name:
            template = (
                N_("the file is empty: it must hold a mapping of keys and values")
                if value is None
                else N_(
                    "the file must hold a mapping of keys and values, not {kind}: "
                    "write each field as 'key: value' on a line of its own"
                )
            )
        else:
            template = N_(
                "'{field}' must be a mapping of keys and values, not {kind}: "
                "write its fields as 'key: value' lines indented below it"
            )
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ in ("int_type", "int_parsing", "int_from_float"):
        template = N_("'{field}' must be a whole number, not '{value}'")
        params["value"] = _shown(value)
    elif typ in ("greater_than_equal", "less_than_equal"):
        if typ == "greater_than_equal":
            template = N_("'{field}' must be {limit} or more, not {value}")
            params["limit"] = ctx.get("ge", "")
        else:
            template = N_("'{field}' must be {limit} or less, not {value}")
            params["limit"] = ctx.get("le", "")
        params["value"] = _shown(value)
    elif typ in ("bool_type", "bool_parsing"):
        template = N_("'{field}' must be true or false, not '{value}'")
        params["value"] = _shown(value)
    else:
        template = N_("'{field}': {detail}")
        params["detail"] = err.get("msg", typ)
    line, column = locator.find(where, at_key=at_key)
    return Problem(rel, line, column, f"schema-{typ}".replace("_", "-"), template, params)


def _finding_to_problem(f: checks.Finding, rel: str, locator: Locator) -> Problem:
    line, column = locator.find(f.path, at_key=f.at_key)
    return Problem(rel, line, column, f.code, f.template, f.params, f.severity)


def _yaml_problem(exc: YamlProblem, rel: str) -> Problem:
    return Problem(rel, exc.line, exc.column, exc.code, exc.template, exc.params)


def parse_file(
    path: Path, rel: str, model: type[M], strip: int = 0
) -> tuple[M | None, str, list[Problem]]:
    """Read, parse and validate one file: (model or None, text, problems)."""
    try:
        text = read_text(path)
        data = load_fast(text)
    except YamlProblem as exc:
        return None, "", [_yaml_problem(exc, rel)]
    except OSError as exc:
        return (
            None,
            "",
            [
                Problem(
                    rel,
                    1,
                    1,
                    "unreadable",
                    N_("cannot read the file: {reason}"),
                    {"reason": exc.strerror},
                )
            ],
        )
    try:
        return model.model_validate(data), text, []
    except ValidationError as exc:
        locator = Locator(text)
        return (
            None,
            text,
            [_error_to_problem(e, rel, locator, strip, model) for e in exc.errors()],
        )


# --------------------------------------------------------------------------- hazards


def _hazard_one(
    path: str, rel: str, unit_names: Sequence[str]
) -> tuple[HazardSummary | None, list[Problem]]:
    # The common case first, without Path objects (they cost as much as the checks).
    # Anything wrong goes through parse_file, which says what and where.
    problems: list[Problem] = []
    text = ""
    try:
        text = read_text(path)
        hazard = Hazard.model_validate(load_fast(text))
    except (OSError, YamlProblem, ValidationError):
        found, text, problems = parse_file(Path(path), rel, Hazard)
        if found is None:
            if text:  # the YAML is sound, the record is not: still check its references
                refs = checks.check_hazard_data(load_fast(text), _stem(path), unit_names)
                if refs:
                    locator = Locator(text)
                    problems += [_finding_to_problem(f, rel, locator) for f in refs]
                    problems.sort(key=Problem.sort_key)
            return None, problems
        hazard = found
    findings = checks.check_hazard(hazard, _stem(path), unit_names)
    if findings:
        locator = Locator(text)
        problems = [_finding_to_problem(f, rel, locator) for f in findings]
    return summarize(hazard, rel), problems


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _hazard_chunk(
    items: Sequence[tuple[str, str]], unit_names: Sequence[str]
) -> list[tuple[HazardSummary | None, list[Problem]]]:
    return [_hazard_one(p, rel, unit_names) for p, rel in items]


_MISNAMED = re.compile(r"^(?P<stem>[^/]+?)\.(?:ya?ml)(?:\.[A-Za-z0-9]+)*$", re.IGNORECASE)


def _not_yaml(rel: str, name: str, names: set[str]) -> Problem:
    """A file in data/hazards/ that is not read: an error if it looks like a misnamed record.

    Notepad saves 'HZ-….yaml.txt', some tools write '.YAML': such a hazard would silently
    drop out of the register, so it blocks; anything else (a photo, notes) only warns.
    """
    m = _MISNAMED.match(name)
    if m and m.group("stem") + ".yaml" in names:
        return Problem(
            rel,
            1,
            1,
            "copy",
            N_("a copy of {name} (a backup or a merge leftover?): not read; remove it"),
            {"name": m.group("stem") + ".yaml"},
            severity="warning",
        )
    if m:
        return Problem(
            rel,
            1,
            1,
            "misnamed",
            N_(
                "looks like a hazard record but is not named .yaml, so it is not read: rename it to {name}"
            ),
            {"name": m.group("stem") + ".yaml"},
        )
    return Problem(
        rel,
        1,
        1,
        "not-yaml",
        N_(
            "not a YAML file (.yaml): skipped; if it is a hazard record, rename it to end in "
            ".yaml, otherwise move it out of data/hazards/"
        ),
        severity="warning",
    )


def _hazard_entries(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The hazard files to load (path, relative name) and problems with the folder itself.

    Paths stay text: 10,000 Path objects cost a quarter of a second.
    """
    folder = root / HAZARDS_DIR
    out: list[tuple[str, str]] = []
    problems: list[Problem] = []
    rel_folder = HAZARDS_DIR.as_posix()
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            problems.append(
                Problem(
                    rel_folder,
                    1,
                    1,
                    "not-a-folder",
                    N_("{path} must be a folder of hazard files: move this file away"),
                    {"path": rel_folder},
                )
            )
        return out, problems
    real_root = root.resolve()
    real_folder = folder.resolve()
    if not real_folder.is_relative_to(real_root):
        problems.append(
            Problem(
                rel_folder,
                1,
                1,
                "symlink-outside",
                N_(
                    "symbolic link to {target}, outside the plan root: refused; "
                    "copy the file into the plan instead"
                ),
                {"target": str(real_folder)},
            )
        )
        return out, problems
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    names = {e.name for e in entries}
    for entry in entries:
        name = entry.name
        rel = f"{rel_folder}/{name}"
        if name.startswith("."):
            continue
        if not name.endswith(YAML_SUFFIXES):
            problems.append(_not_yaml(rel, name, names))
            continue
        if entry.is_symlink():
            try:
                target = Path(entry.path).resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(
                    Problem(rel, 1, 1, "bad-symlink", N_("broken symbolic link: remove it"))
                )
                continue
            if not target.is_relative_to(real_root):
                problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "symlink-outside",
                        N_(
                            "symbolic link to {target}, outside the plan root: refused; "
                            "copy the file into the plan instead"
                        ),
                        {"target": str(target)},
                    )
                )
                continue
        if not entry.is_file():
            problems.append(
                Problem(
                    rel, 1, 1, "not-a-file", N_("not a regular file: skipped"), severity="warning"
                )
            )
            continue
        out.append((entry.path, rel))
    return out, problems


def hazard_ids(root: Path) -> list[str]:
    """The ids of the hazard files present, by file name (for 'closest' hints and new ids)."""
    folder = root / HAZARDS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p.stem for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
    )


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: In a worker process: the shared chunk counter, the chunks and the unit names
#: (inherited when the worker starts, not sent with each task).
_WORK: tuple[Any, list[list[tuple[str, str]]], Sequence[str]] | None = None


def _set_work(counter: Any, chunks: list[list[tuple[str, str]]], names: Sequence[str]) -> None:
    global _WORK
    _WORK = (counter, chunks, names)


def _take_chunks(
    counter: Any, chunks: list[list[tuple[str, str]]], unit_names: Sequence[str]
) -> list[tuple[int, list[tuple[HazardSummary | None, list[Problem]]]]]:
    """Load chunks until none is left, taking the next one from the shared counter."""
    done: list[tuple[int, list[tuple[HazardSummary | None, list[Problem]]]]] = []
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(chunks):
            return done
        done.append((i, _hazard_chunk(chunks[i], unit_names)))


def _worker_take() -> list[tuple[int, list[tuple[HazardSummary | None, list[Problem]]]]]:
    assert _WORK is not None
    return _take_chunks(*_WORK)


def load_hazards(
    files: Sequence[tuple[Path | str, str]], unit_names: Sequence[str], workers: int | None = None
) -> list[tuple[HazardSummary | None, list[Problem]]]:
    """Load hazard files, in worker processes and this one, in the order given.

    The files are cut into small chunks that each process takes in turn from a shared
    counter, so a process slowed down (by a busy machine) does less of the work.
    """
    items = [(str(p), rel) for p, rel in files]
    n = workers if workers is not None else _cpus()
    if n <= 1 or len(items) < PARALLEL_THRESHOLD:
        return _hazard_chunk(items, unit_names)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    size = min(max(len(items) // (n * 16), 50), 500)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    counter = ctx.Value("i", 0)
    by_chunk: dict[int, list[tuple[HazardSummary | None, list[Problem]]]] = {}
    with ProcessPoolExecutor(
        max_workers=n - 1,
        mp_context=ctx,
        initializer=_set_work,
        initargs=(counter, chunks, unit_names),
    ) as pool:
        futures = [pool.submit(_worker_take) for _ in range(n - 1)]
        by_chunk.update(_take_chunks(counter, chunks, unit_names))
        for fut in futures:
            by_chunk.update(fut.result())
    return [r for i in range(len(chunks)) for r in by_chunk[i]]


# --------------------------------------------------------------------------- everything


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def load(root: Path, workers: int | None = None) -> Repository:
    """Load and check every file of a plan root. Problems are collected, never raised."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a big load creates millions of objects; the collector would rescan them
    try:
        return _load(root, workers)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(root: Path, workers: int | None) -> Repository:
    problems: list[Problem] = []
    files = 0

    def one(rel_path: Path, model: type[M], strip: int = 0) -> tuple[M | None, str]:
        nonlocal files
        path = root / rel_path
        rel = rel_path.as_posix()
        if not path.is_file():
            problems.append(
                Problem(
                    rel, 1, 1, "missing-file", N_("file is missing: create it (see the README)")
                )
            )
            return None, ""
        files += 1
        obj, text, found = parse_file(path, rel, model, strip)
        problems.extend(found)
        return obj, text

    plan, plan_text = one(PLAN_FILE, Plan)
    units_file, units_text = one(UNITS_FILE, UnitsFile, strip=2)
    tasks_file, tasks_text = one(TASKS_FILE, TasksFile, strip=2)
    units = units_file.units if units_file else []
    tasks = tasks_file.tasks if tasks_file else []
    unit_names = [u.name for u in units]

    def add(found: Iterable[checks.Finding], rel_path: Path, text: str) -> None:
        found = list(found)
        if found:
            locator = Locator(text)
            problems.extend(_finding_to_problem(f, rel_path.as_posix(), locator) for f in found)

    if plan is not None:
        add(checks.check_plan(plan), PLAN_FILE, plan_text)
    if units_file is not None:
        add(checks.check_units(units), UNITS_FILE, units_text)
    if tasks_file is not None and plan is not None and units_file is not None:
        numerals = [a.numeral for a in plan.actions]
        add(checks.check_tasks(tasks, numerals, unit_names), TASKS_FILE, tasks_text)

    paths, folder_problems = _hazard_entries(root)
    problems.extend(folder_problems)
    files += len(paths)
    hazards: list[HazardSummary] = []
    # Without units.yaml every unit would be "unknown": check references only when it loaded.
    names_for_hazards = unit_names if units_file is not None else _AnyName()
    seen: dict[str, str] = {}
    unreadable: list[str] = []
    for summary, found in load_hazards(paths, names_for_hazards, workers):
        if units_file is None:
            found = [p for p in found if p.code != "unknown-unit"]
        problems.extend(found)
        if summary is None:
            unreadable.append(found[0].path if found else "")
            continue
        first = seen.get(summary.id)
        if first is not None:
            try:
                line, column = Locator(read_text(root / summary.path)).find(("id",))
            except (OSError, YamlProblem):  # changed or vanished since it was parsed
                line, column = 1, 1
            problems.append(
                Problem(
                    summary.path,
                    line,
                    column,
                    "duplicate-hazard",
                    N_("hazard id '{id}' is also used by {other}: give each hazard its own id"),
                    {"id": summary.id, "other": first},
                )
            )
            continue
        seen[summary.id] = summary.path
        hazards.append(summary)

    problems.sort(key=Problem.sort_key)
    return Repository(root, plan, units, tasks, hazards, problems, files, unreadable)


class _AnyName(list[str]):
    """A unit list that contains every name (used when units.yaml itself failed to load)."""

    def __contains__(self, item: object) -> bool:
        return True


# --------------------------------------------------------------------------- one hazard


def check_hazard_id(hazard_id: str) -> str:
    """Refuse ids that are not safe as file names (``../../etc/passwd`` and friends)."""
    if not HAZARD_ID_RE.match(hazard_id):
        raise UsageError(
            N_(
                "'{id}' is not a hazard id: ids use letters, digits, '.', '_' and '-' "
                "and start with a letter or digit"
            ),
            id=hazard_id,
        )
    return hazard_id


def hazard_path(root: Path, hazard_id: str) -> Path:
    check_hazard_id(hazard_id)
    for suffix in YAML_SUFFIXES:
        path = root / HAZARDS_DIR / f"{hazard_id}{suffix}"
        if path.exists():
            return path
    return root / HAZARDS_DIR / f"{hazard_id}.yaml"


def load_hazard(root: Path, hazard_id: str) -> tuple[Hazard | None, str, list[Problem]]:
    """One hazard in full (for show and edits): (model or None, relative path, problems)."""
    path = hazard_path(root, hazard_id)
    rel = _rel(root, path)
    hazard, _text, problems = parse_file(path, rel, Hazard)
    return hazard, rel, problems
