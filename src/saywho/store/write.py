"""The write path: already-extracted articles into the database, one transaction per article.

:func:`store_batch` is what ``saywho ingest`` calls, and what the web app
(POSTed articles) and distributed runs (batches from workers) should call:

- **Idempotent.** An article is known by its canonical URL, else by the hash
  of its normalised text (whitespace collapsed, Unicode NFKC). Storing a known
  article again changes nothing, unless its statements came from another
  extractor version and ``replace`` is set (``saywho ingest --reprocess``).
- **Crash-safe.** The article row, its statements, their actors and quote
  clusters are written in one transaction: a process killed at any point
  leaves each article either absent or complete.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from saywho import EXTRACTOR_VERSION
from saywho.records import Article, Statement
from saywho.store import actors as actors_mod
from saywho.store import clusters as clusters_mod
from saywho.store.db import Database
from saywho.store.names import parse
from saywho.store.schema import articles, failures, statements

Status = Literal["new", "known", "reprocessed"]
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.IGNORECASE)
_WS = re.compile(r"\s+")
RETRIES = 3


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing one article did."""

    article_id: int
    status: Status
    statements: int


def canonical_url(url: str | None) -> str | None:
    """The URL an article is known by: scheme and host lower-cased, no fragment, no tracking parameters."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    host = parts.netloc.lower()
    if (parts.scheme == "http" and host.endswith(":80")) or (
        parts.scheme == "https" and host.endswith(":443")
    ):
        host = host.rsplit(":", 1)[0]
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode compatibility forms folded (NFKC) and whitespace collapsed."""
    norm = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def key_of(url: str | None, hash_: str) -> str:
    """An article's identity as one string (used by actor pins): ``url:…`` or ``sha256:…``."""
    return f"url:{url}" if url else f"sha256:{hash_}"


def said_on(st: Statement, published: date | None) -> date | None:
    """When a statement was made: its own date (a week's, month's or year's first day), else publication."""
    if st.date is not None:
        value = st.date.value
        try:
            if len(value) == 4:
                return date(int(value), 1, 1)
            if len(value) == 7:
                return date(int(value[:4]), int(value[5:7]), 1)
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    return published


def find_article(conn: Connection, url: str | None, hash_: str) -> Row | None:
    """The stored article with this identity: same URL; or, for text without a URL, same text.

    An article given with a URL also matches a stored copy of the same text
    that had none (the URL is then added to it).
    """
    cols = (articles.c.id, articles.c.url, articles.c.extractor_version, articles.c.content_hash)
    if url is not None:
        row = conn.execute(select(*cols).where(articles.c.url == url)).first()
        if row is not None:
            return row
        return conn.execute(
            select(*cols).where(articles.c.content_hash == hash_, articles.c.url.is_(None))
        ).first()
    return conn.execute(select(*cols).where(articles.c.content_hash == hash_).order_by(articles.c.id)).first()


def lookup(database: Database, article: Article) -> Row | None:
    """The stored row for ``article`` (before extracting it: known articles need no extraction)."""
    with database.engine.connect() as conn:
        return find_article(conn, canonical_url(article.url), content_hash(article.text))


def store_article(
    database: Database,
    article: Article,
    found: Sequence[Statement] | None,
    *,
    extractor_version: str = EXTRACTOR_VERSION,
    source_kind: str = "api",
    path: str | None = None,
    source_id: str | None = None,
    replace: bool = False,
) -> Stored:
    """Store one article and its statements (``None``: not extracted) in one transaction.

    Two writers storing the same new article at once (PostgreSQL lets them run side by side): the
    second one's insert violates the unique URL or text hash, its transaction is rolled back, and
    it finds the article known on its second try. A transaction PostgreSQL aborts to break a
    deadlock is tried again too.
    """
    for attempt in range(1, RETRIES + 1):
        try:
            return _store_article(
                database, article, found, extractor_version, source_kind, path, source_id, replace
            )
        except IntegrityError:
            if attempt == RETRIES:
                raise
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) not in ("40P01", "40001") or attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


def _store_article(
    database: Database,
    article: Article,
    found: Sequence[Statement] | None,
    extractor_version: str,
    source_kind: str,
    path: str | None,
    source_id: str | None,
    replace: bool,
) -> Stored:
    url = canonical_url(article.url)
    hash_ = content_hash(article.text)
    now = datetime.now(UTC)
    with database.writer.begin() as conn:
        row = find_article(conn, url, hash_)
        if row is not None:
            if url and row.url is None:
                conn.execute(update(articles).where(articles.c.id == row.id).values(url=url))
            stale = found is not None and row.extractor_version != extractor_version
            if not (stale and (replace or row.extractor_version is None)):
                return Stored(row.id, "known", 0)
            _remove_statements(conn, row.id)
            article_id, status = row.id, "reprocessed"
        else:
            article_id = conn.execute(
                insert(articles)
                .values(
                    url=url,
                    content_hash=hash_,
                    label=article.id,
                    path=path,
                    source_id=source_id,
                    source_kind=source_kind,
                    title=article.title,
                    outlet=article.outlet,
                    author=article.author,
                    published=article.published,
                    text=article.text,
                    words=len(article.text.split()),
                    ingested_at=now,
                )
                .returning(articles.c.id)
            ).scalar_one()
            status = "new"
        n = 0
        if found is not None:
            n = _insert_statements(conn, article_id, key_of(url or row_url(row), hash_), article, found)
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(extractor_version=extractor_version, extracted_at=now, n_statements=n)
            )
        return Stored(article_id, status, n)


