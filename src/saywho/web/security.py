"""Who may read and write, and what the server sends to protect browsers from the text it shows.

- **Writes** (ingest, merges) need the token: ``Authorization: Bearer <SAYWHO_TOKEN>`` on the API, a
  session cookie (from ``/login``, where the token is typed once) on the pages' forms. With no
  ``SAYWHO_TOKEN`` set, every write is refused, saying so.
- **Reads** are open, unless the server runs with ``--private``: then they need the token too.
- **Forms** carry a CSRF token: an HMAC of a random cookie (signed double submit), checked on every POST
  from a page, along with the request's ``Origin`` when the browser sends one.
- **Bodies** larger than the upload limit are refused with 413, before or while they are read.
- **Headers**: a Content-Security-Policy that allows scripts, styles and images from this origin only
  (no inline script, no third-party origin), and no framing, sniffing or referrers to other sites.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_ENV = "SAYWHO_TOKEN"
SECRET_ENV = "SAYWHO_SECRET"
SESSION_COOKIE = "saywho_session"
CSRF_COOKIE = "saywho_csrf"
SESSION_SECONDS = 12 * 3600
DEFAULT_MAX_UPLOAD = 10_000_000  # as saywho extract --max-bytes

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """How the server runs: ``saywho serve`` options, or the environment for a worker process."""

    db: str | None = None
    token: str | None = None  # None: writes are refused
    private: bool = False  # reads need the token too
    max_upload: int = DEFAULT_MAX_UPLOAD
    secret: bytes | None = None  # signs sessions and CSRF tokens; from the token when not given
    pool_size: int = 16
    threads: int = 4  # worker threads for pages and queries (SAYWHO_WEB_THREADS)

    @classmethod
    def from_env(cls) -> Settings:
        secret = os.environ.get(SECRET_ENV)
        return cls(
            db=os.environ.get("SAYWHO_DB"),
            token=os.environ.get(TOKEN_ENV) or None,
            private=os.environ.get("SAYWHO_PRIVATE", "") in ("1", "true", "yes"),
            max_upload=int(os.environ.get("SAYWHO_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)),
            secret=secret.encode() if secret else None,
            threads=int(os.environ.get("SAYWHO_WEB_THREADS", "4")),
        )


class Guard:
    """Checks tokens, sessions and CSRF tokens for one server."""

    def __init__(self, settings: Settings) -> None:
        self.token = settings.token
        self.private = settings.private
        # Several worker processes must agree on the signing key: derived from the token when there is one
        # (changing the token then ends every session). Without a token nothing is signed that matters.
        if settings.secret:
            base = settings.secret
        elif settings.token:
            base = hmac.new(settings.token.encode(), b"saywho web signing key", hashlib.sha256).digest()
        else:
            base = secrets.token_bytes(32)
        self._session_key = hmac.new(base, b"session", hashlib.sha256).digest()
        self._csrf_key = hmac.new(base, b"csrf", hashlib.sha256).digest()

    # --- the token ---

    @property
    def writable(self) -> bool:
        return self.token is not None

    def token_ok(self, given: str | None) -> bool:
        return bool(self.token and given) and hmac.compare_digest(
            given.encode(),
            self.token.encode(),  # type: ignore[union-attr]
        )

    def bearer_ok(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    # --- sessions (pages) ---

    def new_session(self) -> str:
        expires = str(int(time.time()) + SESSION_SECONDS)
        return f"{expires}.{self._sign(self._session_key, expires)}"

    def session_ok(self, request: Request) -> bool:
        if not self.writable:
            return False
        value = request.cookies.get(SESSION_COOKIE, "")
        expires, _, sig = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(sig, self._sign(self._session_key, expires))

    def authorised(self, request: Request) -> bool:
        """The token, by header or by session cookie."""
        return self.bearer_ok(request) or self.session_ok(request)

    # --- CSRF (forms) ---

    def csrf_for(self, cookie: str) -> str:
        return self._sign(self._csrf_key, cookie)

    def csrf_ok(self, request: Request, given: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE)
        if not cookie or not given or not hmac.compare_digest(given, self.csrf_for(cookie)):
            return False
        origin = request.headers.get("origin")
        # A browser sends Origin on a cross-site POST: it must be this server (or "null" never).
        return origin is None or same_origin(origin, request)

    @staticmethod
    def _sign(key: bytes, value: str) -> str:
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def same_origin(origin: str, request: Request) -> bool:
    parts = urlsplit(origin)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and parts.netloc == host


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to after logging in; anything else (another site, ``//host``) is dropped."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(c in value for c in "\r\n\t") or "\\" in value:
        return default
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else default


# --- middleware ----------------------------------------------------------------------------------------


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the upload limit of {limit:,} bytes")


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes: by Content-Length at once, else while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)  # an HTTPException: FastAPI turns it into a 413
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, watch)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"the request body is larger than the upload limit of {self.limit:,} bytes"},
            status_code=413,
            headers={"connection": "close"},
        )
        await response(scope, receive, send)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (the API's included: the CSP costs nothing there)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, add)


def client_is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_args(request: Request, max_age: int | None) -> dict[str, Any]:
    return {
        "max_age": max_age,
        "httponly": True,
        "samesite": "strict",
        "secure": client_is_https(request),
        "path": "/",
    }
