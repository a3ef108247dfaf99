"""status and the listings through the CLI: both languages, JSON shapes, bad input, terminals."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

FIXTURE = Path(__file__).parent / "data" / "status"
ANSI = re.compile(r"\x1b\[")


def run(runner: CliRunner, root: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--root", str(root)], env=env or {})


@pytest.fixture
def with_hazards(plan_root: Path) -> Path:
    for src in (FIXTURE / "hazards").glob("*.yaml"):
        shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    return plan_root


def test_status_zh_names_overdue_tasks_and_hazards(runner: CliRunner, with_hazards: Path) -> None:
    env = {"COLUMNS": "200"}  # wide enough that no title folds
    result = run(runner, with_hazards, "status", "--as-of", "2025-01-01", "--lang", "zh", env=env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "截至 2025-01-01" in out
    assert "重点任务（21 项）" in out
    assert "逾期 93 天" in out  # task 3, due 2024-09-30
    assert "HZ-20241102-Q3TF" in out  # the overdue major hazard is named
    assert "[bold]不是标记[/bold]" in out  # record text is never rich markup
    assert "行动目标" in out and "各单位任务量" in out
    assert not ANSI.search(out)  # piped: no control codes


def test_status_en(runner: CliRunner, with_hazards: Path) -> None:
    result = run(runner, with_hazards, "status", "--as-of", "2025-01-01", "--lang", "en")
    assert result.exit_code == 0
    assert "as of 2025-01-01" in result.stdout
    assert "Tasks (21): overdue 18" in result.stdout
    assert "Load per unit" in result.stdout


def test_status_lines_fit_80_columns(runner: CliRunner, with_hazards: Path) -> None:
    result = run(runner, with_hazards, "status", "--as-of", "2026-11-28", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "各单位任务量" in result.stdout  # in the plan's language, zh
    from rich.cells import cell_len

    widths = [cell_len(line) for line in result.stdout.splitlines()]
    assert max(widths) <= 80


def test_status_json_shape(runner: CliRunner, with_hazards: Path) -> None:
    result = run(runner, with_hazards, "status", "--as-of", "2026-11-28", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert doc["as_of"] == "2026-11-28"
    assert doc["tasks"]["counts"] == {
        "overdue": 18,
        "due_soon": 0,
        "open": 1,
        "stale": 2,
        "current": 0,
        "done_late": 0,
        "done": 0,
    }
    verdicts = {g["id"]: g["verdict"] for g in doc["goals"]}
    assert verdicts == {"stock": "not_met", "increment": "not_met", "dynamic-zero": "not_yet_due"}
    assert doc["goals"][0]["breaking"] == ["HZ-20230910-K8WE"]


def test_as_of_from_environment(runner: CliRunner, with_hazards: Path) -> None:
    result = run(runner, with_hazards, "status", "--json", env={"SAFEPLAN_AS_OF": "2024-10-01"})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["as_of"] == "2024-10-01"


def test_status_for_one_unit(runner: CliRunner, with_hazards: Path) -> None:
    result = run(
        runner, with_hazards, "status", "--unit", "镇村建办", "--json", "--as-of", "2025-01-01"
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    # 17 directly, the rest through the group 镇级各职能站所
    assert [t["number"] for t in doc["tasks"]["items"]] == [8, 17, 18, 21]
    assert [u["name"] for u in doc["units"]] == ["镇村建办"]
    assert doc["hazards"]["items"] == []  # its own hazards only: none
    args = ["status", "--unit", "镇综合执法局", "--json", "--as-of", "2025-01-01"]
    enforcement = json.loads(run(runner, with_hazards, *args).stdout)
    assert [h["id"] for h in enforcement["hazards"]["items"]] == ["HZ-20241102-Q3TF"]


def test_unknown_unit_is_a_usage_error_with_closest_match(
    runner: CliRunner, plan_root: Path
) -> None:
    result = run(runner, plan_root, "status", "--unit", "安监站", "--lang", "en")
    assert result.exit_code == 2
    assert "no unit '安监站' (closest: 镇安监站; all: 'safeplan unit list')" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["task", "show", "99"],
        ["hazard", "show", "HZ-NOPE"],
        ["unit", "show", "镇长"],
        ["status", "--as-of", "2026-02-30"],
        ["task", "list", "--status", "late"],
        ["hazard", "list", "--level", "big"],
        ["hazard", "show", "../../etc/passwd"],
    ],
)
def test_bad_arguments_exit_2_without_traceback(
    runner: CliRunner, with_hazards: Path, args: list[str]
) -> None:
    result = run(runner, with_hazards, *args, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("safeplan: error: ")
    assert "Traceback" not in result.output


def test_invalid_data_status_shows_what_it_can_and_exits_1(
    runner: CliRunner, plan_root: Path
) -> None:
    (plan_root / "data" / "hazards" / "HZ-BAD.yaml").write_text("id: HZ-BAD\n", encoding="utf-8")
    result = run(runner, plan_root, "status", "--lang", "en", "--as-of", "2025-01-01")
    assert result.exit_code == 1
    assert "Tasks (21)" in result.stdout
    assert "validation found 5 problems" in result.stdout  # said once, on the screen
    assert result.stderr == ""
    as_json = run(runner, plan_root, "status", "--json", "--lang", "en", "--as-of", "2025-01-01")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["problems"] == 5
    assert "Run 'safeplan validate' to see them." in as_json.stderr


def test_task_list_json_and_filters(runner: CliRunner, plan_root: Path) -> None:
    result = run(
        runner, plan_root, "task", "list", "--json", "--as-of", "2024-10-01", "--status", "overdue"
    )
    doc = json.loads(result.stdout)
    assert [t["number"] for t in doc["tasks"]] == [3, 12]
    first = doc["tasks"][0]
    assert {k: first[k] for k in ("id", "number", "action", "deadline", "units", "status")} == {
        "id": "T3",
        "number": 3,
        "action": "二",
        "deadline": "2024-09-30",
        "units": ["镇安监站"],
        "status": "overdue",
    }
    by_action = json.loads(
        run(runner, plan_root, "task", "list", "--json", "--action", "（九）").stdout
    )
    assert [t["number"] for t in by_action["tasks"]] == [21]
    by_unit = json.loads(
        run(runner, plan_root, "task", "list", "--json", "--unit", "镇纪委").stdout
    )
    assert [(t["number"], t["units"]) for t in by_unit["tasks"]] == [(10, ["镇纪委", "镇安监站"])]


def test_task_show(runner: CliRunner, plan_root: Path) -> None:
    result = run(runner, plan_root, "task", "show", "2", "--lang", "zh", "--as-of", "2024-10-01")
    assert result.exit_code == 0
    assert "2．完善落实党政领导干部安全生产责任制。" in result.stdout
    assert "镇党政办" in result.stdout
    doc = json.loads(run(runner, plan_root, "task", "show", "6", "--json").stdout)
    assert doc["ongoing"] is True and doc["deadline"] is None and doc["status"] == "stale"


def test_hazard_list_filters_and_json(runner: CliRunner, with_hazards: Path) -> None:
    doc = json.loads(
        run(runner, with_hazards, "hazard", "list", "--json", "--as-of", "2025-01-01").stdout
    )
    items = {h["id"]: h for h in doc["hazards"]}
    assert set(items) == {"HZ-20230910-K8WE", "HZ-20240315-A7K2", "HZ-20241102-Q3TF"}
    assert {
        k: items["HZ-20241102-Q3TF"][k]
        for k in ("level", "state", "overdue", "deadline", "responsible_unit")
    } == {
        "level": "major",
        "state": "open",
        "overdue": True,
        "deadline": "2024-12-15",
        "responsible_unit": "镇综合执法局",
    }
    overdue = json.loads(
        run(
            runner, with_hazards, "hazard", "list", "--json", "--overdue", "--as-of", "2025-01-01"
        ).stdout
    )
    assert [h["id"] for h in overdue["hazards"]] == ["HZ-20230910-K8WE", "HZ-20241102-Q3TF"]
    closed = json.loads(
        run(
            runner,
            with_hazards,
            "hazard",
            "list",
            "--json",
            "--state",
            "closed",
            "--as-of",
            "2025-01-01",
        ).stdout
    )
    assert [h["id"] for h in closed["hazards"]] == ["HZ-20240315-A7K2"]
    # found after the as-of date: not listed yet
    early = json.loads(
        run(runner, with_hazards, "hazard", "list", "--json", "--as-of", "2024-01-01").stdout
    )
    assert [h["id"] for h in early["hazards"]] == ["HZ-20230910-K8WE"]
    by_group = json.loads(
        run(runner, with_hazards, "hazard", "list", "--json", "--unit", "镇级各职能站所").stdout
    )
    assert [h["id"] for h in by_group["hazards"]] == ["HZ-20241102-Q3TF"]


def test_hazard_show(runner: CliRunner, with_hazards: Path) -> None:
    result = run(
        runner,
        with_hazards,
        "hazard",
        "show",
        "HZ-20240315-A7K2",
        "--lang",
        "zh",
        "--as-of",
        "2024-06-25",
    )
    assert result.exit_code == 0
    assert "已整改，待验收" in result.stdout
    assert "增设一台主排水泵" in result.stdout
    # facts dated after the as-of day are shown, but marked as not counted yet
    flat = "".join(result.stdout.split())  # however the screen folds the line
    assert "合格（晚于2024-06-25，尚不计入）" in flat
    assert "已增设排水泵（晚于" not in result.stdout
    doc = json.loads(
        run(runner, with_hazards, "hazard", "show", "HZ-20240315-A7K2", "--json").stdout
    )
    assert (
        doc["state"] == "closed" and doc["record"]["enterprise"]["name"] == "大井镇某煤矿有限公司"
    )


def test_unit_list_and_show(runner: CliRunner, with_hazards: Path) -> None:
    doc = json.loads(
        run(runner, with_hazards, "unit", "list", "--json", "--as-of", "2025-01-01").stdout
    )
    units = {u["name"]: u for u in doc["units"]}
    assert units["镇安监站"]["lead_tasks"] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
        21,
    ]
    assert units["镇安监站"]["co_tasks"] == [10]
    assert units["镇财政所"]["co_tasks"] == [7, 8, 18, 21]  # 7 directly, the rest through the group
    assert units["镇综合执法局"]["hazards_open"] == 1
    assert units["镇综合执法局"]["hazards_overdue"] == 1  # its hazard was due 2024-12-15
    assert units["镇安监站"]["hazards_open"] == 1  # K8WE; A7K2 is closed
    # 18 tasks overdue on 2025-01-01; task 10 of them is led by 镇纪委, 镇安监站 co-operates
    assert (units["镇安监站"]["lead_overdue"], units["镇安监站"]["co_open"]) == (17, 1)
    shown = run(runner, with_hazards, "unit", "show", "镇纪委", "--lang", "en")
    assert shown.exit_code == 0
    assert "Tasks as lead (1)" in shown.stdout


@pytest.mark.parametrize(
    ("args", "screens"),
    [
        (("unit", "list"), "units"),
        (("criteria", "show", "应急管理部令第10号"), "criteria"),
        (("enterprise", "duties"), "enterprises"),
    ],
)
def test_a_listing_draws_its_named_screen_and_json_loads_no_screen(
    runner: CliRunner,
    plan_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    screens: str,
) -> None:
    """``Call.show`` imports the screen it names only to draw it: with the screen's module
    unimportable, --json still answers and the screen's output fails (so the name is used)."""
    import sys

    as_of = ("--as-of", "2025-01-01")
    drawn = run(runner, plan_root, *args, *as_of, "--lang", "en")
    assert drawn.exit_code == 0, drawn.stdout + drawn.stderr
    monkeypatch.setitem(sys.modules, f"safeplan.render.screens.{screens}", None)
    answered = run(runner, plan_root, *args, *as_of, "--json")
    assert answered.exit_code == 0, answered.stdout + answered.stderr
    assert json.loads(answered.stdout)
    broken = run(runner, plan_root, *args, *as_of)
    assert broken.exit_code == 70
    assert f"import of safeplan.render.screens.{screens} halted" in broken.stderr


