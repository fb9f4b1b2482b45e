"""Where code may reach: workflows stand apart, and the shared mechanisms never import a workflow.

A workflow is a package `backend/features/<name>/` with a `workflow.py`; found by looking, so a new one
is held to these rules without being listed anywhere (import-linter holds the fixed contracts).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import grimp

FEATURES = Path(__file__).resolve().parents[2] / "backend" / "features"
SHARED = ("sync", "backend.platform", "backend.jobs", "backend.auth", "backend.db", "backend.seed.people")


def workflow_packages() -> list[str]:
    return sorted(f"backend.features.{p.parent.name}" for p in FEATURES.glob("*/workflow.py"))


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("backend", "sync")


def _imports(importer: str, imported: str) -> bool:
    return bool(graph().chain_exists(importer=importer, imported=imported, as_packages=True))


def test_each_workflow_is_found_by_its_workflow_module() -> None:
    assert {"backend.features.receipts", "backend.features.mileage"} <= set(workflow_packages())


def test_no_workflow_imports_another() -> None:
    packages = workflow_packages()
    crossing = [(a, b) for a in packages for b in packages if a != b and _imports(a, b)]
    assert crossing == []


def test_no_shared_mechanism_imports_a_workflow() -> None:
    workflows = set(workflow_packages())
    shared = [
        *SHARED,
        *(
            f"backend.features.{p.name}"
            for p in FEATURES.iterdir()
            if p.is_dir() and not p.name.startswith("_") and f"backend.features.{p.name}" not in workflows
        ),
        "backend.features.workflow",
    ]
    reaching = [(s, w) for s in shared for w in sorted(workflows) if _imports(s, w)]
    assert reaching == []
