"""From extracted statements to classified ones: the text a stance is read from, positions without
speech that the extractor misses, relevance and stance per statement.

The data source is a list of :class:`StatementRecord` (a statement with its
article's metadata and, when known, the article text). Today it comes from a
jsonl file or from articles run through the extractor; the corpus database
will provide the same records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from itertools import pairwise
from typing import Any

from saywho.positions.aggregate import Classified
from saywho.positions.relevance import RelevanceModel
from saywho.positions.stance import ANAPHOR, classify_many, is_relative
from saywho.records import Span, Speaker, Stance, Statement, Topic

META_KEYS = ("published", "outlet", "url", "title")
# A position in the summary needs the model to put at least this much probability on it: a wrong
# "X opposes" costs a user more than a missed one. (Sentence-level `saywho stance` keeps the argmax.)
MIN_MODEL_CONFIDENCE = 0.5


@dataclass(slots=True)
class StatementRecord:
    """A statement and what is known about its article."""

    statement: Statement
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    article_text: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StatementRecord:
        """A ``saywho extract --format jsonl`` record, optionally with ``published``, ``outlet``, ``url``
        beside the statement's fields (or under ``article``: {...})."""
        meta = d.get("meta") if isinstance(d.get("meta"), dict) else {}
        pub = d.get("published", meta.get("published"))
        if pub is not None:
            pub = Date.fromisoformat(str(pub)[:10]).isoformat()
        return cls(
            Statement.from_dict(d),
            published=pub,
            outlet=d.get("outlet", meta.get("outlet")),
            url=d.get("url", meta.get("url")),
        )


def _kept_spans(st: Statement, article_text: str | None) -> list[Span]:
    """The content spans that belong with the cue: with the article text, those in the cue's paragraph
    (a content fragment linked across a line break is another statement's, not this one's)."""
    content = sorted(st.content, key=lambda s: s.start)
    if article_text is None or not content:
        return content
    anchor = st.cue.start if st.cue is not None else content[0].start
    a = article_text.rfind("\n", 0, anchor) + 1
    b = article_text.find("\n", anchor)
    b = len(article_text) if b < 0 else b
    kept = [s for s in content if s.start >= a and s.end <= b]
    return kept or content[:1]


def statement_text(st: Statement, article_text: str | None = None) -> str:
    """What the stance is read from: the cue and the content in article order.

    With the article text, the exact stretch from the first to the last of them
    (within the cue's paragraph), and for a position without speech
    ("distanced themselves ...") up to the end of its sentence, where the
    object often is.
    """
    spans = _kept_spans(st, article_text) + ([st.cue] if st.cue else [])
    if not spans:
        return ""
    spans.sort(key=lambda s: s.start)
    if article_text is not None:
        a, b = spans[0].start, max(s.end for s in spans)
        if st.kind == "other":
            m = re.search(r"[.!?;](?:\s|$)|\n", article_text[b:])
            b = b + m.start() if m else len(article_text)
        return article_text[a:b]
    out = spans[0].text
    for prev, s in pairwise(spans):
        out += (" " if s.start > prev.end else "") + s.text
    return out


def statement_start(st: Statement, article_text: str | None = None) -> int:
    """Where :func:`statement_text` starts in the article (its offsets are relative to this)."""
    spans = _kept_spans(st, article_text) + ([st.cue] if st.cue else [])
    return min((s.start for s in spans), default=0)


def quoted_words(st: Statement, article_text: str | None = None) -> str:
    """The words said (the content within the cue's paragraph): the same quote in several outlets."""
    return " ".join(s.text for s in _kept_spans(st, article_text))


def evidence_text(st: Statement, article_text: str | None = None) -> str:
    """The words shown for a statement: a quotation itself, else its cue and content ("rejected the tax")."""
    if st.kind == "direct" or st.cue is None:
        return quoted_words(st, article_text) or st.content_text
    return statement_text(st, article_text)


def actor_of(st: Statement) -> str | None:
    sp = st.speaker
    if sp is None:
        return None
    name = sp.name or sp.text
    if not name:
        return None
    if sp.name is None and re.match(r"^(?:he|she|they|it|we|i|you|him|her|them)$", name, re.I):
        return None  # an unresolved pronoun is nobody in particular
    return name.strip()


def statement_date(rec: StatementRecord) -> str | None:
    return rec.statement.date.value if rec.statement.date else rec.published


# --- positions without speech the extractor does not report ----------------------------------------------

