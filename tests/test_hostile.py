"""Hostile input that cannot be kept as files in the corpus: huge, deep, linked or encoded.

Each test writes the input into a copy of ``tests/data/valid-minimal`` and runs
``safeplan validate``: the answer is a located message and an exit code, quickly,
and never a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan import yamlio
from safeplan.cli import app

VALID = Path(__file__).resolve().parent / "data" / "valid-minimal"
H1 = "data/hazards/HZ-20240315-A7K2.yaml"
H2 = "data/hazards/HZ-20240902-B3M9.yaml"
T = "data/tasks.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(VALID, dest)
    return dest


def validate(root: Path, max_seconds: float = 10.0) -> tuple[int, list[str]]:
    """Exit code and output lines of ``safeplan validate --lang en``; no traceback, ever."""
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["validate", "--lang", "en", "--root", str(root)])
    elapsed = time.perf_counter() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert elapsed < max_seconds, f"validate took {elapsed:.1f}s"
    return result.exit_code, result.stdout.splitlines()


def only_problem(lines: list[str], rel: str) -> str:
    """The one problem line of the file ``rel`` (and there is no other problem)."""
    mine = [line for line in lines if line.startswith(rel + ":")]
    assert len(mine) == 1, lines
    assert len(lines) == 2, lines  # the problem and the summary
    return mine[0]


def test_file_over_the_size_limit_is_refused_unread(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = root / H2
    body = path.read_bytes()
    # Valid YAML (a comment) that makes the file one byte over the limit.
    pad = yamlio.MAX_FILE_BYTES + 1 - len(body) - 3
    path.write_bytes(body + b"# " + b"x" * pad + b"\n")
    assert path.stat().st_size == yamlio.MAX_FILE_BYTES + 1

    real_open = open
    reads: list[int] = []

    class Spy:
        def __init__(self, fh: object) -> None:
            self._fh = fh

        def __enter__(self) -> Spy:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()  # type: ignore[attr-defined]

        def read(self, n: int = -1) -> bytes:
            reads.append(n)
            return self._fh.read(n)  # type: ignore[attr-defined,no-any-return]

    def spy_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        fh = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        if str(file).endswith("B3M9.yaml") and "b" in mode:
            return Spy(fh)
        return fh

    monkeypatch.setattr("builtins.open", spy_open)
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, H2)
    limit = yamlio.MAX_FILE_BYTES // 1024
    assert line == (
        f"{H2}:1:1: file is larger than {limit} KiB and was not read: split it or remove it"
    )
    # Read with a bound, never whole.
    assert reads
    assert all(0 <= n <= yamlio.MAX_FILE_BYTES + 1 for n in reads), reads


def test_file_at_the_size_limit_is_read(root: Path) -> None:
    path = root / H2
    body = path.read_bytes()
    pad = yamlio.MAX_FILE_BYTES - len(body) - 3
    path.write_bytes(body + b"# " + b"x" * pad + b"\n")
    assert path.stat().st_size == yamlio.MAX_FILE_BYTES
    code, lines = validate(root)
    assert (code, lines) == (0, ["5 files checked: no problems found."])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_outside_the_root_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "HZ-OUT.yaml"
    outside.parent.mkdir()
    outside.write_bytes((root / H2).read_bytes().replace(b"HZ-20240902-B3M9", b"HZ-OUT"))
    (root / "data/hazards/HZ-OUT.yaml").symlink_to(outside)
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, "data/hazards/HZ-OUT.yaml")
    assert line == (
        f"data/hazards/HZ-OUT.yaml:1:1: symbolic link to {outside.resolve()}, outside the plan "
        "root: refused; copy the file into the plan instead"
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_to_etc_passwd_is_refused_and_not_read(root: Path) -> None:
    (root / "data/hazards/passwd.yaml").symlink_to("/etc/passwd")
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, "data/hazards/passwd.yaml")
    assert "outside the plan root: refused" in line
    assert "root:x:0" not in "\n".join(lines)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlinked_hazards_folder_outside_the_root_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(root / "data/hazards", outside)
    (root / "data/hazards").symlink_to(outside, target_is_directory=True)
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, "data/hazards")
    assert line == (
        f"data/hazards:1:1: symbolic link to {outside.resolve()}, outside the plan root: "
        "refused; copy the file into the plan instead"
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_inside_the_root_is_followed(root: Path) -> None:
    inside = root / "archive" / "HZ-IN.yaml"
    inside.parent.mkdir()
    record = (root / H2).read_bytes().replace(b"HZ-20240902-B3M9", b"HZ-IN")
    inside.write_bytes(record.replace("卸油区".encode(), "加油区".encode()))
    (root / "data/hazards/HZ-IN.yaml").symlink_to(inside)
    code, lines = validate(root)
    assert (code, lines) == (0, ["6 files checked: no problems found."])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_broken_symlink(root: Path) -> None:
    (root / "data/hazards/gone.yaml").symlink_to(root / "nowhere.yaml")
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, "data/hazards/gone.yaml") == (
        "data/hazards/gone.yaml:1:1: broken symbolic link: remove it"
    )


def test_folder_named_like_a_hazard_file(root: Path) -> None:
    (root / "data/hazards/HZ-folder.yaml").mkdir()
    code, lines = validate(root)
    assert code == 0
    assert lines == [
        "data/hazards/HZ-folder.yaml:1:1: warning: not a regular file: skipped",
        "5 files checked; errors: 0, warnings: 1.",
    ]


def test_hazards_path_that_is_a_file(root: Path) -> None:
    shutil.rmtree(root / "data/hazards")
    (root / "data/hazards").write_text("HZ-1\n", encoding="utf-8")
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, "data/hazards") == (
        "data/hazards:1:1: data/hazards must be a folder of hazard files: move this file away"
    )


def test_no_hazards_folder_is_fine(root: Path) -> None:
    shutil.rmtree(root / "data/hazards")
    code, lines = validate(root)
    assert (code, lines) == (0, ["3 files checked: no problems found."])


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
)


def test_alias_bomb_returns_quickly_with_the_anchors_message(root: Path) -> None:
    (root / H2).write_text(BILLION_LAUGHS, encoding="utf-8")
    code, lines = validate(root, max_seconds=5.0)
    assert code == 1
    assert only_problem(lines, H2) == (
        f"{H2}:1:4: anchors and aliases (&a, *a) are not allowed: write each value out in full"
    )


def test_alias_bomb_in_the_fast_loader_directly() -> None:
    started = time.perf_counter()
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_fast(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1.0
    assert info.value.code == "anchor"


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting(root: Path, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    (root / H2).write_text(
        "id: HZ-20240902-B3M9\nx: " + opener * 10_000 + "1" + closer * 10_000 + "\n",
        encoding="utf-8",
    )
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, H2)
    assert line.startswith(f"{H2}:2:")
    assert line.endswith(f"nesting is deeper than {yamlio.MAX_DEPTH} levels: flatten the data")


def test_ten_thousand_open_brackets(root: Path) -> None:
    """libyaml's scanner looks ahead and meets its own limit (1000) first: still located."""
    (root / H2).write_text("[" * 10_000, encoding="utf-8")
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, H2) == (
        f"{H2}:1:1001: nesting is deeper than {yamlio.MAX_DEPTH} levels: flatten the data"
    )


