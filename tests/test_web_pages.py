"""The server-rendered pages (TestClient, SQLite): what an analyst sees, hostile text shown as text, the
forms' CSRF protection and log-in; the highlighting and the charts as units."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

import web_support as ws
from saywho.store import Database, open_db
from saywho.web import charts, create_app, highlight
from saywho.web.security import CSRF_COOKIE, Settings, safe_next
from support import QuoteFinder


class Page(HTMLParser):
    """Every element of a page with its attributes, and the text of each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    @property
    def words(self) -> str:
        """The text with every element boundary a space, whitespace collapsed."""
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(str(tmp_path / "web.db"))
    yield database
    database.dispose()


@pytest.fixture
def corpus(sqlite_db: Database) -> ws.Corpus:
    return ws.build(sqlite_db)


@pytest.fixture
def client(sqlite_db: Database, corpus: ws.Corpus) -> Iterator[TestClient]:
    app = create_app(Settings(token=ws.TOKEN), db=sqlite_db, make_extractor=QuoteFinder)
    with TestClient(app) as c:
        yield c


def csrf_of(html: str) -> str:
    """The page's CSRF token (every form on a page carries the same one)."""
    values = {f["value"] for f in Page(html).find("input", name="csrf")}
    assert len(values) == 1
    [value] = values
    assert value
    return value


# --- hostile text ----------------------------------------------------------------------------------------


