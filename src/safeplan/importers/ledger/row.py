"""A ledger row as a hazard record's data: each column's cell read into its field, with the
problems of the row (an empty cell the record needs, parts that do not go together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from safeplan import vocab
from safeplan.importers.ledger import cells as cell
from safeplan.importers.ledger.common import NOT_IN_LEDGER
from safeplan.importers.ledger.layout import Context, cell_ref, problem
from safeplan.models.fields import HAZARD_ID_RE, WINDOWS_RESERVED_RE
from safeplan.problems import N_, Fragment


class Row:
    """Typed access to one row's cells; each reading problem is recorded once."""

    def __init__(self, ctx: Context, row: int, cells: Mapping[int, object]) -> None:
        self.ctx = ctx
        self.row = row
        self.cells = cells
        self.failed = False
        #: Columns whose cell could not be read (said once, not again as 'empty').
        self.bad: set[str] = set()

    def raw(self, key: str) -> object:
        """The row's cell under ``key``, or the value ``--set`` gives the whole sheet."""
        col = self.ctx.by_key.get(key)
        if col:
            return self.cells.get(col[0])
        given = self.ctx.defaults.get(key)
        return given[1] if given else None

    def _read(self, key: str, reader: Callable[[object], Any]) -> Any:
        value = self.raw(key)
        try:
            cell.no_formula(value)
            return reader(value)
        except cell.CellWarning as exc:
            problem(self.ctx, self.row, key, exc.template, exc.params, "warning")
            return None
        except cell.CellProblem as exc:
            problem(self.ctx, self.row, key, exc.template, exc.params)
            self.failed = True
            self.bad.add(key)
            return None

    def text(self, key: str) -> str | None:
        return self._read(key, cell.text)  # type: ignore[no-any-return]

    def date(self, key: str) -> dt.date | None:
        return self._read(key, cell.date)  # type: ignore[no-any-return]

    def coded(self, key: str, vocabulary: vocab.Vocabulary) -> str | None:
        return self._read(key, lambda v: cell.coded(vocabulary, v))  # type: ignore[no-any-return]

    def need(
        self, key: str, value: object, template: str, near: str | None = None, **params: Any
    ) -> None:
        if value is None and key not in self.bad:
            problem(self.ctx, self.row, key, template, params, near=near)
            self.failed = True

    def ref(self, key: str, value: object) -> Fragment:
        """A cell this row has, as a message names it (heading, column letter, value)."""
        return cell_ref(self.ctx, key, value)


def skip_reason(cells: Mapping[int, object], ctx: Context) -> str | None:
    known = {c for c in ctx.layout.columns}
    if cell.totals_row(cells.values()):
        return N_("a totals row: skipped")
    if cell.footer_row(cells):
        return N_("a signature or note line under the table: skipped")
    if not any(c in known for c in cells):
        return N_("nothing under the ledger's headings: skipped")
    return None


def record_of(row: Row) -> tuple[dict[str, Any], str | None]:
    """A row as a hazard record's data (plain, in no particular order), and the ledger's
    own number when it cannot be the id."""
    out: dict[str, Any] = {}
    ledger_number = None
    given = row.text("id")
    if given is not None:
        if HAZARD_ID_RE.match(given) and not WINDOWS_RESERVED_RE.match(given):
            out["id"] = given
        else:
            ledger_number = given
    _title(row, out)
    _registration(row, out)
    _enterprise(row, out)
    _plan(row, out)
    _cycle(row, out)
    _supervision(row, out)
    _double_report(row, out)
    notes = row.text("notes")
    if notes is not None and out["discovered_on"] is not None:
        # 已延期至8月31日, 县级挂牌督办: kept as written, never read into a fact.
        out["notes"] = [{"on": out["discovered_on"], "text": notes}]
    _state(row, out)
    return out, ledger_number


