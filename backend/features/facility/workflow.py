"""Facility reports (driftsmeldinger) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.facility import categories, followers, recurring, service, teams
from backend.features.facility.controller import (
    FacilityController,
    FacilityPublicController,
    FixPhotoController,
)
from backend.features.facility.demo import seed_facility
from backend.features.facility.merge import MergeController
from backend.features.facility.models import Building, Follower, FollowLink, ReplacedCode, ReportPhoto, Room
from backend.features.facility.photos import DoorPhotoController, ReportPhotosController
from backend.features.facility.planning_controller import FacilityPlanningController
from backend.features.facility.planning_models import Category, Schedule, Team, TeamMember
from backend.features.facility.record_type import CAPABILITIES, REPORT, REPORT_TYPE, TRIAGE, WORK
from backend.features.facility.signed_in import SignedInReportController
from backend.features.workflow import Job, Workflow

WORKFLOW = Workflow(
    name="facility",
    record_types=(REPORT_TYPE,),
    hooks={
        REPORT: (categories.check_new_reports, teams.check_reach, service.reports_changed, followers.tell)
    },
    controllers=(
        FacilityController,
        FacilityPublicController,
        FixPhotoController,
        FacilityPlanningController,
        DoorPhotoController,
        ReportPhotosController,
        MergeController,
        SignedInReportController,
    ),
    models=(
        Building,
        Room,
        ReplacedCode,
        FollowLink,
        Team,
        TeamMember,
        Category,
        Schedule,
        ReportPhoto,
        Follower,
    ),
    capabilities=CAPABILITIES,
    areas={"facility_triage": TRIAGE, "facility_tasks": WORK},
    doors={REPORT: service.open_door},
    seed=seed_facility,
    jobs=(Job(recurring.KIND, recurring.daily_job, daily=True),),
)