def test_real_nesting_is_refused_where_it_passes_the_limit(root: Path) -> None:
    deep = "x: " + "[" * 70 + "1" + "]" * 70 + "\n"
    (root / H2).write_text("id: HZ-20240902-B3M9\n" + deep, encoding="utf-8")
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, H2) == (
        # the record's mapping is level 1: the 64th bracket opens level 65
        f"{H2}:2:{3 + yamlio.MAX_DEPTH}: nesting is deeper than {yamlio.MAX_DEPTH} levels: "
        "flatten the data"
    )


def test_brackets_in_comments_and_quoted_text_are_not_nesting(root: Path) -> None:
    path = root / H2
    text = path.read_text(encoding="utf-8")
    text = text.replace("location: 卸油区", "location: '" + "[" * 100 + "{" * 100 + "'")
    path.write_text(text + "# " + "[" * 200 + "\n", encoding="utf-8")
    assert validate(root) == (0, ["5 files checked: no problems found."])


def test_deep_block_nesting(root: Path) -> None:
    # "- - - - 1": block sequences nest without brackets.
    (root / H2).write_text("- " * 10_000 + "1\n", encoding="utf-8")
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, H2)
    assert line.startswith(f"{H2}:1:")
    assert "nesting is deeper than" in line


def test_five_thousand_digit_integer(root: Path) -> None:
    path = root / H2
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("funds: 2000元", "funds: " + "9" * 5000), encoding="utf-8")
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, H2) == (
        f"{H2}:15:10: number is too large: write it as text in quotes"
    )