def _title(row: Row, out: dict[str, Any]) -> None:
    """The title, or the description's first sentence when the ledger has only that."""
    title = row.text("title")
    description = row.text("description")
    if title is None and description is not None:
        title = _first_sentence(description)
        if title == description:
            description = None
    row.need(
        "title", title, N_("the row has no 隐患名称 (nor a 隐患描述 to take it from): fill it in")
    )
    out["title"] = title
    if description is not None:
        out["description"] = description


def _registration(row: Row, out: dict[str, Any]) -> None:
    """The facts every hazard is registered with, and the optional ones beside them."""
    ctx = row.ctx
    level = row.coded("level", vocab.LEVEL)
    source = row.coded("source", vocab.SOURCE)
    discovered = row.date("discovered_on")
    unit = row.text("responsible_unit")
    if ctx.has("level"):
        row.need("level", level, N_("empty: write 重大事故隐患 or 一般事故隐患"))
    if ctx.has("source"):
        row.need("source", source, N_("empty: write 企业自查, 部门检查, 群众举报 or 上级检查"))
    if ctx.has("discovered_on"):
        row.need("discovered_on", discovered, N_("empty: every hazard has the day it was found"))
    if ctx.has("responsible_unit"):
        row.need(
            "responsible_unit",
            unit,
            N_("empty: name the unit responsible, as data/units.yaml writes it"),
        )
    if unit is not None and unit not in ctx.units:
        # Said once for the whole ledger, with the option that adds it (importer).
        ctx.new_units.setdefault(unit, []).append(row.row)
    out.update(level=level, source=source, discovered_on=discovered, responsible_unit=unit)
    for key in ("basis", "industry", "location", "found_by", "responsible_person"):
        value = row.text(key)
        if value is not None:
            out[key] = value


def _enterprise(row: Row, out: dict[str, Any]) -> None:
    enterprise = row.text("enterprise")
    code = row._read("credit_code", cell.credit_code)
    address = row.text("enterprise_address")
    if enterprise is not None:
        out["enterprise"] = _compact(name=enterprise, credit_code=code, address=address)
    elif code is not None or address is not None:
        row.need(
            "enterprise",
            None,
            N_("the row has a credit code or address but no 企业名称: fill it in"),
        )


def _first_sentence(text: str) -> str:
    for mark in ("。", "；", ";", "\n"):
        head = text.split(mark, 1)[0].strip()
        if head and head != text:
            return head
    return text


