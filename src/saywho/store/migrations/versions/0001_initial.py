"""Initial schema: articles, statements, actors, quote clusters, runs, failures, full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Articles longer than this are indexed for search on their beginning only: PostgreSQL's tsvector
# is limited to 1 MB, and a search hit in a novel-length page is of little use anyway.
TSV_CHARS = 300_000


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("source_id", sa.Text),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("extractor_version", sa.String(32)),
        sa.Column("n_statements", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("url", name="uq_articles_url"),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index(
        "uq_articles_content_hash_nourl",
        "articles",
        ["content_hash"],
        unique=True,
        sqlite_where=sa.text("url IS NULL"),
        postgresql_where=sa.text("url IS NULL"),
    )

    op.create_table(
        "actors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("surname_key", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("org", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("n_statements", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("first_seen", sa.Date),
        sa.Column("last_seen", sa.Date),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_actors"),
    )
    op.create_index("ix_actors_surname_key", "actors", ["surname_key"])

    op.create_table(
        "actor_names",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("surname_key", sa.Text),
        sa.Column("given", sa.Text),
        sa.Column("n", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.PrimaryKeyConstraint("id", name="pk_actor_names"),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_actor_names_actor_id_actors", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("actor_id", "norm", name="uq_actor_names_actor_id_norm"),
    )
    op.create_index("ix_actor_names_norm", "actor_names", ["norm"])
    op.create_index("ix_actor_names_surname_key", "actor_names", ["surname_key"])

    op.create_table(
        "actor_traits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("trait", sa.String(8), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("n", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_actor_traits"),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_actor_traits_actor_id_actors", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("actor_id", "trait", "value", name="uq_actor_traits_actor_id_trait_value"),
    )

    op.create_table(
        "actor_pins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name_norm", sa.Text, nullable=False),
        sa.Column("article_key", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_actor_pins"),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_actor_pins_actor_id_actors", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("name_norm", "article_key", name="uq_actor_pins_name_norm_article_key"),
    )

    op.create_table(
        "quote_clusters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("first_statement_id", sa.Integer),
        sa.Column("first_article_id", sa.Integer),
        sa.Column("first_seen", sa.Date),
        sa.Column("n_statements", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("n_articles", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_quote_clusters"),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_quote_clusters_actor_id_actors", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_quote_clusters_actor_id", "quote_clusters", ["actor_id"])

    op.create_table(
        "quote_keys",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("cluster_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "cluster_id", name="pk_quote_keys"),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["quote_clusters.id"],
            name="fk_quote_keys_cluster_id_quote_clusters",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_quote_keys_cluster_id", "quote_keys", ["cluster_id"])

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("speaker_text", sa.Text),
        sa.Column("speaker_name", sa.Text),
        sa.Column("speaker_role", sa.Text),
        sa.Column("speaker_org", sa.Text),
        sa.Column("speaker_country", sa.Text),
        sa.Column("addressee", sa.Text),
        sa.Column("date_value", sa.String(10)),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("said_on", sa.Date),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("actor_id", sa.Integer),
        sa.Column("cluster_id", sa.Integer),
        sa.Column("record", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_statements_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_statements_actor_id_actors", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["quote_clusters.id"],
            name="fk_statements_cluster_id_quote_clusters",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("article_id", "seq", name="uq_statements_article_id_seq"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Newest first, undated last (ORDER BY said_on DESC NULLS LAST, id DESC): PostgreSQL reads these
        # in that order and stops at the LIMIT. SQLite's plain indexes already do (rowid included).
        op.execute(
            "CREATE INDEX ix_statements_actor_id_said_on ON statements "
            "(actor_id, said_on DESC NULLS LAST, id DESC)"
        )
        op.execute("CREATE INDEX ix_statements_said_on ON statements (said_on DESC NULLS LAST, id DESC)")
    else:
        op.create_index("ix_statements_actor_id_said_on", "statements", ["actor_id", "said_on"])
        op.create_index("ix_statements_said_on", "statements", ["said_on"])
    op.create_index("ix_statements_cluster_id", "statements", ["cluster_id"])

    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("command", sa.Text),
        sa.Column("extractor_version", sa.String(32)),
        sa.Column("n_new", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("n_known", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("n_reprocessed", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("n_failed", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("n_statements", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_failures"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_failures_run_id_runs", ondelete="SET NULL"),
    )
    op.create_index("ix_failures_run_id", "failures", ["run_id"])
    op.create_index("ix_failures_source", "failures", ["source"])

    if op.get_bind().dialect.name == "sqlite":
        _sqlite_fts()
    else:
        _postgres_fts()


def _sqlite_fts() -> None:
    # External-content FTS5 tables: the text lives once, in its own table; triggers keep the index.
    tokenize = "tokenize = 'porter unicode61 remove_diacritics 2'"
    op.execute(
        f"CREATE VIRTUAL TABLE statements_fts USING fts5(content, content='statements', "
        f"content_rowid='id', {tokenize})"
    )
    op.execute(
        "CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN "
        "INSERT INTO statements_fts(rowid, content) VALUES (new.id, new.content); END"
    )
    op.execute(
        "CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN "
        "INSERT INTO statements_fts(statements_fts, rowid, content) VALUES ('delete', old.id, old.content); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER statements_fts_au AFTER UPDATE OF content ON statements BEGIN "
        "INSERT INTO statements_fts(statements_fts, rowid, content) VALUES ('delete', old.id, old.content); "
        "INSERT INTO statements_fts(rowid, content) VALUES (new.id, new.content); END"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
        f"content_rowid='id', {tokenize})"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )


def _postgres_fts() -> None:
    # Generated columns: PostgreSQL keeps them in step with the text, no triggers needed.
    op.execute(
        "ALTER TABLE statements ADD COLUMN tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english', content)) STORED"
    )
    op.execute("CREATE INDEX ix_statements_tsv ON statements USING gin (tsv)")
    op.execute(
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        f"to_tsvector('english', left(text, {TSV_CHARS}))) STORED"
    )
    op.execute("CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("statements_fts", "articles_fts"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    for table in (
        "failures",
        "runs",
        "statements",
        "quote_keys",
        "quote_clusters",
        "actor_pins",
        "actor_traits",
        "actor_names",
        "actors",
        "articles",
    ):
        op.drop_table(table)
