"""Parse OCR lines of a receipt into candidate readings. Pure text: no imaging, no decisions.

Each parser returns every plausible reading with where it came from (the label, the line, how
sure tesseract was of those characters); ``ocr.decide`` uses the checks to choose between them.
Danish formats first ("1.234,50 kr", "03.11.25", "3/11-2025", "I ALT", "HERAF MOMS"), with the
English variants that tills and card terminals also print ("1,234.50", "TOTAL", "VAT").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Word:
    text: str
    conf: float = 100.0  # tesseract's 0..100; 100 when the text did not come from OCR


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @classmethod
    def of(cls, text: str, conf: float = 100.0) -> Line:
        return cls(tuple(Word(t, conf) for t in text.split()))

    def conf_at(self, start: int, end: int) -> float:
        """Lowest word confidence over the characters [start, end) of ``text``: one doubtful
        digit makes the whole amount doubtful."""
        pos, worst = 0, 100.0
        for w in self.words:
            if pos < end and start < pos + len(w.text):
                worst = min(worst, w.conf)
            pos += len(w.text) + 1
        return worst


def lines_from_text(text: str) -> list[Line]:
    return [Line.of(t) for t in text.splitlines() if t.strip()]


# ---- normalising ---------------------------------------------------------------------------

_FOLD = str.maketrans(
    {"Ø": "O", "Æ": "AE", "Å": "A", "ø": "O", "æ": "AE", "å": "A", "0": "0"}
    # A multilingual recognizer (PP-OCRv6 knows Greek and Cyrillic) sometimes gives a Latin
    # capital as its look-alike: "ΤΟΤΑL", "Γotal" (Γ for a T: seen on a real scan).
    | dict(zip("ΑΒΓΕΖΗΙΚΜΝΟΡΤΥΧАВЕКМНОРСТХ", "ABTEZHIKMNOPTYXABEKMHOPCTX", strict=True))
)


def fold(text: str) -> str:
    """Upper case without Danish letters or accents, for matching labels that OCR half-reads
    ("BELOB", "UDGOR")."""
    text = text.upper().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


# Letters tesseract puts in place of digits, fixed only between digits/separators so that words
# are left alone: "1O4,5O" → "104,50", "l2.95" → "12.95".
_DIGITISH = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "!": "1", "S": "5", "B": "8"}
_DIGIT_FIX = re.compile(
    r"(?<=[\d.,])[OoDlI|!SB](?=[\d.,]*\d)|(?<![A-Za-z])[OoDlI|!SB](?=\d[\d.,]*\b)|(?<=[.,]\d)[OoDlI|!SB](?!\w)"
)


# "$3.81" read as "S3.81": a capital S right before an amount with decimals is the dollar sign,
# not a 5 ("S3.81" must not become 53.81).
_DOLLAR_AS_S = re.compile(r"(?<![A-Za-z0-9])S(?=\d{1,3}(?:[.,]\d{3})*[.,]\d\d(?!\d))")


def digits_fixed(text: str) -> str:
    text = _DOLLAR_AS_S.sub("$", text)
    # Join a decimal separator that OCR split off: "234 ,50" / "234, 50" → "234,50".
    text = re.sub(r"(\d) ?([.,]) ?(\d\d)(?!\d)", r"\1\2\3", text)
    return _DIGIT_FIX.sub(lambda m: _DIGITISH[m.group(0)], text)


# ---- amounts -------------------------------------------------------------------------------

# The last separator followed by exactly two digits is the decimal point, whether the till is
# Danish ("1.234,50") or English ("1,234.50"). Not part of a longer number or a date "03.11.25".
# A space is a thousands separator too ("I ALT 3 038,15"): a group of three digits after a space
# joins the number before it, so the amount is never read as its last group ("38,15"). A number
# before the space stays separate when the next group is not exactly three digits ("1 7.42").
_AMOUNT = re.compile(
    r"(?<![\d,])(?<!\d\.)(-?)(\d{1,3}(?:[.,']\d{3})+|\d{1,3}(?: \d{3})+|\d+)[.,](\d{2})(?![.,]?\d)"
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    line: int
    conf: float
    spaced: bool = False  # thousands separated by a space: "3 038,15"


def parse_amount(text: str) -> Decimal | None:
    """The single amount in a string, e.g. "1.234,50 kr" → Decimal("1234.50")."""
    found = amounts_in(Line.of(text), 0)
    return found[-1].value if found else None


def amounts_in(line: Line, index: int) -> list[Amount]:
    text = line.text
    fixed = digits_fixed(text)
    # Blank out percentages ("MOMS 25,00%") so the rate is never read as an amount; keep the
    # string's length so character positions still map to words (for confidence).
    fixed = _PERCENT.sub(lambda m: " " * len(m.group(0)), fixed)
    out = []
    for m in _AMOUNT.finditer(fixed):
        whole = re.sub(r"[.,' ]", "", m.group(2))
        try:
            value = Decimal(f"{m.group(1)}{whole}.{m.group(3)}")
        except InvalidOperation:  # pragma: no cover - the regex only lets digits through
            continue
        # Map back to the unfixed text by position when the join above did not shift it.
        conf = line.conf_at(m.start(), m.end()) if len(fixed) == len(text) else _min_conf(line)
        out.append(Amount(value, index, conf, " " in m.group(2)))
    return out


def _min_conf(line: Line) -> float:
    return min((w.conf for w in line.words), default=100.0)


def format_amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


# ---- labels --------------------------------------------------------------------------------

# (pattern on folded text, priority). "TOTAL" but not "SUBTOTAL"/"TOTAL MOMS"; see _NOT_TOTAL.
_TOTAL_LABELS = (
    (re.compile(r"\bAT\s?BETALE\b|\bATT\s?BETALA\b|\bA\s?BETALE\b"), 3),
    (re.compile(r"\bI\s?A[L1I]T\b"), 3),
    # TOTAL as OCR reads it ("T0TAL", "OTAL", "TATAL"), and in the languages of Europe's tills
    (
        re.compile(
            r"\b(?:[TFLI1]?[O0]|TA)TA[L1I][ET]?\b|\bTOTAAL\b|\bGESAMT\b|\bSUMME\b|\bMONTANT\b|\bKOKKU\b|"
            r"\bYHTEENSA\b|\bIMPORTE\b"
        ),
        3,
    ),
    (re.compile(r"\b(?:AMOUNT|AMT|BALANCE|BAL|TOTAL)[\s.]+(?:DUE|PAYABLE)\b|\bGROSS\s?(?:AMT|AMOUNT)\b"), 3),
    (re.compile(r"\bSUMM?A?\b|\bSALDO\b|\bAMOUNT\b|\bBALANCE\b|\bBAL\b"), 2),
)
# Lines that carry "total" but are not the amount paid: subtotal before tax, the tax itself,
# savings, rounding, counts of items, tendered cash and change. A total must never come from these.
_NOT_TOTAL = re.compile(
    r"MOMS|\bVAT\b|\bTAX\b|\bGST\b|\bSST\b|EKSKL|EXCL|NETTO\s?BEL|ANTAL|\bQTY\b|\bQUANTITY\b|\bITEMS?\b(?!\s*TOTAL)|"
    r"\bPCS\b|RABAT|BESPAR|SAVING|SAVED|DISCOUNT|\bDISC\b|ROUND|AFRUND|\bTENDER(?:ED)?\b|CHANGE|BYTTEPENGE|"
    r"\bCASH\b|KONTANT|\bTIP\b|DRIKKEPENGE|POINT|BONUS|\bPREVIOUS\b|\bWEIGHT\b|\bKG\b"
)
# "Total (inclusive of GST)", "I ALT INKL. MOMS": the tax is named only to say it is included.
_INCLUDED_TAX = re.compile(r"\bIN[CK][LI1]\w*\.?\s*(?:OF\s*)?(?:GST|VAT|TAX|MOMS|SST)\b")
_PAYMENT = re.compile(
    r"DANKORT|\bVISA\b|MASTER\s?CARD|MAESTRO|MOBILE\s?PAY|APPLE\s?PAY|GOOGLE\s?PAY|KONTANT|\bCASH\b|"
    r"\bKORT\b|BETALT|\bKOB\b|KOBSBELOB|\bDEBIT\b|\bCREDIT\b|\bAMEX\b|\bCARD\b|\bBELOB\b|"
    r"\bTENDER(?:ED)?\b|\bREDEMPTION\b|\bPAID\b|\bPAYMENT\b|EFTPOS|DISCOVER|\bNETS\b|\bCHARGE\b|\bMC\b|\bPURCHASE\b|CONTANTI|"
    r"\bBAR\b|ESPECES|EFECTIVO|TARJETA|\bCARTE\b|\bKARTE\b|\bKAART\b|\bPIN\b|\bAUTH\b|\bAPPROVED\b"
)
_CHANGE = re.compile(
    r"BYTTEPENGE|\bRETUR\b|TILBAGE|\bCHANGE\b|\bCHG\b|\bRENDU\b|\bCAMBIO\b|\bVUELTO\b|WECHSELGELD"
)
_VAT = re.compile(
    r"MOMS|\bV\.?A\.?T\b|\bGST\b|\bTAX\b|\bSST\b|\bTVA\b|\bIVA\b|\bMWST\b|\bBTW\b|\bMVA\b|\bALV\b|KAIBEMAKS"
)
_NOT_VAT = re.compile(
    r"EKSKL|EXCL|NETTO|MOMSFRI|\bPRIS\b|\bAT BETALE\b|\bI ALT\b|\bID\b|\bREG|\bNO\b|\bINVOICE\b"
)
_VAT_FREE = re.compile(r"MOMSFRI|FRITAGET FOR MOMS|UDEN MOMS")
# A tax rate printed on the receipt ("GST 6%", "MOMS 25%", "TAX 8.875%"): the tax-adds-up check uses it.
_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")
# Cash rounding (Danish 50 øre, Malaysian 5 sen): the total before it and the one after differ.
_ROUNDING = re.compile(r"ROUND|AFRUND|\bADJ")
ROUNDING_STEP = Decimal("0.25")  # the largest difference a rounding line makes (DKK cash: 0.25)
_SUBTOTAL = re.compile(r"SUB[\s.\-]*T[O0]TA[L1I]|\bMELLEMSUM\b")
# The amount before tax, under a total label: "Total Sales (Excluding GST)", "Total ekskl. moms".
_NET = re.compile(r"EXCL|EKSKL|\bNETT?O?\b|\bILMA\b|\bOHNE\b")
# A fuel slip prints the volume and the price per unit; their product is the amount paid.
_VOLUME = re.compile(r"GALLON|\bGALS?\b|\bLITE?RE?S?\b|\bLTRS?\b|\bVOLUME\b|\bMAENGDE\b|\bMANGDE\b")
_UNIT_PRICE = re.compile(r"PRICE|\bPRIS\b|/\s?(?:G|GAL|L|LTR|LITER)\b|\bPPG\b|\bPR\.?\s?L")
_QUANTITY = re.compile(r"(?<![\d.,])\d{1,4}[.,]\d{2,3}(?![\d.,]?\d)")


@dataclass
class Readings:
    """Every candidate found in one OCR text."""

    totals: list[tuple[Amount, int]] = field(default_factory=list)  # (amount, label priority)
    subtotals: list[Amount] = field(default_factory=list)
    rates: set[Decimal] = field(default_factory=set)  # tax rates printed, in percent
    payments: list[Amount] = field(default_factory=list)
    items: list[Amount] = field(default_factory=list)  # the last amount of each unlabelled line
    roundings: list[Amount] = field(default_factory=list)  # small amounts on rounding lines
    last_amounts: list[Amount] = field(default_factory=list)  # the last amount of every line
    rounded: bool = False  # the receipt prints a rounding line
    rounding_lines: list[int] = field(default_factory=list)
    changes: list[Amount] = field(default_factory=list)
    vats: list[Amount] = field(default_factory=list)
    grosses: set[Decimal] = field(default_factory=set)  # net + tax = gross, printed on a tax line
    volumes: list[Decimal] = field(default_factory=list)  # a fuel slip's gallons or litres
    unit_prices: list[Decimal] = field(default_factory=list)  # ... and its price per unit
    paid_without_amount: bool = False  # "PIN VERIFIED", "Mode: Cash": a payment line with no amount
    vat_free: bool = False
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateReading] = field(default_factory=list)
    cvrs: list[CvrReading] = field(default_factory=list)
    merchants: list[MerchantReading] = field(default_factory=list)
    currency: str = "DKK"


def _amounts_on_or_below(lines: list[Line], i: int) -> list[Amount]:
    """A label's amount sits on its line, or (on narrow tills) alone on the next one."""
    found = amounts_in(lines[i], i)
    if not found and i + 1 < len(lines):
        nxt = amounts_in(lines[i + 1], i + 1)
        if nxt and not re.search(r"[A-Za-zÆØÅæøå]{3}", lines[i + 1].text):
            found = nxt
    return found


