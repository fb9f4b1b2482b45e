"""The mileage rules as plain Python: standard library only, tested without a database.

One module per rule, each citing its sources (domain-rules.md §1): rates.py (rates as data),
tiers.py (20,000 km), authorisation.py (high rate), home_deduction.py (KL/KTO modregning),
sixty_days.py (the 60-day rule on working days, with the shared `backend.features.worktime.holidays_dk`), limits.py (municipal limits),
validate.py (bad input, duplicates) and calculate.py tying them together; the payroll cut-off is
shared by every workflow that pays: backend/features/payroll/cutoff.py.
"""

from backend.features.mileage.rules.authorisation import Authorisation, covering_authorisation
from backend.features.mileage.rules.calculate import Part, RateApplied, TripResult, calculate_trips
from backend.features.mileage.rules.limits import Limits, limit_flags
from backend.features.mileage.rules.model import Trip, Vehicle
from backend.features.mileage.rules.rates import (
    Rate,
    RateKind,
    RateMissing,
    load_default_rates,
    parse_rates,
    rate_on,
)
from backend.features.mileage.rules.sixty_days import SixtyDayCount, WorkplaceDay, count_sixty_days
from backend.features.mileage.rules.text import Message
from backend.features.mileage.rules.validate import check_trip, find_duplicates
from backend.features.payroll.cutoff import DEFAULT_CUTOFF_DAY, Month, payroll_month
from backend.features.worktime.holidays_dk import easter_sunday, is_working_day, public_holidays

__all__ = [
    "DEFAULT_CUTOFF_DAY",
    "Authorisation",
    "Limits",
    "Message",
    "Month",
    "Part",
    "Rate",
    "RateApplied",
    "RateKind",
    "RateMissing",
    "SixtyDayCount",
    "Trip",
    "TripResult",
    "Vehicle",
    "WorkplaceDay",
    "calculate_trips",
    "check_trip",
    "count_sixty_days",
    "covering_authorisation",
    "easter_sunday",
    "find_duplicates",
    "is_working_day",
    "limit_flags",
    "load_default_rates",
    "parse_rates",
    "payroll_month",
    "public_holidays",
    "rate_on",
]
