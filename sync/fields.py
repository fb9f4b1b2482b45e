"""Typed fields of a record type: what each field may hold, in one canonical stored form.

Every record type declares its fields with these constructors. The same declaration

- cleans a pushed value into the one stored form, or refuses it with a reason a person can read
  (Danish and English): money is a decimal string with two places ("187.50"), a date is a real
  date "YYYY-MM-DD" inside a plausible window, km and hours are bounded decimals, text has a length
  limit, a choice is one of its choices;
- marks the fields the server owns (`server=True`): they are never taken from a push (a pushed
  value is ignored and the stored one kept, so an old client that echoes them is not refused);
- is published to the PWA (`describe`, GET /api/sync/types), whose forms validate with it at once;
- gives the property tests their strategies.

Pure Python: no web framework, no database. Dates are judged on the Danish calendar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
"""Felt's calendar: "today" and "in the future" are Danish days."""

Kind = Literal["money", "decimal", "integer", "date", "text", "choice", "bool", "list", "blobs", "object"]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DECIMAL = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")


class FieldError(ValueError):
    """A value a field cannot hold; `da` and `en` say why, naming the field."""

    def __init__(self, da: str, en: str, field: str | None = None) -> None:
        super().__init__(en)
        self.da, self.en, self.field = da, en, field


def _kr(value: Decimal, places: int) -> str:
    """Danish number format for messages: 2.000,5."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass(frozen=True)
class Field:
    """One field's type and limits. Build with `money`, `decimal`, `day`, `text`, … below."""

    kind: Kind
    label: tuple[str, str]
    """(Danish, English) name for messages and forms."""
    default: Any = None
    """The stored value when a new record does not send it (a list or dict is copied)."""
    min: Decimal | int | None = None
    max: Decimal | int | None = None
    places: int | None = None
    """Decimal places at most (money: exactly 2)."""
    max_length: int | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    max_items: int | None = None
    past_days: int | None = None
    """A date may lie at most this many days before today."""
    future_days: int | None = None
    """… and at most this many days after today (0: not in the future)."""
    server: bool = False
    """Written by the server only: never taken from a push."""
    nullable: bool = True

    def fresh_default(self) -> Any:
        return type(self.default)(self.default) if isinstance(self.default, list | dict) else self.default

    def clean(self, value: Any, today: date) -> Any:
        """`value` in its stored form; raises FieldError (Danish, English) when it cannot be."""
        if value is None:
            if self.nullable:
                return None
            raise self._error("skal udfyldes", "must be filled in")
        return _CLEANERS[self.kind](self, value, today)

    def describe(self) -> dict[str, Any]:
        """The JSON the PWA validates its forms with (docs/sync.md, "Typed fields")."""
        out: dict[str, Any] = {"kind": self.kind, "label": {"da": self.label[0], "en": self.label[1]}}
        for key in ("places", "max_length", "pattern", "max_items", "past_days", "future_days"):
            if (value := getattr(self, key)) is not None:
                out[key] = value
        for key in ("min", "max"):
            if (value := getattr(self, key)) is not None:
                out[key] = str(value) if isinstance(value, Decimal) else value
        if self.choices:
            out["choices"] = list(self.choices)
        if self.server:
            out["server"] = True
        return out

    def _error(self, da: str, en: str) -> FieldError:
        return FieldError(f"{self.label[0]} {da}.", f"{self.label[1]} {en}.")


def _clean_decimal(f: Field, value: Any, today: date) -> str:
    if not isinstance(value, str):  # a decimal string, never a float: "187.50", not 187.5
        raise f._error("skal skrives som et tal med punktum, fx 187.50", "must be a number like 187.50")
    text = value
    places = 2 if f.kind == "money" else (f.places if f.places is not None else 6)
    if not _DECIMAL.match(text):
        # No comma decimals, exponents, NaN, Infinity or spaces: the PWA sends "187.50".
        raise f._error("skal skrives som et tal med punktum, fx 187.50", "must be a number like 187.50")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise f._error("skal være et tal", "must be a number") from None
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise f._error(f"må højst have {places} decimaler", f"may have at most {places} decimals")
    shown = 2 if f.kind == "money" else places
    if f.min is not None and number < Decimal(f.min):
        lo = _kr(Decimal(f.min), shown if f.kind == "money" else _places(Decimal(f.min)))
        raise f._error(f"skal være mindst {lo}", f"must be at least {f.min}")
    if f.max is not None and number > Decimal(f.max):
        hi = _kr(Decimal(f.max), shown if f.kind == "money" else _places(Decimal(f.max)))
        raise f._error(f"må højst være {hi}", f"must be at most {f.max}")
    if f.kind == "money":
        return str(number.quantize(Decimal("0.01")))
    return str(number.normalize()) if number != number.to_integral() else str(number.to_integral())


