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
from datetime import date

from rapidfuzz import fuzz
from sqlalchemy import Connection, delete, func, insert, select, update

from saywho.store.names import fold
from saywho.store.schema import quote_clusters, quote_keys, statements

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


def assign(
    conn: Connection,
    statement_id: int,
    actor_id: int,
    content: str,
    article_id: int,
    when: date | None,
) -> int | None:
    """Put a stored statement in its cluster (found or new); returns the cluster id, or None if too short."""
    norm = fold(content)
    if len(norm.split()) < MIN_WORDS:
        return None
    ks = keys(norm)
    cand_ids = [
        r.cluster_id
        for r in conn.execute(
            select(quote_keys.c.cluster_id)
            .join(quote_clusters, quote_clusters.c.id == quote_keys.c.cluster_id)
            .where(quote_keys.c.key.in_(set(shingles(norm))), quote_clusters.c.actor_id == actor_id)
            .distinct()
            .limit(MAX_CANDIDATES)
        )
    ]
    cluster = None
    if cand_ids:
        rows = conn.execute(
            select(quote_clusters.c.id, quote_clusters.c.norm).where(quote_clusters.c.id.in_(cand_ids))
        ).all()
        scored = [(fuzz.ratio(norm, r.norm), r.id) for r in rows if similar(norm, r.norm)]
        if scored:
            cluster = max(scored)[1]
    if cluster is None:
        cluster = conn.execute(
            insert(quote_clusters)
            .values(
                actor_id=actor_id,
                content=content,
                norm=norm,
                first_statement_id=statement_id,
                first_article_id=article_id,
                first_seen=when,
                n_statements=0,
                n_articles=0,
            )
            .returning(quote_clusters.c.id)
        ).scalar_one()
    existing = set(conn.execute(select(quote_keys.c.key).where(quote_keys.c.cluster_id == cluster)).scalars())
    new_keys = ks - existing
    if new_keys:  # a longer version brings keys its fragments will be found by
        conn.execute(insert(quote_keys), [{"key": k, "cluster_id": cluster} for k in sorted(new_keys)])
    conn.execute(update(statements).where(statements.c.id == statement_id).values(cluster_id=cluster))
    refresh(conn, [cluster])
    return cluster


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
