"""Mileage on the shared mechanisms: trips sync, the server calculates, the leader approves from the inbox,
payroll exports each approved trip once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import User
from backend.features.mileage import settings as mileage_settings
from backend.features.mileage.models import DrivingAuthorisation, MileageRate
from backend.features.mileage.rules.sixty_days import working_days
from backend.settings import Settings
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio

MONDAY = "2025-03-10"


def trip(**changes: Any) -> dict[str, Any]:
    fields = {
        "date": MONDAY,
        "purpose": "Møde med forældre",
        "from_place": "Nordskolen",
        "to_place": "Rådhuset",
        "km": "50",
        "vehicle": "car",
        "own_vehicle": True,
    }
    return fields | changes


async def log_trips(
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    user: User,
    *trips: dict[str, Any],
    submit: bool = True,
) -> tuple[Device, list[str]]:
    await sign_in(client, db, user, settings)
    device = Device(client, "trip")
    ids = [new_id() for _ in trips]
    mutations = [device.put(i, t) for i, t in zip(ids, trips, strict=True)]
    if submit:
        mutations += [device.move(i, "submit") for i in ids]
    results = (await device.push(*mutations))["results"]
    assert all(r["status"] == "applied" for r in results), results
    return device, ids


async def as_leader(client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World) -> None:
    await sign_in(client, db, world.by_role[Role.LEADER], settings)


async def test_the_server_calculates_each_trip_and_the_phone_gets_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    forged = trip(calc={"amount": "9999.00"}, payroll={"month": "2020-01"})  # the server's fields are its own
    device, [tid] = await log_trips(client, db, settings, world.in_a1, forged, submit=False)
    fields = (await device.pull())[tid]["fields"]
    assert fields["payroll"] == {}
    calc = fields["calc"]
    assert calc["amount"] == "111.50" and calc["rate_applied"] == "low"  # 50 km × 2.23, no authorisation
    assert any(line["code"] == "rate_low" for line in calc["explanation"])
    assert calc["leader_note"] is False


async def test_a_driving_authorisation_pays_the_high_rate(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    db.add(
        DrivingAuthorisation(
            municipality_id=world.municipality.id,
            user_id=world.in_a1.id,
            valid_from=dt.date(2025, 1, 1),
            reference="J.nr. 7",
        )
    )
    await db.commit()
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip(), submit=False)
    calc = (await device.pull())[tid]["fields"]["calc"]
    assert calc["amount"] == "190.50" and calc["rate_applied"] == "high"  # 50 km × 3.81


async def test_an_admin_grants_and_withdraws_a_driving_authorisation(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip(), submit=False)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    unknown = await client.post(
        "/api/mileage/authorisations", json={"employee_number": "X", "valid_from": "2025-01-01"}
    )
    assert unknown.status_code == 404
    made = await client.post(
        "/api/mileage/authorisations",
        json={"employee_number": "M90", "valid_from": "2025-01-01", "reference": "J7"},
    )
    assert made.status_code == 201, made.text
    assert [a["name"] for a in (await client.get("/api/mileage/authorisations")).json()] == ["Employee in A1"]
    await sign_in(client, db, world.in_a1, settings)
    assert (await device.pull())[tid]["fields"]["calc"]["rate_applied"] == "high"
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    assert (await client.delete(f"/api/mileage/authorisations/{made.json()['id']}")).status_code == 204
    await sign_in(client, db, world.in_a1, settings)
    assert (await device.pull())[tid]["fields"]["calc"]["rate_applied"] == "low"


async def test_an_authorisation_limited_to_a_place_is_stored_shown_changed_and_applied(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 12, item 4: an authorisation only for trips to Skolen Vest; the trip to Plejecenter Egebo
    is paid at the low rate (111.50, not 190.50)."""
    world = await build_world(db)
    device, [vest, egebo] = await log_trips(
        client,
        db,
        settings,
        world.in_a1,
        trip(to_place="Skolen Vest"),
        trip(to_place="Plejecenter Egebo"),
        submit=False,
    )
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    typo = {"employee_number": "M90", "valid_from": "2025-01-01", "places": ["Skolen Vest"]}
    assert (await client.post("/api/mileage/authorisations", json=typo)).status_code == 400  # never dropped
    made = await client.post(
        "/api/mileage/authorisations",
        json={"employee_number": "M90", "valid_from": "2025-01-01", "workplaces": [" Skolen  Vest ", ""]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["workplaces"] == ["Skolen Vest"]
    [listed] = (await client.get("/api/mileage/authorisations")).json()
    assert listed["workplaces"] == ["Skolen Vest"]
    await sign_in(client, db, world.in_a1, settings)
    pulled = await device.pull()
    assert pulled[vest]["fields"]["calc"]["amount"] == "190.50"
    assert pulled[egebo]["fields"]["calc"]["amount"] == "111.50"

    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    changed = await client.put(
        f"/api/mileage/authorisations/{listed['id']}",
        json={**listed, "workplaces": ["Plejecenter Egebo"]} | {"id": listed["id"]},
    )
    assert changed.status_code == 400  # id and name are not input
    body = {k: listed[k] for k in ("employee_number", "valid_from", "valid_to", "reference")}
    changed = await client.put(
        f"/api/mileage/authorisations/{listed['id']}", json={**body, "workplaces": ["Plejecenter Egebo"]}
    )
    assert changed.status_code == 200, changed.text
    await sign_in(client, db, world.in_a1, settings)
    pulled = await device.pull()
    assert pulled[vest]["fields"]["calc"]["amount"] == "111.50"
    assert pulled[egebo]["fields"]["calc"]["amount"] == "190.50"


async def test_the_leader_approves_a_month_and_payroll_exports_it_once(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, ids = await log_trips(
        client, db, settings, world.in_a1, trip(), trip(date="2025-03-11", km="20.5", vehicle="bicycle")
    )
    await as_leader(client, db, settings, world)
    inbox = (await client.get("/api/inbox")).json()
    mine = [item for item in inbox if item["record"]["id"] in ids]
    assert len(mine) == 2 and all(item["actions"] == ["approve", "reject"] for item in mine)
    assert mine[0]["owner_name"] == "Employee in A1"
    results = (await client.post("/api/inbox/trip/approve", json={"ids": ids})).json()
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert (await client.get("/api/inbox")).json() == []

    await sign_in(client, db, world.in_a1, settings)
    trips = await device.pull()
    leader = world.by_role[Role.LEADER].id
    for tid in ids:
        assert trips[tid]["state"] == "approved"
        assert trips[tid]["history"][-1]["by"] == leader  # the approval trail: who and when
        assert trips[tid]["fields"]["payroll"]["month"]
    period = trips[ids[0]]["fields"]["payroll"]["month"]

    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    pending = (await client.get("/api/payroll/exports")).json()["pending"]
    assert [(p["period"], p["lines"], p["total"]) for p in pending] == [
        (period, 2, "124.42")
    ]  # 111.50 + 20.5 × 0.63
    made = await client.post("/api/payroll/exports", json={"period": period})
    assert made.status_code == 201, made.text
    export = made.json()
    assert export["line_count"] == 2
    file = await client.get(f"/api/payroll/exports/{export['id']}/file")
    rows = file.text.strip().split("\r\n")
    assert rows[0] == "employee_number;wage_type;quantity;rate;amount;period;reference;flag"
    assert rows[1] == f"M90;KM-LAV;50.00;2.2300;111.50;{period};trip:{ids[0]};"  # no flag
    assert rows[2] == f"M90;KM-CYKEL;20.50;0.6300;12.92;{period};trip:{ids[1]};"
    again = await client.post("/api/payroll/exports", json={"period": period})
    assert again.status_code == 200 and again.json()["created"] is False  # nothing is ever sent twice
    assert (await client.get(f"/api/payroll/exports/{export['id']}/file")).text == file.text

    await sign_in(client, db, world.in_a1, settings)
    assert {r["state"] for r in (await device.pull()).values()} == {"sent_to_payroll"}

    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    paid = await client.post(f"/api/payroll/exports/{export['id']}/paid")
    assert paid.status_code == 200 and paid.json()["paid_at"]
    assert (await client.post(f"/api/payroll/exports/{export['id']}/paid")).status_code == 409
    await sign_in(client, db, world.in_a1, settings)
    assert {r["state"] for r in (await device.pull()).values()} == {"paid"}


async def test_an_approved_trip_cannot_be_edited(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await as_leader(client, db, settings, world)
    await client.post("/api/inbox/trip/approve", json={"ids": [tid]})
    await sign_in(client, db, world.in_a1, settings)
    result = (await device.push(device.put(tid, {"km": "500"})))["results"][0]
    assert result["status"] == "rejected"
    assert result["reason"] == "Posten er godkendt og kan ikke længere ændres."


async def test_a_rejection_needs_a_reason_and_the_employee_can_fix_and_resubmit(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await as_leader(client, db, settings, world)
    refused = (await client.post("/api/inbox/trip/reject", json={"ids": [tid]})).json()[0]
    assert refused["status"] == "rejected" and refused["reason"] == "Skriv en begrundelse."
    done = (await client.post("/api/inbox/trip/reject", json={"ids": [tid], "note": "Forkert dato"})).json()[
        0
    ]
    assert done["status"] == "applied"
    await sign_in(client, db, world.in_a1, settings)
    record = (await device.pull())[tid]
    assert record["state"] == "rejected" and record["history"][-1]["note"] == "Forkert dato"
    results = (await device.push(device.put(tid, {"date": "2025-03-12"}), device.move(tid, "submit")))[
        "results"
    ]
    assert [r["status"] for r in results] == ["applied", "applied"]


async def test_nobody_approves_their_own_trip_or_another_units(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    _, [in_b] = await log_trips(client, db, settings, world.in_b, trip())
    _, [own] = await log_trips(client, db, settings, world.by_role[Role.LEADER], trip())
    await as_leader(client, db, settings, world)
    assert (await client.get("/api/inbox")).json() == []
    results = (await client.post("/api/inbox/trip/approve", json={"ids": [in_b, own]})).json()
    assert [r["status"] for r in results] == ["rejected", "rejected"]


async def test_a_missing_rate_stops_the_trip_with_a_message_never_a_zero_payout(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await mileage_settings.rates(db, world.municipality.id)  # the shipped rates, copied for the municipality
    await db.execute(
        delete(MileageRate).where(
            MileageRate.municipality_id == world.municipality.id,
            MileageRate.effective_from >= dt.date(2024, 1, 1),
            MileageRate.effective_from < dt.date(2025, 1, 1),
        )
    )
    await db.commit()
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip(date="2024-06-01"), submit=False)
    calc = (await device.pull())[tid]["fields"]["calc"]
    assert "amount" not in calc and calc["error"]["code"] == "rate_missing"
    assert "Der mangler en kørselssats" in calc["error"]["da"]
    result = (await device.push(device.move(tid, "submit")))["results"][0]
    assert result["status"] == "rejected" and "Der mangler en kørselssats" in result["reason"]


@pytest.mark.parametrize(
    "changes,why",
    [
        ({"own_vehicle": False}, "eget køretøj"),
        ({"purpose": " "}, "formålet"),
    ],
)
async def test_a_draft_keeps_what_was_typed_and_its_submission_is_refused_with_why(
    changes: dict[str, Any], why: str, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device = Device(client, "trip")
    tid = new_id()
    results = (await device.push(device.put(tid, trip(**changes)), device.move(tid, "submit")))["results"]
    assert results[0]["status"] == "applied"  # a draft keeps what was typed: nothing is lost
    assert results[1]["status"] == "rejected" and why in results[1]["reason"], results[1]


@pytest.mark.parametrize(
    "changes,why,field",
    [
        ({"km": "-5"}, "Antal km skal være mindst 0,1.", "km"),
        ({"km": "0"}, "Antal km skal være mindst 0,1.", "km"),
        ({"km": "99999"}, "Antal km må højst være 1.500.", "km"),
        ({"km": "12,5"}, "Antal km skal skrives som et tal med punktum", "km"),
        ({"date": "2099-01-01"}, "Dato kan ikke ligge i fremtiden.", "date"),
        ({"date": "2026-02-30"}, "Dato skal være en rigtig dato", "date"),
        ({"vehicle": "rocket"}, "Køretøj skal være en af: car, bicycle.", "vehicle"),
    ],
)
async def test_a_value_the_field_cannot_hold_is_refused_at_once_naming_the_field(
    changes: dict[str, Any],
    why: str,
    field: str,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device = Device(client, "trip")
    tid = new_id()
    results = (await device.push(device.put(tid, trip(**changes)), device.move(tid, "submit")))["results"]
    assert results[0]["status"] == "rejected" and why in results[0]["reason"], results[0]
    assert results[0]["fields"] == [field]
    assert results[1]["status"] == "rejected"  # nothing was stored: there is nothing to submit


async def test_duplicates_and_the_municipalitys_limits_go_to_the_leader_with_a_note(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    current = (await client.get("/api/mileage/settings")).json()
    changed = await client.put("/api/mileage/settings", json={**current, "max_km_per_trip": "40"})
    assert changed.status_code == 200, changed.text
    device, ids = await log_trips(client, db, settings, world.in_a1, trip(), trip())
    trips = await device.pull()
    flags = sorted([f["code"] for f in trips[i]["fields"]["calc"]["flags"]] for i in ids)
    assert flags == [["limit_trip"], ["limit_trip", "duplicate"]]  # the later of the two is the duplicate
    assert all(trips[i]["fields"]["calc"]["leader_note"] for i in ids)


async def test_a_limit_of_minus_3_or_abc_is_refused_with_a_reason_and_the_old_limit_stays(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 12, item 13: "-3" or "abc" as a limit is refused with a message, never saved as "no limit";
    the form checks with the same declarations the server sends."""
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    current = (await client.get("/api/mileage/settings")).json()
    assert current["fields"]["max_km_per_trip"]["min"] == "0.1"
    assert (
        await client.put("/api/mileage/settings", json={**current, "max_km_per_trip": "40"})
    ).status_code == 200
    for bad in ("-3", "0", "abc", "12.345"):
        refused = await client.put("/api/mileage/settings", json={**current, "max_km_per_trip": bad})
        assert 400 <= refused.status_code < 500, (bad, refused.text)
    minus = await client.put("/api/mileage/settings", json={**current, "max_km_per_month": "-3"})
    assert "Grænse pr. måned skal være mindst 0,1" in minus.text
    assert (await client.get("/api/mileage/settings")).json()["max_km_per_trip"] == "40.0"


async def test_rates_are_data_an_admin_corrects(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip(), submit=False)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    current = (await client.get("/api/mileage/settings")).json()
    rates = [
        {**r, "kr_per_km": "2.30"}
        if (r["kind"], r["effective_from"]) == ("car_above_20000", "2025-01-01")
        else r
        for r in current["rates"]
    ]
    assert (await client.put("/api/mileage/settings", json={**current, "rates": rates})).status_code == 200
    bad = await client.put(
        "/api/mileage/settings", json={**current, "rates": [{**rates[0], "kr_per_km": "0"}]}
    )
    assert bad.status_code == 400
    await sign_in(client, db, world.in_a1, settings)
    assert (await device.pull())[tid]["fields"]["calc"]["amount"] == "115.00"


async def test_an_employee_downloads_their_own_mileage_log(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await log_trips(client, db, settings, world.in_b, trip(purpose="Ikke min"))
    await log_trips(client, db, settings, world.in_a1, trip(), submit=False)
    response = await client.get("/api/mileage/log.csv", params={"year": 2025})
    assert response.headers["content-disposition"].endswith('koerselsregnskab-2025.csv"')
    lines = response.text.strip().split("\r\n")
    assert lines[1] == "2025-03-10;Møde med forældre;Nordskolen;;Rådhuset;50;car;low;2.23;111.50;en kladde"
    assert len(lines) == 2


async def test_payroll_sees_who_is_not_yet_approved(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await log_trips(client, db, settings, world.in_a1, trip(), trip(date="2025-03-11"))
    await log_trips(client, db, settings, world.in_b, trip(), submit=False)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    body = (await client.get("/api/payroll/unapproved")).json()
    people = {p["name"]: (p["waiting"], p["drafts"]) for p in body["people"]}
    assert people == {"Employee in A1": (2, 0), "Employee in B": (0, 1)}
    assert body["cutoff"].endswith("-18")


async def test_a_round_trip_from_home_deducts_the_commute_twice_on_the_server(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Home ↔ usual workplace 12 km; home → Plejecenter Egebo → home, 60 km with the round-trip switch: 36 km paid."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    places = Device(client, "place")
    await places.push(places.put(new_id(), {"name": "Hjem", "kind": "home", "km_to_work": "12"}))
    egebo = trip(
        from_place="Hjem", to_place="Plejecenter Egebo", km="60", round_trip=True, starts_at_home=True
    )
    device, [tid] = await log_trips(client, db, settings, world.in_a1, egebo, submit=False)
    calc = (await device.pull())[tid]["fields"]["calc"]
    assert (calc["home_deduction_km"], calc["payable_km"]) == ("24", "36")
    assert calc["amount"] == str(
        (Decimal(36) * Decimal(calc["parts"][0]["kr_per_km"])).quantize(Decimal("0.01"))
    )


async def test_home_to_a_place_and_home_again_counts_for_the_60_days_without_a_named_workplace(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """61 working days of home → Skolen Vest → home, entered with both ends at home: the 61st is not tax-free."""
    world = await build_world(db)
    days = working_days(dt.date(2025, 1, 6), 61)
    shape = {"from_place": "Hjem", "to_place": "Hjem", "stops": ["Skolen Vest"], "km": "20"}
    trips = [trip(date=d.isoformat(), starts_at_home=True, ends_at_home=True, **shape) for d in days]
    device, ids = await log_trips(client, db, settings, world.in_a1, *trips, submit=False)
    pulled = await device.pull()
    amounts = [Decimal(pulled[i]["fields"]["calc"]["amount"]) for i in ids]
    assert all(a > 0 for a in amounts[:60]) and amounts[60] == 0


async def test_a_day_marked_at_the_workplace_without_the_car_counts_for_the_60_day_rule(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 12, item 3 (skat.dk: days at the workplace by bus, bike or on foot count): 59 days driven
    to Skolen Vest + 1 day there by bus make the next trip day 61: not tax-free. Unmarking it pays again."""
    world = await build_world(db)
    days = working_days(dt.date(2025, 1, 6), 61)
    bus_day = days.pop(30)
    shape = {"from_place": "Hjem", "to_place": "Skolen Vest", "km": "20", "starts_at_home": True}
    trips = [trip(date=d.isoformat(), **shape) for d in days]
    device, ids = await log_trips(client, db, settings, world.in_a1, *trips, submit=False)
    assert Decimal((await device.pull())[ids[-1]]["fields"]["calc"]["amount"]) > 0

    marked = new_id()
    mark = {
        **device.put(marked, {"date": bus_day.isoformat(), "workplace": "skolen vest"}),
        "type": "no_car_day",
    }
    [result] = (await device.push(mark))["results"]
    assert result["status"] == "applied", result
    pulled = await device.pull()
    assert pulled[marked]["fields"]["workplace"] == "skolen vest"
    assert pulled[ids[-1]]["fields"]["calc"]["amount"] == "0.00"
    assert Decimal(pulled[ids[-2]]["fields"]["calc"]["amount"]) > 0  # the 60th day: still paid

    [removed] = (await device.push({**device.delete(marked), "type": "no_car_day"}))["results"]
    assert removed["status"] == "applied", removed
    assert Decimal((await device.pull())[ids[-1]]["fields"]["calc"]["amount"]) > 0


async def test_a_trip_across_new_year_is_split_by_driving_time_and_a_bad_time_is_refused(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 12, item 5: 31 Dec 2025 23:00 → 1 Jan 2026 02:00, 60 km: 20 km × 2.23 + 40 km × 2.28 = 135.80."""
    world = await build_world(db)
    night = trip(date="2025-12-31", km="60", start_time="23:00", end_time="02:00")
    device, [tid] = await log_trips(client, db, settings, world.in_a1, night, submit=False)
    calc = (await device.pull())[tid]["fields"]["calc"]
    assert calc["amount"] == "135.80"
    assert [(p["km"], p["kr_per_km"]) for p in calc["parts"]] == [("20.0", "2.23"), ("40.0", "2.28")]
    assert calc["explanation"][0]["code"] == "midnight_split"
    [refused] = (await device.push(device.put(new_id(), trip(end_time="25:00"))))["results"]
    assert refused["status"] == "rejected" and refused["fields"] == ["end_time"], refused
