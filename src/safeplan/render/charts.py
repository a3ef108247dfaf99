"""The report's charts as SVG text: deterministic, self-contained, every text escaped.

A few bar charts do not need a plotting library: writing the SVG here keeps the output
byte-identical across machines and versions (matplotlib embeds its version and metadata,
and lays text out with the fonts it finds), adds no dependency to the wheel, and lets
every label and ``<title>`` go through one escape. Coordinates are written with one
decimal. The same SVG is inlined in the HTML and written beside the Markdown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from safeplan.models.reports import MonthPoint, Report, WeekPoint
from safeplan.problems import N_
from safeplan.render.i18n import Translator
from safeplan.status import TASK_STATES

WIDTH = 720
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
COLOURS = {
    "major": "#a61b1b",
    "general": "#7ea6d8",
    "found": "#2f5597",
    "closed": "#8cc084",
    "axis": "#444444",
    "grid": "#dddddd",
}
TASK_COLOURS = {
    "overdue": "#a61b1b",
    "due_soon": "#e0a030",
    "open": "#7ea6d8",
    "stale": "#d77a61",
    "current": "#8cc084",
    "done_late": "#5f8f57",
    "done": "#2e6b2e",
}


def _t(text: object) -> str:
    """Text or an attribute value, escaped for XML (quotes included)."""
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate with at most one decimal, the same on every machine."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_step(top: int, ticks: int = 5) -> int:
    """A step of 1, 2 or 5 × 10^k that gives about ``ticks`` grid lines up to ``top``."""
    if top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return int(m * power)
    return int(10 * power)


class _Svg:
    def __init__(self, height: int, label: str, standalone: bool) -> None:
        self.parts: list[str] = []
        self.height = height
        self.label = label
        self.standalone = standalone

    def add(self, text: str) -> None:
        self.parts.append(text)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        anchor: str = "start",
        size: int = 11,
        extra: str = "",
    ) -> None:
        self.add(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}"{extra}>'
            f"{_t(text)}</text>"
        )

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> str:
        return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"/>'

    def done(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {self.height}" '
            f'width="{WIDTH}" height="{self.height}" role="img" aria-label="{_t(self.label)}" '
            f'font-family="{_t(FONT)}" class="chart">'
        )
        body = [head, f"<title>{_t(self.label)}</title>", *self.parts, "</svg>"]
        if self.standalone:
            body.insert(0, '<?xml version="1.0" encoding="UTF-8"?>')
        return "\n".join(body) + "\n"


def _legend(svg: _Svg, items: Sequence[tuple[str, str]], x: float, y: float) -> None:
    for colour, text in items:
        svg.add(svg.rect(x, y - 9, 10, 10, colour))
        svg.text(x + 14, y, text)
        x += 28 + 12 * len(text) + 8


def _axis(
    svg: _Svg, left: float, top: float, width: float, height: float, top_value: int, unit: str
) -> float:
    """Grid lines and the y axis; returns the scale (pixels per unit)."""
    step = nice_step(top_value)
    ceiling = max(step, math.ceil(top_value / step) * step)
    scale = height / ceiling
    for v in range(0, ceiling + 1, step):
        y = top + height - v * scale
        svg.add(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + width)}" y2="{_n(y)}" '
            f'stroke="{COLOURS["grid"] if v else COLOURS["axis"]}" stroke-width="1"/>'
        )
        svg.text(left - 6, y + 4, str(v), anchor="end", size=10)
    svg.text(left - 34, top - 10, unit, size=10)
    return scale


def _x_labels(
    svg: _Svg, names: Sequence[str], left: float, slot: float, y: float, every: int
) -> None:
    for i, name in enumerate(names):
        if i % every == 0:
            svg.add(
                f'<line x1="{_n(left + i * slot)}" y1="{_n(y - 6)}" x2="{_n(left + i * slot)}" '
                f'y2="{_n(y - 2)}" stroke="{COLOURS["axis"]}" stroke-width="1"/>'
            )
            svg.text(left + i * slot, y + 10, name, size=10)


def open_chart(points: Sequence[WeekPoint], tr: Translator, standalone: bool = False) -> str:
    """Hazards not closed, major and general stacked, week by week."""
    label = tr(N_("Hazards not closed, week by week"))
    svg = _Svg(280, label, standalone)
    left, top, right, bottom = 48.0, 44.0, 12.0, 40.0
    width, height = WIDTH - left - right, svg.height - top - bottom
    major, general = tr.label("level", "major"), tr.label("level", "general")
    _legend(svg, [(COLOURS["major"], major), (COLOURS["general"], general)], left, 18)
    peak = max((p.major + p.general for p in points), default=0)
    scale = _axis(svg, left, top, width, height, peak, tr(N_("number of hazards")))
    slot = width / max(len(points), 1)
    bar = max(slot * 0.8, 0.6)
    base = top + height
    for i, p in enumerate(points):
        x = left + i * slot + (slot - bar) / 2
        g_h, m_h = p.general * scale, p.major * scale
        tip = tr(N_("{week} ({day}): major {major}, general {general}")).format(
            week=p.name, day=p.on.isoformat(), major=p.major, general=p.general
        )
        svg.add(
            f"<g><title>{_t(tip)}</title>"
            + (svg.rect(x, base - g_h, bar, g_h, COLOURS["general"]) if p.general else "")
            + (svg.rect(x, base - g_h - m_h, bar, m_h, COLOURS["major"]) if p.major else "")
            + "</g>"
        )
    # A label where a quarter begins: the first week whose Monday is in a new quarter.
    names = []
    last = ""
    for p in points:
        monday = p.name
        q = _quarter_of_week(monday)
        names.append(q if q != last else "")
        last = q
    for i, name in enumerate(names):
        if name and (i == 0 or len(points) - i > 3):
            x = left + i * slot
            svg.add(
                f'<line x1="{_n(x)}" y1="{_n(base)}" x2="{_n(x)}" y2="{_n(base + 4)}" '
                f'stroke="{COLOURS["axis"]}" stroke-width="1"/>'
            )
            svg.text(x, base + 16, name, size=10)
    if points:
        last_p = points[-1]
        svg.text(
            left + width,
            top - 10,
            tr(N_("{day}: {n} not closed")).format(
                day=last_p.on.isoformat(), n=last_p.major + last_p.general
            ),
            anchor="end",
            size=10,
        )
    return svg.done()


def _quarter_of_week(name: str) -> str:
    """``2026-W48`` → ``2026-Q4`` (the quarter of the week's Monday)."""
    import datetime as dt

    year, week = name.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return f"{monday.year}-Q{(monday.month - 1) // 3 + 1}"


def monthly_chart(points: Sequence[MonthPoint], tr: Translator, standalone: bool = False) -> str:
    """Hazards found and hazards closed, month by month."""
    label = tr(N_("Hazards found and closed, month by month"))
    svg = _Svg(280, label, standalone)
    left, top, right, bottom = 48.0, 44.0, 12.0, 40.0
    width, height = WIDTH - left - right, svg.height - top - bottom
    found, closed = tr(N_("found in the month")), tr(N_("closed in the month"))
    _legend(svg, [(COLOURS["found"], found), (COLOURS["closed"], closed)], left, 18)
    peak = max((max(p.found, p.closed) for p in points), default=0)
    scale = _axis(svg, left, top, width, height, peak, tr(N_("number of hazards")))
    slot = width / max(len(points), 1)
    bar = max(slot * 0.38, 0.6)
    base = top + height
    for i, p in enumerate(points):
        x = left + i * slot + slot * 0.1
        tip = tr(N_("{month}: found {found}, closed {closed}")).format(
            month=p.name, found=p.found, closed=p.closed
        )
        svg.add(
            f"<g><title>{_t(tip)}</title>"
            + (
                svg.rect(x, base - p.found * scale, bar, p.found * scale, COLOURS["found"])
                if p.found
                else ""
            )
            + (
                svg.rect(x + bar, base - p.closed * scale, bar, p.closed * scale, COLOURS["closed"])
                if p.closed
                else ""
            )
            + "</g>"
        )
    every = 1 if len(points) <= 12 else 3 if len(points) <= 40 else 6
    _x_labels(svg, [p.name for p in points], left, slot, base + 6, every)
    return svg.done()


def tasks_chart(counts: dict[str, int], tr: Translator, standalone: bool = False) -> str:
    """Tasks by status, one bar a status."""
    label = tr(N_("Tasks by status"))
    states = [s for s in TASK_STATES if counts.get(s) or s not in ("current", "stale", "done_late")]
    row = 26
    svg = _Svg(24 + row * len(states) + 12, label, standalone)
    left, right = 150.0, 60.0
    width = WIDTH - left - right
    peak = max((counts.get(s, 0) for s in states), default=0) or 1
    for i, state in enumerate(states):
        n = counts.get(state, 0)
        y = 16 + i * row
        name = tr.label("task status", state)
        svg.text(left - 8, y + 14, name, anchor="end", size=12)
        w = width * n / peak
        tip = f"{name}: {n}"
        svg.add(
            f"<g><title>{_t(tip)}</title>"
            + svg.rect(left, y + 2, max(w, 0.0), 16, TASK_COLOURS[state])
            + "</g>"
        )
        svg.text(left + w + 6, y + 14, str(n), size=12)
    return svg.done()


def chart(view: Report, key: str, tr: Translator, standalone: bool = False) -> str:
    """One of the report's charts (``open``, ``monthly``, ``tasks``) as SVG text."""
    if key == "open":
        return open_chart(view.charts.open_by_week, tr, standalone)
    if key == "monthly":
        return monthly_chart(view.charts.found_closed_by_month, tr, standalone)
    if key == "tasks":
        return tasks_chart(view.charts.tasks, tr, standalone)
    raise KeyError(key)
