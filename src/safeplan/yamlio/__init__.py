"""The only package that reads or writes YAML.

``text``: bytes → text (size, BOM, encodings) · ``fast``: plain data from libyaml's
events, with a full-loader fallback · ``syntax``: messages for YAML that does not
parse · ``handedit``: the mistakes of hand edits, each recognised once · ``locate``:
line and column of a key path · ``roundtrip``: ruamel.yaml round-trip loading,
editing in place and dumping, for edits.
"""

from safeplan.yamlio.fast import load_fast, stats
from safeplan.yamlio.locate import Locator
from safeplan.yamlio.problem import YamlProblem
from safeplan.yamlio.roundtrip import (
    RoundTrip,
    rt_append,
    rt_delete,
    rt_dump_new,
    rt_load,
    rt_new,
    rt_set,
)
from safeplan.yamlio.syntax import MAX_DEPTH
from safeplan.yamlio.text import MAX_FILE_BYTES, decode, read_bytes, read_text

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Locator",
    "RoundTrip",
    "YamlProblem",
    "decode",
    "load_fast",
    "read_bytes",
    "read_text",
    "rt_append",
    "rt_delete",
    "rt_dump_new",
    "rt_load",
    "rt_new",
    "rt_set",
    "stats",
]
