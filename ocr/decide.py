"""Choose each field from the candidate readings, using the checks. Pure Python: no imaging.

The rule: fill a field only when independent evidence agrees — a labelled total that equals the
payment line or whose 20% is the printed VAT; a CVR that passes modulus 11; a plausible date
tesseract was sure of; a known chain or a clearly read top line. Anything less becomes a
suggestion with a reason in Danish and English. Confidences are fixed per kind of evidence and
were set from what ``bench/ocr.py`` measured, so "0.97" means roughly "3 in 100 such are wrong".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from ocr import checks
from ocr.fields import Amount, Readings, format_amount

FIELDS = ("merchant", "date", "total", "vat", "cvr")
# Tesseract's word confidence below which one digit may well be wrong. A date has no check
# digit and nothing to agree with, so it needs a surer reading (a date with its first digit
# cut off read at 70: "5-01-2026" for "25-01-2026").
SURE_WORD = 60.0
SURE_DATE = 85.0
# Receipts are photographed when the money is spent; a date more than a year back is filled in
# only by the user (checks.date_plausible still allows two years for a suggestion).
FILL_MAX_AGE_DAYS = 366

REASONS = {
    "no_text": ("Der blev ikke fundet tekst på billedet.", "No text was found in the photo."),
    "total_missing": ("Totalbeløbet blev ikke fundet.", "The total was not found."),
    "total_unconfirmed": (
        "Totalbeløbet kunne ikke bekræftes af moms eller betalingslinjen; kontrollér det.",
        "The total could not be confirmed by the VAT or the payment line; please check it.",
    ),
    "total_conflict": (
        "Kvitteringen viser flere forskellige totalbeløb; kontrollér det.",
        "The receipt shows different totals; please check it.",
    ),
    "vat_missing": ("Momsbeløbet blev ikke fundet.", "The VAT amount was not found."),
    "vat_mismatch": (
        "Momsen er ikke 20 % af totalbeløbet (25 % moms); kontrollér den.",
        "The VAT is not 20% of the total (25% Danish VAT); please check it.",
    ),
    "vat_unconfirmed": (
        "Momsen kan ikke bekræftes, fordi totalbeløbet ikke er sikkert.",
        "The VAT cannot be confirmed because the total is uncertain.",
    ),
    "date_missing": ("Datoen blev ikke fundet.", "The date was not found."),
    "date_implausible": (
        "Datoen ligger i fremtiden eller er mere end to år gammel; kontrollér den.",
        "The date is in the future or more than two years old; please check it.",
    ),
    "date_old": (
        "Datoen er mere end et år gammel; kontrollér den.",
        "The date is more than a year old; please check it.",
    ),
    "date_unsure": (
        "Datoen var svær at læse; kontrollér den.",
        "The date was hard to read; please check it.",
    ),
    "date_conflict": (
        "Kvitteringen viser flere forskellige datoer; vælg den rigtige.",
        "The receipt shows several dates; please pick the right one.",
    ),
    "cvr_missing": ("CVR-nummeret blev ikke fundet.", "The CVR number was not found."),
    "cvr_invalid": (
        "Det læste CVR-nummer består ikke kontrollen (modulus 11); kontrollér det.",
        "The CVR number read fails its check digit (modulus 11); please check it.",
    ),
    "readings_conflict": (
        "To læsninger af billedet giver forskellige værdier; kontrollér feltet.",
        "Two readings of the photo give different values; please check the field.",
    ),
    "merchant_missing": ("Forretningens navn blev ikke fundet.", "The merchant's name was not found."),
    "merchant_unsure": (
        "Forretningens navn var svært at læse; kontrollér det.",
        "The merchant's name was hard to read; please check it.",
    ),
}


def _reason(code: str) -> dict[str, str]:
    da, en = REASONS[code]
    return {"da": da, "en": en, "code": code}


class Decision:
    """The result being built: filled values, suggestions, reasons and confidences."""

    def __init__(self) -> None:
        self.values: dict[str, str | None] = dict.fromkeys(FIELDS)
        self.confidence: dict[str, float] = dict.fromkeys(FIELDS, 0.0)
        self.suggestions: dict[str, str] = {}
        self.reasons: dict[str, dict[str, str]] = {}
        # How many independent checks agree per field: used to pick between OCR readings.
        self.support: dict[str, int] = dict.fromkeys(FIELDS, 0)

    def fill(self, name: str, value: str | None, conf: float, support: int = 1) -> None:
        self.values[name], self.confidence[name], self.support[name] = value, conf, support

    def suggest(self, name: str, value: str | None, conf: float, reason: str) -> None:
        if value is not None:
            self.suggestions[name] = value
            self.confidence[name] = conf
        self.reasons[name] = _reason(reason)

    def score(self) -> float:
        """How well this reading hangs together: filled fields and their support."""
        return sum(self.support.values()) + sum(v is not None for v in self.values.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.values,
            "confidence": {k: round(v, 2) for k, v in self.confidence.items()},
            "suggestions": self.suggestions,
            "reasons": self.reasons,
        }


def decide(r: Readings, today: dt.date | None = None) -> Decision:
    d = Decision()
    if not (r.amounts or r.dates or r.cvrs or r.merchants):
        for name in FIELDS:
            d.suggest(name, None, 0.0, "no_text")
        return d
    total = _total(r, d)
    _vat(r, d, total)
    _date(r, d, today)
    _cvr(r, d)
    _merchant(r, d)
    return d


def _total(r: Readings, d: Decision) -> Decimal | None:
    labelled: dict[Decimal, int] = {}
    for a, prio in r.totals:
        if a.value > 0:
            labelled[a.value] = max(labelled.get(a.value, 0), prio)
    paid = {a.value for a in r.payments if a.value > 0}
    changes = [a.value for a in r.changes if a.value >= 0]
    vats = [a.value for a in r.vats]
    sure = {a.value for a, _ in r.totals if a.conf >= SURE_WORD} | {
        a.value for a in r.payments if a.conf >= SURE_WORD
    }

    def evidence(t: Decimal) -> tuple[int, int, bool, bool]:
        by_payment = any(checks.payment_matches(t, p, c) for p in paid for c in [None, *changes])
        # A "momsfri" receipt has no VAT line to confirm the total with: it needs the payment line.
        by_vat = any(checks.vat_matches(t, v) for v in vats)
        kinds = (t in labelled) + by_payment + by_vat
        return kinds, labelled.get(t, 0), by_payment, by_vat

    candidates = set(labelled) | paid
    if not candidates:
        d.suggest("total", None, 0.0, "total_missing")
        return None
    best = max(candidates, key=lambda t: (*evidence(t)[:2], t))
    kinds, prio, _, _ = evidence(best)
    if kinds >= 2 and best in sure:
        # Two independent lines agree. A till's grand total also outranks a subtotal that differs
        # (a discount or deposit line in between) — but a different *top-priority* total does not.
        # An unlabelled pair (payment + VAT) never overrides a grand-total line that says otherwise.
        rivals = [
            t
            for t, p in labelled.items()
            if t != best and p >= 3 and (evidence(t)[0] >= 2 or best not in labelled)
        ]
        if not rivals:
            d.fill("total", format_amount(best), 0.99 if kinds == 3 else 0.97, kinds)
            return best
        d.suggest("total", format_amount(best), 0.5, "total_conflict")
        return None
    d.suggest("total", format_amount(best), 0.6 if prio >= 3 else 0.4, "total_unconfirmed")
    return None


def _vat(r: Readings, d: Decision, total: Decimal | None) -> None:
    if total is not None:
        matching = [a for a in r.vats if checks.vat_matches(total, a.value)]
        if matching:
            d.fill("vat", format_amount(matching[-1].value), 0.98, 2)
            return
        if r.vat_free and not any(a.value > 0 for a in r.vats):
            d.fill("vat", "0.00", 0.9, 1)  # "Momsfri" (taxi rides, stamps): no VAT to deduct
            return
    # The VAT line itself: the last amount on the last VAT line is the usual layout.
    guess = r.vats[-1].value if r.vats else None
    if guess is None:
        d.suggest("vat", None, 0.0, "vat_missing")
    elif total is None:
        d.suggest("vat", format_amount(guess), 0.4, "vat_unconfirmed")
    else:
        d.suggest("vat", format_amount(guess), 0.3, "vat_mismatch")


def _date(r: Readings, d: Decision, today: dt.date | None) -> None:
    if not r.dates:
        d.suggest("date", None, 0.0, "date_missing")
        return
    plausible = [x for x in r.dates if checks.date_plausible(x.value, today)]
    if not plausible:
        d.suggest("date", r.dates[0].value.isoformat(), 0.2, "date_implausible")
        return
    # The purchase date is printed next to a clock time or "Dato"; other dates (return-by,
    # best-before) are not. Several prints of the same date confirm each other.
    pool = [x for x in plausible if x.labelled] or plausible
    counts = Counter(x.value for x in pool)
    best, n = counts.most_common(1)[0]
    if (today or dt.date.today()) - best > dt.timedelta(days=FILL_MAX_AGE_DAYS):
        # Plausible but old: most often a misread year digit ("2025" for "2026"), which no
        # check can catch. The user confirms it.
        d.suggest("date", best.isoformat(), 0.5, "date_old")
        return
    distinct = len(counts)
    sure = max(x.conf for x in pool if x.value == best) >= SURE_DATE
    if distinct == 1 and sure:
        d.fill("date", best.isoformat(), 0.98 if n >= 2 else 0.95, n)
    elif distinct > 1 and n >= 2 and sure and list(counts.values()).count(n) == 1:
        d.fill("date", best.isoformat(), 0.85, 1)
    elif distinct > 1:
        d.suggest("date", best.isoformat(), 0.5, "date_conflict")
    else:
        d.suggest("date", best.isoformat(), 0.6, "date_unsure")


def _cvr(r: Readings, d: Decision) -> None:
    if not r.cvrs:
        d.suggest("cvr", None, 0.0, "cvr_missing")
        return
    valid = [c for c in r.cvrs if checks.cvr_valid(c.value)]
    if valid:
        # Prefer the labelled one near the top (the shop's), not a card acquirer's further down.
        best = min(valid, key=lambda c: (not c.labelled, c.line))
        d.fill("cvr", best.value, 0.99, 2)
    else:
        best = min(r.cvrs, key=lambda c: (not c.labelled, c.line))
        d.suggest("cvr", best.value, 0.2, "cvr_invalid")


def _merchant(r: Readings, d: Decision) -> None:
    known = [m for m in r.merchants if m.known]
    if known:
        d.fill("merchant", known[0].value, 0.97, 1)
        return
    if not r.merchants:
        d.suggest("merchant", None, 0.0, "merchant_missing")
        return
    top = r.merchants[0]
    if top.conf >= 75 and len(top.value) >= 3:
        d.fill("merchant", top.value, 0.85, 1)
    else:
        d.suggest("merchant", top.value, 0.5, "merchant_unsure")


def amount_str(a: Amount | None) -> str | None:
    return format_amount(a.value) if a else None
