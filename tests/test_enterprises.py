"""Enterprises: the record, its loading and rules, the edit commands, history against git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app
from safeplan.models.fields import credit_check_digit
from safeplan.repo import load

MINE = "91150425MA0N00001R"
CHEM = "91150425MA0N00002W"
FIREWORKS = "91150425MA0N00011T"


def code(body17: str) -> str:
    return body17 + credit_check_digit(body17)


@pytest.fixture
def ent_root(tmp_path: Path) -> Path:
    return enterprise_plan(tmp_path / "plan-root")


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_the_fixture_loads_every_enterprise_without_a_problem(ent_root: Path) -> None:
    import datetime as dt

    repo = load(ent_root, today=dt.date(2025, 12, 31))
    assert repo.problems == ()
    assert len(repo.enterprises) == 11
    by_id = {e.id: e for e in repo.enterprises}
    assert by_id[MINE].is_high_risk()
    assert not by_id["91150425MA0N000030"].is_high_risk()  # construction, overridden by hand
    assert by_id["91150425MA0N00009J"].state_on(dt.date(2025, 7, 1)) == "deregistered"


def _write(root: Path, name: str, text: str) -> None:
    folder = root / "data" / "enterprises"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_bad_enterprise_files_are_located_errors(ent_root: Path, runner: CliRunner) -> None:
    bad = code("91150425MA0N00099")[:-1] + ("0" if code("91150425MA0N00099")[-1] != "0" else "1")
    _write(
        ent_root,
        f"{bad}.yaml",
        f"id: '{bad}'\nname: 坏码厂\ncredit_code: '{bad}'\nindustry: machinery\n"
        "registered_on: 2025-01-01\n",
    )
    _write(
        ent_root,
        "QY-1.yaml",
        "id: QY-2\nname: 错号厂\nindustry: 机器\nregistered_on: 2025-01-01\n",
    )
    _write(
        ent_root,
        "QY-3.yaml",
        "id: QY-3\nname: 未来厂\nindustry: other\ngrade: Z\nregistered_on: 2025-01-01\n"
        "checks:\n  - on: 2030-01-01\n    led_by: 某人\n",
    )
    rc, out = run(runner, ent_root, "validate", "--as-of", "2025-06-01", "--lang", "en")
    assert rc == 1
    assert f"data/enterprises/{bad}.yaml:3:14:" in out and "check digit" in out
    assert "data/enterprises/QY-1.yaml:3:11:" in out  # industry 机器 is no code
    assert "data/enterprises/QY-3.yaml:4:8: grade 'Z' is not one of" in out
    assert "data/enterprises/QY-3.yaml:7:9:" in out and "after today" in out


def test_enterprise_id_must_be_its_file_name(ent_root: Path, runner: CliRunner) -> None:
    _write(
        ent_root,
        "QY-1.yaml",
        "id: QY-2\nname: 错号厂\nindustry: other\nregistered_on: 2025-01-01\n",
    )
    rc, out = run(runner, ent_root, "validate", "--as-of", "2025-06-01", "--lang", "en")
    assert rc == 1
    assert "data/enterprises/QY-1.yaml:1:5: id 'QY-2' differs from the file name 'QY-1'" in out


def test_two_enterprises_with_one_credit_code(ent_root: Path, runner: CliRunner) -> None:
    _write(
        ent_root,
        "QY-X.yaml",
        f"id: QY-X\nname: 重复\ncredit_code: '{MINE}'\nindustry: other\nregistered_on: 2025-01-01\n",
    )
    rc, out = run(runner, ent_root, "validate", "--as-of", "2025-06-01", "--lang", "en")
    assert rc == 1
    assert f"credit code {MINE} is also QY-X's" in out


def test_a_duty_with_an_unknown_target_is_an_error(ent_root: Path, runner: CliRunner) -> None:
    plan = ent_root / "plan" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("applies_to: high_risk", "applies_to: grade:Q"),
        encoding="utf-8",
    )
    rc, out = run(runner, ent_root, "validate", "--as-of", "2025-06-01", "--lang", "en")
    assert rc == 1
    assert "plan/plan.yaml:" in out and "applies_to 'grade:Q' is not all" in out


def test_new_enterprise_from_the_command_line(ent_root: Path, runner: CliRunner) -> None:
    new = code("91150425MA0N00077")
    rc, out = run(
        runner,
        ent_root,
        "enterprise",
        "new",
        "--name",
        "大井砖厂",
        "--industry",
        "建材",
        "--credit-code",
        new.lower(),
        "--village",
        "东山村",
        "--grade",
        "B",
        "--flag",
        "粉尘涉爆",
        "--principal",
        "张砖",
        "--on",
        "2025-03-01",
    )
    assert rc == 0, out
    text = (ent_root / "data" / "enterprises" / f"{new}.yaml").read_text(encoding="utf-8")
    assert f"id: {new}\n" in text and "industry: building_materials\n" in text
    assert "flags: [dust_explosion]\n" in text
    rc, out = run(
        runner, ent_root, "enterprise", "new", "--name", "又一个", "--industry", "other",
        "--credit-code", new, "--on", "2025-03-01",
    )  # fmt: skip
    assert rc == 1 and "已登记" in out


def test_new_enterprise_with_a_bad_credit_code_writes_nothing(
    ent_root: Path, runner: CliRunner
) -> None:
    good = code("91150425MA0N00077")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = sorted(p.name for p in (ent_root / "data" / "enterprises").iterdir())
    rc, out = run(
        runner, ent_root, "enterprise", "new", "--name", "坏码", "--industry", "other",
        "--credit-code", bad, "--on", "2025-03-01", "--lang", "en",
    )  # fmt: skip
    assert rc == 1 and "check digit" in out
    assert sorted(p.name for p in (ent_root / "data" / "enterprises").iterdir()) == before


def test_new_enterprise_needs_a_known_industry(ent_root: Path, runner: CliRunner) -> None:
    rc, out = run(
        runner, ent_root, "enterprise", "new", "--name", "某厂", "--industry", "造船",
        "--on", "2025-03-01", "--lang", "en",
    )  # fmt: skip
    assert rc == 2 and "--industry" in out


def test_high_risk_against_the_industry_needs_a_reason(ent_root: Path, runner: CliRunner) -> None:
    args = ["enterprise", "new", "--name", "某厂", "--industry", "mining", "--not-high-risk"]
    rc, out = run(runner, ent_root, *args, "--on", "2025-03-01", "--lang", "en")
    assert rc == 2 and "--high-risk-reason" in out
    rc, out = run(
        runner, ent_root, *args, "--high-risk-reason", "只做矿石贸易", "--on", "2025-03-01"
    )
    assert rc == 0, out


def test_facts_are_appended_and_comments_survive(ent_root: Path, runner: CliRunner) -> None:
    path = ent_root / "data" / "enterprises" / f"{FIREWORKS}.yaml"
    path.write_text("# 县局2024年核定\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    before = path.read_bytes()
    rc, out = run(
        runner, ent_root, "enterprise", "check", "大井烟花爆竹批发部", "--led-by", "韩花",
        "--on", "2025-12-02", "--hazard", "HZ-20251202-AAAA", "--evidence", "检查记录.pdf",
    )  # fmt: skip
    assert rc == 0, out
    after = path.read_bytes()
    assert after.startswith(before)  # appended, nothing else touched
    assert after[len(before) :].decode() == (
        "checks:\n  - on: 2025-12-02\n    led_by: 韩花\n    hazards: [HZ-20251202-AAAA]\n"
        "    evidence: [检查记录.pdf]\n"
    )
    for args in (
        ["drill", FIREWORKS.lower(), "--on", "2025-12-03", "--kind", "疏散逃生", "--participants", "12"],
        ["train", FIREWORKS, "--on", "2025-12-03", "--topic", "烟花爆竹储存"],
        ["certify", FIREWORKS, "--person", "韩花", "--role", "主要负责人", "--valid-until", "2028-12-01", "--on", "2025-12-03"],
        ["inspect", FIREWORKS, "--by", "镇安监站", "--work", "动火", "--findings", "无", "--on", "2025-12-04"],
    ):  # fmt: skip
        rc, out = run(runner, ent_root, "enterprise", *args)
        assert rc == 0, out
    rc, out = run(runner, ent_root, "validate", "--as-of", "2025-12-31", "--lang", "en")
    # the check names a hazard that is not registered: a warning, not an error
    assert rc == 0, out
    assert "no hazard 'HZ-20251202-AAAA' is registered" in out


def test_facts_are_refused_before_registration_and_after_closure(
    ent_root: Path, runner: CliRunner
) -> None:
    rc, out = run(
        runner, ent_root, "enterprise", "check", "91150425MA0N00010P", "--led-by", "蒋钢",
        "--on", "2025-07-01", "--lang", "en",
    )  # fmt: skip
    assert rc == 1 and "before 91150425MA0N00010P was registered" in out
    rc, out = run(
        runner, ent_root, "enterprise", "check", "91150425MA0N00009J", "--led-by", "卫运",
        "--on", "2025-07-01", "--lang", "en",
    )  # fmt: skip
    assert rc == 1 and "was deregistered" in out


def test_unknown_enterprise_names_the_closest(ent_root: Path, runner: CliRunner) -> None:
    rc, out = run(runner, ent_root, "enterprise", "show", "91150425MA0N00001X", "--lang", "en")
    assert rc == 2 and MINE in out


def test_state_and_close(ent_root: Path, runner: CliRunner) -> None:
    rc, out = run(
        runner, ent_root, "enterprise", "state", CHEM, "停产", "--on", "2025-11-01",
        "--reason", "停产整顿",
    )  # fmt: skip
    assert rc == 0, out
    rc, _ = run(runner, ent_root, "enterprise", "state", CHEM, "停产", "--on", "2025-11-02")
    assert rc == 1
    rc, out = run(runner, ent_root, "enterprise", "close", CHEM, "--on", "2025-12-01")
    assert rc == 0, out
    text = (ent_root / "data" / "enterprises" / f"{CHEM}.yaml").read_text(encoding="utf-8")
    assert "states:\n  - on: 2025-11-01\n    state: suspended\n    reason: 停产整顿\n" in text
    assert "  - on: 2025-12-01\n    state: deregistered\n" in text


def test_edit_keeps_a_correction(ent_root: Path, runner: CliRunner) -> None:
    rc, out = run(
        runner, ent_root, "enterprise", "edit", MINE, "--village", "新井村", "--industry",
        "有色", "--on", "2025-12-01", "--reason", "核实",
    )  # fmt: skip
    assert rc == 0, out
    text = (ent_root / "data" / "enterprises" / f"{MINE}.yaml").read_text(encoding="utf-8")
    assert "village: 新井村\n" in text and "industry: nonferrous\n" in text
    assert "corrections:\n  - on: 2025-12-01\n    field: village\n    from: 大井村\n" in text
    rc, out = run(runner, ent_root, "enterprise", "edit", MINE, "--village", "新井村")
    assert rc == 1  # already so


def test_dry_run_writes_nothing(ent_root: Path, runner: CliRunner) -> None:
    path = ent_root / "data" / "enterprises" / f"{MINE}.yaml"
    before = path.read_bytes()
    rc, out = run(runner, ent_root, "enterprise", "drill", MINE, "--on", "2025-12-01", "--dry-run")
    assert rc == 0 and "+drills:" not in out and "+  - on: 2025-12-01" in out
    assert path.read_bytes() == before


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_facts_are_append_only_against_git(ent_root: Path, runner: CliRunner) -> None:
    _git(ent_root, "init", "-q")
    _git(ent_root, "add", "-A")
    _git(ent_root, "commit", "-q", "-m", "start")
    path = ent_root / "data" / "enterprises" / f"{MINE}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - on: 2025-03-08\n    led_by: 王建国\n", "")
    text = text.replace("village: 大井村", "village: 新井村")
    path.write_text(text, encoding="utf-8")
    (ent_root / "data" / "enterprises" / f"{FIREWORKS}.yaml").unlink()
    rc, out = run(
        runner, ent_root, "validate", "--base", "HEAD", "--as-of", "2025-12-31", "--lang", "en"
    )
    assert rc == 1
    assert "the checks entry of 2025-03-08 recorded in HEAD is no longer in the record" in out
    assert "village changed since HEAD from '大井村' to '新井村'" in out
    assert f"enterprise {FIREWORKS} is in HEAD but its file is gone" in out


def test_a_recorded_correction_passes_against_git(ent_root: Path, runner: CliRunner) -> None:
    _git(ent_root, "init", "-q")
    _git(ent_root, "add", "-A")
    _git(ent_root, "commit", "-q", "-m", "start")
    rc, out = run(
        runner, ent_root, "enterprise", "edit", MINE, "--village", "新井村", "--on", "2025-12-01"
    )
    assert rc == 0, out
    rc, out = run(runner, ent_root, "validate", "--base", "HEAD", "--as-of", "2025-12-31")
    assert rc == 0, out


def test_list_filters_and_chinese_words(ent_root: Path, runner: CliRunner) -> None:
    import json

    def ids(*args: str) -> list[str]:
        rc, out = run(
            runner, ent_root, "enterprise", "list", "--as-of", "2025-10-15", "--json", *args
        )
        assert rc == 0, out
        return [e["id"] for e in json.loads(out)["enterprises"]]

    assert ids("--industry", "危化品") == [CHEM]
    assert ids("--high-risk", "--grade", "A", "--state", "在营") == [
        MINE, CHEM, "91150425MA0N00010P", FIREWORKS,
    ]  # fmt: skip
    assert ids("--behind") == [CHEM, "91150425MA0N00010P", FIREWORKS]
    assert ids("--behind", "--duty", "principal_check") == [CHEM, FIREWORKS]
    assert ids("--village", "西沟村", "--not-high-risk") == ["91150425MA0N00008F"]
    assert ids("--search", "冷鲜") == ["91150425MA0N000056"]
    rc, _ = run(runner, ent_root, "enterprise", "list", "--industry", "造船")
    assert rc == 2


# --------------------------------------------------------------------------- enterprise link

STATUS_HAZARDS = Path(__file__).parent / "data" / "status" / "hazards"


def _with_hazards(root: Path) -> None:
    import shutil

    for src in STATUS_HAZARDS.glob("*.yaml"):
        shutil.copy(src, root / "data" / "hazards" / src.name)


def test_link_registers_enterprises_from_hazards_dry_run_first(
    plan_root: Path, runner: CliRunner
) -> None:
    _with_hazards(plan_root)
    before = {p.name: p.read_bytes() for p in (plan_root / "data" / "hazards").iterdir()}
    rc, out = run(runner, plan_root, "enterprise", "link", "--dry-run")
    assert rc == 0, out
    assert "+++ b/data/enterprises/91150400MA0N1234XL.yaml" in out
    assert "+  id: 91150400MA0N1234XL" in out
    assert not (plan_root / "data" / "enterprises").exists()
    assert {p.name: p.read_bytes() for p in (plan_root / "data" / "hazards").iterdir()} == before
    rc, out = run(runner, plan_root, "enterprise", "link")
    assert rc == 0, out
    made = sorted(p.name for p in (plan_root / "data" / "enterprises").iterdir())
    assert "91150400MA0N1234XL.yaml" in made and len(made) == 2  # the 加油站 has no code: a QY id
    text = (plan_root / "data" / "hazards" / "HZ-20240315-A7K2.yaml").read_text(encoding="utf-8")
    assert "enterprise:\n  id: 91150400MA0N1234XL\n  name: 大井镇某煤矿有限公司\n" in text
    rc, out = run(runner, plan_root, "validate", "--as-of", "2026-11-28")
    assert rc == 0, out
    rc, out = run(runner, plan_root, "enterprise", "link")
    assert rc == 1  # nothing left to link


def test_link_warns_when_a_code_is_registered_under_another_name(
    plan_root: Path, runner: CliRunner
) -> None:
    _with_hazards(plan_root)
    _write(
        plan_root,
        "91150400MA0N1234XL.yaml",
        "id: 91150400MA0N1234XL\nname: 大井煤业公司\ncredit_code: 91150400MA0N1234XL\n"
        "industry: mining\nregistered_on: 2024-01-01\n",
    )
    result = runner.invoke(
        app,
        ["enterprise", "link", "--root", str(plan_root), "--lang", "en"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "credit code 91150400MA0N1234XL is registered as 大井煤业公司" in result.output
    assert "the hazards name it 大井镇某煤矿有限公司" in result.output
    text = (plan_root / "data" / "hazards" / "HZ-20240315-A7K2.yaml").read_text(encoding="utf-8")
    assert "  id: 91150400MA0N1234XL\n" in text


# --------------------------------------------------------------------------- hazards vs register


def _set_enterprise(root: Path, block: str) -> Path:
    """The status hazard HZ-20240315-A7K2 in the plan, its enterprise block replaced."""
    _with_hazards(root)
    path = root / "data" / "hazards" / "HZ-20240315-A7K2.yaml"
    text = path.read_text(encoding="utf-8")
    old = "enterprise:\n  name: 大井镇某煤矿有限公司\n  credit_code: 91150400MA0N1234XL\n"
    assert old in text
    path.write_text(text.replace(old, block), encoding="utf-8")
    return path


def _validate(runner: CliRunner, root: Path, lang: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["validate", "--root", str(root), "--as-of", "2026-11-28", "--lang", lang],
        env={"COLUMNS": "300"},
    )
    return result.exit_code, result.output


def test_a_hazard_linked_to_an_unregistered_enterprise_is_an_error(
    ent_root: Path, runner: CliRunner
) -> None:
    typo = MINE[:-3] + "00R"  # one digit off the mine's id
    _set_enterprise(ent_root, f"enterprise:\n  id: {typo}\n  name: 大井镇某煤矿有限公司\n")
    rc, out = _validate(runner, ent_root, "en")
    assert rc == 1, out
    where = "HZ-20240315-A7K2.yaml:8:7: "
    assert f"{where}enterprise {typo} is not registered in data/enterprises/" in out
    assert MINE in out.split("(closest: ")[1].split(")")[0]
    rc, out = _validate(runner, ent_root, "zh")
    assert rc == 1
    assert f"企业 {typo} 未在 data/enterprises/ 登记" in out and MINE in out
    # The right id passes.
    _set_enterprise(ent_root, f"enterprise:\n  id: {MINE}\n  name: 大井镇某煤矿有限公司\n")
    rc, out = _validate(runner, ent_root, "en")
    assert rc == 0 and "not registered" not in out, out


def test_a_linked_id_in_a_plan_without_enterprises_is_an_error(
    plan_root: Path, runner: CliRunner
) -> None:
    _set_enterprise(plan_root, f"enterprise:\n  id: {MINE}\n  name: 大井镇某煤矿有限公司\n")
    rc, out = _validate(runner, plan_root, "en")
    assert rc == 1, out
    assert f"enterprise {MINE} is not registered (the plan has no data/enterprises/)" in out
    rc, out = _validate(runner, plan_root, "zh")
    assert f"企业 {MINE} 未登记（本计划没有 data/enterprises/）" in out


def test_a_credit_code_registered_under_another_name_is_a_warning(
    plan_root: Path, runner: CliRunner
) -> None:
    _with_hazards(plan_root)
    _write(
        plan_root,
        "91150400MA0N1234XL.yaml",
        "id: 91150400MA0N1234XL\nname: 大井煤业公司\ncredit_code: 91150400MA0N1234XL\n"
        "industry: mining\nregistered_on: 2024-01-01\n",
    )
    rc, out = _validate(runner, plan_root, "en")
    assert rc == 0, out  # a warning only
    assert "data/hazards/HZ-20240315-A7K2.yaml:9:16: warning:" in out
    assert (
        "credit code 91150400MA0N1234XL is registered as 大井煤业公司 "
        "(data/enterprises/91150400MA0N1234XL.yaml), but this hazard names it 大井镇某煤矿有限公司"
    ) in out
    assert "'safeplan enterprise link' links the hazard to it" in out
    rc, out = _validate(runner, plan_root, "zh")
    assert "统一社会信用代码 91150400MA0N1234XL 登记为 大井煤业公司" in out
    assert "safeplan enterprise link" in out
    # The same name (full-width, spaced as typed) is no warning; nor is a linked hazard.
    _write(
        plan_root,
        "91150400MA0N1234XL.yaml",
        "id: 91150400MA0N1234XL\nname: 大井镇某煤矿 有限公司\ncredit_code: 91150400MA0N1234XL\n"
        "industry: mining\nregistered_on: 2024-01-01\n",
    )
    assert "is registered as" not in _validate(runner, plan_root, "en")[1]
    # Nor is a hazard linked to it (its id is the source; link warned when it linked).
    _set_enterprise(plan_root, "enterprise:\n  id: 91150400MA0N1234XL\n  name: 别名\n")
    rc, out = _validate(runner, plan_root, "en")
    assert rc == 0 and "is registered as" not in out, out
