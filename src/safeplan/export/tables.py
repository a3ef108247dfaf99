"""The export's schema, once for both dialects: tables, keys, and the views of a day.

Every table is keyed by the town's code first, so one database holds a town or a county
(and a city of counties). Dates are ISO text in SQLite and ``date`` in PostgreSQL, so the
same views compare them in both. ``SCHEMA_VERSION`` is written to ``schema_version``;
each version adds tables and says what changed in docs/databases.md: version 2 added the
enterprises (#20), their dated facts, the plan's duties, and each enterprise's duty states
of the export's day (``enterprise_duties``: computed by safeplan, not by a view, so that
the rules of ``status/enterprises.py`` are written once).

The views compute the status figures of the day in ``params.as_of`` (one row): SQLite has
no parameterised views, so the day is a row to update (PostgreSQL also reads the setting
``safeplan.as_of`` first: ``SET safeplan.as_of = '2025-06-30'``, per session).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

SCHEMA_VERSION = 2
#: Each version's ``schema_version.note``: a new database gets the current version's row,
#: an older one a row for each version it is migrated through.
VERSION_NOTES = {
    1: "safeplan export: see docs/databases.md",
    2: (
        "safeplan export: see docs/databases.md; version 2 added enterprises, "
        "enterprise_events, duties, enterprise_duties"
    ),
}

Dialect = Literal["sqlite", "postgres"]
#: Column types, named once and spelled per dialect.
Kind = Literal["text", "int", "date", "bool", "num"]

_TYPES: dict[Dialect, dict[Kind, str]] = {
    "sqlite": {"text": "TEXT", "int": "INTEGER", "date": "TEXT", "bool": "INTEGER", "num": "REAL"},
    "postgres": {
        "text": "text",
        "int": "integer",
        "date": "date",
        "bool": "boolean",
        "num": "numeric",
    },
}


class Table(NamedTuple):
    name: str
    columns: tuple[tuple[str, Kind], ...]
    key: tuple[str, ...]
    #: A record of its own (town, unit, task, hazard): kept when a newer commit lacks it,
    #: marked ``in_commit = false``. Otherwise a part of the record named by ``parent``:
    #: replaced with its record's new parts.
    parent: str | None = None
    #: Rows computed for the export's day (column ``as_of``): a day's rows are replaced
    #: by a new export of that day, other days' rows kept.
    by_day: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


Column = tuple[str, Kind]
#: What every dated event of a record holds, after its sequence number.
_EVENT_COLUMNS: tuple[Column, ...] = (
    ("kind", "text"),
    ("on_date", "date"),
    ("by_name", "text"),
    ("fields", "text"),
)


def _record(name: str, key: Column, *columns: Column) -> Table:
    """A record of its own: keyed by the town and ``key``, marked ``in_commit``."""
    return Table(name, (("town", "text"), key, *columns, ("in_commit", "bool")), ("town", key[0]))


def _part(name: str, parent: str, owner: Column, *columns: Column) -> Table:
    """A part of the record ``parent`` (its events, cycles, deadlines …): keyed by the town,
    the record and a sequence number, replaced with its record's new parts."""
    return Table(
        name,
        (("town", "text"), owner, ("seq", "int"), *columns),
        ("town", owner[0], "seq"),
        parent=parent,
    )