def _places(value: Decimal) -> int:
    return max(0, -int(value.normalize().as_tuple().exponent))


def _clean_integer(f: Field, value: Any, today: date) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise f._error("skal være et helt tal", "must be a whole number")
    if f.min is not None and value < f.min:
        raise f._error(f"skal være mindst {f.min}", f"must be at least {f.min}")
    if f.max is not None and value > f.max:
        raise f._error(f"må højst være {f.max}", f"must be at most {f.max}")
    return value


def _clean_date(f: Field, value: Any, today: date) -> str:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise f._error("skal være en rigtig dato (ÅÅÅÅ-MM-DD)", "must be a real date (YYYY-MM-DD)") from None
    if f.future_days is not None and day > today + timedelta(days=f.future_days):
        raise f._error("kan ikke ligge i fremtiden", "cannot be in the future")
    if f.past_days is not None and day < today - timedelta(days=f.past_days):
        years = f.past_days // 365
        raise f._error(
            f"må højst ligge {years} år tilbage" if years else f"må højst ligge {f.past_days} dage tilbage",
            f"can be at most {years} years back" if years else f"can be at most {f.past_days} days back",
        )
    return day.isoformat()


def _clean_text(f: Field, value: Any, today: date) -> str:
    if not isinstance(value, str):
        raise f._error("skal være tekst", "must be text")
    if "\x00" in value:
        raise f._error("indeholder et ugyldigt tegn", "contains an invalid character")
    if f.max_length is not None and len(value) > f.max_length:
        raise f._error(f"må højst være {f.max_length} tegn", f"can be at most {f.max_length} characters")
    if f.pattern is not None and value and not re.fullmatch(f.pattern, value):
        raise f._error("har ikke den rigtige form", "is not in the right form")
    return value


def _clean_choice(f: Field, value: Any, today: date) -> str:
    if value not in f.choices:
        raise f._error("skal være en af: " + ", ".join(f.choices), "must be one of: " + ", ".join(f.choices))
    return str(value)


def _clean_bool(f: Field, value: Any, today: date) -> bool:
    if not isinstance(value, bool):
        raise f._error("skal være ja eller nej", "must be yes or no")
    return value


def _clean_list(f: Field, value: Any, today: date) -> list[str]:
    if not isinstance(value, list):
        raise f._error("skal være en liste", "must be a list")
    if f.max_items is not None and len(value) > f.max_items:
        raise f._error(f"må højst have {f.max_items}", f"can have at most {f.max_items}")
    item = Field("text", f.label, max_length=f.max_length, pattern=f.pattern, nullable=False)
    if f.choices:
        item = Field("choice", f.label, choices=f.choices, nullable=False)
    return [item.clean(v, today) for v in value]


def _clean_blobs(f: Field, value: Any, today: date) -> list[str] | str:
    items = value if isinstance(value, list) else [value]
    if f.max_items is not None and len(items) > f.max_items:
        raise f._error(f"må højst have {f.max_items}", f"can have at most {f.max_items}")
    if not all(isinstance(v, str) and SHA256.match(v) for v in items):
        raise f._error("skal henvise til uploadede filer", "must refer to uploaded files")
    return list(items) if isinstance(value, list) else items[0]


def _clean_object(f: Field, value: Any, today: date) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise f._error("skal være et objekt", "must be an object")
    return value


