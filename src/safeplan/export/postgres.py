"""Load the export's schema into PostgreSQL with idempotent upserts (psycopg 3, imported here
only, when the command runs).

Each table is copied (COPY) into a temporary twin, then upserted by its key: a row that is
the same is not touched (``IS DISTINCT FROM``), so exporting the same commit again changes
nothing, not even a row version. A newer commit updates what changed; a record it no longer
has (a hazard renumbered away) is kept, marked ``in_commit = false``, with its parts; only
the parts of a record the new commit does hold are replaced (a fact corrected, not removed).
The enterprises' duty states are of a day: an export replaces its day's, keeps the others.
A database of an older schema version gets the tables it lacks, and its version row.
All of it in one transaction, under an advisory lock, so two exports do not interleave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from safeplan.errors import DataError, UsageError
from safeplan.export.rows import Row, TownSource, town_parts
from safeplan.export.tables import (
    BY_NAME,
    SCHEMA_VERSION,
    TABLES,
    VERSION_NOTES,
    VIEWS,
    Table,
    create_tables,
    create_views,
)
from safeplan.problems import N_

if TYPE_CHECKING:
    import psycopg

#: pg_advisory_xact_lock key of an export ("safeplan" in a bigint's worth of letters).
_LOCK = 0x73616665706C616E
#: Columns that say when, not what: a change in them alone is no change.
_NOT_COMPARED = {"exported_on"}


@dataclass
class Loaded:
    """What an export did: rows added, changed, removed (parts of a record that changed), and
    records kept from earlier commits (``in_commit`` turned false)."""

    inserted: int = 0
    updated: int = 0
    removed: int = 0
    retired: int = 0


_URL_PASSWORD = re.compile(r"(://[^/@:?#]*):[^@/?#]*@")
_KEY_PASSWORD = re.compile(r"""(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)""", re.I)


def shown_url(url: str) -> str:
    """The connection string as it may be shown: any password replaced by ***."""
    return _KEY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", url))


def _scrubbed(message: str, url: str) -> str:
    """A driver's message with the password (if it quotes it) replaced by ***."""
    text = shown_url(message)
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return " ".join(text.split())


class _Failure(TypedDict):
    url: str
    error: str


def _failure(url: str, exc: Exception) -> _Failure:
    """The parameters of every message about a failed connection or export: where, and
    the driver's reason, neither with the password."""
    return _Failure(url=shown_url(url), error=_scrubbed(str(exc), url))


def _secrets(url: str) -> list[str]:
    found = [m.group(0).split(":", 1)[1][:-1] for m in re.finditer(r":[^@/?#:]*@", url)]
    found += [m.group(2).strip("'") for m in _KEY_PASSWORD.finditer(url)]
    return [s for s in found if len(s) >= 3]


def _driver() -> object:
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            N_(
                "export postgres needs the PostgreSQL driver psycopg: "
                "pip install 'safeplan[postgres]'"
            )
        ) from None
    return psycopg


