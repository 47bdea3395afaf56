"""Shared fixtures: one spaCy-backed extractor per module, and a stand-in for CLI plumbing tests."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saywho import cli
from saywho.extraction import Extractor
from saywho.store import Database, open_db
from support import QuoteFinder


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()  # the pipeline itself is cached per process by saywho.nlp.load


@pytest.fixture
def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # Click < 8.2
    except TypeError:
        return CliRunner()  # Click >= 8.2 keeps stderr apart by default


@pytest.fixture
def quote_finder(monkeypatch: pytest.MonkeyPatch) -> QuoteFinder:
    finder = QuoteFinder()
    monkeypatch.setattr(cli, "load_extractor", lambda model, profile=None: finder)
    # The stand-in lives in this process: `saywho ingest` extracts here, not in worker processes.
    monkeypatch.setenv("SAYWHO_WORKERS", "0")
    return finder


# --- the corpus database, on SQLite and on PostgreSQL ----------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, then a new PostgreSQL database ($SAYWHO_TEST_PG)."""
    if request.param == "sqlite":
        yield str(tmp_path / "corpus.db")
    else:
        yield from fresh_postgres()


_template: dict[str, str] = {}


def _admin(base: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from saywho.store.db import database_url

    return create_engine(database_url(base), isolation_level="AUTOCOMMIT")


def _sibling(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def _drop(admin, name: str) -> None:  # type: ignore[no-untyped-def]
    """DROP DATABASE … WITH (FORCE), again if it meets an autovacuum worker in that database:
    a role that is not a superuser may not terminate one (PostgreSQL says "must be a member of
    the role whose process is being terminated"); the worker is done within moments."""
    from sqlalchemy import text

    for attempt in range(20):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except Exception:
            if attempt == 19:
                raise
            time.sleep(0.25)


def fresh_postgres() -> Iterator[str]:
    """A new database, copied from a migrated template (made once per test session)."""
    base = os.environ.get("SAYWHO_TEST_PG")
    if not base:
        if os.environ.get("SAYWHO_REQUIRE_PG"):
            pytest.fail("SAYWHO_REQUIRE_PG is set but SAYWHO_TEST_PG is not")
        pytest.skip("PostgreSQL not available: export SAYWHO_TEST_PG=$(bash .ci/postgres.sh) to run these")
    from sqlalchemy import text

    admin = _admin(base)
    name = f"saywho_test_{uuid.uuid4().hex[:12]}"
    try:
        if "name" not in _template:
            template = f"saywho_template_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{template}"'))
            _template["name"] = template
            open_db(_sibling(base, template)).dispose()  # migrated once; copies start migrated
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_template["name"]}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("SAYWHO_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL at $SAYWHO_TEST_PG not reachable: {str(exc).splitlines()[0]}")
    try:
        yield _sibling(base, name)
    finally:
        _drop(admin, name)
        admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_template() -> Iterator[None]:
    yield
    if "name" in _template:
        admin = _admin(os.environ["SAYWHO_TEST_PG"])
        _drop(admin, _template["name"])
        admin.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_db(db_url)
    yield database
    database.dispose()
