"""Rendering reports: record text is escaped (HTML, SVG, Markdown), the HTML references
nothing outside itself, the Markdown's tables parse as tables, templates can be overridden,
and every word of the templates is in the catalog."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from safeplan.errors import DataError
from safeplan.models.reports import MonthPoint, Report, WeekPoint
from safeplan.periods import parse_span
from safeplan.render import charts
from safeplan.render.i18n import translator
from safeplan.render.report import (
    BUILTIN_DIR,
    builtin_names,
    chart_files,
    environment,
    render,
    template_for,
)
from safeplan.render.report_markup import md_escape
from safeplan.repo import load
from safeplan.views.reports import report

HERE = Path(__file__).parent
FIXTURE = HERE / "data" / "report"
GOLDEN = FIXTURE / "golden"
TODAY = dt.date(2027, 1, 5)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_HAZARDS = {
    "HZ-20261124-X1S1": (SCRIPT, "镇安监站"),
    "HZ-20261125-X2S2": (IMG, SCRIPT),
}


def plan_copy(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    return root


def hostile(tmp_path: Path) -> Path:
    """The fixture with record text that is HTML: titles, a unit, an industry, a progress
    note, the issuer and the plan's title."""
    root = plan_copy(tmp_path)
    units = root / "data" / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8") + f"  - name: '{SCRIPT}'\n    kind: office\n",
        encoding="utf-8",
    )
    for hid, (title, unit) in HOSTILE_HAZARDS.items():
        (root / "data" / "hazards" / f"{hid}.yaml").write_text(
            f"id: {hid}\ntitle: '{title}'\nlevel: general\nindustry: '<svg onload=alert(1)>'\n"
            f"discovered_on: 2026-11-24\nsource: self-check\nresponsible_unit: '{unit}'\n"
            "rectification_plan:\n  deadline: 2026-11-25\n",
            encoding="utf-8",
        )
    tasks = root / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    text = text.replace(
        "    note: 参加县执法业务培训 2 人次", f"    note: '参加县执法业务培训 {IMG} | 2 人次'"
    )
    tasks.write_text(text, encoding="utf-8")
    plan = root / "plan" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        "issuer: 大井镇人民政府", "issuer: '大井镇人民政府<iframe src=//evil.example>'"
    )
    text = text.replace(
        "title: 大井镇安全生产治本攻坚三年行动方案（2024—2026年）\n",
        "title: '</title><script>alert(2)</script>大井镇安全生产治本攻坚三年行动方案（2024—2026年）'\n",
        1,
    )
    plan.write_text(text, encoding="utf-8")
    return root


def view_of(root: Path, name: str = "2026-W48", kind: str = "week") -> Report:
    repo = load(root, today=TODAY)
    assert [p for p in repo.problems if p.severity == "error"] == []
    span = parse_span(kind, name)  # type: ignore[arg-type]
    return report(repo, span, span.end, version="test")


