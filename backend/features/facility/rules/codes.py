"""A room's QR code: an unguessable key, and the private link a reporter follows a report by.

Source: OWASP ASVS 4.0, V3.2.2 ("session tokens possess at least 64 bits of entropy") and V2.9 —
the issue asks for ≥ 128 random bits, which also makes an online guess hopeless under the door's rate
limit (2¹²⁸ codes, 10 tries a minute). Codes are drawn from the operating system's CSPRNG
(`secrets`), as the Python documentation advises for security tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CODE_BYTES = 18
"""144 random bits per code (≥ 128), 24 URL-safe characters."""
SECRET_BYTES = 18
"""The reporter's private link: 144 random bits."""

_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_code() -> str:
    """A fresh room code: 24 characters of base64url (A–Z a–z 0–9 - _)."""
    return secrets.token_urlsafe(CODE_BYTES)


def looks_like_code(value: str) -> bool:
    """True when `value` could be a code or a secret (base64url, 22–64 characters): anything else is
    refused before the database is asked."""
    return bool(_SHAPE.match(value))


def secret_hash(secret: str) -> str:
    """The stored form of a private link's secret (SHA-256, hex): the database never holds the link."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison, so the answer's timing says nothing about a stored hash."""
    return hmac.compare_digest(a, b)
