"""Working-time rules shared by every workflow that deals in days and hours (plain Python, cited).

Mileage's 60-day rule, shift planning (vagtplan) and substitutes' hours (vikartimer) read the same
Danish calendar and the same rest, supplement and holiday rules from here: one implementation of each
rule, no web framework and no database (import-linter holds that), unit-tested without a database.

- `holidays_dk` — Danish public holidays and working days.
- `wallclock` — Europe/Copenhagen wall-clock times and real durations (daylight saving).
- `supplements` — ulempetillæg (evening, night, Saturday, Sunday/holiday) from dated tables per
  agreement (`supplement_tables.json`).
"""