TABLES: tuple[Table, ...] = (
    Table(
        "towns",
        (
            ("town", "text"),
            ("name", "text"),
            ("source_commit", "text"),
            ("plan_title", "text"),
            ("due_soon_days", "int"),
            ("exported_on", "date"),
        ),
        ("town",),
    ),
    _record(
        "units",
        ("name", "text"),
        ("full_name", "text"),
        ("kind", "text"),
        ("members", "text"),
    ),
    _record(
        "tasks",
        ("number", "int"),
        ("action", "text"),
        ("title", "text"),
        ("deadline", "date"),
        ("ongoing", "bool"),
        ("ongoing_after", "bool"),
        ("check_in_months", "int"),
        ("units", "text"),
        ("lead_unit", "text"),
    ),
    _part(
        "task_facts",
        "tasks",
        ("task", "int"),
        *_EVENT_COLUMNS,
        ("withdrawn_on", "date"),
    ),
    _record(
        "hazards",
        ("id", "text"),
        ("title", "text"),
        ("level", "text"),
        ("source", "text"),
        ("discovered_on", "date"),
        ("basis", "text"),
        ("description", "text"),
        ("industry", "text"),
        ("location", "text"),
        ("found_by", "text"),
        ("responsible_unit", "text"),
        ("responsible_person", "text"),
        ("enterprise", "text"),
        ("credit_code", "text"),
        ("original_deadline", "date"),
        ("funds", "num"),
        ("plan_complete_on", "date"),
        ("withdrawn_on", "date"),
        ("broken", "bool"),
        ("path", "text"),
    ),
    _part(
        "hazard_events",
        "hazards",
        ("hazard", "text"),
        *_EVENT_COLUMNS,
    ),
    _part(
        "hazard_cycles",
        "hazards",
        ("hazard", "text"),
        ("rectified_on", "date"),
        ("accepted_on", "date"),
        ("accepted", "bool"),
        ("closed_on", "date"),
        ("ended_on", "date"),
    ),
    _part(
        "hazard_deadlines",
        "hazards",
        ("hazard", "text"),
        ("on_date", "date"),
        ("deadline", "date"),
        ("extension", "bool"),
    ),
    _part(
        "supervisions",
        "hazards",
        ("hazard", "text"),
        ("level", "text"),
        ("by_name", "text"),
        ("listed_on", "date"),
        ("lifted_on", "date"),
    ),
    _part(
        "extensions",
        "hazards",
        ("hazard", "text"),
        ("on_date", "date"),
        ("from_deadline", "date"),
        ("to_deadline", "date"),
        ("reason", "text"),
        ("approved_by", "text"),
    ),
    # Version 2: the enterprises the plan governs (#20) and their duties.
    _record(
        "enterprises",
        ("id", "text"),
        ("name", "text"),
        ("credit_code", "text"),
        ("address", "text"),
        ("village", "text"),
        ("industry", "text"),
        ("high_risk", "bool"),
        ("high_risk_reason", "text"),
        ("grade", "text"),
        ("flags", "text"),
        ("principal", "text"),
        ("principal_phone", "text"),
        ("safety_managers", "text"),
        ("employees", "int"),
        ("department", "text"),
        ("registered_on", "date"),
        ("closed_on", "date"),
        ("path", "text"),
    ),
    _part(
        "enterprise_events",
        "enterprises",
        ("enterprise", "text"),
        *_EVENT_COLUMNS,
    ),
    _record(
        "duties",
        ("id", "text"),
        ("task", "int"),
        ("title", "text"),
        ("applies_to", "text"),
        ("every", "text"),
        ("high_risk_every", "text"),
        ("fulfilled_by", "text"),
        ("roles", "text"),
        ("from_date", "date"),
    ),
    Table(
        "enterprise_duties",
        (
            ("town", "text"),
            ("as_of", "date"),
            ("enterprise", "text"),
            ("duty", "text"),
            ("state", "text"),
            ("period", "text"),
            ("every", "text"),
            ("last_on", "date"),
            ("missed", "text"),
            ("counted", "int"),
            ("lacking", "text"),
        ),
        ("town", "as_of", "enterprise", "duty"),
        by_day=True,
    ),
)

BY_NAME = {t.name: t for t in TABLES}


def create_tables(dialect: Dialect) -> list[str]:
    """The statements that create the schema where it is missing (tables, then views)."""
    types = _TYPES[dialect]
    out = [
        "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, note text)",
        f"CREATE TABLE IF NOT EXISTS params (as_of {types['date']} NOT NULL)",
    ]
    for t in TABLES:
        cols = ", ".join(
            f"{name} {types[kind]}{' NOT NULL' if name in t.key else ''}"
            for name, kind in t.columns
        )
        out.append(
            f"CREATE TABLE IF NOT EXISTS {t.name} ({cols}, PRIMARY KEY ({', '.join(t.key)}))"
        )
    return out


