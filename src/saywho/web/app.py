"""The FastAPI application: ``create_app(settings)``; ``saywho serve`` runs it with uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from saywho import __version__
from saywho.batch import Piper
from saywho.store import Database, open_db
from saywho.web import api, pages
from saywho.web.cache import PageCache
from saywho.web.models import ArticleIn
from saywho.web.security import BodyLimit, Guard, SecurityHeaders, Settings
from saywho.web.writes import Writer, default_extractor, read_for_topics

HERE = Path(__file__).resolve().parent
log = logging.getLogger("saywho.web")

DESCRIPTION = """\
Who said what, to whom, reported by whom, when — and where each actor stands.

Every list is paged with `limit` and `offset` and gives `total`, `next` and `prev`. Offsets in statement
records point into their article's `text`. Reads are open unless the server runs with `--private`;
writes (`POST`) need `Authorization: Bearer <SAYWHO_TOKEN>`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    make_extractor: Callable[[], Piper] = default_extractor,
    update_topics: Callable[[Database], object] | None = read_for_topics,
) -> FastAPI:
    """The app over ``db`` (else the database ``settings.db`` names, opened and migrated here).

    ``make_extractor`` and ``update_topics`` are what a posted article goes through (tests give
    stand-ins): extraction, and every stored topic reading the new statements.
    """
    settings = settings or Settings.from_env()
    database = db or open_db(settings.db, pool_size=settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Pages and queries run in worker threads, which share one interpreter lock: a few threads
        # keep the CPU as busy as forty, without forty threads queueing for the lock at every switch.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield
        if db is None:  # opened here, closed here
            database.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="saywho",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # /docs is a page of this app (pages.api_docs): Swagger UI would load from a CDN
        redoc_url=None,
        openapi_tags=[
            {"name": "articles", "description": "Stored articles, their text and statements; posting one."},
            {"name": "statements", "description": "Attributed statements with filters."},
            {"name": "actors", "description": "People and organisations across articles."},
            {"name": "topics", "description": "Topics, stances and positions."},
        ],
    )

    def openapi() -> dict[str, Any]:
        # The article body is read by hand (JSON or a file): its model is added to the schema here.
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            spec.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = (
                ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
            )
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.db = database
    app.state.guard = Guard(settings)
    app.state.writer = Writer(database, make_extractor, update_topics)
    app.state.templates = pages.make_templates()
    app.include_router(api.router)
    app.include_router(pages.open_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=settings.max_upload)
    app.add_middleware(SecurityHeaders)
    # outermost: a kept answer carries the security headers already, and costs no other middleware
    app.add_middleware(PageCache, db=database, private=settings.private)

    @app.exception_handler(pages.LoginRequired)
    async def _login(request: Request, exc: pages.LoginRequired) -> Response:
        return pages.login_redirect(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return await http_exception_handler(request, exc)
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return await request_validation_exception_handler(request, exc)
        return pages.error_page(request, 404, "No such page.")  # /articles/abc: a path that names nothing

    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/openapi", "/docs", "/static/"))


def factory() -> FastAPI:
    """For ``uvicorn --factory saywho.web.app:factory`` (each worker process): settings from the
    environment."""
    return create_app(Settings.from_env())
