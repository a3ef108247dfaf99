"""The files ``safeplan init`` writes around a plan: for its users, git, pre-commit and editors.

Texts only (bytes by path); writing them is the edit transaction's job. The README is in
Chinese: it is for the township's safety officers, who use the five commands it lists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import Any

from safeplan import yamlio
from safeplan.importers.plantext.documents import GOAL_ORDER, start_comment
from safeplan.importers.plantext.parsed import ParsedPlan
from safeplan.models.records import Goal
from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE

#: Where the pre-commit hooks safeplan-validate and safeplan-fmt are published.
#: The national plan every 治本攻坚 plan implements.
NATIONAL_PLAN = {"title": "安全生产治本攻坚三年行动方案（2024—2026年）", "issuer": "国务院安委会"}
DEFAULT_PERIOD = (dt.date(2024, 1, 1), dt.date(2026, 12, 31))
#: The national wording of the goals (一（三）of the national plan and every plan under it).
NATIONAL_GOALS = (
    Goal(
        id="stock",
        kind="stock_cleared",
        title="2024年底前基本消除2023年及以前排查发现的重大事故隐患存量",
        discovered_until=dt.date(2023, 12, 31),
        due=dt.date(2024, 12, 31),
    ),
    Goal(
        id="increment",
        kind="increment_curbed",
        title="2025年底前有效遏制重大事故隐患增量",
        discovered_from=dt.date(2024, 1, 1),
        due=dt.date(2025, 12, 31),
    ),
    Goal(
        id="dynamic-zero",
        kind="dynamic_zero",
        title="2026年底前形成重大事故隐患动态清零的常态化机制",
        due=dt.date(2026, 12, 31),
    ),
)
SCHEMAS = {
    "schemas/plan.schema.json": ["plan/plan.yaml"],
    "schemas/units.schema.json": ["data/units.yaml"],
    "schemas/tasks.schema.json": ["data/tasks.yaml"],
    "schemas/hazard.schema.json": ["data/hazards/*.yaml", "data/hazards/*.yml"],
}

GITIGNORE = """\
# safeplan's own files: the cache of parsed records, the journal of an interrupted edit
# (safeplan recover settles it) and the temporary files of a write
.safeplan-cache/
.safeplan-journal.json
.*.tmp
# editors and operating systems
*.swp
*~
.DS_Store
Thumbs.db
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com) checks the plan before every commit:
#   pip install pre-commit && pre-commit install
# safeplan-validate checks every file of the plan; safeplan-fmt keeps the files' layout.
# They run the safeplan installed on this machine (safeplan {version} wrote this file);
# to pin a version instead, use safeplan's repository and its hooks (.pre-commit-hooks.yaml).
repos:
  - repo: local
    hooks:
      - id: safeplan-validate
        name: safeplan validate
        entry: safeplan validate
        language: system
        pass_filenames: false
        files: ^(plan|data)/
        require_serial: true
      - id: safeplan-fmt
        name: safeplan fmt
        entry: safeplan fmt
        language: system
        files: ^(plan/plan\\.yaml|data/(units|tasks)\\.yaml|data/hazards/[^/]+\\.ya?ml)$
        require_serial: true
"""

README = """\
# {title}

本仓库用 safeplan 管理《{title}》：

- `plan/plan.yaml`：方案（标题、印发单位、期限、上级方案、行动、目标）{source_line}
- `data/tasks.yaml`：重点任务（编号、完成时限、责任单位、进展、完成情况）
- `data/units.yaml`：责任单位
- `data/hazards/`：重大事故隐患数据库，一条隐患一个文件

所有状态（逾期、即将到期、已完成、已销号……）都由文件里记录的日期算出，不必手工填写。

## 常用命令

| 要做的事 | 命令 |
|---|---|
| 查看方案进展：任务、隐患、行动目标、各单位任务量 | `safeplan status` |
| 登记一条隐患 | `safeplan hazard new --title 隐患名称 --level 重大 --unit {unit} --source 企业自查` |
| 隐患整改、验收、销号 | `safeplan hazard rectify 编号` → `safeplan hazard accept 编号 --by 验收人` → `safeplan hazard close 编号 --by 审核人` |
| 检查全部文件（提交前、合并前） | `safeplan validate` |
| 生成报告 | `safeplan report …`（`safeplan report --help` 列出可生成的报告） |

每条命令都可加 `--help` 查看用法；改动文件的命令可加 `--dry-run` 先看改动。
方案修订后，用 `safeplan import text 修订后的方案.txt` 查看改了什么，确认后加 `--apply` 写入（已记录的进展会保留）。

