"""``saywho serve``: the web app and HTTP API over a corpus database, run by uvicorn."""

from __future__ import annotations

import ipaddress
import os
import sys
from dataclasses import replace
from typing import Annotated, Any

import typer

EXIT_DB = 4
SERVE_EXIT_CODES = (
    "Exit codes: 0 stopped; 2 usage error; 4 the database cannot be opened. "
    "Environment: SAYWHO_TOKEN (the token writes need; without it writes are refused), SAYWHO_DB."
)


# Idle keep-alive connections are kept 30 s (uvicorn's default, 5 s, races with a reader's next click:
# a request sent just as the server closes the connection fails).
UVICORN: dict[str, Any] = {"log_level": "warning", "access_log": False, "timeout_keep_alive": 30}


def _say(message: str) -> None:
    print(f"saywho: {message}", file=sys.stderr, flush=True)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SAYWHO_DB",
            help="Database: a file path (SQLite, created if needed) or postgresql://user:pass@host/db "
            "[env: SAYWHO_DB; default ./saywho.db].",
            show_default=False,
            show_envvar=False,
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    private: Annotated[
        bool, typer.Option("--private", help="Reads need the token too (API: Bearer header; pages: log in).")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (reads scale with cores; writes take turns).")
    ] = 1,
    max_upload: Annotated[
        int, typer.Option("--max-upload", min=1, help="Largest request body accepted, in bytes.")
    ] = 10_000_000,
) -> None:
    """Serve the web app and the JSON API (documented at /docs and /openapi.json).

    Reads are open unless --private.

    Writes (posting an article, merging actors) need the token in SAYWHO_TOKEN:
    the API takes "Authorization: Bearer TOKEN", the pages a log-in with it.
    Without SAYWHO_TOKEN every write is refused.
    """
    import uvicorn

    from saywho.store import DatabaseError, open_db
    from saywho.web.security import TOKEN_ENV, Settings

    token = os.environ.get(TOKEN_ENV) or None
    if private and token is None:
        _say("--private needs SAYWHO_TOKEN: without a token nobody could read")
        raise typer.Exit(2)
    try:
        database = open_db(db)  # created and migrated once here, before any worker opens it
    except DatabaseError as exc:
        _say(str(exc))
        raise typer.Exit(EXIT_DB) from None
    shown = database.url
    database.dispose()
    writes = "writes need SAYWHO_TOKEN" if token else "writes disabled (no SAYWHO_TOKEN)"
    reads = "reads need the token" if private else "reads open"
    _say(f"serving {shown} at http://{host}:{port}/ ({reads}; {writes}); API reference at /docs")
    if not _loopback(host) and not private:
        _say(f"{host} is reachable from other machines: everyone who can reach it can read the corpus")
    if workers == 1:
        from saywho.web.app import create_app

        settings = replace(Settings.from_env(), db=db, token=token, private=private, max_upload=max_upload)
        uvicorn.run(create_app(settings), host=host, port=port, **UVICORN)
        return
    # Several processes: each builds its app from the environment (saywho.web.app:factory).
    if db is not None:
        os.environ["SAYWHO_DB"] = db
    os.environ["SAYWHO_PRIVATE"] = "1" if private else ""
    os.environ["SAYWHO_MAX_UPLOAD"] = str(max_upload)
    uvicorn.run(
        "saywho.web.app:factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **UVICORN,
    )


def register(app: typer.Typer) -> None:
    app.command(epilog=SERVE_EXIT_CODES)(serve)
