"""The receipt as a sync record type: its fields, its states and who moves it between them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backend.auth.roles import Capability, Role
from sync import fields
from sync.registry import RecordType, Transition

OCR_FIELDS = ("merchant", "date", "total", "vat", "cvr")
EXPORT_PAYROLL = Capability.EXPORT_PAYROLL
REVIEW_RECEIPTS = "review_receipts"
"""The leader's financial review afterwards (økonomisk ledelsestilsyn), and finance's."""
BOOK_RECEIPTS = "book_receipts"
"""Finance books the receipts that payroll paid back, from the file of each payroll export."""
CAPABILITIES = {
    REVIEW_RECEIPTS: frozenset({Role.LEADER, Role.FINANCE}),
    BOOK_RECEIPTS: frozenset({Role.FINANCE}),
}


MAX_TOTAL = "100000.00"
"""The largest receipt total accepted, kr (a typo guard; the review draw's amount limit is a setting)."""

RECEIPT_FIELDS = {
    "photos": fields.blobs("Billeder", "Photos"),
    "merchant": fields.text("Forretning", "Merchant", max_length=200, default=None),
    "date": fields.day("Dato", "Date", past_days=5 * 366, future_days=0),
    "total": fields.money("Beløb", "Amount", min="0.01", max=MAX_TOTAL),
    # VAT is at most 20 % of the total (25 % on the price without VAT, momsloven § 33); checked below.
    "vat": fields.money("Moms", "VAT", min="0.00", max=MAX_TOTAL),
    "cvr": fields.text("CVR-nummer", "CVR number", max_length=8, pattern=r"[0-9]{8}", default=None),
    "currency": fields.choice("Valuta", "Currency", ("DKK",), default="DKK", nullable=False),
    "account": fields.text("Konto", "Account", max_length=40, default=None),  # chart of accounts code
    "purpose": fields.text("Formål", "Purpose", max_length=500),
    "project": fields.text("Projekt", "Project", max_length=100, default=None),
    "machine_read": fields.texts("Maskinlæste felter", "Machine-read fields", choices=OCR_FIELDS),
    # Written by the server only:
    "ocr": fields.server_data("Maskinlæsning", "Machine reading"),
    "duplicate_of": fields.server_data("Mulige dubletter", "Possible duplicates", default=[]),
    "payroll": fields.server_data("Lønudbetaling", "Payroll"),
    "review": fields.server_data("Stikprøve", "Review"),
}
"""A receipt (udlæg: an outlay the employee paid and is paid back through payroll).

`machine_read` lists the fields the OCR filled and the employee has not yet confirmed; `ocr` holds
the OCR's status, confidence, suggestions and reasons; `duplicate_of` other receipts of the same
person with the same photo or CVR + date + total; `payroll` {"month": "YYYY-MM"} the salary that pays
it back; `review` why it was drawn for the leader's review ({draw_id, rule, reason, reason_en})."""


def _vat_within_total(values: dict[str, Any]) -> tuple[str, str] | None:
    total, vat = values.get("total"), values.get("vat")
    if total and vat and Decimal(vat) > Decimal(total) * Decimal("0.2"):
        return (
            "Momsen kan højst være 20 % af beløbet (25 % af prisen uden moms).",
            "The VAT can be at most 20 % of the amount (25 % of the price before VAT).",
        )
    return None


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


RECEIPT = RecordType(
    name="receipt",
    fields=RECEIPT_FIELDS,
    check=_vat_within_total,
    # Holbæk's model: no approval before payment; a sample is reviewed afterwards (review.py).
    transitions=(
        Transition("submit", frozenset({"draft"}), "submitted", guard=_ready_to_submit),
        Transition("withdraw", frozenset({"submitted"}), "draft"),
        # Made by the payroll export (backend.features.payroll), not by a person's choice.
        Transition(
            "send_to_payroll",
            frozenset({"submitted"}),
            "paid",
            by=EXPORT_PAYROLL,
            four_eyes=False,
            waits=False,
        ),
        Transition("sign_off", frozenset({"in_review"}), "approved", by=REVIEW_RECEIPTS),
        Transition(
            "reject",
            frozenset({"in_review"}),
            "rejected",
            by=REVIEW_RECEIPTS,
            note_required=True,
        ),
    ),
    view=REVIEW_RECEIPTS,
    state_names={
        "draft": ("en kladde", "a draft"),
        "submitted": ("indsendt", "submitted"),
        "in_review": ("til gennemsyn", "in review"),
        "approved": ("godkendt", "approved"),
        "rejected": ("afvist", "rejected"),
        "paid": ("udbetalt", "paid"),
    },
)
