"""Actors across articles: which person (or organisation) each named speaker is.

Within an article, extraction has already resolved "Roe", "She" and "the
minister" to "Jane Roe". Across articles, a speaker's name is resolved here,
inside the article's write transaction, in this order:

1. **Pins**: the user's corrections (``saywho merge`` / ``saywho split``)
   name the actor for a name, everywhere or in one article. They are
   consulted first, so a correction survives re-extraction.
2. **Organisations** (a ministry, a union, a newspaper) match by their
   folded name only.
3. **People** are blocked by surname. A full name ("Jane Roe") joins the
   candidate whose given names agree (an initial matches: "J. Roe") and whose
   country does not contradict it; "John Roe" stays apart from "Jane Roe". A
   surname alone ("Roe", in an article that never gives the first name) joins
   the one compatible candidate, or the candidate that role, organisation,
   country and co-occurring speakers single out, or one quoted ``DOMINANT``
   times more often than any namesake; when nothing does, it goes to a
   surname-only actor rather than to a guess.
4. A surname spelt differently ("Zelenskiy" / "Zelensky": rapidfuzz ratio ≥
   90, surnames of at least 6 letters) joins only with the same given name.

Resolution is online: an article is resolved against what is already stored.
Merges between existing actors are never made automatically; the user makes
them with ``saywho merge``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from rapidfuzz import fuzz
from sqlalchemy import Connection, delete, func, insert, or_, select, update

from saywho.store.names import Name, fold, given_compatible, parse
from saywho.store.schema import actor_names, actor_pins, actor_traits, actors, quote_clusters, statements
from saywho.store.sqlutil import lock, upsert, upsert_many

DOMINANT = 5  # a bare surname goes to a namesake quoted this many times more than any other
FUZZY_SURNAME = 90
FUZZY_MIN_LEN = 6
CONTEXT_CAP = 3  # co-occurring speakers counted towards a candidate, at most


@dataclass(slots=True)
class Mention:
    """Everything one article says about one named speaker."""

    name: Name
    role: str | None = None
    org: str | None = None
    country: str | None = None
    when: date | None = None
    context: set[str] = field(default_factory=set)  # folded names of the article's other speakers
    count: int = 1  # statements in the article


@dataclass(slots=True)
class _Candidate:
    id: int
    kind: str
    givens: set[str]
    traits: dict[str, Counter[str]]
    n: int


def _traits(m: Mention) -> list[tuple[str, str]]:
    out = [(t, fold(v)) for t, v in (("role", m.role), ("org", m.org), ("country", m.country)) if v]
    out.extend(("with", c) for c in sorted(m.context))
    return out


def resolve(conn: Connection, mention: Mention, article_key: str) -> int:
    """The actor id for ``mention`` (created when new), with its names, traits and counts updated."""
    name = mention.name
    actor_id = _pinned(conn, name.norm, article_key)
    if actor_id is None:
        actor_id = _find_org(conn, name) if name.kind == "org" else _find_person(conn, mention)
    if actor_id is None:
        actor_id = _create(conn, name)
    attach(conn, actor_id, mention)
    return actor_id


def lock_names(conn: Connection, names: list[Name]) -> None:
    """Serialise resolution of these names with other writers (PostgreSQL), in one order: no deadlock.

    Two ingests writing to one server at once would otherwise both create the actor for a new name.
    """
    for key in sorted({f"actor:{n.surname or n.norm}" for n in names}):
        lock(conn, key)


def _pinned(conn: Connection, norm: str, article_key: str) -> int | None:
    rows = conn.execute(
        select(actor_pins.c.actor_id, actor_pins.c.article_key).where(
            actor_pins.c.name_norm == norm, actor_pins.c.article_key.in_([article_key, ""])
        )
    ).all()
    rows.sort(key=lambda r: r.article_key == "")  # a pin for this article beats a global one
    return rows[0].actor_id if rows else None


def _find_org(conn: Connection, name: Name) -> int | None:
    row = conn.execute(
        select(actor_names.c.actor_id)
        .join(actors, actors.c.id == actor_names.c.actor_id)
        .where(actor_names.c.norm == name.norm, actors.c.kind == "org")
        .order_by(actor_names.c.n.desc(), actor_names.c.actor_id)
        .limit(1)
    ).first()
    return row.actor_id if row else None


def _candidates(conn: Connection, surnames: list[str]) -> list[_Candidate]:
    ids = [
        r.id
        for r in conn.execute(
            select(actors.c.id).where(actors.c.kind == "person", actors.c.surname_key.in_(surnames))
        )
    ]
    if not ids:
        return []
    found = {
        r.id: _Candidate(r.id, r.kind, set(), {}, r.n_statements)
        for r in conn.execute(
            select(actors.c.id, actors.c.kind, actors.c.n_statements).where(actors.c.id.in_(ids))
        )
    }
    for r in conn.execute(
        select(actor_names.c.actor_id, actor_names.c.given).where(
            actor_names.c.actor_id.in_(ids), actor_names.c.given.is_not(None)
        )
    ):
        found[r.actor_id].givens.add(r.given)
    for r in conn.execute(
        select(actor_traits.c.actor_id, actor_traits.c.trait, actor_traits.c.value, actor_traits.c.n).where(
            actor_traits.c.actor_id.in_(ids)
        )
    ):
        found[r.actor_id].traits.setdefault(r.trait, Counter())[r.value] = r.n
    return sorted(found.values(), key=lambda c: c.id)


def _conflicts(c: _Candidate, m: Mention) -> bool:
    """A different person for sure: another country (people rarely change theirs)."""
    countries = c.traits.get("country")
    return bool(m.country and countries and fold(m.country) not in countries)


def _score(c: _Candidate, m: Mention) -> int:
    score = 0
    if m.role and fold(m.role) in c.traits.get("role", {}):
        score += 2
    if m.country and fold(m.country) in c.traits.get("country", {}):
        score += 2
    if m.org and fold(m.org) in c.traits.get("org", {}):
        score += 1
    shared = set(c.traits.get("with", {})) & m.context
    return score + min(len(shared), CONTEXT_CAP)


def _pick(scored: list[tuple[int, _Candidate]]) -> _Candidate | None:
    """The best candidate when it beats the runner-up; None on a tie."""
    scored.sort(key=lambda sc: (-sc[0], -sc[1].n, sc[1].id))
    if len(scored) == 1 or scored[0][0] > scored[1][0]:
        return scored[0][1]
    return None


def _find_person(conn: Connection, m: Mention) -> int | None:
    name = m.name
    assert name.surname is not None
    cands = [c for c in _candidates(conn, [name.surname]) if not _conflicts(c, m)]
    if name.full:
        # Same given name (or an initial of it), then a surname-only actor waiting for its first name.
        agreeing = [c for c in cands if c.givens and all(given_compatible(name.given, g) for g in c.givens)]
        if agreeing:
            exact = [c for c in agreeing if name.given in c.givens]
            best = _pick([(_score(c, m), c) for c in (exact or agreeing)])
            return (best or sorted(exact or agreeing, key=lambda c: (-c.n, c.id))[0]).id
        bare = [c for c in cands if not c.givens]
        if bare and len(bare) == len(cands):
            # "Roe" seen alone before, and no other Roe known: this is the first name it was waiting for.
            # Once several Roes are known, a surname-only actor holds the undecidable mentions instead.
            return sorted(bare, key=lambda c: (-_score(c, m), -c.n, c.id))[0].id
        return _fuzzy(conn, m)
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0].id
    people = [c for c in cands if c.givens]
    best = _pick([(_score(c, m), c) for c in people]) if people else None
    if (best is not None and _score(best, m) > 0) or len(people) == 1:
        return (best or people[0]).id
    if len(people) > 1:
        # Nothing in the article tells them apart, but one is far more often in the news: "Obama" in
        # 2016 is Barack rather than Michelle. A reader resolves it so; the user can split it.
        ranked = sorted(people, key=lambda c: -c.n)
        if ranked[0].n >= DOMINANT * max(1, ranked[1].n):
            return ranked[0].id
    bare = [c for c in cands if not c.givens]
    return bare[0].id if bare else None  # None: a new surname-only actor, not a guess


def _fuzzy(conn: Connection, m: Mention) -> int | None:
    """A surname spelt another way ("Zelenskiy"), with the same given name."""
    surname = m.name.surname or ""
    if len(surname) < FUZZY_MIN_LEN:
        return None
    prefix = surname[:3]
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = conn.execute(
        select(actors.c.surname_key)
        .distinct()
        .where(
            actors.c.kind == "person",
            actors.c.surname_key >= prefix,
            actors.c.surname_key < upper,
            actors.c.surname_key != surname,
        )
        .limit(200)
    ).all()
    close = [r.surname_key for r in rows if fuzz.ratio(surname, r.surname_key) >= FUZZY_SURNAME]
    if not close:
        return None
    cands = [c for c in _candidates(conn, close) if not _conflicts(c, m) and m.name.given in c.givens]
    best = _pick([(_score(c, m), c) for c in cands]) if cands else None
    return best.id if best else (cands[0].id if len(cands) == 1 else None)


def _now() -> datetime:
    return datetime.now(UTC)


def _create(conn: Connection, name: Name) -> int:
    return conn.execute(
        insert(actors)
        .values(name=name.shown, kind=name.kind, surname_key=name.surname, created_at=_now())
        .returning(actors.c.id)
    ).scalar_one()


def attach(conn: Connection, actor_id: int, m: Mention) -> None:
    """Record the mention on the actor: its name, traits, counts, latest role and dates."""
    name = m.name
    upsert(
        conn,
        actor_names,
        {
            "actor_id": actor_id,
            "name": name.shown,
            "norm": name.norm,
            "surname_key": name.surname,
            "given": name.given,
            "n": m.count,
        },
        ["actor_id", "norm"],
        increment={"n": m.count},
    )
    upsert_many(
        conn,
        actor_traits,
        [{"actor_id": actor_id, "trait": t, "value": v, "n": 1} for t, v in _traits(m)],
        ["actor_id", "trait", "value"],
        add=["n"],
    )
    row = conn.execute(select(actors).where(actors.c.id == actor_id)).one()
    changes: dict[str, object] = {"n_statements": row.n_statements + m.count}
    if m.when is not None:
        if row.first_seen is None or m.when < row.first_seen:
            changes["first_seen"] = m.when
        if row.last_seen is None or m.when >= row.last_seen:
            changes["last_seen"] = m.when
    if m.when is None or row.last_seen is None or m.when >= row.last_seen:  # the latest known facts
        changes.update({k: v for k, v in (("role", m.role), ("org", m.org), ("country", m.country)) if v})
    # The display name is the fullest one seen: "Jane Roe" over "Roe".
    if row.kind == "person" and len(name.norm.split()) > len(fold(row.name).split()):
        changes["name"] = name.shown
    conn.execute(update(actors).where(actors.c.id == actor_id).values(**changes))


def detach(conn: Connection, counts: Counter[int]) -> None:
    """Statements removed (re-extraction): take them off their actors' counts."""
    for actor_id, n in counts.items():
        conn.execute(
            update(actors).where(actors.c.id == actor_id).values(n_statements=actors.c.n_statements - n)
        )


