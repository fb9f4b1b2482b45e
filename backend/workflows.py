"""The app's workflows: the one list the app, the job workers, the migrations and the demo are built from.

To add a workflow, write `backend/features/<name>/workflow.py` declaring a `Workflow` and name it here
(README, "Adding a workflow").
"""

from __future__ import annotations

import importlib
import os
from functools import cache

from backend.features.facility.workflow import WORKFLOW as FACILITY
from backend.features.mileage.workflow import WORKFLOW as MILEAGE
from backend.features.notify.feature import NOTIFY
from backend.features.receipts.workflow import WORKFLOW as RECEIPTS
from backend.features.shifts.workflow import WORKFLOW as SHIFTS
from backend.features.substitutes.workflow import WORKFLOW as SUBSTITUTES
from backend.features.sync.upkeep import UPKEEP
from backend.features.workflow import Workflow
from backend.platform import Platform, build

WORKFLOWS: tuple[Workflow, ...] = (UPKEEP, NOTIFY, RECEIPTS, MILEAGE, SHIFTS, FACILITY, SUBSTITUTES)


def with_extras() -> tuple[Workflow, ...]:
    """The app's workflows and any named in FELT_EXTRA_WORKFLOWS ("module:NAME,…"; the sync benchmark
    serves the tests' note type this way: "tests.sync_types:NOTES")."""
    extras = []
    for spec in filter(None, os.environ.get("FELT_EXTRA_WORKFLOWS", "").split(",")):
        module, _, name = spec.partition(":")
        extras.append(getattr(importlib.import_module(module), name))
    return (*WORKFLOWS, *extras)


@cache
def platform() -> Platform:
    """The platform of the app's workflows, built once per process (job workers, the demo)."""
    return build(with_extras())
