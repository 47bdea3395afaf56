"""Full-text search: FTS5 on SQLite, tsvector on PostgreSQL, behind one condition builder.

Both index with English stemming ("taxes" finds "tax"); both accept the same
query syntax, PostgreSQL's ``websearch_to_tsquery``: words (all must occur),
``"a quoted phrase"``, ``OR`` between alternatives, ``-word`` to exclude.
On SQLite the query is rewritten into FTS5's syntax with every word quoted,
so that user input can never be read as FTS5 operators or column filters.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Table, bindparam, literal_column, select, text

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


def matches(dialect: str, table: Table, query: str) -> ColumnElement[bool]:
    """A WHERE condition: rows of ``table`` (statements or articles) matching ``query``."""
    if dialect == "postgresql":
        return literal_column(f"{table.name}.tsv").op("@@")(
            text("websearch_to_tsquery('english', :fts_query)").bindparams(fts_query=query)
        )
    expr = fts5_query(query)
    if expr is None:
        return text("1 = 0")  # type: ignore[return-value]
    fts = f"{table.name}_fts"
    sub = (
        select(literal_column("rowid"))
        .select_from(text(fts))
        .where(text(f"{fts} MATCH :fts_query").bindparams(bindparam("fts_query", expr)))
    )
    return table.c.id.in_(sub)
