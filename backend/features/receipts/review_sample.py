"""Which receipts a leader reviews afterwards (økonomisk ledelsestilsyn), drawn per unit and month.

Holbæk's model: leaders review a sample instead of approving every receipt. Albertslund's rule:
at least 5% of a unit's paid receipts, and all of a month's receipts when the unit had fewer than
20 that month (both are settings). Rules add receipts whatever the draw: an amount over the limit,
a suspected duplicate. Plain Python, no database.

The draw is reproducible and auditable: each receipt gets a score from SHA-256 of the draw's seed
and its id, and the lowest scores are drawn. Anyone with the seed, the month's receipt ids and the
settings gets the same sample; nobody can steer it without changing the seed, which is recorded.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SampleSettings:
    share: Decimal = Decimal("0.05")
    """At least this share of a unit's paid receipts in a month is drawn (rounded up)."""
    all_below: int = 20
    """A unit with fewer receipts than this in a month has all of them reviewed."""
    amount_limit: Decimal | None = None
    """Receipts over this total are always reviewed."""


@dataclass(frozen=True)
class PaidReceipt:
    id: str
    total: Decimal
    suspected_duplicate: bool = False


@dataclass(frozen=True)
class Drawn:
    receipt_id: str
    rule: str
    """"all_below_threshold", "random_share", "over_amount_limit" or "suspected_duplicate"."""
    reason: str
    reason_en: str


def _score(seed: str, receipt_id: str) -> str:
    return hashlib.sha256(f"{seed}:{receipt_id}".encode()).hexdigest()


def draw(
    receipts: Sequence[PaidReceipt], seed: str, settings: SampleSettings = SampleSettings()
) -> list[Drawn]:
    """The receipts of one unit and month to review, each with the rule that drew it."""
    drawn: dict[str, Drawn] = {}
    if len(receipts) < settings.all_below:
        for r in receipts:
            drawn[r.id] = Drawn(
                r.id,
                "all_below_threshold",
                f"Enheden havde under {settings.all_below} udlæg i måneden: alle gennemses.",
                f"The unit had fewer than {settings.all_below} receipts this month: all are reviewed.",
            )
    else:
        count = math.ceil(settings.share * len(receipts))
        percent = settings.share * 100
        for r in sorted(receipts, key=lambda r: _score(seed, r.id))[:count]:
            drawn[r.id] = Drawn(
                r.id,
                "random_share",
                f"Udtrukket tilfældigt ({percent:g} % af månedens udlæg).",
                f"Drawn at random ({percent:g}% of the month's receipts).",
            )
    for r in receipts:
        if r.id in drawn:
            continue
        if settings.amount_limit is not None and r.total > settings.amount_limit:
            drawn[r.id] = Drawn(
                r.id,
                "over_amount_limit",
                f"Beløbet er over {settings.amount_limit} kr.",
                f"The amount is over DKK {settings.amount_limit}.",
            )
        elif r.suspected_duplicate:
            drawn[r.id] = Drawn(
                r.id, "suspected_duplicate", "Mistanke om dobbeltregistrering.", "Suspected duplicate."
            )
    return sorted(drawn.values(), key=lambda d: d.receipt_id)


def month_seed(secret: str, municipality_id: int, unit_id: int, year: int, month: int) -> str:
    """The seed of one unit's draw: recorded with the draw, derived from a secret set when it is made."""
    return hashlib.sha256(f"{secret}:{municipality_id}:{unit_id}:{year:04d}-{month:02d}".encode()).hexdigest()
