"""The server's VAPID identity (RFC 8292): a P-256 key pair and a contact address (`sub`).

Keys: FELT_VAPID_PRIVATE_KEY (the private key: a PEM as `vapid --gen` writes it, or base64url of the
raw 32 bytes as `npx web-push generate-vapid-keys` prints it, or of the DER) when the operator sets it, which every host
serving Felt must share; otherwise generated on first run into `<data dir>/vapid_private.pem` (mode
600) and kept, because browsers bind each subscription to the public key: a new key silently ends
every subscription.

Subject: FELT_VAPID_SUBJECT, a real mailto: or https: address (rules/subject.py), refused at start-up
with a clear message otherwise; when unset, FELT_PUBLIC_URL if it is https. Without either, push is
off (the profile says so) and nothing is sent.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid, b64urlencode

from backend.features.notify.rules.subject import BadSubject, check_subject
from backend.settings import Settings

log = logging.getLogger("felt.notify")
KEY_FILE = "vapid_private.pem"


@dataclass(frozen=True)
class Identity:
    vapid: Vapid
    public_key: str
    """The browser's `applicationServerKey`: the uncompressed public point, base64url."""
    subject: str | None
    """None: push is off (no subject set and no https public address)."""


def _key(data_dir: Path, configured: str) -> Vapid:
    if configured:
        try:
            if configured.lstrip().startswith("-----BEGIN"):
                return Vapid.from_pem(configured.strip().encode())
            return Vapid.from_string(configured.strip())
        except Exception as exc:
            raise BadSubject(
                "FELT_VAPID_PRIVATE_KEY kan ikke læses (PEM, eller base64url af 32 rå byte eller DER). / "
                f"FELT_VAPID_PRIVATE_KEY cannot be read (PEM, or base64url of raw 32 bytes or DER): {exc}"
            ) from exc
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        vapid = Vapid()
        vapid.generate_keys()
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(vapid.private_pem())
        tmp.chmod(0o600)
        tmp.replace(path)  # never half a key, even if two processes start at once
        log.info("generated a VAPID key pair in %s", path)
    return Vapid.from_file(str(path))


@cache
def _identity(data_dir: Path, configured_key: str, subject: str, public_url: str) -> Identity:
    vapid = _key(data_dir, configured_key)
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    if subject:
        checked: str | None = check_subject(subject)
    elif public_url.startswith("https://"):
        checked = check_subject(public_url)
    else:
        checked = None
        log.warning("push is off: set FELT_VAPID_SUBJECT (mailto: or https:) to send notifications")
    return Identity(vapid, b64urlencode(point), checked)


def identity(settings: Settings) -> Identity:
    """The server's VAPID identity, read once per process. Raises BadSubject when the subject or key
    the operator set cannot be used (start-up calls this, so Felt refuses to start)."""
    return _identity(
        settings.data_dir,
        os.environ.get("FELT_VAPID_PRIVATE_KEY", ""),
        os.environ.get("FELT_VAPID_SUBJECT", ""),
        settings.public_url,
    )
