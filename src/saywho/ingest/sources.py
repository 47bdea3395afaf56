"""What a SOURCE given to ``saywho ingest`` is, and the articles it holds.

- ``http://…`` / ``https://…``: fetched; a feed (by content type, or by its
  content when served as something generic) yields the articles it links
  to, anything else is read as one web page.
- a folder: every readable file inside, recursively, in sorted order.
- a file, by its extension: ``.txt`` (plain text), ``.html``/``.htm``/
  ``.xhtml`` (web page), ``.jsonl``/``.ndjson`` and ``.csv`` (tables of
  articles), ``.warc``/``.warc.gz`` (web archives), ``.rss``/``.atom``/
  ``.xml`` (a saved feed: its links are fetched).
- ``-``: plain text on standard input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from saywho import textio
from saywho.ingest import Failure, Item, Known, SourceError
from saywho.ingest.feed import read_feed
from saywho.ingest.fetch import Fetcher, FetchError
from saywho.ingest.html import from_html
from saywho.ingest.tabular import read_csv, read_jsonl
from saywho.ingest.warc import read_warc
from saywho.records import Article

TEXT = (".txt",)
HTML = (".html", ".htm", ".xhtml")
JSONL = (".jsonl", ".ndjson")
CSV = (".csv",)
WARC = (".warc", ".warc.gz", ".arc.gz")
FEED = (".rss", ".atom", ".xml")
KNOWN_SUFFIXES = TEXT + HTML + JSONL + CSV + WARC + FEED


@dataclass(slots=True)
class Options:
    allow_private: bool = False
    max_bytes: int = textio.DEFAULT_MAX_BYTES
    encoding: str = textio.DEFAULT_ENCODING


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for kind, suffixes in (
        ("txt", TEXT),
        ("html", HTML),
        ("jsonl", JSONL),
        ("csv", CSV),
        ("warc", WARC),
        ("feed", FEED),
    ):
        if name.endswith(suffixes):
            return kind
    return None


def check(sources: list[str]) -> None:
    """Raise :class:`SourceError` for a source that names nothing (checked before anything runs)."""
    for source in sources:
        if source == textio.STDIN or is_url(source):
            continue
        if "://" in source:
            raise SourceError(f"{source}: only http:// and https:// URLs can be fetched")
        if not os.path.lexists(source):
            raise SourceError(f"{source}: no such file or directory")
    if sources.count(textio.STDIN) > 1:
        raise SourceError("- (standard input) can be given only once")


def count_articles(sources: list[str]) -> int | None:
    """How many articles the sources hold, when that is known before reading them: one per .txt or
    .html file. None as soon as one source is a URL, a feed, a table or an archive."""
    total = 0
    for source in sources:
        if source == textio.STDIN or is_url(source):
            return None
        path = Path(source)
        for f in files_in(path) if path.is_dir() else [path]:
            if _kind(f) not in ("txt", "html"):
                return None
            total += 1
    return total


def files_in(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):  # symlinked folders are not followed: no loops
        dirs.sort()
        found.extend(Path(folder) / f for f in files if _kind(Path(f)) is not None)
    return sorted(found)


def read(
    source: str, options: Options, fetcher: Callable[[], Fetcher], is_known: Callable[[str], bool]
) -> Iterator[Item | Failure | Known]:
    """The articles in one source, as they are read."""
    if is_url(source):
        yield from _read_url(source, fetcher(), is_known)
        return
    if source == textio.STDIN:
        yield _read_text(textio.Source(textio.STDIN, None), options)
        return
    path = Path(source)
    if path.is_dir():
        files = files_in(path)
        if not files:
            yield Failure(source, "no readable files in this directory (.txt, .html, .jsonl, .csv, .warc, …)")
        for f in files:
            yield from _read_file(f, str(f), options, fetcher, is_known)
        return
    yield from _read_file(path, source, options, fetcher, is_known)


def _read_text(src: textio.Source, options: Options) -> Item | Failure:
    try:
        text = textio.read_article(src, encoding=options.encoding, max_bytes=options.max_bytes)
    except textio.InputError as exc:
        return Failure(src.label, exc.message)
    if not text:
        return Failure(src.label, "empty, nothing to extract")
    return Item(Article(id=src.label, text=text), "txt", path=None if src.is_stdin else src.label)


def _read_bytes(path: Path, label: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"too large: {size:,} bytes, the limit is {max_bytes:,} (see --max-bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}".lower()) from None


def _read_file(
    path: Path,
    label: str,
    options: Options,
    fetcher: Callable[[], Fetcher],
    is_known: Callable[[str], bool],
) -> Iterator[Item | Failure | Known]:
    kind = _kind(path)
    if path.is_dir():
        yield from read(label, options, fetcher, is_known)
        return
    if kind is None:
        yield Failure(label, f"unsupported file type (readable: {', '.join(KNOWN_SUFFIXES)})")
        return
    if kind == "txt":
        yield _read_text(textio.Source(label, path), options)
        return
    if kind == "jsonl":
        yield from _guard(label, lambda: read_jsonl(path, label))
        return
    if kind == "csv":
        yield from _guard(label, lambda: read_csv(path, label))
        return
    if kind == "warc":
        yield from read_warc(path, label, is_known, options.max_bytes)
        return
    try:
        body = _read_bytes(path, label, options.max_bytes)
    except SourceError as exc:
        yield Failure(label, str(exc))
        return
    if kind == "html":
        item = from_html(body, label=label)
        if isinstance(item, Item):
            item = Item(item.article, "html", path=label)
        yield item
        return
    yield from read_feed(body, label, fetcher(), is_known)


def _guard(label: str, make: Callable[[], Iterator[Item | Failure]]) -> Iterator[Item | Failure]:
    try:
        yield from make()
    except OSError as exc:
        yield Failure(label, f"cannot read: {exc.strerror or exc}".lower())


def _read_url(
    url: str, fetcher: Fetcher, is_known: Callable[[str], bool]
) -> Iterator[Item | Failure | Known]:
    if is_known(url):
        yield Known(url)
        return
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        yield Failure(url, str(exc))
        return
    if page.is_feed or _looks_like_feed(page.body):
        yield from read_feed(page.body, url, fetcher, is_known, base_url=page.url)
        return
    if page.content_type == "text/plain":
        try:
            text = textio.decode(page.body)
        except textio.InputError as exc:
            yield Failure(url, exc.message)
            return
        if not text:
            yield Failure(url, "empty, nothing to extract")
            return
        yield Item(Article(id=url, text=text, url=page.url), "url")
        return
    yield from_html(page.body, label=url, url=page.url, kind="url")


def _looks_like_feed(body: bytes) -> bool:
    """A feed served as text/html or text/plain (it happens): its root element says what it is."""
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
