"""JSON Schema of the plan's files, from the pydantic models, with the Chinese of ``texts``.

The dialect is draft-07: the one yaml-language-server (VS Code's YAML extension) reads
fully (its support of 2019-09 and 2020-12 was added and taken back), and that
check-jsonschema reads too. pydantic writes 2020-12's ``$defs``; here they become
draft-07's ``definitions``, and a ``$ref`` that gets a title or a description is wrapped
in ``allOf`` (draft-07 ignores the words beside a ``$ref``).

What pydantic cannot say in a schema is added where a schema can say it: the old
spellings of a supervision level that safeplan still reads (省级 …), and the names
Windows reserves, which no hazard id may take. Rules across fields or files (a date
after another, a unit that exists) stay with ``safeplan validate``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

from safeplan import vocab
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.fields import CREDIT_CODE_PATTERN, HAZARD_ID_PATTERN, TEXT_PATTERN
from safeplan.models.hazards import Hazard
from safeplan.models.records import Plan, TasksFile, UnitsFile
from safeplan.schema.modeline import SCHEMA_FILES
from safeplan.schema.texts import FIELDS, MODELS, Text

DRAFT = "http://json-schema.org/draft-07/schema#"

#: The record of each kind of file.
ROOT_MODELS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "units": UnitsFile,
    "tasks": TasksFile,
    "hazard": Hazard,
    "enterprise": EnterpriseRecord,
}

#: Names Windows reserves for devices (``CON``, ``com1.yaml``), in any case, as an
#: ECMA-262 pattern (it has no flag for case).
WINDOWS_RESERVED_PATTERN = (
    "^(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][0-9]|[Ll][Pp][Tt][0-9])"
    "(?:\\..*)?$"
)

#: What an editor says when a value does not match a pattern (the pattern itself would
#: mean nothing to the reader); ``patternErrorMessage`` is the editors' word for it.
PATTERN_MESSAGES = {
    TEXT_PATTERN: "须填写文字：不能只有空格，也不能含控制字符。",
    HAZARD_ID_PATTERN: "隐患编号只能用字母、数字和 . _ -，以字母或数字开头，不以 . 结尾。",
    CREDIT_CODE_PATTERN: "统一社会信用代码为 18 位数字或大写字母（不含 I、O、S、V、Z）。",
}

#: A record's date: YYYY-MM-DD within safeplan's range (``safeplan.dates``: 1950 to 2099);
#: ``format: date`` says that it is a real day.
DATE_PATTERN = "^(?:19[5-9][0-9]|20[0-9][0-9])-[0-9]{2}-[0-9]{2}$"
DATE_MESSAGE = "日期写成 YYYY-MM-DD，如 2024-03-15，在 1950-01-01 至 2099-12-31 之间。"

#: Characters a pattern writes as ``\\uXXXX``: controls and invisible characters would
#: be unreadable (or lost) in the file.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file: ``plan``, ``units``, ``tasks`` or ``hazard``."""
    model = ROOT_MODELS[kind]
    raw = model.model_json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = raw.pop("$defs", {})
    title, description = MODELS[model.__name__]
    out: dict[str, Any] = {"$schema": DRAFT, "title": title, "description": description}
    out.update(_model(model.__name__, raw))
    if definitions:
        out["definitions"] = {name: _model(name, body) for name, body in definitions.items()}
    walked: dict[str, Any] = _walk(out)
    return walked


def schema_files() -> dict[str, bytes]:
    """Every schema as its file in ``schemas/`` holds it: UTF-8, Chinese as it is."""
    return {
        SCHEMA_FILES[kind]: (json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        )
        for kind in ROOT_MODELS
    }


