"""Reading news from wherever it lives: files, folders, web pages, URLs, feeds, web archives.

Each reader yields, per article it finds, an :class:`Item` (the article and
where it came from), a :class:`Failure` (the source and a one-line reason;
the run goes on), or :class:`Known` (an article already stored, found
without fetching it again). ``saywho.ingest.run`` turns them into stored,
extracted articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from saywho.records import Article


@dataclass(frozen=True, slots=True)
class Item:
    article: Article
    kind: str  # txt | html | jsonl | csv | url | feed | warc
    path: str | None = None  # the local file it came from
    source_id: str | None = None  # the id a jsonl/csv row gave


@dataclass(frozen=True, slots=True)
class Failure:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Known:
    source: str  # a URL found already stored: not fetched again


class SourceError(Exception):
    """A source that cannot be read at all; ``str()`` is one line."""
