"""The HTML pages: articles with their statements highlighted, actors, topics, search, paste an article.

Server-rendered with Jinja2 (autoescaped everywhere); the little JavaScript there is (``static/app.js``)
only selects a statement on an article page. Query parameters are read leniently here (a bad date is
shown as a message on the page, not answered with a JSON error).
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from saywho.store import Database, read
from saywho.web import apidocs, charts, data, highlight, queries
from saywho.web.security import CSRF_COOKIE, SESSION_COOKIE, SESSION_SECONDS, Guard, cookie_args, safe_next
from saywho.web.writes import (
    TopicRefused,
    Unprocessable,
    Writer,
    add_topic,
    article_from_text,
    article_from_upload,
)

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
ROLE_NAMES = {
    "speaker": "speaker",
    "cue": "cue",
    "content": "content",
    "addressee": "addressee",
    "relay": "relay (reported by)",
    "date": "date",
}


class LoginRequired(Exception):
    """A private server's page asked for without a session: go to /login and come back."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True  # every template, whatever its name: article text is hostile input
    env.auto_reload = False  # templates do not change while serving: no stat() of each on every page
    env.filters["day"] = lambda d: d.isoformat() if isinstance(d, date) else "—"
    env.filters["http_url"] = lambda u: (
        u if isinstance(u, str) and u.lower().startswith(("http://", "https://")) else None
    )
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["bare"] = bare_quote
    env.globals["STANCES"] = data.STANCES
    env.globals["ROLE_NAMES"] = ROLE_NAMES
    return templates


OPENING, CLOSING = "“\"«‘'", "”\"»’'"


def bare_quote(text: str | None) -> str:
    """A quote's words without the quotation marks around them (a page puts its own), nor the comma
    the sentence put inside them: “No tax without a vote,” → No tax without a vote."""
    t = (text or "").strip()
    if len(t) > 1 and t[0] in OPENING and t[-1] in CLOSING and t[1:-1].count(t[0]) == 0:
        t = t[1:-1].rstrip(",;: ")
    return t


def guard_of(request: Request) -> Guard:
    return request.app.state.guard


def can_read_page(request: Request) -> None:
    guard = guard_of(request)
    if guard.private and not guard.authorised(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)


