"""Topics and stances in the corpus database: a topic applies to every stored statement.

- :func:`add_topic` stores a topic; :func:`bring_up_to_date` then reads, for
  each topic, every stored article not yet read for it (or re-extracted
  since), and stores one ``stances`` row per statement about the topic.
  ``saywho topic add --db`` and ``saywho ingest`` call it, so a topic added
  today applies to last year's statements and tomorrow's.
- :func:`positions` aggregates a topic's stored stances per actor with the
  same pure functions as the file-based ``saywho positions``.

Re-running never duplicates: an article is read for a topic in one
transaction that replaces its rows and records the article's
``extracted_at`` in ``topic_articles``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from saywho.positions.aggregate import Classified, build_positions, relative_label
from saywho.positions.relevance import RelevanceModel
from saywho.positions.stance import model_version
from saywho.positions.statements import StatementRecord, classify_records
from saywho.records import Position, Span, Stance, Statement, Topic
from saywho.store.db import Database
from saywho.store.schema import actors, articles, stances, statements, topic_articles, topics

CHUNK = 64  # articles read per transaction
RETRIES = 3
LOCK_KEY = 7216541  # pg_advisory_xact_lock(LOCK_KEY, topic id)


class TopicExists(ValueError):
    """A topic of that name is stored already."""


@dataclass(frozen=True, slots=True)
class StoredTopic:
    id: int
    topic: Topic
    created_at: datetime | None = None


def _row_topic(r: Any) -> StoredTopic:
    return StoredTopic(r.id, Topic(r.name, r.proposition, list(json.loads(r.keywords or "[]"))), r.created_at)


def add_topic(db: Database, topic: Topic) -> StoredTopic:
    """Store ``topic``; :class:`TopicExists` when its name is taken."""
    now = datetime.now(UTC)
    try:
        with db.writer.begin() as conn:
            if conn.execute(select(topics.c.id).where(topics.c.name == topic.name)).first():
                raise TopicExists(topic.name)
            tid = conn.execute(
                insert(topics)
                .values(
                    name=topic.name,
                    proposition=topic.proposition,
                    keywords=json.dumps(list(topic.keywords), ensure_ascii=False),
                    created_at=now,
                )
                .returning(topics.c.id)
            ).scalar_one()
    except IntegrityError:  # another writer stored the same name first
        raise TopicExists(topic.name) from None
    return StoredTopic(tid, topic, now)


def remove_topic(db: Database, topic_id: int) -> bool:
    """Forget a stored topic with its stances and reading marks; False when there is none."""
    with db.writer.begin() as conn:
        conn.execute(delete(stances).where(stances.c.topic_id == topic_id))
        conn.execute(delete(topic_articles).where(topic_articles.c.topic_id == topic_id))
        return bool(conn.execute(delete(topics).where(topics.c.id == topic_id)).rowcount)


def list_topics(db: Database) -> list[StoredTopic]:
    with db.engine.connect() as conn:
        return [_row_topic(r) for r in conn.execute(select(topics).order_by(topics.c.id))]


def find_topic(db: Database, key: str) -> StoredTopic | None:
    """The stored topic named ``key`` (or whose proposition is ``key``)."""
    with db.engine.connect() as conn:
        r = conn.execute(
            select(topics).where((topics.c.name == key) | (topics.c.proposition == key)).order_by(topics.c.id)
        ).first()
    return _row_topic(r) if r else None


# --- reading stored articles for topics ------------------------------------------------------------


@dataclass(slots=True)
class Progress:
    topic: str
    articles: int = 0
    statements: int = 0  # statements read
    about: int = 0  # rows stored: statements about the topic


def _due(db: Database, topic_id: int, after: int) -> list[Any]:
    """The next stored, extracted articles not read for the topic since their last extraction."""
    read = and_(
        topic_articles.c.topic_id == topic_id,
        topic_articles.c.article_id == articles.c.id,
        topic_articles.c.extracted_at == articles.c.extracted_at,
    )
    q = (
        select(
            articles.c.id,
            articles.c.label,
            articles.c.text,
            articles.c.published,
            articles.c.outlet,
            articles.c.url,
            articles.c.extracted_at,
        )
        .where(
            articles.c.id > after,
            articles.c.extractor_version.is_not(None),
            ~select(topic_articles.c.article_id).where(read).exists(),
        )
        .order_by(articles.c.id)
        .limit(CHUNK)
    )
    with db.engine.connect() as conn:
        return list(conn.execute(q))


def _records(db: Database, arts: list[Any]) -> tuple[list[StatementRecord], list[int]]:
    by_id = {a.id: a for a in arts}
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(statements.c.id, statements.c.article_id, statements.c.record)
            .where(statements.c.article_id.in_(list(by_id)))
            .order_by(statements.c.article_id, statements.c.seq)
        ).all()
    recs, keys = [], []
    for r in rows:
        a = by_id[r.article_id]
        st = Statement.from_dict(json.loads(r.record))
        pub = a.published.isoformat() if isinstance(a.published, date) else None
        recs.append(StatementRecord(st, pub, a.outlet, a.url, article_text=a.text))
        keys.append(r.id)
    return recs, keys


def _row(c: Classified, topic_id: int, version: str | None) -> dict[str, Any]:
    s = c.stance
    ev_start = c.offset + s.evidence.start if s.evidence is not None else None
    ev_end = c.offset + s.evidence.end if s.evidence is not None else None
    return {
        "statement_id": c.key,
        "topic_id": topic_id,
        "label": s.label,
        "confidence": float(s.confidence),
        "evidence_start": ev_start,
        "evidence_end": ev_end,
        "evidence": s.evidence.text if s.evidence else None,
        "words": c.text,
        "relevance": c.relevance,
        "keyword": c.keyword,
        "method": s.method,
        "model": version if s.method == "model" else None,
        "relative_to": s.relative_to,
        "relation": s.relation,
    }


def _read_chunk(
    db: Database, st: StoredTopic, arts: list[Any], rel: RelevanceModel, use_model: bool, p: Progress
) -> None:
    recs, keys = _records(db, arts)
    items = classify_records(recs, st.topic, rel, use_model=use_model, keys=keys) if recs else []
    version = model_version() if use_model else None
    rows = [_row(c, st.id, version) for c in items if c.key is not None]
    for attempt in range(1, RETRIES + 1):
        try:
            _write_chunk(db, st, arts, rows)
            break
        except IntegrityError:
            # a statement removed by a re-extraction committed in between: try again on what is there
            if attempt == RETRIES:
                raise
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) not in ("40P01", "40001") or attempt == RETRIES:
                raise
    p.articles += len(arts)
    p.statements += len(recs)
    p.about += len(rows)


def _write_chunk(db: Database, st: StoredTopic, arts: list[Any], rows: list[dict[str, Any]]) -> None:
    ids = [a.id for a in arts]
    with db.writer.begin() as conn:
        if db.dialect == "postgresql":
            # one writer per topic at a time (two ingests side by side): the second waits, then replaces
            # what the first wrote instead of colliding with it (SQLite's writers take turns already)
            conn.execute(text("SELECT pg_advisory_xact_lock(:k, :t)"), {"k": LOCK_KEY, "t": st.id})
        conn.execute(
            delete(stances).where(
                stances.c.topic_id == st.id,
                stances.c.statement_id.in_(
                    select(statements.c.id).where(statements.c.article_id.in_(ids)).scalar_subquery()
                ),
            )
        )
        # an article re-extracted since it was read has new statements: it stays due, and its old
        # statements' rows are not written
        alive = set(conn.execute(select(statements.c.id).where(statements.c.article_id.in_(ids))).scalars())
        rows = [r for r in rows if r["statement_id"] in alive]
        if rows:
            conn.execute(insert(stances), rows)
        conn.execute(
            delete(topic_articles).where(
                topic_articles.c.topic_id == st.id, topic_articles.c.article_id.in_(ids)
            )
        )
        conn.execute(
            insert(topic_articles),
            [{"topic_id": st.id, "article_id": a.id, "extracted_at": a.extracted_at} for a in arts],
        )


def bring_up_to_date(
    db: Database,
    only: list[StoredTopic] | None = None,
    *,
    relevance: RelevanceModel | None = None,
    use_model: bool = True,
    on_progress: Callable[[Progress], None] | None = None,
) -> list[Progress]:
    """Read every stored article that is due for each topic (all topics, or ``only``); store the
    stances of the statements about it, then resolve positions taken relative to others."""
    todo = only if only is not None else list_topics(db)
    out = []
    rel = relevance
    for st in todo:
        p = Progress(st.topic.name)
        last = 0
        while True:
            arts = _due(db, st.id, last)
            if not arts:
                break
            if rel is None:
                rel = RelevanceModel()  # loaded only when something is due
            _read_chunk(db, st, arts, rel, use_model, p)
            last = arts[-1].id
            if on_progress:
                on_progress(p)
        if p.articles:
            resolve_relative(db, st.id)
        out.append(p)
    return out


# --- reading a topic's stances back -----------------------------------------------------------------


def _classified(db: Database, topic_id: int) -> Iterator[Classified]:
    q = (
        select(
            stances,
            statements.c.record,
            statements.c.seq,
            statements.c.date_value,
            statements.c.speaker_name,
            statements.c.speaker_text,
            actors.c.name.label("actor_name"),
            articles.c.label.label("article"),
            articles.c.url,
            articles.c.outlet,
            articles.c.published,
        )
        .join(statements, statements.c.id == stances.c.statement_id)
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(actors, actors.c.id == statements.c.actor_id)
        .where(stances.c.topic_id == topic_id)
        .order_by(stances.c.statement_id)
    )
    with db.engine.connect() as conn:
        for r in conn.execute(q):
            actor = r.actor_name or r.speaker_name or r.speaker_text
            if not actor:
                continue
            pub = r.published.isoformat() if isinstance(r.published, date) else None
            ev = (
                Span(r.evidence_start, r.evidence_end, r.evidence)
                if r.evidence is not None and r.evidence_start is not None
                else None
            )
            relative = r.relative_to is not None
            stance = Stance(
                "neutral" if relative else r.label,  # re-resolved by the aggregation
                r.confidence,
                ev,
                r.method,
                r.relative_to,
                r.relation,
            )
            yield Classified(
                statement=Statement.from_dict(json.loads(r.record)),
                actor=actor,
                stance=stance,
                text=r.words or "",
                date=r.date_value or pub,
                article=r.article,
                url=r.url,
                outlet=r.outlet,
                order=r.seq,
                relevance=r.relevance,
                keyword=r.keyword,
                key=r.statement_id,
            )


def positions(
    db: Database, st: StoredTopic, since: str | None = None, until: str | None = None
) -> list[Position]:
    """Every actor's position on a stored topic (actors as the store resolved them across articles)."""
    return build_positions(st.topic.name, list(_classified(db, st.id)), since, until)


def resolve_relative(db: Database, topic_id: int) -> int:
    """Give each stored "distanced themselves from Z's statement" the stance it takes now that Z's
    stored statements are known (``neutral`` while Z has none on the topic). Returns rows changed."""
    items = list(_classified(db, topic_id))
    by_actor: dict[str, list[Classified]] = defaultdict(list)
    for c in sorted(items, key=lambda c: (c.date or "9999", c.article, c.order)):
        if c.stance.relative_to is None:
            by_actor[c.actor].append(c)
    changed = 0
    with db.writer.begin() as conn:
        for c in items:
            if c.stance.relative_to is None:
                continue
            label = relative_label(c, by_actor) or "neutral"
            n = conn.execute(
                update(stances)
                .where(
                    stances.c.topic_id == topic_id,
                    stances.c.statement_id == c.key,
                    stances.c.label != label,
                )
                .values(label=label)
            ).rowcount
            changed += n or 0
    return changed
