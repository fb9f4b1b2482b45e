"""The push rules without a network or a database: the VAPID subject, the 4 KB payload limit, what each
answer of a push service means, Retry-After and the backoff, and the reminder days before the cut-off."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from backend.features.notify.rules.delivery import MAX_PLAINTEXT, Outcome, encode, outcome, retry_delay, topic
from backend.features.notify.rules.reminders import reminder_day, working_days_before
from backend.features.notify.rules.subject import BadSubject, check_subject
from backend.features.notify.send import payload

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "subject", ["mailto:it-drift@holbaek.dk", "https://felt.holbaek.dk", "https://felt.dk/kontakt"]
)
def test_a_real_mailto_or_https_subject_is_accepted(subject: str) -> None:
    assert check_subject(subject) == subject


@pytest.mark.parametrize(
    "subject",
    [
        "mailto:drift@localhost",
        "mailto:drift@felt.local",
        "mailto:@kommune.dk",
        "drift@kommune.dk",
        "http://felt.kommune.dk",
        "https://localhost",
        "https://127.0.0.1",
        "https://felt.test",
        "",
    ],
)
def test_a_subject_apple_would_refuse_is_refused_with_what_to_set(subject: str) -> None:
    with pytest.raises(BadSubject, match=r"mailto:it-drift@kommune\.dk"):
        check_subject(subject)


@pytest.mark.parametrize(
    "status,expected",
    [
        (201, Outcome.SENT),
        (404, Outcome.GONE),
        (410, Outcome.GONE),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (None, Outcome.RETRY),
        (400, Outcome.FAILED),
        (403, Outcome.FAILED),
        (413, Outcome.FAILED),
    ],
)
def test_rfc8030_a_gone_subscription_is_dropped_and_a_busy_service_retried(
    status: int | None, expected: Outcome
) -> None:
    assert outcome(status) is expected


def test_retry_after_in_seconds_or_as_a_date_is_honoured_and_backoff_doubles() -> None:
    assert [retry_delay(a, None, NOW) for a in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(1, "120", NOW) == 120
    assert retry_delay(3, "10", NOW) == 120  # never sooner than our own backoff
    assert retry_delay(1, "Tue, 01 Dec 2026 08:05:00 GMT", NOW) == 300
    assert retry_delay(1, "soon", NOW) == 30
    assert retry_delay(20, None, NOW) == 3600  # at most an hour of our own choosing
    assert retry_delay(1, "7200", NOW) == 7200  # the service's wish stands (the TTL then decides)


def test_rfc8291_a_payload_over_4_kb_becomes_a_short_open_the_app_message() -> None:
    small = {
        "category": "decisions",
        "title": ["Godkendt", "Approved"],
        "body": ["Fint", "Fine"],
        "url": "/#/x",
        "topic": None,
    }
    assert json.loads(payload(small, "en")) == {
        "title": "Approved",
        "body": "Fine",
        "url": "/#/x",
        "tag": None,
    }
    big = small | {"body": ["æ" * 3000, "e" * 3000]}
    da = json.loads(payload(big, "da"))
    assert da["title"] == "Felt" and "Åbn appen" in da["body"] and da["url"] == "/#/x"
    assert len(payload(small | {"body": ["e" * 3000, "e"]}, "da")) <= MAX_PLAINTEXT
    assert len(encode({"x": "y" * MAX_PLAINTEXT}, {"short": True})) < 100


def test_rfc8030_a_topic_is_at_most_32_url_safe_characters() -> None:
    assert topic("waiting") == "waiting"
    assert topic("digest for leader 12 in unit/åby" * 2) == "digest-for-leader-12-in-unit--by"


def test_the_reminder_comes_two_working_days_before_the_cutoff() -> None:
    assert reminder_day(date(2026, 12, 18)) == date(2026, 12, 16)  # Fri → Wed
    assert reminder_day(date(2026, 1, 19)) == date(2026, 1, 15)  # Mon → Thu (over the weekend)
    # 18 May 2026 is a Monday; the Thursday before is Ascension Day (Kristi himmelfartsdag).
    assert reminder_day(date(2026, 5, 18)) == date(2026, 5, 13)
    # Christmas Day is a public holiday; Christmas Eve is not (holidays_dk).
    assert working_days_before(date(2026, 12, 28), 1) == date(2026, 12, 24)


def test_the_municipalitys_own_day_moves_back_to_a_working_day() -> None:
    assert reminder_day(date(2026, 12, 18), 7) == date(2026, 12, 7)  # a Monday
    assert reminder_day(date(2026, 11, 18), 28) == date(2026, 11, 27)  # Saturday → Friday
    assert reminder_day(date(2026, 2, 18), 31) == date(2026, 2, 27)  # the month's last day, a Saturday
    with pytest.raises(ValueError):
        reminder_day(date(2026, 2, 18), 32)