def test_every_screen_a_command_names_is_a_screen() -> None:
    """The screens ``Call.show``/``Call.answer`` name as strings exist (a typo would
    otherwise surface only when that command draws)."""
    import ast
    import importlib

    import safeplan.cli

    named = []
    for path in Path(safeplan.cli.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("show", "answer")
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
            ):
                named.append((path.name, node.args[1].value))
    assert len(named) >= 10, named
    for where, screen in named:
        module, function = screen.split(":")
        found = importlib.import_module(f"safeplan.render.screens.{module}")
        assert callable(getattr(found, function, None)), (where, screen)


def test_colour_on_a_terminal_and_none_with_no_color(runner: CliRunner, with_hazards: Path) -> None:
    """FORCE_COLOR makes rich treat the output as a terminal; NO_COLOR must still win."""
    args = ("status", "--as-of", "2025-01-01", "--lang", "en")
    coloured = run(runner, with_hazards, *args, env={"FORCE_COLOR": "1"})
    assert coloured.exit_code == 0
    assert "\x1b[1;31moverdue 18\x1b[0m" in coloured.stdout  # overdue in bold red
    plain = run(runner, with_hazards, *args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert plain.exit_code == 0
    assert "Tasks (21)" in plain.stdout
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m|\x1b\[[0-9;]*;3[0-9]m", plain.stdout)  # no colour
    piped = run(runner, with_hazards, *args)
    assert piped.exit_code == 0 and "Tasks (21)" in piped.stdout
    assert not ANSI.search(piped.stdout)


def test_refusal_messages_translate_their_fragments(runner: CliRunner, with_hazards: Path) -> None:
    """A message built from translatable pieces reads whole in Chinese (no Fragment(...) leaks)."""
    args = ["hazard", "supervise", "HZ-20240315-A7K2", "--level", "县级", "--by", "县安委办"]
    result = run(runner, with_hazards, *args, "--on", "2024-08-01", "--lang", "zh")
    assert result.exit_code == 1
    assert "不能挂牌督办" in result.stderr
    assert "Fragment" not in result.stderr


def test_status_says_when_the_day_is_outside_the_plan(runner: CliRunner, plan_root: Path) -> None:
    result = run(runner, plan_root, "status", "--as-of", "2023-06-01", "--lang", "en")
    assert "2023-06-01 is outside the plan's period (2024-01-01 to 2026-12-31)" in result.stdout
    inside = run(runner, plan_root, "status", "--as-of", "2024-06-01", "--lang", "en")
    assert "outside the plan's period" not in inside.stdout


def test_task_show_translates_the_check_in_period(runner: CliRunner, plan_root: Path) -> None:
    assert "每季度" in run(runner, plan_root, "task", "show", "6", "--lang", "zh").stdout
    assert "quarterly" in run(runner, plan_root, "task", "show", "6", "--lang", "en").stdout


def test_list_filters_take_the_words_of_the_chinese_screens(
    runner: CliRunner, with_hazards: Path
) -> None:
    def ids(*args: str) -> list[str]:
        result = run(runner, with_hazards, *args, "--json", "--as-of", "2025-01-01")
        assert result.exit_code == 0, result.output
        return [h["id"] for h in json.loads(result.stdout)["hazards"]]

    assert ids("hazard", "list", "--level", "重大") == ids("hazard", "list", "--level", "major")
    assert ids("hazard", "list", "--state", "已销号") == ["HZ-20240315-A7K2"]
    overdue = run(
        runner, with_hazards, "task", "list", "--status", "逾期", "--json", "--as-of", "2024-10-01"
    )
    assert [t["number"] for t in json.loads(overdue.stdout)["tasks"]] == [3, 12]
    wrong = run(runner, with_hazards, "hazard", "list", "--level", "大", "--lang", "en")
    assert wrong.exit_code == 2
    assert "major (重大), general (一般)" in wrong.stderr
