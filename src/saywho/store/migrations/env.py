"""Alembic environment: saywho runs migrations itself, on the connection it opened (see ``db.py``)."""

from __future__ import annotations

from alembic import context

from saywho.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