def test_crlf_and_bom_are_accepted(root: Path) -> None:
    for rel in (H1, H2, T, "data/units.yaml", "plan/plan.yaml"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    code, lines = validate(root)
    assert (code, lines) == (0, ["5 files checked: no problems found."])


def test_gbk_file_is_named_as_gbk(root: Path) -> None:
    path = root / H2
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    code, lines = validate(root)
    assert code == 1
    line = only_problem(lines, H2)
    assert "it looks like GBK" in line
    assert line.endswith("save it again as UTF-8")


def test_python_object_tag_is_refused_and_never_run(root: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = root / H2
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "location: 卸油区",
            f'location: !!python/object/apply:os.system ["touch {marker}"]',
        ),
        encoding="utf-8",
    )
    code, lines = validate(root)
    assert code == 1
    assert only_problem(lines, H2) == (
        f"{H2}:8:11: YAML tag !!python/object/apply:os.system is not allowed: "
        "remove it and write a plain value"
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object:os.system {}\n",
        "x: !!python/name:os.system\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
        "x: !!omap [a: 1]\n",
        "\x00",
        "x: \x07\n",
        "\ufeff\ufeffx: 1\n",
        "x: '\n",
        '"\\u',
        ": : :\n",
        "--- !\n",
        "%YAML 9.9\n---\nx: 1\n",
        "%TAG ! tag:example.com,2000:\n---\nx: !foo 1\n",
        "? " * 3000 + "\n",
        "x: *undefined\n",
        "a: &x 1\nb: &x 2\n",
        "&a [*a]\n",
        "x: " + "-" * 100_000 + "\n",
        "x: 1e99999\n",
        "x: 0x" + "f" * 5000 + "\n",
        "x: 0o" + "7" * 5000 + "\n",
        "x: 1_" + "0" * 5000 + "\n",
        "x: 1:" + "0" * 5000 + "\n",
        "\r\r\r\n\r",
        "\t",
    ],
    ids=lambda t: repr(t[:24]),
)
def test_odd_input_never_crashes(root: Path, text: str) -> None:
    (root / H2).write_text(text, encoding="utf-8")
    code, lines = validate(root)
    assert code in (0, 1)
    assert lines[-1].startswith("5 files checked")
    for line in lines[:-1]:
        assert line.startswith(("data/", "plan/")), line
        _path, line_no, column, message = line.split(":", 3)
        assert int(line_no) >= 1 and int(column) >= 1, line
        assert message.strip(), line


@pytest.mark.slow  # seconds: the whole corpus, or hundreds of generated cases
@pytest.mark.parametrize("target", ["plan/plan.yaml", "data/units.yaml", T])
def test_no_traceback_for_any_corpus_file_as_any_record(
    root: Path, tmp_path: Path, target: str
) -> None:
    """Every hazard file of the invalid corpus, put in the place of plan, units and tasks."""
    corpus = Path(__file__).resolve().parent / "data" / "invalid"
    samples = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
    assert samples
    for sample in samples:
        case_root = tmp_path / f"r-{target.replace('/', '-')}-{sample.parent.parent.name}"
        case_root = case_root.with_name(case_root.name + f"-{len(list(tmp_path.iterdir()))}")
        shutil.copytree(root, case_root)
        shutil.copyfile(sample, case_root / target)
        code, lines = validate(case_root)
        assert code in (0, 1), (target, sample)
        assert re.search(r"(no problems found|warnings: \d+)\.$", lines[-1]), (target, sample)
