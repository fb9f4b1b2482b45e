"""The one-time sign-in code's rules (backend/auth/one_time_code.py; NIST SP 800-63B §5.1.3, OWASP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.auth import one_time_code as otc

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = "server-secret"


def test_a_code_is_six_random_digits() -> None:
    codes = {otc.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 190  # random, not a counter


def test_only_a_keyed_hash_is_stored_and_the_typed_code_may_have_spaces() -> None:
    stored = otc.code_hash(KEY, "048213")
    assert "048213" not in stored and len(stored) == 64
    assert otc.matches(KEY, "048 213", stored) and otc.matches(KEY, "048-213", stored)
    assert not otc.matches(KEY, "048214", stored)
    assert not otc.matches("another-key", "048213", stored)  # a leaked table alone cannot be brute-forced


def test_a_code_is_good_for_ten_minutes_once_and_five_wrong_tries_lock_it() -> None:
    fresh = otc.CodeState(NOW, used=False, wrong_tries=0)
    assert otc.usable(fresh, NOW + timedelta(minutes=10))
    assert not otc.usable(fresh, NOW + timedelta(minutes=10, seconds=1))
    assert not otc.usable(otc.CodeState(NOW, used=True, wrong_tries=0), NOW)
    assert otc.usable(otc.CodeState(NOW, used=False, wrong_tries=4), NOW)
    assert not otc.usable(otc.CodeState(NOW, used=False, wrong_tries=5), NOW)


def test_three_codes_per_address_in_fifteen_minutes_then_a_danish_refusal() -> None:
    sent = [NOW - timedelta(minutes=14), NOW - timedelta(minutes=5)]
    assert otc.may_send(sent, NOW) is None
    refused = otc.may_send([*sent, NOW - timedelta(minutes=1)], NOW)
    assert refused is not None
    assert (
        refused[0]
        == "Der er sendt 3 koder til den adresse for nylig. Brug den seneste, eller prøv igen om 2 minutter."
    )
    assert refused[1].startswith("3 codes were sent to that address recently")
    assert otc.may_send([NOW - timedelta(minutes=16)] * 5, NOW) is None  # older ones no longer count


def test_addresses_are_compared_trimmed_and_in_lower_case() -> None:
    assert otc.normalise_email("  Anna@Example.ORG ") == "anna@example.org"


def test_a_requested_address_is_counted_under_a_keyed_hash_not_kept_as_written() -> None:
    key = otc.address_key(KEY, "anna@example.org")
    assert key == otc.address_key(KEY, "anna@example.org") and len(key) == 64
    assert "anna" not in key and key != otc.address_key(KEY, "bo@example.org")
    assert key != otc.address_key("another-key", "anna@example.org")
    assert key != otc.code_hash(KEY, "anna@example.org")  # its own purpose: no code's hash
