"""The audit log: every change to an audited model is recorded in the same transaction, automatically.

A flush hook writes one `audit_event` per inserted, updated or deleted row of a model that sets
`__audited__ = True`, naming the acting user from `actor` (set per request by the auth layer,
or by a job). Handlers therefore cannot forget to audit a state change. `record()` adds events that
are not row changes (log-in, log-out, an import's summary).
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from backend.db.base import utcnow
from backend.db.models import AuditEvent, Municipality

actor: ContextVar[int | None] = ContextVar("felt_audit_actor", default=None)

_SKIP = {"created_at", "updated_at", "last_login_at"}
"""Not changes anyone made: a log-in is one line of its own ("login"), not also an update of the user."""
_SECRET = {"oidc_client_secret"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(obj: Any, kind: str) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in _SKIP:
            continue
        history = state.attrs[key].history
        if kind == "update" and not history.has_changes():
            continue
        new = history.added[0] if history.added else getattr(obj, key, None)
        old = history.deleted[0] if history.deleted else None
        if key in _SECRET:
            new, old = ("***" if new else None), ("***" if old else None)
        out[key] = _plain(new) if kind == "insert" else [_plain(old), _plain(new)]
    return out


def _municipality_of(obj: Any) -> int | None:
    return obj.id if isinstance(obj, Municipality) else getattr(obj, "municipality_id", None)


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _flush: UOWTransaction) -> None:
    rows = []
    for kind, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not getattr(obj, "__audited__", False):
                continue
            changes = _changes(obj, kind) if kind != "delete" else {}
            if kind == "update" and not changes:
                continue
            rows.append(
                {
                    "at": utcnow(),
                    "municipality_id": _municipality_of(obj),
                    "actor_user_id": actor.get(),
                    "action": kind,
                    "entity": obj.__tablename__,
                    "entity_id": str(inspect(obj).identity[0]) if inspect(obj).identity else None,
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def record(
    session: Session | Any,
    action: str,
    *,
    municipality_id: int | None,
    entity: str,
    entity_id: object = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add an event that is not a row change (log-in, an import's summary) to the session."""
    session.add(
        AuditEvent(
            municipality_id=municipality_id,
            actor_user_id=actor.get(),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            changes=changes or {},
        )
    )
