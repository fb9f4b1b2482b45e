"""Mileage (kørselsgodtgørelse) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.mileage import calculation, inbox_line
from backend.features.mileage.controller import MileageController
from backend.features.mileage.demo import seed_mileage
from backend.features.mileage.models import DrivingAuthorisation, MileageLimits, MileageRate
from backend.features.mileage.record_type import CAPABILITIES, NO_CAR_DAY, PLACE, TRIP
from backend.features.notify.emit import Text, announce
from backend.features.workflow import Workflow

DECIDED = {
    "approve": (
        Text("Din kørsel er godkendt", "Your trip was approved"),
        Text("Den kommer med lønnen.", "It will be paid with your salary."),
    ),
    "reject": (
        Text("Din kørsel er afvist", "Your trip was rejected"),
        Text("Ret den og send igen.", "Correct it and send it again."),
    ),
}

WORKFLOW = Workflow(
    name="mileage",
    record_types=(TRIP, PLACE, NO_CAR_DAY),
    hooks={
        "trip": (calculation.trips_changed, announce(TRIP, "koersel", DECIDED)),
        "place": (calculation.places_changed,),
        "no_car_day": (calculation.no_car_days_changed,),
    },
    wage_types=tuple(calculation.WAGE_TYPES.values()),
    payables={"trip": calculation.PAYABLE},
    controllers=(MileageController,),
    models=(MileageRate, MileageLimits, DrivingAuthorisation),
    capabilities=CAPABILITIES,
    inbox={"trip": inbox_line.trip_line},
    seed=seed_mileage,
)