def _compact(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _plan(row: Row, out: dict[str, Any]) -> None:
    """The rectification plan (五落实): its deadline, and the other parts the row gives."""
    measures = row.text("measures")
    funds = row._read("funds", lambda v: cell.funds(v, row.ctx.funds_unit))
    deadline = row.date("deadline")
    person = row.text("plan_person")
    contingency = row.text("contingency_plan")
    plan_on = row.date("plan_on")
    extended: list[dt.date] = row._read("extended_to", cell.dates) or []
    if deadline is None and any(v is not None for v in (measures, funds, person, contingency)):
        row.need(
            "deadline",
            None,
            N_(
                "empty, but the row has other parts of the rectification plan (五落实): a plan needs its 整改时限"
            ),
        )
        return
    if deadline is None:
        if extended:
            row.need(
                "deadline", None, N_("empty, but the row has 延期至: give the deadline it extends")
            )
        return
    out["rectification_plan"] = _compact(
        on=plan_on,
        measures=measures,
        funds=funds,
        deadline=deadline,
        responsible_person=person,
        contingency_plan=contingency,
    )
    if extended:
        _extensions(row, out, deadline, extended)


def _per_line(row: Row, key: str, n: int, dated: bool) -> list[Any] | None:
    """A column of the extensions, a line each (one extension: the whole cell); None when
    its lines do not match the extensions (said as a problem)."""
    if n == 1:
        return [row.date(key) if dated else row.text(key)]
    found: list[Any] = row._read(key, cell.dates if dated else cell.lines) or []
    if found and len(found) != n:
        problem(
            row.ctx,
            row.row,
            key,
            N_(
                "{count} lines, but 延期至 lists {n} extensions: write one line per extension, "
                "in the same order"
            ),
            {"count": len(found), "n": n},
        )
        row.failed = True
        return None
    return found or [None] * n


def _extensions(
    row: Row, out: dict[str, Any], deadline: dt.date, extended: Sequence[dt.date]
) -> None:
    """延期至: each extension of the deadline (one a line, oldest first), dated and
    explained as far as the ledger says."""
    n = len(extended)
    ons = _per_line(row, "extension_on", n, True)
    reasons = _per_line(row, "extension_reason", n, False)
    approvers = _per_line(row, "extension_approved_by", n, False)
    if ons is None or reasons is None or approvers is None:
        return
    previous = deadline
    found: list[dict[str, Any]] = []
    for to, on, reason, approved in zip(extended, ons, reasons, approvers, strict=True):
        if to <= previous:
            problem(
                row.ctx,
                row.row,
                "extended_to",
                N_(
                    "{to} is not after the 整改时限 ({deadline}): an extension (延期) gives more time; correct one of them"
                ),
                {"to": to, "deadline": previous},
            )
            row.failed = True
            return
        if on is None:
            # The ledger does not say when the extension was approved: before the deadline
            # it extends ran out, or the hazard would have been overdue, so on that day.
            on = min(previous, row.ctx.today)
        found.append(
            {
                "on": max(on, out.get("discovered_on") or on),
                "from": previous,
                "to": to,
                "reason": reason or NOT_IN_LEDGER,
                "approved_by": approved or NOT_IN_LEDGER,
            }
        )
        previous = to
    if any(e["reason"] == NOT_IN_LEDGER or e["approved_by"] == NOT_IN_LEDGER for e in found):
        problem(
            row.ctx,
            row.row,
            "extended_to",
            N_(
                "the ledger does not say why the deadline was extended or who approved it: "
                "the extension is recorded with '{placeholder}' there; correct it in the "
                "hazard's file when you know"
            ),
            {"placeholder": NOT_IN_LEDGER},
            "warning",
        )
    out["extensions"] = found


def _cycle(row: Row, out: dict[str, Any]) -> None:
    """The rectification, acceptance and closure as far as the row states them: a person
    the ledger does not name is recorded as '台账未载明' (with a warning); a missing date
    is asked for, never invented."""
    rectified = row.date("rectified_on")
    accepted = row.date("accepted_on")
    accepted_by = row.text("accepted_by")
    result = row.coded("acceptance_result", vocab.ACCEPTANCE)
    closed = row.date("closed_on")
    reviewer = row.text("reviewer")
    failed: list[cell.FailedValue] = row._read("failed_acceptances", cell.failed_acceptances) or []
    if failed:
        out["reopenings"] = [
            {
                "on": f.reopened_on,
                "reason": f.reason,
                "previous": {
                    "rectification": {"on": f.rectified_on},
                    "acceptance": _compact(
                        on=f.accepted_on, by=f.accepted_by, result="failed", note=f.note
                    ),
                },
            }
            for f in failed
        ]
    if rectified is not None:
        out["rectification"] = _compact(on=rectified, note=row.text("rectification_note"))
    if accepted is not None:
        if accepted_by is None and "accepted_by" not in row.bad:
            _not_stated(row, "accepted_by", "accepted_on", accepted)
        out["acceptance"] = _compact(
            on=accepted,
            by=accepted_by or NOT_IN_LEDGER,
            result=result or "passed",
            note=row.text("acceptance_note"),
        )
    elif "accepted_on" not in row.bad:
        have = [(k, v) for k, v in (("accepted_by", accepted_by), ("acceptance_result", result))]
        _date_needed(row, "accepted_on", have)
    if closed is not None:
        if reviewer is None and "reviewer" not in row.bad:
            _not_stated(row, "reviewer", "closed_on", closed)
        out["closure"] = _compact(
            on=closed, reviewer=reviewer or NOT_IN_LEDGER, note=row.text("closure_note")
        )
    elif "closed_on" not in row.bad:
        _date_needed(row, "closed_on", [("reviewer", reviewer)])


def _not_stated(row: Row, key: str, dated: str, day: dt.date) -> None:
    """A person the ledger does not name beside a dated fact: '台账未载明', said per row."""
    problem(
        row.ctx,
        row.row,
        key,
        N_(
            "not stated, but the row has {have}: the fact is recorded with '{placeholder}' "
            "for it; correct it in the hazard's file when you know"
        ),
        {"have": row.ref(dated, day), "placeholder": NOT_IN_LEDGER},
        "warning",
        near=dated,
    )


def _date_needed(row: Row, key: str, have: Sequence[tuple[str, object]]) -> None:
    """A fact the row gives without its date: the date is the office's to give."""
    given = [(k, v) for k, v in have if v is not None]
    if not given:
        return
    first = given[0][0]
    shown = row.raw(first)
    row.need(
        key,
        None,
        N_(
            "no date, but the row has {have}: safeplan records the fact only with the date "
            "the office gives, never one it makes up: fill in the date (or give one for the "
            "whole sheet with --set)"
        ),
        near=first,
        have=row.ref(first, shown if shown is not None else given[0][1]),
    )


def _supervision(row: Row, out: dict[str, Any]) -> None:
    parts = (
        row.coded("supervision_level", vocab.SUPERVISION_LEVEL),
        row.text("supervision_by"),
        row.date("supervision_listed_on"),
    )
    lifted = row.date("supervision_lifted_on")
    if all(p is not None for p in parts):
        out["supervision"] = [
            _compact(level=parts[0], by=parts[1], listed_on=parts[2], lifted_on=lifted)
        ]
        return
    if any(p is not None for p in parts):
        row.need(
            "supervision_listed_on",
            None,
            N_(
                "a listing for supervision needs its level (督办级别), who listed it (督办单位) and the day (挂牌日期): fill in the rest"
            ),
        )
        return
    value = row._read("supervision", cell.supervision)
    if value is not None:
        out["supervision"] = [
            _compact(
                level=value.level, by=value.by, listed_on=value.listed_on, lifted_on=value.lifted_on
            )
        ]


def _double_report(row: Row, out: dict[str, Any]) -> None:
    regulator = row.date("regulator_on")
    workers = row.date("workers_on")
    if regulator is None and workers is None:
        found = row._read("double_report", cell.double_report)
        if found is not None:
            regulator, workers = found
    if regulator is not None or workers is not None:
        out["double_report"] = _compact(regulator_on=regulator, workers_on=workers)


def _state(row: Row, out: dict[str, Any]) -> None:
    """The ledger's 状态 is computed by safeplan; say so when the dates tell otherwise."""
    word = cell.text(row.raw("state"))
    if word is None:
        return
    claimed = vocab.HAZARD_STATE.lookup(word.split("（")[0].split("(")[0])
    if claimed is None:
        return
    facts = (
        "closed"
        if "closure" in out
        else "accepted"
        if out.get("acceptance", {}).get("result") == "passed"
        else "failed"
        if "acceptance" in out
        else "rectified"
        if "rectification" in out
        else "open"
    )
    if claimed not in (facts, "withdrawn"):
        from safeplan.problems import Coded

        problem(
            row.ctx,
            row.row,
            "state",
            N_(
                "says '{word}', but the row's dates make it {state}: safeplan records a "
                "rectification, acceptance or closure only with its date (整改完成日期 or 完成时间, "
                "验收日期, 销号日期) and computes the state from them, so nothing is recorded from "
                "this word: add the date, or correct the word"
            ),
            {"word": word, "state": Coded("hazard state", facts)},
            "warning",
            code="ledger-state",
        )
