"""Edits look hand-made: comments, quoting, blank lines, CRLF and Chinese survive."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from safeplan import edit

DATA = Path(__file__).parent / "data" / "edit"
HZ = "HZ-20240315-K7Q2"
CLOSURE = ["closure:", "  on: 2024-07-02", "  reviewer: 镇安监站 站长"]


def _install(plan_root: Path, text: str, newline: str = "\n", bom: bool = False) -> Path:
    path = plan_root / "data" / "hazards" / f"{HZ}.yaml"
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _changes(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two versions."""
    a = before.decode("utf-8-sig").splitlines()
    b = after.decode("utf-8-sig").splitlines()
    removed, added = [], []
    for line in difflib.ndiff(a, b):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _commented() -> str:
    return (DATA / "commented.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("newline", "bom"), [("\n", False), ("\r\n", False), ("\n", True)], ids=["lf", "crlf", "bom"]
)
def test_closing_a_commented_file_adds_only_the_new_lines(
    plan_root: Path, newline: str, bom: bool
) -> None:
    path = _install(plan_root, _commented(), newline, bom)
    before = path.read_bytes()
    result = edit.close(plan_root, HZ, dt.date(2024, 7, 2), "镇安监站 站长")
    after = path.read_bytes()
    assert result.written
    removed, added = _changes(before, after)
    assert removed == []
    assert added == CLOSURE
    # Inserted right after the acceptance, before the comment that introduces supervision.
    expected = _commented().replace(
        "  # the acceptance report is in the archive\n",
        "  # the acceptance report is in the archive\n" + "\n".join(CLOSURE) + "\n",
    )
    assert after == (b"\xef\xbb\xbf" if bom else b"") + expected.replace("\n", newline).encode()
    assert b"\r\r" not in after


def test_the_diff_of_a_dry_run_is_only_the_new_lines(plan_root: Path) -> None:
    path = _install(plan_root, _commented())
    before = path.read_bytes()
    result = edit.close(plan_root, HZ, dt.date(2024, 7, 2), "镇安监站 站长", write=False)
    assert path.read_bytes() == before
    diff = result.diff().splitlines()
    assert diff[0] == f"--- a/data/hazards/{HZ}.yaml"
    assert [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")] == (
        CLOSURE
    )
    assert not [line for line in diff if line.startswith("-") and not line.startswith("---")]


def test_every_kind_of_edit_keeps_the_comments(plan_root: Path) -> None:
    text = _commented()
    # Start from a file that has not been accepted or reported yet.
    text = text.replace(
        "acceptance:\n  on: 2024-06-28\n  by: 县应急管理局 赵六\n  result: passed\n", ""
    )
    text = text.replace(
        "# 双报告\ndouble_report:\n  regulator_on: 2024-03-16\n  workers_on: 2024-03-18\n", ""
    )
    path = _install(plan_root, text)
    original = path.read_bytes()
    edit.accept(plan_root, HZ, dt.date(2024, 6, 28), "县应急管理局 赵六")
    edit.report(plan_root, HZ, dt.date(2024, 3, 16), dt.date(2024, 3, 18))
    edit.supervise(plan_root, HZ, "市级", "某市安委办", dt.date(2024, 4, 1))
    edit.lift_supervision(plan_root, HZ, dt.date(2024, 7, 1), level="县级")
    edit.note(plan_root, HZ, "复查：排水正常", dt.date(2024, 7, 1), by="张三")
    edit.close(plan_root, HZ, dt.date(2024, 7, 2), "镇安监站 站长")
    after = path.read_bytes()
    removed, added = _changes(original, after)
    # Nothing removed or rewritten: even the listing that was lifted keeps its comment.
    assert removed == []
    assert (
        "    listed_on: 2024-03-20   # 县安委办〔2024〕7号\n    lifted_on: 2024-07-01\n"
        "  - level: city\n"
    ) in after.decode()
    assert len(added) == 17
    assert after.decode().endswith("    text: 复查：排水正常\n    by: 张三\n# end of record\n")
    assert '"井下主排水泵房排水能力不足（“双回路”未落实）"' in after.decode()
    assert "name: '某镇某煤矿有限公司'" in after.decode()


