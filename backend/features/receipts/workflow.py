"""Receipts (udlæg) as one workflow: everything it brings to the platform, declared in one place."""

from __future__ import annotations

import ocr
from backend.features.notify.emit import Text, announce
from backend.features.receipts import inbox_line, ocr_job, retention, review
from backend.features.receipts.controller import ReceiptsController
from backend.features.receipts.demo import seed_receipts
from backend.features.receipts.payment import OUTLAY, PAYABLE
from backend.features.receipts.record_type import BOOK_RECEIPTS, CAPABILITIES, RECEIPT
from backend.features.workflow import Job, Workflow

DECIDED = {
    "sign_off": (
        Text("Dit udlæg er godkendt", "Your receipt was approved"),
        Text("Gennemsynet er færdigt.", "The review is done."),
    ),
    "reject": (
        Text("Dit udlæg er afvist", "Your receipt was rejected"),
        Text("Se hvorfor i Felt.", "See why in Felt."),
    ),
}

WORKFLOW = Workflow(
    name="receipts",
    record_types=(RECEIPT,),
    hooks={"receipt": (ocr_job.receipts_changed, announce(RECEIPT, "udlaeg", DECIDED))},
    blob_hooks=(ocr_job.photo_stored,),
    jobs=(
        Job(ocr_job.KIND, ocr_job.read_receipt),
        Job(review.KIND, review.draw_last_month, daily=True),
        Job(retention.KIND, retention.apply_retention, daily=True),
    ),
    wage_types=(OUTLAY,),
    payables={"receipt": PAYABLE},
    controllers=(ReceiptsController,),
    capabilities=CAPABILITIES,
    areas={"bookings": BOOK_RECEIPTS},
    warm_up=(ocr.warm_up,),
    inbox={"receipt": inbox_line.receipt_line},
    seed=seed_receipts,
)
