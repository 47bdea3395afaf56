"""The database schema, as SQLAlchemy Core tables: one schema for SQLite and PostgreSQL.

Migrations (``migrations/versions``) create exactly these tables; a test
compares the two. What only one engine has is created by the migrations
alone and kept out of this metadata: the FTS5 tables and triggers on SQLite,
the ``tsv`` columns and their GIN indexes on PostgreSQL (see ``search.py``).

Why the shape:

- ``articles`` holds the text every offset points into, with its identity
  (``url``, else ``content_hash`` of the normalised text) and the extractor
  version that produced its statements (``NULL``: stored, not extracted yet).
- ``statements`` keeps the flat fields that queries filter and sort on, and
  the whole record (``Statement.to_dict()``) as JSON, so that an export gives
  back exactly what ``saywho extract`` printed.
- ``actors`` are people (and organisations) across articles; ``actor_names``
  the names that resolve to them, ``actor_traits`` what is known of them
  (roles, organisations, countries) for telling namesakes apart;
  ``actor_pins`` the user's corrections (merge, split), which resolution
  consults first, so that they survive re-extraction.
- ``quote_clusters`` group the same quote reported by several articles;
  ``quote_keys`` are the sampled shingle hashes that find a cluster's
  candidates without comparing every pair.
- ``runs`` and ``failures`` record each ingest and what it could not read.

- ``topics`` are the propositions users track (issue 5); ``stances`` the
  stance of each statement about a topic toward it (one row per statement
  and topic, only for statements about the topic); ``topic_articles`` which
  articles, as last extracted, have been read for each topic, so that a
  topic added later applies to every stored statement and ``saywho ingest``
  reads only what is new (migration 0002). The web app reads ``topics``
  (``id``, ``name``, ``proposition``) and ``stances`` (``statement_id``,
  ``topic_id``, ``label``, ``confidence``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

# Constraint names are fixed so that migrations can refer to them on both engines.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # Identity: the canonical URL when there is one, else the hash of the normalised text.
    Column("url", Text, unique=True),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("label", Text, nullable=False),  # what statement records name the article by
    Column("path", Text),  # the local file it came from, if any
    Column("source_id", Text),  # an id given by the source (jsonl/csv column "id")
    Column("source_kind", String(16), nullable=False),
    Column("title", Text),
    Column("outlet", Text, index=True),
    Column("author", Text),
    Column("published", Date, index=True),
    Column("text", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("extractor_version", String(32)),  # NULL: stored without extraction
    Column("n_statements", Integer, nullable=False, server_default=text("0")),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("extracted_at", DateTime(timezone=True)),
    # An article without a URL is known by its text alone.
    Index(
        "uq_articles_content_hash_nourl",
        "content_hash",
        unique=True,
        sqlite_where=text("url IS NULL"),
        postgresql_where=text("url IS NULL"),
    ),
)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),  # the display name: the fullest name seen
    Column("kind", String(8), nullable=False),  # person | org
    Column("surname_key", Text, index=True),  # blocking key for people; NULL for organisations
    Column("role", Text),  # latest known
    Column("org", Text),
    Column("country", Text),
    Column("n_statements", Integer, nullable=False, server_default=text("0")),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

actor_names = Table(
    "actor_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),  # as first seen
    Column("norm", Text, nullable=False, index=True),  # folded: case, accents, honorifics
    Column("surname_key", Text, index=True),
    Column("given", Text),  # folded first given name; NULL for a surname alone
    Column("n", Integer, nullable=False, server_default=text("0")),
    Column("pinned", Boolean, nullable=False, server_default=text("false")),  # set by merge/split
    UniqueConstraint("actor_id", "norm"),
)

actor_traits = Table(
    "actor_traits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("trait", String(8), nullable=False),  # role | org | country | with (a co-occurring name)
    Column("value", Text, nullable=False),  # folded
    Column("n", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("actor_id", "trait", "value"),
)

actor_pins = Table(
    "actor_pins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name_norm", Text, nullable=False),
    # '' pins the name everywhere; an article's key pins it in that article only (split --article).
    Column("article_key", Text, nullable=False, server_default=text("''")),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name_norm", "article_key"),
)

quote_clusters = Table(
    "quote_clusters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("content", Text, nullable=False),  # the first-seen statement's content
    Column("norm", Text, nullable=False),  # its folded form, compared with candidates
    Column("first_statement_id", Integer),
    Column("first_article_id", Integer),
    Column("first_seen", Date),
    Column("n_statements", Integer, nullable=False, server_default=text("0")),
    Column("n_articles", Integer, nullable=False, server_default=text("0")),
)

quote_keys = Table(
    "quote_keys",
    metadata,
    Column("key", BigInteger, nullable=False),
    Column("cluster_id", Integer, ForeignKey("quote_clusters.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "cluster_id"),
    Index("ix_quote_keys_cluster_id", "cluster_id"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # order within the article
    Column("kind", String(8), nullable=False),
    Column("content", Text, nullable=False),  # the content spans joined, as Statement.content_text
    Column("cue", Text),
    Column("speaker_text", Text),
    Column("speaker_name", Text),
    Column("speaker_role", Text),
    Column("speaker_org", Text),
    Column("speaker_country", Text),
    Column("addressee", Text),
    Column("date_value", String(10)),
    Column("date_precision", String(5)),
    # When it was said: the statement's own date (its first day), else the article's publication date.
    Column("said_on", Date),
    Column("confidence", Float, nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="SET NULL")),
    Column("cluster_id", Integer, ForeignKey("quote_clusters.id", ondelete="SET NULL"), index=True),
    Column("record", Text, nullable=False),  # Statement.to_dict() as JSON
    UniqueConstraint("article_id", "seq"),
    Index("ix_statements_actor_id_said_on", "actor_id", "said_on"),
    Index("ix_statements_said_on", "said_on"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text),
    Column("extractor_version", String(32)),
    Column("n_new", Integer, nullable=False, server_default=text("0")),
    Column("n_known", Integer, nullable=False, server_default=text("0")),
    Column("n_reprocessed", Integer, nullable=False, server_default=text("0")),
    Column("n_failed", Integer, nullable=False, server_default=text("0")),
    Column("n_statements", Integer, nullable=False, server_default=text("0")),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL"), index=True),
    Column("source", Text, nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

topics = Table(
    "topics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),  # the short handle ("border-tax")
    Column("proposition", Text, nullable=False),
    Column("keywords", Text, nullable=False, server_default=text("'[]'")),  # a JSON list of strings
    # defaults for the columns the web app does not write (it inserts id, name, proposition in its tests)
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("CURRENT_TIMESTAMP")),
)

STANCE_LABELS = ("support", "oppose", "open", "neutral")

stances = Table(
    "stances",
    metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(8), nullable=False),  # support | oppose | open | neutral
    Column("confidence", Float, nullable=False),
    # The words the stance rests on, with their offsets into the article's text.
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("evidence", Text),
    Column("words", Text),  # what a position shows for the statement (the quote, or cue and content)
    Column("relevance", Float),  # cosine similarity to the proposition (NULL without embeddings)
    Column("keyword", Text),  # the keyword or subject phrase found, if any
    Column("method", String(8), nullable=False, server_default=text("'none'")),  # rule | model | none
    Column("model", String(40)),  # the stance model's version when it decided
    # "distanced themselves from Z's statement": the label is Z's stance turned round (or kept), resolved
    # against the topic's stored statements each time the topic is brought up to date.
    Column("relative_to", Text),
    Column("relation", String(8)),  # opposite | same
    PrimaryKeyConstraint("statement_id", "topic_id"),
    Index("ix_stances_topic_id_statement_id", "topic_id", "statement_id"),
    CheckConstraint("label IN ('support', 'oppose', 'open', 'neutral')", name="ck_stances_label"),
)

topic_articles = Table(
    "topic_articles",
    metadata,
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    # the article's extracted_at when it was read for the topic: a re-extraction makes it due again
    Column("extracted_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("topic_id", "article_id"),
    Index("ix_topic_articles_article_id", "article_id"),
)