# --- Corrections -------------------------------------------------------------------------------------


class ActorNotFound(LookupError):
    pass


def find(conn: Connection, query: str) -> list[int]:
    """Actors ``query`` designates: an id (``#12``); the name or an alias; a surname (every such person).

    "Roe" finds every Roe; "J. Roe" every Roe whose given name starts with J;
    "Jane Roe" the actors known by that name.
    """
    q = query.strip()
    if q.lstrip("#").isdigit():
        return list(conn.execute(select(actors.c.id).where(actors.c.id == int(q.lstrip("#")))).scalars())
    parsed = parse(q)
    norms = {fold(q)} | ({parsed.norm} if parsed else set())
    ids = set(conn.execute(select(actor_names.c.actor_id).where(actor_names.c.norm.in_(norms))).scalars())
    if parsed is not None and parsed.kind == "person" and parsed.surname:
        givens: dict[int, set[str]] = {}
        for r in conn.execute(
            select(actor_names.c.actor_id, actor_names.c.given).where(
                actor_names.c.surname_key == parsed.surname
            )
        ):
            givens.setdefault(r.actor_id, set())
            if r.given:
                givens[r.actor_id].add(r.given)
        for actor_id, gs in givens.items():
            if not parsed.full or any(given_compatible(parsed.given, g) for g in gs):
                ids.add(actor_id)
    if not ids:
        return []
    rows = conn.execute(
        select(actors.c.id).where(actors.c.id.in_(ids)).order_by(actors.c.n_statements.desc(), actors.c.id)
    )
    return list(rows.scalars())


