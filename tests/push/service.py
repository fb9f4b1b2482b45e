"""A push service of our own for the tests: what a browser vendor's push service does with a message.

It receives the application server's POST, verifies the VAPID JWT (RFC 8292: ES256 signature by the
key in `k`, `aud` = this service's origin, `exp` in the future and at most 24 hours ahead, a `sub`),
checks the headers RFC 8030 asks for (TTL), decrypts the aes128gcm body with the subscription's private
key and auth secret (RFC 8291, with http_ece), and answers what a test asked for: 201, or 404, 410,
413, 429 (with Retry-After) per subscription. A body over 4096 bytes gets 413 like a real service.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64d(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64e(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


@dataclass
class Received:
    """One message as the service saw it: its decrypted JSON and the headers that matter."""

    token: str
    payload: dict[str, Any]
    ttl: int
    topic: str | None
    urgency: str | None
    claims: dict[str, Any]
    status: int


@dataclass
class Subscription:
    token: str
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: list[tuple[int, str | None]] = field(default_factory=list)
    """Statuses (and Retry-After) to answer with, in order; 201 once they run out."""

    def info(self, origin: str) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{origin}/push/{self.token}",
            "keys": {"p256dh": b64e(point), "auth": b64e(self.auth)},
        }


class VapidRefused(Exception):
    pass


def verify_vapid(header: str, origin: str, now: float) -> dict[str, Any]:
    """The JWT's claims when the Authorization header is a valid VAPID one for `origin`; raises otherwise."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRefused(f"scheme {scheme!r}")
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = parts["t"], parts["k"]
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
    signing_input, _, signature = token.rpartition(".")
    head = json.loads(b64d(signing_input.split(".")[0]))
    if head.get("alg") != "ES256":
        raise VapidRefused(f"alg {head.get('alg')!r}")
    raw = b64d(signature)
    if len(raw) != 64:
        raise VapidRefused("signature is not raw r||s")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise VapidRefused("bad signature") from exc
    claims: dict[str, Any] = json.loads(b64d(signing_input.split(".")[1]))
    if claims.get("aud") != origin:
        raise VapidRefused(f"aud {claims.get('aud')!r} is not {origin!r}")
    exp = int(claims.get("exp", 0))
    if not now < exp <= now + 24 * 3600:
        raise VapidRefused(f"exp {exp} is not within 24 h of {now}")
    sub = str(claims.get("sub", ""))
    if not (sub.startswith("mailto:") or sub.startswith("https://")):
        raise VapidRefused(f"sub {sub!r}")
    return claims


class PushService:
    """Started by the `push_service` fixture; `subscribe()` makes a browser-like subscription."""

    def __init__(self) -> None:
        self.subscriptions: dict[str, Subscription] = {}
        self.received: list[Received] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> PushService:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, *answers: int | tuple[int, str]) -> dict[str, Any]:
        """A new subscription (as PushSubscription.toJSON() gives) that answers `answers` in turn."""
        sub = Subscription(b64e(os.urandom(12)), ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        sub.answers = [a if isinstance(a, tuple) else (a, None) for a in answers]
        self.subscriptions[sub.token] = sub
        return sub.info(self.origin)

    def for_endpoint(self, endpoint: str) -> list[Received]:
        token = endpoint.rsplit("/", 1)[-1]
        return [r for r in self.received if r.token == token]

    def _handle(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str]]:
        token = path.rsplit("/", 1)[-1]
        sub = self.subscriptions.get(token)
        if sub is None or not path.startswith("/push/"):
            return 404, {}
        try:
            claims = verify_vapid(headers.get("Authorization", ""), self.origin, time.time())
        except (VapidRefused, KeyError, ValueError) as exc:
            self.refused.append(f"vapid: {exc}")
            return 403, {}
        if headers.get("TTL") is None or headers.get("Content-Encoding") != "aes128gcm":
            self.refused.append(
                f"headers: TTL={headers.get('TTL')} encoding={headers.get('Content-Encoding')}"
            )
            return 400, {}
        with self.lock:
            status, retry_after = sub.answers.pop(0) if sub.answers else (201, None)
        if len(body) > 4096:
            status = 413
        payload: dict[str, Any] = {}
        if status == 201:
            plain = http_ece.decrypt(body, private_key=sub.key, auth_secret=sub.auth, version="aes128gcm")
            payload = json.loads(plain)
        with self.lock:
            self.received.append(
                Received(
                    token,
                    payload,
                    int(headers["TTL"]),
                    headers.get("Topic"),
                    headers.get("Urgency"),
                    claims,
                    status,
                )
            )
        extra = {"Retry-After": retry_after} if retry_after else {}
        return status, (
            {"Location": f"{self.origin}/message/{len(self.received)}"} | extra
        ) if status == 201 else extra

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, extra = service._handle(self.path, self.headers, body)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
