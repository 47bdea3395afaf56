"""Queries over the corpus: statements with filters, actors, articles, failures.

Every function takes a :class:`~saywho.store.db.Database` and returns plain
dicts (JSON-ready apart from dates), newest first, with ``limit``/``offset``
for paging: the CLI prints them, the web app (issue 6) serves them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select

from saywho.store import search
from saywho.store.actors import find as find_actors
from saywho.store.db import Database
from saywho.store.schema import (
    actor_names,
    actors,
    articles,
    failures,
    quote_clusters,
    statements,
)

# Newest first; statements with no date at all (no date of their own, no publication date) last.
NEWEST_FIRST = (statements.c.said_on.desc().nulls_last(), statements.c.id.desc())


@dataclass(frozen=True, slots=True)
class Filters:
    """What ``saywho quotes`` and ``saywho export`` narrow statements by."""

    speaker: str | None = None  # a name, an alias, a surname, or an actor id (#12)
    since: date | None = None  # said on or after (the statement's date, else its article's)
    until: date | None = None  # said on or before
    outlet: str | None = None  # the article's outlet, case-insensitive
    search: str | None = None  # full-text query over the statement's content
    article_id: int | None = None
    # Further conditions on ``statements`` from layers above the store (the web app's topic and stance
    # filters, over tables the store does not define).
    where: tuple[ColumnElement[bool], ...] = ()


def speaker_ids(db: Database, query: str) -> list[int]:
    """Actors a ``--speaker`` value designates (see :func:`saywho.store.actors.find`), most quoted first."""
    with db.engine.connect() as conn:
        return find_actors(conn, query)


_COLUMNS = (
    statements.c.id,
    statements.c.said_on,
    statements.c.kind,
    statements.c.speaker_name,
    statements.c.speaker_role,
    statements.c.speaker_country,
    statements.c.cue,
    statements.c.content,
    statements.c.confidence,
    statements.c.cluster_id,
    statements.c.record,
    statements.c.actor_id,
    actors.c.name.label("actor_name"),
    statements.c.article_id,
    articles.c.label.label("article_label"),
    articles.c.url.label("article_url"),
    articles.c.path.label("article_path"),
    articles.c.title.label("article_title"),
    articles.c.outlet.label("article_outlet"),
    articles.c.author.label("article_author"),
    articles.c.published.label("article_published"),
    articles.c.extractor_version,
)


def _full() -> Select[Any]:
    """Statements with their actor and article, every column the CLI, export and web app show."""
    return (
        select(*_COLUMNS)
        .select_from(statements)
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(actors, actors.c.id == statements.c.actor_id)
    )


def _conditions(conn: Connection, f: Filters) -> list[ColumnElement[bool]] | None:
    """The WHERE conditions for ``f``; None when it can match nothing (an unknown speaker)."""
    conds: list[ColumnElement[bool]] = []
    if f.speaker:
        ids = find_actors(conn, f.speaker)
        if not ids:
            return None
        conds.append(statements.c.actor_id.in_(ids))
    if f.since:
        conds.append(statements.c.said_on >= f.since)
    if f.until:
        conds.append(statements.c.said_on <= f.until)
    if f.outlet:
        outlet = f.outlet.strip().lower()
        conds.append(
            statements.c.article_id.in_(select(articles.c.id).where(func.lower(articles.c.outlet) == outlet))
        )
    if f.search:
        conds.append(search.matches(conn, statements, f.search))
    if f.article_id is not None:
        conds.append(statements.c.article_id == f.article_id)
    conds.extend(f.where)
    return conds


def _narrow(conds: list[ColumnElement[bool]]) -> Select[Any]:
    # Ids first, whole rows after: sorting and skipping touch the narrow index entries, not the
    # statements' records and their articles' texts (a deferred join).
    return select(statements.c.id).where(and_(*conds)) if conds else select(statements.c.id)


def _row(r: Any) -> dict[str, Any]:
    d = dict(r._mapping)
    d["record"] = json.loads(d["record"])
    return d


def quotes(db: Database, f: Filters, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Statements matching ``f``, the most recently said first."""
    with db.engine.connect() as conn:
        conds = _conditions(conn, f)
        if conds is None:
            return []
        ids = list(conn.execute(_narrow(conds).order_by(*NEWEST_FIRST).limit(limit).offset(offset)).scalars())
        if not ids:
            return []
        rows = {r.id: _row(r) for r in conn.execute(_full().where(statements.c.id.in_(ids)))}
    return [rows[i] for i in ids]


def count_quotes(db: Database, f: Filters, cap: int | None = None) -> int:
    """How many statements match ``f``; with ``cap``, counting stops at ``cap + 1`` (a page's "more than")."""
    with db.engine.connect() as conn:
        conds = _conditions(conn, f)
        if conds is None:
            return 0
        narrow = _narrow(conds) if cap is None else _narrow(conds).limit(cap + 1)
        return conn.execute(select(func.count()).select_from(narrow.subquery())).scalar_one()


