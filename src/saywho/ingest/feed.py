"""RSS and Atom feeds (feedparser): each entry's linked article is fetched and read as a web page.

A feed names its articles; it does not hold them (most carry a summary at
best). The entry's title, date and author fill in what the page itself
does not say; the feed's title stands in for the outlet.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from saywho.ingest import Failure, Item, Known
from saywho.ingest.fetch import PAGE_TYPES, Fetcher, FetchError
from saywho.ingest.html import from_html


@dataclass(frozen=True, slots=True)
class Entry:
    link: str
    title: str | None
    published: date | None
    author: str | None


def _date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()


def parse(body: bytes, base_url: str | None = None) -> tuple[str | None, list[Entry]] | None:
    """The feed's title and entries; None when ``body`` is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.get("version") and not parsed.entries:
        return None
    entries = [
        Entry(e.get("link"), e.get("title") or None, _date(e), e.get("author") or None)
        for e in parsed.entries
        if e.get("link")
    ]
    return parsed.feed.get("title") or None, entries


def read_feed(
    body: bytes, label: str, fetcher: Fetcher, is_known: Callable[[str], bool], base_url: str | None = None
) -> Iterator[Item | Failure | Known]:
    """Every article the feed links to (fetched), in the feed's order."""
    found = parse(body, base_url)
    if found is None:
        yield Failure(label, "not an RSS or Atom feed")
        return
    feed_title, entries = found
    if not entries:
        yield Failure(label, "the feed has no entries with links")
        return
    for entry in entries:
        if is_known(entry.link):
            yield Known(entry.link)
            continue
        try:
            page = fetcher.get(entry.link, accept=PAGE_TYPES)
        except FetchError as exc:
            yield Failure(entry.link, str(exc))
            continue
        result = from_html(page.body, label=entry.link, url=page.url, kind="feed")
        if isinstance(result, Item):
            a = result.article
            result = replace(
                result,
                article=replace(
                    a,
                    title=a.title or entry.title,
                    published=a.published or entry.published,
                    author=a.author or entry.author,
                    outlet=a.outlet or feed_title,
                ),
            )
        yield result
