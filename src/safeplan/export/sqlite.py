"""A SQLite database of one town or many, as bytes (the command writes them atomically).

Built in memory with the standard library's sqlite3, every table filled with executemany
in one transaction, then serialised: the file appears whole or not at all. The header's
``application_id`` marks it as safeplan's, so exporting again over it needs no --force.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import BinaryIO

from safeplan.export.rows import TownSource, adapt_sqlite, town_parts
from safeplan.export.tables import (
    SCHEMA_VERSION,
    TABLES,
    VERSION_NOTES,
    create_tables,
    create_views,
)

#: PRAGMA application_id of safeplan's files ("SfPl"), at offset 68 of the header.
APPLICATION_ID = 0x5366506C
_HEADER = b"SQLite format 3\x00"


def sqlite_bytes(towns: Iterable[TownSource], as_of: dt.date, exported_on: dt.date) -> bytes:
    """The database of these towns; its views show the figures of ``as_of`` until
    ``UPDATE params SET as_of = …``."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with con:
            for stmt in create_tables("sqlite"):
                con.execute(stmt)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?)",
                (SCHEMA_VERSION, VERSION_NOTES[SCHEMA_VERSION]),
            )
            con.execute("INSERT INTO params VALUES (?)", (as_of.isoformat(),))
            inserts = {
                t.name: f"INSERT INTO {t.name} VALUES ({', '.join('?' * len(t.columns))})"
                for t in TABLES
            }
            for town in towns:
                for part in town_parts(town, exported_on, as_of):
                    for name, rows in part.items():
                        con.executemany(
                            inserts[name], ([adapt_sqlite(v) for v in row] for row in rows)
                        )
            for stmt in create_views("sqlite"):
                con.execute(stmt)
        return con.serialize()
    finally:
        con.close()


def is_export(name: str, fh: BinaryIO) -> bool:
    """Whether an existing file is a database ``export sqlite`` wrote (its header says so)."""
    head = fh.read(72)
    return (
        len(head) == 72
        and head.startswith(_HEADER)
        and int.from_bytes(head[68:72], "big") == APPLICATION_ID
    )
