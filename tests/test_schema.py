"""The JSON Schema of the plan's files: committed as exported, in Chinese, and checked by an
independent validator (check-jsonschema) against the shipped data and the invalid corpus."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_PLAN
from safeplan.cli import app
from safeplan.dates import DATE_MAX, DATE_MIN
from safeplan.schema import modeline
from safeplan.schema.export import DATE_PATTERN, DRAFT, schema, schema_files
from safeplan.schema.export import missing_texts as missing
from test_invalid_corpus import INVALID, VALID, build_tree

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")

#: The invalid corpus cases that a schema can see: a field unknown, missing, of the wrong
#: type or form, a value not allowed. The other cases are YAML that does not parse (or
#: that safeplan refuses, such as aliases, though a YAML reader takes them), rules across
#: fields or files (dates in order, units that exist, duplicate ids), and encodings.
SCHEMA_LEVEL = [
    "comment-only-file",
    "control-character-in-title",
    "credit-code-wrong-form",
    "date-out-of-range",
    "date-unix-timestamp",
    "date-with-a-time",
    "date-without-leading-zeros",
    "date-wrong-form",
    "empty-file",
    "empty-value",
    "hazard-id-wrong-form",
    "id-ends-with-a-dot",
    "impossible-date",
    "invisible-only-value",
    "list-where-map-belongs",
    "long-value-cut-short",
    "missing-required-fields",
    "numeric-key",
    "plan-rule-out-of-range",
    "progress-entry-not-a-mapping",
    "reserved-id-name",
    "scalar-file",
    "schema-error-with-bad-references",
    "task-number-zero",
    "task-without-units",
    "unknown-field",
    "unknown-field-in-task",
    "unquoted-credit-code",
    "utf8-bom-crlf-with-errors",
    "value-not-allowed",
    "wrong-type-in-hazard",
    "wrong-types",
    "yes-no-are-not-booleans",
]


def _check(schema_file: Path, files: list[Path], *args: str) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.exists():
        pytest.fail("check-jsonschema is not installed: make install (it is a dev dependency)")
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), *args, "--schemafile", str(schema_file), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def _files(root: Path) -> dict[str, list[Path]]:
    """The files of a plan by the schema that covers them."""
    found = {
        "plan": [root / "plan" / "plan.yaml"],
        "units": [root / "data" / "units.yaml"],
        "tasks": [root / "data" / "tasks.yaml"],
        "hazard": sorted((root / "data" / "hazards").glob("*.y*ml")),
    }
    return {kind: [f for f in files if f.is_file()] for kind, files in found.items()}


def _rejected_files(files: dict[str, list[Path]]) -> set[Path]:
    """The files check-jsonschema rejects, one run for each schema (it starts slowly)."""
    out: set[Path] = set()
    for kind, paths in files.items():
        if not paths:
            continue
        result = _check(SCHEMAS / f"{kind}.schema.json", paths, "-o", "json")
        report = json.loads(result.stdout)
        found = [e["filename"] for e in report.get("errors", []) + report.get("parse_errors", [])]
        out |= {Path(name).resolve() for name in found}
        assert (result.returncode == 0) == (not found), result.stdout + result.stderr
    return out


def _rejected(root: Path) -> list[str]:
    bad = _rejected_files(_files(root))
    return [kind for kind, paths in _files(root).items() if any(p.resolve() in bad for p in paths)]


@pytest.fixture(scope="module")
def corpus_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    """Each invalid case: whether check-jsonschema rejected any of its files."""
    base = tmp_path_factory.mktemp("corpus")
    trees = {case: build_tree(INVALID / case, base / case) for case in SCHEMA_LEVEL}
    every: dict[str, list[Path]] = {}
    for root in trees.values():
        for kind, paths in _files(root).items():
            every.setdefault(kind, []).extend(paths)
    bad = _rejected_files(every)
    return {
        case: any(p.resolve() in bad for paths in _files(root).values() for p in paths)
        for case, root in trees.items()
    }


# --------------------------------------------------------------------------- the export


def test_committed_schemas_equal_a_fresh_export() -> None:
    """After a change of the models: `make schemas`, then read the diff and commit it."""
    fresh = schema_files()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(fresh)
    for name, data in fresh.items():
        assert (SCHEMAS / name).read_bytes() == data, f"schemas/{name} is stale: run make schemas"


def test_every_record_and_field_has_its_chinese() -> None:
    assert missing() == []


def test_schemas_are_draft_07_with_chinese_kept() -> None:
    for name, data in schema_files().items():
        text = data.decode("utf-8")
        doc = json.loads(text)
        assert doc["$schema"] == DRAFT
        assert "$defs" not in text and "#/$defs/" not in text  # draft-07 says definitions
        assert re.search("[\u4e00-\u9fff]", text), name  # Chinese as it is, not escaped
        assert not re.search(r"\\u[4-9][0-9a-f]{3}", text), name
        assert not re.search("[\x00-\x1f\x7f-\x9f\u200b\ufeff]", text.replace("\n", "")), name
    hazard = schema("hazard")
    assert hazard["title"] == "隐患"
    level = hazard["properties"]["level"]
    assert level["title"] == "隐患等级"
    assert level["enum"] == ["major", "general"]
    assert level["enumDescriptions"] == ["重大事故隐患", "一般隐患"]
    assert "major（重大事故隐患）" in level["description"]
    enterprise = hazard["properties"]["enterprise"]
    assert enterprise["title"] == "企业" and "anyOf" in enterprise
    assert hazard["definitions"]["Enterprise"]["properties"]["credit_code"]["examples"]


def test_a_described_reference_is_wrapped_in_all_of() -> None:
    """Draft-07 ignores the words beside a $ref: they would never show in an editor."""
    period = schema("plan")["properties"]["period"]
    assert "$ref" not in period
    assert period["allOf"] == [{"$ref": "#/definitions/Period"}]
    assert period["title"] == "实施期限"


def test_no_english_docstring_leaks_into_the_schema() -> None:
    for data in schema_files().values():
        doc = json.loads(data)
        for body in [doc, *doc.get("definitions", {}).values()]:
            assert re.search("[\u4e00-\u9fff]", body["description"]), body["description"]


def test_the_date_pattern_is_safeplans_range() -> None:
    pattern = re.compile(DATE_PATTERN)
    assert pattern.fullmatch(DATE_MIN.isoformat()) and pattern.fullmatch(DATE_MAX.isoformat())
    assert not pattern.fullmatch((DATE_MIN - dt.timedelta(days=1)).isoformat())
    assert not pattern.fullmatch((DATE_MAX + dt.timedelta(days=1)).isoformat())


@pytest.mark.slow  # check-jsonschema runs as a process
def test_the_schemas_are_valid_draft_07() -> None:
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--check-metaschema", *map(str, sorted(SCHEMAS.glob("*.json")))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- check-jsonschema


@pytest.mark.slow  # check-jsonschema runs as a process
def test_check_jsonschema_accepts_the_shipped_plan() -> None:
    files = _files(FIXTURE_PLAN)
    assert files["plan"] and files["units"] and files["tasks"]
    for kind, paths in files.items():
        if paths:
            result = _check(SCHEMAS / f"{kind}.schema.json", paths)
            assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # check-jsonschema runs as a process
def test_check_jsonschema_accepts_the_valid_minimal_plan_and_old_levels() -> None:
    """valid-minimal writes its supervision level 县级, as older files did."""
    assert "level: 县级" in (VALID / "data/hazards/HZ-20240315-A7K2.yaml").read_text("utf-8")
    assert _rejected(VALID) == []


@pytest.mark.slow  # check-jsonschema runs as a process
@pytest.mark.parametrize("case", SCHEMA_LEVEL)
def test_check_jsonschema_rejects_the_schema_level_cases(
    case: str, corpus_verdicts: dict[str, bool]
) -> None:
    assert corpus_verdicts[case], f"{case}: check-jsonschema accepted it"


def test_the_schema_level_list_names_real_cases() -> None:
    assert set(SCHEMA_LEVEL) <= {p.name for p in INVALID.iterdir() if p.is_dir()}


@pytest.mark.slow  # check-jsonschema runs as a process
def test_a_hazard_written_by_safeplan_passes_check_jsonschema(
    runner: CliRunner, plan_root: Path
) -> None:
    shutil.copytree(SCHEMAS, plan_root / "schemas")
    result = runner.invoke(app, [*NEW_HAZARD, "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    (path,) = (plan_root / "data" / "hazards").glob("*.yaml")
    assert _check(SCHEMAS / "hazard.schema.json", [path]).returncode == 0


# --------------------------------------------------------------------------- the first line

NEW_HAZARD = [
    "hazard", "new", "--title", "加油站卸油区静电接地装置损坏", "--level", "general",
    "--unit", "镇安监站", "--source", "inspection", "--discovered", "2024-09-02",
    "--deadline", "2024-09-30", "--credit-code", "91150400MA0N1234XL",
    "--enterprise", "某镇某加油站",
]  # fmt: skip


def test_modeline_is_relative_to_the_file() -> None:
    assert modeline("data/hazards/HZ-20240315-A7K2.yaml") == (
        "# yaml-language-server: $schema=../../schemas/hazard.schema.json\n"
    )
    assert modeline("plan/plan.yaml", "plan") == (
        "# yaml-language-server: $schema=../schemas/plan.schema.json\n"
    )


def test_hazard_new_writes_the_schema_line_first(runner: CliRunner, plan_root: Path) -> None:
    result = runner.invoke(app, [*NEW_HAZARD, "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    (path,) = (plan_root / "data" / "hazards").glob("*.yaml")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/hazard.schema.json"
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (plan_root / "schemas" / "hazard.schema.json").resolve()
    assert runner.invoke(app, ["validate", "--root", str(plan_root)]).exit_code == 0
    note = ["hazard", "note", path.stem, "已制定整改方案", "--on", "2024-09-03"]
    assert runner.invoke(app, [*note, "--root", str(plan_root)]).exit_code == 0
    assert path.read_text(encoding="utf-8").splitlines()[0] == first  # an edit keeps it


# --------------------------------------------------------------------------- safeplan schema


def test_schema_command_writes_and_checks(runner: CliRunner, plan_root: Path) -> None:
    args = ["schema", "--root", str(plan_root), "--lang", "en"]
    check = runner.invoke(app, [*args, "--check"])
    assert check.exit_code == 1
    assert "schemas/hazard.schema.json" in check.stdout and "run 'safeplan schema'" in check.stdout
    wrote = runner.invoke(app, args)
    assert wrote.exit_code == 0
    assert wrote.stdout.startswith("wrote schemas/plan.schema.json, ")
    for name, data in schema_files().items():
        assert (plan_root / "schemas" / name).read_bytes() == data
    again = runner.invoke(app, [*args, "--check"])
    assert again.exit_code == 0
    assert again.stdout == "the schemas in schemas/ are up to date\n"
    (plan_root / "schemas" / "units.schema.json").write_text("{}", encoding="utf-8")
    stale = runner.invoke(app, [*args, "--check"])
    assert stale.exit_code == 1 and stale.stdout.startswith("schemas/units.schema.json: ")


def test_schema_out_elsewhere_and_refusals(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = runner.invoke(app, ["schema", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_files())
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    refused = runner.invoke(app, ["schema", "--out", str(blocker), "--lang", "en"])
    assert refused.exit_code == 2
