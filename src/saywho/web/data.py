"""Topics, stances and positions as the web app reads them: one small interface over two tables.

The web app reads the store's ``topics`` (``id``, ``name``, ``proposition``)
and ``stances`` (one row per statement about a topic: ``statement_id``,
``topic_id``, ``label`` in ``support`` | ``oppose`` | ``open`` | ``neutral``,
``confidence``), written by the positions code (``saywho topic add``,
``saywho ingest``; migration 0002), through the functions below and nowhere
else. A database without them (opened without migrating) shows no topics.

Positions follow issue 5's aggregation where SQL can: an actor's **stance**
on a topic is the label of its latest statement that takes one (``neutral``
when none does), **changes** counts the times that label differed from the
previous one, and the **evidence** is the latest statement with the current
stance. Stances taken relative to another actor ("distanced themselves from
Z") are stored already resolved. Unlike ``saywho positions``, the counts here
are of stored statements: a quote carried by several outlets counts once per
article.

Topic figures are aggregates over every stance on a topic: their results are
cached per database for :data:`CACHE_SECONDS` (``SAYWHO_CACHE_SECONDS``; 0
turns the cache off). Writes through the web app, and :func:`set_stances` /
:func:`add_topic`, clear it at once; a write by another process (``saywho
ingest``, a stance run) shows within that time.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, ParamSpec, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    case,
    func,
    inspect,
    literal,
    select,
)

from saywho.store.db import Database
from saywho.store.schema import actors, articles, stances, statements, topics

StanceLabel = Literal["support", "oppose", "open", "neutral"]
STANCES: tuple[StanceLabel, ...] = ("support", "oppose", "open", "neutral")

# Whether the tables exist, per engine; a missing answer is asked again after this many seconds
# (a migration may add them while the server runs).
RECHECK_SECONDS = 30.0
_available: weakref.WeakKeyDictionary[Engine, tuple[bool, float]] = weakref.WeakKeyDictionary()


# --- the cache of topic figures --------------------------------------------------------------------------

CACHE_SECONDS = float(os.environ.get("SAYWHO_CACHE_SECONDS", "30"))
CACHE_ENTRIES = 2048


class _Cache:
    """Results by call, for ``seconds``, the least recently used dropped beyond ``CACHE_ENTRIES``.

    One computation per key at a time: concurrent readers of a missing figure wait for the first
    one's result instead of all computing it (under load, a topic page's figures computed by ten
    threads at once took seconds each and held up every other page). ``generation`` counts
    invalidations: a result computed across one is not kept.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.entries: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.flights: dict[tuple[Any, ...], threading.Lock] = {}
        self.generation = 0

    def get(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        with self.lock:
            hit = self.entries.get(key)
            if hit is None or hit[0] < time.monotonic():
                return False, None
            self.entries.move_to_end(key)
            return True, hit[1]

    def put(self, key: tuple[Any, ...], value: Any, generation: int) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.entries[key] = (time.monotonic() + self.seconds, value)
            self.entries.move_to_end(key)
            while len(self.entries) > CACHE_ENTRIES:
                self.entries.popitem(last=False)

    def compute(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        with self.lock:
            flight = self.flights.setdefault(key, threading.Lock())
        with flight:
            found, value = self.get(key)  # computed while this thread waited
            if found:
                return value
            generation = self.generation
            try:
                value = make()
                self.put(key, value, generation)
            finally:
                with self.lock:
                    self.flights.pop(key, None)
            return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.generation += 1


_caches: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
P = ParamSpec("P")
R = TypeVar("R")


def set_cache_seconds(db: Database, seconds: float) -> None:
    """How long topic figures read from ``db``, and pages shown from it, are kept (0: not at all)."""
    _caches[db.engine] = _Cache(seconds)


def cache_seconds(db: Database) -> float:
    """What :func:`set_cache_seconds` set for ``db`` (else :data:`CACHE_SECONDS`)."""
    cache = _caches.get(db.engine)
    return CACHE_SECONDS if cache is None else cache.seconds


_generations: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


def invalidate(db: Database) -> None:
    """Forget every cached figure of ``db`` (after a write); kept pages (:mod:`saywho.web.cache`) too."""
    _generations[db.engine] = _generations.get(db.engine, 0) + 1
    cache = _caches.get(db.engine)
    if cache is not None:
        cache.clear()


def generation(db: Database) -> int:
    """How many times :func:`invalidate` was called for ``db`` in this process."""
    return _generations.get(db.engine, 0)


def cached(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache ``fn(db, ...)`` by its arguments, per database (callers must not change what it returns)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        db = args[0]
        assert isinstance(db, Database)
        cache = _caches.get(db.engine)
        if cache is None:
            cache = _caches.setdefault(db.engine, _Cache(CACHE_SECONDS))
        if cache.seconds <= 0:
            return fn(*args, **kwargs)
        key = (fn.__name__, args[1:], tuple(sorted(kwargs.items())))
        found, value = cache.get(key)
        if not found:
            value = cache.compute(key, lambda: fn(*args, **kwargs))
        return value  # type: ignore[no-any-return]

    return wrapper


def available(db: Database) -> bool:
    """Whether the database has both tables with the columns read here (not so when opened unmigrated)."""
    known = _available.get(db.engine)
    if known is not None and (known[0] or time.monotonic() - known[1] < RECHECK_SECONDS):
        return known[0]
    insp = inspect(db.engine)
    ok = True
    for table in (topics, stances):
        if not insp.has_table(table.name):
            ok = False
            break
        have = {c["name"] for c in insp.get_columns(table.name)}
        if not {c.name for c in table.columns} <= have:
            ok = False
            break
    _available[db.engine] = (ok, time.monotonic())
    return ok


# --- what the pages and the API show -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicInfo:
    id: int
    name: str
    proposition: str
    statements: int
    actors: int
    first: date | None
    last: date | None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A statement on a topic, with its stance and where it was published."""

    statement_id: int
    stance: StanceLabel
    confidence: float
    content: str
    said_on: date | None
    actor_id: int | None
    actor_name: str | None
    article_id: int
    article_title: str | None
    article_outlet: str | None
    article_url: str | None


@dataclass(slots=True)
class Position:
    """Where one actor stands on one topic (``key``: the actor on a topic page, the topic on an actor's)."""

    key: int
    stance: StanceLabel
    statements: int
    counts: dict[str, int]
    first: date | None
    last: date | None
    changes: int
    evidence_id: int | None
    evidence: list[Evidence] = field(default_factory=list)
    name: str = ""  # the actor's name, or the topic's


@dataclass(frozen=True, slots=True)
class StanceSummary:
    """One row of a topic's positions table: how many actors hold a stance, on how many statements."""

    stance: StanceLabel
    actors: int
    statements: int
    latest: Evidence | None


@dataclass(frozen=True, slots=True)
class StancePoint:
    period: str  # YYYY-MM
    stance: StanceLabel
    statements: int


# --- queries -------------------------------------------------------------------------------------------


def _dated(since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if since:
        conds.append(statements.c.said_on >= since)
    if until:
        conds.append(statements.c.said_on <= until)
    return conds


def statement_condition(db: Database, topic_id: int | None, stance: str | None) -> ColumnElement[bool] | None:
    """A condition on ``statements`` for the statements filters: about ``topic_id``, with ``stance``.

    None when neither is given; a condition matching nothing when the relations are missing.
    """
    if topic_id is None and stance is None:
        return None
    if not available(db):
        return literal(False)
    q = select(stances.c.statement_id)
    if topic_id is not None:
        q = q.where(stances.c.topic_id == topic_id)
    if stance is not None:
        q = q.where(stances.c.label == stance)
    return statements.c.id.in_(q)


@cached
def topic_list(db: Database, limit: int = 50, offset: int = 0) -> tuple[list[TopicInfo], int]:
    """Topics, the most discussed first, and how many there are."""
    if not available(db):
        return [], 0
    counts = (
        select(
            stances.c.topic_id,
            func.count().label("n"),
            func.count(statements.c.actor_id.distinct()).label("actors"),
            func.min(statements.c.said_on).label("first"),
            func.max(statements.c.said_on).label("last"),
        )
        .join(statements, statements.c.id == stances.c.statement_id)
        .group_by(stances.c.topic_id)
        .subquery()
    )
    n = func.coalesce(counts.c.n, 0)
    q = (
        select(topics, n.label("n"), counts.c.actors, counts.c.first, counts.c.last)
        .outerjoin(counts, counts.c.topic_id == topics.c.id)
        .order_by(n.desc(), topics.c.id)
        .limit(limit)
        .offset(offset)
    )
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(topics)).scalar_one()
        rows = conn.execute(q).all()
    return [_topic(r) for r in rows], total


@cached
def topic_names(db: Database) -> list[tuple[int, str]]:
    """Every topic's id and name, by name (a choice in a form)."""
    if not available(db):
        return []
    with db.engine.connect() as conn:
        return [
            (r.id, r.name) for r in conn.execute(select(topics.c.id, topics.c.name).order_by(topics.c.name))
        ]


def _topic(r: Any) -> TopicInfo:
    return TopicInfo(r.id, r.name, r.proposition, r.n or 0, r.actors or 0, r.first, r.last)


@cached
def topic(db: Database, topic_id: int) -> TopicInfo | None:
    if not available(db):
        return None
    q = (
        select(
            topics,
            func.count(stances.c.statement_id).label("n"),
            func.count(statements.c.actor_id.distinct()).label("actors"),
            func.min(statements.c.said_on).label("first"),
            func.max(statements.c.said_on).label("last"),
        )
        .outerjoin(stances, stances.c.topic_id == topics.c.id)
        .outerjoin(statements, statements.c.id == stances.c.statement_id)
        .where(topics.c.id == topic_id)
        .group_by(topics.c.id, topics.c.name, topics.c.proposition)
    )
    with db.engine.connect() as conn:
        row = conn.execute(q).first()
    return _topic(row) if row else None


def _aggregate(conn: Connection, group: Any, conds: Sequence[ColumnElement[bool]]) -> list[Position]:
    """Positions of the rows matching ``conds``, one per value of ``group`` (an actor, or a topic).

    One pass with window functions: each row's rank among its group's rows (newest first), overall and
    among the rows that take a stance, and the previous stance taken (for counting changes).
    """
    taken = stances.c.label != "neutral"
    newest = (statements.c.said_on.desc().nulls_last(), statements.c.id.desc())
    rows = (
        select(
            group.label("key"),
            stances.c.label,
            statements.c.id,
            statements.c.said_on,
            func.row_number().over(partition_by=group, order_by=newest).label("rn_all"),
            func.row_number().over(partition_by=(group, taken), order_by=newest).label("rn_taken"),
            func.lag(stances.c.label)
            .over(partition_by=(group, taken), order_by=(statements.c.said_on, statements.c.id))
            .label("prev"),
        )
        .select_from(stances)
        .join(statements, statements.c.id == stances.c.statement_id)
        .where(*conds)
        .subquery()
    )
    is_taken = rows.c.label != "neutral"
    q = select(
        rows.c.key,
        *(func.sum(case((rows.c.label == s, 1), else_=0)).label(f"n_{s}") for s in STANCES),
        func.min(rows.c.said_on).label("first"),
        func.max(rows.c.said_on).label("last"),
        func.max(case((and_(is_taken, rows.c.rn_taken == 1), rows.c.label))).label("stance"),
        func.max(case((and_(is_taken, rows.c.rn_taken == 1), rows.c.id))).label("taken_id"),
        func.max(case((rows.c.rn_all == 1, rows.c.id))).label("latest_id"),
        func.sum(
            case((and_(is_taken, rows.c.prev.is_not(None), rows.c.prev != rows.c.label), 1), else_=0)
        ).label("changes"),
    ).group_by(rows.c.key)
    out = []
    for r in conn.execute(q):
        counts = {s: int(getattr(r, f"n_{s}") or 0) for s in STANCES}
        out.append(
            Position(
                key=r.key,
                stance=r.stance or "neutral",
                statements=sum(counts.values()),
                counts=counts,
                first=r.first,
                last=r.last,
                changes=int(r.changes or 0),
                evidence_id=r.taken_id if r.stance else r.latest_id,
            )
        )
    return out


def _evidence_query() -> Any:
    return (
        select(
            statements.c.id,
            stances.c.label,
            stances.c.confidence,
            statements.c.content,
            statements.c.said_on,
            statements.c.actor_id,
            actors.c.name.label("actor_name"),
            statements.c.article_id,
            articles.c.title,
            articles.c.outlet,
            articles.c.url,
        )
        .select_from(stances)
        .join(statements, statements.c.id == stances.c.statement_id)
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(actors, actors.c.id == statements.c.actor_id)
    )


def _evidence(r: Any) -> Evidence:
    return Evidence(
        statement_id=r.id,
        stance=r.label,
        confidence=float(r.confidence),
        content=r.content,
        said_on=r.said_on,
        actor_id=r.actor_id,
        actor_name=r.actor_name,
        article_id=r.article_id,
        article_title=r.title,
        article_outlet=r.outlet,
        article_url=r.url,
    )


def _attach_evidence(conn: Connection, positions: Sequence[Position], topic_id: int) -> None:
    """Each position's evidence statement on ``topic_id``, fetched in one query."""
    ids = [p.evidence_id for p in positions if p.evidence_id is not None]
    if not ids:
        return
    q = _evidence_query().where(stances.c.topic_id == topic_id, statements.c.id.in_(ids))
    found = {r.id: _evidence(r) for r in conn.execute(q)}
    for p in positions:
        ev = found.get(p.evidence_id) if p.evidence_id is not None else None
        p.evidence = [ev] if ev else []


@cached
def topic_positions(
    db: Database,
    topic_id: int,
    since: date | None = None,
    until: date | None = None,
    stance: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Position], list[StanceSummary], int]:
    """A topic's positions: a page of actors (the most statements first), the per-stance summary, and
    how many actors match ``stance``."""
    if not available(db):
        return [], [], 0
    conds = [stances.c.topic_id == topic_id, statements.c.actor_id.is_not(None), *_dated(since, until)]
    with db.engine.connect() as conn:
        every = _aggregate(conn, statements.c.actor_id, conds)
        summary = _summary(conn, topic_id, every, since, until)
        chosen = [p for p in every if stance is None or p.stance == stance]
        chosen.sort(key=lambda p: (-p.statements, p.key))
        page = chosen[offset : offset + limit]
        _attach_evidence(conn, page, topic_id)
        names = dict(
            conn.execute(
                select(actors.c.id, actors.c.name).where(actors.c.id.in_([p.key for p in page]))
            ).all()
        )
    for p in page:
        p.name = names.get(p.key, f"#{p.key}")
    return page, summary, len(chosen)


def _summary(
    conn: Connection, topic_id: int, every: Sequence[Position], since: date | None, until: date | None
) -> list[StanceSummary]:
    latest: dict[str, Evidence] = {}
    newest = (statements.c.said_on.desc().nulls_last(), statements.c.id.desc())
    for s in STANCES:
        q = (
            _evidence_query()
            .where(stances.c.topic_id == topic_id, stances.c.label == s, *_dated(since, until))
            .order_by(*newest)
            .limit(1)
        )
        row = conn.execute(q).first()
        if row is not None:
            latest[s] = _evidence(row)
    return [
        StanceSummary(
            stance=s,
            actors=sum(1 for p in every if p.stance == s),
            statements=sum(p.counts[s] for p in every),
            latest=latest.get(s),
        )
        for s in STANCES
    ]


def _month(db: Database) -> Any:
    if db.dialect == "postgresql":
        return func.to_char(statements.c.said_on, "YYYY-MM")
    return func.strftime("%Y-%m", statements.c.said_on)


@cached
def topic_timeline(
    db: Database, topic_id: int, since: date | None = None, until: date | None = None
) -> list[StancePoint]:
    """Statements on a topic per month and stance, in time order (undated statements left out)."""
    if not available(db):
        return []
    month = _month(db).label("period")
    q = (
        select(month, stances.c.label, func.count().label("n"))
        .select_from(stances)
        .join(statements, statements.c.id == stances.c.statement_id)
        .where(stances.c.topic_id == topic_id, statements.c.said_on.is_not(None), *_dated(since, until))
        .group_by(month, stances.c.label)
        .order_by(month)
    )
    with db.engine.connect() as conn:
        return [StancePoint(r.period, r.label, r.n) for r in conn.execute(q)]


@cached
def topic_evidence(
    db: Database,
    topic_id: int | None = None,
    *,
    stance: str | None = None,
    actor_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Evidence], int]:
    """Statements on a topic with their stance, newest first, and how many there are."""
    if not available(db):
        return [], 0
    conds = _dated(since, until)
    if topic_id is not None:
        conds.append(stances.c.topic_id == topic_id)
    if stance is not None:
        conds.append(stances.c.label == stance)
    if actor_id is not None:
        conds.append(statements.c.actor_id == actor_id)
    q = (
        _evidence_query()
        .where(*conds)
        .order_by(statements.c.said_on.desc().nulls_last(), statements.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total_q = (
        select(func.count())
        .select_from(stances)
        .join(statements, statements.c.id == stances.c.statement_id)
        .where(*conds)
    )
    with db.engine.connect() as conn:
        return [_evidence(r) for r in conn.execute(q)], conn.execute(total_q).scalar_one()


@cached
def actor_topics(db: Database, actor_id: int, evidence: int = 3) -> list[Position]:
    """An actor's position on each topic it spoke about (``key`` and ``name``: the topic), the most
    statements first, each with up to ``evidence`` latest quotes of its current stance."""
    if not available(db):
        return []
    with db.engine.connect() as conn:
        out = _aggregate(conn, stances.c.topic_id, [statements.c.actor_id == actor_id])
        names = dict(
            conn.execute(
                select(topics.c.id, topics.c.name).where(topics.c.id.in_([p.key for p in out]))
            ).all()
        )
        for p in out:
            p.name = names.get(p.key, f"#{p.key}")
            q = _evidence_query().where(stances.c.topic_id == p.key, statements.c.actor_id == actor_id)
            if p.stance != "neutral":
                q = q.where(stances.c.label == p.stance)
            q = q.order_by(statements.c.said_on.desc().nulls_last(), statements.c.id.desc()).limit(evidence)
            p.evidence = [_evidence(r) for r in conn.execute(q)]
    out.sort(key=lambda p: (-p.statements, p.key))
    return out


# --- what issue 5 or a test writes -----------------------------------------------------------------------


def add_topic(db: Database, name: str, proposition: str) -> int:
    """A new topic's id (tests and benchmarks; issue 5 brings the real write path)."""
    with db.writer.begin() as conn:
        topic_id = conn.execute(
            topics.insert().values(name=name, proposition=proposition).returning(topics.c.id)
        ).scalar_one()
    invalidate(db)
    return topic_id


def set_stances(db: Database, topic_id: int, rows: Sequence[tuple[int, str, float]]) -> None:
    """Store ``(statement_id, label, confidence)`` stances on a topic, replacing earlier ones."""
    with db.writer.begin() as conn:
        ids = [r[0] for r in rows]
        for i in range(0, len(ids), 500):
            conn.execute(
                stances.delete().where(
                    stances.c.topic_id == topic_id, stances.c.statement_id.in_(ids[i : i + 500])
                )
            )
        if rows:
            conn.execute(
                stances.insert(),
                [
                    {"statement_id": s, "topic_id": topic_id, "label": lab, "confidence": c}
                    for s, lab, c in rows
                ],
            )
    invalidate(db)