@contextmanager
def connect(url: str, timeout: int = 10) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection to ``url``; a malformed one is a usage error, a server that cannot be
    reached (or refuses) a data error, both without the password."""
    _driver()
    import psycopg

    try:
        con = psycopg.connect(url, connect_timeout=timeout)
    except psycopg.ProgrammingError as exc:
        raise UsageError(
            N_("{url} is not a PostgreSQL connection string: {error}"),
            **_failure(url, exc),
        ) from None
    except psycopg.Error as exc:
        raise DataError(
            N_("cannot connect to PostgreSQL at {url}: {error}; nothing was exported"),
            **_failure(url, exc),
        ) from None
    try:
        with con:
            yield con
    except psycopg.Error as exc:
        raise DataError(
            N_("PostgreSQL refused the export at {url}: {error}; nothing was exported"),
            **_failure(url, exc),
        ) from None


def export_postgres(
    con: psycopg.Connection[tuple[object, ...]],
    towns: Iterable[TownSource],
    as_of: dt.date,
    exported_on: dt.date,
) -> Loaded:
    """Upsert the towns' rows, in one transaction: see the module's docstring. The towns
    may come one at a time (a county's, each read when asked for)."""
    done = Loaded()
    codes: list[str] = []
    with con.transaction(), con.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        _schema(cur, as_of)
        for t in TABLES:
            cur.execute(f"CREATE TEMP TABLE stage_{t.name} (LIKE {t.name}) ON COMMIT DROP")
        for town in towns:
            codes.append(town.code)
            for part in town_parts(town, exported_on, as_of):
                for name, rows in part.items():
                    _copy(cur, BY_NAME[name], rows)
        for t in TABLES:
            cur.execute(_upsert(t))
            for (inserted,) in cur.fetchall():
                if inserted:
                    done.inserted += 1
                else:
                    done.updated += 1
            match = " AND ".join(f"s.{k} = t.{k}" for k in t.key)
            absent = f"NOT EXISTS (SELECT 1 FROM stage_{t.name} s WHERE {match})"
            if "in_commit" in t.names:
                cur.execute(
                    f"UPDATE {t.name} t SET in_commit = FALSE "
                    f"WHERE t.town = ANY(%s) AND t.in_commit AND {absent}",
                    (codes,),
                )
                done.retired += cur.rowcount
            elif t.by_day:  # the export's day's rows are replaced, other days' kept
                cur.execute(
                    f"DELETE FROM {t.name} t WHERE t.town = ANY(%s) AND t.as_of = %s AND {absent}",
                    (codes, as_of),
                )
                done.removed += cur.rowcount
            elif t.parent is not None:
                parent = BY_NAME[t.parent]
                fk = t.key[1]  # a part's key: (town, its record's id, seq)
                held = (
                    f"EXISTS (SELECT 1 FROM stage_{parent.name} p "
                    f"WHERE p.town = t.town AND p.{parent.key[1]} = t.{fk})"
                )
                cur.execute(
                    f"DELETE FROM {t.name} t WHERE t.town = ANY(%s) AND {held} AND {absent}",
                    (codes,),
                )
                done.removed += cur.rowcount
    return done


def _copy(cur: psycopg.Cursor[tuple[object, ...]], t: Table, rows: Sequence[Row]) -> None:
    """Rows into the table's temporary twin, by COPY."""
    if not rows:
        return
    with cur.copy(f"COPY stage_{t.name} ({', '.join(t.names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _schema(cur: psycopg.Cursor[tuple[object, ...]], as_of: dt.date) -> None:
    """The tables and views where they are missing, and the schema's version checked."""
    for stmt in create_tables("postgres"):
        cur.execute(stmt)
    cur.execute("SELECT max(version) FROM schema_version")
    found = cur.fetchone()
    version = found[0] if found else None
    if version is None or (isinstance(version, int) and version < SCHEMA_VERSION):
        # A new database, or an older version's: the tables it lacks were just created
        # (a version only adds tables), so each version's row records the migration.
        start = SCHEMA_VERSION if version is None else version + 1
        for v in range(start, SCHEMA_VERSION + 1):
            cur.execute("INSERT INTO schema_version VALUES (%s, %s)", (v, VERSION_NOTES[v]))
    elif not isinstance(version, int) or version > SCHEMA_VERSION:
        raise DataError(
            N_(
                "the database holds safeplan's schema version {found}, newer than this "
                "safeplan's ({ours}): upgrade safeplan; nothing was exported"
            ),
            found=version,
            ours=SCHEMA_VERSION,
        )
    cur.execute("SELECT count(*) FROM params")
    found = cur.fetchone()
    if not found or not found[0]:
        cur.execute("INSERT INTO params VALUES (%s)", (as_of,))
    # The views once (a view replaced on every export would lock out its readers meanwhile).
    cur.execute(
        "SELECT count(*) FROM pg_views WHERE schemaname = current_schema() AND viewname = ANY(%s)",
        (list(VIEWS),),
    )
    views = cur.fetchone()
    if not views or views[0] != len(VIEWS):
        for stmt in create_views("postgres"):
            cur.execute(stmt)


def _upsert(t: Table) -> str:
    cols = ", ".join(t.names)
    rest = [c for c in t.names if c not in t.key]
    compared = [c for c in rest if c not in _NOT_COMPARED]
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)
    old = ", ".join(f"{t.name}.{c}" for c in compared)
    new = ", ".join(f"EXCLUDED.{c}" for c in compared)
    return (
        f"INSERT INTO {t.name} ({cols}) SELECT {cols} FROM stage_{t.name} "
        f"ON CONFLICT ({', '.join(t.key)}) DO UPDATE SET {sets} "
        f"WHERE ({old}) IS DISTINCT FROM ({new}) RETURNING (xmax = 0)"
    )
