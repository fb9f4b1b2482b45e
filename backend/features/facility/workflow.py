"""Facility reports (driftsmeldinger) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.facility import service
from backend.features.facility.controller import (
    FacilityController,
    FacilityPublicController,
    FixPhotoController,
)
from backend.features.facility.demo import seed_facility
from backend.features.facility.models import Building, FollowLink, ReplacedCode, Room
from backend.features.facility.record_type import CAPABILITIES, REPORT, REPORT_TYPE, TRIAGE, WORK
from backend.features.workflow import Workflow

WORKFLOW = Workflow(
    name="facility",
    record_types=(REPORT_TYPE,),
    hooks={REPORT: (service.reports_changed,)},
    controllers=(FacilityController, FacilityPublicController, FixPhotoController),
    models=(Building, Room, ReplacedCode, FollowLink),
    capabilities=CAPABILITIES,
    areas={"facility_triage": TRIAGE, "facility_tasks": WORK},
    doors={REPORT: service.open_door},
    seed=seed_facility,
)
