"""The receipt as a sync record type: its fields, its states and who moves it between them."""

from __future__ import annotations

from typing import Any

import msgspec

from backend.auth.roles import Capability
from sync.registry import REGISTRY, RecordType, Transition

OCR_FIELDS = ("merchant", "date", "total", "vat", "cvr")


class ReceiptFields(msgspec.Struct, forbid_unknown_fields=True):
    photos: list[str] = msgspec.field(default_factory=list)
    """SHA-256 of each photo (a long receipt can take several)."""
    merchant: str | None = None
    date: str | None = None
    """YYYY-MM-DD."""
    total: str | None = None
    """Decimal string, "1234.50"."""
    vat: str | None = None
    cvr: str | None = None
    currency: str = "DKK"
    account: str | None = None
    """A code from the municipality's chart of accounts."""
    purpose: str = ""
    project: str | None = None
    machine_read: list[str] = msgspec.field(default_factory=list)
    """Fields the OCR filled and the employee has not yet confirmed or corrected."""
    ocr: dict[str, Any] = msgspec.field(default_factory=dict)
    """The OCR's state and findings: status, confidence, suggestions, reasons (written by the server)."""
    duplicate_of: list[str] = msgspec.field(default_factory=list)
    """Other receipts of the same person with the same photo or the same CVR, date and total."""
    payroll: dict[str, Any] = msgspec.field(default_factory=dict)
    """{"month": "YYYY-MM"}: the salary that pays it back (written by the server on submission)."""
    review: dict[str, Any] = msgspec.field(default_factory=dict)
    """Why it was drawn for the leader's review: {draw_id, rule, reason, reason_en} (written by the server)."""


def _ready_to_submit(fields: dict[str, Any]) -> tuple[str, str] | None:
    missing = [name for name in ("date", "total", "account") if not fields.get(name)]
    if not fields.get("purpose", "").strip():
        missing.append("purpose")
    if not missing:
        return None
    names_da = {"date": "dato", "total": "beløb", "account": "konto", "purpose": "formål"}
    return (
        "Udfyld før indsendelse: " + ", ".join(names_da[m] for m in missing) + ".",
        "Fill in before submitting: " + ", ".join(missing) + ".",
    )


RECEIPT = REGISTRY.register(
    RecordType(
        name="receipt",
        fields=ReceiptFields,
        # Holbæk's model: no approval before payment; a sample is reviewed afterwards (review.py).
        transitions=(
            Transition("submit", frozenset({"draft"}), "submitted", guard=_ready_to_submit),
            Transition("withdraw", frozenset({"submitted"}), "draft"),
            # Made by the payroll export (backend.features.payroll), not by a person's choice.
            Transition(
                "send_to_payroll",
                frozenset({"submitted"}),
                "paid",
                by=Capability.EXPORT_PAYROLL,
                four_eyes=False,
                waits=False,
            ),
            Transition("sign_off", frozenset({"in_review"}), "approved", by=Capability.REVIEW_RECEIPTS),
            Transition(
                "reject",
                frozenset({"in_review"}),
                "rejected",
                by=Capability.REVIEW_RECEIPTS,
                note_required=True,
            ),
        ),
        view=Capability.REVIEW_RECEIPTS,
        blob_fields=frozenset({"photos"}),
        state_names={
            "draft": ("en kladde", "a draft"),
            "submitted": ("indsendt", "submitted"),
            "in_review": ("til gennemsyn", "in review"),
            "approved": ("godkendt", "approved"),
            "rejected": ("afvist", "rejected"),
            "paid": ("udbetalt", "paid"),
        },
    )
)
