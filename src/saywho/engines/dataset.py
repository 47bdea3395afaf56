"""Results as a Parquet dataset (``saywho ingest --out DIR``) and back into a database (``saywho load DIR``).

A dataset is a folder of ``part-*.parquet`` files, one row per article read:
the article (its label, text, url, title, outlet, author, published date,
kind of source, path, row id), the ``extractor_version`` and ``statements``
(a JSON array of statement records, exactly as ``saywho extract --format
jsonl`` prints them; both null for an article stored without extraction),
``n_statements``, the ``worker`` that extracted it, and ``error`` (with
``label`` the source) for what could not be read or extracted. A file is
written under a temporary name and renamed when complete, so a run that is
killed leaves only whole files; loading is idempotent, so a dataset (or two
overlapping ones) can be loaded again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from saywho import EXTRACTOR_VERSION
from saywho.records import Article, Statement

ROWS_PER_FILE = 1000

COLUMNS = (
    "label",
    "text",
    "url",
    "title",
    "outlet",
    "author",
    "published",
    "kind",
    "path",
    "source_id",
    "extractor_version",
    "statements",
    "n_statements",
    "worker",
    "error",
)


def schema() -> Any:
    import pyarrow as pa

    types = {"text": pa.large_string(), "statements": pa.large_string(), "n_statements": pa.int32()}
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])


class DatasetWriter:
    """Appends article and failure rows to ``out/part-….parquet``, a new file every ``rows_per_file``."""

    def __init__(self, out: Path, rows_per_file: int = ROWS_PER_FILE) -> None:
        self.out = out
        self.rows_per_file = rows_per_file
        self._rows: list[dict[str, Any]] = []
        self._stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}"
        self._n = 0
        self.files: list[Path] = []
        out.mkdir(parents=True, exist_ok=True)

    def article(
        self,
        article: Article,
        *,
        kind: str,
        path: str | None,
        source_id: str | None,
        statements: str | None,
        n: int | None = None,
        worker: str | None = None,
    ) -> int:
        """Add one article; ``statements`` is the JSON array of ``n`` records from a worker (None: not
        extracted)."""
        if statements is not None and n is None:
            n = len(json.loads(statements))
        self._add(
            {
                "label": article.id,
                "text": article.text,
                "url": article.url,
                "title": article.title,
                "outlet": article.outlet,
                "author": article.author,
                "published": article.published.isoformat() if article.published else None,
                "kind": kind,
                "path": path,
                "source_id": source_id,
                "extractor_version": EXTRACTOR_VERSION if statements is not None else None,
                "statements": statements,
                "n_statements": n,
                "worker": worker,
                "error": None,
            }
        )
        return n or 0

    def failure(self, source: str, reason: str) -> None:
        self._add({"label": source, "error": reason})

    def _add(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.rows_per_file:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = f"part-{self._stamp}-{self._n:05d}.parquet"
        tmp = self.out / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(self._rows, schema=schema()), tmp, compression="zstd")
        tmp.replace(self.out / name)  # whole files only, even if the run is killed
        self.files.append(self.out / name)
        self._n += 1
        self._rows = []

    def close(self) -> None:
        self.flush()


def dataset_files(path: Path) -> list[Path]:
    """The Parquet files of a dataset (a folder, searched recursively, or one file), sorted."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.parquet") if not p.name.startswith("."))


def check(files: list[Path]) -> None:
    """Raise ValueError (one line) unless every file is a readable Parquet file with saywho's columns."""
    import pyarrow.parquet as pq

    needed = {"label", "text", "statements", "error"}
    for f in files:
        try:
            names = set(pq.ParquetFile(f).schema_arrow.names)
        except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
            raise ValueError(f"{f}: not a Parquet file ({str(exc).splitlines()[0]})") from None
        if not needed <= names:
            missing = ", ".join(sorted(needed - names))
            raise ValueError(f"{f}: not a dataset written by saywho ingest --out (no column {missing})")


def read_rows(path: Path, batch_rows: int = 256) -> Iterator[dict[str, Any]]:
    """Every row of the dataset at ``path``, file by file, in order."""
    import pyarrow.parquet as pq

    for f in dataset_files(path):
        pf = pq.ParquetFile(f)
        names = [c for c in COLUMNS if c in pf.schema_arrow.names]
        for batch in pf.iter_batches(batch_size=batch_rows, columns=names):
            yield from batch.to_pylist()


def count_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in dataset_files(path))


def row_article(row: dict[str, Any]) -> tuple[Article, list[Statement] | None]:
    published = row.get("published")
    article = Article(
        id=row["label"],
        text=row["text"],
        url=row.get("url"),
        title=row.get("title"),
        outlet=row.get("outlet"),
        author=row.get("author"),
        published=date.fromisoformat(published) if published else None,
    )
    found = row.get("statements")
    statements = None if found is None else [Statement.from_dict(d) for d in json.loads(found)]
    return article, statements


def load(
    database: Any,
    path: Path,
    *,
    on_failure: Callable[[str, str], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    command: str | None = None,
) -> Any:
    """Store a dataset's articles and failures in ``database``, each article in its own transaction.

    Idempotent as ingest is: an article already stored is counted as known and left as it is.
    Returns the run's :class:`saywho.ingest.run.Summary`.
    """
    from sqlalchemy import insert, update

    from saywho.ingest.run import Summary
    from saywho.store.schema import runs
    from saywho.store.write import record_failure, store_article

    summary = Summary()
    with database.writer.begin() as conn:
        run_id = conn.execute(
            insert(runs)
            .values(started_at=datetime.now(UTC), command=command, extractor_version=EXTRACTOR_VERSION)
            .returning(runs.c.id)
        ).scalar_one()
    for row in read_rows(path):
        if row.get("error") is not None:
            summary.failed += 1
            summary.failures.append((row["label"], row["error"]))
            record_failure(database, row["label"], row["error"], run_id)
            if on_failure:
                on_failure(row["label"], row["error"])
        else:
            article, statements = row_article(row)
            t0 = time.perf_counter()
            stored = store_article(
                database,
                article,
                statements,
                extractor_version=row.get("extractor_version") or EXTRACTOR_VERSION,
                source_kind=row.get("kind") or "api",
                path=row.get("path"),
                source_id=row.get("source_id"),
            )
            summary.store_seconds += time.perf_counter() - t0
            if stored.status == "known":
                summary.known += 1
            else:
                summary.new += 1
                summary.statements += stored.statements
                summary.words += len(article.text.split())
        if on_progress:
            on_progress(summary)
    with database.writer.begin() as conn:
        conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                finished_at=datetime.now(UTC),
                n_new=summary.new,
                n_known=summary.known,
                n_reprocessed=0,
                n_failed=summary.failed,
                n_statements=summary.statements,
            )
        )
    return summary
