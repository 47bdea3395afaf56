"""The ingest loop: sources → articles → extraction in batches → the database, one article at a time.

Known articles are recognised before extraction (an article is extracted
once), failures are stored with their reason and the run goes on, and every
article is committed on its own: a run killed at any moment can simply be
run again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import insert, or_, select, update

from saywho import EXTRACTOR_VERSION
from saywho.batch import Item as BatchItem
from saywho.batch import Piper, extract_each
from saywho.ingest import Failure, Item, Known
from saywho.ingest.fetch import Fetcher
from saywho.ingest.sources import Options, read
from saywho.records import Article
from saywho.store.db import Database
from saywho.store.schema import articles, runs
from saywho.store.write import canonical_url, content_hash, find_article, record_failure, store_article

BATCH = 16  # articles per Extractor.pipe call: spaCy batches inside it


@dataclass(slots=True)
class Summary:
    new: int = 0
    known: int = 0
    reprocessed: int = 0
    failed: int = 0
    statements: int = 0
    words: int = 0  # in the articles stored or re-extracted by this run
    store_seconds: float = 0.0  # time in the write path (transactions, actors, clusters), for benchmarks
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.new + self.known + self.reprocessed + self.failed


@dataclass(slots=True)
class _Pending:
    item: Item
    replace: bool = False


class Ingest:
    """One ``saywho ingest`` run against ``db``.

    ``extractor`` is called the first time something needs extracting, so a
    run that finds only known articles (or ``extract=False``) never loads spaCy.
    """

    def __init__(
        self,
        db: Database,
        extractor: Callable[[], Piper],
        *,
        options: Options | None = None,
        extract: bool = True,
        reprocess: bool = False,
        batch_size: int = BATCH,
        published: date | None = None,
        on_failure: Callable[[str, str], None] | None = None,
        on_progress: Callable[[Summary], None] | None = None,
        command: str | None = None,
    ) -> None:
        self.db = db
        self._make_extractor = extractor
        self._extractor: Piper | None = None
        self.options = options or Options()
        self.extract = extract
        self.reprocess = reprocess
        self.batch_size = batch_size
        self.published = published
        self.on_failure = on_failure or (lambda source, reason: None)
        self.on_progress = on_progress or (lambda summary: None)
        self.command = command
        self.summary = Summary()
        self.run_id: int | None = None
        self._stale: list[int] = []
        self._fetcher: Fetcher | None = None

    # --- the run -------------------------------------------------------------------------------

    def run(self, sources: list[str]) -> Summary:
        with self.db.writer.begin() as conn:
            self.run_id = conn.execute(
                insert(runs)
                .values(
                    started_at=datetime.now(UTC), command=self.command, extractor_version=EXTRACTOR_VERSION
                )
                .returning(runs.c.id)
            ).scalar_one()
        with ExitStack() as stack:
            stack.callback(self._close_fetcher)
            pending: list[_Pending] = []
            for found in self._items(sources):
                if isinstance(found, Failure):
                    self._fail(found.source, found.reason)
                elif isinstance(found, Known):
                    self._known_url(found.source)
                else:
                    p = self._triage(found)
                    if p is None:
                        continue
                    if not self.extract:
                        self._store(p, None)
                        continue
                    pending.append(p)
                    if len(pending) >= self.batch_size:
                        self._flush(pending)
                        pending = []
                self.on_progress(self.summary)
            if pending:
                self._flush(pending)
            if self.reprocess and self.extract:
                self._reprocess(self._stale if sources else None)
        self._finish()
        return self.summary

    def _items(self, sources: list[str]) -> Iterator[Item | Failure | Known]:
        for source in sources:
            yield from read(source, self.options, self._fetcher_once, self._is_known_url)

    def _fetcher_once(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(
                allow_private=self.options.allow_private, max_bytes=self.options.max_bytes
            )
        return self._fetcher

    def _close_fetcher(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def _finish(self) -> None:
        s = self.summary
        with self.db.writer.begin() as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == self.run_id)
                .values(
                    finished_at=datetime.now(UTC),
                    n_new=s.new,
                    n_known=s.known,
                    n_reprocessed=s.reprocessed,
                    n_failed=s.failed,
                    n_statements=s.statements,
                )
            )

    # --- one article ---------------------------------------------------------------------------

    def _fail(self, source: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.failures.append((source, reason))
        record_failure(self.db, source, reason, self.run_id)
        self.on_failure(source, reason)

    def _stale_version(self, version: str | None) -> bool:
        return version != EXTRACTOR_VERSION

    def _known_url(self, url: str) -> None:
        self.summary.known += 1
        if self.reprocess:
            with self.db.engine.connect() as conn:
                row = find_article(conn, canonical_url(url), "")
            if row is not None and self._stale_version(row.extractor_version):
                self._stale.append(row.id)

    def _is_known_url(self, url: str) -> bool:
        canonical = canonical_url(url)
        with self.db.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.url == canonical)).first() is not None

    def _triage(self, item: Item) -> _Pending | None:
        """A new article to extract, or None for a known one (queued for --reprocess when stale)."""
        article = item.article
        if article.published is None and self.published is not None:
            article.published = self.published
        with self.db.engine.connect() as conn:
            row = find_article(conn, canonical_url(article.url), content_hash(article.text))
        if row is None:
            return _Pending(item)
        if canonical_url(article.url) and row.url is None:
            # The same text seen before without its URL: the store adds the URL (the article stays known).
            store_article(self.db, article, None, source_kind=item.kind, path=item.path)
        self.summary.known += 1
        if self.reprocess and self._stale_version(row.extractor_version):
            self._stale.append(row.id)
        return None

    def _flush(self, pending: list[_Pending]) -> None:
        batch: list[BatchItem] = [
            (p.item.article.text, p.item.article.published, p.item.article.id) for p in pending
        ]
        for i, result in extract_each(self._get_extractor(), batch):
            if isinstance(result, Exception):
                self._fail(
                    pending[i].item.article.id, f"extraction failed: {type(result).__name__}: {result}"
                )
            else:
                self._store(pending[i], result)
            self.on_progress(self.summary)

    def _get_extractor(self) -> Piper:
        if self._extractor is None:
            self._extractor = self._make_extractor()
        return self._extractor

    def _store(self, p: _Pending, found: list | None) -> None:
        a = p.item.article
        t0 = time.perf_counter()
        stored = store_article(
            self.db,
            a,
            found,
            source_kind=p.item.kind,
            path=p.item.path,
            source_id=p.item.source_id,
            replace=p.replace,
        )
        self.summary.store_seconds += time.perf_counter() - t0
        if stored.status == "known":
            self.summary.known += 1
            return
        if stored.status == "new":
            self.summary.new += 1
        else:
            self.summary.reprocessed += 1
        self.summary.statements += stored.statements
        self.summary.words += len(a.text.split())

    # --- re-extraction -------------------------------------------------------------------------

    def _reprocess(self, ids: list[int] | None) -> None:
        """Re-extract stored articles from their stored text: ``ids``, or every stale one when None."""
        # The known count included these; they are reported as re-extracted instead.
        for chunk in _chunks(self._stale_rows(ids), self.batch_size):
            self.summary.known -= sum(1 for _ in chunk) if ids is not None else 0
            self._flush([_Pending(Item(a, kind, path=path), replace=True) for a, kind, path in chunk])
            self.on_progress(self.summary)

    def _stale_rows(self, ids: list[int] | None) -> Iterator[tuple[Article, str, str | None]]:
        cols = (
            articles.c.id,
            articles.c.label,
            articles.c.text,
            articles.c.url,
            articles.c.title,
            articles.c.outlet,
            articles.c.author,
            articles.c.published,
            articles.c.source_kind,
            articles.c.path,
        )
        stale = or_(articles.c.extractor_version.is_(None), articles.c.extractor_version != EXTRACTOR_VERSION)
        wanted = sorted(set(ids)) if ids is not None else None
        last = 0
        while True:
            q = select(*cols).where(stale, articles.c.id > last).order_by(articles.c.id).limit(200)
            if wanted is not None:
                q = q.where(articles.c.id.in_(wanted[:200] if len(wanted) > 200 else wanted))
            with self.db.engine.connect() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            for r in rows:
                yield (
                    Article(
                        id=r.label,
                        text=r.text,
                        url=r.url,
                        title=r.title,
                        outlet=r.outlet,
                        author=r.author,
                        published=r.published,
                    ),
                    r.source_kind,
                    r.path,
                )
            last = rows[-1].id
            if wanted is not None:
                wanted = [i for i in wanted if i > last]
                if not wanted:
                    return


def _chunks(rows: Iterable[tuple[Article, str, str | None]], n: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
