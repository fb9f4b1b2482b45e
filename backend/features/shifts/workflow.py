"""Shift planning (vagtplan) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.shifts import service
from backend.features.shifts.controller import ShiftsController
from backend.features.shifts.demo import seed_shifts
from backend.features.shifts.models import ShiftType, UnitRules
from backend.features.shifts.planning_controller import PlanningController
from backend.features.shifts.record_type import CAPABILITIES, OPEN_SHIFT, SHIFT, SWAP
from backend.features.shifts.roster_models import BasePlan, ShiftAbsence, ShiftPerson
from backend.features.workflow import Workflow

WORKFLOW = Workflow(
    name="shifts",
    record_types=(SHIFT, OPEN_SHIFT, SWAP),
    hooks={"shift": (service.shifts_changed,), "swap": (service.swaps_changed,)},
    controllers=(ShiftsController, PlanningController),
    models=(ShiftType, UnitRules, ShiftPerson, ShiftAbsence, BasePlan),
    capabilities=CAPABILITIES,
    areas={"shifts_plan": "plan_shifts"},
    seed=seed_shifts,
)
