"""The record types every stage of saywho shares, and their JSON form.

The JSON form of :class:`Statement` is the public contract of
``saywho extract --format jsonl``: fields may be added, never renamed.
Every span is an offset pair into the *original* article text, so that
``text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["direct", "indirect", "mixed", "other"]
RelayRelation = Literal["reported_by", "cited_by", "according_to"]
Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text: ``text == article_text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(int(d["start"]), int(d["end"]), str(d["text"]))


@dataclass(slots=True)
class Speaker:
    """The mention of who speaks, and who that is in the article.

    ``start``/``end``/``text`` are the mention in this statement ("She",
    "the minister"); they are ``None`` when the speaker is carried over from
    an earlier sentence. ``name`` is the canonical name in this article.
    """

    start: int | None
    end: int | None
    text: str | None
    name: str | None = None
    role: str | None = None
    org: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Speaker:
        return cls(**{k: d.get(k) for k in cls.__slots__})  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span that names someone, and who it resolves to in the article.

    Used for addressees and venues: "told the paper" → ``text`` "the paper",
    ``name`` "Morning Post" when the article names it.
    """

    start: int
    end: int
    text: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), d.get("name"))


@dataclass(frozen=True, slots=True)
class Relay:
    """Who passed a statement on: ``as cited by Reuters`` → ``cited_by``."""

    start: int
    end: int
    text: str
    relation: RelayRelation
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relay:
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), d["relation"], d.get("name"))


@dataclass(frozen=True, slots=True)
class DateRef:
    """When a statement was made, normalised against the publication date.

    ``value`` is ISO 8601 at the stated ``precision``: ``2024-03-08`` (day),
    ``2024-03-04`` (week: the Monday that starts it), ``2024-03`` (month),
    ``2024`` (year).
    """

    start: int
    end: int
    text: str
    value: str
    precision: Precision

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DateRef:
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), str(d["value"]), d["precision"])


@dataclass(slots=True)
class Statement:
    """One attributed statement: who said what, to whom, via whom, when."""

    article: str
    kind: Kind
    content: list[Span]
    cue: Span | None = None
    speaker: Speaker | None = None
    addressee: Mention | None = None
    relays: list[Relay] = field(default_factory=list)
    date: DateRef | None = None
    confidence: float = 0.5

    @property
    def content_text(self) -> str:
        return " … ".join(s.text for s in self.content)

    def spans(self) -> list[Span]:
        """Every span this statement points at (for checks and highlighting)."""
        out = list(self.content)
        if self.cue is not None:
            out.append(self.cue)
        if self.addressee is not None:
            out.append(Span(self.addressee.start, self.addressee.end, self.addressee.text))
        if self.speaker is not None and self.speaker.start is not None and self.speaker.end is not None:
            out.append(Span(self.speaker.start, self.speaker.end, self.speaker.text or ""))
        out.extend(Span(r.start, r.end, r.text) for r in self.relays)
        if self.date is not None:
            out.append(Span(self.date.start, self.date.end, self.date.text))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "kind": self.kind,
            "content": [s.to_dict() for s in self.content],
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "relays": [r.to_dict() for r in self.relays],
            "date": self.date.to_dict() if self.date else None,
            "confidence": round(float(self.confidence), 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Statement:
        return cls(
            article=str(d["article"]),
            kind=d["kind"],
            content=[Span.from_dict(s) for s in d.get("content") or []],
            cue=Span.from_dict(d["cue"]) if d.get("cue") else None,
            speaker=Speaker.from_dict(d["speaker"]) if d.get("speaker") else None,
            addressee=Mention.from_dict(d["addressee"]) if d.get("addressee") else None,
            relays=[Relay.from_dict(r) for r in d.get("relays") or []],
            date=DateRef.from_dict(d["date"]) if d.get("date") else None,
            confidence=float(d.get("confidence", 0.5)),
        )


@dataclass(slots=True)
class Article:
    """An article as saywho reads it; ``text`` is never altered after this."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


# --- Positions: topics, stances and where each actor stands (issue 5) ---

StanceLabel = Literal["support", "oppose", "open", "neutral"]
STANCE_LABELS: tuple[StanceLabel, ...] = ("support", "oppose", "open", "neutral")


@dataclass(slots=True)
class Topic:
    """A question users track, written as a proposition one can support or oppose.

    ``name`` is the short handle (``border-tax``); ``keywords`` are extra words or
    phrases that mark a statement as being about it (matched case-insensitively).
    """

    name: str
    proposition: str
    keywords: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "proposition": self.proposition, "keywords": list(self.keywords)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Topic:
        return cls(str(d["name"]), str(d["proposition"]), [str(k) for k in d.get("keywords") or []])


@dataclass(frozen=True, slots=True)
class Stance:
    """Where one text stands toward a proposition.

    ``evidence`` is a span of the *classified text* (for a statement: of its
    content text) that carries the position. ``method`` says what decided it:
    ``rule`` (a construction such as "did not rule out X"), ``model`` (the
    learned classifier) or ``none``. A text that takes a position relative to
    someone else ("distanced themselves from Z's statement") has ``relative_to``
    Z's name and ``relation`` ``opposite`` or ``same``; its ``label`` is then
    ``neutral`` until the aggregation resolves it against Z's position.
    """

    label: StanceLabel
    confidence: float
    evidence: Span | None = None
    method: str = "none"
    relative_to: str | None = None
    relation: Literal["opposite", "same"] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "label": self.label,
            "confidence": round(float(self.confidence), 3),
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "method": self.method,
        }
        if self.relative_to is not None:
            d["relative_to"] = self.relative_to
            d["relation"] = self.relation
        return d


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote behind a position, and where it was published."""

    text: str
    stance: StanceLabel
    confidence: float
    date: str | None
    article: str
    url: str | None = None
    outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["confidence"] = round(float(self.confidence), 3)
        return d


@dataclass(frozen=True, slots=True)
class StanceChange:
    """An actor's stance moved from one label to another on ``date``."""

    date: str | None
    before: StanceLabel
    after: StanceLabel
    evidence: str
    article: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "from": self.before,
            "to": self.after,
            "evidence": self.evidence,
            "article": self.article,
        }


@dataclass(slots=True)
class Position:
    """Where one actor stands on one topic, and how that has changed.

    ``statements`` counts distinct statements: the same words by the same
    speaker on the same date count once however many outlets carried them.
    """

    topic: str
    actor: str
    stance: StanceLabel
    statements: int
    first: str | None
    last: str | None
    evidence: list[Evidence] = field(default_factory=list)
    changes: list[StanceChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "actor": self.actor,
            "stance": self.stance,
            "statements": self.statements,
            "first": self.first,
            "last": self.last,
            "evidence": [e.to_dict() for e in self.evidence],
            "changes": [c.to_dict() for c in self.changes],
        }
