"""The JSON API under ``/api``: articles, statements, actors, topics, positions; every list paged."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError

from saywho.store import Database, read
from saywho.web import queries
from saywho.web.models import (
    ActorDetail,
    ActorSummary,
    ArticleDetail,
    ArticleIn,
    ArticleSummary,
    EvidenceOut,
    IngestOut,
    MergeIn,
    MergeOut,
    Page,
    PositionOut,
    Problem,
    Stance,
    StancePointOut,
    StatementOut,
    TopicAdded,
    TopicIn,
    TopicOut,
    TopicPositions,
)
from saywho.web.security import Guard
from saywho.web.writes import (
    TopicRefused,
    Unprocessable,
    Writer,
    add_topic,
    article_from_text,
    article_from_upload,
    merge,
    remove_topic,
)

MAX_LIMIT = 200


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_guard(request: Request) -> Guard:
    return request.app.state.guard


def can_read(request: Request, guard: Annotated[Guard, Depends(get_guard)]) -> None:
    """Reads are open, unless the server is private: then the token (header or session) is needed."""
    if guard.private and not guard.authorised(request):
        raise HTTPException(
            401, "this server is private: send Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"}
        )


def can_write(request: Request, guard: Annotated[Guard, Depends(get_guard)]) -> None:
    """Writes need ``Authorization: Bearer <SAYWHO_TOKEN>`` (never a cookie: no cross-site writes)."""
    if not guard.writable:
        raise HTTPException(
            403, "writes are disabled: start saywho serve with SAYWHO_TOKEN set to allow them"
        )
    if not guard.bearer_ok(request):
        raise HTTPException(
            401, "writes need Authorization: Bearer <SAYWHO_TOKEN>", {"WWW-Authenticate": "Bearer"}
        )


Db = Annotated[Database, Depends(get_db)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Since = Annotated[date | None, Query(description="On or after (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="On or before (YYYY-MM-DD).")]
ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": Problem}, 404: {"model": Problem}}

router = APIRouter(prefix="/api", dependencies=[Depends(can_read)], responses={401: {"model": Problem}})


def paging(request: Request, limit: int, offset: int) -> queries.Paging:
    return queries.Paging(limit=limit, offset=offset, url=request.url)


def as_json(model: BaseModel) -> Response:
    """The response, serialised by pydantic in one step in the worker thread (the route's
    ``response_model`` still documents it): FastAPI's own path validates the model again and encodes
    it on the event loop, which under load delays every other request."""
    return Response(model.model_dump_json(), media_type="application/json")


def _found(value: Any, what: str) -> Any:
    if value is None:
        raise HTTPException(404, f"no such {what}")
    return value


# --- articles --------------------------------------------------------------------------------------------


@router.get("/articles", response_model=Page[ArticleSummary], tags=["articles"])
def list_articles(
    request: Request,
    db: Db,
    since: Since = None,
    until: Until = None,
    outlet: Annotated[str | None, Query(description="The outlet, without case.")] = None,
    q: Annotated[
        str | None, Query(description='Full text over title and text: words, "a phrase", a OR b, -word.')
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Stored articles, the most recently published first."""
    f = read.ArticleFilters(since=since, until=until, outlet=outlet or None, search=q or None)
    return as_json(queries.articles_page(db, f, paging(request, limit, offset)))


@router.get("/articles/{article_id}", response_model=ArticleDetail, tags=["articles"], responses=ERRORS)
def get_article(article_id: int, db: Db) -> Response:
    """One article: its text and every statement found in it (offsets into that text)."""
    return as_json(_found(queries.article_detail(db, article_id), "article"))


