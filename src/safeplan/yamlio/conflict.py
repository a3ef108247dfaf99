"""The conflict markers a merge leaves in a file, named as what they are.

Read as YAML, ``<<<<<<< ours (safeplan)`` is only a line that is not 'field: value'; the
person who sees that message after ``git merge`` needs to hear that the merge left a
conflict in the file, and what to do. The markers safeplan's merge driver writes say
``(safeplan)``: there, the two branches contradict each other (two different values of
one field), and the message says so.
"""

from __future__ import annotations

import re

from safeplan.problems import N_
from safeplan.yamlio.problem import YamlProblem

#: The markers safeplan's merge driver writes (``edit.merge``), as git writes its own.
MARK_OURS = "<<<<<<< ours (safeplan)"
MARK_SPLIT = "======="
MARK_THEIRS = ">>>>>>> theirs (safeplan)"

#: Every marker line git writes (``|||||||`` with diff3; CRLF files keep their ``\r``).
_MARKER = re.compile(r"^(?:<{7}|\|{7}|>{7})(?:[ \t].*)?\r?$|^={7}\r?$", re.MULTILINE)

DRIVER_CONFLICT = N_(
    "merge conflict: the two merged branches give different values here (safeplan's merge "
    "driver merged every other fact): keep the lines of the right side between "
    "'<<<<<<< ours' and '>>>>>>> theirs', delete the other side's lines and the three "
    "marker lines, then run safeplan validate and commit"
)
GIT_CONFLICT = N_(
    "merge conflict: git left both branches' lines here between '<<<<<<<' and '>>>>>>>': "
    "keep the right lines, delete the rest and the marker lines, then run safeplan validate "
    "and commit ('safeplan git-setup' lets git merge the facts of both branches itself)"
)


def conflict_problem(text: str) -> YamlProblem | None:
    """The first conflict marker of a file, located and explained (None: there is none)."""
    m = _MARKER.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    own = MARK_OURS in text or MARK_THEIRS in text
    return YamlProblem(line, 1, "merge-conflict", DRIVER_CONFLICT if own else GIT_CONFLICT)
