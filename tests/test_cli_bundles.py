"""Where ``command()`` puts a bundle's options: --help lists them in the order the bundle's
place says, and the command reads their values from its Call."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from safeplan.cli.options import Bundle, Call, command, flag

_A = Bundle((("alpha", Annotated[bool, flag("A.", "--alpha")], False),), place="own")
_Z = Bundle((("zulu", Annotated[bool, flag("Z.", "--zulu")], False),))
_F = Bundle((("first", Annotated[bool, flag("F.", "--first")], False),), place="first")


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)

    @app.command()
    @command(_Z, _A, _F)
    def probe(c: Call, mine: Annotated[bool, flag("Its own.", "--mine")] = False) -> int:
        typer.echo(
            f"alpha={c._values['alpha']} zulu={c._values['zulu']} first={c._values['first']}"
        )
        typer.echo(f"mine={mine}")
        return 0

    return app


def _order(help_text: str) -> list[str]:
    return re.findall(r"^\s+(--[a-z-]+)", help_text, flags=re.MULTILINE)


def test_bundles_stand_first_before_root_or_after_lang_as_placed() -> None:
    result = CliRunner().invoke(_app(), ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    order = ["--first", "--mine", "--alpha", "--root", "--lang", "--zulu", "--help"]
    assert _order(result.output) == order


def test_the_command_reads_the_values_wherever_they_stand(plan_root: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["--zulu", "--alpha", "--root", str(plan_root)], env={"SAFEPLAN_LANG": "en"}
    )
    assert "alpha=True zulu=True first=False\nmine=False" in result.output, result.output
    result = CliRunner().invoke(_app(), ["--first", "--mine", "--root", str(plan_root)])
    assert "alpha=False zulu=False first=True\nmine=True" in result.output, result.output


def test_the_report_and_export_commands_list_their_options_where_they_always_did() -> None:
    from safeplan.cli import app

    result = CliRunner().invoke(app, ["export", "sqlite", "--help"], env={"SAFEPLAN_LANG": "en"})
    assert _order(result.output)[:4] == ["--town-code", "--town-name", "--force", "--root"]
    for args in (["report", "weekly"], ["rollup", "report"]):
        result = CliRunner().invoke(app, [*args, "--help"], env={"SAFEPLAN_LANG": "en"})
        order = _order(result.output)
        assert order.index("--force") < order.index("--root") < order.index("--lang"), order
        assert order.index("--as-of") < order.index("--format") < order.index("--out"), order


def test_both_report_commands_read_and_refuse_as_of_alike(tmp_path: Path, plan_root: Path) -> None:
    """--as-of of the report bundle: the period of that day, an empty or bad one refused
    (exit 2), in the town's report and the county's."""
    import json

    from safeplan.cli import app

    (tmp_path / "county.yaml").write_text(
        'name: 县\ncode: "150425000000"\ntowns:\n  - name: 镇\n    code: "150425100000"\n'
        "    path: town\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    env = {"SAFEPLAN_LANG": "en"}
    for root, args in (
        (tmp_path, ["rollup", "report", "--every", "week"]),
        (plan_root, ["report", "weekly"]),
    ):
        base = [*args, "--json", "--root", str(root)]
        got = runner.invoke(app, [*base, "--as-of", "2026-03-10"], env=env)
        assert got.exit_code in (0, 1), got.output
        assert json.loads(got.stdout)["period"]["name"] == "2026-W10", got.stdout
        for bad, says in (("", "must not be empty"), ("2026-02-30", "--as-of")):
            refused = runner.invoke(app, [*base, "--as-of", bad], env=env)
            assert refused.exit_code == 2 and says in refused.output, refused.output
