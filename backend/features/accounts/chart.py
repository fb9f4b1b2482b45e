"""The municipality's chart of accounts: imported from its CSV, searched with favourites, recently
used and the employee's own unit's accounts first, by code, name or everyday words.

Everyday words (`AccountWord`) are the municipality's own: "kaffe" means "fødevarer", "brændstof"
means "transport"; the admin keeps the list. Each account carries the words that lead to it, so the
phone searches its cached chart offline the same way the server does.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.models import Account, AccountFavourite, AccountWord, OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Invalid, NotFound
from backend.features.org.hr_csv import LineError, read_rows
from backend.features.org.hr_import import ImportResult, record_import, set_fields


class AccountOut(msgspec.Struct):
    code: str
    name: str
    function: str | None
    type: str | None
    favourite: bool
    recent: bool
    own: bool = False
    """The account of the employee's own unit (or a unit above it)."""
    words: list[str] = msgspec.field(default_factory=list)
    """The municipality's everyday words that lead to this account ("kaffe")."""


class WordIn(msgspec.Struct):
    word: str
    means: str


class WordOut(msgspec.Struct):
    word: str
    means: str
    accounts: int
    """How many active accounts the word finds (0: check the spelling of `means`)."""


MAX_WORDS = 500


async def import_accounts(db: AsyncSession, municipality_id: int, data: bytes) -> ImportResult:
    """CSV `code;name;function;type[;unit_code]`; `unit_code` is the HR code of the unit whose account it
    is (its employees see it first). Accounts not in the file are deactivated (old receipts keep theirs)."""
    units = {
        code: uid
        for code, uid in await db.execute(
            select(OrgUnit.code, OrgUnit.id).where(OrgUnit.municipality_id == municipality_id)
        )
    }
    rows, errors, seen = [], [], {}  # type: ignore[var-annotated]
    for line, row in read_rows(data, {"code", "name"}):
        if not row["code"] or not row["name"]:
            errors.append(LineError(line, "Kode og navn skal udfyldes.", "Code and name are required."))
        elif row.get("unit_code") and row["unit_code"] not in units:
            errors.append(
                LineError(
                    line,
                    f"Enheden {row['unit_code']} findes ikke (indlæs enhederne først).",
                    f"Unit {row['unit_code']} does not exist (import the units first).",
                )
            )
        elif row["code"] in seen:
            errors.append(
                LineError(
                    line,
                    f"Konto {row['code']} står også i linje {seen[row['code']]}.",
                    f"Account {row['code']} is also on line {seen[row['code']]}.",
                )
            )
        else:
            seen[row["code"]] = line
            rows.append(row)
    if errors:
        return ImportResult(errors=errors)
    existing = {
        a.code: a for a in await db.scalars(select(Account).where(Account.municipality_id == municipality_id))
    }
    result = ImportResult()
    for row in rows:
        values = {
            "name": row["name"],
            "function": row.get("function") or None,
            "type": row.get("type") or None,
            "active": True,
            "unit_id": units.get(row.get("unit_code") or ""),
        }
        account = existing.get(row["code"])
        if account is None:
            db.add(Account(municipality_id=municipality_id, code=row["code"], **values))
            result.created += 1
        elif set_fields(account, **values):
            result.updated += 1
        else:
            result.unchanged += 1
    for code, account in existing.items():
        if code not in seen and account.active:
            account.active = False
            result.deactivated += 1
    record_import(db, municipality_id, "account", result)
    return result


async def _recent_codes(db: AsyncSession, user_id: int) -> list[str]:
    r = SYNC.record.c
    rows = await db.execute(
        select(r.fields)
        .where(r.owner_id == user_id, r.type == "receipt")
        .order_by(r.updated_at.desc())
        .limit(50)
    )
    codes: list[str] = []
    for (fields,) in rows:
        code = fields.get("account")
        if code and code not in codes:
            codes.append(code)
    return codes[:8]


def _text(a: Account) -> str:
    return f"{a.code} {a.name} {a.function or ''} {a.type or ''}".lower()


def _means(means: str) -> list[str]:
    return [m.strip().lower() for m in means.split(",") if m.strip()]


def words_for(account_text: str, words: Sequence[AccountWord]) -> list[str]:
    """The everyday words whose meaning is found in an account's text (lower case), in list order."""
    return [w.word for w in words if any(m in account_text for m in _means(w.means))]


async def _own_paths(db: AsyncSession, user_id: int) -> str:
    """The employee's unit's path ("1/4/9/"): accounts of that unit or a unit above it are theirs."""
    path = await db.scalar(
        select(OrgUnit.path).join(User, User.unit_id == OrgUnit.id).where(User.id == user_id)
    )
    return path or ""


