"""Cross-checks between the fields read from a receipt. Pure Python: no imaging.

The pipeline fills a field only when a check confirms the reading (see ``ocr.pipeline``);
these functions are the checks. Amounts are ``Decimal`` throughout: floats would make the
"VAT is exactly 20% of the total" check flaky by an øre.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)  # erhvervsstyrelsen.dk: modulus 11
VAT_SHARE = Decimal("0.20")  # 25% on the net price is 20% of the gross (momsbekendtgørelsen § 64)
CENT = Decimal("0.01")

# A date read from the receipt is filled in even when it is old (a late claim, an old receipt
# photographed now); an old date is a warning for the employee and the leader, not a blank
# (``decide``). Only a date that cannot be a purchase date is refused: in the future (beyond one
# day: a till clock in another time zone) or before 2000 (a misread year: 1925).
MAX_AGE_DAYS = 20 * 366
MAX_FUTURE_DAYS = 1
OLD_AFTER_DAYS = 366  # older than this: filled, with the warning "over et år gammel"


def cvr_valid(cvr: str) -> bool:
    """An 8-digit CVR (or SE) number passes the modulus-11 check; a leading 0 is never issued."""
    if len(cvr) != 8 or not cvr.isdigit() or cvr[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def expected_vat(total: Decimal) -> Decimal:
    """The Danish VAT contained in a gross amount at 25%: gross − gross/1.25, rounded to øre."""
    return (total - total / Decimal("1.25")).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_matches(total: Decimal, vat: Decimal, tolerance: Decimal = Decimal("0.02")) -> bool:
    """VAT is 20% of the total, give or take rounding (tills round per line, so allow 2 øre)."""
    return total > 0 and abs(expected_vat(total) - vat) <= tolerance


def tax_matches(total: Decimal, tax: Decimal, rate: Decimal, tolerance: Decimal = Decimal("0.02")) -> bool:
    """A tax line at a printed rate (percent) adds up with the total: the tax contained in the
    gross (inclusive pricing: total × r/(100+r)) or added to the net (total − tax = net, tax =
    net × r/100, which is the same equation). Both round to the cent."""
    if total <= 0 or tax <= 0 or rate <= 0:
        return False
    contained = (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return abs(contained - tax) <= tolerance


def date_plausible(day: dt.date, today: dt.date | None = None) -> bool:
    """Not in the future and not older than about twenty years (see MAX_AGE_DAYS)."""
    today = today or dt.date.today()
    return today - dt.timedelta(days=MAX_AGE_DAYS) <= day <= today + dt.timedelta(days=MAX_FUTURE_DAYS)


def payment_matches(total: Decimal, paid: Decimal, change: Decimal | None = None) -> bool:
    """The amount paid by card/MobilePay equals the total; cash may be the total plus change."""
    if paid == total:
        return True
    return change is not None and paid - change == total