class _Sql(NamedTuple):
    """What differs between the two dialects' views: the day, date sums, the verbs."""

    as_of: str
    start: str
    soon: str
    create: str
    later: str
    tenths: str


def _dialect(dialect: Dialect) -> _Sql:
    if dialect == "sqlite":
        as_of = "(SELECT as_of FROM params LIMIT 1)"
        start = (
            "MIN(date(as_of, 'start of month', '-' || check_in_months || ' months', "
            "'+' || (CAST(strftime('%d', as_of) AS INTEGER) - 1) || ' days'), "
            "date(as_of, 'start of month', '-' || check_in_months || ' months', '+1 month', "
            "'-1 day'))"
        )
        soon = "date(as_of, '+' || due_soon_days || ' days')"
        create = "CREATE VIEW IF NOT EXISTS"
        later = "MAX(done_on, last_progress_on)"
        tenths = "({}) / 10.0"
    else:
        as_of = (
            "COALESCE(NULLIF(current_setting('safeplan.as_of', true), '')::date, "
            "(SELECT as_of FROM params LIMIT 1))"
        )
        start = "(as_of - make_interval(months => check_in_months))::date"
        soon = "as_of + due_soon_days"
        create = "CREATE OR REPLACE VIEW"
        later = "GREATEST(done_on, last_progress_on)"
        tenths = "round(({}) / 10.0, 1)"  # numeric: shown as 53.3, not 53.3000000000000000
    return _Sql(as_of, start, soon, create, later, tenths)


def create_views(dialect: Dialect) -> list[str]:
    """The views of the day in ``params``: each hazard's and task's state, and the counts
    and rates ``safeplan status --json`` shows (``hazards.counts``, ``hazards.rates``,
    ``tasks.counts``), per town."""
    sql = _dialect(dialect)
    return [*_hazard_views(sql), *_task_views(sql)]


def _hazard_views(sql: _Sql) -> list[str]:
    """hazard_status (each hazard's state on the day), hazard_counts and hazard_rates."""
    return [_hazard_status(sql), *_hazard_figures(sql)]


