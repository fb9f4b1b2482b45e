"""Notifications declared like a workflow, so the platform runs their jobs, routes and tables alike;
it is a shared feature (no workflow.py): workflows reach it through `emit`, it never imports them."""

from __future__ import annotations

from backend.features.notify import jobs, morning
from backend.features.notify.controller import NotifyController
from backend.features.notify.emit import SEND, WAITING
from backend.features.notify.models import NotifyPreference, PendingMessage, PushSubscription, ReminderDays
from backend.features.workflow import Job, Workflow

NOTIFY = Workflow(
    name="notify",
    jobs=(
        Job(SEND, jobs.send_job),
        Job(jobs.RETRY, jobs.retry_job),
        Job(WAITING, jobs.waiting_job),
        Job(morning.DAILY, morning.daily_job, daily=True),
        Job(morning.MORNING, morning.morning_job),
    ),
    controllers=(NotifyController,),
    models=(PushSubscription, NotifyPreference, PendingMessage, ReminderDays),
)
