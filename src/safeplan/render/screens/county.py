"""``safeplan rollup status``: the county's picture (``rollup/picture.py``)."""

from __future__ import annotations

from safeplan.models.rollup import (
    BreakdownRow,
    CountyStatus,
    EnterpriseFigures,
    Figures,
    TownView,
)
from safeplan.problems import N_, NP_
from safeplan.render.grid import Block, Col, Grid, Stack, blank
from safeplan.render.i18n import Translator
from safeplan.render.problems import shown_path
from safeplan.render.report_words import wan_text
from safeplan.render.screens.common import (
    RATES_DEFINITION,
    date_text,
    figure_cols,
    percent_text,
    rate_cell,
    rates_texts,
    text_line,
)
from safeplan.render.text import param, problem_message
from safeplan.status import TASK_STATES
from safeplan.vocab import LEVEL


def county_screen(view: CountyStatus, tr: Translator) -> Block:
    """The totals, each town, the ranking, the breakdowns, the county's supervision, and
    what is missing."""
    parts: list[Block] = [
        text_line(
            str(
                param(
                    NP_(
                        "{county}: {n} town, as of {date}",
                        "{county}: {n} towns, as of {date}",
                        len(view.towns),
                        county=view.name,
                        date=view.as_of.isoformat(),
                    ),
                    tr,
                )
            ),
            "bold",
        )
    ]
    parts += _missing(view, tr)
    parts += [blank(), *_totals(view.totals, tr)]
    parts += [blank(), _towns(view, tr)]
    if view.totals.enterprises is not None:
        parts += [blank(), _enterprises(view, view.totals.enterprises, tr)]
    if view.ranking:
        parts += [blank(), _ranking(view, tr)]
    for title, rows, vocabulary in (
        (N_("By level"), view.by_level, "level"),
        (N_("By source"), view.by_source, "source"),
        (N_("By industry"), view.by_industry, None),
    ):
        if rows:
            parts += [blank(), _breakdown(tr(title), rows, vocabulary, tr)]
    if view.supervision:
        parts += [blank(), _supervision(view, tr)]
    parts += _problems(view, tr)
    parts += [blank(), text_line(tr(RATES_DEFINITION), "dim")]
    return Stack(*parts)


def _missing(view: CountyStatus, tr: Translator) -> list[Block]:
    out: list[Block] = []
    if view.missing:
        out.append(
            text_line(
                tr(N_("Not in the totals (cannot be read): {towns}")).format(
                    towns=tr.join(view.missing)
                ),
                "bold red",
            )
        )
    stale = [t for t in view.towns if t.fetch_error is not None]
    for t in stale:
        when = date_text(t.fetched_on)
        out.append(
            text_line(
                tr(N_("{town} could not be fetched: its data is that of {date} ({error})")).format(
                    town=t.name, date=when, error=t.fetch_error
                ),
                "yellow",
            )
        )
    return out


def _totals(f: Figures, tr: Translator) -> list[Block]:
    tasks = " · ".join(
        f"{tr.label('task status', s)} {f.tasks.get(s, 0)}" for s in TASK_STATES if f.tasks.get(s)
    )
    lines: list[Block] = [
        text_line(
            str(param(NP_("Totals of {n} town", "Totals of {n} towns", f.towns), tr)), "bold"
        ),
        text_line(
            tr(
                N_(
                    "Hazards {total}: overdue {overdue} (major {major}), 五落实 missing "
                    "{missing}, invalid {invalid}, withdrawn {withdrawn}"
                )
            ).format(
                total=f.hazards_total,
                overdue=f.overdue,
                major=f.overdue_major,
                missing=f.plan_missing,
                invalid=f.invalid,
                withdrawn=f.withdrawn,
            )
        ),
        text_line(" · ".join(rates_texts(f.rates, tr))),
    ]
    if tasks:
        lines.append(text_line(tr(N_("Tasks: {counts}")).format(counts=tasks)))
    if f.supervised:
        listed = tr.join(
            f"{tr.label('supervision level', k)} {v}" for k, v in sorted(f.supervised.items())
        )
        lines.append(
            text_line(tr(N_("Listed supervision (挂牌督办): {counts}")).format(counts=listed))
        )
    if f.funds:
        funds = tr.join(
            f"{tr.label('level', k)} {wan_text(f.funds[k])}" for k in LEVEL.codes if k in f.funds
        )
        lines.append(text_line(f"{tr(N_('Funds (10,000 yuan)'))}{_colon(tr)}{funds}"))
    if f.goals:
        goals = tr.join(f"{tr.label('verdict', k)} {v}" for k, v in sorted(f.goals.items()))
        lines.append(text_line(tr(N_("Goals: {counts}")).format(counts=goals)))
    if f.enterprises is not None:
        lines += _enterprise_totals(f.enterprises, tr)
    if f.problems:
        lines.append(
            text_line(
                str(
                    param(
                        NP_(
                            "{n} validation problem in the towns' data",
                            "{n} validation problems in the towns' data",
                            f.problems,
                        ),
                        tr,
                    )
                ),
                "bold red",
            )
        )
    return lines


def _enterprise_totals(e: EnterpriseFigures, tr: Translator) -> list[Block]:
    """The enterprises' duty figures of the towns, as a town's ``status`` words them."""
    from safeplan.render.screens.enterprises import figure_line

    lines: list[Block] = [
        text_line(
            tr(N_("Enterprises ({n}, {high} high-risk)")).format(n=e.enterprises, high=e.high_risk)
            + _colon(tr)
            + tr(N_("behind on a duty {behind}, certificates expired {expired}")).format(
                behind=e.behind, expired=e.expired
            )
        )
    ]
    lines += [text_line("  " + figure_line(d, tr)) for d in e.duties]
    return lines


