"""``fmt --check`` on the fast path: files proven canonical before and unchanged since are
not round-tripped again (``repo/fmtcache.py``); every answer equals ``--no-cache``'s."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.repo import fmtcache
from safeplan.repo.cache import CACHE_DIR, RACY_NS
from safeplan.yamlio import canonical as canonical_module

HZ = "data/hazards/HZ-20240501-ABCD.yaml"
RECORD = """\
id: HZ-20240501-ABCD
title: 配电室未设置挡鼠板
level: general
discovered_on: 2024-05-01
source: inspection
responsible_unit: 镇安监站
rectification_plan:
  deadline: 2024-06-01
"""


@pytest.fixture
def root(plan_root: Path) -> Path:
    (plan_root / "data" / "hazards").mkdir(exist_ok=True)
    (plan_root / HZ).write_text(RECORD, "utf-8")
    return plan_root


@pytest.fixture
def proved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files round-tripped (proven), run after run."""
    seen: list[str] = []
    real = canonical_module.canonical

    def counting(path: Path, kind: str) -> tuple[bytes, bytes]:
        seen.append(path.name)
        return real(path, kind)

    monkeypatch.setattr(canonical_module, "canonical", counting)
    return seen


def check(root: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*more, "fmt", "--check", "--root", str(root), "--lang", "en"])
    return result.exit_code, result.stdout


def age(root: Path) -> None:
    """As if the memo had been made long after the files last changed."""
    path = root / CACHE_DIR / fmtcache.MEMO_FILE
    stored = json.loads(path.read_text("utf-8"))
    for entry in stored["files"].values():
        entry[5] += 10 * RACY_NS
    path.write_text(json.dumps(stored), "utf-8")


def test_a_second_check_round_trips_nothing(root: Path, proved: list[str]) -> None:
    first = check(root)
    assert first[0] == 0 and "HZ-20240501-ABCD.yaml" in proved
    proved.clear()
    assert check(root) == first
    assert proved == []  # the hashes vouched (the files are new)
    age(root)
    assert check(root) == first
    assert proved == []  # the timestamps vouched
    assert check(root, "--no-cache") == first
    assert "HZ-20240501-ABCD.yaml" in proved


@pytest.mark.parametrize("racy", [True, False])
def test_a_changed_file_is_proven_again(
    root: Path, proved: list[str], monkeypatch: pytest.MonkeyPatch, racy: bool
) -> None:
    """Changed with the same size and its mtime put back: the ctime tells; on a filesystem
    whose ctime is as coarse as its mtime (racy), the hash of a file proven in the same
    tick tells."""
    if racy:
        real = fmtcache.stat_key

        def coarse(p: Path) -> list[int] | None:
            key = real(p)
            return None if key is None else [key[0], key[1], 0, key[3]]

        monkeypatch.setattr(fmtcache, "stat_key", coarse)
    check(root)
    if not racy:
        age(root)
    path = root / HZ
    st = path.stat()
    changed = RECORD.replace("title: 配电室", "title:    配电")  # same size, not canonical
    assert len(changed.encode()) == len(RECORD.encode())
    path.write_text(changed, "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    proved.clear()
    code, out = check(root)
    assert code == 1 and "HZ-20240501-ABCD.yaml: not in the canonical layout" in out
    assert proved == ["HZ-20240501-ABCD.yaml"]
    assert (code, out) == check(root, "--no-cache")


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"[]", b'{"stamp": "0:old", "files": {}}'])
def test_a_damaged_or_foreign_memo_is_ignored(root: Path, proved: list[str], damage: bytes) -> None:
    first = check(root)
    (root / CACHE_DIR / fmtcache.MEMO_FILE).write_bytes(damage)
    proved.clear()
    assert check(root) == first
    assert "HZ-20240501-ABCD.yaml" in proved
    proved.clear()
    assert check(root) == first
    assert proved == []  # rebuilt


def test_a_memo_that_cannot_be_written_changes_nothing(root: Path, proved: list[str]) -> None:
    (root / CACHE_DIR).write_text("a file where the folder should be", "utf-8")
    first = check(root)
    proved.clear()
    assert check(root) == first
    assert "HZ-20240501-ABCD.yaml" in proved
