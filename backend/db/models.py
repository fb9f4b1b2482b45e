"""Core tables: municipalities, their org trees, people, roles, sessions and the audit log.

Every row below a municipality carries `municipality_id`, so each query can be fenced to the
caller's municipality with one equality test. Models with `__audited__ = True` have every insert,
update and delete written to `audit_event` by `backend.db.audit`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from advanced_alchemy.types import JsonB
from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, Timestamped, utcnow


class Municipality(Timestamped, Base):
    __tablename__ = "municipality"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    payroll_cutoff_day: Mapped[int] = mapped_column(default=18)
    """Approved before this day of the month means paid with this month's salary."""
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_client_id: Mapped[str | None] = mapped_column(String(200))
    oidc_client_secret: Mapped[str | None] = mapped_column(String(500))
    oidc_claims: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    """Overrides of claim names and group→role mapping (see backend.auth.claims)."""
    receipt_review_share: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0.05"))
    """The leaders' review afterwards: at least this share of a unit's paid receipts a month."""
    receipt_review_all_below: Mapped[int] = mapped_column(default=20)
    """A unit with fewer paid receipts than this in a month has all of them reviewed."""
    receipt_review_amount_limit: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    """Receipts over this total are always reviewed."""
    receipt_retention_years: Mapped[int | None]
    """Delete receipts this many years after their financial year; None (the default) keeps them."""
    retention_authorisation: Mapped[str | None] = mapped_column(String(300))
    """The National Archives' (Rigsarkivet) decision that allows deleting, required to switch retention on."""

    @property
    def has_oidc(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)


class OrgUnit(Timestamped, Base):
    __tablename__ = "org_unit"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    """The unit's code in the HR/payroll system; imports match on it."""
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    path: Mapped[str] = mapped_column(String(1000), default="", index=True)
    """Materialised path of ids, "1/4/9/": a unit's subtree is every path starting with its own."""
    active: Mapped[bool] = mapped_column(default=True)


class User(Timestamped, Base):
    __tablename__ = "app_user"
    __audited__: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint("municipality_id", "subject"),
        UniqueConstraint("municipality_id", "employee_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    subject: Mapped[str | None] = mapped_column(String(255))
    """The identity provider's `sub`; demo users have "demo:<employee number>"."""
    employee_number: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    """Leavers are deactivated, never deleted: their records stay."""
    last_login_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit | None] = relationship(lazy="raise")
    grants: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )


class RoleAssignment(Base):
    __tablename__ = "role_assignment"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    """The role applies to this unit and every unit below it."""
    source: Mapped[str] = mapped_column(String(20), default="idp")
    """Where the grant came from: "idp" (log-in claims) or "import" (HR CSV); each source refreshes its own."""

    user: Mapped[User] = relationship(back_populates="grants", lazy="raise")
    unit: Mapped[OrgUnit] = relationship(lazy="raise")


class WebSession(Base):
    __tablename__ = "web_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 of the cookie's token: a leaked table does not leak live sessions."""
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class OidcLogin(Base):
    """A log-in under way at the identity provider: single use, bound to the browser by a cookie."""

    __tablename__ = "oidc_login"

    state: Mapped[str] = mapped_column(String(100), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    return_to: Mapped[str] = mapped_column(String(500), default="/")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only (database triggers refuse UPDATE and DELETE): who did what, and when."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_municipality_id_id", "municipality_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)


class Job(Base):
    """A durable background job (OCR, reminders, retention): survives restarts, retried a bounded number of times."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_ready", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    """Enqueuing the same work twice (a retried request) makes one job."""
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued → running → done, or back to queued after a failure, or failed after the last attempt."""
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    """A running job whose worker died is taken again once this has passed."""
    last_error: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class Account(Timestamped, Base):
    """An account of the municipality's chart of accounts (the authorised municipal chart: function + type)."""

    __tablename__ = "account"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(40))
    """The function (hovedkonto.hovedfunktion.funktion), e.g. 3.22.01 (schools)."""
    type: Mapped[str | None] = mapped_column(String(20))
    """The type (art), e.g. 2.2 food, 2.9 other goods."""
    active: Mapped[bool] = mapped_column(default=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    """The unit whose account it is (a school's own food account); its employees see it first."""


class AccountWord(Timestamped, Base):
    """An everyday word that finds accounts ("kaffe" finds the food accounts), per municipality.

    `means` holds the words of the chart it stands for, separated by commas ("fødevarer, 2.2"): an
    account whose code, name, function or type contains one of them is found by `word`."""

    __tablename__ = "account_word"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("municipality_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    word: Mapped[str] = mapped_column(String(60))
    means: Mapped[str] = mapped_column(String(300))


class AccountFavourite(Base):
    __tablename__ = "account_favourite"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)


class ReceiptReviewDraw(Base):
    """One unit's draw of receipts for the leader's review afterwards (økonomisk ledelsestilsyn).

    Everything needed to repeat the draw is kept: the seed, the settings and the receipts it drew
    from, so an auditor can check that nobody steered it (see receipts/review_sample.py)."""

    __tablename__ = "receipt_review_draw"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    month: Mapped[str] = mapped_column(String(7))
    """YYYY-MM: the month the receipts were paid in."""
    seed: Mapped[str] = mapped_column(String(64))
    rules: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    """The settings in force: share, all_below, amount_limit."""
    population: Mapped[list[str]] = mapped_column(JsonB, default=list)
    """Every paid receipt of the unit and month (ids), the pool the sample was drawn from."""
    drawn: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    """[{receipt_id, rule, reason, reason_en}]."""
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
