"""Shift planning (vagtplan) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.shifts import approval, events, pay, service
from backend.features.shifts.controller import ShiftsController
from backend.features.shifts.demo import seed_shifts
from backend.features.shifts.models import ShiftType, UnitRules
from backend.features.shifts.planning_controller import PlanningController
from backend.features.shifts.record_type import CAPABILITIES, OPEN_SHIFT, SHIFT, SWAP
from backend.features.shifts.roster_models import BasePlan, ShiftAbsence, ShiftPerson
from backend.features.workflow import Workflow

WORKFLOW = Workflow(
    name="shifts",
    record_types=(SHIFT, OPEN_SHIFT, SWAP, approval.SHIFT_WEEK),
    hooks={
        "shift": (service.shifts_changed, events.shifts_logged),
        "swap": (service.swaps_changed, events.swaps_announced),
        "shift_week": (approval.week_approved,),
    },
    wage_types=pay.WAGE_TYPES,
    payables={"shift": pay.PAYABLE},
    inbox={"shift_week": approval.summary},
    controllers=(ShiftsController, PlanningController),
    models=(ShiftType, UnitRules, ShiftPerson, ShiftAbsence, BasePlan),
    capabilities=CAPABILITIES,
    areas={"shifts_plan": "plan_shifts"},
    seed=seed_shifts,
)
