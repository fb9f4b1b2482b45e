"""What an approved shift pays through the shared payroll feed: its hours and its ulempetillæg.

When the leader approves a unit's week (approval.py), each of its shifts gets a pay snapshot, `pay`
(`snapshot` below), and the state "approved"; the payroll feed then asks `wage_lines` for its lines.
Plain rules on the shift's fields: no database.

- Hours: the shift's paid minutes (real elapsed time less the unpaid break: a night across a
  daylight-saving change is 7 or 9 hours, worktime/wallclock.py) as wage type `shift_hours`.
- Supplements (ulempetillæg): worktime/supplements.py splits the shift by the agreement's windows,
  special days (24/12 from the day shift; 31/12, 1/5, 5/6 from 12:00, paid as a holiday) and dated
  rates (supplement_tables.json); each kind is its own wage type (`shift_<kind>`). Each kind's
  minutes in a shift are counted per started half hour (domain-rules.md §3: fysio.dk, "aften, nat,
  weekend og helligdage"; one secondary source, so it is data: pay_tables.json `started_half_hour`).
- Which table pays a unit's shifts is data by the unit's kind (pay_tables.json).
- A missing rate (a table period with null, or a date before its first period) is said plainly on the
  snapshot (`missing`, in words, "sats mangler") and yields NO line: never a silent 0.
- Felt holds no monthly-paid employee's hourly wage: a percent supplement's line carries the hours
  (quantity) and the percent stays in the snapshot; the payroll system applies it to the person's
  own pay, so its rate and amount are 0 kr. A kr-per-hour supplement's line carries its kroner.

Nothing is approved by time passing: only the leader's approval makes a shift payable. The payroll
month is that of the later of the approval and the shift's end (hours are paid after they are worked).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from backend.features.workflow import Payable, PayLine, WageType
from backend.features.worktime.supplements import SupplementTable, load_tables, split
from backend.features.worktime.wallclock import local

PAY_TABLES_FILE = Path(__file__).with_name("pay_tables.json")
HALF_HOUR = 30
ORE = Decimal("0.01")

HOURS = WageType("shift_hours", "Vagttimer", "Shift hours", "VAGT-TIM")
SUPPLEMENTS = {
    kind.key: WageType(
        f"shift_{kind.key}",
        f"Vagt, {kind.name_da.lower()} (timer)",
        f"Shift, {kind.name_en.lower()} (hours)",
        f"VAGT-{kind.key[:6].upper()}",
    )
    for table in load_tables().values()
    for kind in table.kinds
}
WAGE_TYPES = (HOURS, *SUPPLEMENTS.values())
"""One wage type for the hours, one per supplement kind of any agreement table."""


@cache
def _pay_tables() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(PAY_TABLES_FILE.read_text(encoding="utf-8"))
    return data


def table_for(unit_kind: str | None, municipality: str | None = None) -> SupplementTable | None:
    """The supplement table that pays shifts in a unit of `unit_kind` (pay_tables.json) in the
    municipality with slug `municipality`, first found of: the municipality's choice for the kind, the
    choice for the kind (`by_unit_kind`), the municipality's default (`by_municipality`, e.g. 31/12 as a
    normal day in Copenhagen), the default. None when the data
    names a table that does not exist (then every supplement is reported missing)."""
    data = _pay_tables()
    own = data.get("by_municipality", {}).get(municipality or "") or {}
    kind = unit_kind or ""
    key = (
        own.get("by_unit_kind", {}).get(kind)
        or data["by_unit_kind"].get(kind)
        or own.get("default", data["default"])
    )
    return load_tables().get(key)


def started_half_hours(minutes: int) -> int:
    """`minutes` rounded up to whole started half hours (0 → 0, 1 → 30, 30 → 30, 31 → 60): how the
    agreements count supplement time (domain-rules.md §3, fysio.dk; unverified, see pay_tables.json).
    Raises ValueError for negative minutes."""
    if minutes < 0:
        raise ValueError("minutes cannot be negative")
    return -(-minutes // HALF_HOUR) * HALF_HOUR


def _missing(kind: str, name_da: str, name_en: str, day: date) -> dict[str, Any]:
    return {
        "kind": kind,
        "da": f"{name_da}: sats mangler for {day.day}/{day.month} {day.year}; intet er sendt til lønnen.",
        "en": f"{name_en}: rate missing for {day.isoformat()}; nothing was sent to payroll.",
    }


def snapshot(clock: Mapping[str, Any], break_minutes: int, table: SupplementTable | None) -> dict[str, Any]:
    """The pay of a shift placed on the clock (`clock` {start, end: ISO with offset, paid_minutes}) with
    its unpaid break (minutes) under `table`: {"paid_minutes", "table", "supplements": [{kind, da, en,
    minutes (started half hours), rate (percent or kr/h, text), unit, from, unverified, days: the
    special days in it [{key, da, en}], e.g. "Nytårsaftensdag fra kl. 12"}], "missing": [{kind, da,
    en}]}. Raises ValueError for a clock that cannot be read."""
    start = datetime.fromisoformat(str(clock["start"]))
    end = datetime.fromisoformat(str(clock["end"]))
    day = local(start).date()
    out: dict[str, Any] = {
        "paid_minutes": int(clock["paid_minutes"]),
        "table": table.key if table else None,
        "supplements": [],
        "missing": [],
    }
    if table is None:
        out["missing"].append(_missing("table", "Ulempetillæg", "Supplements", day))
        return out
    rounding = bool(_pay_tables()["started_half_hour"]["applies"])
    by_kind: dict[tuple[str, str | None], dict[str, Any]] = {}
    for part in split(table, start, end, break_minutes):
        if part.rate is None:
            out["missing"].append(_missing(part.kind, part.name_da, part.name_en, day))
            continue
        key = (part.kind, str(part.rate))
        found = by_kind.setdefault(
            key,
            {
                "kind": part.kind,
                "da": part.name_da,
                "en": part.name_en,
                "minutes": 0,
                "rate": str(part.rate),
                "unit": part.unit,
                "from": part.effective_from.isoformat() if part.effective_from else None,
                "unverified": False,
                "days": [],
            },
        )
        found["minutes"] += part.minutes
        found["unverified"] = found["unverified"] or part.unverified
        for special in part.special:
            if special.key not in {d["key"] for d in found["days"]}:
                found["days"].append({"key": special.key, "da": special.name_da, "en": special.name_en})
    for found in by_kind.values():
        found["minutes"] = started_half_hours(found["minutes"]) if rounding else found["minutes"]
        out["supplements"].append(found)
    return out


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(ORE, ROUND_HALF_UP)


def lines_of(pay: Mapping[str, Any]) -> list[PayLine]:
    """The wage lines of a pay snapshot: the hours, then one line per supplement kind and rate (a
    missing rate has none). kr-per-hour supplements: hours × rate = kr; percent supplements: the hours
    only (0 kr: the payroll system applies the percent to the person's own hourly wage)."""
    lines = [PayLine(HOURS.key, _hours(int(pay["paid_minutes"])), Decimal(0), Decimal(0))]
    for s in pay.get("supplements") or []:
        quantity = _hours(int(s["minutes"]))
        if s["unit"] == "kr_per_hour":
            rate = Decimal(str(s["rate"]))
            lines.append(PayLine(SUPPLEMENTS[s["kind"]].key, quantity, rate, (quantity * rate).quantize(ORE)))
        else:
            lines.append(PayLine(SUPPLEMENTS[s["kind"]].key, quantity, Decimal(0), Decimal(0)))
    return lines


def wage_lines(record: Any) -> list[PayLine]:
    """An approved shift's lines, from the pay snapshot its week's approval wrote (see `lines_of`)."""
    return lines_of(record.fields["pay"])


def paid_when(record: Any) -> datetime:
    """When the shift becomes payable: the later of its week's approval (its last "week_approved"
    step) and its end (hours are paid once worked)."""
    step = next(h for h in reversed(record.history) if h.get("transition") == "week_approved")
    approved = datetime.fromisoformat(str(step["at"]))
    end = datetime.fromisoformat(str(record.fields["clock"]["end"]))
    return max(approved, end)


PAYABLE = Payable(states=frozenset({"approved"}), lines=wage_lines, decided_at=paid_when, corrects=True)
"""An approved shift pays its hours and supplements in the month the later of its approval and its
end, and the municipality's cut-off, give (payroll.feed). A shift stays editable after its lines were
exported: its week is reopened, and when approved again the next run pays only the difference (a
removed shift's sent lines are reversed): payroll.corrections."""
