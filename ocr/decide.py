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
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ocr import checks, fields
from ocr.fields import Amount, Readings, format_amount, merchant_key

FIELDS = ("merchant", "date", "total", "vat", "cvr")
# Tesseract's word confidence below which one digit may well be wrong. A date has no check
# digit and nothing to agree with, so it needs a surer reading (a date with its first digit
# cut off read at 70: "5-01-2026" for "25-01-2026").
SURE_WORD = 60.0
SURE_DATE = 85.0

REASONS = {
    "no_text": ("Der blev ikke fundet tekst på billedet.", "No text was found in the photo."),
    "total_missing": ("Totalbeløbet blev ikke fundet.", "The total was not found."),
    "total_unconfirmed": (
        "Totalbeløbet kunne ikke bekræftes af moms, varelinjer eller betalingslinjen; kontrollér det.",
        "The total could not be confirmed by the tax, the item lines or the payment line; please check it.",
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
        "Datoen ligger i fremtiden eller før år 2000; kontrollér den.",
        "The date is in the future or before 2000; please check it.",
    ),
    "date_old": (
        "Datoen er over et år gammel; kontrollér, at det er den rigtige kvittering.",
        "The date is over a year old; please check that this is the right receipt.",
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
    """The amount paid, filled only when two independent pieces of evidence agree:

    - a total label (TOTAL, I ALT, AT BETALE, AMOUNT DUE, BALANCE, SUM...) with that amount; a
      second, different total line with the same amount counts once more;
    - a payment line (card, MobilePay, cash minus change) for the same amount, on another line;
    - the tax adding up: Danish VAT is 20% of the gross, or a printed rate ("GST 6%") gives the
      tax line, or subtotal + tax = total;
    - the item lines above it summing to it (or to a subtotal that adds up with the tax), or a
      fuel slip's volume × price per unit, or — on a ticket or card slip with a payment line but
      no other amount — its being the only amount.

    An amount followed by a tax line and by itself plus that tax is the amount before tax and is
    never filled, whatever its label says.

    Subtotal, tax, savings, rounding, tendered-cash and change lines never give a candidate
    (``fields._NOT_TOTAL``)."""
    labelled: dict[Decimal, int] = {}
    label_lines: dict[Decimal, set[int]] = {}
    for a, prio in r.totals:
        if a.value > 0:
            labelled[a.value] = max(labelled.get(a.value, 0), prio)
            label_lines.setdefault(a.value, set()).add(a.line)
    # "CASH -50.00": some tills print money received as negative.
    payments = [replace(a, value=abs(a.value)) for a in r.payments if a.value != 0]
    changes = [a.value for a in r.changes if a.value >= 0]
    vats = sorted({a.value for a in r.vats if a.value > 0})
    subtotals = {a.value for a in r.subtotals if a.value > 0}
    sure = {a.value for a, _ in r.totals if a.conf >= SURE_WORD} | {
        a.value for a in payments if a.conf >= SURE_WORD
    }

    # Money handed over when change was given back: not the total, even if no line says so
    # ("Payment 73.00", "Change Due 0.05").
    tendered = {p.value for p in payments for c in changes if c > 0 and p.value - c > 0}

    def by_payment(t: Decimal) -> bool:
        own = label_lines.get(t, set())
        return any(
            p.line not in own
            and (c is not None or p.value not in tendered)
            and checks.payment_matches(t, p.value, c)
            for p in payments
            for c in [None, *changes]
        )

    def after_rounding(t: Decimal) -> bool:
        return any(line > rl for line in label_lines.get(t, ()) for rl in r.rounding_lines)

    adjustments = [Decimal(0), *{a.value for a in r.roundings}, *{-a.value for a in r.roundings}]

    def by_tax(t: Decimal) -> bool:
        if any(checks.vat_matches(t, v) for v in vats):  # Danish 25%: one piece of evidence
            return True
        if any(checks.tax_matches(t, v, rate) for v in vats for rate in r.rates):
            return True
        if t in r.grosses:  # "VAT 17.5% 84.54 14.79 99.33": net + tax = gross on the tax line
            return True
        taxes = [*vats, sum(vats, Decimal(0))] if len(vats) > 1 else vats  # state tax + city tax
        return any(s != t and s + v + adj == t for s in subtotals for v in taxes for adj in adjustments)

    def by_quantity(t: Decimal) -> bool:
        """A fuel slip: volume × price per unit is the amount ("GALLONS 10.889", "PRICE/G
        3.399": 37.01)."""
        return any(abs(v * p - t) < Decimal("0.006") for v in r.volumes for p in r.unit_prices)

    def sole_amount(t: Decimal) -> bool:
        """A ticket or card slip with one amount, labelled, and a payment line without one
        ("Amount: $2.00", "Mode: Cash"; "AMOUNT £32.00", "PIN VERIFIED"): that amount was paid."""
        return r.paid_without_amount and t in labelled and {a.value for a in r.amounts if a.value > 0} == {t}

    def rounded_from(t: Decimal) -> bool:
        """On a receipt with a rounding line, a labelled total just before rounding (a different
        amount within one rounding step) supports the rounded amount paid."""
        if t in tendered:
            return False
        return r.rounded and any(0 < abs(t - u) <= fields.ROUNDING_STEP for u in {*labelled, *subtotals})

    def superseded(t: Decimal, best: Decimal) -> bool:
        """``t`` is the total before rounding and ``best`` the amount paid after it."""
        close = r.rounded and 0 < abs(t - best) <= fields.ROUNDING_STEP
        return close and (by_payment(best) or (after_rounding(best) and not after_rounding(t)))

    def by_items(t: Decimal) -> bool:
        """The item lines from the top add up to it (or to a subtotal that adds up with the
        tax): the first n items, so that a repeated total below them does not count."""
        first = min(label_lines.get(t, {10**6}))
        items = [a.value for a in r.items if a.line < first]
        running, sums = Decimal(0), []
        for value in items:
            running += value
            sums.append(running)
        if (len(items) >= 2 and t in sums[1:]) or (len(items) == 1 and sums == [t] and t in labelled):
            return True
        return any(s in sums and any(s + v == t for v in vats) for s in subtotals)

    def by_block(t: Decimal) -> bool:
        """The lines right above a total or payment line add up to it: subtotal + service +
        tax (+ tip)."""
        printed = {a.line for a in r.last_amounts if a.value == t}  # cash minus change, printed
        for line in label_lines.get(t, set()) | {p.line for p in payments if p.value == t} | printed:
            above = [a.value for a in r.last_amounts if line - 6 <= a.line < line and a.value != 0][-5:]
            for k in range(2, len(above) + 1):
                if sum(above[-k:], Decimal(0)) == t:
                    return True
        return False

    def evidence(t: Decimal) -> tuple[int, int, bool]:
        paid = by_payment(t)
        kinds = (t in labelled) + (len(label_lines.get(t, ())) >= 2) + paid + (by_tax(t) or by_block(t))
        kinds += by_items(t) or by_quantity(t) or sole_amount(t)
        kinds += t not in labelled and rounded_from(t)
        # Between equally supported amounts, the one paid is the total (after rounding).
        return kinds, labelled.get(t, 0), paid

    # Cash minus change is the amount paid even when no line prints it.
    after_change = {
        p.value - c.value
        for p in payments
        for c in r.changes
        if 0 <= c.value < p.value and p.conf >= SURE_WORD and c.conf >= SURE_WORD
    }
    sure |= after_change
    candidates = set(labelled) | {p.value for p in payments} | after_change
    if not candidates:
        d.suggest("total", None, 0.0, "total_missing")
        return None
    best = max(
        candidates, key=lambda t: (evidence(t)[0], evidence(t)[2], after_rounding(t), evidence(t)[1], t)
    )

    def before_tax(t: Decimal) -> bool:
        """A tax line and then the amount plus that tax further down ("Gross Amount 5500.00",
        "Ser TAX 15% 825.00", "Net Amount 6325.00"): whatever its label says, ``t`` is the
        amount before tax."""
        first = min(label_lines.get(t, {10**6}))
        return any(a.line > first and a.value == t + v for v in vats for a in r.last_amounts)

    kinds, prio, _ = evidence(best)
    if kinds >= 2 and best in sure and not before_tax(best):
        # Two independent lines agree. A till's grand total also outranks a subtotal that differs
        # (a discount or deposit line in between) — but a different *top-priority* total does not.
        # An unlabelled pair (payment + VAT) never overrides a grand-total line that says otherwise.
        rivals = [
            t
            for t, p in labelled.items()
            if t != best
            and p >= 3
            and (evidence(t)[0] >= 2 or best not in labelled)
            and not superseded(t, best)
        ]
        if not rivals:
            d.fill("total", format_amount(best), 0.99 if kinds >= 3 else 0.97, kinds)
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
    distinct = len(counts)
    sure = max(x.conf for x in pool if x.value == best) >= SURE_DATE
    if distinct == 1 and sure:
        d.fill("date", best.isoformat(), 0.98 if n >= 2 else 0.95, n)
    elif distinct > 1 and n >= 2 and sure and list(counts.values()).count(n) == 1:
        d.fill("date", best.isoformat(), 0.85, 1)
    elif distinct > 1:
        d.suggest("date", best.isoformat(), 0.5, "date_conflict")
        return
    else:
        d.suggest("date", best.isoformat(), 0.6, "date_unsure")
        return
    if (today or dt.date.today()) - best > dt.timedelta(days=checks.OLD_AFTER_DAYS):
        # Filled, with a warning: an old receipt claimed late, or a misread year digit ("2025"
        # for "2026") that no check can catch. The employee and the leader see the reason.
        d.reasons["date"] = _reason("date_old")
        d.confidence["date"] = min(d.confidence["date"], 0.8)


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
    """The printed company name (with its legal form) is never replaced by a chain's name; when
    the brand (a known chain, or the name-like line at the top: a logo read as text) is printed
    just above it, both are given, "brand (company)": the employee knows the shop by the first,
    the books need the second. Otherwise a known chain printed as a heading, then the first
    clearly read name line. A chain named only inside running text (a coupon's "Valid at
    participating ...") is a suggestion, never filled: it may be a partner's advertisement."""
    legal = [m for m in r.merchants if m.legal]
    known = [m for m in r.merchants if m.known and not m.mentioned]
    mentioned = [m for m in r.merchants if m.mentioned]
    plain = [m for m in r.merchants if not m.known and not m.legal]
    if legal:
        company = legal[0]
        brands = [m for m in (*known, *plain) if company.line - 3 <= m.line < company.line and m.conf >= 75]
        brand = brands[0] if brands else None
        if brand and merchant_key(brand.value) not in merchant_key(company.value):
            d.fill("merchant", f"{brand.value} ({company.value})", 0.9, 2)
        else:
            d.fill("merchant", company.value, 0.9, 1 + bool(brand))
        return
    if known:
        d.fill("merchant", known[0].value, 0.97, 1)
        return
    if mentioned:
        # The only chain is named inside running text (a coupon, a survey invitation), and the
        # lines around it are that text too: a suggestion for the employee, never filled.
        d.suggest("merchant", mentioned[0].value, 0.5, "merchant_unsure")
        return
    if not plain:
        d.suggest("merchant", None, 0.0, "merchant_missing")
        return
    top = plain[0]
    if top.conf >= 75 and len(top.value) >= 3:
        d.fill("merchant", top.value, 0.85, 1)
    else:
        d.suggest("merchant", top.value, 0.5, "merchant_unsure")


def amount_str(a: Amount | None) -> str | None:
    return format_amount(a.value) if a else None
