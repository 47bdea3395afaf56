"""A small corpus for the web app's tests, written here by hand (no spaCy): articles whose statements
carry every role (speaker, cue, content, addressee, relay, date), a topic with stances that change over
time, and an article whose text, title, outlet and speaker are hostile HTML.

The expected figures in the tests follow from the stances set in :func:`build`, not from running the
code under test: Jane Roe supports the border tax twice in January, then opposes it in February (her
stance: oppose, one change); John Smith opposes it in February and is neutral in March (his stance:
oppose, no change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from saywho.records import Article, DateRef, Mention, Relay, Span, Speaker, Statement
from saywho.store import Database
from saywho.store.schema import articles, statements, topic_articles
from saywho.store.write import store_batch
from saywho.web import data

TOKEN = "test-token-0123456789"


def span(text: str, piece: str, after: int = 0) -> Span:
    start = text.index(piece, after)
    return Span(start, start + len(piece), piece)


def speaker(text: str, mention: str, name: str, **kw: str) -> Speaker:
    """The speaker ``name`` mentioned by the first word(s) of ``mention`` ("Roe said": "Roe")."""
    s = span(text, mention)
    words = mention.split(" ")
    if words[-1] in ("said", "told"):
        s = Span(s.start, s.start + len(" ".join(words[:-1])), " ".join(words[:-1]))
    return Speaker(s.start, s.end, s.text, name=name, **kw)


def when(text: str, piece: str, value: str) -> DateRef:
    s = span(text, piece)
    return DateRef(s.start, s.end, s.text, value, "day")


A1 = (
    "Ruritanian Finance Minister Jane Roe told the parliament on Tuesday that a border tax was needed, "
    "the daily Morning Post reported. “No tax without a vote,” Roe said."
)
A2 = (
    "Jane Roe said on Thursday that the border tax should be dropped after all. "
    "John Smith, the opposition leader, told reporters the tax was “a disgrace to this country”."
)
A3 = "John Smith said on Monday that “the committee will look at every option on the border tax”."
HOSTILE = (
    "Mallory wrote <script>window.__pwned = 'script';</script> and then "
    '<img src="x" onerror="window.__pwned = \'onerror\'"> before saying '
    "“<b onmouseover=\"window.__pwned = 'mouseover'\">hover me</b> and <script>alert(1)</script>”."
)
HOSTILE_TITLE = "<script>window.__pwned = 'title'</script>Breaking"
HOSTILE_OUTLET = '"><svg onload="window.__pwned=\'outlet\'">'
HOSTILE_NAME = "Mallory <i onclick=\"window.__pwned='name'\">X</i>"


def _a1() -> tuple[Article, list[Statement]]:
    t = A1
    first = Statement(
        article="a1",
        kind="indirect",
        content=[span(t, "a border tax was needed")],
        cue=span(t, "told"),
        speaker=speaker(
            t,
            "Ruritanian Finance Minister Jane Roe",
            "Jane Roe",
            role="Finance Minister",
            country="Ruritania",
        ),
        addressee=Mention(*_se(t, "the parliament"), name="Parliament of Ruritania"),
        relays=[Relay(*_se(t, "the daily Morning Post"), relation="reported_by", name="Morning Post")],
        date=when(t, "on Tuesday", "2024-01-09"),
        confidence=0.9,
    )
    second = Statement(
        article="a1",
        kind="direct",
        content=[span(t, "“No tax without a vote,”")],
        cue=span(t, "said", t.index("Roe said")),
        speaker=speaker(t, "Roe said", "Jane Roe", role="Finance Minister", country="Ruritania"),
        confidence=0.95,
    )
    art = Article(
        id="a1",
        text=t,
        url="https://morning.example/roe-tax",
        title="Roe wants a border tax",
        outlet="Morning Post",
        published=date(2024, 1, 10),
    )
    return art, [first, second]


def _se(text: str, piece: str) -> tuple[int, int, str]:
    s = span(text, piece)
    return s.start, s.end, s.text


def _a2() -> tuple[Article, list[Statement]]:
    t = A2
    roe = Statement(
        article="a2",
        kind="indirect",
        content=[span(t, "the border tax should be dropped after all")],
        cue=span(t, "said"),
        speaker=speaker(t, "Jane Roe", "Jane Roe", country="Ruritania"),
        date=when(t, "on Thursday", "2024-02-15"),
        confidence=0.9,
    )
    smith = Statement(
        article="a2",
        kind="mixed",
        content=[span(t, "the tax was “a disgrace to this country”")],
        cue=span(t, "told"),
        speaker=speaker(t, "John Smith", "John Smith", role="opposition leader", country="Ruritania"),
        addressee=Mention(*_se(t, "reporters")),
        confidence=0.85,
    )
    art = Article(
        id="a2",
        text=t,
        url="https://star.example/u-turn",
        title="Roe drops the tax",
        outlet="Evening Star",
        published=date(2024, 2, 16),
    )
    return art, [roe, smith]


def _a3() -> tuple[Article, list[Statement]]:
    t = A3
    smith = Statement(
        article="a3",
        kind="direct",
        content=[span(t, "“the committee will look at every option on the border tax”")],
        cue=span(t, "said"),
        speaker=speaker(t, "John Smith", "John Smith", role="opposition leader"),
        date=when(t, "on Monday", "2024-03-18"),
        confidence=0.9,
    )
    art = Article(
        id="a3",
        text=t,
        url="https://morning.example/smith-committee",
        title="Committee to study the tax",
        outlet="Morning Post",
        published=date(2024, 3, 20),
    )
    return art, [smith]


def _hostile() -> tuple[Article, list[Statement]]:
    t = HOSTILE
    quote = t[t.index("“") : t.index("”") + 1]
    st = Statement(
        article="evil",
        kind="direct",
        content=[span(t, quote)],
        cue=span(t, "saying"),
        speaker=speaker(t, "Mallory", HOSTILE_NAME),
        confidence=0.8,
    )
    art = Article(
        id="evil",
        text=t,
        url="javascript:alert(1)",
        title=HOSTILE_TITLE,
        outlet=HOSTILE_OUTLET,
        published=date(2024, 3, 1),
    )
    return art, [st]


@dataclass
class Corpus:
    articles: dict[str, int] = field(default_factory=dict)  # label -> article id
    statements: dict[str, list[int]] = field(default_factory=dict)  # label -> statement ids, text order
    roe: int = 0
    smith: int = 0
    mallory: int = 0
    topic: int | None = None
    empty_topic: int | None = None


def build(db: Database, *, topics: bool = True) -> Corpus:
    """Store the corpus in ``db``; with ``topics``, two topics and the stances of its statements too."""
    corpus = Corpus()
    batch = [_a1(), _a2(), _a3(), _hostile()]
    stored = store_batch(db, batch, source_kind="test")
    with db.engine.connect() as conn:
        for (art, _), s in zip(batch, stored, strict=True):
            corpus.articles[art.id] = s.article_id
            q = (
                select(statements.c.id)
                .where(statements.c.article_id == s.article_id)
                .order_by(statements.c.id)
            )
            corpus.statements[art.id] = list(conn.execute(q).scalars())
        actor_of = dict(conn.execute(select(statements.c.id, statements.c.actor_id)).all())
    corpus.roe = actor_of[corpus.statements["a1"][0]]
    corpus.smith = actor_of[corpus.statements["a3"][0]]
    corpus.mallory = actor_of[corpus.statements["evil"][0]]
    assert len({corpus.roe, corpus.smith, corpus.mallory}) == 3
    if topics:
        corpus.topic = data.add_topic(db, "border-tax", "Ruritania should introduce a border tax")
        corpus.empty_topic = data.add_topic(db, "dock-strike", "The Valmont dockers should strike")
        s = corpus.statements
        # Every article counts as read for both topics (as the positions code records it), so that a
        # later read (an article posted to the app) reads only what is new and keeps these stances.
        with db.writer.begin() as conn:
            read = select(articles.c.id, articles.c.extracted_at)
            conn.execute(
                insert(topic_articles),
                [
                    {"topic_id": t, "article_id": a.id, "extracted_at": a.extracted_at}
                    for t in (corpus.topic, corpus.empty_topic)
                    for a in conn.execute(read)
                ],
            )
        data.set_stances(
            db,
            corpus.topic,
            [
                (s["a1"][0], "support", 0.9),
                (s["a1"][1], "support", 0.8),
                (s["a2"][0], "oppose", 0.85),
                (s["a2"][1], "oppose", 0.9),
                (s["a3"][0], "neutral", 0.6),
            ],
        )
    return corpus


def drop_topic_tables(db: Database) -> None:
    """Remove the positions tables, as in a database not migrated to 0002."""
    from sqlalchemy import text

    with db.writer.begin() as conn:
        for table in ("topic_articles", "stances", "topics"):
            conn.execute(text(f"DROP TABLE {table}"))


class NamedQuoteFinder:
    """A stand-in extractor: every quoted passage is a direct statement by ``name`` (the positions code
    reads only statements with a speaker)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def pipe(self, items: Any) -> Any:
        import re

        for text, _published, label in items:
            yield [
                Statement(
                    article=label,
                    kind="direct",
                    content=[Span(m.start(), m.end(), m.group(0))],
                    speaker=Speaker(None, None, None, name=self.name),
                    confidence=0.9,
                )
                for m in re.finditer(r"“[^”]*”", text)
            ]
