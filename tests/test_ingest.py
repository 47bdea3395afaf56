"""Ingesting from every kind of source: files, folders, web pages, tables, WARC archives, URLs and feeds.

Web sources are served by a server this test starts on 127.0.0.1; nothing else is ever contacted.
Extraction is the stand-in QuoteFinder (every quoted passage is a statement).
"""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from saywho.cli import app
from saywho.ingest import Failure, Item
from saywho.ingest.fetch import Fetcher, FetchError, check_address
from saywho.ingest.html import from_html
from saywho.store import open_db, read
from saywho.store.schema import articles, failures
from support import QuoteFinder

PARA = (
    "<p>The harbour council met on Monday to discuss the plan to widen the old port, which has divided "
    "the town for a decade and split the council into two camps of almost equal size.</p>"
)


def page(title: str, quote: str, *, published: str | None = "2024-03-05", author: str = "Ann Writer") -> str:
    meta = f'<meta property="article:published_time" content="{published}T09:00:00Z">' if published else ""
    return (
        f"<html><head><title>{title} | Harbour Times</title>{meta}"
        f'<meta name="author" content="{author}"><meta property="og:site_name" content="Harbour Times">'
        f"</head><body><nav>Home · World · Sport · Subscribe</nav><article><h1>{title}</h1>{PARA}"
        f"<p>“{quote},” the mayor, Ann Lee, told the council on Monday evening.</p>{PARA}</article>"
        "<footer>© Harbour Times. All rights reserved.</footer></body></html>"
    )