用 VS Code 编辑 YAML 文件时，`.vscode/settings.json` 让编辑器按 `schemas/` 下的 JSON Schema 检查字段。
"""


#: The unit the README of a plan to fill in names: a placeholder, as 编号 and 验收人 are.
UNIT_PLACEHOLDER = "责任单位"
#: The task that sets up the hazard database, best match first: its lead unit registers hazards.
_HAZARD_TASKS = (
    re.compile(r"隐患(?:数据|信息)库"),
    re.compile(r"隐患(?:台账|清单|信息系统|管理系统)"),
    re.compile(r"隐患.{0,8}(?:排查|整治|治理|整改|清零)|(?:排查|整治|治理|整改|清零).{0,8}隐患"),
)


def example_unit(parsed: ParsedPlan) -> str:
    """The unit the README's example registers a hazard for: a unit of this plan, never one
    it lacks. The lead unit of the task that sets up the hazard database (or a register, or
    the hazard work), else the unit that leads most tasks (a unit group never: a hazard
    has one unit)."""
    groups = {u.name for u in parsed.units if u.kind == "group"}
    for pattern in _HAZARD_TASKS:
        for task in parsed.tasks:
            leads = [u for u in task.units if u not in groups]
            if leads and pattern.search(task.title + task.text):
                return leads[0]
    counts = Counter(next((u for u in t.units if u not in groups), "") for t in parsed.tasks)
    counts.pop("", None)
    order = {u.name: i for i, u in enumerate(parsed.units)}
    best = sorted(counts, key=lambda name: (-counts[name], order.get(name, len(order))))
    return best[0] if best else UNIT_PLACEHOLDER


def _yaml(data: dict[str, Any], header: str) -> bytes:
    doc = yamlio.rt_new(data)
    start_comment(doc, header)
    return yamlio.rt_dump_new(doc)


def blank_plan(town: str) -> dict[str, bytes]:
    """A minimal valid plan to fill in: the national parent plan and goals, no tasks yet."""
    title = f"{town}安全生产治本攻坚三年行动方案（2024—2026年）"
    issuer = town + ("办事处" if town.endswith("街道") else "人民政府")
    start, end = DEFAULT_PERIOD
    goals = [g.model_dump(exclude_none=True) for g in NATIONAL_GOALS]
    plan = yamlio.rt_new(
        {
            "title": title,
            "issuer": issuer,
            "period": {"start": start, "end": end},
            "language": "zh-CN",
            "timezone": "Asia/Shanghai",
            "parent_plans": [dict(NATIONAL_PLAN)],
            "actions": [],
            "goals": [{k: g[k] for k in GOAL_ORDER if k in g} for g in goals],
            "rules": {"close_requires_double_report": True, "due_soon_days": 30},
        }
    )
    start_comment(
        plan,
        f"{title}: a plan to fill in.\nWrite the title, issuer and period as the issued text "
        "has them, the plans it implements, and its actions. 'safeplan import text PLAN.txt' "
        "reads all of that from the issued text instead.",
    )
    plan.yaml_set_comment_before_after_key(
        "parent_plans",
        before="\nThe plans this one implements, as its preamble cites them (title, issuer, number).",
    )
    plan.yaml_set_comment_before_after_key(
        "actions",
        before=(
            "\n二、重点任务: the actions, with the text's own numerals, e.g.\n"
            "  - numeral: 一\n    title: 开展党政领导干部统筹发展和安全能力提升行动"
        ),
    )
    plan.yaml_set_comment_before_after_key(
        "goals", before="\nThe goals of the national plan (一（三）): keep those your plan states."
    )
    plan.yaml_set_comment_before_after_key("rules", before="\n")
    return {
        PLAN_FILE.as_posix(): yamlio.rt_dump_new(plan),
        UNITS_FILE.as_posix(): _yaml(
            {"units": []},
            "责任单位: every unit the plan's tasks name, written as the plan writes them, e.g.\n"
            "  - name: 镇安监站\n    kind: station\n"
            "kind: station | office | agency | town-body | institution | committee | group",
        ),
        TASKS_FILE.as_posix(): _yaml(
            {"tasks": []},
            "二、重点任务, as issued: one entry a task, e.g.\n"
            "  - number: 1\n    action: 一\n    title: 完善落实党政领导干部安全生产责任制。\n"
            "    text: 完善落实党政领导干部安全生产责任制。……\n    deadline: 2024-12-31\n"
            "    units: [镇安监站, 镇党政办]\n"
            "(长期坚持: 'ongoing: true' and 'check_in: quarter' instead of a deadline.)",
        ),
    }


def scaffold(title: str, version: str, unit: str, with_source: bool) -> dict[str, bytes]:
    """The files around the plan: .gitignore, the users' README, pre-commit, editor settings,
    and the JSON Schemas those settings and each hazard file's first line point to."""
    from safeplan.edit.merge import attributes
    from safeplan.schema.export import schema_files

    settings = {"yaml.schemas": SCHEMAS}
    readme = README.format(
        title=title,
        unit=unit,
        source_line="；`plan/source.txt`：方案原文" if with_source else "",
    )
    return {
        ".gitignore": GITIGNORE.encode("utf-8"),
        ".gitattributes": attributes("").encode("utf-8"),
        "README.md": readme.encode("utf-8"),
        ".pre-commit-config.yaml": PRE_COMMIT.format(version=version).encode("utf-8"),
        ".vscode/settings.json": (json.dumps(settings, ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        ),
        "data/hazards/.gitkeep": b"",
        **{f"schemas/{name}": data for name, data in schema_files().items()},
    }