# capitalised words on one line; a word may end in a full stop only as an initial ("J. Roe"), so a
# name never starts in the sentence before ("... on Monday. The Traders' Association ...")
_ACTOR = r"(?P<actor>(?:[Tt]he[ \t]+)?(?:(?:[A-Z]\.|[A-Z][\w'’-]*)[ \t]+){0,4}[A-Z][\w'’-]*)"
_ACTIONS = re.compile(
    _ACTOR + r"\s+(?:(?:has|have|had|also|then|narrowly|unanimously)\s+)*"
    r"(?P<cue>voted\s+(?:for|against|in\s+favou?r\s+of)|distanced\s+(?:themselves|himself|herself|itself|ourselves)\s+from)"
    r"\s+(?P<obj>[^.;!?\n]+)",
)


def find_actions(text: str, article: str, statements: Iterable[Statement] = ()) -> list[Statement]:
    """Votes and distancing ("The Liberals voted for the tax") as statements of kind ``other``.

    Only those whose cue no extracted statement already covers.
    """
    cues = [(s.cue.start, s.cue.end) for s in statements if s.cue is not None]
    out = []
    for m in _ACTIONS.finditer(text):
        cs, ce = m.span("cue")
        if any(a < ce and cs < b for a, b in cues):
            continue
        a_s, a_e = m.span("actor")
        name = re.sub(r"^[Tt]he\s+", "", m.group("actor"))
        os_, oe = m.span("obj")
        out.append(
            Statement(
                article=article,
                kind="other",
                content=[Span.of(text, os_, oe)],
                cue=Span.of(text, cs, ce),
                speaker=Speaker(a_s, a_e, text[a_s:a_e], name=name),
                confidence=0.7,
            )
        )
    return out


class WithActions:
    """An extractor whose statements include the positions taken without speech (:func:`find_actions`):
    what ``saywho ingest`` stores, so that "The Liberals voted for the tax" is a position in the corpus."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def pipe(self, items: Iterable[tuple[str, Any, str]]) -> Iterator[list[Statement]]:
        items = list(items)
        for (text, _published, article), found in zip(items, self.inner.pipe(items), strict=False):
            yield [*found, *find_actions(text, article, found)]


# --- classification --------------------------------------------------------------------------------------

_ANAPHOR = re.compile(rf"\b{ANAPHOR}\b", re.I)


def classify_records(
    records: list[StatementRecord],
    topic: Topic,
    relevance: RelevanceModel,
    use_model: bool = True,
    keys: list[int] | None = None,
) -> list[Classified]:
    """The statements about ``topic``, each with its actor, date and stance.

    A statement with no topic word of its own ("he did not exclude it") is
    about the topic when the statement before it in the same article is and
    it refers back with "it", "this", "such a tax", "the plan" ...
    """
    ids = keys if keys is not None else [None] * len(records)
    both = [(r, actor_of(r.statement), k) for r, k in zip(records, ids, strict=True)]
    keep = [(r, a) for r, a, _ in both if a]
    kept_keys = [k for _, a, k in both if a]
    texts = [statement_text(r.statement, r.article_text) for r, _ in keep]
    rel = relevance.score(texts, topic)
    relevant = [x.relevant for x in rel]
    # carry relevance forward to a statement that refers back to the one before it
    prev: dict[str, int] = {}
    order = sorted(
        range(len(keep)), key=lambda i: (keep[i][0].statement.article, _start(keep[i][0].statement))
    )
    for i in order:
        art = keep[i][0].statement.article
        j = prev.get(art)
        if not relevant[i] and j is not None and relevant[j] and _ANAPHOR.search(texts[i]):
            relevant[i] = True
        prev[art] = i
    # a position relative to someone else ("distanced themselves from Roe's statement") is kept for now:
    # whether it is about the topic depends on what that someone said, known only when aggregating
    idx = [i for i in range(len(keep)) if relevant[i] or is_relative(texts[i])]
    stances = classify_many([texts[i] for i in idx], topic.proposition, tuple(topic.keywords), use_model)
    out = []
    for i, s in zip(idx, stances, strict=True):
        if not relevant[i] and s.relative_to is None:
            continue
        if s.method == "model" and s.label != "neutral" and s.confidence < MIN_MODEL_CONFIDENCE:
            s = Stance("neutral", s.confidence, None, "model")
        rec, actor = keep[i]
        out.append(
            Classified(
                statement=rec.statement,
                actor=actor,
                stance=s,
                text=evidence_text(rec.statement, rec.article_text),
                date=statement_date(rec),
                article=rec.statement.article,
                url=rec.url,
                outlet=rec.outlet,
                order=_start(rec.statement),
                words=quoted_words(rec.statement, rec.article_text) or None,
                relevance=rel[i].similarity,
                keyword=rel[i].keyword,
                key=kept_keys[i],
                offset=statement_start(rec.statement, rec.article_text),
            )
        )
    return out


def _start(st: Statement) -> int:
    return min([s.start for s in st.spans()] or [0])
