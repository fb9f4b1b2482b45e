"""Two demo municipalities, loaded through the same HR import that real municipalities use.

Idempotent: a second run finds everything in place and changes nothing. Demo users get the
subject "demo:<employee number>", which is what the demo log-in lists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db import audit
from backend.db.engine import make_engine
from backend.db.models import Municipality, User
from backend.features.accounts.chart import WordIn, import_accounts, list_words, replace_words
from backend.features.municipality.service import create_municipality
from backend.features.org.hr_import import import_staff, import_units
from backend.settings import Settings
from backend.workflows import platform

ACCOUNTS = """code;name;function;type;unit_code
3.22.01-2.2;Nordskolen: fødevarer;3.22.01;2.2;SKOLE
3.22.01-2.9;Nordskolen: varer i øvrigt;3.22.01;2.9;SKOLE
3.22.01-4.9;Nordskolen: tjenesteydelser;3.22.01;4.9;SKOLE
5.25.14-2.2;Daginstitutioner: fødevarer;5.25.14;2.2;DAG
5.25.14-2.9;Daginstitutioner: varer i øvrigt;5.25.14;2.9;DAG
5.32.32-2.2;Plejecentre: fødevarer;5.32.32;2.2;PLEJE
5.32.32-2.9;Plejecentre: varer i øvrigt;5.32.32;2.9;PLEJE
6.45.51-2.9;Administration: kontorartikler;6.45.51;2.9;ADM
6.45.51-4.9;Administration: kurser og transport;6.45.51;4.9;ADM
"""
"""A small part of the authorised municipal chart of accounts: function + type (art), and the unit
whose account it is (Demo Kommune's units; the neighbour municipality's chart names none)."""
ACCOUNT_WORDS = {
    "kaffe": "fødevarer",
    "frugt": "fødevarer",
    "kage": "fødevarer",
    "mad": "fødevarer",
    "brændstof": "transport",
    "benzin": "transport",
    "parkering": "transport",
    "togbillet": "transport",
    "kursus": "kurser",
    "papir": "kontorartikler",
    "kuglepen": "kontorartikler",
    "blomster": "varer i øvrigt",
    "legetøj": "varer i øvrigt",
}
"""Everyday words for finding accounts, as a municipality's admin would add them."""


def _accounts_csv(slug: str) -> str:
    if slug == "demo":
        return ACCOUNTS
    return "\n".join(line.rsplit(";", 1)[0] for line in ACCOUNTS.splitlines()) + "\n"


DEMO = {
    "demo": (
        "Demo Kommune",
        """code;name;parent_code;kind
ADM;Administrationen;;administration
ADM-LON;Løn og Personale;ADM;administration
ADM-EJD;Ejendomskontoret;ADM;administration
BORN;Børn og Unge;;area
SKOLE;Nordskolen;BORN;school
DAG;Børnehuset Solsikken;BORN;daycare
OMS;Omsorg og Sundhed;;area
PLEJE;Plejecenter Egebo;OMS;care_home
""",
        """employee_number;name;email;unit_code;roles
1001;Anna Jensen;anna@demo.felt.dk;SKOLE;employee
1002;Bo Nielsen;bo@demo.felt.dk;SKOLE;substitute
1003;Camilla Hansen;camilla@demo.felt.dk;SKOLE;leader,employee
1004;Dorte Pedersen;dorte@demo.felt.dk;SKOLE;secretary,employee
1005;Erik Andersen;erik@demo.felt.dk;PLEJE;planner,employee
1006;Fatima Ali;fatima@demo.felt.dk;PLEJE;employee
1019;Sofie Vang;sofie@demo.felt.dk;OMS;leader,employee
1007;Gitte Larsen;gitte@demo.felt.dk;ADM-LON;payroll,employee
1008;Hans Christensen;hans@demo.felt.dk;ADM;finance,employee
1009;Ida Sørensen;ida@demo.felt.dk;ADM-EJD;property_office,employee
1010;Jens Madsen;jens@demo.felt.dk;ADM-EJD;technician,employee
1011;Karen Olsen;karen@demo.felt.dk;ADM;admin,employee
1012;Lars Poulsen;lars@demo.felt.dk;BORN;leader,employee
1013;Maja Knudsen;maja@demo.felt.dk;DAG;employee
1014;Mette Holm;mette@demo.felt.dk;PLEJE;employee
1015;Nikolaj Berg;nikolaj@demo.felt.dk;PLEJE;employee
1016;Olivia Friis;olivia@demo.felt.dk;PLEJE;employee
1017;Peter Lund;peter@demo.felt.dk;DAG;planner,employee
1018;Rikke Sand;rikke@demo.felt.dk;DAG;employee
""",
    ),
    "nabo": (
        "Nabo Kommune",
        """code;name;parent_code;kind
N-ADM;Rådhuset;;administration
N-SKOLE;Sydskolen;;school
""",
        """employee_number;name;email;unit_code;roles
2001;Nora Berg;nora@nabo.felt.dk;N-SKOLE;employee
2002;Ole Dahl;ole@nabo.felt.dk;N-SKOLE;leader,employee
2003;Pia Holm;pia@nabo.felt.dk;N-ADM;admin,employee
""",
    ),
}


async def seed(settings: Settings) -> str:
    engine = make_engine(settings.database_url, settings.database_schema)
    lines = []
    try:
        async with engine.begin() as connection:
            db = AsyncSession(bind=connection, expire_on_commit=False)
            audit.actor.set(None)
            for slug, (name, units_csv, staff_csv) in DEMO.items():
                municipality = (
                    await db.scalars(select(Municipality).where(Municipality.slug == slug))
                ).one_or_none()
                if municipality is None:
                    municipality = await create_municipality(db, slug, name)
                units = await import_units(db, municipality.id, units_csv.encode())
                staff = await import_staff(db, municipality.id, staff_csv.encode())
                chart = await import_accounts(db, municipality.id, _accounts_csv(slug).encode())
                if not await list_words(db, municipality.id):
                    await replace_words(db, municipality.id, [WordIn(w, m) for w, m in ACCOUNT_WORDS.items()])
                for result in (units, staff, chart):
                    if result.errors:
                        raise RuntimeError(f"demo data for {slug} is invalid: {result.errors}")
                for user in await db.scalars(
                    select(User).where(User.municipality_id == municipality.id, User.subject.is_(None))
                ):
                    user.subject = f"demo:{user.employee_number}"
                await db.flush()
                if slug == "demo":
                    for workflow in platform().workflows:
                        if workflow.seed is not None:
                            await workflow.seed(db, platform(), municipality.id)
                lines.append(
                    f"{name}: units +{units.created} ~{units.updated}, staff +{staff.created} ~{staff.updated}"
                )
            lines.append("Demo log-ins (pick one on the log-in page):")
            for slug, (_name, _units, staff_csv) in DEMO.items():
                for row in staff_csv.strip().splitlines()[1:]:
                    _number, person, _email, unit, roles = row.split(";")
                    lines.append(f"  {slug:5} {person:18} {roles.replace(',', ', '):28} {unit}")
            await db.close()
    finally:
        await engine.dispose()
    return "\n".join(lines)
