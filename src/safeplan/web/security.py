"""Only the browser that opened the page may use it.

The server listens on 127.0.0.1 alone. Every request must name a loopback host (a web
page elsewhere cannot reach it through DNS rebinding) and carry the random token of the
address ``safeplan serve`` opened (as Jupyter does): in the address the first time, then
in a cookie. Every form carries a second random token (CSRF), checked before anything
is read from it; the cookie is ``SameSite=Strict`` too. Responses forbid framing,
scripts and outside resources (a Content-Security-Policy), so a value that slipped past
escaping could still do nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

COOKIE = "safeplan_token"
#: Host names that mean this machine (with or without the port).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]  # fmt: skip

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str) -> bool:
    """Tokens compared in constant time."""
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def host_ok(host: str | None) -> bool:
    """Whether a Host header names this machine (``127.0.0.1:8765``, ``localhost``, ``[::1]:80``)."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("["):
        name = name.partition("]")[0] + "]"
    else:
        name = name.rpartition(":")[0] or name if name.count(":") == 1 else name
    return name in LOOPBACK


class Guard:
    """ASGI middleware: the Host check, the token (address, then cookie), the headers."""

    def __init__(self, app: App, token: str, refused: Callable[[str], bytes]) -> None:
        self.app = app
        self.token = token
        self.refused = refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_ok(headers.get("host")):
            await _plain(send, 400, self.refused("host"))
            return
        from urllib.parse import parse_qs

        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [None])[0]
        if given is not None and same(given, self.token):
            # The token leaves the address at once (history, a shared screenshot).
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await send({
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", scope["path"].encode() or b"/"),
                            (b"set-cookie", cookie.encode()), *HEADERS],
            })  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        if not same(_cookie(headers.get("cookie", "")), self.token):
            await _plain(send, 403, self.refused("token"))
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})
