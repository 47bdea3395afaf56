"""Full-text search: FTS5 on SQLite, tsvector on PostgreSQL, behind one condition builder.

Both index with English stemming ("taxes" finds "tax"); both accept the same
query syntax, PostgreSQL's ``websearch_to_tsquery``: words (all must occur),
``"a quoted phrase"``, ``OR`` between alternatives, ``-word`` to exclude.
On SQLite the query is rewritten into FTS5's syntax with every word quoted,
so that user input can never be read as FTS5 operators or column filters.
"""

from __future__ import annotations

import math
import re

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    exists,
    false,
    func,
    literal_column,
    select,
    text,
)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a web-search style query; None when it has no word."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(query):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None and word.upper() == "OR" and positive:
            pending_or = True
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            neg, word = "-", word[1:]
        words = _WORD.findall(phrase if phrase is not None else word or "")
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if neg:
            negative.append(term)
        elif pending_or:
            positive[-1] = (
                f"({positive[-1]} OR {term})"
                if not positive[-1].startswith("(")
                else (positive[-1][:-1] + f" OR {term})")
            )
            pending_or = False
        else:
            positive.append(term)
    if not positive:
        return None
    expr = " AND ".join(positive)
    for term in negative:
        expr = f"({expr}) NOT {term}"
    return expr


# SQLite has two ways to put full-text matches in date order, each fast where the other is slow:
# - fetch: collect the matching rows, then sort them; its cost grows with the matches (~3 µs each);
# - probe: read rows in date order and check each against the index until enough are found; its
#   cost grows with the rows read (~13 µs each), about LIMIT × rows / matches.
# They cost the same at about sqrt(PROBE_RATIO × rows) matches: 15,000 in 1,000,000 statements, where
# both take ~45 ms (bench/bench_store.py). The number of matches is counted up to that point first.
PROBE_RATIO = 220
SQLITE_FETCH_MAX: int | None = None  # a fixed crossover (tests); None: from the table's size


def _crossover(conn: Connection, table: Table) -> int:
    if SQLITE_FETCH_MAX is not None:
        return SQLITE_FETCH_MAX
    rows = conn.execute(select(func.max(table.c.id))).scalar() or 0  # the rowid's maximum: no scan
    return max(1000, int(math.sqrt(PROBE_RATIO * rows)))


def matches(conn: Connection, table: Table, query: str) -> ColumnElement[bool]:
    """A WHERE condition: rows of ``table`` (statements or articles) matching ``query``."""
    if conn.dialect.name == "postgresql":
        return literal_column(f"{table.name}.tsv").op("@@")(
            text("websearch_to_tsquery('english', :fts_query)").bindparams(fts_query=query)
        )
    expr = fts5_query(query)
    if expr is None:
        return false()
    fts = f"{table.name}_fts"
    hits = (
        select(literal_column("rowid"))
        .select_from(text(fts))
        .where(text(f"{fts} MATCH :fts_query").bindparams(bindparam("fts_query", expr)))
    )
    limit = _crossover(conn, table)
    many = conn.execute(select(func.count()).select_from(hits.limit(limit + 1).subquery())).scalar_one()
    if many <= limit:
        return table.c.id.in_(hits)
    # A common word: probe the full-text index for each row the rest of the query yields, in order.
    probe = text(f"{fts} MATCH :fts_query AND {fts}.rowid = {table.name}.id").bindparams(
        bindparam("fts_query", expr)
    )
    return exists(select(literal_column("1")).select_from(text(fts)).where(probe))
