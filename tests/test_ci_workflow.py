"""The GitHub Actions workflow of this repository: actionlint passes, actions are pinned."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_there_is_a_workflow() -> None:
    assert [w.name for w in WORKFLOWS] == ["ci.yml"]


def test_actionlint_passes_with_shellcheck() -> None:
    actionlint = BIN / "actionlint"
    if not actionlint.exists():
        pytest.fail("actionlint is not installed: make install (it is a dev dependency)")
    assert (BIN / "shellcheck").exists(), "shellcheck is not installed: make install"
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(actionlint), "-verbose", *map(str, WORKFLOWS)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'Rule "shellcheck" was disabled' not in done.stderr


def test_actions_are_pinned_by_version() -> None:
    for workflow in WORKFLOWS:
        doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        for job in doc["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", step["uses"]), step


def test_the_workflow_runs_make_check_and_validate_against_the_target_branch() -> None:
    doc = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert set(doc[True]) == {"pull_request", "push"}  # YAML 1.1 reads the key `on` as True
    steps = doc["jobs"]["check"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make check" in runs
    assert 'safeplan validate --base "$base"' in runs
    assert 'base="origin/$BASE_REF"' in runs
    env = next(step["env"] for step in steps if "BASE_REF" in step.get("env", {}))
    assert env["BASE_REF"] == "${{ github.base_ref }}"  # not spliced into the script
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # validate --base needs the history
