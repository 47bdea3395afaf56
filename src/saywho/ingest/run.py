"""The ingest loop: sources → articles → extraction in batches → the database, one article at a time.

Known articles are recognised before extraction (an article is extracted
once), failures are stored with their reason and the run goes on, and every
article is committed on its own: a run killed at any moment can simply be
run again. Extraction runs on an engine (:mod:`saywho.engines`: worker
processes on this machine, or a Ray cluster); this process reads, and
stores what comes back in the order it was read. With ``out``, results go
to a Parquet dataset instead of a database (``saywho load`` stores it later).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import insert, or_, select, update

from saywho import EXTRACTOR_VERSION
from saywho.batch import Piper
from saywho.engines import ArticleRow, Engine, ResultRow
from saywho.engines.dataset import DatasetWriter
from saywho.engines.local import LocalEngine
from saywho.ingest import Failure, Item, Known
from saywho.ingest.fetch import Fetcher
from saywho.ingest.sources import Options, read
from saywho.nlp import ModelNotFound
from saywho.records import Article, Statement
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
    workers: dict[str, float] = field(default_factory=dict)  # worker (host:pid) → its peak RSS in MB
    worker_cpu: dict[str, float] = field(default_factory=dict)  # worker → CPU seconds it has used

    @property
    def seen(self) -> int:
        return self.new + self.known + self.reprocessed + self.failed


@dataclass(slots=True)
class _Pending:
    item: Item
    replace: bool = False


class Ingest:
    """One ``saywho ingest`` run against ``db`` (or into the Parquet dataset ``out``, with ``db`` None).

    ``extractor`` is called the first time something needs extracting, so a
    run that finds only known articles (or ``extract=False``) never loads
    spaCy; it is used in this process when ``engine`` is None (the local
    engine with no worker processes). ``engine`` runs extraction elsewhere:
    worker processes or a Ray cluster (:mod:`saywho.engines`).
    """

    def __init__(
        self,
        db: Database | None,
        extractor: Callable[[], Piper] | None = None,
        *,
        engine: Engine | None = None,
        out: DatasetWriter | None = None,
        options: Options | None = None,
        extract: bool = True,
        reprocess: bool = False,
        batch_size: int = BATCH,
        published: date | None = None,
        on_failure: Callable[[str, str], None] | None = None,
        on_progress: Callable[[Summary], None] | None = None,
        command: str | None = None,
    ) -> None:
        if db is None and out is None:
            raise ValueError("give a database or a dataset to write to")
        if reprocess and db is None:
            raise ValueError("re-extraction reads stored articles: it needs a database")
        self.db = db
        self.out = out
        self.engine: Engine = engine if engine is not None else LocalEngine(0, extractor=extractor)
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
        self._keys = itertools.count()
        self._waiting: dict[int, _Pending] = {}

    # --- the run -------------------------------------------------------------------------------

    def run(self, sources: list[str]) -> Summary:
        if self.db is not None:
            with self.db.writer.begin() as conn:
                self.run_id = conn.execute(
                    insert(runs)
                    .values(
                        started_at=datetime.now(UTC),
                        command=self.command,
                        extractor_version=EXTRACTOR_VERSION,
                    )
                    .returning(runs.c.id)
                ).scalar_one()
        with ExitStack() as stack:
            stack.callback(self._close_fetcher)
            stack.callback(self.engine.close)
            if self.out is not None:
                stack.callback(self.out.close)
            self._extract_all(self._read(sources))
            if self.reprocess and self.extract:
                self._extract_all(self._stale_pending(self._stale if sources else None))
        self._finish()
        return self.summary

    def _read(self, sources: list[str]) -> Iterator[_Pending]:
        """The articles to extract, as they are read; failures, known and unextracted ones dealt with."""
        for found in self._items(sources):
            if isinstance(found, Failure):
                self._fail(found.source, found.reason)
            elif isinstance(found, Known):
                self._known_url(found.source)
            else:
                p = self._triage(found)
                if p is not None:
                    if self.extract:
                        yield p
                    else:
                        self._store(p, None)
            self.on_progress(self.summary)

    def _extract_all(self, pending: Iterator[_Pending]) -> None:
        """Send ``pending`` to the engine in batches; store each result as it comes back."""
        for results in self.engine.map(self._batches(pending)):
            for r in results:
                self._result(self._waiting.pop(r["key"]), r)
                self.on_progress(self.summary)

    def _batches(self, pending: Iterator[_Pending]) -> Iterator[list[ArticleRow]]:
        batch: list[ArticleRow] = []
        for p in pending:
            key = next(self._keys)
            self._waiting[key] = p
            a = p.item.article
            published = a.published.isoformat() if a.published else None
            batch.append({"key": key, "id": a.id, "text": a.text, "published": published})
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _result(self, p: _Pending, r: ResultRow) -> None:
        if r.get("worker"):
            w = r["worker"]
            self.summary.workers[w] = max(self.summary.workers.get(w, 0.0), r.get("peak_rss_mb") or 0.0)
            self.summary.worker_cpu[w] = max(self.summary.worker_cpu.get(w, 0.0), r.get("cpu_s") or 0.0)
        if r["error"] is not None:
            if r.get("fatal"):
                raise ModelNotFound(r["error"])
            self._fail(p.item.article.id, r["error"])
        elif self.out is not None:
            self._write(p, r["statements"], r.get("n"), r.get("worker"))
        else:
            self._store(p, [Statement.from_dict(d) for d in json.loads(r["statements"])])

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
        if self.db is None:
            return
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
        if self.out is not None:
            self.out.failure(source, reason)
        else:
            assert self.db is not None
            record_failure(self.db, source, reason, self.run_id)
        self.on_failure(source, reason)

    def _stale_version(self, version: str | None) -> bool:
        return version != EXTRACTOR_VERSION

    def _known_url(self, url: str) -> None:
        self.summary.known += 1
        if self.reprocess and self.db is not None:
            with self.db.engine.connect() as conn:
                row = find_article(conn, canonical_url(url), "")
            if row is not None and self._stale_version(row.extractor_version):
                self._stale.append(row.id)

    def _is_known_url(self, url: str) -> bool:
        if self.db is None:  # writing a dataset: everything read is written (loading skips known ones)
            return False
        canonical = canonical_url(url)
        with self.db.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.url == canonical)).first() is not None

    def _triage(self, item: Item) -> _Pending | None:
        """A new article to extract, or None for a known one (queued for --reprocess when stale)."""
        article = item.article
        if article.published is None and self.published is not None:
            article.published = self.published
        if self.db is None:
            return _Pending(item)
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

    def _write(self, p: _Pending, statements: str | None, n: int | None, worker: str | None) -> None:
        assert self.out is not None
        a = p.item.article
        self.summary.new += 1
        self.summary.statements += self.out.article(
            a,
            kind=p.item.kind,
            path=p.item.path,
            source_id=p.item.source_id,
            statements=statements,
            n=n,
            worker=worker,
        )
        self.summary.words += len(a.text.split())

    def _store(self, p: _Pending, found: list | None) -> None:
        if self.out is not None:
            self._write(p, None, None, None)
            return
        assert self.db is not None
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

    def _stale_pending(self, ids: list[int] | None) -> Iterator[_Pending]:
        """Stored articles to re-extract from their stored text: ``ids``, or every stale one when None."""
        for a, kind, path in self._stale_rows(ids):
            if ids is not None:  # the known count included these; they are reported as re-extracted instead
                self.summary.known -= 1
            yield _Pending(Item(a, kind, path=path), replace=True)

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
        assert self.db is not None
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
