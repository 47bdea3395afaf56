"""Per-actor positions from classified statements: pure functions, no I/O, no models.

Input: :class:`Classified` items (a statement, the actor it belongs to, its date,
the article's metadata and the stance toward one topic). Output: one
:class:`~saywho.records.Position` per actor:

- **distinct statements**: the same words (compared without case, quotes or
  punctuation) by the same actor on the same date count once, however many
  outlets carried them;
- **current stance**: the stance of the actor's latest statement that takes
  one (``neutral`` when none does); statements are ordered by date, then by
  article and offset;
- **changes**: each time the stance of a statement that takes one differs
  from the previous one, with its date and words;
- **evidence**: up to ``EVIDENCE`` quotes for the current stance, the most
  confident first, each with its article;
- **positions relative to others** ("distanced themselves from Z's
  statement"): the opposite (or the same) of Z's stance at that date,
  resolved after every direct position is known; dropped when Z took no
  position on the topic (the distancing was about something else).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise

from saywho.records import Evidence, Position, Stance, StanceChange, StanceLabel, Statement

EVIDENCE = 3
_ORDER: dict[StanceLabel, int] = {"support": 0, "oppose": 1, "open": 2, "neutral": 3}


@dataclass(frozen=True, slots=True)
class Classified:
    """One statement about a topic, with who made it, when, where it appeared, and its stance."""

    statement: Statement
    actor: str
    stance: Stance
    text: str  # the words shown as evidence
    date: str | None  # ISO date (or week/month/year prefix) the statement was made
    article: str
    url: str | None = None
    outlet: str | None = None
    order: int = 0  # position in the article (ties on the same date)
    words: str | None = None  # the words said, when not ``text``: what makes two reports one statement
    relevance: float | None = None  # cosine similarity to the proposition, when embeddings were used
    keyword: str | None = None  # the keyword or subject phrase that made it relevant, if any
    key: int | None = None  # the caller's id for the statement (the database's statements.id)
    offset: int = 0  # where the classified text starts in the article (the stance evidence is a span of it)


_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»")


def quote_key(text: str) -> str:
    """The words of a quote, for spotting the same quote in several outlets.

    When the text holds quotation marks, the words inside them: "“X,” she said" and "“X,” the
    minister's plan" are the same quote.
    """
    inside = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]
    if inside:
        text = " ".join(inside)
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.split())


def canonical_actors(names: list[str]) -> dict[str, str]:
    """Map each name to the fullest name it stands for across articles ("Roe" → "Jane Roe").

    A one-word name joins the unique longer name ending in that word; otherwise it stays itself.
    """
    full = sorted({n for n in names if len(n.split()) > 1})
    by_last: dict[str, set[str]] = defaultdict(set)
    for n in full:
        by_last[n.split()[-1].lower()].add(n)
    out = {}
    for n in set(names):
        cands = by_last.get(n.lower(), set()) if len(n.split()) == 1 else set()
        out[n] = next(iter(cands)) if len(cands) == 1 else n
    return out


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a (possibly partial) ISO date can fall within [since, until]."""
    if since is None and until is None:
        return True
    if date is None:
        return False
    # a partial date ("2024-03") is in range when any day of it could be
    if since is not None and date < since[: len(date)]:
        return False
    return not (until is not None and date[: len(until)] > until)


def _sort_key(c: Classified) -> tuple[str, str, int]:
    return (c.date or "9999", c.article, c.order)


def _distinct(items: list[Classified]) -> list[Classified]:
    """One item per (actor, date, words): the most confident copy, the earliest article on ties."""
    best: dict[tuple[str, str | None, str], Classified] = {}
    for c in sorted(items, key=_sort_key):
        k = (c.actor, c.date, quote_key(c.words or c.text))
        if k not in best or c.stance.confidence > best[k].stance.confidence:
            best[k] = c
    return sorted(best.values(), key=_sort_key)


def _stance_at(history: list[Classified], date: str | None) -> StanceLabel | None:
    """An actor's latest stance on or before ``date`` (any stance at all when nothing is that early)."""
    taken = [c for c in history if c.stance.label != "neutral"]
    if not taken:
        return None
    before = [c for c in taken if date is None or c.date is None or c.date <= date]
    return (before or taken)[-1].stance.label


def _match_actor(name: str, actors: list[str]) -> str | None:
    if name in actors:
        return name
    last = name.split()[-1].lower()
    cands = [a for a in actors if a.split()[-1].lower() == last]
    return cands[0] if len(cands) == 1 else None


def resolve_relative(items: list[Classified]) -> list[Classified]:
    """Give "distanced themselves from Z's statement" the opposite of Z's stance at the time."""
    by_actor: dict[str, list[Classified]] = defaultdict(list)
    for c in sorted(items, key=_sort_key):
        if c.stance.relative_to is None:
            by_actor[c.actor].append(c)
    out = []
    for c in items:
        s = c.stance
        if s.relative_to is None:
            out.append(c)
            continue
        label = relative_label(c, by_actor)
        if label is None:
            continue  # Z took no position on this topic: the distancing is about something else
        out.append(replace(c, stance=replace(s, label=label)))
    return out


def relative_label(c: Classified, by_actor: dict[str, list[Classified]]) -> StanceLabel | None:
    """The stance of ``c`` ("distanced themselves from Z's statement") given every actor's direct
    statements in date order; None when Z took no position (then it says nothing about the topic)."""
    s = c.stance
    if s.relative_to is None:
        return s.label
    other = _match_actor(s.relative_to, list(by_actor))
    theirs = _stance_at(by_actor[other], c.date) if other and other != c.actor else None
    if theirs is None:
        return None
    if s.relation == "same" or theirs in ("open", "neutral"):
        return theirs if s.relation == "same" else "neutral"
    return "oppose" if theirs == "support" else "support"


def build_positions(
    topic: str, items: list[Classified], since: str | None = None, until: str | None = None
) -> list[Position]:
    """Every actor's position on ``topic`` from its classified statements (see the module's doc)."""
    names = canonical_actors([c.actor for c in items])
    items = [replace(c, actor=names[c.actor]) for c in items]
    items = resolve_relative(items)
    items = [c for c in items if in_range(c.date, since, until)]
    by_actor: dict[str, list[Classified]] = defaultdict(list)
    for c in _distinct(items):
        by_actor[c.actor].append(c)
    positions = []
    for actor, hist in by_actor.items():
        taken = [c for c in hist if c.stance.label != "neutral"]
        current: StanceLabel = taken[-1].stance.label if taken else "neutral"
        changes = [
            StanceChange(b.date, a.stance.label, b.stance.label, b.text, b.article)
            for a, b in pairwise(taken)
            if a.stance.label != b.stance.label
        ]
        pool = [c for c in hist if c.stance.label == current]
        pool.sort(
            key=lambda c: (-c.stance.confidence, c.stance.method != "rule", [-ord(x) for x in (c.date or "")])
        )
        evidence = [
            Evidence(c.text, c.stance.label, c.stance.confidence, c.date, c.article, c.url, c.outlet)
            for c in pool[:EVIDENCE]
        ]
        dates = [c.date for c in hist if c.date]
        positions.append(
            Position(
                topic=topic,
                actor=actor,
                stance=current,
                statements=len(hist),
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
                evidence=evidence,
                changes=changes,
            )
        )
    positions.sort(key=lambda p: (_ORDER[p.stance], -p.statements, p.actor))
    return positions