def test_hostile_article_is_shown_as_text_and_runs_nothing(client: TestClient, corpus: ws.Corpus) -> None:
    """The article, its title, outlet, URL and speaker's name carry markup and script: every page
    showing them has no element or attribute from them, only their text."""
    evil = corpus.articles["evil"]
    for path in (
        f"/articles/{evil}",
        f"/actors/{corpus.mallory}",
        "/articles",
        "/actors",
        "/",
        "/search?q=hover",
        f"/search?speaker=%23{corpus.mallory}",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        page = Page(r.text)
        scripts = [a for t, a in page.tags if t == "script"]
        assert scripts == [{"src": "/static/app.js", "defer": None}], path  # ours alone
        handlers = [(t, k) for t, a in page.tags for k in a if k.lower().startswith("on")]
        assert handlers == [], path
        assert not page.find("img") and not page.find("b") and not page.find("i"), path
        hrefs = [a["href"] or "" for t, a in page.tags if "href" in a]
        assert all(h.startswith(("/", "#", "https://", "http://")) for h in hrefs), path  # no javascript:

    article = Page(client.get(f"/articles/{evil}").text)
    assert ws.HOSTILE in article.all_text  # the text itself, every character, as text
    assert ws.HOSTILE_TITLE in article.all_text and ws.HOSTILE_OUTLET in article.all_text
    assert ws.HOSTILE_NAME in Page(client.get(f"/actors/{corpus.mallory}").text).all_text


def test_article_page_highlights_every_role(client: TestClient, corpus: ws.Corpus) -> None:
    html = client.get(f"/articles/{corpus.articles['a1']}").text
    page = Page(html)
    first, second = corpus.statements["a1"]
    marked: dict[str, set[str]] = {}
    for attrs in page.find("span"):
        for pair in (attrs.get("data-roles") or "").split():
            sid, role = pair.split(":")
            marked.setdefault(sid, set()).add(role)
    assert marked[str(first)] == {"speaker", "cue", "content", "addressee", "relay", "date"}
    assert marked[str(second)] == {"speaker", "cue", "content"}
    # The text of the article is there whole, in order, however it is cut into highlighted pieces.
    [article] = re.findall(r'<article class="text" id="text" lang="en">(.*?)</article>', html, re.S)
    assert Page(article).all_text == ws.A1
    legend = re.search(r'<div class="legend".*?</div>', html, re.S)
    assert legend is not None
    keys = re.findall(r'<span class="hl r-(\w+)">', legend.group(0))
    assert keys == ["speaker", "cue", "content", "addressee", "relay", "date"]
    # Each statement's record, as a details element the script opens.
    assert page.find("details", id=f"st-{first}") and page.find("details", id=f"st-{second}")
    assert "Parliament of Ruritania" in page.all_text and "2024-01-09 (day, “on Tuesday”)" in page.all_text


def test_actor_page(client: TestClient, corpus: ws.Corpus) -> None:
    html = client.get(f"/actors/{corpus.roe}").text
    page = Page(html)
    text = page.words
    assert "Finance Minister" in text and "Ruritania 2024-01-09 2024-02-15 3" in text
    assert page.find("a", href=f"/topics/{corpus.topic}")
    assert "changed stance 1 time" in text
    bars = page.find("rect", **{"class": "bar"})
    assert [b["data-series"] for b in bars] == ["statements", "statements"]  # January and February
    said = [a["href"] for a in page.find("a", **{"class": "src"})]
    assert f"/articles/{corpus.articles['a2']}#st-{corpus.statements['a2'][0]}" in said


def test_topic_page(client: TestClient, corpus: ws.Corpus) -> None:
    html = client.get(f"/topics/{corpus.topic}").text
    page = Page(html)
    assert "Ruritania should introduce a border tax" in page.all_text
    rows = re.findall(r"<tr><td><span class=\"stance s-(\w+)\">.*?</tr>", html, re.S)
    assert rows[:4] == ["support", "oppose", "open", "neutral"]
    summary = re.search(r'<table class="list summary">.*?</table>', html, re.S)
    assert summary is not None
    cells = [" ".join(c.split()) for c in re.findall(r'<td class="num">(.*?)</td>', summary.group(0), re.S)]
    assert [Page(c).all_text for c in cells] == ["0", "2", "2", "2", "0", "0", "0", "1"]
    bars = page.find("rect", **{"class": "bar"})
    assert [b["data-series"] for b in bars] == ["support", "oppose", "neutral"]
    assert "2024-01: 2 support" in page.all_text
    evidence = [a["href"] for a in page.find("a", **{"class": "src"})]
    s = corpus.statements
    assert evidence[0] == f"/articles/{corpus.articles['a3']}#st-{s['a3'][0]}"
    assert len(evidence) == 5
    assert page.find("a", href=f"/actors/{corpus.roe}")
    only = Page(client.get(f"/topics/{corpus.topic}?stance=oppose&since=nonsense").text)
    assert "since: 'nonsense' is not a date in the form YYYY-MM-DD" in only.all_text


def test_search_page_filters(client: TestClient, corpus: ws.Corpus) -> None:
    r = client.get("/search", params={"speaker": "Roe", "topic": corpus.topic, "stance": "support"})
    page = Page(r.text)
    links = [a["href"] for a in page.find("a", **{"class": "src"})]
    s = corpus.statements
    assert links == [
        f"/articles/{corpus.articles['a1']}#st-{s['a1'][1]}",
        f"/articles/{corpus.articles['a1']}#st-{s['a1'][0]}",
    ]
    assert page.find("option", value=str(corpus.topic), selected=None)
    assert "Nothing matches." in Page(client.get("/search?q=zebra").text).all_text
    assert "topic" in Page(client.get("/search?topic=abc").text).all_text


@pytest.mark.parametrize("tables", ["empty", "absent"])
def test_pages_without_topics(tmp_path: Path, tables: str) -> None:
    database = open_db(str(tmp_path / "bare.db"))
    corpus = ws.build(database, topics=False)
    if tables == "absent":
        ws.drop_topic_tables(database)
    with TestClient(create_app(Settings(), db=database)) as c:
        assert "No topics are stored in this database" in c.get("/topics").text
        assert "No stance on any topic stored" in c.get(f"/actors/{corpus.roe}").text
        assert c.get("/topics/1").status_code == 404
        assert c.get("/search?topic=1").status_code == 200
    database.dispose()


def test_missing_pages_are_html_404(client: TestClient) -> None:
    for path in ("/articles/999", "/actors/999", "/topics/999", "/articles/abc", "/nowhere"):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path


# --- forms: CSRF, log-in, paste ----------------------------------------------------------------------------


def log_in(client: TestClient, token: str = ws.TOKEN, next_url: str = "/paste") -> object:
    csrf = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"csrf": csrf, "token": token, "next": next_url}, follow_redirects=False
    )