def _hazard_status(sql: _Sql) -> str:
    """Each hazard's state on the day: its cycle then, its deadline in force, its flags."""
    as_of, create = sql.as_of, sql.create
    hazard_status = f"""{create} hazard_status AS
WITH p AS (SELECT {as_of} AS as_of),
cyc AS (
  SELECT c.town, c.hazard, MIN(c.seq) AS seq FROM hazard_cycles c, p
  WHERE c.ended_on IS NULL OR c.ended_on > p.as_of GROUP BY c.town, c.hazard),
dl AS (
  SELECT d.town, d.hazard, MAX(d.seq) AS seq FROM hazard_deadlines d, p
  WHERE d.on_date <= p.as_of GROUP BY d.town, d.hazard),
fp AS (
  SELECT town, hazard, MIN(seq) AS seq FROM hazard_deadlines WHERE NOT extension
  GROUP BY town, hazard),
base AS (
  SELECT h.town, h.id, h.level, h.source, h.industry, h.responsible_unit, h.enterprise,
    h.discovered_on, h.broken, h.plan_complete_on, h.withdrawn_on, p.as_of,
    CASE
      WHEN h.withdrawn_on IS NOT NULL AND h.withdrawn_on <= p.as_of THEN 'withdrawn'
      WHEN c.closed_on <= p.as_of THEN 'closed'
      WHEN c.accepted_on <= p.as_of THEN CASE WHEN c.accepted THEN 'accepted' ELSE 'failed' END
      WHEN c.rectified_on <= p.as_of THEN 'rectified'
      ELSE 'open'
    END AS state,
    COALESCE(d.deadline, f.deadline) AS deadline,
    COALESCE(d.extension, FALSE) AS extended,
    c.rectified_on, c.closed_on
  FROM hazards h CROSS JOIN p
  JOIN cyc ON cyc.town = h.town AND cyc.hazard = h.id
  JOIN hazard_cycles c ON c.town = cyc.town AND c.hazard = cyc.hazard AND c.seq = cyc.seq
  LEFT JOIN dl ON dl.town = h.town AND dl.hazard = h.id
  LEFT JOIN hazard_deadlines d ON d.town = dl.town AND d.hazard = dl.hazard AND d.seq = dl.seq
  LEFT JOIN fp ON fp.town = h.town AND fp.hazard = h.id
  LEFT JOIN hazard_deadlines f ON f.town = fp.town AND f.hazard = fp.hazard AND f.seq = fp.seq
  WHERE h.in_commit AND h.discovered_on <= p.as_of)
SELECT town, id, level, source, industry, responsible_unit, enterprise, discovered_on,
  as_of, state, deadline, extended,
  CASE WHEN state IN ('open', 'failed') AND deadline < as_of THEN TRUE ELSE FALSE END AS overdue,
  CASE WHEN broken AND state <> 'withdrawn' THEN TRUE ELSE FALSE END AS invalid,
  CASE WHEN NOT broken AND state IN ('rectified', 'accepted', 'closed') THEN TRUE ELSE FALSE END
    AS rectified,
  CASE WHEN level = 'major' AND state NOT IN ('closed', 'withdrawn')
    AND (plan_complete_on IS NULL OR plan_complete_on > as_of) THEN TRUE ELSE FALSE END
    AS plan_missing,
  CASE WHEN state = 'closed' THEN closed_on END AS closed_on
FROM base"""
    return hazard_status


def _hazard_figures(sql: _Sql) -> list[str]:
    """The counts by level and the rates (整改率, 销号率, 重大隐患整改率) per town."""
    create, tenths = sql.create, sql.tenths
    counts = f"""{create} hazard_counts AS
SELECT town, level,
  SUM(CASE WHEN state = 'open' AND NOT invalid THEN 1 ELSE 0 END) AS open,
  SUM(CASE WHEN state = 'failed' AND NOT invalid THEN 1 ELSE 0 END) AS failed,
  SUM(CASE WHEN state = 'rectified' AND NOT invalid THEN 1 ELSE 0 END) AS rectified,
  SUM(CASE WHEN state = 'accepted' AND NOT invalid THEN 1 ELSE 0 END) AS accepted,
  SUM(CASE WHEN state = 'closed' AND NOT invalid THEN 1 ELSE 0 END) AS closed,
  SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue,
  SUM(CASE WHEN invalid THEN 1 ELSE 0 END) AS invalid,
  SUM(CASE WHEN state = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn
FROM hazard_status GROUP BY town, level"""

    # 整改率 and the rest, rounded half up to a tenth in integers (as views/rates.percent).
    def rate(part: str, whole: str) -> str:
        return tenths.format(f"(2000 * {part} + {whole}) / (2 * {whole})")

    rates = f"""{create} hazard_rates AS
WITH n AS (
  SELECT town,
    SUM(CASE WHEN state <> 'withdrawn' THEN 1 ELSE 0 END) AS found,
    SUM(CASE WHEN rectified THEN 1 ELSE 0 END) AS rectified,
    SUM(CASE WHEN state = 'closed' AND NOT invalid THEN 1 ELSE 0 END) AS closed,
    SUM(CASE WHEN state <> 'withdrawn' AND level = 'major' THEN 1 ELSE 0 END) AS major_found,
    SUM(CASE WHEN rectified AND level = 'major' THEN 1 ELSE 0 END) AS major_rectified
  FROM hazard_status GROUP BY town),
z AS (
  SELECT w.town, COALESCE(n.found, 0) AS found, COALESCE(n.rectified, 0) AS rectified,
    COALESCE(n.closed, 0) AS closed, COALESCE(n.major_found, 0) AS major_found,
    COALESCE(n.major_rectified, 0) AS major_rectified
  FROM towns w LEFT JOIN n ON n.town = w.town)
SELECT town, found, rectified, closed,
  CASE WHEN found > 0 THEN {rate("rectified", "found")} END AS rectification_rate,
  CASE WHEN found > 0 THEN {rate("closed", "found")} END AS closure_rate,
  major_found, major_rectified,
  CASE WHEN major_found > 0 THEN {rate("major_rectified", "major_found")} END
    AS major_rectification_rate
FROM z"""
    return [counts, rates]