def row_url(row: Row | None) -> str | None:
    return row.url if row is not None else None


def store_batch(
    database: Database,
    batch: Iterable[tuple[Article, Sequence[Statement] | None]],
    *,
    extractor_version: str = EXTRACTOR_VERSION,
    source_kind: str = "api",
    replace: bool = False,
) -> list[Stored]:
    """Store already-extracted ``(article, statements)`` pairs, each in its own transaction."""
    return [
        store_article(
            database, a, s, extractor_version=extractor_version, source_kind=source_kind, replace=replace
        )
        for a, s in batch
    ]


def _insert_statements(
    conn: Connection, article_id: int, key: str, article: Article, found: Sequence[Statement]
) -> int:
    rows = []
    for seq, st in enumerate(found):
        sp = st.speaker
        record = st.to_dict()
        record["article"] = article.id
        rows.append(
            {
                "article_id": article_id,
                "seq": seq,
                "kind": st.kind,
                "content": st.content_text,
                "cue": st.cue.text if st.cue else None,
                "speaker_text": sp.text if sp else None,
                "speaker_name": sp.name if sp else None,
                "speaker_role": sp.role if sp else None,
                "speaker_org": sp.org if sp else None,
                "speaker_country": sp.country if sp else None,
                "addressee": (st.addressee.name or st.addressee.text) if st.addressee else None,
                "date_value": st.date.value if st.date else None,
                "date_precision": st.date.precision if st.date else None,
                "said_on": said_on(st, article.published),
                "confidence": float(st.confidence),
                "record": json.dumps(record, ensure_ascii=False, separators=(",", ":")),
            }
        )
    if not rows:
        return 0
    ids = [
        r.id
        for r in conn.execute(
            insert(statements).returning(statements.c.id, sort_by_parameter_order=True), rows
        )
    ]
    # One mention per distinct speaker: resolved once, with the article's other speakers as context.
    by_name: dict[str, list[int]] = {}
    for i, st in enumerate(found):
        if st.speaker and st.speaker.name and parse(st.speaker.name):
            by_name.setdefault(st.speaker.name, []).append(i)
    norms = {name: parse(name).norm for name in by_name}  # type: ignore[union-attr]
    actors_mod.lock_names(conn, [p for p in (parse(name) for name in by_name) if p])
    quotes: list[clusters_mod.Quote] = []
    for name, idx in by_name.items():
        parsed = parse(name)
        assert parsed is not None
        first = found[idx[0]].speaker
        assert first is not None
        role = next((found[i].speaker.role for i in idx if found[i].speaker.role), None)  # type: ignore[union-attr]
        org = next((found[i].speaker.org for i in idx if found[i].speaker.org), None)  # type: ignore[union-attr]
        country = next((found[i].speaker.country for i in idx if found[i].speaker.country), None)  # type: ignore[union-attr]
        mention = actors_mod.Mention(
            name=parsed,
            role=role,
            org=org,
            country=country,
            when=article.published or rows[idx[0]]["said_on"],
            context={n for other, n in norms.items() if other != name},
            count=len(idx),
        )
        actor_id = actors_mod.resolve(conn, mention, key)
        conn.execute(
            update(statements).where(statements.c.id.in_([ids[i] for i in idx])).values(actor_id=actor_id)
        )
        quotes.extend(
            clusters_mod.Quote(ids[i], actor_id, rows[i]["content"], article_id, rows[i]["said_on"])
            for i in idx
        )
    clusters_mod.assign(conn, quotes)
    return len(rows)


def _remove_statements(conn: Connection, article_id: int) -> None:
    """An article's statements removed before re-extraction, with their actors' and clusters' counts."""
    old = conn.execute(
        select(statements.c.actor_id, statements.c.cluster_id).where(statements.c.article_id == article_id)
    ).all()
    conn.execute(delete(statements).where(statements.c.article_id == article_id))
    actors_mod.detach(conn, Counter(r.actor_id for r in old if r.actor_id is not None))
    clusters_mod.refresh(conn, sorted({r.cluster_id for r in old if r.cluster_id is not None}))


def record_failure(database: Database, source: str, reason: str, run_id: int | None = None) -> None:
    with database.writer.begin() as conn:
        conn.execute(
            insert(failures).values(run_id=run_id, source=source, reason=reason, at=datetime.now(UTC))
        )
