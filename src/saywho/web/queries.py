"""What the API and the pages show, built from the store (:mod:`saywho.store.read`) and the positions
interface (:mod:`saywho.web.data`) as response models. Both the JSON routes and the HTML pages call
these functions, so a page shows exactly what the API returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, literal, select
from starlette.datastructures import URL

from saywho.store import Database, read
from saywho.store.schema import statements
from saywho.web import data
from saywho.web.models import (
    ActorDetail,
    ActorRef,
    ActorSummary,
    ArticleDetail,
    ArticleRef,
    ArticleSummary,
    CountrySpan,
    EvidenceOut,
    NameCount,
    Page,
    PeriodCount,
    PositionOut,
    RepeatedQuote,
    RoleSpan,
    StanceSummaryOut,
    StatementOut,
    StatementRecord,
    TopicOut,
    TopicPositions,
    TopicRef,
)

COUNT_CAP = 10_000  # statement totals are counted up to here ("more than 10,000")
ARTICLE_STATEMENTS = 5_000  # statements shown on one article's page


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int
    url: URL  # the request's URL, for the next and previous links
    param: str = "offset"  # a page with two lists pages the second by another parameter

    def link(self, offset: int | None) -> str | None:
        """The path and query of the page at ``offset`` (never a host: no link leaves this server)."""
        if offset is None:
            return None
        params: dict[str, int] = {self.param: offset}
        if self.param == "offset":
            params["limit"] = self.limit
        u = self.url.include_query_params(**params)
        return f"{u.path}?{u.query}"

    def links(self, total: int, shown: int) -> tuple[str | None, str | None]:
        nxt = self.offset + self.limit if self.offset + shown < total else None
        prev = max(0, self.offset - self.limit) if self.offset > 0 else None
        return self.link(nxt), self.link(prev)


# --- statements ------------------------------------------------------------------------------------------


def statement_page_link(article_id: int, statement_id: int) -> str:
    return f"/articles/{article_id}#st-{statement_id}"


def statement_out(r: dict[str, Any]) -> StatementOut:
    record = r["record"] if isinstance(r["record"], dict) else json.loads(r["record"])
    return StatementOut(
        id=r["id"],
        said_on=r["said_on"],
        kind=r["kind"],
        speaker_name=r["speaker_name"],
        speaker_role=r["speaker_role"],
        speaker_country=r["speaker_country"],
        cue=r["cue"],
        content=r["content"],
        confidence=r["confidence"],
        cluster_id=r["cluster_id"],
        actor=ActorRef(id=r["actor_id"], name=r["actor_name"]) if r["actor_id"] is not None else None,
        article=ArticleRef(
            id=r["article_id"],
            title=r["article_title"],
            outlet=r["article_outlet"],
            url=r["article_url"],
            published=r["article_published"],
        ),
        record=StatementRecord.model_validate(record),
        page=statement_page_link(r["article_id"], r["id"]),
    )


@dataclass(frozen=True, slots=True)
class StatementQuery:
    speaker: str | None = None
    topic: int | None = None
    stance: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None
    article: int | None = None

    def filters(self, db: Database) -> read.Filters:
        """The store's filters; the speaker resolved to actor ids here, once for the page and its count."""
        where = []
        cond = data.statement_condition(db, self.topic, self.stance)
        if cond is not None:
            where.append(cond)
        if self.speaker:
            ids = read.speaker_ids(db, self.speaker)
            where.append(statements.c.actor_id.in_(ids) if ids else literal(False))
        return read.Filters(
            where=tuple(where),
            since=self.since,
            until=self.until,
            outlet=self.outlet or None,
            search=self.q or None,
            article_id=self.article,
        )


def statements_page(db: Database, query: StatementQuery, paging: Paging) -> Page[StatementOut]:
    f = query.filters(db)
    rows = read.quotes(db, f, limit=paging.limit, offset=paging.offset)
    total = read.count_quotes(db, f, cap=paging.offset + COUNT_CAP)
    exact = total <= paging.offset + COUNT_CAP
    total = min(total, paging.offset + COUNT_CAP)
    nxt, prev = paging.links(total if exact else total + 1, len(rows))
    return Page[StatementOut](
        items=[statement_out(r) for r in rows],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        total_exact=exact,
        next=nxt,
        prev=prev,
    )


