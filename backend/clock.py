"""Danish time: a payroll month, a cut-off day or "in the future" is decided by the date in Denmark."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def today() -> date:
    """Today in Denmark: a trip logged late in the evening is not "in the future" by UTC."""
    return datetime.now(DANISH_TIME).date()
