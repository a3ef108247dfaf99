"""validate's CI formats against their specifications: GitLab Code Quality, JUnit XML, GitHub
annotations and step summary; and --strict, --output, --changed-since."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.problems import Problem
from safeplan.render.i18n import translator
from safeplan.render.problems import (
    escape_data,
    escape_property,
    fingerprints,
    format_github,
    format_gitlab,
    format_junit,
    format_step_summary,
    format_text,
)

EN = translator("en")
HZ = "data/hazards/HZ-20240101-AAAA.yaml"
#: Two errors (an unknown unit twice in one file, on two lines) and a warning elsewhere.
BROKEN = """id: HZ-20240101-AAAA
title: 100% 不合格, 见附件
level: general
discovered_on: 2024-01-01
source: inspection
responsible_unit: 安监站
rectification_plan:
  deadline: 2024-02-01
"""


def _broken(root: Path) -> Path:
    (root / HZ).write_text(BROKEN, encoding="utf-8")
    return root


def _validate(runner: CliRunner, root: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        ["validate", "--root", str(root), "--lang", "en", "--as-of", "2026-11-28", *args],
        env=env,
    )


def _problem(line: int, template: str = "unknown unit '{unit}'", **params: str) -> Problem:
    return Problem(HZ, line, 3, "unknown-unit", template, params or {"unit": "安监站"})


# --------------------------------------------------------------------------- GitLab


def test_gitlab_report_has_the_documented_fields(runner: CliRunner, plan_root: Path) -> None:
    result = _validate(runner, _broken(plan_root), "--format", "gitlab")
    assert result.exit_code == 1
    assert not result.stdout_bytes.startswith(b"\xef\xbb\xbf")  # GitLab rejects a BOM
    doc = json.loads(result.stdout)
    assert isinstance(doc, list) and doc
    for finding in doc:
        assert set(finding) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert finding["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert set(finding["location"]) == {"path", "lines"}
        assert not finding["location"]["path"].startswith("/")
        assert isinstance(finding["location"]["lines"]["begin"], int)
    unit = next(f for f in doc if f["check_name"] == "unknown-unit")
    assert unit["location"] == {"path": HZ, "lines": {"begin": 6}}
    assert unit["severity"] == "major"
    assert "unknown unit '安监站'" in unit["description"]
    assert len({f["fingerprint"] for f in doc}) == len(doc)


def test_gitlab_description_is_in_the_readers_language(runner: CliRunner, plan_root: Path) -> None:
    args = ["validate", "--root", str(_broken(plan_root)), "--format", "gitlab", "--lang", "zh"]
    doc = json.loads(runner.invoke(app, args).stdout)
    assert any("未知单位“安监站”" in f["description"] for f in doc)


def test_fingerprints_survive_a_line_inserted_above(runner: CliRunner, plan_root: Path) -> None:
    before = json.loads(_validate(runner, _broken(plan_root), "--format", "gitlab").stdout)
    path = plan_root / HZ
    path.write_text("# 一行新加的说明\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(_validate(runner, plan_root, "--format", "gitlab").stdout)
    lines = {f["fingerprint"]: f["location"]["lines"]["begin"] for f in before}
    assert [f["location"]["lines"]["begin"] for f in after] != list(lines.values())
    assert {f["fingerprint"] for f in after} == set(lines)
    for f in after:
        if f["location"]["path"] == HZ:
            assert f["location"]["lines"]["begin"] == lines[f["fingerprint"]] + 1


def test_equal_problems_on_two_lines_have_two_fingerprints() -> None:
    same = [_problem(12), _problem(4)]
    first, second = fingerprints(same)
    assert first != second
    # The first in the file keeps its fingerprint when the other moves further down.
    assert fingerprints([_problem(40), _problem(4)]) == [first, second]
    # Not the line: the same problem elsewhere in the file is the same finding.
    assert fingerprints([_problem(4)]) == [second]


def test_fingerprints_tell_files_codes_and_messages_apart() -> None:
    base = _problem(4)
    others = [
        Problem("data/hazards/HZ-20240101-BBBB.yaml", 4, 3, base.code, base.template, base.params),
        Problem(HZ, 4, 3, "other-code", base.template, base.params),
        _problem(4, unit="镇财政所"),
    ]
    prints = fingerprints([base, *others])
    assert len(set(prints)) == 4


def test_fingerprints_do_not_depend_on_the_language() -> None:
    problems = [_problem(4)]
    assert (
        json.loads(format_gitlab(problems, 1, translator("zh")))[0]["fingerprint"]
        == (json.loads(format_gitlab(problems, 1, EN))[0]["fingerprint"])
    )


def test_an_empty_gitlab_report_is_an_empty_array(runner: CliRunner, plan_root: Path) -> None:
    result = _validate(runner, plan_root, "--format", "gitlab")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# --------------------------------------------------------------------------- JUnit


def test_junit_has_one_testcase_per_file(runner: CliRunner, plan_root: Path) -> None:
    result = _validate(runner, _broken(plan_root), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == sorted(
        ["plan/plan.yaml", "data/units.yaml", "data/tasks.yaml", HZ]
    )
    assert {c.get("name"): c.get("classname") for c in cases}[HZ] == "safeplan.hazards"
    assert {c.get("classname") for c in cases} == {
        "safeplan.plan",
        "safeplan.units",
        "safeplan.tasks",
        "safeplan.hazards",
    }
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [HZ]
    failure = failed[0].find("failure")
    assert failure is not None and failure.text is not None
    # The problems are the element's text, not only its message attribute.
    assert f"{HZ}:6:19: unknown unit '安监站'" in failure.text
    assert root.get("tests") == "4" and root.get("failures") == "1"


def test_junit_of_a_clean_plan_counts_every_file_checked(
    runner: CliRunner, plan_root: Path
) -> None:
    text = _validate(runner, plan_root).stdout
    files = int(text.split()[0])
    root = ET.fromstring(_validate(runner, plan_root, "--format", "junit").stdout)
    assert len(root.findall(".//testcase")) == files
    assert root.findall(".//failure") == []


@pytest.mark.parametrize(
    "title",
    [
        "]]> <![CDATA[ & < > \" '",
        "\x1b[2J\x1b]0;OWNED\x07 清屏",
        "\x00\x01\x0b\x0c\ufffe\uffff",
        "line\nbreak\r\nand\ttab",
        "\ud800 lone surrogate",
    ],
)
def test_junit_is_valid_xml_for_any_record_text(title: str) -> None:
    problems = [
        Problem(HZ, 2, 8, "bad-title", "bad title: {title}", {"title": title}),
        Problem(f"data/hazards/{title[:3]}.yaml", 1, 1, "odd-name", "odd file name", {}),
    ]
    xml = format_junit(problems, ["plan/plan.yaml", HZ], EN)
    root = ET.fromstring(xml.encode("utf-8", "surrogatepass"))
    texts = [f.text or "" for f in root.iter("failure")]
    assert len(texts) == 2
    assert any("bad title: " in t for t in texts)


@given(st.text())
def test_junit_parses_whatever_a_message_holds(text: str) -> None:
    problems = [Problem(HZ, 1, 1, "x", "{text}", {"text": text}, "warning")]
    xml = format_junit(problems, [HZ], EN)
    ET.fromstring(xml.encode("utf-8", "surrogatepass"))


def test_a_file_with_warnings_only_passes_with_them_in_system_out() -> None:
    problems = [Problem(HZ, 3, 1, "w", "just a warning", {}, "warning")]
    root = ET.fromstring(format_junit(problems, [HZ], EN))
    case = root.find(".//testcase")
    assert case is not None and case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and out.text == f"{HZ}:3:1: warning: just a warning\n"


# --------------------------------------------------------------------------- GitHub


def _unescape_data(text: str) -> str:
    """The runner's reading of a workflow command's message (the toolkit's escaping reversed)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


@given(st.text())
def test_annotation_message_escaping_round_trips(text: str) -> None:
    escaped = escape_data(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert _unescape_data(escaped) == text


@given(st.text())
def test_annotation_property_escaping_round_trips(text: str) -> None:
    escaped = escape_property(text)
    assert not set(escaped) & set("\r\n:,")
    assert _unescape_property(escaped) == text


def test_github_annotations_then_the_full_list(runner: CliRunner, plan_root: Path) -> None:
    result = _validate(runner, _broken(plan_root), env={"GITHUB_ACTIONS": "true"})
    lines = result.stdout.splitlines()
    annotation = next(line for line in lines if line.startswith("::error "))
    props, message = annotation[len("::error ") :].split("::", 1)
    fields = dict(part.split("=", 1) for part in props.split(","))
    assert _unescape_property(fields["file"]) == HZ
    assert fields["line"] == "6" and fields["col"] == "19"
    assert _unescape_data(message).startswith("unknown unit '安监站'")
    assert f"{HZ}:6:19: unknown unit '安监站'" in result.stdout  # the plain list follows


def test_github_output_is_unchanged_for_the_plan_at_the_top() -> None:
    """The annotation format of earlier releases, byte for byte (no prefix outside git)."""
    p = Problem(HZ, 2, 8, "c", "100% 不合格, 见附件: {x}", {"x": "a\nb"})
    assert format_github([p], 4, EN) == (
        f"::error file={HZ},line=2,col=8,title=safeplan c::100%25 不合格, 见附件: a\\nb\n"
        f"{HZ}:2:8: 100% 不合格, 见附件: a\\nb\n"
        "4 files checked; errors: 1, warnings: 0.\n"
    )


def test_step_summary_is_written_on_github(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert _validate(runner, _broken(plan_root), env=env).exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### safeplan validate\n")
    assert "| file | line | problem |" in text
    assert f"| {HZ} | 6:19 | unknown unit '安监站'" in text


def test_step_summary_stays_within_a_mebibyte_with_a_note() -> None:
    many = [Problem(HZ, i, 1, "c", "{t}", {"t": "很长的说明文字|<b>" * 40}) for i in range(1, 3000)]
    text = format_step_summary(many, 1, EN)
    size = len(text.encode("utf-8"))
    assert 1024 * 1024 - 2000 < size <= 1024 * 1024
    rows = [line for line in text.splitlines() if line.startswith(f"| {HZ}")]
    assert 0 < len(rows) < len(many)
    assert text.rstrip().endswith("the job's log lists them all.")
    assert f"and {len(many) - len(rows)} more problems" in text
    assert "\\|&lt;b>" in rows[0]  # a | would end the cell, <b> would be HTML
    small = format_step_summary(many[:3], 1, EN)
    assert "more problem" not in small


def test_step_summary_respects_what_the_step_wrote_before() -> None:
    many = [Problem(HZ, i, 1, "c", "message {i}", {"i": str(i)}) for i in range(1, 500)]
    text = format_step_summary(many, 1, EN, limit=2000)
    assert len(text.encode("utf-8")) <= 2000
    assert "more problems" in text


# --------------------------------------------------------------------------- --strict, --output


def test_strict_turns_warnings_into_errors(runner: CliRunner, plan_root: Path) -> None:
    (plan_root / "data" / "hazards" / "notes.txt").write_text("x", encoding="utf-8")
    plain = _validate(runner, plan_root)
    assert plain.exit_code == 0 and "warning: not a YAML file" in plain.stdout
    strict = _validate(runner, plan_root, "--strict")
    assert strict.exit_code == 1
    assert "warning:" not in strict.stdout
    assert "errors: 1, warnings: 0." in strict.stdout
    doc = json.loads(_validate(runner, plan_root, "--strict", "--format", "gitlab").stdout)
    assert [f["severity"] for f in doc] == ["major"]


def test_output_writes_the_report_and_the_terminal_gets_the_list(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "gl-code-quality.json"
    missing = _validate(runner, _broken(plan_root), "--format", "gitlab", "--output", str(out))
    assert missing.exit_code == 2
    assert "the folder" in missing.stderr and "does not exist" in missing.stderr
    out.parent.mkdir()
    result = _validate(runner, plan_root, "--format", "gitlab", "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == format_text_of(runner, plan_root)
    doc = json.loads(out.read_bytes().decode("utf-8"))
    assert any(f["check_name"] == "unknown-unit" for f in doc)
    xml = tmp_path / "reports" / "junit.xml"
    _validate(runner, plan_root, "--format", "junit", "--output", str(xml))
    assert ET.parse(xml).getroot().tag == "testsuites"


def format_text_of(runner: CliRunner, root: Path) -> str:
    return _validate(runner, root).stdout


def test_unknown_format_is_a_usage_error(runner: CliRunner, plan_root: Path) -> None:
    result = _validate(runner, plan_root, "--format", "sarif")
    assert result.exit_code == 2
    assert "'gitlab'" in result.stderr and "'junit'" in result.stderr


# --------------------------------------------------------------------------- --changed-since


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(plan_root: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(plan_root, "init", "-q", "-b", "main")
    _git(plan_root, "config", "user.name", "镇安监站")
    _git(plan_root, "config", "user.email", "anjian@example.org")
    _broken(plan_root)
    _git(plan_root, "add", "-A")
    _git(plan_root, "commit", "-qm", "the plan")
    return plan_root


def test_changed_since_lists_the_changed_files_first(runner: CliRunner, repo: Path) -> None:
    later = repo / "data" / "hazards" / "HZ-20230101-ZZZZ.yaml"
    later.write_text(BROKEN.replace("HZ-20240101-AAAA", "HZ-20230101-ZZZZ"), encoding="utf-8")
    plain = _validate(runner, repo).stdout.splitlines()
    assert plain[0].startswith("data/hazards/HZ-20230101-ZZZZ.yaml")  # sorted by place
    (repo / HZ).write_text(BROKEN + "location: 卸油区\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one more")
    (repo / HZ).write_text(BROKEN + "location: 卸油区东侧\n", encoding="utf-8")
    result = _validate(runner, repo, "--changed-since", "HEAD")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(HZ + ":")
    assert lines[-2].startswith("data/hazards/HZ-20230101-ZZZZ.yaml")
    assert sorted(lines) == sorted(_validate(runner, repo).stdout.splitlines())
    first = [line for line in lines if line.startswith(HZ + ":")]
    assert lines[: len(first)] == first
    assert f"{len(first)} problems are in files changed since HEAD: they come first." in (
        result.stderr
    )


def test_changed_since_an_unknown_revision_is_a_usage_error(runner: CliRunner, repo: Path) -> None:
    result = _validate(runner, repo, "--changed-since", "origin/nowhere")
    assert result.exit_code == 2
    assert "--changed-since origin/nowhere: git knows no such revision" in result.stderr


def test_changed_since_outside_git_is_a_usage_error(runner: CliRunner, plan_root: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = _validate(runner, plan_root, "--changed-since", "HEAD")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr


def test_reports_name_files_from_the_top_of_the_git_repository(
    runner: CliRunner, plan_root: Path
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    top = plan_root.parent / "county"
    shutil.move(plan_root, top / "towns" / "dajing")
    _git(top, "init", "-q")
    root = top / "towns" / "dajing"
    _broken(root)
    doc = json.loads(_validate(runner, root, "--format", "gitlab").stdout)
    assert {f["location"]["path"] for f in doc} == {"towns/dajing/" + HZ}
    github = _validate(runner, root, env={"GITHUB_ACTIONS": "true"}).stdout
    assert f"::error file=towns/dajing/{HZ}," in github
    assert f"\n{HZ}:6:19: " in github  # the plain list stays as the reader knows the plan
    xml = ET.fromstring(_validate(runner, root, "--format", "junit").stdout)
    assert {c.get("file") for c in xml.iter("testcase")} >= {"towns/dajing/" + HZ}


def test_text_format_is_unchanged() -> None:
    p = Problem(HZ, 6, 19, "unknown-unit", "unknown unit '{unit}'", {"unit": "安监站"})
    assert format_text([p], 4, EN) == (
        f"{HZ}:6:19: unknown unit '安监站'\n4 files checked; errors: 1, warnings: 0.\n"
    )