def _task_views(sql: _Sql) -> list[str]:
    """task_status (each task's state on the day), task_counts and duty_counts."""
    as_of, create, start, soon, later = sql.as_of, sql.create, sql.start, sql.soon, sql.later
    task_status = f"""{create} task_status AS
WITH p AS (SELECT {as_of} AS as_of),
prog AS (
  SELECT f.town, f.task, MAX(f.on_date) AS last FROM task_facts f, p
  WHERE f.kind = 'progress' AND f.on_date <= p.as_of GROUP BY f.town, f.task),
comp AS (
  SELECT f.town, f.task, MIN(f.seq) AS seq FROM task_facts f, p
  WHERE f.kind = 'done' AND f.on_date <= p.as_of
    AND (f.withdrawn_on IS NULL OR p.as_of < f.withdrawn_on)
  GROUP BY f.town, f.task),
base AS (
  SELECT t.town, t.number, t.title, t.lead_unit, t.deadline, t.ongoing, t.ongoing_after,
    t.check_in_months, w.due_soon_days, p.as_of, prog.last AS last_progress_on,
    cf.on_date AS done_on
  FROM tasks t CROSS JOIN p
  JOIN towns w ON w.town = t.town
  LEFT JOIN prog ON prog.town = t.town AND prog.task = t.number
  LEFT JOIN comp ON comp.town = t.town AND comp.task = t.number
  LEFT JOIN task_facts cf ON cf.town = comp.town AND cf.task = comp.task AND cf.seq = comp.seq
  WHERE t.in_commit),
dated AS (SELECT base.*, {start} AS period_start, {soon} AS soon FROM base)
SELECT town, number, title, lead_unit, deadline, done_on, last_progress_on, as_of,
  CASE
    WHEN done_on IS NOT NULL AND ongoing_after AND NOT ongoing THEN
      CASE WHEN COALESCE({later}, done_on) > period_start THEN 'current' ELSE 'stale' END
    WHEN done_on IS NOT NULL THEN
      CASE WHEN deadline IS NOT NULL AND NOT ongoing AND done_on > deadline
        THEN 'done_late' ELSE 'done' END
    WHEN ongoing OR deadline IS NULL THEN
      CASE WHEN last_progress_on IS NOT NULL AND last_progress_on > period_start
        THEN 'current' ELSE 'stale' END
    WHEN deadline < as_of THEN 'overdue'
    WHEN deadline <= soon THEN 'due_soon'
    ELSE 'open'
  END AS state
FROM dated"""
    task_counts = f"""{create} task_counts AS
SELECT town, state, COUNT(*) AS n FROM task_status GROUP BY town, state"""
    duty_counts = f"""{create} duty_counts AS
SELECT town, as_of, duty, COUNT(*) AS total,
  SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done,
  SUM(CASE WHEN state = 'due' THEN 1 ELSE 0 END) AS due,
  SUM(CASE WHEN state = 'overdue' THEN 1 ELSE 0 END) AS overdue
FROM enterprise_duties GROUP BY town, as_of, duty"""
    return [task_status, task_counts, duty_counts]


#: The views, in the order they are created (each reads those before it).
VIEWS = (
    "hazard_status",
    "hazard_counts",
    "hazard_rates",
    "task_status",
    "task_counts",
    "duty_counts",
)
