"""What is printed on a synthetic receipt: Danish till text in five styles, with ground truth.

A receipt is a list of ``Row``s (left text, right text, how it is printed) plus the truth the
OCR should recover. Totals are the sum of the items; VAT is 20% of the total (25% Danish VAT),
except taxi rides, which are VAT-exempt passenger transport.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ocr.checks import CVR_WEIGHTS, expected_vat

STYLES = ("supermarket", "cafe", "petrol", "hardware", "taxi")


@dataclass(frozen=True)
class Row:
    left: str = ""
    right: str = ""
    kind: str = "normal"  # normal | bold | big | center | center_big | rule | blank


@dataclass
class Receipt:
    style: str
    rows: list[Row]
    truth: dict[str, str | None]
    chars: int  # characters per line of the till (sets the font size)
    notes: list[str] = field(default_factory=list)


def kr(value: Decimal, thousands: bool = True) -> str:
    """Danish format: 1.234,50"""
    whole, cents = f"{value:.2f}".split(".")
    if thousands and len(whole.lstrip("-")) > 3:
        sign = "-" if whole.startswith("-") else ""
        digits = whole.lstrip("-")
        groups: list[str] = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        whole = sign + ".".join(groups)
    return f"{whole},{cents}"


def random_cvr(rng: random.Random) -> str:
    """A CVR number that passes modulus 11 (the last digit has weight 1, so solve for it)."""
    while True:
        head = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        check = -sum(d * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
        if check < 10:
            return "".join(map(str, [*head, check]))


def spaced_cvr(cvr: str, rng: random.Random) -> str:
    return rng.choice([cvr, f"{cvr[:2]} {cvr[2:4]} {cvr[4:6]} {cvr[6:]}", f"DK{cvr}", f"DK {cvr}"])


def fmt_date(day: dt.date, rng: random.Random, styles: tuple[str, ...]) -> str:
    style = rng.choice(styles)
    return {
        "d.m.y": f"{day:%d.%m.%y}",
        "d.m.Y": f"{day:%d.%m.%Y}",
        "d-m-Y": f"{day:%d-%m-%Y}",
        "d/m-Y": f"{day.day}/{day.month}-{day.year}",
        "d/m/Y": f"{day:%d/%m/%Y}",
        "Y-m-d": f"{day:%Y-%m-%d}",
    }[style]


def clock(rng: random.Random) -> str:
    return f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}"


STREETS = ("Smedelundsgade", "Ahlgade", "Jernbanevej", "Slotsvej", "Holbækvej", "Stationsvej",
           "Kalundborgvej", "Tveje Merløsevej", "Elmegade", "Havnevej", "Nørrevold")  # fmt: skip
TOWNS = ("4300 Holbæk", "4000 Roskilde", "4400 Kalundborg", "4200 Slagelse", "4340 Tølløse",
         "2620 Albertslund", "4100 Ringsted")  # fmt: skip


def address(rng: random.Random) -> list[Row]:
    return [
        Row(f"{rng.choice(STREETS)} {rng.randint(1, 140)}", kind="center"),
        Row(rng.choice(TOWNS), kind="center"),
        Row(
            f"Tlf. {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            kind="center",
        ),
    ]


def money(rng: random.Random, lo: float, hi: float, step: str = "0.05") -> Decimal:
    v = Decimal(str(rng.uniform(lo, hi))).quantize(Decimal(step))
    return v.quantize(Decimal("0.01"))


GROCERIES = ("MINIMÆLK 1L", "RUGBRØD", "SMØR 250G", "ÆBLER 1KG", "KAFFE 400G", "BANANER", "OST 45+",
             "HAVREGRYN", "ÆG 10 STK", "LEVERPOSTEJ", "AGURK", "TOMATER", "PASTA 500G", "YOGHURT",
             "KYLLINGEBRYST", "SODAVAND 1,5L", "CHIPS", "TOILETPAPIR", "OPVASKEMIDDEL", "HAKKET OKSEKØD",
             "GULERØDDER", "KARTOFLER 2KG", "REMOULADE", "SKYR", "JUICE 1L", "FRANSKBRØD")  # fmt: skip
CAFE_ITEMS = ("Cappuccino", "Caffe latte", "Americano", "Te", "Croissant", "Kanelsnegl", "Sandwich",
              "Tebirkes", "Chokoladekage", "Juice", "Rundstykke m. ost", "Frokostplatte", "Vand")  # fmt: skip
HARDWARE = ("SKRUER 4X40 200STK", "MALING HVID 2,5L", "BOREMASKINE 18V", "PENSEL 50MM", "SPARTEL",
            "AFDÆKNINGSTAPE", "HÆNGELÅS", "LEDNING 10M", "PÆRE LED E27", "SAVKLINGE", "LIM TRÆ",
            "SANDPAPIR K120", "HAMMER", "VATERPAS 60CM", "ARBEJDSHANDSKER")  # fmt: skip
SHOP_ITEMS = ("Kaffe to go", "Vaskehal Premium", "Sprinklervæske", "Pølse i brød", "Vand 50cl", "Avis")

SUPERMARKETS = ("Netto", "føtex", "REMA 1000", "Lidl", "Coop 365", "SuperBrugsen", "MENY", "SPAR", "Løvbjerg")
CAFES = ("Café Ellen", "Kaffebaren", "Bageriet ved Havnen", "Espresso House", "Baresso", "Café Elvira",
         "Lagkagehuset", "Holbæk Kaffebrænderi")  # fmt: skip
PETROL = ("Circle K", "Q8", "OK Plus", "Shell", "INGO", "Uno-X")
HARDWARE_SHOPS = ("Silvan", "Bauhaus", "jem & fix", "STARK", "Holbæk Tømmerhandel", "XL-BYG")
TAXIS = ("Dantaxi", "Taxa 4x35", "Taxi Holbæk", "Vestsjællands Taxi")


def make_receipt(rng: random.Random, style: str, today: dt.date, variant: str = "classic") -> Receipt:
    # Most receipts are photographed within weeks of the purchase; some are months old.
    day = today - dt.timedelta(days=rng.randint(0, 60) if rng.random() < 0.8 else rng.randint(61, 420))
    cvr = random_cvr(rng)
    build = {
        "supermarket": _supermarket,
        "cafe": _cafe,
        "petrol": _petrol,
        "hardware": _hardware,
        "taxi": _taxi,
    }
    receipt = build[style](rng, day, cvr)
    receipt.truth.update(date=day.isoformat(), cvr=cvr, currency="DKK")
    if variant == "other":
        receipt = other_layout(receipt, rng)
    return receipt


# ---- the second style: what other Danish tills and OCR do differently ------------------------

_CVR_LABEL = re.compile(r"^(?:CVR|SE)[^\d]*?(?=DK|\d)", re.I)
_DOT_THOUSANDS = re.compile(r"(?<![\d.,])(-?\d{1,3})\.(\d{3}),(\d\d)(?!\d)")
_GRAND = ("I ALT", "TOTAL", "AT BETALE", "TOTAL DKK", "I ALT kr")


def other_layout(receipt: Receipt, rng: random.Random) -> Receipt:
    """The same purchase as another till prints it: thousands separated by a space ("3 038,15"),
    the CVR label as OCR often reads it ("Cyr.nr.", "Cvr.nr."), the grand total's label varied and
    sometimes its amount on the line below, "kr." after amounts."""
    rows: list[Row] = []
    kr_suffix = rng.random() < 0.3
    for row in receipt.rows:
        left = _DOT_THOUSANDS.sub(r"\1 \2,\3", row.left)
        right = _DOT_THOUSANDS.sub(r"\1 \2,\3", row.right)
        if _CVR_LABEL.match(left):
            left = _CVR_LABEL.sub(rng.choice(["Cyr.nr. ", "Cvr.nr. ", "CVR/SE nr. ", "Cyr-nr: "]), left)
        if row.kind == "bold" and row.left in _GRAND:
            label = rng.choice(["TOTAL", "I ALT", "AT BETALE", "Total DKK", "BELØB AT BETALE"])
            if rng.random() < 0.3:
                rows += [Row(label, kind="bold"), Row("", right, "bold")]
                continue
            left = label
        if kr_suffix and right and row.kind != "bold" and right[-1].isdigit():
            right += " kr."
        rows.append(Row(left, right, row.kind))
    receipt.rows = rows
    receipt.notes.append("other_layout")
    return receipt


def _header(rng: random.Random, name: str, cvr: str, label: str = "CVR-NR:") -> list[Row]:
    rows = []
    if rng.random() < 0.2:
        rows.append(Row("Velkommen til", kind="center"))
    rows.append(Row(name, kind="center_big"))
    rows += address(rng)
    rows.append(Row(f"{label} {spaced_cvr(cvr, rng)}", kind="center"))
    rows.append(Row(kind="blank"))
    return rows


def _payment(rng: random.Random, total: Decimal, card_only: bool = False) -> list[Row]:
    kind = rng.choice(
        ["dankort", "visa", "mobilepay", "cash"] if not card_only else ["dankort", "visa", "mastercard"]
    )
    if kind == "cash":
        paid = (total / 100).to_integral_value(rounding="ROUND_CEILING") * 100
        if paid == total:
            paid += 100
        return [Row("KONTANT", kr(paid)), Row("BYTTEPENGE", kr(paid - total))]
    label = {"dankort": rng.choice(["DANKORT", "VISA/DANKORT"]), "visa": "VISA", "mobilepay": "MobilePay",
             "mastercard": "MASTERCARD"}[kind]  # fmt: skip
    rows = [Row(label, kr(total))]
    if kind != "mobilepay" and rng.random() < 0.6:
        rows += [Row(kind="blank"), Row(f"{label} ************{rng.randint(1000, 9999)}", kind="normal"),
                 Row("KØB", f"DKK {kr(total)}"), Row("GODKENDT", kind="normal")]  # fmt: skip
    return rows


def _supermarket(rng: random.Random, day: dt.date, cvr: str) -> Receipt:
    name = rng.choice(SUPERMARKETS)
    rows = _header(
        rng, name.upper() if rng.random() < 0.5 else name, cvr, rng.choice(["CVR-NR:", "CVR:", "CVR nr."])
    )
    total = Decimal(0)
    for item in rng.sample(GROCERIES, rng.randint(4, 12)):
        price = money(rng, 4, 89, "0.25") - Decimal("0.05") * rng.randint(0, 1)
        if rng.random() < 0.2:
            n = rng.randint(2, 4)
            rows += [Row(item), Row(f"  {n} x {kr(price)}", kr(price * n))]
            total += price * n
        else:
            rows.append(Row(item, kr(price)))
            total += price
        if rng.random() < 0.1:
            rows.append(Row("PANT A", "1,00"))
            total += 1
    if rng.random() < 0.3:
        rows.append(Row("RABAT", "-" + kr(Decimal(5))))
        total -= 5
    rows += [
        Row(kind="rule"),
        Row(rng.choice(["I ALT", "TOTAL", "AT BETALE"]), kr(total), "bold"),
        Row(kind="blank"),
    ]
    rows += _payment(rng, total)
    rows += [
        Row(kind="blank"),
        Row(rng.choice(["MOMS UDGØR", "HERAF MOMS", "MOMS 25%"]), kr(expected_vat(total))),
    ]
    rows += [Row(kind="blank"), Row(f"BON {rng.randint(100, 9999)}  KASSE {rng.randint(1, 9)}  OP {rng.randint(1, 40)}"),
             Row(f"{fmt_date(day, rng, ('d.m.y', 'd-m-Y', 'd.m.Y'))}  {clock(rng)}"), Row(kind="blank"),
             Row("Tak for besøget", kind="center")]  # fmt: skip
    return Receipt(
        "supermarket",
        rows,
        {"merchant": name, "total": f"{total:.2f}", "vat": f"{expected_vat(total):.2f}"},
        rng.choice([40, 42, 48]),
    )


def _cafe(rng: random.Random, day: dt.date, cvr: str) -> Receipt:
    name = rng.choice(CAFES)
    rows = _header(rng, name, cvr, rng.choice(["CVR", "CVR-nr.", "CVR nr:"]))
    rows.insert(-1, Row(f"{fmt_date(day, rng, ('d/m-Y', 'd.m.Y', 'd/m/Y'))} kl. {clock(rng)}"))
    total = Decimal(0)
    for item in rng.sample(CAFE_ITEMS, rng.randint(1, 5)):
        price = Decimal(rng.choice([25, 28, 32, 38, 42, 45, 48, 55, 65, 89, 119]))
        rows.append(Row(item, kr(price)))
        total += price
    rows += [Row(kind="rule"), Row("TOTAL DKK", kr(total), "bold"),
             Row("Heraf moms", kr(expected_vat(total)))]  # fmt: skip
    rows += [
        Row(kind="blank"),
        *_payment(rng, total),
        Row(kind="blank"),
        Row("Tak og på gensyn!", kind="center"),
    ]
    return Receipt(
        "cafe",
        rows,
        {"merchant": name, "total": f"{total:.2f}", "vat": f"{expected_vat(total):.2f}"},
        rng.choice([32, 36, 42]),
    )


def _petrol(rng: random.Random, day: dt.date, cvr: str) -> Receipt:
    name = rng.choice(PETROL)
    town = rng.choice(TOWNS).split()[1]
    rows = _header(
        rng, f"{name} {town}" if rng.random() < 0.5 else name, cvr, rng.choice(["CVR-NR", "SE-NR"])
    )
    litres = Decimal(str(round(rng.uniform(15, 60), 2)))
    per_l = Decimal(str(round(rng.uniform(12.5, 15.9), 2)))
    fuel = (litres * per_l).quantize(Decimal("0.01"))
    rows += [Row(f"{rng.choice(['Blyfri 95', 'Diesel', 'miles95'])}  Pumpe {rng.randint(1, 8)}"),
             Row(f"  {kr(litres)} L x {kr(per_l)} kr/L", kr(fuel))]  # fmt: skip
    total = fuel
    for item in rng.sample(SHOP_ITEMS, rng.randint(0, 2)):
        price = Decimal(rng.choice([15, 20, 25, 35, 49, 79]))
        rows.append(Row(item, kr(price)))
        total += price
    vat = expected_vat(total)
    rows += [Row(kind="rule"), Row("AT BETALE", kr(total), "bold"), Row(f"Moms 25,00%  {kr(total - vat)}", kr(vat)),
             Row(kind="blank"), *_payment(rng, total, card_only=True), Row(kind="blank"),
             Row(f"{fmt_date(day, rng, ('Y-m-d', 'd.m.Y', 'd-m-Y'))} {clock(rng)}  Terminal {rng.randint(1000, 9999)}")]  # fmt: skip
    return Receipt(
        "petrol", rows, {"merchant": name, "total": f"{total:.2f}", "vat": f"{vat:.2f}"}, rng.choice([40, 42])
    )


def _hardware(rng: random.Random, day: dt.date, cvr: str) -> Receipt:
    name = rng.choice(HARDWARE_SHOPS)
    rows = _header(rng, name, cvr, rng.choice(["CVR-NR:", "CVR nr.", "SE-nr."]))
    rows.insert(-1, Row(f"Dato: {fmt_date(day, rng, ('d-m-Y', 'd.m.Y', 'Y-m-d'))}  {clock(rng)}"))
    total = Decimal(0)
    for item in rng.sample(HARDWARE, rng.randint(2, 7)):
        price = money(rng, 19, 1499, "1") - Decimal("0.05")
        n = rng.randint(1, 3)
        rows += [Row(item), Row(f"  {rng.randint(10**12, 10**13 - 1)}  {n} stk", kr(price * n))]
        total += price * n
    vat = expected_vat(total)
    rows += [Row(kind="rule"), Row("TOTAL", f"{kr(total)} kr", "bold"), Row(kind="blank")]
    if rng.random() < 0.5:
        rows.append(Row("MOMSBELØB", kr(vat)))
    else:
        rows += [Row("Moms%   Grundlag      Moms"), Row(f"25,00   {kr(total - vat)}", kr(vat))]
    rows += [Row(kind="blank"), *_payment(rng, total, card_only=True), Row(kind="blank"),
             Row("Bytte- og returret 30 dage", kind="center"), Row(f"Returret til {fmt_date(day + dt.timedelta(days=30), rng, ('d-m-Y',))}", kind="center")]  # fmt: skip
    return Receipt(
        "hardware",
        rows,
        {"merchant": name, "total": f"{total:.2f}", "vat": f"{vat:.2f}"},
        rng.choice([42, 48]),
    )


def _taxi(rng: random.Random, day: dt.date, cvr: str) -> Receipt:
    name = rng.choice(TAXIS)
    rows = [Row(name, kind="center_big"), Row(f"Tlf. 70 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}", kind="center"),
            Row(f"CVR-nr. {cvr}", kind="center"), Row(kind="blank"),
            Row(f"Vogn nr. {rng.randint(100, 9999)}"), Row(f"Chauffør {rng.randint(1, 300)}"),
            Row(f"Dato {fmt_date(day, rng, ('d.m.Y', 'd-m-Y', 'd.m.y'))}"),
            Row(f"Start {clock(rng)}  Slut {clock(rng)}"), Row(f"Km {rng.randint(2, 40)},{rng.randint(0, 9)}"),
            Row(f"Takst {rng.randint(1, 4)}")]  # fmt: skip
    total = Decimal(rng.randint(90, 900))
    rows += [Row(kind="rule"), Row("I ALT kr", kr(total), "bold"), Row("Moms 0,00 (momsfri)"),
             Row(kind="blank"), Row("Betalt med kort", kr(total)), Row(kind="blank"), Row("God tur!", kind="center")]  # fmt: skip
    return Receipt(
        "taxi", rows, {"merchant": name, "total": f"{total:.2f}", "vat": "0.00"}, rng.choice([32, 36])
    )
