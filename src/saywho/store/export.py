"""Exporting statements: JSON lines, CSV or Parquet, with their actor and article.

- **jsonl**: each line is the statement exactly as ``saywho extract --format
  jsonl`` prints it (the record contract), with three fields added:
  ``statement_id``, ``actor`` (``{"id", "name"}`` or null), ``cluster_id`` and
  ``source`` (the article: id, url, path, title, outlet, author, published,
  extractor_version).
- **csv** and **parquet**: one flat row per statement, the columns of
  :data:`COLUMNS`; nested fields (content spans, relays) are JSON text, and
  ``record`` holds the whole record so that nothing is lost.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

COLUMNS = [
    "statement_id",
    "article",
    "kind",
    "content",
    "cue",
    "speaker_text",
    "speaker_name",
    "speaker_role",
    "speaker_org",
    "speaker_country",
    "addressee_text",
    "addressee_name",
    "relays",
    "date_text",
    "date_value",
    "date_precision",
    "said_on",
    "confidence",
    "actor_id",
    "actor_name",
    "cluster_id",
    "article_id",
    "article_url",
    "article_path",
    "article_title",
    "article_outlet",
    "article_author",
    "article_published",
    "extractor_version",
    "record",
]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def jsonl_record(row: dict[str, Any]) -> dict[str, Any]:
    rec = dict(row["record"])
    rec["statement_id"] = row["id"]
    rec["actor"] = {"id": row["actor_id"], "name": row["actor_name"]} if row["actor_id"] else None
    rec["cluster_id"] = row["cluster_id"]
    rec["source"] = {
        "id": row["article_id"],
        "url": row["article_url"],
        "path": row["article_path"],
        "title": row["article_title"],
        "outlet": row["article_outlet"],
        "author": row["article_author"],
        "published": _iso(row["article_published"]),
        "extractor_version": row["extractor_version"],
    }
    return rec


def flat_record(row: dict[str, Any]) -> dict[str, Any]:
    rec = row["record"]
    sp = rec.get("speaker") or {}
    ad = rec.get("addressee") or {}
    dt = rec.get("date") or {}
    return {
        "statement_id": row["id"],
        "article": rec.get("article"),
        "kind": rec.get("kind"),
        "content": row["content"],
        "cue": (rec.get("cue") or {}).get("text"),
        "speaker_text": sp.get("text"),
        "speaker_name": sp.get("name"),
        "speaker_role": sp.get("role"),
        "speaker_org": sp.get("org"),
        "speaker_country": sp.get("country"),
        "addressee_text": ad.get("text"),
        "addressee_name": ad.get("name"),
        "relays": json.dumps(rec.get("relays") or [], ensure_ascii=False),
        "date_text": dt.get("text"),
        "date_value": dt.get("value"),
        "date_precision": dt.get("precision"),
        "said_on": _iso(row["said_on"]),
        "confidence": rec.get("confidence"),
        "actor_id": row["actor_id"],
        "actor_name": row["actor_name"],
        "cluster_id": row["cluster_id"],
        "article_id": row["article_id"],
        "article_url": row["article_url"],
        "article_path": row["article_path"],
        "article_title": row["article_title"],
        "article_outlet": row["article_outlet"],
        "article_author": row["article_author"],
        "article_published": _iso(row["article_published"]),
        "extractor_version": row["extractor_version"],
        "record": json.dumps(rec, ensure_ascii=False),
    }


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(jsonl_record(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(flat_record(row))
        n += 1
    return n


def _parquet_schema() -> Any:
    import pyarrow as pa

    ints = {"statement_id", "actor_id", "cluster_id", "article_id"}
    return pa.schema(
        [
            (c, pa.int64() if c in ints else pa.float64() if c == "confidence" else pa.string())
            for c in COLUMNS
        ]
    )


def _batches(rows: Iterable[dict[str, Any]], size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(flat_record(row))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_parquet(rows: Iterable[dict[str, Any]], out: Path | Any) -> int:
    """Parquet in row groups of 10,000 statements (a file path, or a binary stream such as stdout)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in _batches(rows):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def export(rows: Iterable[dict[str, Any]], fmt: str, out: Path | None) -> int:
    """Write ``rows`` (``read.iter_statements``) as ``fmt`` to ``out`` or standard output; the count."""
    if fmt == "parquet":
        if out is not None:
            return write_parquet(rows, str(out))
        return write_parquet(rows, sys.stdout.buffer)
    writer = write_jsonl if fmt == "jsonl" else write_csv
    if out is None:
        return writer(rows, sys.stdout)
    with out.open("w", encoding="utf-8", newline="") as fh:
        return writer(rows, fh)
