"""Opening the database: a plain path is an SQLite file, ``postgresql://…`` a server.

Every command takes ``--db PATH_OR_URL`` (or ``$SAYWHO_DB``; default
``./saywho.db``). Opening migrates the schema to the version this saywho
knows (Alembic, run in-process), so a later saywho opens an older database;
a database written by a *newer* saywho is refused rather than misread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

DB_ENV = "SAYWHO_DB"
DEFAULT_DB = "saywho.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Writers wait this long for another writer's transaction (SQLite allows one at a time).
BUSY_TIMEOUT_MS = 60_000


class DatabaseError(Exception):
    """The database cannot be opened or used; ``str()`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class Database:
    """An engine with what the rest of saywho needs to know about it."""

    engine: Engine
    url: str  # for messages, password hidden

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name  # "sqlite" or "postgresql"

    @property
    def writer(self) -> Engine:
        """The engine for write transactions: on SQLite they take the write lock at BEGIN.

        A deferred transaction that reads and then writes can fail at once with
        "database is locked" when another writer went first (SQLite cannot wait
        there without deadlocking); ``BEGIN IMMEDIATE`` waits its turn instead.
        """
        return self.engine.execution_options(saywho_write=True)

    def dispose(self) -> None:
        self.engine.dispose()


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` (or ``$SAYWHO_DB``, or ``./saywho.db``)."""
    given = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in given:
        return f"sqlite:///{Path(given).expanduser().resolve()}"
    scheme, rest = given.split("://", 1)
    if scheme in ("postgres", "postgresql"):  # psycopg 3, whatever the user's URL names
        return f"postgresql+psycopg://{rest}"
    if scheme in ("sqlite", "postgresql+psycopg"):
        return given
    raise DatabaseError(f"unsupported database URL scheme {scheme!r}: give a file path or postgresql://…")


def open_db(
    db: str | None = None, *, migrate: bool = True, create: bool = True, pool_size: int | None = None
) -> Database:
    """The database named by ``db`` (see :func:`database_url`), at the current schema version.

    ``create=False`` refuses a SQLite file that does not exist yet (query
    commands should not leave an empty database behind a typo). ``pool_size``:
    connections kept open for concurrent readers (a threaded web server); the
    default suits one command.
    """
    pool: dict[str, Any] = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": pool_size}
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {exc}") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not create and not path.exists():
            raise DatabaseError(f"{path}: no such database (run saywho ingest first, or give --db)")
        if path.parent and not path.parent.exists():
            raise DatabaseError(f"{path.parent}: no such directory for the database")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **pool)
        _sqlite_setup(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10}, **pool)
    database = Database(engine, shown)
    try:
        if migrate:
            upgrade(database)
        else:
            with engine.connect():
                pass
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"{shown}: {_first_line(exc)}") from None
    return database


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (below): pysqlite's own would be deferred and start late.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers keep reading while one writer writes
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it consistent
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("saywho_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> None:
    """Migrate to ``revision``; refuse a database from a newer saywho."""
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = database.engine
    with engine.connect() as conn:
        config = _alembic_config(conn)
        script = ScriptDirectory.from_config(config)
        current = current_revision(conn)
        conn.rollback()
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise DatabaseError(
                f"{database.url}: the database is at schema {current}, written by a newer saywho; "
                "upgrade saywho to read it"
            )
        if revision == "head" and current == script.get_current_head():
            return
    if database.dialect == "postgresql":
        # One migrator at a time: the others wait on the lock, then find nothing to do.
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(7216540501)"))
            command.upgrade(_alembic_config(conn), revision)
        return
    try:
        with engine.connect() as conn:
            command.upgrade(_alembic_config(conn), revision)
            conn.commit()
    except OperationalError as exc:
        # Two processes creating the same new SQLite file: the loser finds the tables made.
        if "already exists" not in str(exc):
            raise
        with engine.connect() as conn:
            if current_revision(conn) != head_revision():
                raise
