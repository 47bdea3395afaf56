"""End to end in a real headless Chromium (Debian's ``chromium``, driven by Playwright; Playwright's own
browser downloads are never used): the server runs in a thread on a free port over the web_support
corpus. Screenshots of the article, actor and topic pages go to ``build/screenshots/``.

Without a browser these tests are skipped, saying why; with ``SAYWHO_REQUIRE_BROWSER`` set (CI) they
fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import web_support as ws
from saywho.store import open_db
from saywho.web import create_app
from saywho.web.security import Settings
from support import QuoteFinder

CHROMIUM = os.environ.get("SAYWHO_CHROMIUM") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (make venv installs it)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (make browser installs Debian's chromium; or set SAYWHO_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("SAYWHO_REQUIRE_BROWSER"):
            pytest.fail(f"SAYWHO_REQUIRE_BROWSER is set but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ws.Corpus]]:
    import uvicorn

    database = open_db(str(tmp_path_factory.mktemp("browser") / "corpus.db"))
    corpus = ws.build(database)
    app = create_app(Settings(token=ws.TOKEN), db=database, make_extractor=QuoteFinder)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", corpus
    server.should_exit = True
    thread.join(10)
    database.dispose()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_click_a_statement_shows_its_highlight_and_record(page: Any, site: tuple[str, ws.Corpus]) -> None:
    base, corpus = site
    first, second = corpus.statements["a1"]
    page.goto(f"{base}/articles/{corpus.articles['a1']}")
    record = page.locator(f"#st-{first}")
    assert not record.evaluate("el => el.open")
    # Click the speaker's mention ("Ruritanian Finance Minister Jane Roe") in the text.
    speaker = page.locator(f'#text span[data-roles~="{first}:speaker"]').first
    speaker.click()
    assert record.evaluate("el => el.open")
    assert record.is_visible() and "selected" in (record.get_attribute("class") or "")
    dl = record.locator("dl")
    assert "Parliament of Ruritania" in dl.inner_text() and "2024-01-09" in dl.inner_text()
    # Its spans are highlighted, each by its role in this statement; the other statement's are not.
    on = page.locator("#text .hl.on")
    active = set(on.evaluate_all("els => els.map(e => e.getAttribute('data-active'))"))
    assert active == {"speaker", "cue", "content", "addressee", "relay", "date"}
    lit = "".join(on.evaluate_all("els => els.map(e => e.textContent)"))
    assert "a border tax was needed" in lit and "No tax" not in lit
    colours = {
        role: page.locator(f'#text .hl.on[data-active="{role}"]').first.evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        for role in ("speaker", "content")
    }
    assert colours["speaker"] != colours["content"]  # the roles are told apart by colour
    shoot(page, "article")
    # Opening the other record selects it instead.
    page.locator(f"#st-{second} summary").click()
    assert page.locator(f"#st-{second}").evaluate("el => el.open")
    assert not record.evaluate("el => el.open")
    lit = "".join(page.locator("#text .hl.on").evaluate_all("els => els.map(e => e.textContent)"))
    assert "No tax without a vote" in lit and "a border tax was needed" not in lit
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_link_to_a_statement_opens_it(page: Any, site: tuple[str, ws.Corpus]) -> None:
    base, corpus = site
    sid = corpus.statements["a2"][1]
    page.goto(f"{base}/articles/{corpus.articles['a2']}#st-{sid}")
    assert page.locator(f"#st-{sid}").evaluate("el => el.open")
    assert page.locator("#text .hl.on").count() >= 3  # speaker, cue, content, addressee


def test_topic_page_chart_renders(page: Any, site: tuple[str, ws.Corpus]) -> None:
    base, corpus = site
    page.goto(f"{base}/topics/{corpus.topic}")
    chart = page.locator("#stance-chart svg")
    assert chart.is_visible()
    bars = page.locator("#stance-chart rect.bar")
    assert bars.count() == 3
    boxes = [bars.nth(i).bounding_box() for i in range(3)]
    assert all(b is not None and b["height"] > 5 and b["width"] > 5 for b in boxes)
    # January's two support statements stand twice as tall as March's one neutral.
    heights = {bars.nth(i).get_attribute("data-series"): boxes[i]["height"] for i in range(3)}  # type: ignore[index]
    assert heights["support"] == pytest.approx(2 * heights["neutral"], rel=0.02)
    fills = {bars.nth(i).evaluate("el => getComputedStyle(el).fill") for i in range(3)}
    assert len(fills) == 3
    positions = page.locator("table.positions tbody tr")
    assert positions.count() == 2 and "Jane Roe" in positions.first.inner_text()
    shoot(page, "topic")
    page.locator(f'a[href="/articles/{corpus.articles["a3"]}#st-{corpus.statements["a3"][0]}"]').first.click()
    page.wait_for_url(f"**/articles/{corpus.articles['a3']}#st-*")
    assert page.locator(f"#st-{corpus.statements['a3'][0]}").evaluate("el => el.open")


def test_actor_page(page: Any, site: tuple[str, ws.Corpus]) -> None:
    base, corpus = site
    page.goto(f"{base}/actors/{corpus.roe}")
    assert page.locator("h1").inner_text().startswith("Jane Roe")
    assert page.locator("svg.chart rect.bar").count() == 2
    assert "oppose" in page.locator(".topic-pos").inner_text()
    shoot(page, "actor")


def test_ingested_hostile_article_runs_nothing(page: Any, site: tuple[str, ws.Corpus]) -> None:
    """An article carrying script and event handlers, pasted through the form like a user would, then
    shown: its markup is text, no handler runs, even when hovered and clicked."""
    base, corpus = site
    page.goto(f"{base}/login?next=/paste")
    page.fill("input[name=token]", ws.TOKEN)
    page.click("form.login button")
    page.wait_for_url("**/paste")
    page.fill("textarea[name=text]", ws.HOSTILE)
    page.fill("input[name=title]", ws.HOSTILE_TITLE)
    page.click("form.paste button")
    page.wait_for_url("**/articles/*")
    text = page.locator("#text")
    assert text.inner_text() == ws.HOSTILE
    assert page.locator("#text *:not(span.hl)").count() == 0  # no element but the highlights
    for target in ("hover me", "onerror"):
        page.get_by_text(target, exact=False).first.hover()
        page.get_by_text(target, exact=False).first.click()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]
    assert ws.HOSTILE_TITLE in page.locator("h1").inner_text()
    # The same for the stored hostile article, its outlet and its speaker's page.
    for path in (f"/articles/{corpus.articles['evil']}", f"/actors/{corpus.mallory}"):
        page.goto(base + path)
        page.mouse.move(200, 300)
        assert page.evaluate("() => window.__pwned") is None, path
    assert page.dialogs == []  # type: ignore[attr-defined]
