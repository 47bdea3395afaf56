"""The page cache (saywho.web.cache): a page asked for again comes from memory, and never once anything
it shows has changed — through the app, or (SQLite) through another connection; on PostgreSQL, within
the cache's time. Readers who are logged in, private servers, forms and errors are never served from it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

import web_support as ws
from saywho.store import Database
from saywho.web import create_app, data
from saywho.web.cache import PageCache
from saywho.web.security import SESSION_COOKIE, Settings
from support import QuoteFinder

AUTH = {"Authorization": f"Bearer {ws.TOKEN}"}


@pytest.fixture
def corpus(db: Database) -> ws.Corpus:
    return ws.build(db)


@pytest.fixture
def client(db: Database, corpus: ws.Corpus) -> Iterator[TestClient]:
    data.set_cache_seconds(db, 60)
    app = create_app(Settings(token=ws.TOKEN), db=db, make_extractor=QuoteFinder)
    with TestClient(app) as c:
        yield c


def cache_of(r: httpx.Response) -> str:
    return r.headers.get("x-saywho-cache", "bypass")


def sqlite(db: Database) -> bool:
    return db.engine.url.get_backend_name() == "sqlite"


def test_a_page_asked_for_again_is_kept(client: TestClient, corpus: ws.Corpus) -> None:
    url = f"/articles/{corpus.articles['a1']}"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert (cache_of(first), cache_of(second)) == ("miss", "hit")
    assert second.text == first.text and "Jane Roe" in second.text
    # the security headers are kept with the page; the CSRF cookie is not handed to the next reader
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert "set-cookie" not in second.headers
    other = client.get(f"/articles/{corpus.articles['a2']}")  # another page: its own entry
    assert cache_of(other) == "miss" and "John Smith" in other.text
    api = "/api/statements?limit=2"
    assert [cache_of(client.get(api)) for _ in range(2)] == ["miss", "hit"]
    assert cache_of(client.get(api + "&offset=2")) == "miss"  # the query string is part of the key


def test_a_write_through_the_app_shows_at_once(client: TestClient, corpus: ws.Corpus) -> None:
    before = client.get("/api/statements").json()["total"]
    assert cache_of(client.get("/api/statements")) == "hit"
    r = client.post("/api/articles", json={"text": "“We will build it,” she said."}, headers=AUTH)
    assert r.status_code == 201, r.text
    after = client.get("/api/statements")
    assert cache_of(after) == "miss" and after.json()["total"] == before + 1


def test_a_write_by_another_process_shows_at_once_on_sqlite_else_within_the_cache_time(
    client: TestClient, db: Database, corpus: ws.Corpus
) -> None:
    url = f"/api/topics/{corpus.topic}/positions"
    smith = corpus.statements["a3"][0]

    def stances() -> dict[int, str]:
        return {p["actor"]["id"]: p["stance"] for p in client.get(url).json()["items"]}

    assert stances()[corpus.smith] == "oppose"
    with db.writer.begin() as conn:  # behind the app's back, as saywho ingest would
        conn.execute(update(data.stances).where(data.stances.c.statement_id == smith).values(label="support"))
    if sqlite(db):
        assert stances()[corpus.smith] == "support"
    else:
        assert stances()[corpus.smith] == "oppose"  # kept, as the topic figures are
        data.set_cache_seconds(db, 0)
        assert stances()[corpus.smith] == "support"


def test_what_is_never_kept(client: TestClient, db: Database, corpus: ws.Corpus) -> None:
    page = f"/articles/{corpus.articles['a1']}"
    client.get(page)
    assert cache_of(client.get(page, headers=AUTH)) == "bypass"  # the token: a reader with rights
    client.cookies.set(SESSION_COOKIE, "x")  # logged in: the page shows a log-out form
    assert cache_of(client.get(page)) == "bypass"
    client.cookies.clear()
    for path in ("/paste", "/login"):  # forms with CSRF tokens
        assert [cache_of(client.get(path)) for _ in range(2)] == ["bypass", "bypass"]
    missing = [client.get("/articles/999999") for _ in range(2)]  # errors are rendered each time
    assert [r.status_code for r in missing] == [404, 404] and [cache_of(r) for r in missing] == ["miss"] * 2
    data.set_cache_seconds(db, 0)
    assert [cache_of(client.get(page)) for _ in range(2)] == ["bypass", "bypass"]


def test_a_private_server_keeps_nothing(db: Database, corpus: ws.Corpus) -> None:
    data.set_cache_seconds(db, 60)
    app = create_app(Settings(token=ws.TOKEN, private=True), db=db, make_extractor=QuoteFinder)
    with TestClient(app) as c:
        assert c.get("/api/statements", headers=AUTH).status_code == 200
        assert c.get("/api/statements").status_code == 401  # not the answer kept for the token holder
        assert cache_of(c.get("/api/statements", headers=AUTH)) == "bypass"


def test_concurrent_readers_of_a_missing_page_wait_for_one_rendering(db: Database) -> None:
    data.set_cache_seconds(db, 60)
    calls: list[str] = []

    async def slow_app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        calls.append(scope["path"])
        await asyncio.sleep(0.1)
        body = f"page {len(calls)}".encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": body})

    cache = PageCache(slow_app, db=db)

    async def readers() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=cache)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await asyncio.gather(*(http.get("/topics/1") for _ in range(8)))

    answers = asyncio.run(readers())
    assert calls == ["/topics/1"]
    assert {r.text for r in answers} == {"page 1"}
    assert sorted(cache_of(r) for r in answers) == ["hit"] * 7 + ["miss"]


def test_the_cache_keeps_at_most_its_size(db: Database) -> None:
    data.set_cache_seconds(db, 60)

    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * 100})

    cache = PageCache(app, db=db, max_bytes=1000)

    async def read(paths: list[str]) -> list[str]:
        transport = httpx.ASGITransport(app=cache)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return [cache_of(await http.get(p)) for p in paths]

    assert asyncio.run(read([f"/articles/{i}" for i in range(15)])) == ["miss"] * 15
    assert cache.size <= 1000 and len(cache.entries) == 10
    assert asyncio.run(read(["/articles/14", "/articles/0"])) == ["hit", "miss"]  # the oldest went first
