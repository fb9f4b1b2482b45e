"""One-time sign-in codes for people outside the municipality's identity provider (invited substitutes,
relief families). Plain Python: no framework, no database; tested in tests/unit/test_one_time_code.py.

The rules, after NIST SP 800-63B §5.1.3 (out-of-band authenticators: a short-lived secret, used once,
compared in constant time) and OWASP's Authentication and Forgot-Password cheat sheets (limit requests
per address and per account, limit wrong guesses, do not reveal which addresses exist):

- a code is 6 random digits (`secrets`), valid `TTL` (10 minutes), good for one sign-in;
- only its keyed hash (HMAC-SHA256 with the server's secret key) is stored;
- `MAX_WRONG` wrong tries lock that code (a new one must be asked for);
- at most `MAX_PER_ADDRESS` requests for a code are accepted for one e-mail address per `WINDOW`
  (15 minutes), so nobody can flood a mailbox through Felt; the per-client-address limit is the web
  layer's (CODE_LIMIT). Requests are counted per address whether or not it is invited (stored under
  `address_key`, a keyed hash), so the limit's answer does not tell invited addresses from others.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DIGITS = 6
TTL = timedelta(minutes=10)
MAX_WRONG = 5
WINDOW = timedelta(minutes=15)
MAX_PER_ADDRESS = 3
INVITED_SUBJECT = "invited:"
"""The `subject` prefix of a user who signs in with a code (an invited outsider), never an IdP subject."""


def new_code() -> str:
    """Six random digits, e.g. "048213"."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def normalise_email(address: str) -> str:
    """The form an address is stored and compared in: trimmed, lower case."""
    return address.strip().lower()


def normalise_code(typed: str) -> str:
    """What the person typed, without spaces or dashes ("048 213" → "048213")."""
    return "".join(c for c in typed if c.isdigit())


def address_key(secret_key: str, email: str) -> str:
    """The keyed hash (hex, 64 characters) a code request is counted under: the same for one address
    (as `normalise_email` gives it) and key, and not the address itself, since most requested addresses
    are nobody's in Felt."""
    return hmac.new(
        secret_key.encode(), b"sign-in-code-address:" + email.encode(), hashlib.sha256
    ).hexdigest()


def code_hash(secret_key: str, code: str) -> str:
    """The keyed hash stored instead of the code (hex)."""
    return hmac.new(secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


def matches(secret_key: str, typed: str, stored_hash: str) -> bool:
    """Whether `typed` is the code behind `stored_hash`, compared in constant time."""
    return hmac.compare_digest(code_hash(secret_key, normalise_code(typed)), stored_hash)


@dataclass(frozen=True)
class CodeState:
    """A stored code as the rules see it: when it was made, whether it was used, its wrong tries."""

    created_at: datetime
    used: bool
    wrong_tries: int


def usable(code: CodeState, now: datetime) -> bool:
    """Not used, not locked by wrong tries, not older than TTL."""
    return not code.used and code.wrong_tries < MAX_WRONG and now - code.created_at <= TTL


def may_send(sent_at: Sequence[datetime], now: datetime) -> tuple[str, str] | None:
    """None when another code may be asked for this address now, given when the earlier requests for it
    were accepted (`sent_at`); otherwise why not (Danish, English)."""
    recent = sorted(t for t in sent_at if now - t < WINDOW)
    if len(recent) < MAX_PER_ADDRESS:
        return None
    wait = max(1, int((recent[0] + WINDOW - now).total_seconds() // 60) + 1)
    return (
        f"Der er sendt {len(recent)} koder til den adresse for nylig. Brug den seneste, eller prøv igen om {wait} minutter.",
        f"{len(recent)} codes were sent to that address recently. Use the latest, or try again in {wait} minutes.",
    )
