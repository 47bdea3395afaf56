"""Quote clusters: the same quote from the same speaker, reported by several articles.

A statement joins a cluster of its actor when their folded contents are
near-identical (rapidfuzz ratio ≥ 90), or when one is a fragment of the other
(the shorter has at least ``FRAGMENT_WORDS`` words and partial ratio ≥ 95):
an outlet quoting half of the sentence another printed whole. Candidates come
from ``quote_keys``, without comparing every pair: a cluster stores the
hashes of its word 4-grams chosen by winnowing (the smallest in every window
of ``WINDOW``), and a new statement looks up all of its own 4-gram hashes.
Winnowing guarantees that two quotes sharing a run of ``SHINGLE + WINDOW - 1``
words (7) share a stored key, at about 40 % of the 4-grams stored.

A cluster remembers its first-seen statement: the earliest date (the
statement's own, else its article's publication date), then the first stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from saywho.store.names import fold
from saywho.store.schema import quote_clusters, quote_keys, statements
from saywho.store.sqlutil import upsert_many

MIN_WORDS = 4  # "Yes," or "We will see" are said by everyone, about anything
SHINGLE = 4
WINDOW = 4
SAME = 90
FRAGMENT = 95
FRAGMENT_WORDS = 6
MAX_CANDIDATES = 50


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def shingles(norm: str) -> list[int]:
    """Hashes of a folded quote's word 4-grams (of the whole, when shorter)."""
    words = norm.split()
    if len(words) <= SHINGLE:
        return [_hash(norm)]
    return [_hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)]


def keys(norm: str) -> set[int]:
    """The keys a cluster is stored under: the smallest 4-gram hash of every window of ``WINDOW``."""
    hashes = shingles(norm)
    if len(hashes) <= WINDOW:
        return {min(hashes)}
    return {min(hashes[i : i + WINDOW]) for i in range(len(hashes) - WINDOW + 1)}


def similar(a: str, b: str) -> bool:
    if fuzz.ratio(a, b) >= SAME:
        return True
    shorter = a if len(a) <= len(b) else b
    return len(shorter.split()) >= FRAGMENT_WORDS and fuzz.partial_ratio(a, b) >= FRAGMENT


@dataclass(slots=True)
class Quote:
    """A stored statement to place in a cluster."""

    statement_id: int
    actor_id: int
    content: str
    article_id: int
    when: date | None


@dataclass(slots=True)
class _Cluster:
    id: int | None  # None: created by this batch, not inserted yet
    actor_id: int
    norm: str
    keys: set[int] = field(default_factory=set)
    members: list[Quote] = field(default_factory=list)


def assign(conn: Connection, quotes: list[Quote]) -> None:
    """Put an article's stored statements in their clusters (found or new), in a few round trips.

    One lookup for every candidate cluster of every statement; new clusters inserted together;
    statements updated together. A quote repeated within the article joins its own new cluster.
    """
    items = []
    for q in quotes:
        norm = fold(q.content)
        if len(norm.split()) >= MIN_WORDS:
            items.append((q, norm, shingles(norm)))
    if not items:
        return
    lookup = sorted({h for _, _, hs in items for h in hs})
    found: dict[int, _Cluster] = {}
    by_key: dict[int, set[int]] = {}
    actor_ids = sorted({q.actor_id for q, _, _ in items})
    for r in conn.execute(
        select(quote_keys.c.key, quote_clusters.c.id, quote_clusters.c.actor_id, quote_clusters.c.norm)
        .join(quote_clusters, quote_clusters.c.id == quote_keys.c.cluster_id)
        .where(quote_keys.c.key.in_(lookup), quote_clusters.c.actor_id.in_(actor_ids))
    ):
        found.setdefault(r.id, _Cluster(r.id, r.actor_id, r.norm))
        by_key.setdefault(r.key, set()).add(r.id)
    fresh: list[_Cluster] = []
    joined: list[_Cluster] = []
    for q, norm, hs in items:
        cands = [found[c] for h in hs for c in by_key.get(h, ()) if found[c].actor_id == q.actor_id]
        cands += [c for c in fresh if c.actor_id == q.actor_id and c.keys & set(hs)]
        scored = [(fuzz.ratio(norm, c.norm), i, c) for i, c in enumerate(cands) if similar(norm, c.norm)]
        if scored:
            cluster = max(scored, key=lambda x: (x[0], -x[1]))[2]
        else:
            cluster = _Cluster(None, q.actor_id, norm)
            fresh.append(cluster)
        if cluster.id is not None and not cluster.members:
            joined.append(cluster)
        cluster.members.append(q)
        cluster.keys |= keys(norm)  # a longer version brings keys its fragments will be found by
    if fresh:
        rows = []
        for c in fresh:
            first = min(c.members, key=_order)
            rows.append(
                {
                    "actor_id": c.actor_id,
                    "content": first.content,
                    "norm": c.norm,
                    "first_statement_id": first.statement_id,
                    "first_article_id": first.article_id,
                    "first_seen": first.when,
                    "n_statements": len(c.members),
                    "n_articles": len({m.article_id for m in c.members}),
                }
            )
        ids = conn.execute(
            insert(quote_clusters).returning(quote_clusters.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        for c, cid in zip(fresh, ids, strict=True):
            c.id = cid
    key_rows = [{"key": k, "cluster_id": c.id} for c in [*fresh, *joined] for k in sorted(c.keys)]
    upsert_many(conn, quote_keys, key_rows, ["key", "cluster_id"])
    conn.execute(
        update(statements).where(statements.c.id == bindparam("sid")).values(cluster_id=bindparam("cid")),
        [{"sid": m.statement_id, "cid": c.id} for c in [*fresh, *joined] for m in c.members],
    )
    refresh(conn, [c.id for c in joined if c.id is not None])


def _order(q: Quote) -> tuple[bool, date, int]:
    return (q.when is None, q.when or date.min, q.statement_id)


def refresh(conn: Connection, cluster_ids: list[int]) -> None:
    """Counts and first-seen statement recomputed from the cluster's statements; empty clusters go."""
    for cid in cluster_ids:
        n, n_articles = conn.execute(
            select(func.count(), func.count(statements.c.article_id.distinct())).where(
                statements.c.cluster_id == cid
            )
        ).one()
        if n == 0:
            conn.execute(delete(quote_keys).where(quote_keys.c.cluster_id == cid))
            conn.execute(delete(quote_clusters).where(quote_clusters.c.id == cid))
            continue
        first = conn.execute(
            select(statements.c.id, statements.c.article_id, statements.c.said_on, statements.c.content)
            .where(statements.c.cluster_id == cid)
            .order_by(statements.c.said_on.asc().nulls_last(), statements.c.id)
            .limit(1)
        ).one()
        conn.execute(
            update(quote_clusters)
            .where(quote_clusters.c.id == cid)
            .values(
                n_statements=n,
                n_articles=n_articles,
                first_statement_id=first.id,
                first_article_id=first.article_id,
                first_seen=first.said_on,
                content=first.content,
            )
        )
