"""Facility reports (driftsmeldinger) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.facility import categories, recurring, service
from backend.features.facility.controller import (
    FacilityController,
    FacilityPublicController,
    FixPhotoController,
)
from backend.features.facility.demo import seed_facility
from backend.features.facility.models import Building, FollowLink, ReplacedCode, Room
from backend.features.facility.planning_controller import FacilityPlanningController
from backend.features.facility.planning_models import Category, Schedule, Team, TeamMember
from backend.features.facility.record_type import CAPABILITIES, REPORT, REPORT_TYPE, TRIAGE, WORK
from backend.features.workflow import Job, Workflow

WORKFLOW = Workflow(
    name="facility",
    record_types=(REPORT_TYPE,),
    hooks={REPORT: (categories.check_new_reports, service.reports_changed)},
    controllers=(
        FacilityController,
        FacilityPublicController,
        FixPhotoController,
        FacilityPlanningController,
    ),
    models=(Building, Room, ReplacedCode, FollowLink, Team, TeamMember, Category, Schedule),
    capabilities=CAPABILITIES,
    areas={"facility_triage": TRIAGE, "facility_tasks": WORK},
    doors={REPORT: service.open_door},
    seed=seed_facility,
    jobs=(Job(recurring.KIND, recurring.daily_job, daily=True),),
)
