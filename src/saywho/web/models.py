"""The API's request and response bodies: typed, so that the OpenAPI schema (``/openapi.json``,
``/docs``) documents every field."""

from __future__ import annotations

from datetime import date
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Stance = Literal["support", "oppose", "open", "neutral"]
T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Model, Generic[T]):
    """A page of a list: ``items``, where it starts, and links to the pages around it."""

    items: list[T]
    limit: int
    offset: int
    total: int = Field(description="How many items match (at least this many when total_exact is false).")
    total_exact: bool = True
    next: str | None = Field(None, description="The next page's URL (path and query), null on the last page.")
    prev: str | None = None


# --- the statement record (the JSON contract of saywho extract --format jsonl) ------------------------


class SpanModel(Model):
    start: int
    end: int
    text: str


class SpeakerModel(Model):
    start: int | None = None
    end: int | None = None
    text: str | None = None
    name: str | None = None
    role: str | None = None
    org: str | None = None
    country: str | None = None


class MentionModel(SpanModel):
    name: str | None = None


class RelayModel(SpanModel):
    relation: Literal["reported_by", "cited_by", "according_to"]
    name: str | None = None


class DateModel(SpanModel):
    value: str
    precision: Literal["day", "week", "month", "year"]


class StatementRecord(Model):
    """Offsets are into the article's text: ``text[start:end] == span.text``."""

    article: str
    kind: Literal["direct", "indirect", "mixed", "other"]
    content: list[SpanModel]
    cue: SpanModel | None = None
    speaker: SpeakerModel | None = None
    addressee: MentionModel | None = None
    relays: list[RelayModel] = []
    date: DateModel | None = None
    confidence: float


# --- articles, statements, actors ------------------------------------------------------------------------


class ActorRef(Model):
    id: int
    name: str


class ArticleRef(Model):
    id: int
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None


class StatementOut(Model):
    id: int
    said_on: date | None = Field(None, description="Its own date when the text gives one, else publication.")
    kind: str
    speaker_name: str | None = None
    speaker_role: str | None = None
    speaker_country: str | None = None
    cue: str | None = None
    content: str
    confidence: float
    cluster_id: int | None = Field(None, description="The quote cluster: the same quote in other articles.")
    actor: ActorRef | None = None
    article: ArticleRef
    record: StatementRecord
    page: str = Field(description="The article page with this statement selected.")


class ArticleSummary(Model):
    id: int
    label: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    words: int
    statements: int
    extractor_version: str | None = Field(None, description="null: stored without extraction.")
    page: str


class ArticleDetail(ArticleSummary):
    text: str
    statement_list: list[StatementOut] = Field(description="Its statements, in the order of the text.")


class ActorSummary(Model):
    id: int
    name: str
    kind: str
    role: str | None = None
    org: str | None = None
    country: str | None = None
    statements: int
    first_seen: date | None = None
    last_seen: date | None = None
    page: str


class NameCount(Model):
    name: str
    n: int
    pinned: bool


class RoleSpan(Model):
    role: str | None = None
    org: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    statements: int


class CountrySpan(Model):
    country: str
    since: date | None = None
    until: date | None = None
    statements: int


class RepeatedQuote(Model):
    id: int
    content: str
    first_seen: date | None = None
    n_articles: int
    first_article: str | None = None
    first_outlet: str | None = None


class PeriodCount(Model):
    period: str = Field(description="YYYY-MM")
    statements: int


# --- topics and positions --------------------------------------------------------------------------------


class TopicOut(Model):
    id: int
    name: str
    proposition: str
    statements: int
    actors: int
    first: date | None = None
    last: date | None = None
    page: str


class TopicIn(Model):
    """A topic to add: what ``saywho topic add`` takes."""

    proposition: str = Field(
        min_length=1, max_length=1000, description="e.g. 'A new border tax should be introduced'."
    )
    keywords: list[str] = Field(
        default_factory=list, max_length=50, description="Words or phrases marking a statement as about it."
    )
    name: str | None = Field(
        None, max_length=80, description="A short name (default: from the proposition's words)."
    )


class TopicAdded(Model):
    topic: TopicOut
    reading: bool = Field(
        description="True while the stored statements are being read for it (in the background)."
    )


class TopicRef(Model):
    id: int
    name: str


class EvidenceOut(Model):
    statement_id: int
    stance: Stance
    confidence: float
    content: str
    said_on: date | None = None
    actor: ActorRef | None = None
    article: ArticleRef
    page: str


class PositionOut(Model):
    """Where an actor stands on a topic: the stance of its latest statement that takes one."""

    actor: ActorRef | None = None
    topic: TopicRef | None = None
    stance: Stance
    statements: int
    counts: dict[str, int] = Field(description="Statements per stance.")
    first: date | None = None
    last: date | None = None
    changes: int = Field(description="How many times the stance taken changed.")
    evidence: list[EvidenceOut] = Field(description="The latest statements with the current stance.")


class StanceSummaryOut(Model):
    stance: Stance
    actors: int = Field(description="Actors whose current stance this is.")
    statements: int
    latest: EvidenceOut | None = None


class TopicPositions(Page[PositionOut]):
    topic: TopicOut
    summary: list[StanceSummaryOut]


class StancePointOut(Model):
    period: str = Field(description="YYYY-MM")
    stance: Stance
    statements: int


class ActorDetail(ActorSummary):
    names: list[NameCount]
    roles: list[RoleSpan] = Field(description="Roles (with organisation and country) over time.")
    countries: list[CountrySpan]
    articles: int
    repeated: list[RepeatedQuote] = Field(description="Its most repeated quotes (quote clusters).")
    topics: list[PositionOut] = Field(description="Its position on each topic it spoke about.")
    timeline: list[PeriodCount] = Field(description="Its statements per month.")


# --- writes --------------------------------------------------------------------------------------------


class ArticleIn(Model):
    text: str = Field(min_length=1, description="The article's text; every offset will point into it.")
    title: str | None = None
    url: str | None = Field(None, description="Its address: an article is stored once per canonical URL.")
    published: date | None = Field(None, description="Relative dates ('on Tuesday') resolve against it.")
    outlet: str | None = None
    author: str | None = None


class IngestOut(Model):
    id: int
    status: Literal["new", "known", "reprocessed"]
    statements: int = Field(description="Statements stored now (0 for an article already known).")
    api: str
    page: str


class MergeIn(Model):
    others: list[int] = Field(min_length=1, description="Actor ids to fold into this one.")


class MergeOut(Model):
    actor_id: int
    merged: list[int]
    moved: int = Field(description="Statements moved to this actor.")


class Problem(Model):
    detail: str
