"""``county.yaml``: read with the limits of any file safeplan reads, checked by its model."""

from __future__ import annotations

from pathlib import Path

from safeplan.errors import DataError, UsageError
from safeplan.models.rollup import COUNTY_FILE, CountyFile
from safeplan.problems import N_
from safeplan.repo.layout import nearest_holding
from safeplan.repo.parse import parse_file


def find_county(start: Path, override: Path | None) -> Path:
    """The county repository: ``override`` (--root), else the nearest folder holding
    county.yaml at or above ``start``."""
    if override is not None:
        if not (override / COUNTY_FILE).is_file():
            raise UsageError(
                N_(
                    "{root} has no {file}: give the county repository's folder with --root, "
                    "or write {file} there (see docs/county.md)"
                ),
                root=str(override),
                file=COUNTY_FILE,
            )
        return override
    found = nearest_holding(start, COUNTY_FILE)
    if found is not None:
        return found
    raise UsageError(
        N_(
            "no {file} in {start} or above: run the command in the county repository, give "
            "it with --root, or write {file} (see docs/county.md)"
        ),
        start=str(start),
        file=COUNTY_FILE,
    )


def read_county(root: Path) -> CountyFile:
    """The manifest; its problems, located, stop the command (nothing can be rolled up
    without knowing the towns)."""
    parsed = parse_file(root / COUNTY_FILE, COUNTY_FILE, CountyFile)
    if parsed.record is None or not isinstance(parsed.record, CountyFile):
        raise DataError(
            N_("{file} cannot be used: fix the problems above"),
            parsed.problems,
            file=COUNTY_FILE,
        )
    return parsed.record


def town_places(root: Path, county: CountyFile) -> dict[str, tuple[int, int]]:
    """Where each town's source is written in county.yaml (line, column), by area code: a
    problem of a town's folder is the manifest's to fix, at that line."""
    from safeplan.yamlio import Locator, YamlProblem, read_text

    try:
        locator = Locator(read_text(root / COUNTY_FILE))
    except (OSError, YamlProblem):
        return {}
    return {
        t.code: locator.find(("towns", i, "git" if t.git is not None else "path"))
        for i, t in enumerate(county.towns)
    }
