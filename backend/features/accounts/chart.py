"""The municipality's chart of accounts: imported from its CSV, searched with favourites and recent first."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.models import Account, AccountFavourite
from backend.db.sync_tables import SYNC
from backend.errors import NotFound
from backend.features.org.hr_csv import LineError, read_rows
from backend.features.org.hr_import import ImportResult, record_import, set_fields


class AccountOut(msgspec.Struct):
    code: str
    name: str
    function: str | None
    type: str | None
    favourite: bool
    recent: bool


async def import_accounts(db: AsyncSession, municipality_id: int, data: bytes) -> ImportResult:
    """CSV `code;name;function;type`. Accounts not in the file are deactivated (old receipts keep theirs)."""
    rows, errors, seen = [], [], {}  # type: ignore[var-annotated]
    for line, row in read_rows(data, {"code", "name"}):
        if not row["code"] or not row["name"]:
            errors.append(LineError(line, "Kode og navn skal udfyldes.", "Code and name are required."))
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


async def search(db: AsyncSession, principal: Principal, q: str | None) -> list[AccountOut]:
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
    words = (q or "").lower().split()
    found = [
        a
        for a in accounts
        if all(w in f"{a.code} {a.name} {a.function or ''} {a.type or ''}".lower() for w in words)
    ]
    # Favourites first, then recently used (most recent first), then the chart's own order.
    found.sort(
        key=lambda a: (a.id not in favourites, recent.index(a.code) if a.code in recent else len(recent))
    )
    return [
        AccountOut(a.code, a.name, a.function, a.type, a.id in favourites, a.code in recent) for a in found
    ]


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
