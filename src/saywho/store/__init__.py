"""The corpus database: schema, migrations, the write path, queries, search and export.

``open_db(url)`` gives a :class:`Database` (an SQLAlchemy engine on SQLite or
PostgreSQL, migrated to the current schema); ``write.store_batch`` stores
already-extracted articles idempotently; ``read`` answers the queries.
"""

from saywho.store.db import Database, DatabaseError, database_url, open_db

__all__ = ["Database", "DatabaseError", "database_url", "open_db"]