def missing_texts() -> list[tuple[str, str]]:
    """The (model, field) pairs of the schemas that have no Chinese text (a test keeps it empty)."""
    out: list[tuple[str, str]] = []
    for model in ROOT_MODELS.values():
        raw = model.model_json_schema(ref_template="#/definitions/{model}", by_alias=True)
        bodies = {model.__name__: raw, **raw.get("$defs", {})}
        for name, body in bodies.items():
            if name not in MODELS:
                out.append((name, ""))
            out += [(name, f) for f in body.get("properties", {}) if (name, f) not in FIELDS]
    return sorted(set(out))


# --------------------------------------------------------------------------- one record


def _model(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """A record's schema with its Chinese: its own title and description, and each field's."""
    body = dict(body)
    body.pop("title", None)
    body.pop("description", None)  # pydantic's is the class's English docstring
    head: dict[str, Any] = {}
    if name in MODELS:
        head = {"title": MODELS[name][0], "description": MODELS[name][1]}
    properties = body.get("properties")
    if isinstance(properties, dict):
        body["properties"] = {
            field: _field(name, field, dict(prop)) for field, prop in properties.items()
        }
    return {**head, **body}


def _field(model: str, field: str, prop: dict[str, Any]) -> dict[str, Any]:
    prop.pop("title", None)
    text = FIELDS.get((model, field))
    if (model, field) == ("Supervision", "level"):
        prop = _with_old_levels(prop)
    if text is None:
        return prop
    if "$ref" in prop:  # draft-07 ignores what stands beside a $ref
        prop = {"allOf": [{"$ref": prop.pop("$ref")}], **prop}
    words: dict[str, Any] = {"title": text.title}
    description = _description(text)
    if description:
        words["description"] = description
    if text.examples:
        words["examples"] = list(text.examples)
    if text.codes is not None:
        _describe_codes(prop, text.codes)
    prop.pop("examples", None)
    return {**words, **prop}


def _describe_codes(node: dict[str, Any], codes: vocab.Vocabulary) -> None:
    """Beside the enum of a coded field, the label of each code (editors show them)."""
    for branch in [node, *node.get("anyOf", [])]:
        if isinstance(branch, dict) and branch.get("enum") == list(codes.codes):
            branch["enumDescriptions"] = [_label(codes, code) for code in codes.codes]


def _description(text: Text) -> str:
    if text.codes is None:
        return text.description
    codes = "、".join(f"{t.code}（{_label(text.codes, t.code)}）" for t in text.codes.terms)
    return "".join(part for part in (text.description, "可填：", codes, "。"))


def _label(codes: vocab.Vocabulary, code: str) -> str:
    return codes.label(code, "zh", long=True)


def _with_old_levels(prop: dict[str, Any]) -> dict[str, Any]:
    """A supervision level: a code, or one of the Chinese words older files wrote."""
    old = [t.zh for t in vocab.SUPERVISION_LEVEL.terms]
    codes = {k: v for k, v in prop.items() if k in ("enum", "type")}
    rest = {k: v for k, v in prop.items() if k not in ("enum", "type")}
    legacy = {
        "type": "string",
        "enum": old,
        "description": "旧写法，仍可读取；运行 safeplan fmt 改写为代码。",
    }
    return {**rest, "anyOf": [codes, legacy]}


# --------------------------------------------------------------------------- the whole schema


def _walk(node: Any) -> Any:
    """Patterns written readably, and hazard ids kept off the names Windows reserves."""
    if isinstance(node, list):
        return [_walk(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _walk(value) for key, value in node.items()}
    if out.get("format") == "date" and out.get("type") == "string":
        out["pattern"] = DATE_PATTERN
        out["patternErrorMessage"] = DATE_MESSAGE
    pattern = out.get("pattern")
    if isinstance(pattern, str):
        if pattern == HAZARD_ID_PATTERN:
            out["not"] = {"pattern": WINDOWS_RESERVED_PATTERN}
        if pattern in PATTERN_MESSAGES:
            out["patternErrorMessage"] = PATTERN_MESSAGES[pattern]
        out["pattern"] = _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", pattern)
    return out