def test_paste_needs_login_and_csrf(client: TestClient) -> None:
    form = client.get("/paste").text
    assert "Log in with the token" in form
    csrf = csrf_of(client.get("/login").text)
    r = client.post("/paste", data={"csrf": csrf, "text": "“Hi,” she said."})
    assert r.status_code == 401
    assert log_in(client, token="wrong").status_code == 401  # type: ignore[attr-defined]
    r = log_in(client)
    assert r.status_code == 303 and r.headers["location"] == "/paste"  # type: ignore[attr-defined]
    # Logged in, but without the form's token, or with another cookie's, or from another site: refused.
    assert client.post("/paste", data={"text": "“Hi,” she said."}).status_code == 403
    assert client.post("/paste", data={"csrf": "0" * 64, "text": "“Hi,” she said."}).status_code == 403
    csrf = csrf_of(client.get("/paste").text)
    r = client.post(
        "/paste", data={"csrf": csrf, "text": "“Hi,” she said."}, headers={"origin": "https://evil.example"}
    )
    assert r.status_code == 403
    r = client.post(
        "/paste",
        data={
            "csrf": csrf,
            "text": "“We stay,” the mayor said.",
            "title": "Mayor",
            "published": "2024-05-01",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    article = client.get(r.headers["location"])
    assert article.status_code == 200 and "“We stay,”" in Page(article.text).all_text
    assert "Mayor" in Page(article.text).all_text


def test_add_a_topic_from_the_topics_page(client: TestClient) -> None:
    assert "Log in" in client.get("/topics").text and not Page(client.get("/topics").text).find(
        "form", action="/topics"
    )
    log_in(client)
    page = client.get("/topics").text
    assert Page(page).find("form", action="/topics")
    form = {"proposition": "Dockers deserve a rest", "keywords": "dockers", "name": "dockers"}
    assert client.post("/topics", data=form).status_code == 403  # no CSRF token
    r = client.post("/topics", data={**form, "csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/topics/"), r.text
    topic = client.get(r.headers["location"])
    assert topic.status_code == 200 and "Dockers deserve a rest" in Page(topic.text).all_text
    again = client.post("/topics", data={**form, "csrf": csrf_of(page)})
    assert again.status_code == 409 and "dockers" in Page(again.text).all_text


def test_csrf_token_is_bound_to_its_cookie(client: TestClient, sqlite_db: Database) -> None:
    csrf = csrf_of(client.get("/login").text)
    other = TestClient(create_app(Settings(token=ws.TOKEN), db=sqlite_db))
    other.get("/login")
    assert other.cookies.get(CSRF_COOKIE) != client.cookies.get(CSRF_COOKIE)
    r = other.post("/login", data={"csrf": csrf, "token": ws.TOKEN, "next": "/"}, follow_redirects=False)
    assert r.status_code == 403


def test_login_goes_back_only_to_this_site(client: TestClient) -> None:
    for target, expected in [
        ("/topics/1?x=1", "/topics/1?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ]:
        assert safe_next(target) == expected
        client.cookies.clear()
        r = log_in(client, next_url=target)
        assert r.headers["location"] == expected  # type: ignore[attr-defined]


def test_paste_is_refused_when_writes_are_disabled(sqlite_db: Database) -> None:
    with TestClient(create_app(Settings(token=None), db=sqlite_db)) as c:
        assert "started without" in c.get("/paste").text
        csrf = csrf_of(c.get("/login").text)
        assert c.post("/paste", data={"csrf": csrf, "text": "x"}).status_code == 403


# --- units: highlighting and charts ---------------------------------------------------------------------


@st.composite
def text_and_records(draw: st.DrawFn) -> tuple[str, list[tuple[int, dict]]]:  # type: ignore[type-arg]
    text = draw(st.text(alphabet="ab <>&\"'“”\n", min_size=1, max_size=60))
    records = []
    for sid in range(draw(st.integers(0, 4))):
        rec: dict = {"content": []}  # type: ignore[type-arg]
        for role in draw(st.lists(st.sampled_from(highlight.ROLES), max_size=5)):
            a = draw(st.integers(0, len(text)))
            b = draw(st.integers(0, len(text)))
            spec = {"start": min(a, b), "end": max(a, b), "text": text[min(a, b) : max(a, b)]}
            if draw(st.booleans()):
                spec["text"] = "x"  # out of step with the text: must be left out
            if role == "content":
                rec["content"].append(spec)
            elif role == "relay":
                rec.setdefault("relays", []).append(spec)
            else:
                rec[role] = spec
        records.append((sid, rec))
    return text, records


@given(text_and_records())
def test_segments_cover_the_text_and_exactly_the_valid_spans(case: tuple[str, list]) -> None:  # type: ignore[type-arg]
    text, records = case
    segs = highlight.segments(text, records)
    assert "".join(s.text for s in segs) == text
    covered: dict[tuple[int, str, int, int], list[int]] = {}
    pos = 0
    for seg in segs:
        for m in seg.marks:
            covered.setdefault((m.statement, m.role, m.start, m.end), []).append(pos)
            assert m.start <= pos and pos + len(seg.text) <= m.end
        pos += len(seg.text)
    expected = set()
    for sid, rec in records:
        by_role = [("content", x) for x in rec["content"]] + [("relay", x) for x in rec.get("relays", [])]
        by_role += [(role, rec[role]) for role in ("cue", "speaker", "addressee", "date") if role in rec]
        for role, x in by_role:
            if x["start"] < x["end"] and x["text"] == text[x["start"] : x["end"]]:
                expected.add((sid, role, x["start"], x["end"]))
    assert set(covered) == expected


def test_chart_groups_months_and_escapes_labels() -> None:
    months = {f"{y}-{m:02d}": 1 for y in (2020, 2021, 2022, 2023) for m in range(1, 13)}
    periods, [s] = charts.bucket([charts.Series("support", months)])
    assert periods[0] == "2020-Q1" and periods[-1] == "2023-Q4" and len(periods) == 16
    assert s.values["2021-Q2"] == 3
    svg = charts.stacked_bars([charts.Series("<script>", {"2024-01": 2, "2024-03": 1})], title="<b>t</b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    bars = re.findall(r'<rect class="bar"[^>]*height="([\d.]+)"', svg)
    assert len(bars) == 2 and float(bars[0]) == 2 * float(bars[1])
    assert "2024-02" in svg  # an empty month keeps its place
    assert "no dated statements" in charts.stacked_bars([], title="none")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("“No tax without a vote,”", "No tax without a vote"),
        ('"Never."', "Never."),
        ("the tax was “a disgrace”", "the tax was “a disgrace”"),  # not quoted as a whole: kept
        ("“one” and “two”", "“one” and “two”"),  # two quotes: kept
        ("“", "“"),
        (None, ""),
    ],
)
def test_quotes_are_shown_without_their_own_marks(given: str | None, shown: str) -> None:
    from saywho.web.pages import bare_quote

    assert bare_quote(given) == shown


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 1, 1), (2, 2, 1), (7, 8, 2), (1457, 1500, 500), (40, 40, 10)]
)
def test_chart_axis(value: int, top: int, step: int) -> None:
    assert charts.axis(value) == (top, step)