_CLEANERS = {
    "money": _clean_decimal,
    "decimal": _clean_decimal,
    "integer": _clean_integer,
    "date": _clean_date,
    "text": _clean_text,
    "choice": _clean_choice,
    "bool": _clean_bool,
    "list": _clean_list,
    "blobs": _clean_blobs,
    "object": _clean_object,
}


# Constructors: one line per field in a record type's declaration.
def money(da: str, en: str, *, min: str = "0.01", max: str = "100000.00", **kw: Any) -> Field:
    """Kroner as a decimal string with two places ("187.50"); bounds in kr."""
    return Field("money", (da, en), min=Decimal(min), max=Decimal(max), places=2, **kw)


def decimal(da: str, en: str, *, min: str, max: str, places: int = 2, **kw: Any) -> Field:
    """A bounded decimal such as km (places: how many decimals may be given)."""
    return Field("decimal", (da, en), min=Decimal(min), max=Decimal(max), places=places, **kw)


def integer(da: str, en: str, *, min: int, max: int, **kw: Any) -> Field:
    return Field("integer", (da, en), min=min, max=max, **kw)


def day(
    da: str, en: str, *, past_days: int | None = 3 * 366, future_days: int | None = 0, **kw: Any
) -> Field:
    """A real date, "YYYY-MM-DD", between today − past_days and today + future_days (Danish days)."""
    return Field("date", (da, en), past_days=past_days, future_days=future_days, **kw)


def text(da: str, en: str, *, max_length: int = 500, default: str | None = "", **kw: Any) -> Field:
    return Field("text", (da, en), max_length=max_length, default=default, **kw)


def choice(da: str, en: str, choices: tuple[str, ...], **kw: Any) -> Field:
    return Field("choice", (da, en), choices=choices, **kw)


def flag(da: str, en: str, *, default: bool = False) -> Field:
    return Field("bool", (da, en), default=default, nullable=False)


def texts(da: str, en: str, *, max_items: int = 20, max_length: int = 200, **kw: Any) -> Field:
    """A list of short texts (a trip's stops; names of other fields)."""
    return Field(
        "list", (da, en), max_items=max_items, max_length=max_length, default=[], nullable=False, **kw
    )


def blobs(da: str, en: str, *, max_items: int = 10, many: bool = True) -> Field:
    """SHA-256 hashes of uploaded files (photos): a list, or one hash when `many` is False."""
    return Field("blobs", (da, en), max_items=max_items, default=[] if many else None, nullable=not many)


def server_data(da: str, en: str, *, default: Any = None) -> Field:
    """What the server writes (OCR findings, a calculation, a payroll month): never from a push."""
    return Field(
        "object" if not isinstance(default, list) else "list",
        (da, en),
        default={} if default is None else default,
        server=True,
    )


@dataclass(frozen=True)
class Cleaned:
    fields: dict[str, Any]
    ignored: list[str] = field(default_factory=list)
    """Server-owned fields the push tried to set (ignored; the stored values were kept)."""


def today_at(now: datetime) -> date:
    return now.astimezone(LOCAL_TIME).date()


def clean_changes(spec: Mapping[str, Field], incoming: Mapping[str, Any], today: date) -> Cleaned:
    """The pushed values in their stored form: unknown names refused, server-owned names ignored.

    Raises FieldError for the first value a field cannot hold, naming the field.
    """
    unknown = sorted(set(incoming) - set(spec))
    if unknown:
        raise FieldError(f"Ukendt felt: {', '.join(unknown)}.", f"Unknown field: {', '.join(unknown)}.")
    ignored = [name for name in incoming if spec[name].server]
    cleaned = {}
    for name, value in incoming.items():
        if not spec[name].server:
            try:
                cleaned[name] = spec[name].clean(value, today)
            except FieldError as exc:
                raise FieldError(exc.da, exc.en, name) from None
    return Cleaned(cleaned, ignored)


def clean_fields(spec: Mapping[str, Field], incoming: Mapping[str, Any], today: date) -> Cleaned:
    """A new record's full field set: the pushed values cleaned, the defaults for the rest."""
    changes = clean_changes(spec, incoming, today)
    fields = {
        name: changes.fields[name] if name in changes.fields else f.fresh_default()
        for name, f in spec.items()
    }
    return Cleaned(fields, changes.ignored)
