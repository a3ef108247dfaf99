"""Start-up: ``status`` on a plan without hazards imports neither the hazard models nor
the pipeline that reads hazard files (issue #24), so it starts at the cost of the plan,
units and tasks alone. Each probe is a fresh process: what matters is what a command
imports, which this test process (that has imported everything) cannot tell."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.repo import cache

#: The hazard models, and the modules that read, cache and check a hazard file.
HAZARD_MODULES = {
    "safeplan.models.hazards",
    "safeplan.models.hazard_views",
    "safeplan.repo.hazardfile",
    "safeplan.repo.cache",
    "safeplan.rules.hazards",
}
DATA = Path(__file__).parent / "data"
#: Read no enterprise file either when there is none.
ENTERPRISE_MODULES = {"safeplan.models.enterprises", "safeplan.repo.enterprise_cache"}


def add_hazards(root: Path) -> None:
    """A few hazard files in the fixture plan (which, as the shipped plan, has none)."""
    for src in sorted((DATA / "status" / "hazards").glob("*.yaml")):
        shutil.copy(src, root / "data" / "hazards" / src.name)


def loaded_by(root: Path, *args: str) -> tuple[set[str], int]:
    """The safeplan modules a fresh process has imported after running one command."""
    probe = (
        "import json, sys\n"
        "from safeplan.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
        "mods = sorted(m for m in sys.modules if m.startswith('safeplan'))\n"
        "print(json.dumps([mods, code]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    mods, code = json.loads(done.stderr.strip().splitlines()[-1])
    return set(mods), code


def test_status_without_hazards_imports_no_hazard_model_or_pipeline(plan_root: Path) -> None:
    # A cache made while there were hazards: with none left it is dropped, not read.
    add_hazards(plan_root)
    made = CliRunner().invoke(app, ["status", "--root", str(plan_root), "--as-of", "2025-01-01"])
    assert made.exit_code in (0, 1), made.output
    assert (plan_root / cache.CACHE_DIR / cache.CACHE_FILE).is_file()
    shutil.rmtree(plan_root / "data" / "hazards")
    (plan_root / "data" / "hazards").mkdir()

    for args in (["status", "--as-of", "2025-01-01"], ["status", "--json"]):
        mods, code = loaded_by(plan_root, *args)
        assert code in (0, 1, None)
        assert "safeplan.cli.status" in mods
        assert not mods & (HAZARD_MODULES | ENTERPRISE_MODULES), args
    assert not (plan_root / cache.CACHE_DIR / cache.CACHE_FILE).exists()


def test_status_with_hazards_imports_them(plan_root: Path) -> None:
    """The probe sees the hazard modules when there are hazards to read (so the test above
    can fail)."""
    add_hazards(plan_root)
    mods, _ = loaded_by(plan_root, "status", "--as-of", "2025-01-01")
    assert {"safeplan.models.hazards", "safeplan.repo.hazardfile"} <= mods


def test_the_models_package_imports_a_name_s_module_only_when_asked() -> None:
    probe = (
        "import sys\n"
        "import safeplan.models, safeplan.models.records, safeplan.edit.typed\n"
        "before = 'safeplan.models.hazards' in sys.modules or 'safeplan.edit.hazards' in sys.modules\n"
        "from safeplan.models import Hazard, Plan, HazardSummary, summarize\n"
        "from safeplan import edit\n"
        "print(before, Hazard.__module__, Plan.__module__, callable(summarize), callable(edit.accept))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [
        "False",
        "safeplan.models.hazards",
        "safeplan.models.records",
        "True",
        "True",
    ]