def test_reopen_keeps_the_history_and_the_comments(plan_root: Path) -> None:
    text = _commented().replace(
        "  # the acceptance report is in the archive\n",
        "  # the acceptance report is in the archive\nclosure:\n  on: 2024-07-02\n  reviewer: 站长\n",
    )
    path = _install(plan_root, text)
    edit.reopen(plan_root, HZ, dt.date(2024, 9, 1), "复查发现故障")
    after = path.read_text(encoding="utf-8")
    # The comment that introduces the rectification stays where it was; the one before
    # supervision still comes right before supervision.
    assert "# 整改 and 验收, as they happened\n\n# 挂牌督办 by the county\nsupervision:" in after
    assert "reopenings:\n  - on: 2024-09-01\n    reason: 复查发现故障\n    previous:\n" in after
    assert "      closure:\n        on: 2024-07-02\n        reviewer: 站长\n" in after
    assert after.endswith("# end of record\n")


def test_editing_one_task_leaves_the_other_twenty_byte_identical(plan_root: Path) -> None:
    path = plan_root / "data" / "tasks.yaml"
    before = path.read_text(encoding="utf-8")
    edit.task_progress(
        plan_root, 8, "已建立隐患数据库框架", dt.date(2024, 10, 8), evidence=["docs/db.pdf"]
    )
    edit.task_done(plan_root, 8, dt.date(2024, 12, 20), note="数据库已投入使用")
    after = path.read_text(encoding="utf-8")

    def blocks(text: str) -> dict[int, str]:
        parts = text.split("\n  - number: ")
        return {int(p.split("\n", 1)[0]): p for p in parts[1:]}

    old, new = blocks(before), blocks(after)
    assert sorted(old) == sorted(new) == list(range(1, 22))
    for number in range(1, 22):
        if number != 8:
            assert new[number] == old[number], number
    assert before.split("\n  - number: ")[0] == after.split("\n  - number: ")[0]
    assert new[8].endswith(
        "    progress:\n"
        "      - on: 2024-10-08\n"
        "        note: 已建立隐患数据库框架\n"
        "        evidence: [docs/db.pdf]\n"
        "    done:\n"
        "      on: 2024-12-20\n"
        "      note: 数据库已投入使用"
    )


def test_a_task_before_a_section_comment_keeps_the_comment_below_it(plan_root: Path) -> None:
    # Task 2 is followed by a blank line and "# （二）…": the comment introduces task 3.
    path = plan_root / "data" / "tasks.yaml"
    edit.task_done(plan_root, 2, dt.date(2024, 12, 1))
    edit.task_progress(plan_root, 21, "开展安全生产月活动", dt.date(2024, 6, 15))
    text = path.read_text(encoding="utf-8")
    assert (
        "    done:\n      on: 2024-12-01\n\n  # （二）开展生产经营单位主要负责人安全教育培训行动\n"
        "  - number: 3\n"
    ) in text
    assert text.endswith(
        "    progress:\n      - on: 2024-06-15\n        note: 开展安全生产月活动\n    done: null\n"
    )


def test_task_reopen_moves_done_into_history(plan_root: Path) -> None:
    path = plan_root / "data" / "tasks.yaml"
    before = path.read_text(encoding="utf-8")
    edit.task_done(plan_root, 3, dt.date(2024, 9, 20), evidence=["培训签到表"])
    edit.task_reopen(plan_root, 3, dt.date(2024, 10, 1), "部分企业未参训")
    after = path.read_text(encoding="utf-8")
    assert (
        "    done: null\n"
        "    reopenings:\n"
        "      - on: 2024-10-01\n"
        "        reason: 部分企业未参训\n"
        "        previous:\n"
        "          on: 2024-09-20\n"
        "          evidence: [培训签到表]\n"
        "  - number: 4\n"
    ) in after
    removed, added = _changes(before.encode(), after.encode())
    assert removed == []
    assert len(added) == 6


def test_multiline_text_is_written_as_a_block(plan_root: Path) -> None:
    shutil.copy(DATA / "commented.yaml", plan_root / "data" / "hazards" / f"{HZ}.yaml")
    edit.note(plan_root, HZ, "第一行\n第二行", dt.date(2024, 7, 1))
    text = (plan_root / "data" / "hazards" / f"{HZ}.yaml").read_text(encoding="utf-8")
    assert (
        "  - on: 2024-07-01\n    text: |-\n      第一行\n      第二行\n# end of record\n" in text
        or (
            "  - on: 2024-07-01\n    text: |\n      第一行\n      第二行\n# end of record\n" in text
        )
    )