ARTICLE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}},  # added by app.py
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "UTF-8 text, or a web page (.html)",
                        },
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "published": {"type": "string", "format": "date"},
                        "outlet": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    tags=["articles"],
    dependencies=[Depends(can_write)],
    openapi_extra=ARTICLE_BODY,
    responses={
        200: {"model": IngestOut, "description": "Already stored: nothing extracted again."},
        403: {"model": Problem},
        413: {"model": Problem},
        415: {"model": Problem},
        422: {"model": Problem},
    },
)
async def post_article(request: Request, response: Response, db: Db) -> IngestOut:
    """Extract an article's statements and store both (needs the token).

    JSON ``{text, title?, url?, published?, outlet?}`` or a multipart file upload (field ``file``). The
    same article (same URL, or same text without one) is stored once: posting it again answers 200 with
    ``status: known``. Bodies over the upload limit (default 10 MB) are refused with 413.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    writer: Writer = request.app.state.writer
    try:
        if kind == "application/json":
            try:
                body = ArticleIn.model_validate(json.loads(await request.body()))
            except (ValueError, ValidationError) as exc:
                raise HTTPException(422, _invalid(exc)) from None
            article = article_from_text(
                body.text,
                title=body.title,
                url=body.url,
                published=body.published,
                outlet=body.outlet,
                author=body.author,
            )
        elif kind == "multipart/form-data":
            article = await _upload(request)
        else:
            raise HTTPException(
                415, "send application/json or multipart/form-data (a file in the field 'file')"
            )
        stored = await run_in_threadpool(writer.store, article)
    except Unprocessable as exc:
        raise HTTPException(422, str(exc)) from None
    if stored.status == "known":
        response.status_code = 200
    else:
        response.headers["location"] = f"/api/articles/{stored.article_id}"
    return IngestOut(
        id=stored.article_id,
        status=stored.status,
        statements=stored.statements,
        api=f"/api/articles/{stored.article_id}",
        page=f"/articles/{stored.article_id}",
    )


def _invalid(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        return f"{where}: {first.get('msg', 'invalid')}"
    return f"not JSON: {exc}"


async def _upload(request: Request) -> Any:
    limit = request.app.state.settings.max_upload
    async with request.form(max_files=1, max_fields=10, max_part_size=limit) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(422, "no file in the field 'file'")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"the file is larger than the upload limit of {limit:,} bytes")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        filename = upload.filename
    try:
        published = date.fromisoformat(fields["published"]) if fields.get("published") else None
    except ValueError:
        raise HTTPException(422, "published: not a date in the form YYYY-MM-DD") from None
    return await run_in_threadpool(
        article_from_upload,
        data,
        filename,
        title=fields.get("title"),
        url=fields.get("url"),
        published=published,
        outlet=fields.get("outlet"),
    )


# --- statements ------------------------------------------------------------------------------------------


@router.get("/statements", response_model=Page[StatementOut], tags=["statements"])
def list_statements(
    request: Request,
    db: Db,
    speaker: Annotated[
        str | None, Query(description="A name, alias, surname (every such person) or actor id (#12).")
    ] = None,
    topic: Annotated[int | None, Query(description="A topic id: statements about it.")] = None,
    stance: Annotated[
        Stance | None, Query(description="With this stance (on the topic, when one is given).")
    ] = None,
    outlet: Annotated[str | None, Query(description="The article's outlet, without case.")] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[
        str | None, Query(description='Full text over the content: words, "a phrase", a OR b, -word.')
    ] = None,
    article: Annotated[int | None, Query(description="An article id.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Statements, the most recently said first; every filter narrows."""
    query = queries.StatementQuery(
        speaker=speaker,
        topic=topic,
        stance=stance,
        outlet=outlet,
        since=since,
        until=until,
        q=q,
        article=article,
    )
    return as_json(queries.statements_page(db, query, paging(request, limit, offset)))


@router.get("/statements/{statement_id}", response_model=StatementOut, tags=["statements"], responses=ERRORS)
def get_statement(statement_id: int, db: Db) -> Response:
    return as_json(_found(queries.statement(db, statement_id), "statement"))


# --- actors ----------------------------------------------------------------------------------------------


