"""The VAPID `sub` claim: a real address the push service can reach the operator at.

Source: RFC 8292 §2.1 ("the application server SHOULD include a contact URI ... either a mailto: (email)
or an https: URI"). Apple's push service refuses a subject at `localhost` (403 BadJwtToken), so an
address on a host that cannot be reached from outside is refused here, before anything is sent.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_NOT_REAL = ("localhost", ".localhost", ".local", ".invalid", ".test", ".internal")


class BadSubject(ValueError):
    """The subject is not a reachable mailto: or https: address; the message says what to set."""


def _real_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False  # an address is no contact
    except ValueError:
        pass
    return "." in host and not any(host == s.lstrip(".") or host.endswith(s) for s in _NOT_REAL)


def check_subject(subject: str) -> str:
    """`subject` unchanged when it is `mailto:someone@host.tld` or `https://host.tld[/…]`.

    Raises BadSubject (Danish and English in one message) otherwise: another scheme, no host, a host
    without a dot, an IP address, or a local name (localhost, *.local, *.test, *.invalid, *.internal).
    """
    value = subject.strip()
    problem = ""
    if value.startswith("mailto:"):
        local, at, host = value[len("mailto:") :].rpartition("@")
        if not (local and at and _real_host(host)) or any(c in value for c in " ,;?"):
            problem = "a mailto: address needs a real e-mail address (not @localhost)"
    elif value.startswith("https://"):
        parts = urlsplit(value)
        if not parts.hostname or not _real_host(parts.hostname):
            problem = "an https: address needs a real host name (not localhost)"
    else:
        problem = "it must start with mailto: or https://"
    if problem:
        raise BadSubject(
            f"FELT_VAPID_SUBJECT={subject!r} kan ikke bruges: skriv en rigtig mailto:- eller https:-adresse, "
            f"f.eks. mailto:it-drift@kommune.dk. / FELT_VAPID_SUBJECT={subject!r} cannot be used: {problem}, "
            "e.g. mailto:it-ops@municipality.dk."
        )
    return value
