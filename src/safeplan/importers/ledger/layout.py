"""Finding a sheet's layout: its heading row (under any title rows) and what each column is;
and the context every row is read in, with the reporter of problems at a row and a column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from safeplan.errors import DataError, UsageError
from safeplan.importers.ledger import headings
from safeplan.importers.ledger.workbook import Sheet
from safeplan.models.ledger import HAZARD_COLUMNS
from safeplan.models.records import Plan
from safeplan.problems import N_, Coded, Fragment, ListOf, Problem

#: Rows searched for the heading row (under title and note rows).
HEADING_SEARCH = 30


@dataclass
class Layout:
    """Where the headings are and which column each names."""

    heading_row: int
    #: column number → (heading as written, key)
    columns: dict[int, tuple[str, str]]
    ignored: list[str]


def _keys_of(cells: Mapping[int, object], index: Mapping[str, str]) -> dict[int, tuple[str, str]]:
    out = {}
    for c, v in cells.items():
        if isinstance(v, str):
            key = index.get(headings.fold(v))
            if key is not None:
                out[c] = (v.strip(), key)
    return out


def _layout(sheet: Sheet, index: Mapping[str, str]) -> Layout | None:
    """The heading row: the first with three or more known headings, one of them naming the
    hazard; a second heading row below a merged group heading (整改情况 over 整改完成日期 …)
    is read into it."""
    rows = sheet.rows[:HEADING_SEARCH]
    for i, (r, cells) in enumerate(rows):
        found = _keys_of(cells, index)
        keys = {k for _, k in found.values()}
        if len(found) < 3 or not keys & {"title", "description"}:
            continue
        layout = Layout(r, found, [])
        if (
            i + 1 < len(rows)
            and rows[i + 1][0] == r + 1
            # a heading is text: a row with a number or a date is the first hazard
            and all(isinstance(v, str) for v in rows[i + 1][1].values())
        ):
            below = _keys_of(rows[i + 1][1], index)
            repeated = {c for c in below if c in found and found[c][0] == below[c][0]}
            new = {c: v for c, v in below.items() if c not in repeated}
            if len(new) >= 2 or (new and repeated):
                for c, v in new.items():
                    layout.columns[c] = v
                layout.heading_row = r + 1
        heads = {c: v for c, v in cells.items() if isinstance(v, str)}
        layout.ignored = [str(v).strip() for c, v in heads.items() if c not in layout.columns]
        return layout
    return None


def find_layout(
    sheets: Sequence[Sheet], index: Mapping[str, str], shown: str
) -> tuple[Sheet, Layout]:
    """The first sheet with a heading row, and its layout (without --sheet, a cover sheet
    is passed over)."""
    for candidate in sheets:
        layout = _layout(candidate, index)
        if layout is not None:
            return candidate, layout
    raise DataError(
        N_(
            "no heading row found in sheet '{sheet}' of {path}: safeplan looks in the first "
            "{n} rows for headings such as 隐患名称, 隐患等级, 发现日期; name the sheet with "
            "--sheet, or the headings with --map"
        ),
        sheet=sheets[0].name,
        path=shown,
        n=HEADING_SEARCH,
    )


def columns_by_key(layout: Layout) -> dict[str, tuple[int, str]]:
    """Each column key's first column and heading (责任人 alone is the rectification's)."""
    by_key: dict[str, tuple[int, str]] = {}
    for c, (heading, key) in sorted(layout.columns.items()):
        by_key.setdefault(key, (c, heading))
    if "responsible_person" in by_key and "plan_person" not in by_key:
        # 责任人 alone means the rectification's person (整改责任人).
        by_key["plan_person"] = by_key.pop("responsible_person")
        layout.columns[by_key["plan_person"][0]] = (by_key["plan_person"][1], "plan_person")
    return by_key


def column_letter(col: int) -> str:
    """Excel's name of a column: 1 → A, 27 → AA."""
    out = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out or "?"


@dataclass
class Context:
    """What every row is read against: the layout, the plan's units and rules, the day."""

    shown: str
    layout: Layout
    by_key: dict[str, tuple[int, str]]
    units: list[str]
    today: dt.date
    problems: list[Problem]
    funds_unit: int | None
    plan: Plan | None
    #: Values for columns the ledger lacks (``--set``, ``defaults:``): key → (heading, value).
    defaults: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Units rows name that the plan lacks: name → the rows naming it.
    new_units: dict[str, list[int]] = field(default_factory=dict)
    #: Whether those units are added to data/units.yaml (``--add-units``).
    add_units: bool = False

    def has(self, key: str) -> bool:
        """Whether the ledger gives this column, as a column or by ``--set``."""
        return key in self.by_key or key in self.defaults