def _enterprises(view: CountyStatus, totals: EnterpriseFigures, tr: Translator) -> Grid:
    """Each town's enterprises: how many, high-risk, each duty done of bound, who is behind."""
    cols = [
        Col(tr(N_("Town")), head=True),
        *figure_cols(tr, N_("Number of enterprises"), N_("High-risk enterprises")),
        *(
            Col(tr(N_("Task {task}: done / bound")).format(task=d.task), "right")
            for d in totals.duties
        ),
        *figure_cols(tr, N_("Behind on a duty"), N_("Expired certificates")),
    ]
    table = Grid(*cols, title=tr(N_("Enterprises per town")))
    for t in _town_rows(view):
        e = t.figures.enterprises
        if not t.loaded or e is None:
            table.add_row(t.name, *(["—"] * (len(cols) - 1)))
            continue
        by_id = {d.duty: d for d in e.duties}
        cells = []
        for d in totals.duties:
            mine = by_id.get(d.duty)
            cells.append("—" if mine is None else f"{mine.done} / {mine.total}")
        table.add_row(
            t.name,
            str(e.enterprises),
            str(e.high_risk),
            *cells,
            str(e.behind),
            str(e.expired),
        )
    return table


def _colon(tr: Translator) -> str:
    return "：" if tr.lang == "zh" else ": "


def _town_rows(view: CountyStatus) -> list[TownView]:
    return [*view.towns, *([view.own] if view.own is not None else [])]


def _towns(view: CountyStatus, tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Town")), head=True),
        Col(tr(N_("Area code"))),
        Col(tr(N_("Data (commit, fetched)"))),
        *figure_cols(
            tr,
            N_("Hazards"),
            N_("Overdue"),
            N_("Overdue major"),
            N_("Rectification rate"),
            N_("Closure rate"),
            N_("Tasks overdue"),
            N_("Problems"),
        ),
        title=tr(N_("Per town")),
    )
    for t in _town_rows(view):
        data = (t.commit or "—")[:10]
        if t.fetched_on is not None:
            data += " " + t.fetched_on.isoformat()
        if t.fetch_error is not None:
            data += " " + tr(N_("(stale)"))
        if not t.loaded:
            table.add_row(
                t.name, t.code, data, "—", "—", "—", "—", "—", "—", tr(N_("cannot be read"))
            )
            continue
        f = t.figures
        table.add_row(
            t.name,
            t.code,
            data,
            str(f.hazards_total),
            str(f.overdue),
            str(f.overdue_major),
            percent_text(f.rates.rectification_rate),
            percent_text(f.rates.closure_rate),
            str(f.tasks.get("overdue", 0)),
            str(f.problems),
        )
    return table


def _ranking(view: CountyStatus, tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Rank")), "right", head=True),
        Col(tr(N_("Town")), head=True),
        *figure_cols(tr, N_("Overdue major"), N_("Overdue"), N_("Rectification rate")),
        title=tr(N_("Ranking (overdue major hazards, then rectification rate)")),
    )
    for k, r in enumerate(view.ranking, 1):
        table.add_row(
            str(k), r.name, str(r.overdue_major), str(r.overdue), percent_text(r.rectification_rate)
        )
    return table


def _breakdown(
    title: str, rows: list[BreakdownRow], vocabulary: str | None, tr: Translator
) -> Grid:
    table = Grid(
        Col("", head=True),
        *figure_cols(
            tr,
            N_("Found"),
            N_("Not closed"),
            N_("Overdue"),
            N_("Major"),
            N_("Rectification rate"),
            N_("Closure rate"),
        ),
        title=title,
    )
    for r in rows:
        if r.key is None:
            name = tr(N_("(not recorded)"))
        elif vocabulary is not None:
            name = tr.label(vocabulary, r.key)
        else:
            name = r.key
        table.add_row(
            name,
            str(r.found),
            str(r.open),
            str(r.overdue),
            str(r.major),
            rate_cell(r.rates, "rectification", tr),
            rate_cell(r.rates, "closure", tr),
        )
    return table


def _supervision(view: CountyStatus, tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Town")), head=True),
        Col(tr(N_("Hazard")), head=True),
        Col(tr(N_("Title")), flex=1, min_width=10),
        Col(tr(N_("State"))),
        Col(tr(N_("Listed on"))),
        title=tr(N_("Listed supervision by the county (挂牌督办)")),
    )
    for s in view.supervision:
        if s.missing:
            state = tr(N_("no such hazard in the town's data"))
        else:
            state = tr.label("hazard state", s.state or "open")
            if s.overdue:
                state += " · " + tr.label("task status", "overdue")
        table.add_row(s.town, s.hazard, s.title or "—", state, s.listed_on.isoformat())
    return table


def _problems(view: CountyStatus, tr: Translator) -> list[Block]:
    out: list[Block] = []
    for t in _town_rows(view):
        if not t.problems:
            continue
        out.append(blank())
        out.append(text_line(tr(N_("{town}: problems")).format(town=t.name), "bold"))
        for p in t.problems:
            message = problem_message(p.problem, tr) if p.problem is not None else p.template
            out.append(text_line(f"{shown_path(p.location)}: {message}"))
    return out