def statement(db: Database, statement_id: int) -> StatementOut | None:
    rows = read.quotes(db, read.Filters(where=(statements.c.id == statement_id,)), limit=1)
    return statement_out(rows[0]) if rows else None


# --- articles --------------------------------------------------------------------------------------------


def article_summary(r: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary(
        id=r["id"],
        label=r["label"],
        url=r["url"],
        title=r["title"],
        outlet=r["outlet"],
        author=r["author"],
        published=r["published"],
        words=r["words"],
        statements=r["n_statements"],
        extractor_version=r["extractor_version"],
        page=f"/articles/{r['id']}",
    )


def articles_page(db: Database, f: read.ArticleFilters, paging: Paging) -> Page[ArticleSummary]:
    rows = read.article_list(db, f, limit=paging.limit, offset=paging.offset)
    total = read.count_articles(db, f)
    nxt, prev = paging.links(total, len(rows))
    return Page[ArticleSummary](
        items=[article_summary(r) for r in rows],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        next=nxt,
        prev=prev,
    )


def article_detail(db: Database, article_id: int) -> ArticleDetail | None:
    row = read.article(db, article_id)
    if row is None:
        return None
    rows = read.quotes(db, read.Filters(article_id=article_id), limit=ARTICLE_STATEMENTS)
    rows.sort(key=lambda r: r["id"])  # stored in the order of the text
    return ArticleDetail(
        **article_summary(row).model_dump(),
        text=row["text"],
        statement_list=[statement_out(r) for r in rows],
    )


# --- actors ----------------------------------------------------------------------------------------------


def actor_summary(r: dict[str, Any]) -> ActorSummary:
    return ActorSummary(
        id=r["id"],
        name=r["name"],
        kind=r["kind"],
        role=r["role"],
        org=r["org"],
        country=r["country"],
        statements=r["n_statements"],
        first_seen=r["first_seen"],
        last_seen=r["last_seen"],
        page=f"/actors/{r['id']}",
    )


def actors_page(db: Database, name: str | None, paging: Paging) -> Page[ActorSummary]:
    rows = read.actor_list(db, name or None, limit=paging.limit, offset=paging.offset)
    total = read.count_actors(db, name or None)
    nxt, prev = paging.links(total, len(rows))
    return Page[ActorSummary](
        items=[actor_summary(r) for r in rows],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        next=nxt,
        prev=prev,
    )


def _month(db: Database) -> Any:
    if db.dialect == "postgresql":
        return func.to_char(statements.c.said_on, "YYYY-MM")
    return func.strftime("%Y-%m", statements.c.said_on)


def actor_timeline(db: Database, actor_id: int) -> list[PeriodCount]:
    month = _month(db).label("period")
    q = (
        select(month, func.count().label("n"))
        .where(statements.c.actor_id == actor_id, statements.c.said_on.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    with db.engine.connect() as conn:
        return [PeriodCount(period=r.period, statements=r.n) for r in conn.execute(q)]


def actor_countries(db: Database, actor_id: int) -> list[CountrySpan]:
    """The countries its mentions gave it, each with the first and last date it was given."""
    q = (
        select(
            func.min(statements.c.speaker_country).label("country"),
            func.min(statements.c.said_on).label("since"),
            func.max(statements.c.said_on).label("until"),
            func.count().label("n"),
        )
        .where(statements.c.actor_id == actor_id, statements.c.speaker_country.is_not(None))
        .group_by(func.lower(statements.c.speaker_country))
        .order_by(func.min(statements.c.said_on).nulls_last())
    )
    with db.engine.connect() as conn:
        return [
            CountrySpan(country=r.country, since=r.since, until=r.until, statements=r.n)
            for r in conn.execute(q)
        ]


def actor_detail(db: Database, actor_id: int) -> ActorDetail | None:
    d = read.actor_detail(db, actor_id, latest=10)  # 10 most repeated quotes; its statements are paged apart
    if d is None:
        return None
    return ActorDetail(
        **actor_summary(d).model_dump(),
        names=[NameCount(**n) for n in d["names"]],
        roles=[RoleSpan(**r) for r in d["roles"]],
        countries=actor_countries(db, actor_id),
        articles=d["articles"],
        repeated=[RepeatedQuote(**c) for c in d["repeated"]],
        topics=[position_out(p, topic=True) for p in data.actor_topics(db, actor_id)],
        timeline=actor_timeline(db, actor_id),
    )


# --- topics and positions --------------------------------------------------------------------------------


def topic_out(t: data.TopicInfo) -> TopicOut:
    return TopicOut(
        id=t.id,
        name=t.name,
        proposition=t.proposition,
        statements=t.statements,
        actors=t.actors,
        first=t.first,
        last=t.last,
        page=f"/topics/{t.id}",
    )


def evidence_out(e: data.Evidence) -> EvidenceOut:
    return EvidenceOut(
        statement_id=e.statement_id,
        stance=e.stance,
        confidence=e.confidence,
        content=e.content,
        said_on=e.said_on,
        actor=ActorRef(id=e.actor_id, name=e.actor_name or f"#{e.actor_id}")
        if e.actor_id is not None
        else None,
        article=ArticleRef(
            id=e.article_id, title=e.article_title, outlet=e.article_outlet, url=e.article_url
        ),
        page=statement_page_link(e.article_id, e.statement_id),
    )


def position_out(p: data.Position, topic: bool = False) -> PositionOut:
    return PositionOut(
        actor=None if topic else ActorRef(id=p.key, name=p.name),
        topic=TopicRef(id=p.key, name=p.name) if topic else None,
        stance=p.stance,
        statements=p.statements,
        counts=p.counts,
        first=p.first,
        last=p.last,
        changes=p.changes,
        evidence=[evidence_out(e) for e in p.evidence],
    )


def topics_page(db: Database, paging: Paging) -> Page[TopicOut]:
    rows, total = data.topic_list(db, limit=paging.limit, offset=paging.offset)
    nxt, prev = paging.links(total, len(rows))
    return Page[TopicOut](
        items=[topic_out(t) for t in rows],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        next=nxt,
        prev=prev,
    )


def topic(db: Database, topic_id: int) -> TopicOut | None:
    t = data.topic(db, topic_id)
    return topic_out(t) if t else None


def topic_positions(
    db: Database,
    t: TopicOut,
    since: date | None,
    until: date | None,
    stance: str | None,
    paging: Paging,
) -> TopicPositions:
    page, summary, total = data.topic_positions(
        db, t.id, since=since, until=until, stance=stance, limit=paging.limit, offset=paging.offset
    )
    nxt, prev = paging.links(total, len(page))
    return TopicPositions(
        topic=t,
        summary=[
            StanceSummaryOut(
                stance=s.stance,
                actors=s.actors,
                statements=s.statements,
                latest=evidence_out(s.latest) if s.latest else None,
            )
            for s in summary
        ],
        items=[position_out(p) for p in page],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        next=nxt,
        prev=prev,
    )


def evidence_page(
    db: Database,
    topic_id: int | None,
    stance: str | None,
    actor_id: int | None,
    since: date | None,
    until: date | None,
    paging: Paging,
) -> Page[EvidenceOut]:
    rows, total = data.topic_evidence(
        db,
        topic_id,
        stance=stance,
        actor_id=actor_id,
        since=since,
        until=until,
        limit=paging.limit,
        offset=paging.offset,
    )
    nxt, prev = paging.links(total, len(rows))
    return Page[EvidenceOut](
        items=[evidence_out(e) for e in rows],
        limit=paging.limit,
        offset=paging.offset,
        total=total,
        next=nxt,
        prev=prev,
    )
