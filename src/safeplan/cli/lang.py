"""The language of a command line, known before the command runs (for --help and usage errors).

It is chosen as everything else is (``safeplan.render.i18n.choose_language``): ``--lang``,
``SAFEPLAN_LANG``, the plan's ``language``, the locale. The plan is found the way a
command finds it (``--root``, ``SAFEPLAN_ROOT``, the nearest ``plan/plan.yaml`` above),
and its language is read from the text of plan.yaml without parsing it: --help must
stay fast, and a broken plan.yaml is validate's business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from safeplan.render.i18n import choose_language
from safeplan.vocab import Lang

_KEY = r"^{key}:[ \t]*['\"]?(?P<value>[A-Za-z0-9_+/.-]+)['\"]?[ \t]*(?:#.*)?$"
_LANGUAGE = re.compile(_KEY.format(key="language"), re.M)
_TIMEZONE = re.compile(_KEY.format(key="timezone"), re.M)
_PLAN = Path("plan") / "plan.yaml"


def option_value(args: Sequence[str], name: str) -> str | None:
    """The value of ``--name VALUE`` or ``--name=VALUE`` in a command line (the last one)."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1 :]
    return value


def plan_root(root: str | None, cwd: Path) -> Path | None:
    """The plan root a command would use, or None (without raising: that is the command's job)."""
    try:
        if root:
            candidate = Path(root).expanduser()
            return candidate if (candidate / _PLAN).is_file() else None
        here = cwd.resolve()
        for folder in (here, *here.parents):
            if (folder / _PLAN).is_file():
                return folder
    except OSError:
        return None
    return None


def plan_settings(root: Path | None) -> tuple[str | None, str | None]:
    """The plan's ``language`` and ``timezone`` as written in plan.yaml (None where absent)."""
    if root is None:
        return None, None
    try:
        with open(root / _PLAN, "rb") as fh:
            text = fh.read(256 * 1024).decode("utf-8-sig", "replace")
    except OSError:
        return None, None
    lang = _LANGUAGE.search(text)
    tz = _TIMEZONE.search(text)
    return (lang["value"] if lang else None, tz["value"] if tz else None)


def detect(args: Sequence[str], environ: Mapping[str, str], cwd: Path) -> Lang:
    """The language for the help and the usage errors of this command line."""
    root = plan_root(option_value(args, "--root") or environ.get("SAFEPLAN_ROOT"), cwd)
    language, _tz = plan_settings(root)
    return choose_language(option_value(args, "--lang"), language, environ)
