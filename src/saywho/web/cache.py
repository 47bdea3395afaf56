"""Whole responses kept for readers who are not logged in: a page asked for again costs no query.

Under load most requests are for pages asked for a moment ago (a topic page, a popular speaker). A
page that is rendered again takes ~5 ms of CPU; one served from here takes a dictionary look-up. What
is kept, and when it is not used:

- Only ``GET`` requests for pages and API reads, from readers without a session cookie or an
  ``Authorization`` header (what they see does not depend on who they are), on a server that is not
  ``--private``; only answers with status 200; ``Set-Cookie`` headers are not kept (a page's CSRF cookie
  is set again by the pages that have forms, which are never kept).
- An answer is never used after a change: every write through the app clears the cache (as it clears
  the topic figures), and on SQLite so does any commit by another connection or process (``saywho
  ingest``, ``saywho topic add``, another server worker), seen on every request by ``PRAGMA
  data_version`` on a connection of the cache's own (a few microseconds; the topic figures are cleared
  then too). So on SQLite a page is kept until something changes (at most :data:`SQLITE_SECONDS`); on
  PostgreSQL, whose other writers it cannot see, for as long as topic figures are kept
  (:func:`saywho.web.data.cache_seconds`: ``SAYWHO_CACHE_SECONDS``, 30 by default). 0 keeps nothing.
- At most :data:`MAX_BYTES` of bodies per server process (``SAYWHO_PAGE_CACHE_MB``, 64 by default; 0
  turns this cache off, and only this one), the least recently used dropped first.

Concurrent requests for the same missing page wait for the first one's answer instead of all rendering
it. Every answer that may be kept says ``x-saywho-cache: hit`` or ``miss``; others carry no such header.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saywho.store import Database
from saywho.web import data
from saywho.web.security import SESSION_COOKIE

MAX_BYTES = int(float(os.environ.get("SAYWHO_PAGE_CACHE_MB", "64")) * 1_000_000)
SQLITE_SECONDS = 3600.0  # a safety net only: on SQLite every change is seen

# Paths whose GET answer depends on the request's cookies (forms with CSRF tokens, log-in) or that have
# their own caching (static files).
NEVER = ("/login", "/logout", "/paste", "/static/", "/docs", "/openapi.json")
SESSION = SESSION_COOKIE.encode() + b"="

Key = tuple[bytes, bytes, bytes]
Stamp = tuple[int, int]


@dataclass(slots=True)
class Entry:
    stamp: Stamp
    expires: float
    headers: list[tuple[bytes, bytes]]
    body: bytes


class PageCache:
    """ASGI middleware keeping whole 200 answers to anonymous GETs (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        db: Database,
        private: bool = False,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.app = app
        self.db = db
        self.private = private
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.flights: dict[Key, asyncio.Event] = {}
        self.versions = _DataVersion(db)
        self.seen_version = self.versions.read()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stamp = self._stamp()  # on every request: a change by another process clears the topic figures
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key: Key = (_host(scope), scope["path"].encode(), scope["query_string"])
        while True:
            hit = self.entries.get(key)
            if hit is not None and hit.stamp == stamp and hit.expires > time.monotonic():
                self.entries.move_to_end(key)
                await _replay(send, hit, b"hit")
                return
            flight = self.flights.get(key)
            if flight is None:
                break
            await flight.wait()  # the first request for this page is rendering it: use its answer
            stamp = self._stamp()
        self.flights[key] = event = asyncio.Event()
        try:
            await self._fill(scope, receive, send, key, stamp)
        finally:
            del self.flights[key]
            event.set()

    # --- what may be kept ---

    def _cacheable(self, scope: Scope) -> bool:
        if (
            self.private
            or scope["method"] != "GET"
            or self.max_bytes <= 0
            or data.cache_seconds(self.db) <= 0
        ):
            return False
        if scope["path"].startswith(NEVER):
            return False
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and SESSION in value):
                return False
        return True

    def _seconds(self) -> float:
        seconds = data.cache_seconds(self.db)
        return seconds if self.versions.conn is None or seconds <= 0 else max(seconds, SQLITE_SECONDS)

    def _stamp(self) -> Stamp:
        """What a kept answer must have been made under: the app's write count and the database's."""
        version = self.versions.read()
        if version != self.seen_version:  # another process wrote: the topic figures are stale too
            data.invalidate(self.db)
            self.seen_version = version
        return data.generation(self.db), version

    # --- a miss ---

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: Key, stamp: Stamp) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message.get("headers", []), (b"x-saywho-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start is None or start["status"] != 200:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"set-cookie"]
        body = b"".join(chunks)
        if len(body) > self.max_bytes // 8 or self._stamp() != stamp:  # too big, or written meanwhile
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = Entry(stamp, time.monotonic() + self._seconds(), headers, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)


async def _replay(send: Send, entry: Entry, how: bytes) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [*entry.headers, (b"x-saywho-cache", how)]}
    )
    await send({"type": "http.response.body", "body": entry.body})


def _host(scope: Scope) -> bytes:
    """Scheme and host: API answers carry absolute links to their next page."""
    for name, value in scope["headers"]:
        if name == b"host":
            return scope.get("scheme", "http").encode() + b"://" + value
    return scope.get("scheme", "http").encode()


class _DataVersion:
    """SQLite's count of commits by other connections (``PRAGMA data_version``), read on a connection
    that never writes, so that every commit anywhere counts; always 0 on other databases."""

    def __init__(self, db: Database) -> None:
        self.conn: sqlite3.Connection | None = None
        url = db.engine.url
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            path = Path(url.database).resolve()
            try:
                self.conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error:
                self.conn = None

    def read(self) -> int:
        if self.conn is None:
            return 0
        try:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return -1
