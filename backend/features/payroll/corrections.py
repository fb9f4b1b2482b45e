"""Corrections after an export: what a record that changed after its lines were sent still owes.

Payroll that cannot pay twice (domain-rules.md §1, Payroll: the export is a file gone to payroll; a
line is in at most one export): lines once exported are never changed or taken back. When a record
whose lines were sent changes and is approved again (a shift whose week was reopened), the next salary
run gets only the difference, one line per wage type: what it pays now less everything already sent
for it (the first lines and earlier corrections). A record removed after its lines were sent gets the
sent lines reversed (negative quantities and amounts). This is the usual correction in Danish payroll
(an efterregulering in the next run); each run's corrections are numbered (`WageLine.correction`).

Plain rules on the lines: no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple, Protocol


class Line(Protocol):
    """A wage line as the feed knows it (a workflow's PayLine, a stored WageLine)."""

    @property
    def wage_key(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def flag(self) -> str | None: ...


class Correction(NamedTuple):
    """One wage type's difference: `quantity` and `amount` (kr) may be negative; `rate` kr per unit."""

    wage_key: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    flag: str | None


def difference(owed: Sequence[Line], sent: Sequence[Line]) -> list[Correction]:
    """Per wage type: `owed` (what the record pays now; empty when it was removed) less `sent` (all
    lines already exported for it), as lines of quantity and amount differences; wage types whose
    differences are both zero are left out. The rate is the owed lines' rate for the wage type (the
    sent ones' when nothing is owed; 0 when they differ): the amount difference is what is paid, so a
    kr rate that changed between the two is not multiplied again. The flag is the owed one's (else the
    sent one's). Ordered by wage type."""
    keys = sorted({line.wage_key for line in (*owed, *sent)})
    out = []
    for key in keys:
        now = [line for line in owed if line.wage_key == key]
        before = [line for line in sent if line.wage_key == key]
        quantity = sum((line.quantity for line in now), Decimal(0)) - sum(
            (line.quantity for line in before), Decimal(0)
        )
        amount = sum((line.amount for line in now), Decimal(0)) - sum(
            (line.amount for line in before), Decimal(0)
        )
        if not quantity and not amount:
            continue
        rates = {line.rate for line in (now or before)}
        rate = rates.pop() if len(rates) == 1 else Decimal(0)
        flag = next((line.flag for line in (*now, *before) if line.flag), None)
        out.append(Correction(key, quantity, rate, amount, flag))
    return out