def _total_label(f: str) -> int:
    """The total label's priority on a folded line (0: none). A line can hold two fields
    ("Total No. Items: 24 Total Amount £99.33", "TAX .26 BAL 2.24"): then the part after the
    last number before the label decides, so a count or a tax in front does not hide the total."""
    parts = [f]
    numbers = [m.end() for m in re.finditer(r"\d", f)]
    labels = [m.start() for rx, _ in _TOTAL_LABELS for m in rx.finditer(f)]
    if labels and numbers and numbers[0] < max(labels):
        parts.append(f[max(n for n in numbers if n <= max(labels)) :])
    for part in reversed(parts):
        if not _NOT_TOTAL.search(_INCLUDED_TAX.sub(" ", part)):
            prio = max((p for rx, p in _TOTAL_LABELS if rx.search(part)), default=0)
            if prio:
                return prio
    return 0


def _payments_above_total_are_items(r: Readings) -> None:
    """A till prints the payment after the total; a "payment" word above the first total line is
    an item's name ("CKN TENDER", "PRIME TENDERLOIN"): its amount is an item, not a payment."""
    first = min((a.line for a, prio in r.totals if prio >= 3), default=None)
    if first is None:
        return
    above = [a for a in r.payments if a.line < first]
    if above:
        r.payments = [a for a in r.payments if a.line >= first]
        r.items = sorted([*r.items, *above], key=lambda a: a.line)


