"""Reading the HR/payroll system's CSV exports of org units and staff. Plain Python, no database.

Formats (docs/hr-import.md): a header row, then one row per unit or person; `;`, `,` or tab
separated (Danish Excel writes `;`), UTF-8 or Windows-1252. Every problem is reported with its
line number, and a file with any problem changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from backend.auth.roles import Role

MAX_BYTES = 5_000_000
_YES = {"", "1", "ja", "yes", "true", "aktiv", "active"}
_NO = {"0", "nej", "no", "false", "inaktiv", "inactive", "fratrådt"}


@dataclass(frozen=True)
class LineError:
    line: int
    message: str
    message_en: str


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    parent_code: str | None
    kind: str | None


@dataclass(frozen=True)
class StaffRow:
    line: int
    employee_number: str
    name: str
    email: str | None
    unit_code: str | None
    roles: tuple[Role, ...]
    active: bool


class CsvUnreadable(ValueError):
    pass


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvUnreadable("Filen er for stor (over 5 MB).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(data: bytes, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row by lower-case header) for every non-empty row."""
    text = _decode(data)
    if not text.strip():
        raise CsvUnreadable("Filen er tom.")
    first_line = text.splitlines()[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = required - set(header)
    if missing:
        raise CsvUnreadable(
            f"Kolonner mangler i første linje: {', '.join(sorted(missing))} (fandt: {', '.join(header)})."
        )
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append(
            (
                reader.line_num,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )
        )
    return rows


def _duplicate(seen: dict[str, int], key: str, line: int, what: str) -> LineError | None:
    if key in seen:
        return LineError(
            line, f"{what} {key} står også i linje {seen[key]}.", f"{what} {key} is also on line {seen[key]}."
        )
    seen[key] = line
    return None


def parse_units(data: bytes) -> tuple[list[UnitRow], list[LineError]]:
    rows, errors, seen = [], [], {}  # type: ignore[var-annotated]
    for line, row in read_rows(data, {"code", "name"}):
        code, name = row["code"], row["name"]
        if not code or not name:
            errors.append(LineError(line, "Kode og navn skal udfyldes.", "Code and name are required."))
            continue
        if dup := _duplicate(seen, code, line, "Enhed"):
            errors.append(dup)
            continue
        rows.append(UnitRow(line, code, name, row.get("parent_code") or None, row.get("kind") or None))
    return rows, errors


def _roles(text: str) -> tuple[tuple[Role, ...], str | None]:
    names = [r.strip().lower() for r in text.replace("|", ",").replace(" ", ",").split(",") if r.strip()]
    unknown = [n for n in names if n not in Role.__members__.values()]
    if unknown:
        return (), ", ".join(unknown)
    return tuple(Role(n) for n in names) or (Role.EMPLOYEE,), None


def parse_staff(data: bytes) -> tuple[list[StaffRow], list[LineError]]:
    rows, errors, seen = [], [], {}  # type: ignore[var-annotated]
    for line, row in read_rows(data, {"employee_number", "name"}):
        number, name = row["employee_number"], row["name"]
        if not number or not name:
            errors.append(
                LineError(
                    line, "Medarbejdernummer og navn skal udfyldes.", "Employee number and name are required."
                )
            )
            continue
        if dup := _duplicate(seen, number, line, "Medarbejder"):
            errors.append(dup)
            continue
        roles, unknown = _roles(row.get("roles", ""))
        if unknown:
            errors.append(LineError(line, f"Ukendt rolle: {unknown}.", f"Unknown role: {unknown}."))
            continue
        active_text = row.get("active", "").lower()
        if active_text not in _YES | _NO:
            errors.append(
                LineError(
                    line,
                    f"Aktiv skal være ja eller nej, ikke {active_text!r}.",
                    f"Active must be yes or no, not {active_text!r}.",
                )
            )
            continue
        rows.append(
            StaffRow(
                line,
                number,
                name,
                row.get("email") or None,
                row.get("unit_code") or None,
                roles,
                active_text not in _NO,
            )
        )
    return rows, errors
