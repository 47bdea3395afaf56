"""The few statements that differ between SQLite and PostgreSQL, behind one function each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    increment: Mapping[str, int] | None = None,
    update: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``values``; where a row with the same ``keys`` exists, add ``increment``, set ``update``."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(**values)
    changes: dict[str, Any] = {k: table.c[k] + v for k, v in (increment or {}).items()}
    changes.update(update or {})
    if changes:
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=changes)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(stmt)


def upsert_many(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    add: Sequence[str] = (),
) -> None:
    """Insert ``rows`` in one round trip; where a row with the same ``keys`` exists, add the ``add``
    columns of the new row to it (or leave it as it is)."""
    if not rows:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    if add:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: table.c[c] + stmt.excluded[c] for c in add}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(stmt, list(rows))


def lock(conn: Connection, key: str) -> None:
    """Serialise writers on ``key`` until the transaction ends (PostgreSQL; SQLite has one writer anyway)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(k)s))", {"k": key})
