"""The app's workflows: the one list the app, the job workers, the migrations and the demo are built from.

To add a workflow, write `backend/features/<name>/workflow.py` declaring a `Workflow` and name it here
(README, "Adding a workflow").
"""

from __future__ import annotations

from functools import cache

from backend.features.mileage.workflow import WORKFLOW as MILEAGE
from backend.features.receipts.workflow import WORKFLOW as RECEIPTS
from backend.features.workflow import Workflow
from backend.platform import Platform, build

WORKFLOWS: tuple[Workflow, ...] = (RECEIPTS, MILEAGE)


@cache
def platform() -> Platform:
    """The platform of the app's own workflows, built once per process."""
    return build(WORKFLOWS)
