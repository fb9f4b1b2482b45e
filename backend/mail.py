"""Sending e-mail: through the configured SMTP server with aiosmtplib, or into a dev mailbox.

Only background jobs send (a request never waits on a mail server): a job's failure is retried by the
queue (backend.jobs.queue). aiosmtplib is asyncio-native (the worker's event loop is not blocked, no
thread), maintained, and speaks STARTTLS and implicit TLS. Without `FELT_SMTP_HOST` (the demo, a
developer's machine) the message is written as an .eml file into `<data dir>/mailbox/` and its path
logged, so a person trying the demo can read the code there.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from backend.settings import Settings

log = logging.getLogger("felt.mail")
TIMEOUT = 20
"""Seconds to wait for the mail server before the job fails and is retried."""


def message(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from Felt's sender address."""
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def mailbox(settings: Settings) -> Path:
    """Where messages go when no mail server is configured."""
    return settings.data_dir / "mailbox"


async def send(settings: Settings, mail: EmailMessage) -> None:
    """Deliver `mail`; raises on a refused or unreachable server (the job is retried)."""
    if not settings.smtp_host:
        folder = mailbox(settings)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{re.sub(r'[^a-zA-Z0-9@._-]', '_', str(mail['To']))}.eml"
        path.write_bytes(bytes(mail))
        log.warning("no FELT_SMTP_HOST: mail to %s written to %s", mail["To"], path)
        return
    implicit = settings.smtp_tls and settings.smtp_port == 465
    await aiosmtplib.send(
        mail,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=implicit,
        start_tls=settings.smtp_tls and not implicit,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        timeout=TIMEOUT,
    )