def _pin(conn: Connection, norm: str, actor_id: int, article_key: str = "", note: str = "") -> None:
    upsert(
        conn,
        actor_pins,
        {
            "name_norm": norm,
            "article_key": article_key,
            "actor_id": actor_id,
            "note": note,
            "created_at": _now(),
        },
        ["name_norm", "article_key"],
        update={"actor_id": actor_id, "note": note},
    )


def merge(conn: Connection, into: int, others: list[int]) -> int:
    """Fold ``others`` into actor ``into``: statements, names, traits, clusters; pins keep it so.

    Every name of the merged actors is pinned to ``into``, so re-extracted
    or newly ingested mentions of those names land there too. Returns the
    number of statements moved.
    """
    others = [o for o in others if o != into]
    if not others:
        return 0
    moved = conn.execute(
        update(statements).where(statements.c.actor_id.in_(others)).values(actor_id=into)
    ).rowcount
    for row in conn.execute(select(actor_names).where(actor_names.c.actor_id.in_([into, *others]))).all():
        upsert(
            conn,
            actor_names,
            {
                "actor_id": into,
                "name": row.name,
                "norm": row.norm,
                "surname_key": row.surname_key,
                "given": row.given,
                "n": row.n if row.actor_id != into else 0,
                "pinned": True,
            },
            ["actor_id", "norm"],
            increment={"n": row.n} if row.actor_id != into else None,
            update={"pinned": True},
        )
        _pin(conn, row.norm, into, note=f"merge into #{into}")
    for row in conn.execute(select(actor_traits).where(actor_traits.c.actor_id.in_(others))).all():
        upsert(
            conn,
            actor_traits,
            {"actor_id": into, "trait": row.trait, "value": row.value, "n": row.n},
            ["actor_id", "trait", "value"],
            increment={"n": row.n},
        )
    conn.execute(update(quote_clusters).where(quote_clusters.c.actor_id.in_(others)).values(actor_id=into))
    conn.execute(update(actor_pins).where(actor_pins.c.actor_id.in_(others)).values(actor_id=into))
    conn.execute(delete(actors).where(actors.c.id.in_(others)))
    refresh(conn, into)
    return moved


