"""Tables of articles: JSON lines or CSV with a ``text`` column and optional ``url, title, published,
outlet, author, id``. One bad row is one failure (``path:line``); the others are read."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from saywho.ingest import Failure, Item
from saywho.records import Article

FIELDS = ("text", "url", "title", "published", "outlet", "author", "id")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value).strip()[:10])


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value).strip() or None


def from_row(row: dict[str, Any], where: str, path: str, kind: str) -> Item | Failure:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(where, "no text (a non-empty 'text' field is required)")
    try:
        published = _date(row.get("published"))
    except ValueError:
        return Failure(where, f"published: {row.get('published')!r} is not a date (YYYY-MM-DD)")
    source_id = _text(row.get("id"))
    url = _text(row.get("url"))
    article = Article(
        id=source_id or url or where,
        text=text,
        url=url,
        title=_text(row.get("title")),
        outlet=_text(row.get("outlet")),
        author=_text(row.get("author")),
        published=published,
    )
    return Item(article, kind, path=path, source_id=source_id)


def read_jsonl(path: Path, label: str) -> Iterator[Item | Failure]:
    with path.open("r", encoding="utf-8-sig", errors="strict") as fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                line = fh.readline()
            except UnicodeDecodeError as exc:
                yield Failure(f"{label}:{lineno}", f"not valid UTF-8: {exc.reason}")
                return
            if not line:
                return
            if not line.strip():
                continue
            where = f"{label}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(where, f"not JSON: {exc.msg} at column {exc.colno}")
                continue
            if not isinstance(row, dict):
                yield Failure(where, "not a JSON object")
                continue
            yield from_row(row, where, label, "jsonl")


def read_csv(path: Path, label: str) -> Iterator[Item | Failure]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article texts are long fields
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                yield Failure(label, "no 'text' column in the header")
                return
            for row in reader:
                yield from_row(row, f"{label}:{reader.line_num}", label, "csv")
    except (UnicodeDecodeError, csv.Error) as exc:
        yield Failure(label, f"cannot read as CSV: {exc}")