def iter_statements(db: Database, f: Filters, chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """Every statement matching ``f`` in storage order, fetched in chunks (for export: bounded memory)."""
    last = 0
    while True:
        with db.engine.connect() as conn:
            conds = _conditions(conn, f)
            if conds is None:
                return
            q = _full().where(statements.c.id > last, *conds).order_by(statements.c.id).limit(chunk)
            rows = conn.execute(q).all()
        for r in rows:
            yield _row(r)
        if len(rows) < chunk:
            return
        last = rows[-1].id


def actor_list(
    db: Database, name: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Actors with statements, the most quoted first (``name``: only those it names)."""
    q = select(
        actors.c.id,
        actors.c.name,
        actors.c.kind,
        actors.c.role,
        actors.c.org,
        actors.c.country,
        actors.c.n_statements,
        actors.c.first_seen,
        actors.c.last_seen,
    ).where(actors.c.n_statements > 0)
    if name:
        ids = speaker_ids(db, name)
        q = q.where(actors.c.id.in_(ids))
    q = q.order_by(actors.c.n_statements.desc(), actors.c.id).limit(limit).offset(offset)
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def actor_detail(db: Database, actor_id: int, latest: int = 10) -> dict[str, Any] | None:
    """One actor: names, roles over time, counts, latest statements, most repeated quotes."""
    with db.engine.connect() as conn:
        row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out["names"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(actor_names.c.name, actor_names.c.n, actor_names.c.pinned)
                .where(actor_names.c.actor_id == actor_id)
                .order_by(actor_names.c.n.desc(), actor_names.c.name)
            )
        ]
        out["roles"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    # "Finance Minister" and "finance minister" are one role: grouped without case.
                    func.min(statements.c.speaker_role).label("role"),
                    func.min(statements.c.speaker_org).label("org"),
                    func.min(statements.c.speaker_country).label("country"),
                    func.min(statements.c.said_on).label("since"),
                    func.max(statements.c.said_on).label("until"),
                    func.count().label("statements"),
                )
                .where(
                    statements.c.actor_id == actor_id,
                    or_(statements.c.speaker_role.is_not(None), statements.c.speaker_org.is_not(None)),
                )
                # A role and its organisation; the country, where one mention names it, goes with them.
                .group_by(func.lower(statements.c.speaker_role), func.lower(statements.c.speaker_org))
                .order_by(func.min(statements.c.said_on).nulls_last())
            )
        ]
        out["articles"] = conn.execute(
            select(func.count(statements.c.article_id.distinct())).where(statements.c.actor_id == actor_id)
        ).scalar_one()
        out["repeated"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    quote_clusters.c.id,
                    quote_clusters.c.content,
                    quote_clusters.c.first_seen,
                    quote_clusters.c.n_articles,
                    articles.c.label.label("first_article"),
                    articles.c.outlet.label("first_outlet"),
                )
                .outerjoin(articles, articles.c.id == quote_clusters.c.first_article_id)
                .where(quote_clusters.c.actor_id == actor_id, quote_clusters.c.n_articles > 1)
                .order_by(quote_clusters.c.n_articles.desc(), quote_clusters.c.first_seen)
                .limit(latest)
            )
        ]
    out["latest"] = quotes(db, Filters(speaker=f"#{actor_id}"), limit=latest)
    return out


def cluster(db: Database, cluster_id: int) -> dict[str, Any] | None:
    """A quote cluster: its first-seen statement, date and article, and every article that repeated it."""
    with db.engine.connect() as conn:
        row = conn.execute(select(quote_clusters).where(quote_clusters.c.id == cluster_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out.pop("norm", None)
        out["articles"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    statements.c.id.label("statement_id"),
                    statements.c.said_on,
                    articles.c.id.label("article_id"),
                    articles.c.label,
                    articles.c.outlet,
                    articles.c.published,
                )
                .join(articles, articles.c.id == statements.c.article_id)
                .where(statements.c.cluster_id == cluster_id)
                .order_by(statements.c.said_on.nulls_last(), statements.c.id)
            )
        ]
    return out


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    since: date | None = None  # published on or after
    until: date | None = None
    outlet: str | None = None
    search: str | None = None  # full-text over title and text


def article_list(
    db: Database, f: ArticleFilters, limit: int | None = 50, offset: int = 0, with_text: bool = False
) -> list[dict[str, Any]]:
    cols = [
        articles.c.id,
        articles.c.label,
        articles.c.url,
        articles.c.path,
        articles.c.source_id,
        articles.c.title,
        articles.c.outlet,
        articles.c.author,
        articles.c.published,
        articles.c.words,
        articles.c.n_statements,
        articles.c.extractor_version,
        articles.c.source_kind,
    ]
    if with_text:
        cols.append(articles.c.text)
    q = select(*cols)
    q = q.order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc()).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q.where(*_article_conditions(conn, f)))]


def _article_conditions(conn: Connection, f: ArticleFilters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.since:
        conds.append(articles.c.published >= f.since)
    if f.until:
        conds.append(articles.c.published <= f.until)
    if f.outlet:
        conds.append(func.lower(articles.c.outlet) == f.outlet.strip().lower())
    if f.search:
        conds.append(search.matches(conn, articles, f.search))
    return conds


def count_articles(db: Database, f: ArticleFilters) -> int:
    with db.engine.connect() as conn:
        q = select(func.count()).select_from(articles).where(*_article_conditions(conn, f))
        return conn.execute(q).scalar_one()


def count_actors(db: Database, name: str | None = None) -> int:
    """How many actors :func:`actor_list` pages through."""
    q = select(func.count()).select_from(actors).where(actors.c.n_statements > 0)
    if name:
        q = q.where(actors.c.id.in_(speaker_ids(db, name)))
    with db.engine.connect() as conn:
        return conn.execute(q).scalar_one()


def article(db: Database, article_id: int) -> dict[str, Any] | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    return dict(row._mapping) if row else None


def failure_list(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        q = select(failures).order_by(failures.c.id.desc()).limit(limit)
        return [dict(r._mapping) for r in conn.execute(q)]


def stats(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
            "statements": conn.execute(select(func.count()).select_from(statements)).scalar_one(),
            "actors": conn.execute(
                select(func.count()).select_from(actors).where(actors.c.n_statements > 0)
            ).scalar_one(),
            "failures": conn.execute(select(func.count()).select_from(failures)).scalar_one(),
        }
