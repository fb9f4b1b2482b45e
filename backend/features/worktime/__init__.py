"""Working-time rules shared by every workflow that deals in days and hours (plain Python, cited).

Mileage's 60-day rule, shift planning (vagtplan) and substitutes' hours (vikartimer) read the same
Danish calendar and the same rest, supplement and holiday rules from here: one implementation of each
rule, no web framework and no database (import-linter holds that), unit-tested without a database.

- `holidays_dk` — Danish public holidays and working days.
- `wallclock` — shifts on the Copenhagen clock with their real length across daylight-saving changes.
- `rest` — the 11-hour rule per rolling 24 hours and the weekly day off (35 h), with a unit's profile.
- `norm` — norm hours over a normperiode, absences' credit, the balance against the flex band.
"""
