"""Substitutes' hours (vikartimer): the agreement rules as plain modules, cited, without a database.

- `profiles` — agreement profiles (minimum paid time, supplement table) per unit kind, as data.
- `minimum_time` — the minimum paid time per call-in or per working day.
- `overlap` — entries of one person that overlap in time.
- `pay` — an entry's pay basis: hours, minimum-time top-up, supplements, rate, amount.
"""