def problem(
    ctx: Context,
    row: int,
    key: str | None,
    template: str,
    params: Mapping[str, Any],
    severity: Literal["error", "warning"] = "error",
    code: str = "ledger-cell",
    near: str | None = None,
) -> None:
    """A problem at a row and a column, named by its heading and column letter; a value
    given by ``--set`` is named as given; a column the ledger does not have is named as
    the field it would hold (located at ``near``, the cell the row does have)."""
    inner = Fragment(template, dict(params))
    shown: dict[str, object]
    if key is None:
        key = "title" if "title" in ctx.by_key else "description"
    if key in ctx.by_key:
        col, heading = ctx.by_key[key]
        template, shown = (
            N_("{heading} (column {letter}): {problem}"),
            {"heading": heading or "?", "letter": column_letter(col)},
        )
    elif key in ctx.defaults:
        heading, value = ctx.defaults[key]
        col = ctx.by_key.get(near or "", (1, ""))[0]
        template, shown = (
            N_("{heading} (--set {heading}={value}): {problem}"),
            {
                "heading": heading,
                "value": value,
            },
        )
    else:
        col = ctx.by_key.get(near or "", (1, ""))[0]
        template, shown = (
            N_("{field} (the ledger has no such column): {problem}"),
            {"field": _field_of(key)},
        )
    ctx.problems.append(
        Problem(ctx.shown, row, col, code, template, {**shown, "problem": inner}, severity)
    )


def cell_ref(ctx: Context, key: str, value: object) -> Fragment:
    """A cell the row does have, as a message names it: 验收人 (column F) '张三'."""
    if key in ctx.by_key:
        col, heading = ctx.by_key[key]
        return Fragment(
            N_("{heading} (column {letter}) '{value}'"),
            {"heading": heading, "letter": column_letter(col), "value": str(value)},
        )
    heading, given = ctx.defaults.get(key, (str(_field_of(key).code), str(value)))
    return Fragment(N_("{heading} (--set) '{value}'"), {"heading": heading, "value": given})


def _column_key(name: str, index: Mapping[str, str]) -> str | None:
    """The column a ``--map`` target or ``--set`` heading names: a column key as it is, or
    a heading safeplan knows (None: neither)."""
    return name if name in headings.KINDS else index.get(headings.fold(name))


def column_index(
    gettexts: Iterable[Callable[[str], str]], mapping: Mapping[str, str] | None
) -> dict[str, str]:
    """Folded heading → column key: the headings safeplan knows, and those ``--map`` names."""
    index = headings.heading_index(list(gettexts))
    for heading, target in (mapping or {}).items():
        key = _column_key(target, index)
        if key is None:
            raise UsageError(
                N_(
                    "--map: '{target}' (for the heading '{heading}') is not a ledger column: use "
                    "one of {keys}, or a heading safeplan knows (隐患名称, 整改时限 …)"
                ),
                target=target,
                heading=heading,
                keys=ListOf(sorted(headings.KINDS)),
            )
        index[headings.fold(heading)] = key
    return index


@dataclass(frozen=True)
class MapFile:
    """A mapping file: headings named, the sheet, values for columns the ledger lacks."""

    columns: dict[str, str]
    sheet: str | None
    defaults: dict[str, str]


def read_map(path: Path, shown: str) -> MapFile:
    """A mapping file: ``columns: {heading as written: column or known heading}``, an
    optional ``sheet:``, and ``defaults: {column: value}`` for columns the ledger lacks."""
    from safeplan.yamlio import YamlProblem, load_fast, read_text

    try:
        data = load_fast(read_text(path))
    except OSError as exc:
        raise UsageError(
            N_("--map: cannot read {path}: {reason}"), path=shown, reason=exc.strerror or str(exc)
        ) from None
    except YamlProblem as exc:
        raise UsageError(
            N_("--map: {path}:{line}:{column}: {reason}"),
            path=shown,
            line=exc.line,
            column=exc.column,
            reason=Fragment(exc.template, exc.params),
        ) from None
    columns = data.get("columns", {}) if isinstance(data, dict) else None
    sheet = data.get("sheet") if isinstance(data, dict) else None
    defaults = data.get("defaults", {}) if isinstance(data, dict) else None
    if (
        not isinstance(columns, dict)
        or not isinstance(defaults, dict)
        or not (columns or defaults)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
        or not all(isinstance(k, str) and _scalar(v) for k, v in defaults.items())
        or (sheet is not None and not isinstance(sheet, str))
    ):
        raise UsageError(
            N_(
                "--map: {path} must hold 'columns:', each line a heading of the ledger and the "
                "column it is (隐患内容: title, or 隐患内容: 隐患名称), and may name the 'sheet:' "
                "and give 'defaults:' for columns the ledger lacks (责任单位: 镇安监站)"
            ),
            path=shown,
        )
    return MapFile(
        {str(k): str(v) for k, v in columns.items()},
        sheet,
        {str(k): _as_text(v) for k, v in defaults.items()},
    )