@router.get("/actors", response_model=Page[ActorSummary], tags=["actors"])
def list_actors(
    request: Request,
    db: Db,
    name: Annotated[str | None, Query(description="Only the actors this name designates.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """People and organisations quoted, the most quoted first."""
    return as_json(queries.actors_page(db, name, paging(request, limit, offset)))


@router.get("/actors/{actor_id}", response_model=ActorDetail, tags=["actors"], responses=ERRORS)
def get_actor(actor_id: int, db: Db) -> Response:
    """One actor: names, roles and countries over time, statements per month, topics and stances."""
    return as_json(_found(queries.actor_detail(db, actor_id), "actor"))


@router.post(
    "/actors/{actor_id}/merge",
    response_model=MergeOut,
    tags=["actors"],
    dependencies=[Depends(can_write)],
    responses={**ERRORS, 403: {"model": Problem}},
)
def merge_actors(actor_id: int, body: MergeIn, db: Db) -> MergeOut:
    """Fold other actors into this one, as ``saywho merge`` (needs the token); pinned for later ingests."""
    try:
        moved = merge(db, actor_id, body.others)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    return MergeOut(
        actor_id=actor_id, merged=[o for o in dict.fromkeys(body.others) if o != actor_id], moved=moved
    )


# --- topics and positions --------------------------------------------------------------------------------


@router.get("/topics", response_model=Page[TopicOut], tags=["topics"])
def list_topics(request: Request, db: Db, limit: Limit = 50, offset: Offset = 0) -> Page[TopicOut]:
    """Topics (propositions), the most discussed first."""
    return queries.topics_page(db, paging(request, limit, offset))


@router.get("/topics/{topic_id}", response_model=TopicOut, tags=["topics"], responses=ERRORS)
def get_topic(topic_id: int, db: Db) -> TopicOut:
    return _found(queries.topic(db, topic_id), "topic")


@router.post(
    "/topics",
    response_model=TopicAdded,
    status_code=201,
    tags=["topics"],
    dependencies=[Depends(can_write)],
    responses={403: {"model": Problem}, 409: {"model": Problem}},
)
def post_topic(request: Request, body: TopicIn, db: Db, background: BackgroundTasks) -> TopicAdded:
    """Add a topic, as ``saywho topic add`` (needs the token). Every stored statement is then read for it
    in the background (relevance and stance): its positions fill in as that goes; new articles are read
    for it when they are stored."""
    try:
        topic_id = add_topic(db, body.proposition, body.keywords, body.name)
    except TopicRefused as exc:
        raise HTTPException(409 if exc.conflict else 422, str(exc)) from None
    writer: Writer = request.app.state.writer
    background.add_task(writer.read_topics)
    return TopicAdded(topic=_found(queries.topic(db, topic_id), "topic"), reading=True)


@router.delete(
    "/topics/{topic_id}",
    status_code=204,
    tags=["topics"],
    dependencies=[Depends(can_write)],
    responses={**ERRORS, 403: {"model": Problem}},
)
def delete_topic(topic_id: int, db: Db) -> Response:
    """Remove a topic with its stances (needs the token); the statements stay."""
    if not remove_topic(db, topic_id):
        raise HTTPException(404, "no such topic")
    return Response(status_code=204)


@router.get("/topics/{topic_id}/positions", response_model=TopicPositions, tags=["topics"], responses=ERRORS)
def topic_positions(
    request: Request,
    topic_id: int,
    db: Db,
    since: Since = None,
    until: Until = None,
    stance: Annotated[Stance | None, Query(description="Only actors whose current stance this is.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Where each actor stands on the topic (statements between since and until), with a summary per
    stance: how many actors hold it, on how many statements, and the latest evidence."""
    t = _found(queries.topic(db, topic_id), "topic")
    return as_json(queries.topic_positions(db, t, since, until, stance, paging(request, limit, offset)))


@router.get(
    "/topics/{topic_id}/timeline", response_model=list[StancePointOut], tags=["topics"], responses=ERRORS
)
def topic_timeline(topic_id: int, db: Db, since: Since = None, until: Until = None) -> list[StancePointOut]:
    """Statements on the topic per month and stance."""
    from saywho.web import data

    _found(queries.topic(db, topic_id), "topic")
    return [
        StancePointOut(period=p.period, stance=p.stance, statements=p.statements)
        for p in data.topic_timeline(db, topic_id, since, until)
    ]


@router.get(
    "/topics/{topic_id}/evidence", response_model=Page[EvidenceOut], tags=["topics"], responses=ERRORS
)
def topic_evidence(
    request: Request,
    topic_id: int,
    db: Db,
    stance: Stance | None = None,
    actor: Annotated[int | None, Query(description="An actor id.")] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """The statements on the topic with their stance, newest first, each linked to its article."""
    _found(queries.topic(db, topic_id), "topic")
    return as_json(
        queries.evidence_page(db, topic_id, stance, actor, since, until, paging(request, limit, offset))
    )


@router.get("/positions", response_model=Page[PositionOut], tags=["topics"])
def positions(
    request: Request,
    db: Db,
    topic: Annotated[int | None, Query(description="A topic id: every actor's position on it.")] = None,
    actor: Annotated[int | None, Query(description="An actor id: its position on every topic.")] = None,
    stance: Stance | None = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[PositionOut]:
    """Positions by topic or by actor (give one of them; both: that actor on that topic)."""
    from saywho.web import data

    if topic is None and actor is None:
        raise HTTPException(422, "give topic or actor (or both)")
    p = paging(request, limit, offset)
    if actor is None:
        t = _found(queries.topic(db, topic), "topic")  # type: ignore[arg-type]
        tp = queries.topic_positions(db, t, since, until, stance, p)
        return Page[PositionOut](
            items=tp.items, limit=limit, offset=offset, total=tp.total, next=tp.next, prev=tp.prev
        )
    rows = [queries.position_out(x, topic=True) for x in data.actor_topics(db, actor)]
    rows = [
        r for r in rows if (topic is None or r.topic.id == topic) and (stance is None or r.stance == stance)
    ]  # type: ignore[union-attr]
    page = rows[offset : offset + limit]
    nxt, prev = p.links(len(rows), len(page))
    return Page[PositionOut](items=page, limit=limit, offset=offset, total=len(rows), next=nxt, prev=prev)