def read_all(lines: list[Line]) -> Readings:
    r = Readings()
    for i, line in enumerate(lines):
        f = fold(line.text)
        here = amounts_in(line, i)
        r.amounts.extend(here)
        if here:
            r.last_amounts.append(here[-1])
        if _VAT_FREE.search(f):
            r.vat_free = True
        for m in _RATE.finditer(line.text):
            rate = Decimal(m.group(1).replace(",", "."))
            if 0 < rate < 30:
                r.rates.add(rate)
        if _SUBTOTAL.search(f) or (_NET.search(f) and any(rx.search(f) for rx, _ in _TOTAL_LABELS)):
            found = _amounts_on_or_below(lines, i)
            if found:
                r.subtotals.append(found[-1])
        if _ROUNDING.search(f):
            r.rounded = True
            r.rounding_lines.append(i)
            r.roundings.extend(a for a in here if abs(a.value) < 1)
        # A subtotal is never the total (it is evidence for one: subtotal + tax = total).
        label = _total_label(f)
        if label and not _SUBTOTAL.search(f) and not _NET.search(f):
            found = _amounts_on_or_below(lines, i)
            if found:
                a = found[-1]
                # "Total -66.49": some tills print the amount paid as negative.
                r.totals.append((replace(a, value=abs(a.value)), label))
        labels = [rx for rx, _ in _TOTAL_LABELS if rx.search(f)]
        if here and not (labels or _NOT_TOTAL.search(f) or _PAYMENT.search(f) or _VAT.search(f)):
            r.items.append(here[-1])
        if _PAYMENT.search(f) and not _CHANGE.search(f) and not _SUBTOTAL.search(f):
            found = _amounts_on_or_below(lines, i)
            if found:
                r.payments.append(found[-1])
            else:
                r.paid_without_amount = True
        if _CHANGE.search(f):
            found = _amounts_on_or_below(lines, i)
            if found:
                r.changes.append(found[-1])
        if _VAT.search(f) and not _NOT_VAT.search(f):
            # Every amount on a VAT line is a candidate ("MOMS 25% 187,60 46,90"): the
            # 20%-of-total check picks the right one.
            r.vats.extend(_amounts_on_or_below(lines, i))
            values = [a.value for a in here]
            r.grosses |= {
                c for a, b, c in zip(values, values[1:], values[2:], strict=False) if a + b == c and c > 0
            }
        if _VOLUME.search(f) or _UNIT_PRICE.search(f):
            numbers = [
                Decimal(m.group(0).replace(",", ".")) for m in _QUANTITY.finditer(digits_fixed(line.text))
            ]
            (r.volumes if _VOLUME.search(f) else r.unit_prices).extend(numbers)
    _payments_above_total_are_items(r)
    r.dates = read_dates(lines)
    r.cvrs = read_cvrs(lines)
    r.merchants = read_merchants(lines)
    r.currency = read_currency(lines)
    return r


