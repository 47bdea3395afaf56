"""The JSON API as a client uses it (FastAPI's TestClient), on SQLite and PostgreSQL, over the corpus of
web_support (statements with every role, a topic whose stances change over time)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

import web_support as ws
from saywho.store import Database
from saywho.web import create_app
from saywho.web.security import Settings
from support import QuoteFinder


@pytest.fixture
def corpus(db: Database) -> ws.Corpus:
    return ws.build(db)


@pytest.fixture
def finder() -> QuoteFinder:
    return QuoteFinder()


def make_client(db: Database, finder: QuoteFinder | None = None, **settings: object) -> TestClient:
    settings.setdefault("token", ws.TOKEN)
    app = create_app(Settings(**settings), db=db, make_extractor=lambda: finder or QuoteFinder())  # type: ignore[arg-type]
    return TestClient(app)


@pytest.fixture
def client(db: Database, corpus: ws.Corpus, finder: QuoteFinder) -> Iterator[TestClient]:
    with make_client(db, finder) as c:
        yield c


AUTH = {"Authorization": f"Bearer {ws.TOKEN}"}


def link(url: str | None) -> tuple[str, dict[str, str]] | None:
    """A page link as (path, parameters): the parameters' order is not part of the contract."""
    if url is None:
        return None
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc  # links stay on this server
    return parts.path, dict(parse_qsl(parts.query))


def ids(page: dict) -> list[int]:  # type: ignore[type-arg]
    return [item["id"] for item in page["items"]]


# --- statements: filters and paging --------------------------------------------------------------------


def test_statements_newest_first_and_paged(client: TestClient, corpus: ws.Corpus) -> None:
    s = corpus.statements
    newest_first = [s["a3"][0], s["evil"][0], s["a2"][1], s["a2"][0], s["a1"][1], s["a1"][0]]
    first = client.get("/api/statements", params={"limit": 2}).json()
    assert first["total"] == 6 and first["total_exact"]
    assert ids(first) == newest_first[:2]
    assert first["prev"] is None
    assert link(first["next"]) == ("/api/statements", {"limit": "2", "offset": "2"})
    second = client.get(first["next"]).json()
    assert ids(second) == newest_first[2:4]
    assert link(second["prev"]) == ("/api/statements", {"limit": "2", "offset": "0"})
    last = client.get(second["next"]).json()
    assert ids(last) == newest_first[4:] and last["next"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"speaker": "Jane Roe"}, {("a1", 0), ("a1", 1), ("a2", 0)}),
        ({"speaker": "Smith"}, {("a2", 1), ("a3", 0)}),
        ({"outlet": "MORNING POST"}, {("a1", 0), ("a1", 1), ("a3", 0)}),
        ({"since": "2024-02-01", "until": "2024-02-28"}, {("a2", 0), ("a2", 1)}),
        ({"q": "disgrace"}, {("a2", 1)}),
        ({"q": "taxes -border"}, {("a1", 1), ("a2", 1)}),  # stemmed: "tax"; without "border"
        ({"topic": "TOPIC"}, {("a1", 0), ("a1", 1), ("a2", 0), ("a2", 1), ("a3", 0)}),
        ({"topic": "TOPIC", "stance": "oppose"}, {("a2", 0), ("a2", 1)}),
        ({"stance": "neutral"}, {("a3", 0)}),
        ({"speaker": "Roe", "topic": "TOPIC", "stance": "support"}, {("a1", 0), ("a1", 1)}),
        ({"topic": "EMPTY"}, set()),
        ({"speaker": "Nobody Atall"}, set()),
    ],
)
def test_statement_filters(client: TestClient, corpus: ws.Corpus, params: dict, expected: set) -> None:  # type: ignore[type-arg]
    swap = {"TOPIC": corpus.topic, "EMPTY": corpus.empty_topic}
    params = {k: swap.get(v, v) for k, v in params.items()}
    page = client.get("/api/statements", params=params).json()
    want = {corpus.statements[label][i] for label, i in expected}
    assert set(ids(page)) == want
    assert page["total"] == len(want)


