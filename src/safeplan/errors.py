"""One exception root carrying an exit code, so that one handler in the CLI maps errors to exits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from safeplan.problems import Problem

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class SafeplanError(Exception):
    """Base of every error safeplan raises on purpose.

    ``template`` is an English message with ``{name}`` fields; it is the msgid that
    the catalogs translate, so the message is rendered in the reader's language.
    """

    exit_code = EXIT_PROBLEMS

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**{k: str(v) for k, v in self.params.items()})


class UsageError(SafeplanError):
    """Bad arguments: an unknown task, unit or hazard, a malformed date, no plan found."""

    exit_code = EXIT_USAGE


class DataError(SafeplanError):
    """The data is broken in a way that stops the command (the problems say where)."""

    exit_code = EXIT_PROBLEMS

    def __init__(
        self, template: str, problems: Sequence[Problem] | None = None, **params: Any
    ) -> None:
        super().__init__(template, **params)
        self.problems: list[Problem] = list(problems or [])


class RefusedError(SafeplanError):
    """An edit was refused (closing an unaccepted hazard, a file changed under us): nothing written."""

    exit_code = EXIT_PROBLEMS