async def search(db: AsyncSession, principal: Principal, q: str | None) -> list[AccountOut]:
    """Active accounts matching every word of `q` in code, name, function, type or everyday words;
    favourites first, then recently used (most recent first), then the employee's own unit's, then
    the chart's order."""
    accounts: Sequence[Account] = (
        await db.scalars(
            select(Account)
            .where(Account.municipality_id == principal.municipality_id, Account.active.is_(True))
            .order_by(Account.code)
        )
    ).all()
    favourites = set(
        (
            await db.scalars(
                select(AccountFavourite.account_id).where(AccountFavourite.user_id == principal.user_id)
            )
        ).all()
    )
    recent = await _recent_codes(db, principal.user_id)
    words = await list_words(db, principal.municipality_id)
    own_path = await _own_paths(db, principal.user_id)
    unit_paths: dict[int, str] = {
        uid: path
        for uid, path in await db.execute(
            select(OrgUnit.id, OrgUnit.path).where(OrgUnit.municipality_id == principal.municipality_id)
        )
    }
    query = (q or "").lower().split()
    found = []
    for a in accounts:
        text = _text(a)
        everyday = words_for(text, words)
        haystack = f"{text} {' '.join(everyday)}".lower()
        if all(w in haystack for w in query):
            own = (
                a.unit_id is not None
                and bool(own_path)
                and own_path.startswith(unit_paths.get(a.unit_id, "\0"))
            )
            found.append(
                AccountOut(
                    a.code, a.name, a.function, a.type, a.id in favourites, a.code in recent, own, everyday
                )
            )
    found.sort(
        key=lambda a: (
            not a.favourite,
            recent.index(a.code) if a.code in recent else len(recent),
            not a.own,
        )
    )
    return found


async def list_words(db: AsyncSession, municipality_id: int) -> Sequence[AccountWord]:
    return (
        await db.scalars(
            select(AccountWord)
            .where(AccountWord.municipality_id == municipality_id)
            .order_by(AccountWord.word)
        )
    ).all()


async def words_out(db: AsyncSession, municipality_id: int) -> list[WordOut]:
    """The everyday words with how many active accounts each finds."""
    texts = [
        _text(a)
        for a in await db.scalars(
            select(Account).where(Account.municipality_id == municipality_id, Account.active.is_(True))
        )
    ]
    return [
        WordOut(w.word, w.means, sum(any(m in t for m in _means(w.means)) for t in texts))
        for w in await list_words(db, municipality_id)
    ]


def _checked(words: Sequence[WordIn]) -> dict[str, str]:
    """The list as it is kept (word → means, lower case); raises Invalid with the first problem."""
    kept: dict[str, str] = {}
    if len(words) > MAX_WORDS:
        raise Invalid(f"Højst {MAX_WORDS} ord.", f"At most {MAX_WORDS} words.")
    for item in words:
        word, means = item.word.strip().lower(), ", ".join(_means(item.means))
        if not word or not means:
            raise Invalid(
                "Hvert ord skal have både ordet og hvad det betyder i kontoplanen.",
                "Each word needs both the word and what it means in the chart of accounts.",
            )
        if len(word) > 60 or len(means) > 300:
            raise Invalid(
                f"«{word[:60]}» er for langt (ordet højst 60 tegn, betydningen højst 300).",
                f"'{word[:60]}' is too long (the word at most 60 characters, the meaning 300).",
            )
        if word in kept:
            raise Invalid(f"«{word}» står to gange.", f"'{word}' is listed twice.")
        kept[word] = means
    return kept


async def replace_words(db: AsyncSession, municipality_id: int, words: Sequence[WordIn]) -> list[WordOut]:
    """The admin's list replaces the municipality's everyday words (safe to send twice)."""
    kept = _checked(words)
    existing = {w.word: w for w in await list_words(db, municipality_id)}
    for word, row in existing.items():
        if word not in kept:
            await db.delete(row)
    for word, means in kept.items():
        if word in existing:
            set_fields(existing[word], means=means)
        else:
            db.add(AccountWord(municipality_id=municipality_id, word=word, means=means))
    await db.flush()
    return await words_out(db, municipality_id)


async def set_favourite(db: AsyncSession, principal: Principal, code: str, favourite: bool) -> None:
    account = (
        await db.scalars(
            select(Account).where(Account.municipality_id == principal.municipality_id, Account.code == code)
        )
    ).one_or_none()
    if account is None:
        raise NotFound(f"Kontoen {code} findes ikke.", f"Account {code} does not exist.")
    await db.execute(
        delete(AccountFavourite).where(
            AccountFavourite.user_id == principal.user_id, AccountFavourite.account_id == account.id
        )
    )
    if favourite:
        db.add(AccountFavourite(user_id=principal.user_id, account_id=account.id))