class Tags(HTMLParser):
    """Every start tag of a document, with its attributes; the text, separately."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def tags_of(document: str) -> Tags:
    parser = Tags()
    parser.feed(document)
    parser.close()
    return parser


ALLOWED_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section"),
    *("h1", "h2", "h3", "p", "div", "span", "br", "figure", "figcaption"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    *("svg", "g", "rect", "text", "line"),
}


# --------------------------------------------------------------------------- XSS


def test_record_text_is_escaped_in_html_and_its_charts(tmp_path: Path) -> None:
    view = view_of(hostile(tmp_path))
    document = render(view, template_for(view, "html"), "zh")
    parsed = tags_of(document)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        for name, _ in attrs:
            assert not name.startswith("on"), (tag, name)
    for raw in (SCRIPT, IMG, "<script>alert(2)</script>", "<svg onload", "<iframe"):
        assert raw not in document
    text = "".join(parsed.text)
    # Shown as text, where the records put it (the unit's name too, and the issuer).
    assert text.count(SCRIPT) >= 3 and IMG in text and "<iframe src=//evil.example>" in text
    assert "<svg onload=alert(1)>" in text
    assert html.escape(SCRIPT, quote=False) in document
    # The <title> holds the plan's title as text: its own </title> does not end it.
    head = document.split("</head>", 1)[0]
    assert head.count("</title>") == 1 and "&lt;/title&gt;&lt;script&gt;" in head


def test_record_text_is_escaped_in_markdown(tmp_path: Path) -> None:
    view = view_of(hostile(tmp_path))
    text = render(view, template_for(view, "md"), "zh")
    for raw in (SCRIPT, IMG, "<script>alert(2)</script>", "<svg onload", "<iframe"):
        assert raw not in text
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    raw_html = [
        child.content
        for t in tokens
        for child in ([t, *(t.children or [])])
        if child.type in ("html_inline", "html_block")
    ]
    assert set(raw_html) <= {"<br>"}
    rendered = md.render(text)
    assert "<script" not in rendered and "<iframe" not in rendered and "<svg" not in rendered
    # The only images are the report's own charts, beside it.
    assert re.findall(r"<img [^>]*>", rendered) == [
        f'<img src="2026-W48-{key}.svg" alt="{alt}" />'
        for key, alt in (
            ("tasks", "重点任务状态"),
            ("open", "未销号隐患数（按周）"),
            ("monthly", "每月新发现与销号隐患数"),
        )
    ]
    assert html.escape(SCRIPT, quote=False) in rendered


def test_chart_labels_and_titles_are_escaped() -> None:
    class Hostile:
        lang = "en"

        def __call__(self, message: str) -> str:
            return SCRIPT + message

        def label(self, vocabulary: str, code: str, long: bool = False) -> str:
            return IMG + code

    tr = Hostile()
    weeks = [WeekPoint(name="2026-W48", on=dt.date(2026, 11, 29), major=1, general=2)]
    months = [MonthPoint(name="2026-11", found=3, closed=1)]
    for svg in (
        charts.open_chart(weeks, tr, standalone=True),  # type: ignore[arg-type]
        charts.monthly_chart(months, tr, standalone=True),  # type: ignore[arg-type]
        charts.tasks_chart({"overdue": 2, "done": 1}, tr, standalone=True),  # type: ignore[arg-type]
    ):
        assert "<script" not in svg and "<img" not in svg
        root = ET.fromstring(svg)  # well-formed XML
        ns = "{http://www.w3.org/2000/svg}"
        assert {el.tag.removeprefix(ns) for el in root.iter()} <= {
            "svg",
            "title",
            "g",
            "rect",
            "text",
            "line",
        }
        titles = [el.text for el in root.iter(f"{ns}title")]
        assert any(SCRIPT in (t or "") for t in titles)
        assert SCRIPT in root.attrib["aria-label"]


# --------------------------------------------------------------------------- self-contained


def test_the_html_references_nothing_outside_itself() -> None:
    for name in ("2026-W48.html", "2026-11.html", "2026-Q4.html", "2026-W48.en.html"):
        document = (GOLDEN / name).read_text(encoding="utf-8")
        parsed = tags_of(document)
        assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS, name
        for tag, attrs in parsed.tags:
            for attr, value in attrs:
                assert attr not in ("src", "href", "xlink:href", "srcset", "action", "poster"), (
                    tag,
                    attr,
                )
                if tag == "meta":
                    assert attr != "http-equiv"
                if attr == "xmlns":
                    assert value == "http://www.w3.org/2000/svg"
        assert "url(" not in document and "@import" not in document and "@font-face" not in document
        urls = re.findall(r"[a-z]+://[^\s\"'<>]+", document)
        assert set(urls) <= {"http://www.w3.org/2000/svg"}, urls
        assert "<script" not in document


def test_the_html_prints_on_a4_as_gb_t_9704_asks() -> None:
    css = (BUILTIN_DIR / "report.css").read_text(encoding="utf-8")
    assert "size: A4;" in css and "margin: 37mm 26mm 35mm 28mm;" in css
    assert 'content: "第 " counter(page) " 页 共 " counter(pages) " 页";' in css
    assert "thead { display: table-header-group; }" in css
    assert "break-inside: avoid" in css
    document = (GOLDEN / "2026-W48.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in document
    assert '<html lang="zh-CN">' in document
    assert "Noto Serif CJK SC" in document and "FandolFang" in document


# --------------------------------------------------------------------------- Markdown


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each table of a Markdown text as CommonMark + GFM tables parse it: its header cells
    and its rows' cells, as rendered text."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    out: list[tuple[list[str], list[list[str]]]] = []
    head: list[str] = []
    rows: list[list[str]] = []
    row: list[str] = []
    in_head = in_table = False
    for t in tokens:
        if t.type == "table_open":
            head, rows, in_table = [], [], True
        elif t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            row = []
        elif t.type == "inline" and in_table:
            cell = md.renderer.renderInline(t.children or [], md.options, {})
            row.append(html.unescape(re.sub(r"<br\s*/?>", "\n", cell)))
        elif t.type == "tr_close":
            if in_head:
                head = row
            else:
                rows.append(row)
        elif t.type == "table_close":
            out.append((head, rows))
            in_table = False
    return out


def test_the_markdown_tables_parse_with_the_expected_rows(tmp_path: Path) -> None:
    view = view_of(plan_copy(tmp_path))
    text = (GOLDEN / "2026-W48.md").read_text(encoding="utf-8")
    found = tables(text)
    assert len(found) == 12
    for head, rows in found:
        assert all(len(r) == len(head) for r in rows), head
    by_head = {tuple(head): rows for head, rows in found}
    # Major hazards by the 判定标准 their basis cites: the view's counts, every major counted.
    criteria = by_head[("判定标准", "重大事故隐患", "其中未销号")]
    assert criteria == [
        [f"{c.number}《{c.title}》", str(c.major), str(c.open_major)] for c in view.criteria
    ]
    assert sum(c.major for c in view.criteria) == 7
    assert sum(c.open_major for c in view.criteria) == len(view.open_major) == 4
    events = by_head[("日期", "动态", "隐患编号", "隐患名称", "隐患等级", "责任单位")]
    assert len(events) == len(view.hazard_events) == 13
    titles = {r[2]: r[3] for r in events}
    # The title with |, < and * in it is one cell, shown as written.
    assert titles["HZ-20261126-U3V4"] == "配电箱 <门锁> 损坏 | 线路裸露 * 待查"
    figures = by_head[
        ("统计项目", "合计", "重大", "一般", "企业自查", "部门检查", "群众举报", "上级检查")
    ]
    assert [r[0] for r in figures] == [
        "本期新发现",
        "本期整改完成",
        "本期验收合格",
        "本期验收不合格",
        "本期销号",
        "本期延期",
        "本期撤销销号",
        "本期撤销登记",
        "期末未销号",
        "期末逾期",
    ]
    # The figures in the report are the view's, which are the overview's (test_report.py).
    for r in figures:
        key = {"期末未销号": "open", "期末逾期": "overdue", "本期新发现": "found"}.get(r[0])
        if key:
            split = view.figures[key]
            assert r[1:] == [
                str(split.total),
                *(str(split.by_level[lvl]) for lvl in ("major", "general")),
                *(
                    str(split.by_source[s])
                    for s in ("self-check", "inspection", "public-report", "higher-inspection")
                ),
            ]
    tasks = by_head[tuple(found[0][0])]
    counts = view.overview.tasks.counts
    assert found[0][0] == ["逾期", "即将到期", "进行中", "按期报送进展", "逾期完成", "已完成"]
    assert tasks == [
        [str(counts[s]) for s in ("overdue", "due_soon", "open", "current", "done_late", "done")]
    ]
    units = by_head[("单位", "牵头", "配合", "隐患")]
    assert [r[0] for r in units] == [u.name for u in view.overview.units]
    assert [r[3] for r in units] == [
        f"{u.hazards_open} / {u.hazards_overdue}" for u in view.overview.units
    ]
    major = by_head[
        ("隐患编号", "隐患名称", "责任单位", "整改时限", "状态", "挂牌督办", "五落实", "双报告")
    ]
    assert [r[0] for r in major] == [r.id for r in view.open_major]
    # The charts are referenced beside the report, by relative path.
    for key in ("open", "monthly", "tasks"):
        assert f"](2026-W48-{key}.svg)" in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a | b", "a | b"),
        ("line one\nline two", "line one\nline two"),
        ("<b>bold</b> & *not* _em_", "<b>bold</b> & *not* _em_"),
        ("1. not a list", "1. not a list"),
        ("- not a list", "- not a list"),
        ("# not a heading", "# not a heading"),
        ("[a link](http://x)", "[a link](http://x)"),
        ("`code` $x$ ~~s~~ \\", "`code` $x$ ~~s~~ \\"),
        ("   indented", "\xa0\xa0\xa0indented".replace("\xa0", " ")),
        ("33.3% 2026.11", "33.3% 2026.11"),
    ],
)
def test_md_escape_keeps_text_as_text(text: str, shown: str) -> None:
    md = MarkdownIt("commonmark").enable("table")
    doc = f"| h |\n| --- |\n| {md_escape(text)} |\n\n- {md_escape(text)}\n"
    found = tables(doc)
    assert found[0][1] == [[shown]]
    tokens = md.parse(doc)
    assert [t.type for t in tokens].count("bullet_list_open") == 1
    assert "ordered_list_open" not in [t.type for t in tokens]
    assert "heading_open" not in [t.type for t in tokens]
    assert "33\\.3" not in md_escape("33.3%")


def test_md_escape_plain_text_fast_path_gives_the_full_escape() -> None:
    """Text returned as is (no character to escape) is exactly what the full escape gives,
    over every short string of the characters that matter."""
    import itertools

    from safeplan.render import report_markup as m

    def full(text: str) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = m._MD_SPECIAL.sub(r"\\\1", text).replace("\t", " ")
        return "<br>".join(m._md_line(line) for line in m._MD_BREAKS.split(text))

    alphabet = "a 中1.)-+=*_[]|~#$!&<>\t\r\n\x85\u2028\\`"
    for n in range(4):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            assert md_escape(text) == full(text), repr(text)
    assert md_escape("配电箱未接地") == "配电箱未接地"


# --------------------------------------------------------------------------- the environment


def test_autoescape_covers_the_html_templates_and_markdown_is_escaped_its_way() -> None:
    env = environment("html", "zh")
    assert callable(env.autoescape)
    for name in ("weekly.html.j2", "report.html.j2", "report.css", "mine.j2", None):
        assert env.autoescape(name) is True, name
    assert environment("md", "zh").autoescape is False
    assert env.from_string("{{ x }}").render(x=SCRIPT) == html.escape(SCRIPT)
    assert environment("md", "zh").from_string("{{ x }}").render(x="a|b") == "a\\|b"


def test_strict_undefined_names_the_template_and_line(tmp_path: Path) -> None:
    root = plan_copy(tmp_path)
    view = view_of(root)
    mine = root / "templates"
    mine.mkdir()
    (mine / "weekly.md.j2").write_text(
        '{% extends "builtin/weekly.md.j2" %}\n{% block units %}\n{{ r.no_such_field }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        render(view, "weekly.md.j2", "zh", mine)
    assert info.value.params["where"] == "templates/weekly.md.j2:3"
    assert "no_such_field" in info.value.params["reason"]
    (mine / "weekly.md.j2").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        render(view, "weekly.md.j2", "zh", mine)
    assert info.value.params["where"] == "templates/weekly.md.j2:1"


def test_a_plans_template_overrides_a_block_of_the_builtin(tmp_path: Path) -> None:
    root = plan_copy(tmp_path)
    view = view_of(root)
    mine = root / "templates"
    mine.mkdir()
    (mine / "weekly.md.j2").write_text(
        '{% extends "builtin/weekly.md.j2" %}\n'
        '{% block units %}\n\n## {{ _("6. Load per unit") }}\n\n'
        "{{ r.overview.units|length }} 个单位（见台账）。\n{% endblock %}\n",
        encoding="utf-8",
    )
    text = render(view, "weekly.md.j2", "zh", mine)
    assert "## 六、各单位任务量\n\n9 个单位（见台账）。\n" in text
    assert "| 单位 | 牵头 | 配合 | 隐患 |" not in text
    assert text.startswith("附件\n\n# 大井镇安全生产治本攻坚三年行动工作周报（2026年第48周）")
    # The style sheet alone can be replaced too.
    (mine / "report.css").write_text("body { color: #000; }\n", encoding="utf-8")
    page = render(view, "weekly.html.j2", "zh", mine)
    assert "body { color: #000; }" in page and "@page" not in page
    # Without the folder, the built-in.
    assert "| 单位 | 牵头 | 配合 | 隐患 |" in render(view, "weekly.md.j2", "zh")


def test_the_builtin_templates_are_listed_and_shipped_as_package_data() -> None:
    names = builtin_names()
    assert {"weekly.md.j2", "weekly.html.j2", "monthly.md.j2", "quarterly.html.j2"} <= set(names)
    assert "report.css" in names
    pyproject = (HERE.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates/*.j2"' in pyproject and '"templates/*.css"' in pyproject


def test_chart_files_are_named_after_the_period(tmp_path: Path) -> None:
    view = view_of(plan_copy(tmp_path))
    files = chart_files(view, "zh")
    assert sorted(files) == ["2026-W48-monthly.svg", "2026-W48-open.svg", "2026-W48-tasks.svg"]
    for svg in files.values():
        assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
        ET.fromstring(svg)


# --------------------------------------------------------------------------- words


def _template_messages(tmp_path: Path) -> list[object]:
    """The msgids of the templates, extracted as `make i18n` does (babel.cfg)."""
    from babel.messages.pofile import read_po

    pot = tmp_path / "templates.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(HERE.parent / "babel.cfg"),
            "--omit-header",
            "-k",
            "N_",
            "-k",
            "_",
            "-k",
            "NP_:1,2",
            "-o",
            str(pot),
            str(BUILTIN_DIR.parent),
        ],
        capture_output=True,
        check=True,
    )
    with pot.open("rb") as fh:
        return [
            m.id
            for m in read_po(fh)
            if m.id and any("/templates/" in path for path, _ in m.locations)
        ]


@pytest.mark.slow  # seconds: the whole corpus, or hundreds of generated cases
def test_every_word_of_the_templates_is_in_the_chinese_catalog(tmp_path: Path) -> None:
    ids = _template_messages(tmp_path)
    assert len(ids) > 40 and "this week" in ids
    zh = translator("zh")
    placeholder = re.compile(r"%\((\w+)\)s")
    for msgid in ids:
        assert isinstance(msgid, str)
        got = zh(msgid)
        assert got != msgid, msgid
        assert set(placeholder.findall(got)) == set(placeholder.findall(msgid)), msgid


def test_make_i18n_extracts_the_templates() -> None:
    makefile = (HERE.parent / "Makefile").read_text(encoding="utf-8")
    assert "pybabel extract -F babel.cfg" in makefile
    cfg = (HERE.parent / "babel.cfg").read_text(encoding="utf-8")
    assert "[jinja2: **/templates/**.j2]" in cfg and "[python: **.py]" in cfg