router = APIRouter(dependencies=[Depends(can_read_page)], include_in_schema=False)
open_router = APIRouter(include_in_schema=False)  # the login page itself


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page, with the CSRF cookie its forms need (set on first visit) and the token for them."""
    guard = guard_of(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = not cookie or len(cookie) < 32
    if fresh:
        cookie = secrets.token_urlsafe(32)
    context = {
        **context,
        "csrf": guard.csrf_for(cookie),  # type: ignore[arg-type]
        "logged_in": guard.session_ok(request),
        "writable": guard.writable,
        "private": guard.private,
        "path": request.url.path,
    }
    response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status)
    if fresh:
        response.set_cookie(CSRF_COOKIE, cookie, **cookie_args(request, None))
    return response


def db_of(request: Request) -> Database:
    return request.app.state.db


class Params:
    """Query parameters read leniently: a bad value becomes a message, and the default is used."""

    def __init__(self, request: Request) -> None:
        self.q = request.query_params
        self.errors: list[str] = []

    def text(self, name: str) -> str | None:
        value = (self.q.get(name) or "").strip()
        return value or None

    def integer(
        self, name: str, default: int | None = None, low: int = 0, high: int = 10_000_000
    ) -> int | None:
        value = self.text(name)
        if value is None:
            return default
        try:
            n = int(value.lstrip("#"))
        except ValueError:
            self.errors.append(f"{name}: {value!r} is not a number")
            return default
        return min(max(n, low), high)

    def day(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.append(f"{name}: {value!r} is not a date in the form YYYY-MM-DD")
            return None

    def stance(self, name: str = "stance") -> str | None:
        value = self.text(name)
        if value is not None and value not in data.STANCES:
            self.errors.append(f"{name}: choose one of {', '.join(data.STANCES)}")
            return None
        return value

    def paging(self, request: Request, name: str = "offset", size: int = PAGE_SIZE) -> queries.Paging:
        offset = self.integer(name, 0) or 0
        return queries.Paging(limit=size, offset=offset, url=request.url, param=name)


def _not_found(what: str) -> HTTPException:
    return HTTPException(404, f"No {what} with this id.")


# --- pages -----------------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    db = db_of(request)
    url = request.url
    return render(
        request,
        "home.html",
        {
            "stats": read.stats(db),
            "articles": queries.articles_page(db, read.ArticleFilters(), queries.Paging(8, 0, url)),
            "actors": queries.actors_page(db, None, queries.Paging(10, 0, url)),
            "topics": queries.topics_page(db, queries.Paging(10, 0, url)),
        },
    )


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request) -> HTMLResponse:
    p = Params(request)
    f = read.ArticleFilters(
        since=p.day("since"), until=p.day("until"), outlet=p.text("outlet"), search=p.text("q")
    )
    page = queries.articles_page(db_of(request), f, p.paging(request))
    return render(request, "articles.html", {"page": page, "params": p.q, "errors": p.errors})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int) -> HTMLResponse:
    detail = queries.article_detail(db_of(request), article_id)
    if detail is None:
        raise _not_found("article")
    segments = highlight.segments(detail.text, [(s.id, s.record.model_dump()) for s in detail.statement_list])
    return render(request, "article.html", {"a": detail, "segments": segments, "roles": highlight.ROLES})


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request) -> HTMLResponse:
    p = Params(request)
    page = queries.actors_page(db_of(request), p.text("name"), p.paging(request))
    return render(request, "actors.html", {"page": page, "params": p.q, "errors": p.errors})


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: int) -> HTMLResponse:
    db = db_of(request)
    detail = queries.actor_detail(db, actor_id)
    if detail is None:
        raise _not_found("actor")
    p = Params(request)
    said = queries.statements_page(
        db, queries.StatementQuery(speaker=f"#{actor_id}"), p.paging(request, size=20)
    )
    chart = charts.stacked_bars(
        [charts.Series("statements", {t.period: t.statements for t in detail.timeline})],
        title=f"Statements by {detail.name} per month",
    )
    return render(request, "actor.html", {"a": detail, "said": said, "chart": chart})


@router.get("/topics", response_class=HTMLResponse)
def topics(request: Request) -> HTMLResponse:
    return _topics_page(request, {}, None)


def _topics_page(
    request: Request, form: dict[str, str], error: str | None, status: int = 200
) -> HTMLResponse:
    p = Params(request)
    db = db_of(request)
    page = queries.topics_page(db, p.paging(request))
    context = {"page": page, "available": data.available(db), "form": form, "error": error}
    return render(request, "topics.html", context, status)


def write_refused(request: Request, fields: dict[str, str]) -> tuple[str, int] | None:
    """Why a form that writes is refused (its message and status), or None: the form's CSRF token, a
    server that takes writes, a logged-in session."""
    guard = guard_of(request)
    if not guard.csrf_ok(request, fields.get("csrf")):
        return "The form expired: send it again.", 403
    if not guard.writable:
        return "Writes are disabled on this server.", 403
    if not guard.session_ok(request):
        return "Log in with the token first.", 401
    return None


@router.post("/topics", response_class=HTMLResponse)
async def add_topic_form(request: Request, background: BackgroundTasks) -> Response:
    """The topics page's form: add a topic (logged in, CSRF token); its reading runs in the background."""
    async with request.form(max_files=0, max_fields=10, max_part_size=10_000) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    refused = write_refused(request, fields)
    if refused:
        return _topics_page(request, fields, *refused)
    keywords = [k for k in fields.get("keywords", "").split(",") if k.strip()]
    try:
        topic_id = await run_in_threadpool(
            add_topic, db_of(request), fields.get("proposition", ""), keywords, fields.get("name") or None
        )
    except TopicRefused as exc:
        return _topics_page(request, fields, str(exc), 409 if exc.conflict else 422)
    writer: Writer = request.app.state.writer
    background.add_task(writer.read_topics)
    return RedirectResponse(f"/topics/{topic_id}", status_code=303)


@router.get("/topics/{topic_id}", response_class=HTMLResponse)
def topic(request: Request, topic_id: int) -> HTMLResponse:
    db = db_of(request)
    t = queries.topic(db, topic_id)
    if t is None:
        raise _not_found("topic")
    p = Params(request)
    since, until, stance = p.day("since"), p.day("until"), p.stance()
    positions = queries.topic_positions(db, t, since, until, stance, p.paging(request, size=25))
    evidence = queries.evidence_page(
        db, topic_id, p.stance("estance"), None, since, until, p.paging(request, "eoffset", 10)
    )
    points = data.topic_timeline(db, topic_id, since, until)
    series = [
        charts.Series(s, {pt.period: pt.statements for pt in points if pt.stance == s}) for s in data.STANCES
    ]
    chart = charts.stacked_bars(series, title=f"Statements on {t.name} per period, by stance")
    return render(
        request,
        "topic.html",
        {
            "t": t,
            "positions": positions,
            "evidence": evidence,
            "chart": chart,
            "params": p.q,
            "errors": p.errors,
        },
    )


