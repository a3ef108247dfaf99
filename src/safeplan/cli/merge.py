"""``safeplan merge-file`` (the git merge driver) and ``safeplan git-setup`` (which tells git
to use it): two officers' facts about one hazard merge without a conflict."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from safeplan.cli.options import Call, argument, command
from safeplan.problems import N_

BaseArg = Annotated[Path, argument(N_("The common ancestor's version (git's %O)."), "BASE")]
OursArg = Annotated[
    Path, argument(N_("Our version (git's %A); the merged file is written here."), "OURS")
]
TheirsArg = Annotated[Path, argument(N_("Their version (git's %B)."), "THEIRS")]
PathArg = Annotated[
    str | None, argument(N_("The file's path in the repository (git's %P)."), "PATH")
]


@command()
def merge_file(
    c: Call, base: BaseArg, ours: OursArg, theirs: TheirsArg, path: PathArg = None
) -> int:
    from safeplan import fsio
    from safeplan.edit.merge import merge_files

    merged = merge_files(base, ours, theirs, Path.cwd())
    fsio.write(ours, merged.data, fsio.current(ours), str(ours))
    if merged.clean:
        return 0
    from safeplan.problems import Coded, ListOf
    from safeplan.render.text import render

    template = N_(
        "{path}: the branches contradict each other at {fields}: both values are in the file "
        "between conflict markers (every other fact is merged); keep one, then run safeplan "
        "validate"
    )
    # A field by its label where it has one (rectification.on → 整改完成日期).
    fields = ListOf(Coded("field", name) for name in merged.conflicts)
    c.echo(render(template, {"path": path or str(ours), "fields": fields}, c.tr), err=True)
    return 1


@command()
def git_setup(c: Call) -> int:
    from safeplan import fsio
    from safeplan.edit.merge import DRIVER_COMMAND, attributes, configure

    target = c.root / ".gitattributes"
    before = fsio.current(target)
    text = before.decode("utf-8") if before is not None else ""
    after = attributes(text)
    configure(c.root, "git-setup")
    if after != text:
        fsio.write(target, after.encode("utf-8"), before, ".gitattributes")
        c.echo(c.tr(N_("wrote {files}")).format(files=".gitattributes"))
    c.echo(
        c.tr(
            N_(
                "git merges hazard files and data/tasks.yaml with '{command}': the facts of "
                "both branches, in date order; a contradiction is left as a conflict"
            )
        ).format(command=DRIVER_COMMAND)
    )
    return 0