def _scalar(value: object) -> bool:
    return isinstance(value, str | int | float | dt.date) and not isinstance(value, bool)


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def parse_sets(given: Sequence[str]) -> dict[str, str]:
    """``--set 列名=值`` options as heading → value (the last one given wins)."""
    out: dict[str, str] = {}
    for item in given:
        heading, eq, value = item.partition("=")
        if not eq or not heading.strip() or not value.strip():
            raise UsageError(
                N_(
                    "--set: '{given}' is not 列名=值: write the column and its value for the "
                    "whole sheet, e.g. --set 责任单位=镇安监站"
                ),
                given=item,
            )
        out[heading.strip()] = value.strip()
    return out


def resolve_defaults(
    given: Mapping[str, str], index: Mapping[str, str], by_key: Mapping[str, tuple[int, str]]
) -> dict[str, tuple[str, str]]:
    """Each ``--set`` heading as its column key; a column the ledger has is refused (its
    cells say what each row is)."""
    out: dict[str, tuple[str, str]] = {}
    for heading, value in given.items():
        key = _column_key(heading, index)
        if key is None:
            raise UsageError(
                N_(
                    "--set: '{heading}' is not a ledger column safeplan knows: use a heading "
                    "such as 责任单位, 隐患来源, 隐患等级, 发现日期, 验收日期, or one of {keys}"
                ),
                heading=heading,
                keys=ListOf(sorted(headings.KINDS)),
            )
        if key in by_key:
            col, written = by_key[key]
            raise UsageError(
                N_(
                    "--set {heading}: the ledger has this column ({written}, column {letter}), "
                    "so each row says its own value: leave out --set {heading}, or fill in the "
                    "cells"
                ),
                heading=heading,
                written=written,
                letter=column_letter(col),
            )
        out[key] = (heading, value)
    return out


#: The columns a hazard cannot do without, and what the record needs them for.
REQUIRED = ("level", "source", "discovered_on", "responsible_unit")


def missing_columns(ctx: Context) -> None:
    for key in REQUIRED:
        if not ctx.has(key):
            ctx.problems.append(
                Problem(
                    ctx.shown,
                    ctx.layout.heading_row,
                    1,
                    "ledger-column",
                    N_(
                        "the ledger has no column for {field}, which every hazard needs: give "
                        "one value for the whole sheet (--set {field}=…, or 'defaults:' in the "
                        "--map file), add the column, or name it with --map (e.g. '排查时间: 发现日期')"
                    ),
                    {"field": _field_of(key)},
                )
            )
    if ctx.layout.ignored:
        ctx.problems.append(
            Problem(
                ctx.shown,
                ctx.layout.heading_row,
                1,
                "ledger-ignored",
                N_(
                    "columns not read (safeplan has no field for them; name them with --map): {headings}"
                ),
                {"headings": ListOf(ctx.layout.ignored, quoted=True)},
                "warning",
            )
        )


def _field_of(key: str) -> Coded:
    """A column key shown as the field's label in the reader's language."""
    fields = {c.key: c.field for c in HAZARD_COLUMNS if c.field}
    by_key = {k: f for f, k in headings.FIELD_KEYS.items() if "." in f or f == k}
    code = (
        fields.get(key)
        or (headings.IMPORT_ONLY[key].field if key in headings.IMPORT_ONLY else None)
        or by_key.get(key, key)
    )
    return Coded("field", code)


def at_row(ctx: Context, r: int) -> Callable[..., None]:
    """A reporter of problems at row ``r`` (for the update, in its own module)."""

    def report(
        key: str | None,
        template: str,
        params: Mapping[str, Any],
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        problem(ctx, r, key, template, params, severity)

    return report