@router.get("/search", response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    db = db_of(request)
    p = Params(request)
    query = queries.StatementQuery(
        speaker=p.text("speaker"),
        topic=p.integer("topic"),
        stance=p.stance(),
        outlet=p.text("outlet"),
        since=p.day("since"),
        until=p.day("until"),
        q=p.text("q"),
    )
    asked = any(p.text(k) for k in ("speaker", "topic", "stance", "outlet", "since", "until", "q"))
    page = queries.statements_page(db, query, p.paging(request)) if asked else None
    topic_choices = data.topic_names(db)
    return render(
        request,
        "search.html",
        {"page": page, "params": p.q, "errors": p.errors, "topics": topic_choices, "query": query},
    )


# --- paste an article ------------------------------------------------------------------------------------


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> HTMLResponse:
    return render(request, "paste.html", {"form": {}, "error": None})


@router.post("/paste", response_class=HTMLResponse)
async def paste(request: Request) -> Response:
    limit = request.app.state.settings.max_upload
    async with request.form(max_files=1, max_fields=20, max_part_size=limit) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        data_bytes = (
            await upload.read(limit + 1) if upload is not None and not isinstance(upload, str) else b""
        )
        filename = getattr(upload, "filename", None)
    refused = write_refused(request, fields)
    if refused:
        return render(request, "paste.html", {"form": fields, "error": refused[0]}, refused[1])
    if len(data_bytes) > limit or len(fields.get("text", "").encode()) > limit:
        return render(
            request, "paste.html", {"form": {}, "error": f"Larger than the limit of {limit:,} bytes."}, 413
        )
    try:
        published = date.fromisoformat(fields["published"]) if fields.get("published") else None
    except ValueError:
        return render(
            request, "paste.html", {"form": fields, "error": "Published: a date in the form YYYY-MM-DD."}, 422
        )
    meta = {
        "title": fields.get("title"),
        "url": fields.get("url"),
        "published": published,
        "outlet": fields.get("outlet"),
    }
    writer: Writer = request.app.state.writer
    try:
        if data_bytes:
            art = await run_in_threadpool(lambda: article_from_upload(data_bytes, filename, **meta))
        else:
            art = article_from_text(fields.get("text", ""), **meta)
        stored = await run_in_threadpool(writer.store, art)
    except Unprocessable as exc:
        return render(request, "paste.html", {"form": fields, "error": str(exc)}, 422)
    # Always a path built here from an id: no redirect to anywhere a form names.
    return RedirectResponse(f"/articles/{stored.article_id}", status_code=303)


# --- logging in (a private server's reads; the forms' writes) -----------------------------------------


@open_router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "error": None})


@open_router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    guard = guard_of(request)
    async with request.form(max_files=0, max_fields=5, max_part_size=4096) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    target = safe_next(fields.get("next"))
    if not guard.csrf_ok(request, fields.get("csrf")):
        return render(
            request, "login.html", {"next": target, "error": "The form expired: send it again."}, 403
        )
    if not guard.writable:
        return render(
            request, "login.html", {"next": target, "error": "This server has no token (SAYWHO_TOKEN)."}, 403
        )
    if not guard.token_ok(fields.get("token")):
        return render(request, "login.html", {"next": target, "error": "Wrong token."}, 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, guard.new_session(), **cookie_args(request, SESSION_SECONDS))
    return response


@open_router.post("/logout")
async def logout(request: Request) -> Response:
    guard = guard_of(request)
    async with request.form(max_files=0, max_fields=5, max_part_size=4096) as form:
        given = form.get("csrf")
    if not guard.csrf_ok(request, given if isinstance(given, str) else None):
        raise HTTPException(403, "The form expired: send it again.")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@open_router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, from the same schema as ``/openapi.json`` (open like it: it holds no data)."""
    spec = request.app.openapi()
    models = apidocs.models(spec)
    return render(
        request,
        "docs.html",
        {
            "spec": spec,
            "operations": apidocs.operations(spec),
            "models": models,
            "model_names": {m.name for m in models},
        },
    )


def login_redirect(exc: LoginRequired) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(safe_next(exc.next_url), safe='/')}", status_code=303)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "detail": detail}, status)