def split(
    conn: Connection, actor_id: int, *, names: list[str], article_keys: list[str], new_name: str | None
) -> tuple[int, int]:
    """Move some of an actor's statements to a new actor: those under ``names``, or in ``article_keys``.

    With names only, each name is pinned to the new actor everywhere; with
    articles, the actor's names in those articles are pinned there (so
    "Roe" in that one article is the other Roe, and stays so). Returns the
    new actor's id and the number of statements moved.
    """
    from saywho.store.schema import articles  # local: the article key lives with the write path

    norms = {n.norm for n in (parse(x) for x in names) if n} | {fold(x) for x in names}
    current = conn.execute(select(actors).where(actors.c.id == actor_id)).one()
    stmt_rows = conn.execute(
        select(statements.c.id, statements.c.speaker_name, articles.c.url, articles.c.content_hash)
        .join(articles, articles.c.id == statements.c.article_id)
        .where(statements.c.actor_id == actor_id)
    ).all()
    from saywho.store.write import key_of

    chosen: list[int] = []
    pins: set[tuple[str, str]] = set()
    for r in stmt_rows:
        parsed = parse(r.speaker_name or "")
        norm = parsed.norm if parsed else ""
        key = key_of(r.url, r.content_hash)
        by_name = not names or norm in norms or fold(r.speaker_name or "") in norms
        by_article = not article_keys or key in article_keys
        if by_name and by_article:
            chosen.append(r.id)
            pins.add((norm, key if article_keys else ""))
    if not chosen:
        raise ActorNotFound("no statements of that actor match the split")
    display = new_name or next(
        (r.speaker_name for r in stmt_rows if r.id in set(chosen) and r.speaker_name), current.name
    )
    parsed_new = parse(display)
    new_id = conn.execute(
        insert(actors)
        .values(
            name=display,
            kind=current.kind,
            surname_key=parsed_new.surname if parsed_new else current.surname_key,
            created_at=_now(),
        )
        .returning(actors.c.id)
    ).scalar_one()
    for i in range(0, len(chosen), 500):
        conn.execute(
            update(statements).where(statements.c.id.in_(chosen[i : i + 500])).values(actor_id=new_id)
        )
    for norm, key in pins:
        _pin(conn, norm, new_id, key, note=f"split from #{actor_id}")
    if not article_keys:
        moved = conn.execute(
            select(actor_names).where(actor_names.c.actor_id == actor_id, actor_names.c.norm.in_(norms))
        ).all()
        for row in moved:
            conn.execute(delete(actor_names).where(actor_names.c.id == row.id))
            upsert(
                conn,
                actor_names,
                {
                    "actor_id": new_id,
                    "name": row.name,
                    "norm": row.norm,
                    "surname_key": row.surname_key,
                    "given": row.given,
                    "n": row.n,
                    "pinned": True,
                },
                ["actor_id", "norm"],
            )
    _rebuild_traits(conn, new_id)
    _rebuild_traits(conn, actor_id)
    refresh(conn, actor_id)
    refresh(conn, new_id)
    # Clusters follow their statements' actor: a cluster now split between the two stays with the old.
    conn.execute(
        update(quote_clusters)
        .where(
            quote_clusters.c.actor_id == actor_id,
            ~select(statements.c.id)
            .where(statements.c.cluster_id == quote_clusters.c.id, statements.c.actor_id == actor_id)
            .exists(),
        )
        .values(actor_id=new_id)
    )
    return new_id, len(chosen)


