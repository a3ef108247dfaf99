"""Export the plan's records to SQL databases: SQLite (embedded) and PostgreSQL.

``tables``: the versioned schema (tables, keys, views for a chosen day) in both dialects ·
``rows``: one town's loaded plan as rows of those tables · ``sqlite``: a database file as
bytes · ``postgres``: idempotent upserts into a server. A county export is the same code
given many towns (``TownSource``).
"""

from safeplan.export.rows import (
    PLACEHOLDER_CODE,
    ExportKeep,
    TownSource,
    town_name,
    town_rows,
)
from safeplan.export.tables import SCHEMA_VERSION, TABLES

__all__ = [
    "PLACEHOLDER_CODE",
    "SCHEMA_VERSION",
    "TABLES",
    "ExportKeep",
    "TownSource",
    "town_name",
    "town_rows",
]
