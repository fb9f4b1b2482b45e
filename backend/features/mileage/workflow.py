"""Mileage (kørselsgodtgørelse) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.mileage import calculation, inbox_line
from backend.features.mileage.controller import MileageController
from backend.features.mileage.demo import seed_mileage
from backend.features.mileage.models import DrivingAuthorisation, MileageLimits, MileageRate
from backend.features.mileage.record_type import CAPABILITIES, PLACE, TRIP
from backend.features.workflow import Workflow

WORKFLOW = Workflow(
    name="mileage",
    record_types=(TRIP, PLACE),
    hooks={"trip": (calculation.trips_changed,), "place": (calculation.places_changed,)},
    wage_types=tuple(calculation.WAGE_TYPES.values()),
    payables={"trip": calculation.PAYABLE},
    controllers=(MileageController,),
    models=(MileageRate, MileageLimits, DrivingAuthorisation),
    capabilities=CAPABILITIES,
    inbox={"trip": inbox_line.trip_line},
    seed=seed_mileage,
)