def _rebuild_traits(conn: Connection, actor_id: int) -> None:
    """Traits recounted from the actor's statements (after a split moved some away)."""
    conn.execute(delete(actor_traits).where(actor_traits.c.actor_id == actor_id))
    rows = conn.execute(
        select(statements.c.speaker_role, statements.c.speaker_org, statements.c.speaker_country).where(
            statements.c.actor_id == actor_id
        )
    ).all()
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        for trait, value in (
            ("role", r.speaker_role),
            ("org", r.speaker_org),
            ("country", r.speaker_country),
        ):
            if value:
                counts[(trait, fold(value))] += 1
    for (trait, value), n in counts.items():
        conn.execute(insert(actor_traits).values(actor_id=actor_id, trait=trait, value=value, n=n))
    names = [
        r.name
        for r in conn.execute(
            select(actor_names.c.name, actor_names.c.n).where(actor_names.c.actor_id == actor_id)
        )
    ]
    if names:
        best = max(names, key=lambda n: (len(n.split()), n))
        conn.execute(update(actors).where(actors.c.id == actor_id).values(name=best))


def refresh(conn: Connection, actor_id: int) -> None:
    """Counts, dates and latest role recomputed from the actor's statements."""
    agg = conn.execute(
        select(func.count(), func.min(statements.c.said_on), func.max(statements.c.said_on)).where(
            statements.c.actor_id == actor_id
        )
    ).one()
    latest = conn.execute(
        select(statements.c.speaker_role, statements.c.speaker_org, statements.c.speaker_country)
        .where(
            statements.c.actor_id == actor_id,
            or_(
                statements.c.speaker_role.is_not(None),
                statements.c.speaker_org.is_not(None),
                statements.c.speaker_country.is_not(None),
            ),
        )
        .order_by(statements.c.said_on.desc().nulls_last(), statements.c.id.desc())
        .limit(1)
    ).first()
    values: dict[str, object] = {"n_statements": agg[0], "first_seen": agg[1], "last_seen": agg[2]}
    if latest is not None:
        values.update(role=latest.speaker_role, org=latest.speaker_org, country=latest.speaker_country)
    conn.execute(update(actors).where(actors.c.id == actor_id).values(**values))


__all__ = [
    "ActorNotFound",
    "Mention",
    "attach",
    "detach",
    "find",
    "merge",
    "refresh",
    "resolve",
    "split",
]