# ---- dates ---------------------------------------------------------------------------------

_MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAJ": 5, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8,
    "SEP": 9, "OKT": 10, "OCT": 10, "NOV": 11, "DEC": 12,
}  # fmt: skip
# 03.11.25, 03-11-2025, 3/11-2025, 03/11/2025 (day first: Danish), 2025-11-03 (ISO), 3. nov 2025
# The year may run into the clock time when the till prints no space ("16/02/201812:04:58").
_DMY = re.compile(
    r"(?<![\d.,/-])(\d{1,2}) ?([./-]) ?(\d{1,2}) ?(\2|-) ?(\d{4}(?=\d{1,2}[:.]\d\d)|(?:\d{4}|\d{2})(?![\d,]|\.\d))"
)
_YMD = re.compile(r"(?<!\d)(20\d\d)[-./](\d{1,2})[-./](\d{2}(?=\d{6}\b)|\d{1,2}(?!\d))")
# A two-digit year is never the hour of a clock time after it ("23 Nov 17 12:19").
_MON = "(JAN|FEB|MAR|APR|MAJ|MAY|JUN|JUL|AUG|SEP|OKT|OCT|NOV|DEC)"
_DMONY = re.compile(r"(?<!\d)(\d{1,2})[.\-/]? ?" + _MON + r"[A-Z]*[.,\-/]? ?['’]?(\d{4}|\d{2})(?!\d|[:.]\d)")
# English month first: "Dec 12, 2014", "Oct.10'15", "OCT 10 2015"
_MONDY = re.compile(
    r"\b" + _MON + r"[A-Z]*[.,]? ?(\d{1,2})(?!\d)(?:ST|ND|RD|TH)?[,.]? ?['’]?(\d{4}|\d{2})(?!\d|[:.]\d)"
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b|\bKL\b")
_DATE_LABEL = re.compile(r"\bDATO\b|\bDATE\b|\bDAG\b")
_NOT_DATE = re.compile(r"RETUR|BYTTE|UDLOB|HOLDBAR|GYLDIG|EXPIR|BEDST FOR|SIDSTE")


@dataclass(frozen=True)
class DateReading:
    value: dt.date
    line: int
    conf: float
    labelled: bool  # "Dato:" or a clock time on the same line: the purchase date, not a return-by date


# Month names as OCR reads them: "Ju1" (Jul), "0ct" (Oct), "0ec" (Dec, its D read as 0).
_MONTH_FIX = (
    (re.compile(r"JU1(?=[\d.\s'])"), "JUL"),
    (re.compile(r"(?<![A-Z])0CT"), "OCT"),
    (re.compile(r"(?<=\d)0EC"), "DEC"),
)


def _months_fixed(folded: str) -> str:
    for rx, month in _MONTH_FIX:
        folded = rx.sub(month, folded)
    return folded


def _year(y: str) -> int:
    return int(y) + 2000 if len(y) == 2 else int(y)


def read_dates(lines: list[Line]) -> list[DateReading]:
    """Day first ("03/11/2025", Danish), unless the receipt is in US dollars and the numbers allow
    month first ("11/03/2025"); a number above 12 decides either way."""
    out: list[DateReading] = []
    month_first = any("$" in line.text for line in lines)
    for i, line in enumerate(lines):
        text = digits_fixed(line.text)
        f = fold(text)
        if _NOT_DATE.search(f):
            continue
        labelled = bool(_DATE_LABEL.search(f) or _TIME.search(f))
        same_len = len(text) == len(line.text)
        for m in _YMD.finditer(text):
            _add_date(out, i, line, m, (int(m[1]), int(m[2]), int(m[3])), labelled, same_len)
        for m in _DMY.finditer(text):
            if m[2] != m[4] and (m[2], m[4]) != ("/", "-"):  # "3/11-2025" yes; "#19- 10/03" no
                continue
            day, month, year = int(m[1]), int(m[3]), _year(m[5])
            if (month > 12 or month_first) and day <= 12 and month <= 31:  # US order: 11/23/2025
                day, month = month, day
            _add_date(out, i, line, m, (year, month, day), labelled, same_len)
        f = _months_fixed(f)
        for m in _DMONY.finditer(f):
            if m[2] in _MONTHS:
                _add_date(out, i, line, m, (_year(m[3]), _MONTHS[m[2]], int(m[1])), labelled, same_len)
        for m in _MONDY.finditer(f):
            if m[1] in _MONTHS:
                _add_date(out, i, line, m, (_year(m[3]), _MONTHS[m[1]], int(m[2])), labelled, same_len)
    return out


def _add_date(
    out: list, i: int, line: Line, m: re.Match, ymd: tuple[int, int, int], labelled: bool, same_len: bool
) -> None:
    try:
        value = dt.date(*ymd)
    except ValueError:
        return
    if value.year < 2000:
        return
    conf = line.conf_at(m.start(), m.end()) if same_len else _min_conf(line)
    out.append(DateReading(value, i, conf, labelled))


# ---- CVR -----------------------------------------------------------------------------------

# "CVR-NR.: 13 74 81 36", "CVR nr 13748136", "SE-NR: DK13748136", "Moms nr. DK 13748136"
_CVR = re.compile(
    r"(?:\bC\s?[VY]\s?[RB]|\bSE|MOMS|VAT|ORG)[\s.\-:]*(?:N[RO]\.?|NUMMER|NO\.?)?[\s.:]*(?:DK)?[\s\-:]*"
    r"(\d[\d ]{7,11})"
)
_DK_VAT = re.compile(r"\bDK[\s\-]?(\d{2} ?\d{2} ?\d{2} ?\d{2})(?!\d)")


@dataclass(frozen=True)
class CvrReading:
    value: str
    line: int
    conf: float
    labelled: bool


def read_cvrs(lines: list[Line]) -> list[CvrReading]:
    out: list[CvrReading] = []
    for i, line in enumerate(lines):
        text = digits_fixed(line.text)
        f = fold(text)
        for rx, labelled in ((_CVR, True), (_DK_VAT, False)):
            for m in rx.finditer(f):
                digits = re.sub(r"\D", "", m.group(1))
                if len(digits) == 8 and not any(c.line == i and c.value == digits for c in out):
                    out.append(CvrReading(digits, i, _min_conf(line), labelled))
    return out


# ---- merchant ------------------------------------------------------------------------------

# Chains whose name is printed as a logo or heading; matched anywhere near the top.
KNOWN_MERCHANTS = (
    "Netto", "føtex", "Bilka", "REMA 1000", "Lidl", "Aldi", "Coop 365", "SuperBrugsen", "Kvickly",
    "Dagli'Brugsen", "Brugsen", "MENY", "SPAR", "Irma", "Løvbjerg", "Min Købmand", "Circle K", "Q8",
    "OK Plus", "Shell", "INGO", "Uno-X", "F24", "Silvan", "Bauhaus", "Harald Nyborg", "jem & fix",
    "STARK", "XL-BYG", "Bygma", "Jysk", "Normal", "Matas", "Søstrene Grene", "Flying Tiger",
    "7-Eleven", "Espresso House", "Baresso", "Joe & The Juice", "Lagkagehuset", "Emmerys",
    "McDonald's", "Burger King", "Sunset Boulevard", "DSB", "Dantaxi", "Taxa 4x35", "Taxi Holbæk",
    "Elgiganten", "Power", "Apoteket", "Salling", "Magasin", "IKEA", "Sport 24", "Intersport",
)  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", fold(text))


_KNOWN = sorted(((_key(n), n) for n in KNOWN_MERCHANTS), key=lambda kn: -len(kn[0]))
_NOT_NAME = re.compile(
    r"VELKOMMEN|WELCOME|KVITTERING|RECEIPT|FAKTURA|INVOICE|\bBON\b|KASSE|\bTLF|\bTEL\b|PHONE|CVR|\bSE\b|"
    r"MOMS|WWW|HTTP|@|\.DK\b|\.COM\b|VEJ\b|GADE\b|\bVEJ|TORV\b|ALLE\b|PLADS\b|\bDATO|\bDATE|"
    r"\bKOPI\b|\bCOPY\b|ABNINGSTID|AABNINGSTID|\bMAN\b|\bTIMER\b|\bTHANK|\bGST\b|\bTAX\b|\bFAX\b|"
    r"\bCASHIER\b|\bSERVER\b|\bTABLE\b|\bORDER\b|\bSTORE\s?#|\bJALAN\b|\bJLN\b|\bSTREET\b|\bAVE\b|"
    r"\bBLVD\b|\bROAD\b|\bCOMPANY\s+NO|\bREG\b|\bGUEST|\bCHECK\b|\bTAMAN\b|\bLOT\b|\bFLR\b|\bFLOOR\b|"
    r"\bLEVEL\b|\bBANDAR\b|\bKAMPUNG\b|\bNO\.?\s?\d|\bGOODS\b|\bRETURN|\bDINE\s?IN\b|\bEAT\s?IN\b|"
    r"\bTAKE\s?OUT\b|TAKEAWAY|\bSURVEY\b|\bMANAGER\b|\bEURO?\b|\bUSD\b|\bGBP\b|\bDKK\b"
)
# A legal form printed after a name: the registered company, which is the merchant even when a
# chain's logo is printed above it (a franchise's "Shell" over its own ApS).
_LEGAL = re.compile(
    r"\b(?:SDN\.?\s?BHD|BHD|BERHAD|S/B|ENTERPRISES?|TRADING|LTD|LIMITED|INC|LLC|CORP|GMBH|A/S|APS|I/S|K/S|P/S|"
    r"PLC|PTY)\b"
)
# Chain names that are also common words: only a line that is just the name counts.
_COMMON_WORD_CHAINS = {"Normal", "Power", "Salling", "Magasin", "Irma", "Brugsen"}
MERCHANT_SEARCH_LINES = 6
# Handwriting (an annotator's name or number on a scan) and smudges read with a low score.
SURE_NAME = 70.0
# Words besides a chain's name from which its line is running text (a sentence), not a heading:
# "Valid at participating US McDonald's." has four; "Circle K Holbæk", "McDonald's Restaurant
# #1234" have one or two.
SENTENCE_WORDS = 4


@dataclass(frozen=True)
class MerchantReading:
    value: str
    line: int
    conf: float
    known: bool
    legal: bool = False
    # A chain named inside running text ("Valid at participating US McDonald's.", a coupon or a
    # survey invitation): maybe the shop, maybe a partner's advertisement. Never filled alone.
    mentioned: bool = False


def _near(a: str, b: str) -> bool:
    """Equal but for one character (inserted, dropped or misread): "DANTAX1" ~ "DANTAXI"."""
    if abs(len(a) - len(b)) > 1 or len(b) < 6:  # short names must match exactly ("START" ≠ "STARK")
        return a == b
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 1


def _known_in(text: str) -> str | None:
    words = re.findall(r"[0-9A-Z]+", fold(text))
    for k, name in _KNOWN:
        n = len(re.findall(r"[0-9A-Z]+", fold(name)))
        # Whole words only ("Q8" not inside "LQ8X", "Normal" not in "normalpris"), allowing one
        # misread character in longer names.
        for start in range(len(words) - n + 1):
            if _near("".join(words[start : start + n]), k):
                return name
    return None


def _name_like(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    if letters < 4 or letters < 0.6 * len(text.replace(" ", "")) or _NOT_NAME.search(fold(text)):
        return False
    # a postcode, or an item line
    return not (re.search(r"\d{4}", text) or _AMOUNT.search(digits_fixed(text)))


def read_merchants(lines: list[Line]) -> list[MerchantReading]:
    """Candidates from the top of the receipt: known chains (a prior), the registered company
    name (a legal form), and the first clearly read name-like line (a logo read as text counts)."""
    out: list[MerchantReading] = []
    top = lines[: MERCHANT_SEARCH_LINES + 2]
    for i, line in enumerate(top):
        name = _known_in(line.text)
        if not name:
            continue
        printed = _clean_name(line.text)
        if name in _COMMON_WORD_CHAINS and merchant_key(printed) != merchant_key(name):
            continue
        # The name as printed ("Circle K Holbæk", "McDonald's Restaurant") unless the line holds
        # more than a name; the chain's spelling when the print is a logo read half-right.
        if (
            _name_like(printed)
            and len(printed) <= len(name) + 25
            and merchant_key(name) in merchant_key(printed)
        ):
            name = printed
        out.append(MerchantReading(name, i, _min_conf(line), True, mentioned=_in_sentence(line.text, name)))
    for i, line in enumerate(lines[: MERCHANT_SEARCH_LINES + 4]):
        text = _clean_name(line.text)
        text = _legal_cut(text)
        if _LEGAL.search(fold(text)) and _name_like(text) and _min_conf(line) >= SURE_NAME:
            above = _clean_name(lines[i - 1].text) if i else ""
            bare = sum(c.isalpha() for c in _LEGAL.sub("", fold(text))) < 3  # "Sdn. Bhd." alone
            if (bare or re.match(r"(?:CO\b|&|\(M\))", fold(text))) and _name_like(above):
                text = f"{above} {text}"  # "POPULAR BOOK" / "CO. (M) SDN BHD": one name on two lines
            elif bare:
                continue
            out.append(MerchantReading(text, i, _min_conf(line), False, legal=True))
            break
    names = []
    for i, line in enumerate(top[:MERCHANT_SEARCH_LINES]):
        text = _clean_name(line.text)
        short_logo = i == 0 and re.fullmatch(r"[A-Z]{3}", text) is not None  # "PYT"
        if not (_name_like(text) or short_logo):
            continue
        if _min_conf(line) < SURE_NAME and i + 1 < len(top):
            continue  # handwriting or a smudge above the print: look further down
        repeated = _repeated_below(text, lines, i)
        if short_logo and not repeated:
            continue
        names.append(MerchantReading(text, i, _min_conf(line), False))
        if repeated:  # printed again further down ("Thank you for dining at ..."): the name
            names = [names[-1]]
            break
    out.extend(names[:1])  # the repeated name, else the first name-like line from the top
    return out


def _in_sentence(text: str, chain: str) -> bool:
    """The chain's name is one word group of a sentence on its line (``SENTENCE_WORDS`` or more
    other words): a coupon's "Valid at participating US McDonald's.", "Brug din bonus i Netto
    inden 31. maj" — text about the chain, which may be a partner's advertisement."""
    words = re.findall(r"[0-9A-Z]+", fold(text))
    own = len(re.findall(r"[0-9A-Z]+", fold(chain)))
    return len(words) - own >= SENTENCE_WORDS


def _repeated_below(name: str, lines: list[Line], i: int) -> bool:
    """The name is printed again at least two lines further down (a footer's "Thank you for
    visiting ...", a second header line): a half-read logo or a slogan never is."""
    words = re.findall(r"[0-9A-Z]+", fold(name))
    if sum(map(len, words)) < 3:
        return False
    # Whole words, on lines without digits: "Dallas" in "Dallas, TX 75205" is the city.
    below = " ".join(fold(line.text) for line in lines[i + 2 :] if not re.search(r"\d", line.text))
    return re.search(r"\b" + r"\W*".join(words) + r"\b", below) is not None


def _legal_cut(text: str) -> str:
    """The company name ends with its legal form: "Morrisons Supermarkets plc BD3 7DL" (a postcode
    after it) → "Morrisons Supermarkets plc"."""
    m = ([None, *_LEGAL.finditer(fold(text))])[-1]
    if m is None or len(fold(text)) != len(text):  # fold changed the length (æ → AE): leave it
        return text
    rest = text[m.end() :]
    if not re.search(r"\d", rest):  # "ABC TRADING & HARDWARE": the form is inside the name
        return text
    return text[: m.end()] + rest[:1] if rest[:1] in (".", ")") else text[: m.end()]


def _clean_name(text: str) -> str:
    text = re.sub(r"\(\s*[\w-]*\d[\w-]*\s*\)", " ", text)  # "(65351-M)": a registration number
    text = re.sub(r"^[^\wÆØÅæøå]+|[^\wÆØÅæøå.'&)]+$", "", text.strip())
    return re.sub(r"\s{2,}", " ", text)


def merchant_key(text: str | None) -> str:
    """How two merchant names are compared: case, spacing and punctuation do not count."""
    return re.sub(r"[^0-9a-zæøå]", "", (text or "").casefold())


# ---- currency ------------------------------------------------------------------------------

_CURRENCIES = (
    ("EUR", re.compile(r"\bEUR\b|€")),
    ("SEK", re.compile(r"\bSEK\b")),
    ("NOK", re.compile(r"\bNOK\b")),
    ("GBP", re.compile(r"\bGBP\b|£")),
    ("USD", re.compile(r"\bUSD\b|US\$")),
    ("MYR", re.compile(r"\bMYR\b|\bRM ?\d")),
    ("DKK", re.compile(r"\bDKK\b|\bKR\b")),
)


def read_currency(lines: list[Line]) -> str:
    """The currency named most often; Danish kroner when none is named."""
    counts = {code: 0 for code, _ in _CURRENCIES}
    for line in lines:
        f = fold(line.text)
        for code, rx in _CURRENCIES:
            counts[code] += len(rx.findall(f))
    best = max(counts, key=lambda c: (counts[c], c == "DKK"))
    return best if counts[best] else "DKK"
