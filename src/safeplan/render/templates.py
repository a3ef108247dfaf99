"""A plan's own report templates, checked before any report is made (``validate``).

Each must compile in the sandbox the reports render in (``render.report.environment``), and
none may name a private attribute: the sandbox would refuse it when a report is made, so
``validate`` says so first, at its line. Nothing is rendered.
"""

from __future__ import annotations

from pathlib import Path

from safeplan.problems import N_, ListOf, Problem


def check_templates(folder: Path, rel: str = "templates") -> tuple[list[Problem], int]:
    """The problems of a plan's own report templates, and how many there are: each must
    compile in the sandbox, and none may name a private attribute (``__class__``,
    ``__globals__``, ``_TemplateReference__context``): the sandbox would refuse it when a
    report is made, so ``validate`` says so first, at its line. Nothing is rendered."""
    if not folder.is_dir():  # before jinja2 is imported: most plans have no templates
        return [], 0
    paths = sorted(p for p in folder.rglob("*.j2") if p.is_file())
    if not paths:  # jinja2 is imported for a plan that has templates of its own
        return [], 0
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(extensions=["jinja2.ext.i18n"])
    problems: list[Problem] = []
    for path in paths:
        shown = f"{rel}/{path.relative_to(folder).as_posix()}"
        try:
            source = path.read_text(encoding="utf-8")
            tree = env.parse(source, path.name, shown)
        except TemplateSyntaxError as exc:
            problems.append(
                Problem(
                    shown,
                    exc.lineno or 1,
                    1,
                    "template-syntax",
                    N_("the report template cannot be used: {reason}"),
                    {"reason": exc.message or str(exc)},
                )
            )
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "template-syntax",
                    N_("the report template cannot be used: {reason}"),
                    {"reason": getattr(exc, "strerror", None) or str(exc)},
                )
            )
            continue
        private: dict[int, set[str]] = {}
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
            if isinstance(node, nodes.Getattr):
                name: str | None = node.attr
            elif isinstance(node, nodes.Getitem):
                name = _const(node.arg)
            elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
                name = _const(node.args[0])
            else:
                name = None
            if name is not None and name.startswith("_"):
                private.setdefault(node.lineno, set()).add(name)
        problems.extend(
            Problem(
                shown,
                line,
                1,
                "template-unsafe",
                N_(
                    "the report template reaches for {names}: private attributes, which "
                    "report templates may not use (they may only show the report's "
                    "values); remove them"
                ),
                {"names": ListOf(sorted(names), quoted=True)},
            )
            for line, names in sorted(private.items())
        )
    return problems, len(paths)


def _const(node: object) -> str | None:
    from jinja2 import nodes

    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    return None


#: The names of the files ``report`` writes: a period's report and its charts.
