"""YAML that does not parse, said in safeplan's words: never libyaml's or ruamel.yaml's English.

Every description libyaml can give has a message of safeplan's own (the table is checked
against the strings compiled into PyYAML's C extension), each common hand-editing mistake
is named and located where it was made, and ruamel.yaml's descriptions (met when editing)
come out the same way.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from safeplan.problems import Problem
from safeplan.render.i18n import translator
from safeplan.render.text import problem_message
from safeplan.yamlio import YamlProblem, handedit, load_fast, syntax
from safeplan.yamlio.syntax import LIBYAML_PROBLEMS, roundtrip_blocker, roundtrip_problem

EN, ZH = translator("en"), translator("zh")

#: Strings of the C extension that are not descriptions of a syntax problem in a str:
#: the reader's (control characters are reader_problem's; a str has no broken UTF-8),
#: the emitter's, Cython's own, and the nesting limit (its own message, tested below).
NOT_SYNTAX = {
    "control characters are not allowed",
    "duplicate %TAG directive",
    "incompatible %YAML directive",
    "exceeded maximum nesting depth",
    "incomplete UTF-16 character",
    "incomplete UTF-16 surrogate pair",
    "incomplete UTF-8 octet sequence",
    "invalid Unicode character",
    "invalid leading UTF-8 octet",
    "invalid length of a UTF-8 sequence",
    "invalid trailing UTF-8 octet",
    "invalid vtable found for imported type",
    "invalid_keyword",
    "invalid_keyword_type",
}


def libyaml_strings() -> set[str]:
    so = glob.glob(os.path.join(os.path.dirname(yaml.__file__), "_yaml*.so"))
    assert so, "PyYAML without its C extension: safeplan needs libyaml"
    data = Path(so[0]).read_bytes()
    found = re.findall(
        rb"(?<=\x00)((?:did not find|could not find|found|mapping (?:keys|values)|block sequence"
        rb"|exceeded|incompatible|duplicate|invalid|incomplete|control)[ -~]{2,90}?)(?=\x00)",
        data,
    )
    return {f.decode() for f in found}


def test_every_libyaml_description_has_safeplans_words() -> None:
    strings = libyaml_strings()
    assert "did not find expected key" in strings  # the extraction itself worked
    assert sorted(strings - NOT_SYNTAX - set(LIBYAML_PROBLEMS)) == []


def problem_of(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        load_fast(text)
    return info.value


def rendered(p: YamlProblem) -> tuple[str, str]:
    problem = Problem("f.yaml", p.line, p.column, p.code, p.template, p.params)
    return problem_message(problem, EN), problem_message(problem, ZH)


#: (what a person typed, code, template, line, column): each mistake named where it was made.
MISTAKES = [
    ("title: 注意: 加油站\n", "yaml-syntax", syntax._COLON_IN_VALUE, 1, 10),
    ("a: 1\n  b: 2\n", "yaml-syntax", syntax._KEY_TOO_DEEP, 2, 3),
    ("title: x\n: b\n", "yaml-syntax", syntax._STRAY_COLON, 2, 1),
    ("title: x\nlevel major\nsource: y\n", "yaml-syntax", syntax._NO_COLON, 2, 1),
    ("a:\n  b: 1\n c: 2\n", "yaml-syntax", syntax._NOT_LINED_UP, 3, 2),
    ("description: |\n    a\n  b\nlevel: x\n", "yaml-syntax", syntax._LINE_NOT_LINED_UP, 3, 3),
    ("a:\n  - 1\n - 2\n", "yaml-syntax", syntax._ENTRY_NOT_LINED_UP, 3, 2),
    ("- a\nb: 1\n", "yaml-syntax", syntax._ENTRY_NOT_LINED_UP, 2, 1),
    ("a: 1\n- b\n", "yaml-syntax", syntax._ENTRY_WHERE_FIELD, 2, 1),
    ("title: '电动车' 充电\n", "yaml-syntax", syntax._TEXT_AFTER_QUOTE, 1, 14),
    ("title: [紧急]电动车充电\n", "yaml-syntax", syntax._TEXT_AFTER_BRACKET, 1, 12),
    ("title: @abc\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("title: `abc\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("title: & x\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("title: *\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("x: ? y\n", "yaml-syntax", syntax._BAD_START, 1, 4),
    ("title: !<abc\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("title: !x!y z\n", "yaml-syntax", syntax._BAD_START, 1, 8),
    ("title: [a, b\nlevel: major\n", "yaml-syntax", syntax._NOT_CLOSED, 1, 8),
    ("title: {a: b\nlevel: major\n", "yaml-syntax", syntax._NOT_CLOSED, 1, 8),
    ('title: "abc\nlevel: major\n', "yaml-syntax", syntax._QUOTE_NOT_CLOSED, 1, 8),
    ('evidence: ["D:\\材料\\a.jpg"]\n', "yaml-syntax", syntax._ESCAPE, 1, 15),
    ('title: "电动\\x4g"\n', "yaml-syntax", syntax._ESCAPE, 1, 11),
    ('title: "a\\uD800"\n', "yaml-syntax", syntax._ESCAPE, 1, 10),
    ("x: 'abc\n---\n'", "yaml-syntax", syntax._DOCUMENT_MARKER, 2, 1),
    ("%FOO bar\n---\ntitle: x\n", "yaml-syntax", syntax._DIRECTIVE, 1, 1),
    ("%YAML 2.0\n---\ntitle: x\n", "yaml-syntax", syntax._DIRECTIVE, 1, 1),
    ("%YAML 1.1\n%YAML 1.1\n---\ntitle: x\n", "yaml-syntax", syntax._DIRECTIVE, 2, 1),
    ("%TAG !a! tag:x\n%TAG !a! tag:y\n---\ntitle: x\n", "yaml-syntax", syntax._DIRECTIVE, 2, 1),
    ("%YAML a\n---\ntitle: x\n", "yaml-syntax", syntax._DIRECTIVE, 1, 1),
    ("description: | 接地线断开\n", "yaml-syntax", syntax._BLOCK_INDICATOR, 1, 14),
    ("description: |0\n  x\n", "yaml-syntax", syntax._BLOCK_INDICATOR, 1, 14),
    ("title: - 电动车\n", "yaml-syntax", syntax._ENTRY_ON_FIELD_LINE, 1, 8),
    ("x: [a, , b]\n", "yaml-syntax", syntax._MISSING_VALUE, 1, 8),
    ("a: 1\n...\nb\n", "yaml-syntax", syntax._AFTER_END, 3, 1),
    ("title: !!str {a: 1}\n", "yaml-tag", syntax._TAG, 1, 8),
    ("title: !!seq {a: 1}\n", "yaml-tag", syntax._TAG, 1, 8),
    # recognised from the text, whatever libyaml made of it
    ("a:\n\tb: 1\n", "tab", handedit.TAB, 2, 1),
    ("title:电动车充电\nlevel: major\n", "missing-space", handedit.MISSING_SPACE, 1, 6),
    ("level: major\ntitle:电动车充电\n", "missing-space", handedit.MISSING_SPACE, 2, 6),
    ("title:电动车\r\nlevel: major\r\n", "missing-space", handedit.MISSING_SPACE, 1, 6),
    ("p:\n  measures:增设\n  funds: 45万元\n", "missing-space", handedit.MISSING_SPACE, 2, 11),
    ("notes:\n  - on:2024-04-01\n    text: x\n", "missing-space", handedit.MISSING_SPACE, 2, 7),
    (
        "notes:\n  -on: 2024-04-01\n    text: x\n",
        "missing-space",
        handedit.MISSING_DASH_SPACE,
        2,
        3,
    ),
    ("title: a\u2028b\nlevel: x\n", "line-separator", handedit.LINE_SEPARATOR, 1, 9),
    ("a: 1\n\ufeffb: 2\n", "stray-bom", handedit.STRAY_BOM, 2, 1),
    ("enterprise:\n\u3000name: x\n  credit_code: y\n", "odd-indent", handedit.ODD_INDENT, 2, 1),
    ("enterprise:\n\u2002name: x\n  credit_code: y\n", "odd-indent", handedit.ODD_INDENT, 2, 1),
    ("a: [" + "[" * 2000 + "\n", "too-deep", syntax.TOO_DEEP, 1, 1),
]


@pytest.mark.parametrize(
    ("text", "code", "template", "line", "column"),
    MISTAKES,
    ids=[repr(m[0][:20]) for m in MISTAKES],
)
def test_each_mistake_is_named_where_it_was_made(
    text: str, code: str, template: str, line: int, column: int
) -> None:
    p = problem_of(text)
    assert (p.code, p.template) == (code, template)
    if code != "too-deep":  # libyaml's own limit: where its look-ahead stopped
        assert (p.line, p.column) == (line, column)
    en, zh = rendered(p)
    assert ZH(p.template) != p.template, "translate it: make i18n, .pending/tr_hints.py"
    for said in LIBYAML_PROBLEMS:
        assert said not in en and said not in zh


def test_the_fixes_quote_what_the_person_wrote() -> None:
    en, zh = rendered(problem_of("title: 注意: 加油站 # c\n"))
    assert en.endswith("title: '注意: 加油站'")
    assert zh.endswith("写成 title: '注意: 加油站'")
    en, _ = rendered(problem_of("level: major\ntitle:电动车充电\n"))
    assert "'title:电动车充电'" in en and en.endswith("title: 电动车充电")
    en, _ = rendered(problem_of("title: 'it''s' ok\n"))
    assert en.endswith("e.g. 'it''s ok'")
    en, _ = rendered(problem_of('evidence: ["D:\\材料\\a.jpg"]\n'))
    assert en.startswith("'\\材' inside double quotes")


def test_a_key_that_only_looks_like_a_field_is_not_a_missing_space() -> None:
    # 'http:' is no field: the problem is the one libyaml found, not a missing space.
    p = problem_of("evidence:\n  - http://x.cn/a\n  b: 1\n")
    assert p.code == "yaml-syntax"


def test_an_unknown_description_gets_the_general_message_not_english() -> None:
    class Fake(yaml.MarkedYAMLError):
        pass

    mark = yaml.Mark("f", 3, 0, 3, None, 0)
    exc = Fake("while doing something", mark, "something went wrong", mark)
    p = syntax.syntax_problem(exc, "ab\ncd\n")
    assert (p.template, p.line, p.column) == (syntax._GENERAL, 1, 4)


def test_libyaml_line_numbers_follow_the_editor_not_libyaml() -> None:
    # libyaml counts U+2028 and a lone CR as line breaks; editors (and safeplan) do not.
    p = problem_of("title: a\u2028b\n")
    assert (p.line, p.column) == (1, 9)


def test_reader_problem_names_the_control_character() -> None:
    p = problem_of("title: 电动\x1b车\n")
    assert (p.code, p.line, p.column, p.params) == ("bad-character", 1, 10, {"code": 0x1B})


# --------------------------------------------------------------------------- ruamel.yaml

#: Text ruamel.yaml refuses, one for each of its descriptions safeplan maps.
RUAMEL_SAMPLES = [
    "title:\t电动车\n",
    "title: 注意: 加油站\n",
    "level: major\ntitle:电动车充电\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n- b\n",
    "a:\n  - 1\n - 2\n",
    "title: [a, b\nlevel: x\n",
    "title: {a: b\nlevel: x\n",
    "x: [a, , b]\n",
    'title: "abc\n',
    "x: 'abc\n---\n'",
    'title: "a\\qb"\n',
    'title: "a\\xZZ"\n',
    "title: & x\n",
    "title: - x\n",
    "x: ? y\n",
    "x: |0\n a\n",
    "x: | foo\n a\n",
    "x: |x\n a\n",
    "title: !x!y z\n",
    "title: !<abc\n",
    "title: !a!b%zz x\n",
    "title: !a!\n",
    "x: !<a>b\n",
    "%YAML 1.1\n%YAML 1.1\n---\nx: 1\n",
    "%YAML 2.0\n---\nx: 1\n",
    "%YAML a\n---\nx: 1\n",
    "%YAML 1.a\n---\nx: 1\n",
    "%TAG !a! tag:x\n%TAG !a! tag:y\n---\nx: 1\n",
    "a: 1\n... x\n",
    "title: !!map [1]\n",
    "a: [b\nc: d]\n",
    "description: |\n  a\n    b\n c\n",
]


def ruamel_error(text: str) -> MarkedYAMLError:
    with pytest.raises(MarkedYAMLError) as info:
        YAML(typ="rt").load(text)
    return info.value


def test_every_ruamel_mapping_is_used() -> None:
    used = set()
    for text in RUAMEL_SAMPLES:
        exc = ruamel_error(text)
        said = str(exc.problem or exc.context or "")
        for i, (rx, _libyaml) in enumerate(syntax._RUAMEL):
            if rx.match(said):
                used.add(i)
                break
    assert sorted(set(range(len(syntax._RUAMEL))) - used) == []


@pytest.mark.parametrize("text", RUAMEL_SAMPLES, ids=lambda t: repr(t[:20]))
def test_ruamel_english_never_reaches_the_reader(text: str) -> None:
    exc = ruamel_error(text)
    p = roundtrip_problem(exc, text)
    en, zh = rendered(p)
    said = str(exc.problem or "")
    assert said not in en and said not in zh
    assert p.template != syntax._GENERAL, said  # each has a message of its own
    assert ZH(p.template) != p.template


def test_a_tab_that_only_ruamel_refuses_is_found() -> None:
    p = roundtrip_blocker("title:\t电动车\nlevel: major\n")
    assert p is not None and (p.code, p.template, p.line, p.column) == (
        "tab",
        handedit.TAB_IN_LINE,
        1,
        7,
    )
    assert roundtrip_blocker("title: 电动\t车\n") is not None
    assert roundtrip_blocker("title: x\t# c\n") is not None


def test_tabs_ruamel_reads_are_left_alone() -> None:
    assert roundtrip_blocker('title: "a\tb"\ndescription: |\n  a\tb\nx: y # a\tb\n') is None
    assert roundtrip_blocker("x: [a,\tb]\n") is None
    assert roundtrip_blocker("title: x\n") is None


def test_a_clean_file_never_imports_ruamel() -> None:
    code = (
        "import sys\n"
        "from safeplan.yamlio.syntax import roundtrip_blocker\n"
        "assert roundtrip_blocker('title: x\\nlevel: major  # c\\n') is None\n"
        "print('ruamel' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
