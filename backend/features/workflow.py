"""The one plug-in point: a workflow (receipts, mileage, shifts, …) declares everything it brings here.

A workflow is a value, not a side effect of importing a module: `backend/workflows.py` lists them,
and `backend.platform.Platform` builds the app's registry, hooks, jobs, wage types, payroll
sources, roles and routes from that list. A test can build an app with only the workflows it needs.

Shared features (sync, inbox, payroll, jobs, auth) never import a workflow; they read the platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from sync.apply import Place, Record
from sync.registry import RecordType

if TYPE_CHECKING:
    from backend.platform import Platform


@dataclass(frozen=True)
class Change:
    """A change a hook asks for on a record (fields replaced, a state step, a deletion).

    `record` is the copy the hook was given (or read): the pipeline applies the change to the
    batch's copy and writes the record once, with the push's own change number.
    """

    record: Record
    fields: dict[str, Any] | None = None
    state: str | None = None
    step: str | None = None
    deleted: bool = False
    said: dict[str, Any] | None = None
    """Extra keys for the history step of a state change: who made it and why (a reopening's
    {"by": user id, "note": reason, "on_behalf_of": leader id})."""


@dataclass(frozen=True)
class Enqueue:
    """A background job a hook asks for, enqueued in the same transaction as the change."""

    kind: str
    payload: dict[str, Any]
    dedupe_key: str | None = None
    municipality_id: int | None = None


@dataclass(frozen=True)
class Refuse:
    """A hook's refusal of a record's change, in words (Danish, English): the batch's mutations of that
    record are refused with this reason and nothing of them is written, e.g. a substitute's entry that
    overlaps another of hers. For rules that need the database; rules on the fields alone belong in the
    record type's `check` or a transition's `guard`."""

    record: Record
    reason: str
    reason_en: str


Effect = Change | Enqueue | Refuse

Hook = Callable[[AsyncSession, list[Record]], Awaitable[list[Effect]]]
"""Runs once per push (or batch of transitions) with every record of its type the batch changed, as
they are in memory now. Reads what it needs; writes nothing itself: it returns the effects."""

BlobHook = Callable[[AsyncSession, str], Awaitable[list[Effect]]]
"""Runs when an upload completes (sha256): e.g. a receipt whose last photo arrived can now be read.
Its effects: jobs to enqueue, and changes to records it read (saved in the upload's transaction)."""

JobHandler = Callable[[AsyncSession, "Platform", dict[str, Any]], Awaitable[None]]
"""(db, the platform, the job's payload): the worker commits after it returns."""


@dataclass(frozen=True)
class Job:
    """A kind of background job and its handler; `daily` also enqueues one every Danish day."""

    kind: str
    handler: JobHandler
    daily: bool = False


@dataclass(frozen=True)
class WageType:
    """A kind of wage line (e.g. "mileage_low"), with a default code until the municipality sets its own."""

    key: str
    name_da: str
    name_en: str
    default_code: str
    """An example, not any payroll system's real code."""


@dataclass(frozen=True)
class PayLine:
    """What one record pays: `quantity` (units: km, hours, 1 for an outlay) × `rate` (kr per unit) =
    `amount` (kr, two decimals), of wage type `wage_key`, in the salary of `period` (YYYY-MM)."""

    wage_key: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    flag: str | None = None
    """A mark payroll must act on, carried with the line into the export (`flag` column), e.g.
    "monthly_pay_right:2026-11-03": the person has had the right to monthly pay since that day."""


@dataclass(frozen=True)
class Payable:
    """How a record type pays through the shared payroll feed.

    The feed asks `lines(record)` whenever a record of the type changes: while the record is in one of
    `states`, its lines are what is owed (in the payroll month its `decided_at` and the municipality's
    cut-off give — or the next month not yet exported); otherwise any line not yet exported is taken
    back. Exported lines are never changed. The feed writes the month into the record's `month_field`
    ({"month": "YYYY-MM"}) so the employee sees which salary pays it.
    """

    states: frozenset[str]
    lines: Callable[[Record], list[PayLine]]
    decided_at: Callable[[Record], datetime]
    """When the decision that makes it payable was made (an approval, a submission)."""
    month_field: str = "payroll"
    corrects: bool = False
    """True for a record that may still change after its lines were exported (a shift: its week is
    reopened and approved again): the next run then gets the difference (payroll.corrections), and a
    removed record's sent lines are reversed. False: exported lines end what the record pays (it moves
    on through its own states, "sent to payroll")."""


DoorFn = Callable[[AsyncSession, str], Awaitable[Place | None]]
"""(db, the door's key, e.g. a room's QR code) → where a record made through it belongs, or None."""


@dataclass(frozen=True)
class Badge:
    """A rule's mark on a waiting item (e.g. the 60-day rule, a suspected duplicate), in words.

    `blocking`: the item may not be settled in a batch ("Godkend alle"); the leader decides it on its
    own and gives a reason."""

    code: str
    da: str
    en: str
    blocking: bool = False


@dataclass(frozen=True)
class InboxSummary:
    """How the leader's inbox shows one waiting record in a line: `title` (Danish, English: a date and
    purpose, a merchant), `amount` (kr) or `hours`, its rule `badges`, the `day` it is about (for
    sorting), and whether it `pays` (its deadline is the payroll cut-off; a review afterwards has none)."""

    title: tuple[str, str]
    day: date | None = None
    amount: Decimal | None = None
    hours: Decimal | None = None
    badges: tuple[Badge, ...] = ()
    pays: bool = True


SummaryFn = Callable[[Record], InboxSummary]
"""A waiting record → its line in the inbox (plain: reads only the record's fields)."""

SeedFn = Callable[[AsyncSession, "Platform", int], Awaitable[None]]
"""(db, the platform, the demo municipality's id): the workflow's demo data, idempotent."""


@dataclass(frozen=True)
class Workflow:
    """Everything one workflow brings; nothing else is edited to add it (see README, "Adding a workflow")."""

    name: str
    record_types: tuple[RecordType, ...] = ()
    hooks: Mapping[str, tuple[Hook, ...]] = field(default_factory=dict)
    """Record type name → its hooks, run by the push pipeline."""
    blob_hooks: tuple[BlobHook, ...] = ()
    jobs: tuple[Job, ...] = ()
    wage_types: tuple[WageType, ...] = ()
    payables: Mapping[str, Payable] = field(default_factory=dict)
    """Record type name → how it pays through payroll."""
    controllers: tuple[Any, ...] = ()
    """Litestar controllers or route handlers."""
    models: tuple[type, ...] = ()
    """Its own SQLAlchemy models (their tables join the one migration history)."""
    capabilities: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    """Capabilities it adds, and the roles that hold them."""
    areas: Mapping[str, str] = field(default_factory=dict)
    """Home-screen areas it adds (the PWA's tiles): area name → the capability that shows it."""
    warm_up: tuple[Callable[[], None], ...] = ()
    """Run once in each job worker process when it starts (in a thread), e.g. loading OCR models, so
    that no job pays for it."""
    doors: Mapping[str, DoorFn] = field(default_factory=dict)
    """Record type name → how a key (a QR code) places a record made by someone not logged in; the type
    must be declared `door=True`. POST /api/doors/{type}/{key}, rate-limited per address."""
    seed: SeedFn | None = None
    inbox: Mapping[str, SummaryFn] = field(default_factory=dict)
    """Record type name → its line in the leader's inbox (type, person, amount or hours, rule badges,
    deadline); a type without one shows its state only."""