def test_statement_record_offsets_point_into_the_article(client: TestClient, corpus: ws.Corpus) -> None:
    sid = corpus.statements["a1"][0]
    st = client.get(f"/api/statements/{sid}").json()
    text = client.get(f"/api/articles/{corpus.articles['a1']}").json()["text"]
    rec = st["record"]
    spans = [*rec["content"], rec["cue"], rec["speaker"], rec["addressee"], *rec["relays"], rec["date"]]
    assert [text[x["start"] : x["end"]] for x in spans] == [x["text"] for x in spans]
    assert st["actor"] == {"id": corpus.roe, "name": "Jane Roe"}
    assert st["page"] == f"/articles/{corpus.articles['a1']}#st-{sid}"
    assert st["said_on"] == "2024-01-09"  # its own date, "on Tuesday"


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "since=yesterday", "stance=maybe"])
def test_bad_parameters_are_422(client: TestClient, query: str) -> None:
    r = client.get(f"/api/statements?{query}")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ("/api/articles/999", "/api/statements/999", "/api/actors/999", "/api/topics/999"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "no such" in r.json()["detail"]


# --- articles and actors -------------------------------------------------------------------------------


def test_articles_list_and_detail(client: TestClient, corpus: ws.Corpus) -> None:
    page = client.get("/api/articles", params={"outlet": "morning post"}).json()
    assert ids(page) == [corpus.articles["a3"], corpus.articles["a1"]]  # newest published first
    assert page["total"] == 2
    detail = client.get(f"/api/articles/{corpus.articles['a2']}").json()
    assert detail["text"] == ws.A2
    assert detail["title"] == "Roe drops the tax" and detail["statements"] == 2
    assert [s["id"] for s in detail["statement_list"]] == corpus.statements["a2"]
    assert client.get("/api/articles", params={"q": "committee"}).json()["total"] == 1
    assert client.get("/api/articles", params={"limit": 1, "offset": 3}).json()["next"] is None


def test_actor_detail(client: TestClient, corpus: ws.Corpus) -> None:
    roe = client.get(f"/api/actors/{corpus.roe}").json()
    assert roe["name"] == "Jane Roe" and roe["statements"] == 3 and roe["articles"] == 2
    assert "Finance Minister" in {r["role"] for r in roe["roles"]}
    assert roe["countries"] == [
        {"country": "Ruritania", "since": "2024-01-09", "until": "2024-02-15", "statements": 3}
    ]
    assert roe["timeline"] == [
        {"period": "2024-01", "statements": 2},
        {"period": "2024-02", "statements": 1},
    ]
    [pos] = roe["topics"]
    assert pos["topic"] == {"id": corpus.topic, "name": "border-tax"}
    assert pos["stance"] == "oppose"  # her latest statement taking a side
    assert pos["counts"] == {"support": 2, "oppose": 1, "open": 0, "neutral": 0}
    assert pos["changes"] == 1
    assert [e["statement_id"] for e in pos["evidence"]] == [corpus.statements["a2"][0]]
    actors = client.get("/api/actors").json()
    assert [a["id"] for a in actors["items"]][:1] == [corpus.roe]  # the most quoted first
    assert actors["total"] == 3
    assert ids(client.get("/api/actors", params={"name": "Smith"}).json()) == [corpus.smith]


# --- topics and positions ------------------------------------------------------------------------------


def test_topics_list(client: TestClient, corpus: ws.Corpus) -> None:
    page = client.get("/api/topics").json()
    assert page["total"] == 2
    tax, strike = page["items"]
    assert (tax["id"], tax["statements"], tax["actors"]) == (corpus.topic, 5, 2)
    assert (tax["first"], tax["last"]) == ("2024-01-09", "2024-03-18")
    assert (strike["id"], strike["statements"], strike["actors"]) == (corpus.empty_topic, 0, 0)


def test_topic_positions(client: TestClient, corpus: ws.Corpus) -> None:
    s = corpus.statements
    tp = client.get(f"/api/topics/{corpus.topic}/positions").json()
    assert tp["topic"]["proposition"] == "Ruritania should introduce a border tax"
    roe, smith = tp["items"]
    assert (roe["actor"]["id"], roe["stance"], roe["statements"], roe["changes"]) == (
        corpus.roe,
        "oppose",
        3,
        1,
    )
    assert (smith["actor"]["id"], smith["stance"], smith["changes"]) == (corpus.smith, "oppose", 0)
    assert smith["counts"] == {"support": 0, "oppose": 1, "open": 0, "neutral": 1}
    assert [e["statement_id"] for e in smith["evidence"]] == [s["a2"][1]]
    summary = {x["stance"]: x for x in tp["summary"]}
    assert {k: (v["actors"], v["statements"]) for k, v in summary.items()} == {
        "support": (0, 2),
        "oppose": (2, 2),
        "open": (0, 0),
        "neutral": (0, 1),
    }
    assert summary["support"]["latest"]["statement_id"] == s["a1"][1]
    assert summary["oppose"]["latest"]["statement_id"] == s["a2"][1]
    assert summary["oppose"]["latest"]["page"] == f"/articles/{corpus.articles['a2']}#st-{s['a2'][1]}"
    assert summary["open"]["latest"] is None
    # Filters: a stance, and a time window (in March Smith is only neutral).
    assert client.get(f"/api/topics/{corpus.topic}/positions?stance=support").json()["total"] == 0
    march = client.get(f"/api/topics/{corpus.topic}/positions?since=2024-03-01").json()
    assert [(p["actor"]["id"], p["stance"]) for p in march["items"]] == [(corpus.smith, "neutral")]
    paged = client.get(f"/api/topics/{corpus.topic}/positions?limit=1").json()
    assert len(paged["items"]) == 1 and paged["total"] == 2 and paged["next"]


def test_topic_timeline_and_evidence(client: TestClient, corpus: ws.Corpus) -> None:
    s = corpus.statements
    timeline = client.get(f"/api/topics/{corpus.topic}/timeline").json()
    assert timeline == [
        {"period": "2024-01", "stance": "support", "statements": 2},
        {"period": "2024-02", "stance": "oppose", "statements": 2},
        {"period": "2024-03", "stance": "neutral", "statements": 1},
    ]
    ev = client.get(f"/api/topics/{corpus.topic}/evidence").json()
    assert ev["total"] == 5
    assert ev["items"][0]["statement_id"] == s["a3"][0]
    assert ev["items"][0]["article"]["id"] == corpus.articles["a3"]
    roe_support = client.get(f"/api/topics/{corpus.topic}/evidence?stance=support&actor={corpus.roe}").json()
    assert [e["statement_id"] for e in roe_support["items"]] == [s["a1"][1], s["a1"][0]]


def test_positions_by_actor_or_topic(client: TestClient, corpus: ws.Corpus) -> None:
    by_actor = client.get("/api/positions", params={"actor": corpus.smith}).json()
    assert [(p["topic"]["id"], p["stance"]) for p in by_actor["items"]] == [(corpus.topic, "oppose")]
    by_topic = client.get("/api/positions", params={"topic": corpus.topic, "stance": "oppose"}).json()
    assert {p["actor"]["id"] for p in by_topic["items"]} == {corpus.roe, corpus.smith}
    assert client.get("/api/positions").status_code == 422


@pytest.mark.parametrize("tables", ["empty", "absent"])
def test_without_topics_the_api_says_none(db: Database, tables: str) -> None:
    ws.build(db, topics=False)
    if tables == "absent":  # a database opened without migrating to 0002 (an older one, read as is)
        ws.drop_topic_tables(db)
    with make_client(db) as c:
        assert c.get("/api/topics").json()["total"] == 0
        assert c.get("/api/topics/1").status_code == 404
        assert c.get("/api/statements?topic=1").json()["total"] == 0
        assert c.get("/api/statements").json()["total"] == 6
        roe = c.get("/api/actors", params={"name": "Jane Roe"}).json()["items"][0]
        assert c.get(f"/api/actors/{roe['id']}").json()["topics"] == []


# --- writes --------------------------------------------------------------------------------------------


TEXT = "“We will not pay,” the minister said on Monday. Later: “Never.”"


def test_post_article_needs_the_token(client: TestClient) -> None:
    body = {"text": TEXT}
    assert client.post("/api/articles", json=body).status_code == 401
    r = client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/articles", json=body, headers={"Authorization": ws.TOKEN})  # no scheme
    assert r.status_code == 401
    # A session cookie is not enough for the API (no cross-site writes with a browser's cookies).
    client.cookies.set("saywho_session", "9999999999.forged")
    assert client.post("/api/articles", json=body).status_code == 401


def test_post_article_extracts_and_stores_once(client: TestClient, finder: QuoteFinder) -> None:
    body = {
        "text": TEXT,
        "title": "No pay",
        "published": "2024-04-01",
        "outlet": "Wire",
        "url": "https://w.example/1",
    }
    r = client.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "new" and out["statements"] == 2
    assert r.headers["location"] == out["api"] == f"/api/articles/{out['id']}"
    stored = client.get(out["api"]).json()
    assert (stored["title"], stored["outlet"], stored["published"]) == ("No pay", "Wire", "2024-04-01")
    assert [s["content"] for s in stored["statement_list"]] == ["“We will not pay,”", "“Never.”"]
    calls = finder.calls
    again = client.post("/api/articles", json=body, headers=AUTH)
    assert again.status_code == 200 and again.json() == {**out, "status": "known", "statements": 0}
    assert finder.calls == calls  # not extracted again


def test_post_article_as_a_file(client: TestClient) -> None:
    files = {"file": ("note.txt", TEXT.encode("utf-8"), "text/plain")}
    r = client.post("/api/articles", files=files, data={"published": "2024-04-02"}, headers=AUTH)
    assert r.status_code == 201, r.text
    stored = client.get(r.json()["api"]).json()
    assert stored["text"] == TEXT and stored["label"] == "note.txt" and stored["published"] == "2024-04-02"
    page = (
        "<html><head><title>Dock strike ends</title></head><body><article><h1>Dock strike ends</h1>"
        "<p>“The strike is over,” the union leader told reporters on Friday after a long night of talks "
        "with the port authority and the ministry of labour.</p>"
        "<p>Dockers will return to work on Monday morning, the union said in a statement.</p>"
        "</article></body></html>"
    )
    files = {"file": ("strike.html", page.encode("utf-8"), "text/html")}
    r = client.post("/api/articles", files=files, headers=AUTH)
    assert r.status_code == 201, r.text
    stored = client.get(r.json()["api"]).json()
    assert "<p>" not in stored["text"] and "The strike is over" in stored["text"]


@pytest.mark.parametrize(
    ("kwargs", "status", "detail"),
    [
        ({"json": {"text": ""}}, 422, "text"),
        ({"json": {"text": "   \n"}}, 422, "no text"),
        ({"json": {"title": "no text"}}, 422, "text"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "not JSON"),
        ({"json": {"text": "x", "published": "March"}}, 422, "published"),
        ({"content": b"plain", "headers": {"content-type": "text/plain"}}, 415, "application/json"),
        ({"files": {"file": ("bin.txt", b"\x00\x01\x02\x00" * 50, "text/plain")}}, 422, "binary"),
        ({"files": {"other": ("a.txt", b"text", "text/plain")}}, 422, "no file"),
    ],
)
def test_post_article_refusals(client: TestClient, kwargs: dict, status: int, detail: str) -> None:  # type: ignore[type-arg]
    kwargs = dict(kwargs)  # the parameters are shared by both engines' runs
    headers = {**AUTH, **kwargs.pop("headers", {})}
    r = client.post("/api/articles", headers=headers, **kwargs)
    assert r.status_code == status, r.text
    said = r.json()["detail"]
    assert detail in (said if isinstance(said, str) else json.dumps(said))


def test_upload_limit(db: Database) -> None:
    with make_client(db, max_upload=1000) as c:
        big = {"text": "x" * 2000}
        r = c.post("/api/articles", json=big, headers=AUTH)
        assert r.status_code == 413 and "1,000 bytes" in r.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: refused while reading
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 200
            yield b'"}'

        r = c.post("/api/articles", content=chunks(), headers={**AUTH, "content-type": "application/json"})
        assert r.status_code == 413
        files = {"file": ("big.txt", b"z" * 5000, "text/plain")}
        assert c.post("/api/articles", files=files, headers=AUTH).status_code == 413
        assert c.post("/api/articles", json={"text": "“Small,” she said."}, headers=AUTH).status_code == 201


def test_writes_disabled_without_a_token(db: Database) -> None:
    with make_client(db, token=None) as c:
        r = c.post("/api/articles", json={"text": TEXT}, headers=AUTH)
        assert r.status_code == 403 and "SAYWHO_TOKEN" in r.json()["detail"]
        assert c.get("/api/articles").status_code == 200


def test_merge_actors(client: TestClient, corpus: ws.Corpus) -> None:
    url = f"/api/actors/{corpus.roe}/merge"
    assert client.post(url, json={"others": [corpus.smith]}).status_code == 401
    assert client.post(url, json={"others": [999]}, headers=AUTH).status_code == 404
    r = client.post(url, json={"others": [corpus.smith]}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json() == {"actor_id": corpus.roe, "merged": [corpus.smith], "moved": 2}
    assert client.get("/api/statements", params={"speaker": f"#{corpus.roe}"}).json()["total"] == 5


def test_add_and_remove_a_topic(client: TestClient, corpus: ws.Corpus) -> None:
    """As saywho topic add: the topic is stored, every stored statement read for it (the real relevance
    and stance code, in the background of the request), and it shows in the lists at once."""
    body = {"proposition": "A border tax should be introduced", "keywords": ["border tax"], "name": "levy"}
    before = client.get("/api/topics").json()["total"]
    assert client.post("/api/topics", json=body).status_code == 401
    assert client.post("/api/topics", json={**body, "proposition": "   "}, headers=AUTH).status_code == 422
    r = client.post("/api/topics", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["reading"] and added["topic"]["name"] == "levy"
    assert added["topic"]["proposition"] == body["proposition"]
    again = client.post("/api/topics", json=body, headers=AUTH)
    assert again.status_code == 409 and "levy" in again.json()["detail"]
    tid = added["topic"]["id"]
    assert client.get("/api/topics").json()["total"] == before + 1
    about = client.get("/api/statements", params={"topic": tid}).json()
    said = {s["article"]["id"] for s in about["items"]}  # the three articles that name the border tax
    assert about["total"] >= 3 and {corpus.articles[a] for a in ("a1", "a2", "a3")} <= said, about
    actors = {p["actor"]["id"] for p in client.get(f"/api/topics/{tid}/positions").json()["items"]}
    assert {corpus.roe, corpus.smith} <= actors
    assert client.delete(f"/api/topics/{tid}").status_code == 401
    assert client.delete(f"/api/topics/{tid}", headers=AUTH).status_code == 204
    assert client.delete(f"/api/topics/{tid}", headers=AUTH).status_code == 404
    assert client.get(f"/api/topics/{tid}").status_code == 404
    assert client.get("/api/topics").json()["total"] == before
    assert client.get(f"/api/statements/{about['items'][0]['id']}").status_code == 200  # statements stay


def test_private_server(db: Database, corpus: ws.Corpus) -> None:
    with make_client(db, private=True) as c:
        r = c.get("/api/statements")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/statements", headers=AUTH).json()["total"] == 6
        page = c.get(f"/articles/{corpus.articles['a1']}", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == f"/login?next=/articles/{corpus.articles['a1']}"
        assert c.get("/openapi.json").status_code == 200  # the schema holds no data


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, methods in {
        "/api/articles": {"get", "post"},
        "/api/articles/{article_id}": {"get"},
        "/api/statements": {"get"},
        "/api/statements/{statement_id}": {"get"},
        "/api/actors": {"get"},
        "/api/actors/{actor_id}": {"get"},
        "/api/actors/{actor_id}/merge": {"post"},
        "/api/topics": {"get"},
        "/api/topics/{topic_id}/positions": {"get"},
        "/api/positions": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    params = {p["name"] for p in paths["/api/statements"]["get"]["parameters"]}
    assert {"speaker", "topic", "stance", "outlet", "since", "until", "q", "limit", "offset"} <= params
    body = paths["/api/articles"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert "ArticleIn" in body["application/json"]["schema"]["$ref"]
    assert not any(p.startswith(("/articles", "/search", "/topics")) for p in paths)  # pages are not API
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/topics/{topic_id}/positions" in docs.text
    assert "cdn" not in docs.text.lower()


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/api/statements", "/", "/static/app.css", "/api/nothing"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_topic_figures_are_cached_until_a_write(client: TestClient, db: Database, corpus: ws.Corpus) -> None:
    from sqlalchemy import update

    from saywho.web import data

    url = f"/api/topics/{corpus.topic}/positions"
    smith = corpus.statements["a3"][0]
    before = {p["actor"]["id"]: p["stance"] for p in client.get(url).json()["items"]}
    assert before[corpus.smith] == "oppose"
    # A write behind the app's back (another process) shows at once on SQLite (its data_version changes),
    # on PostgreSQL once the cache has expired ...
    with db.writer.begin() as conn:
        conn.execute(update(data.stances).where(data.stances.c.statement_id == smith).values(label="support"))
    now = {p["actor"]["id"]: p["stance"] for p in client.get(url).json()["items"]}
    if db.engine.url.get_backend_name() == "sqlite":
        assert now[corpus.smith] == "support"
    else:
        assert now == before
        data.set_cache_seconds(db, 0)
        assert {p["actor"]["id"]: p["stance"] for p in client.get(url).json()["items"]}[
            corpus.smith
        ] == "support"
    # ... and one through the positions interface at once.
    data.set_cache_seconds(db, 60)
    client.get(url)
    data.set_stances(db, corpus.topic, [(smith, "open", 0.7)])
    assert {p["actor"]["id"]: p["stance"] for p in client.get(url).json()["items"]}[corpus.smith] == "open"


def test_a_posted_article_is_read_for_every_topic(db: Database, corpus: ws.Corpus) -> None:
    """As ``saywho ingest``: the new statements are read for each stored topic (the real relevance
    and stance code), and the topic's figures show them at once."""
    app = create_app(Settings(token=ws.TOKEN), db=db, make_extractor=lambda: ws.NamedQuoteFinder("Jane Roe"))
    with TestClient(app) as client:
        before = client.get(f"/api/topics/{corpus.topic}/positions").json()
        assert before["items"][0]["actor"]["id"] == corpus.roe and before["items"][0]["stance"] == "oppose"
        text = "“Ruritania must introduce the border tax this year,” she said. “The dockers deserve a rest.”"
        r = client.post("/api/articles", json={"text": text, "published": "2024-04-03"}, headers=AUTH)
        assert r.status_code == 201, r.text
        tax, dock = client.get(r.json()["api"]).json()["statement_list"]
        about = client.get("/api/statements", params={"topic": corpus.topic}).json()
        assert about["total"] == 6 and about["items"][0]["id"] == tax["id"]  # the newest, and only it
        evidence = client.get(f"/api/topics/{corpus.topic}/evidence").json()["items"][0]
        assert evidence["statement_id"] == tax["id"] and evidence["stance"] == "support"
        after = client.get(f"/api/topics/{corpus.topic}/positions").json()["items"][0]
        assert (after["actor"]["id"], after["stance"], after["changes"]) == (corpus.roe, "support", 2)
        other = client.get("/api/statements", params={"topic": corpus.empty_topic}).json()
        assert tax["id"] not in {s["id"] for s in other["items"]}
        assert dock["id"] not in {s["id"] for s in about["items"]}


def test_a_missing_figure_is_computed_once_for_concurrent_readers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time

    from saywho.store import open_db
    from saywho.web import data

    calls: list[int] = []

    @data.cached
    def slow(db: Database, n: int) -> int:
        calls.append(n)
        time.sleep(0.2)
        return n * 2

    database = open_db(str(tmp_path / "c.db"))
    data.set_cache_seconds(database, 60)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(slow(database, 21))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and calls == [21]
    # A result computed across an invalidation is not kept.
    t = threading.Thread(target=lambda: slow(database, 5))
    t.start()
    time.sleep(0.05)
    data.invalidate(database)
    t.join()
    assert slow(database, 5) == 10 and calls == [21, 5, 5]
    database.dispose()
