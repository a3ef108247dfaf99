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


#: The 判定标准 catalog: read when a hazard cites a basis or the plan has its own documents.
CATALOG_MODULES = {"safeplan.criteria.catalog", "safeplan.models.criteria"}


def test_status_without_a_cited_basis_imports_no_catalog(plan_root: Path) -> None:
    """The shipped plan (no hazard, no plan/criteria.yaml), and hazards that cite no basis:
    nothing to resolve, so the catalog is neither imported nor read."""
    mods, _ = loaded_by(plan_root, "status", "--as-of", "2025-01-01")
    assert "safeplan.cli.status" in mods
    assert not mods & CATALOG_MODULES
    add_hazards(plan_root)  # major ones among them, none citing a basis
    assert "basis:" not in "".join(
        p.read_text(encoding="utf-8") for p in (plan_root / "data" / "hazards").iterdir()
    )
    mods, _ = loaded_by(plan_root, "status", "--as-of", "2025-01-01")
    assert "safeplan.models.hazards" in mods
    assert not mods & CATALOG_MODULES


def test_status_imports_the_catalog_when_a_basis_is_cited(plan_root: Path) -> None:
    add_hazards(plan_root)
    major = plan_root / "data" / "hazards" / "HZ-20230910-K8WE.yaml"
    text = major.read_text(encoding="utf-8").replace(
        "level: major\n", "level: major\nbasis: 应急管理部令第10号第三条第（二）项\n"
    )
    major.write_text(text, encoding="utf-8")
    mods, _ = loaded_by(plan_root, "status", "--as-of", "2025-01-01")
    assert mods >= CATALOG_MODULES


def test_status_imports_the_catalog_for_a_plan_with_its_own_documents(plan_root: Path) -> None:
    (plan_root / "plan" / "criteria.yaml").write_text("documents: []\n", encoding="utf-8")
    mods, _ = loaded_by(plan_root, "status", "--as-of", "2025-01-01")
    assert mods >= CATALOG_MODULES


def _imports_jinja(root: Path, *args: str) -> bool:
    probe = (
        "import sys\n"
        "from safeplan.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('jinja2' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stderr.strip().splitlines()[-1] == "True"


def test_validate_imports_jinja2_only_for_a_plan_with_templates(plan_root: Path) -> None:
    """validate checks a plan's own report templates: without one, jinja2 is not imported;
    with one (the counter-test), it is, and the template is checked."""
    (plan_root / "templates").mkdir()
    (plan_root / "templates" / "README.md").write_text("notes\n", encoding="utf-8")
    assert not _imports_jinja(plan_root, "validate", "--as-of", "2025-01-01")
    (plan_root / "templates" / "weekly.md.j2").write_text("{{ x.__class__ }}\n", encoding="utf-8")
    assert _imports_jinja(plan_root, "validate", "--as-of", "2025-01-01")
    done = CliRunner().invoke(
        app, ["validate", "--root", str(plan_root), "--as-of", "2025-01-01", "--lang", "en"]
    )
    assert "templates/weekly.md.j2:1:" in done.output


def test_the_hazard_validator_is_built_before_the_workers_start() -> None:
    """read_hazards builds the hazard's validator (``hazardfile.prepare``) before it forks
    the workers, which inherit it: a fresh process has none until then."""
    probe = (
        "import sys\n"
        "from safeplan.models.hazards import Hazard\n"
        "from safeplan.repo.hazardfile import prepare\n"
        "before = Hazard.__pydantic_complete__\n"
        "prepare()\n"
        "print(before, Hazard.__pydantic_complete__, type(Hazard.__pydantic_validator__).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "SchemaValidator"]
