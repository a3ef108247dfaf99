"""What every edit needs: the plan and its units, the file read twice (checked, round-trip),
and the check of the changed record before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from safeplan.edit.subjects import WORDS, subject
from safeplan.edit.transaction import EditResult, FileChange, apply
from safeplan.errors import DataError, RefusedError
from safeplan.models.hazards import Hazard
from safeplan.models.records import Plan, UnitsFile
from safeplan.problems import N_, Finding, Problem
from safeplan.repo import PLAN_FILE, UNITS_FILE, check_hazard_id, hazard_ids, hazard_path
from safeplan.repo.layout import confine, not_a_file
from safeplan.repo.parse import load_model, located, parse_bytes, parse_file
from safeplan.rules.cross import unknown_unit
from safeplan.rules.hazards import check_hazard
from safeplan.rules.hints import FIX_FIRST, unknown

if TYPE_CHECKING:
    from safeplan.criteria.catalog import Catalog


@dataclass
class Change:
    """What a change did: the one line that says so, and its commit message."""

    template: str
    params: dict[str, Any]
    commit: str

    def of_file(
        self,
        root: Path,
        file: tuple[Path, str],
        texts: tuple[bytes | None, bytes],
        subject_id: str,
        write: bool,
        **params: Any,
    ) -> EditResult:
        """The edit of one file (path, rel) from its old text to its new one, written under
        the lock (or only shown): every edit of one record ends here."""
        path, rel = file
        return self.of_files(
            root, (FileChange(path, rel, *texts),), subject_id, write, path=rel, **params
        )

    def of_files(
        self,
        root: Path,
        changes: tuple[FileChange, ...],
        subject_id: str,
        write: bool,
        **params: Any,
    ) -> EditResult:
        """The edit of these files, written under the lock (or only shown)."""
        result = EditResult(
            root, changes, self.template, {**params, **self.params}, self.commit, subject_id
        )
        return apply(result) if write else result


class Criteria(NamedTuple):
    catalog: Catalog
    required_from: dt.date | None


@dataclass
class Context:
    """The plan an edit is checked against."""

    root: Path
    plan: Plan
    unit_names: list[str]

    @property
    def criteria(self) -> Criteria:
        """The 判定标准 catalog (with plan/criteria.yaml) and the day a basis is required
        from: what a changed hazard's basis is checked against."""
        from safeplan.repo.snapshot import local_criteria

        return Criteria(local_criteria(self.root), self.plan.rules.basis_required_from)

    @property
    def language(self) -> str:
        return "zh" if self.plan.language.lower().startswith("zh") else "en"

    def change(self, key: str, **params: Any) -> Change:
        """What the edit ``key`` did: its line (``subjects.WORDS``) with ``params``, and its
        commit subject in the plan's language from the same parameters."""
        line = WORDS[key].line
        assert line is not None, key
        return Change(line, params, subject(self.language, key, **params))

    def refuse_before_start(self, day: dt.date, option: str = "--on") -> None:
        """What the register records was done under the plan: not before it began."""
        start = self.plan.period.start
        if day < start:
            raise RefusedError(
                N_(
                    "{option} {date} is before the plan began ({start}): check the year; "
                    "nothing was written"
                ),
                option=option,
                date=day,
                start=start,
            )


def broken(rel: str, problems: Sequence[Problem]) -> DataError:
    return DataError(FIX_FIRST, problems, path=rel)


def context(root: Path) -> Context:
    plan, _ = load_model(root, PLAN_FILE, Plan)
    units, _ = load_model(root, UNITS_FILE, UnitsFile, strip=2)
    return Context(root, plan, [u.name for u in units.units])


def unit_names(root: Path) -> list[str]:
    """The names of data/units.yaml (for checking a unit named on the command line)."""
    return context(root).unit_names


def check_unit(name: str, names: Sequence[str]) -> str:
    """A unit named on the command line must be one of data/units.yaml's."""
    if name not in names:
        raise unknown("unit", name, names)
    return name


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.code, f.template, repr(sorted((k, str(v)) for k, v in f.params.items())))


def invalid(rel: str, problems: list[Problem]) -> DataError:
    return DataError(
        N_("the edit would leave {path} invalid, so nothing was written"), problems, path=rel
    )


def new_errors(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """Errors the edit introduces (a record's old problems do not block an unrelated edit)."""
    old = {_key(f) for f in before}
    return [f for f in after if f.severity == "error" and _key(f) not in old]


def hazard_findings(
    hazard: Hazard, stem: str, names: Sequence[str], criteria: Criteria | None = None
) -> list[Finding]:
    """The rules a changed hazard must pass: within the record, its unit, and (given the
    catalog) its 判定依据."""
    out = check_hazard(hazard, stem)
    if hazard.responsible_unit not in names:
        out.append(unknown_unit(("responsible_unit",), hazard.responsible_unit, names))
    if criteria is not None:
        from safeplan.models.summary import summarize
        from safeplan.rules.criteria import check_basis

        found = check_basis(
            [summarize(hazard, stem)], lambda: criteria.catalog, criteria.required_from
        )
        out += [ff.finding for ff in found]
    return out


def check_hazard_bytes(
    data: bytes,
    rel: str,
    stem: str,
    names: Sequence[str],
    before: Sequence[Finding],
    criteria: Criteria | None = None,
) -> Hazard:
    """The changed record, validated; refused with its problems if the edit broke it."""
    parsed = parse_bytes(data, rel, Hazard)
    if not isinstance(parsed.record, Hazard):
        raise invalid(rel, parsed.problems)
    errors = new_errors(before, hazard_findings(parsed.record, stem, names, criteria))
    if errors:
        raise invalid(rel, located(errors, rel, parsed.text))
    return parsed.record


def unknown_hazard(root: Path, hazard_id: str) -> Exception:
    return unknown("hazard", hazard_id, hazard_ids(root))


def hazard_file(root: Path, hazard_id: str) -> tuple[Path, str]:
    check_hazard_id(hazard_id)
    path = hazard_path(root, hazard_id)
    rel = path.relative_to(root).as_posix()
    confine(root, rel)
    if path.is_symlink():
        raise RefusedError(
            N_("{path} is a symbolic link: safeplan edits only regular files"), path=rel
        )
    odd = not_a_file(path, rel)
    if odd is not None:
        raise odd
    if not path.is_file():
        raise unknown_hazard(root, hazard_id)
    return path, rel


def load_hazard(path: Path, rel: str) -> tuple[Hazard, str]:
    """The hazard, checked; refused if the file has problems of its own."""
    parsed = parse_file(path, rel, Hazard)
    if not isinstance(parsed.record, Hazard):
        raise broken(rel, parsed.problems)
    return parsed.record, parsed.text


def compact(**values: Any) -> dict[str, Any]:
    """A record's keys in the order given, leaving out what is not there."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != ""}


def evidence_list(evidence: Iterable[str]) -> list[str]:
    return [e for e in (x.strip() for x in evidence) if e]