def ingest(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["ingest", "--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def stored(db: str) -> list[dict]:
    database = open_db(db)
    rows = read.article_list(database, read.ArticleFilters(), limit=None, with_text=True)
    database.dispose()
    return sorted(rows, key=lambda r: r["label"])


def stored_failures(db: str) -> list[tuple[str, str]]:
    database = open_db(db)
    with database.engine.connect() as conn:
        rows = [(r.source, r.reason) for r in conn.execute(select(failures).order_by(failures.c.id))]
    database.dispose()
    return rows


# --- files -------------------------------------------------------------------------------------------


def test_web_page_text_and_metadata(tmp_path: Path) -> None:
    item = from_html(page("Port plan", "We will widen the port"), "p.html")
    assert isinstance(item, Item)
    a = item.article
    assert (a.title, a.author, a.outlet, a.published) == (
        "Port plan",
        "Ann Writer",
        "Harbour Times",
        date(2024, 3, 5),
    )
    assert "“We will widen the port,” the mayor" in a.text
    assert "Subscribe" not in a.text and "rights reserved" not in a.text  # boilerplate left out


def test_publication_date_is_declared_never_guessed() -> None:
    import htmldate

    html = page("Port plan", "We will widen the port", published=None).replace(
        "<h1>", "<p>Filed 5 March 2021 by our reporter.</p><h1>"
    )
    assert htmldate.find_date(html) == "2021-03-05"  # htmldate's extensive search would guess from the text
    item = from_html(html, "p.html")
    assert isinstance(item, Item) and item.article.published is None


def test_a_page_without_text_is_a_failure() -> None:
    assert isinstance(
        from_html(
            "<html><head><title>t</title></head><body><script>var x = 1;</script></body></html>", "e.html"
        ),
        Failure,
    )


def test_folders_mix_every_file_kind(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    news = Path("news")
    (news / "sub").mkdir(parents=True)
    (news / "a.txt").write_text("“The bridge will open in May,” the minister said.\n", encoding="utf-8")
    (news / "sub" / "b.html").write_text(page("Port plan", "We will widen the port"), encoding="utf-8")
    (news / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a kind saywho reads: skipped in a folder
    rows = [
        {"text": "“Rates stay where they are,” the governor said.", "id": "r1", "outlet": "Ledger",
         "published": "2024-02-01", "url": "https://ledger.example/r1", "title": "Rates"},
        {"text": "   "},
        {"text": "“Ships wait,” a pilot said.", "published": "next week"},
    ]  # fmt: skip
    (news / "c.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n{not json\n[1, 2]\n", encoding="utf-8"
    )
    (news / "d.csv").write_text(
        "id,text,outlet,published\n"
        'c1,"“Strikes end today,” the union said.",Courier,2024-01-05\n'
        "c2,,Courier,\n",
        encoding="utf-8",
    )
    code, out, err = ingest(runner, "c.db", "news")
    assert code == 1, err
    assert "4 new" in out and "5 failed" in out
    by_label = {r["label"]: r for r in stored("c.db")}
    assert set(by_label) == {"news/a.txt", "news/sub/b.html", "r1", "c1"}
    r1 = by_label["r1"]
    assert (r1["url"], r1["outlet"], r1["published"], r1["title"]) == (
        "https://ledger.example/r1",
        "Ledger",
        date(2024, 2, 1),
        "Rates",
    )
    assert by_label["c1"]["outlet"] == "Courier" and by_label["news/sub/b.html"]["outlet"] == "Harbour Times"
    assert all(r["n_statements"] == 1 for r in by_label.values())
    reasons = dict(stored_failures("c.db"))
    assert reasons["news/c.jsonl:2"].startswith("no text")
    assert "is not a date" in reasons["news/c.jsonl:3"]
    assert reasons["news/c.jsonl:4"].startswith("not JSON")
    assert reasons["news/c.jsonl:5"] == "not a JSON object"
    assert reasons["news/d.csv:3"].startswith("no text")
    # Each failure is one stderr line naming the source.
    assert sum(line.startswith("saywho: news/c.jsonl:") for line in err.splitlines()) == 4
    # The same run again adds nothing; the failures are tried (and recorded) again.
    code, out, _ = ingest(runner, "c.db", "news")
    assert "0 new, 4 already known" in out
    assert len(stored("c.db")) == 4


def test_usage_errors_and_unreadable_files(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = ingest(runner, "u.db", "missing.txt")
    assert code == 2 and "no such file" in err
    code, _, err = ingest(runner, "u.db", "ftp://example.org/x")
    assert code == 2 and "only http:// and https://" in err
    code, _, err = ingest(runner, "u.db")
    assert code == 2
    Path("bin.txt").write_bytes(b"\x00\x01\x02 binary")
    Path("report.docx").write_bytes(b"PK")
    code, out, err = ingest(runner, "u.db", "bin.txt", "report.docx")
    assert code == 1 and "2 failed" in out
    assert "saywho: bin.txt: binary data" in err and "saywho: report.docx: unsupported file type" in err
    assert quote_finder.calls == 0  # nothing to extract: spaCy never loaded
    code, _, err = ingest(runner, "/no/such/dir/u.db", "bin.txt")
    assert code == 4 and "no such directory" in err


# --- web archives ------------------------------------------------------------------------------------


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        response("https://harbour.example/a", "200 OK", "text/html; charset=utf-8", page("A", "One").encode())
        response("https://harbour.example/gone", "404 Not Found", "text/html", b"<html>gone</html>")
        response("https://harbour.example/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response(
            "https://harbour.example/b",
            "200 OK",
            "text/html",
            page("B", "Two", published="2024-03-06").encode(),
        )


def test_warc_pages_are_articles(runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path) -> None:
    _warc(tmp_path / "crawl.warc.gz")
    db = str(tmp_path / "w.db")
    code, out, err = ingest(runner, db, str(tmp_path / "crawl.warc.gz"))
    assert code == 0, err
    rows = stored(db)
    assert [(r["url"], r["title"], r["published"]) for r in rows] == [
        ("https://harbour.example/a", "A", date(2024, 3, 5)),
        ("https://harbour.example/b", "B", date(2024, 3, 6)),
    ]
    assert {r["source_kind"] for r in rows} == {"warc"}
    code, out, _ = ingest(runner, db, str(tmp_path / "crawl.warc.gz"))
    assert "0 new, 2 already known" in out
    (tmp_path / "broken.warc.gz").write_bytes(b"\x1f\x8b not really gzip")
    code, _, err = ingest(runner, db, str(tmp_path / "broken.warc.gz"))
    assert code == 1 and "cannot read the WARC file" in err


# --- the web, on loopback ----------------------------------------------------------------------------


class Site:
    """A web server on 127.0.0.1 serving fixed responses, counting requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] += 1
                status, headers, body = site.routes.get(
                    self.path, (404, {"Content-Type": "text/html"}, b"no")
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def html(self, path: str, body: str) -> None:
        self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())

    def redirect(self, path: str, to: str) -> None:
        self.routes[path] = (302, {"Location": to}, b"")


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def rss(site: Site, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Feed title {p}</title><link>{site.base}{p}</link>"
        f"<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        f"<link>{site.base}/</link><description>news</description>{items}</channel></rss>"
    ).encode()


def test_loopback_is_refused_unless_allowed(
    runner: CliRunner, quote_finder: QuoteFinder, site: Site, tmp_path: Path
) -> None:
    site.html("/a", page("A", "We will widen the port"))
    db = str(tmp_path / "n.db")
    code, _, err = ingest(runner, db, f"{site.base}/a")
    assert code == 1 and "refused" in err and "loopback" in err and "--allow-private" in err
    assert site.hits["/a"] == 0  # not a single request went out
    code, _out, err = ingest(runner, db, "--allow-private", f"{site.base}/a")
    assert code == 0, err
    (row,) = stored(db)
    assert (row["url"], row["title"], row["outlet"], row["n_statements"]) == (
        f"{site.base}/a",
        "A",
        "Harbour Times",
        1,
    )


def test_fetching_limits(runner: CliRunner, quote_finder: QuoteFinder, site: Site, tmp_path: Path) -> None:
    site.html("/final", page("Final", "We got here in the end"))
    site.redirect("/r1", "/r2")
    site.redirect("/r2", f"{site.base}/final")
    site.redirect("/loop", "/loop")
    site.routes["/image"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    site.html("/big", page("Big", "x" * 5000))
    site.routes["/plain"] = (200, {"Content-Type": "text/plain"}, "“Plain text works,” she said.".encode())
    db = str(tmp_path / "f.db")
    urls = [f"{site.base}{p}" for p in ("/r1", "/loop", "/image", "/missing", "/big", "/plain")]
    code, _out, _err = ingest(runner, db, "--allow-private", "--max-bytes", "4000", *urls)
    assert code == 1
    reasons = dict(stored_failures(db))
    assert reasons[f"{site.base}/loop"] == "more than 5 redirects"
    assert reasons[f"{site.base}/image"] == "unsupported content type 'image/png'"
    assert reasons[f"{site.base}/missing"] == "HTTP 404 Not Found"
    assert reasons[f"{site.base}/big"].startswith("too large")
    assert site.hits["/loop"] == 6
    assert {r["url"] for r in stored(db)} == {f"{site.base}/final", f"{site.base}/plain"}


def test_feeds_fetch_each_article_once(
    runner: CliRunner, quote_finder: QuoteFinder, site: Site, tmp_path: Path
) -> None:
    site.html("/one", page("One", "The port stays open", published=None, author=""))
    site.html("/two", page("Two", "The port closes at night"))
    site.routes["/feed.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        rss(site, ["/one", "/two", "/gone"]),
    )
    db = str(tmp_path / "feed.db")
    code, out, err = ingest(runner, db, "--allow-private", f"{site.base}/feed.xml")
    assert code == 1 and "2 new" in out and "1 failed" in out
    assert f"saywho: {site.base}/gone: HTTP 404" in err
    one, two = stored(db)
    assert one["published"] == date(2024, 3, 4)  # the page has no date: the feed entry's
    assert two["published"] == date(2024, 3, 5)  # the page's own date wins
    assert one["title"] == "One" and one["source_kind"] == "feed"
    # Again: the feed is read, known articles are not fetched again.
    code, out, _ = ingest(runner, db, "--allow-private", f"{site.base}/feed.xml")
    assert "0 new, 2 already known" in out
    assert (site.hits["/feed.xml"], site.hits["/one"], site.hits["/two"], site.hits["/gone"]) == (2, 1, 1, 2)
    # A saved feed file works the same way.
    (tmp_path / "saved.rss").write_bytes(rss(site, ["/one"]))
    code, out, _ = ingest(runner, db, "--allow-private", str(tmp_path / "saved.rss"))
    assert code == 0 and "1 already known" in out


def test_address_checks() -> None:
    for address in ("127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                    "::ffff:127.0.0.1", "fd00::1", "0.0.0.0", "224.0.0.1", "100.64.0.1"):  # fmt: skip
        assert check_address(address) is not None, address
    for address in ("93.184.216.34", "2606:4700::1111", "8.8.8.8"):  # classified only: never contacted
        assert check_address(address) is None, address


def test_a_name_resolving_to_loopback_is_refused() -> None:
    with Fetcher() as fetcher, pytest.raises(FetchError, match="loopback"):
        fetcher.get("http://localhost:9/")
    with Fetcher() as fetcher, pytest.raises(FetchError, match="not an http"):
        fetcher.get("file:///etc/passwd")


def test_failures_are_stored_with_their_run(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("ok.txt").write_text("“Fine,” he said, and left the room.", encoding="utf-8")
    Path("boom.txt").write_text("“EXPLODE,” the rule said.", encoding="utf-8")
    code, out, err = ingest(runner, "r.db", "ok.txt", "boom.txt")
    assert code == 1 and "1 new" in out
    assert "saywho: boom.txt: extraction failed: RuntimeError: rule crashed" in err
    database = open_db("r.db")
    with database.engine.connect() as conn:
        (row,) = conn.execute(select(failures.c.run_id, failures.c.source)).all()
        assert row.source == "boom.txt" and row.run_id is not None
        assert conn.execute(select(articles.c.label)).scalars().all() == ["ok.txt"]
    database.dispose()


def test_the_number_of_articles_is_known_only_for_plain_files(tmp_path: Path) -> None:
    from saywho.ingest.sources import count_articles

    (tmp_path / "d").mkdir()
    for name in ("a.txt", "b.html", "c.pdf"):
        (tmp_path / "d" / name).write_text("x", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text("{}", encoding="utf-8")
    assert count_articles([str(tmp_path / "d"), str(tmp_path / "d" / "a.txt")]) == 3
    assert count_articles([str(tmp_path / "d"), str(tmp_path / "t.jsonl")]) is None  # rows unknown
    assert count_articles(["https://example.org/feed"]) is None
