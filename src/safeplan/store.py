"""Finding the plan root and loading every file into a Repository plus its Problems.

Never prints. Hazard files are parsed in parallel (one chunk in this process, the
rest in worker processes) and come back as small summaries and problems, not
models: shipping models back is slower than parsing them.
"""

from __future__ import annotations

import difflib
import gc
import os
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
from safeplan.problems import N_, Problem
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

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def unit_names(self) -> list[str]:
        return [u.name for u in self.units]


# --------------------------------------------------------------------------- root


def find_root(start: Path, override: Path | None = None) -> Path:
    """The plan root: ``override`` if given, else the nearest ancestor with plan/plan.yaml."""
    if override is not None:
        root = override.expanduser().resolve()
        if not (root / PLAN_FILE).is_file():
            raise UsageError(
                N_("{root} is not a plan root: it has no plan/plan.yaml (run 'safeplan init')"),
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
            "use --root, set SAFEPLAN_ROOT, or run 'safeplan init'"
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
    parts = [str(p) for p in loc[strip:] if isinstance(p, str)]
    return ".".join(parts)


_KNOWN_FIELDS: set[str] = set()


def _known_fields() -> set[str]:
    if not _KNOWN_FIELDS:
        from safeplan import models

        for obj in vars(models).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel):
                _KNOWN_FIELDS.update(obj.model_fields)
    return _KNOWN_FIELDS


def _error_to_problem(err: Any, rel: str, locator: Locator, strip: int) -> Problem:
    from safeplan.problems import Fragment

    loc: tuple[str | int, ...] = tuple(err["loc"])
    typ: str = err["type"]
    name = _field(loc, strip)
    value = err.get("input")
    at_key = False
    where = loc
    params: dict[str, Any] = {"field": name}
    if typ == "missing":
        where = loc[:-1]
        at_key = True
        template = N_("missing required field '{field}': add it")
        params["field"] = str(loc[-1])
    elif typ == "extra_forbidden":
        at_key = True
        template = N_("unknown field '{field}': remove it or correct its spelling{hint}")
        params["field"] = str(loc[-1])
        close = difflib.get_close_matches(str(loc[-1]), _known_fields(), n=1, cutoff=0.6)
        params["hint"] = (
            Fragment(N_(" (did you mean '{name}'?)"), {"name": close[0]}) if close else ""
        )
    elif typ.startswith("date_"):
        template = N_("'{field}' is not a valid date ({value}): write a real date as YYYY-MM-DD")
        params["value"] = value
    elif typ == "string_type":
        template = N_("'{field}' must be text, not {kind}: put the value in quotes")
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "string_too_short":
        template = N_("'{field}' is empty: write a value or remove the key")
    elif typ == "string_pattern_mismatch":
        template = N_("'{field}' has the wrong form ('{value}'): it must match {pattern}")
        params["value"] = value
        params["pattern"] = err.get("ctx", {}).get("pattern", "")
    elif typ == "literal_error":
        template = N_("'{field}' must be one of {expected}, not '{value}'")
        params["expected"] = err.get("ctx", {}).get("expected", "")
        params["value"] = value
    elif typ == "list_type":
        template = N_("'{field}' must be a list, not {kind}")
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ in ("model_type", "dict_type", "model_attributes_type"):
        if not name:
            template = (
                N_("the file is empty: it must hold a mapping of keys and values")
                if value is None
                else N_("the file must hold a mapping of keys and values, not {kind}")
            )
        else:
            template = N_("'{field}' must be a mapping of keys and values, not {kind}")
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ in ("int_type", "int_parsing", "int_from_float"):
        template = N_("'{field}' must be a whole number, not '{value}'")
        params["value"] = value
    elif typ in ("bool_type", "bool_parsing"):
        template = N_("'{field}' must be true or false, not '{value}'")
        params["value"] = value
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
        return None, text, [_error_to_problem(e, rel, locator, strip) for e in exc.errors()]


# --------------------------------------------------------------------------- hazards


def _hazard_one(
    path: Path, rel: str, unit_names: Sequence[str]
) -> tuple[HazardSummary | None, list[Problem]]:
    hazard, text, problems = parse_file(path, rel, Hazard)
    if hazard is None:
        return None, problems
    findings = checks.check_hazard(hazard, path.stem, unit_names)
    if findings:
        locator = Locator(text)
        problems = [_finding_to_problem(f, rel, locator) for f in findings]
    return summarize(hazard, rel), problems


def _hazard_chunk(
    items: Sequence[tuple[str, str]], unit_names: Sequence[str]
) -> list[tuple[HazardSummary | None, list[Problem]]]:
    return [_hazard_one(Path(p), rel, unit_names) for p, rel in items]


def hazard_files(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The hazard files to load (path, relative name) and problems with the folder itself."""
    folder = root / HAZARDS_DIR
    out: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return out, problems
    real_root = root.resolve()
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        rel = f"{HAZARDS_DIR.as_posix()}/{name}"
        if name.startswith("."):
            continue
        if not name.endswith(YAML_SUFFIXES):
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "not-yaml",
                    N_("not a YAML file (.yaml): skipped; move it out of data/hazards/"),
                    severity="warning",
                )
            )
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
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
        out.append((path, rel))
    return out, problems


def load_hazards(
    files: Sequence[tuple[Path, str]], unit_names: Sequence[str], workers: int | None = None
) -> list[tuple[HazardSummary | None, list[Problem]]]:
    items = [(str(p), rel) for p, rel in files]
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1 or len(items) < PARALLEL_THRESHOLD:
        return _hazard_chunk(items, unit_names)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in mp.get_all_start_methods() else None
    size = -(-len(items) // n)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(
        max_workers=len(chunks) - 1, mp_context=mp.get_context(method)
    ) as pool:
        futures = [pool.submit(_hazard_chunk, c, list(unit_names)) for c in chunks[1:]]
        results = _hazard_chunk(chunks[0], unit_names)
        for fut in futures:
            results.extend(fut.result())
    return results


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

    paths, folder_problems = hazard_files(root)
    problems.extend(folder_problems)
    files += len(paths)
    hazards: list[HazardSummary] = []
    # Without units.yaml every unit would be "unknown": check references only when it loaded.
    names_for_hazards = unit_names if units_file is not None else _AnyName()
    seen: dict[str, str] = {}
    for summary, found in load_hazards(paths, names_for_hazards, workers):
        if units_file is None:
            found = [p for p in found if p.code != "unknown-unit"]
        problems.extend(found)
        if summary is None:
            continue
        first = seen.get(summary.id)
        if first is not None:
            locator = Locator(read_text(root / summary.path))
            line, column = locator.find(("id",))
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
    return Repository(root, plan, units, tasks, hazards, problems, files)


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
    return parse_file(path, rel, Hazard)
