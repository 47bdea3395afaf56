"""Topics and stances (issue 5): topics, stances, topic_articles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("proposition", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False, server_default=sa.text("'[]'")),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        ),
        sa.PrimaryKeyConstraint("id", name="pk_topics"),
        sa.UniqueConstraint("name", name="uq_topics_name"),
    )
    op.create_table(
        "stances",
        sa.Column("statement_id", sa.Integer, nullable=False),
        sa.Column("topic_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String(8), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("evidence", sa.Text),
        sa.Column("words", sa.Text),
        sa.Column("relevance", sa.Float),
        sa.Column("keyword", sa.Text),
        sa.Column("method", sa.String(8), nullable=False, server_default=sa.text("'none'")),
        sa.Column("model", sa.String(40)),
        sa.Column("relative_to", sa.Text),
        sa.Column("relation", sa.String(8)),
        sa.PrimaryKeyConstraint("statement_id", "topic_id", name="pk_stances"),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name="fk_stances_statement_id_statements", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name="fk_stances_topic_id_topics", ondelete="CASCADE"
        ),
        sa.CheckConstraint("label IN ('support', 'oppose', 'open', 'neutral')", name="ck_stances_label"),
    )
    op.create_index("ix_stances_topic_id_statement_id", "stances", ["topic_id", "statement_id"])
    op.create_table(
        "topic_articles",
        sa.Column("topic_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("topic_id", "article_id", name="pk_topic_articles"),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name="fk_topic_articles_topic_id_topics", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_topic_articles_article_id_articles", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_topic_articles_article_id", "topic_articles", ["article_id"])


def downgrade() -> None:
    for table in ("topic_articles", "stances", "topics"):
        op.drop_table(table)
