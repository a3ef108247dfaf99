"""What the Chinese command line relies on in typer's copy of click, checked loudly.

typer 0.26–0.28 (pyproject pins <0.29) ship click as ``typer._click``, a private module
without click's gettext hooks, so ``cli/group.py`` imports its exceptions and help
formatter from there and rewrites the English usage errors it raises. There is no
supported hook to do this in those versions; these tests fail, naming what changed,
when an upgrade of typer moves a name or rewords a message that ``group.py`` translates.
"""

from __future__ import annotations

import importlib

import pytest

#: Every private name cli/group.py uses, by module.
PRIVATE = {
    "typer._click": ["Command", "Context", "echo", "utils"],
    "typer._click.exceptions": [
        "BadParameter",
        "ClickException",
        "MissingParameter",
        "NoSuchOption",
        "UsageError",
        "BadOptionUsage",
    ],
    "typer._click.formatting": ["HelpFormatter"],
    "typer._click.utils": ["PacifyFlushWrapper"],
    "typer.core": ["TyperGroup"],
}


@pytest.mark.parametrize("module", sorted(PRIVATE))
def test_the_private_names_the_chinese_cli_uses_exist(module: str) -> None:
    import typer

    try:
        found = importlib.import_module(module)
    except ImportError:  # pragma: no cover - what an upgrade of typer would do
        pytest.fail(
            f"typer {typer.__version__} has no {module}: cli/group.py translates click's "
            "messages through it; port group.py (or pin typer <0.29 in pyproject.toml)"
        )
    missing = [name for name in PRIVATE[module] if not hasattr(found, name)]
    assert missing == [], f"typer {typer.__version__}: {module} lacks {missing}; port cli/group.py"


def test_typer_is_the_version_range_group_py_was_written_for() -> None:
    import typer

    major, minor = (int(x) for x in typer.__version__.split(".")[:2])
    assert (0, 26) <= (major, minor) < (0, 29), (
        f"typer {typer.__version__}: check cli/group.py's use of typer._click and the "
        "messages below, then widen this range with pyproject.toml's"
    )


def _error(args: list[str]) -> object:
    """The usage error typer's click raises for ``args`` (parsing only: no command runs)."""
    import typer
    from typer._click.exceptions import ClickException
    from typer.core import TyperGroup

    from safeplan.cli import app
    from safeplan.cli.group import language
    from safeplan.render.i18n import translator

    group = typer.main.get_command(app)
    with language(translator("en")), pytest.raises(ClickException) as caught:
        TyperGroup.main(group, args, "safeplan", standalone_mode=False)  # type: ignore[arg-type]
    return caught.value


#: Each English message group.py rewrites, the command line that makes click raise it,
#: and the Chinese it must become (an upgrade that rewords click's English fails here).
CASES = [
    (["status", "extra"], "Got unexpected extra argument(s) (extra)", "多出了参数（extra）"),
    (["hazard", "close", "HZ-1", "--by"], "Option '--by' requires an argument.", None),
    (["status", "--json=1"], "Option '--json' does not take a value.", None),
    (["--lang", "en"], "Missing command.", None),
    (["status", "--bogus"], "No such option: --bogus", "没有选项：--bogus"),
    (["hazard", "accept", "HZ-1"], None, "缺少选项 '--by'。"),
]


@pytest.mark.parametrize(("args", "english", "chinese"), CASES, ids=lambda v: str(v))
def test_each_rewritten_click_message_is_still_what_click_says(
    args: list[str], english: str | None, chinese: str | None
) -> None:
    from safeplan.cli.group import usage_message
    from safeplan.render.i18n import translator

    exc = _error(args)
    if english is not None:
        assert exc.message == english  # type: ignore[attr-defined]
    zh = usage_message(exc, translator("zh"))  # type: ignore[arg-type]
    assert zh != exc.message, "click's English reached a Chinese reader"  # type: ignore[attr-defined]
    if chinese is not None:
        assert zh == chinese
