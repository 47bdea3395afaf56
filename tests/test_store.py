"""The corpus database on both engines: schema and migrations, the write path's guarantees, actors
across articles, quote clusters, search and export. Statements are built by hand (no spaCy)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from corpus_support import article, said
from saywho import EXTRACTOR_VERSION
from saywho.records import Statement
from saywho.store import Database, DatabaseError, database_url, open_db, read
from saywho.store import actors as actors_mod
from saywho.store.db import head_revision
from saywho.store.export import COLUMNS, export, write_jsonl
from saywho.store.schema import actors, articles, metadata, quote_clusters, statements
from saywho.store.search import fts5_query
from saywho.store.write import canonical_url, content_hash, store_article, store_batch
from support import CONTRACT

ROE_1 = (
    "Ruritanian Finance Minister Jane Roe rejected a border tax on Tuesday. "
    "“No tax without a vote, and no vote without a debate in parliament,” Roe said."
)
ROE_2 = (
    "The finance minister spoke again. “No tax without a vote, and no vote without a debate in parliament,” "
    "said Jane Roe, adding that the cabinet was united."
)
ROE_3 = "Roe, the finance minister, said the budget was “balanced and fair to every region of Ruritania”."
JOHN = "John Roe, who chairs the Valmont dockers' union, said the strike would “go on until the port pays”."


def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def roe(text: str, quote: str, **kw) -> Statement:  # type: ignore[no-untyped-def]
    return said(text, quote, "Jane Roe", role="Finance Minister", country="Ruritania", **kw)


# --- schema and migrations ---------------------------------------------------------------------------


DATE_ORDER_INDEXES = {"ix_statements_actor_id_said_on", "ix_statements_said_on"}


def test_migrations_create_exactly_the_schema(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    postgres = db.dialect == "postgresql"

    def ours(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        # Engine-specific structures are made by the migration alone (see schema.py): full-text tables
        # and columns, and on PostgreSQL the date indexes in DESC NULLS LAST order (checked below).
        if "_fts" in (name or "") or name in ("tsv", "ix_statements_tsv", "ix_articles_tsv"):
            return False
        return not (postgres and type_ == "index" and name in DATE_ORDER_INDEXES)

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(ctx, metadata) == []
        assert ctx.get_current_revision() == head_revision()
        if postgres:
            defs = dict(
                conn.execute(
                    text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'statements'")
                ).all()
            )
            assert "said_on DESC NULLS LAST, id DESC" in defs["ix_statements_said_on"]
            assert "(actor_id, said_on DESC NULLS LAST, id DESC)" in defs["ix_statements_actor_id_said_on"]
            assert "gin (tsv)" in defs["ix_statements_tsv"]
        else:
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
            assert {"statements_fts", "articles_fts", "statements_fts_ai", "articles_fts_ad"} <= names


def test_opening_again_migrates_nothing_and_keeps_data(db_url: str) -> None:
    first = open_db(db_url)
    store_article(first, article("a", ROE_1), [roe(ROE_1, "“No tax")])
    first.dispose()
    again = open_db(db_url)
    assert count(again, articles) == 1
    again.dispose()


def test_a_database_from_a_newer_saywho_is_refused(db_url: str) -> None:
    first = open_db(db_url)
    with first.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    first.dispose()
    with pytest.raises(DatabaseError, match="newer saywho"):
        open_db(db_url)


def test_a_plain_path_is_sqlite_and_postgres_urls_use_psycopg(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    with pytest.raises(DatabaseError, match="unsupported"):
        database_url("mysql://h/d")
    with pytest.raises(DatabaseError, match="no such database"):
        open_db(str(tmp_path / "missing.db"), create=False)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = open_db(str(tmp_path / "w.db"))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_readers_keep_reading_while_a_write_transaction_is_open(tmp_path: Path) -> None:
    db = open_db(str(tmp_path / "c.db"))
    store_article(db, article("a", ROE_1), [roe(ROE_1, "“No tax")])
    with db.writer.begin() as writer:
        store_conn_insert = statements.delete()  # a write that is not committed yet
        writer.execute(store_conn_insert)
        reader = open_db(str(tmp_path / "c.db"))  # another process would see the same
        assert count(reader, statements) == 1  # the last committed state, without waiting
        assert read.quotes(reader, read.Filters(search="tax"))[0]["speaker_name"] == "Jane Roe"
        reader.dispose()
    assert count(db, statements) == 0
    db.dispose()


# --- idempotence -------------------------------------------------------------------------------------


def test_the_same_article_is_stored_once(db: Database) -> None:
    a = article("first.txt", ROE_1)
    found = [roe(ROE_1, "“No tax"), said(ROE_1, "rejected a border tax", None, kind="indirect")]
    assert store_article(db, a, found).status == "new"
    # Same text, another label and different spacing: the normalised-content hash knows it.
    again = article("copy.txt", ROE_1.replace(" ", "  ") + "\n")
    assert store_article(db, again, found).status == "known"
    assert [s.status for s in store_batch(db, [(a, found), (a, found)])] == ["known", "known"]
    assert count(db, articles) == 1
    assert count(db, statements) == 2


def test_articles_with_a_url_are_known_by_it(db: Database) -> None:
    a = article("x", ROE_1, url="HTTPS://News.example.org/roe?utm_source=feed#top")
    assert store_article(db, a, []).status == "new"
    updated = article("y", ROE_1 + " Updated.", url="https://news.example.org/roe")
    assert store_article(db, updated, []).status == "known"
    other = article("z", ROE_1, url="https://other.example.org/roe")  # syndicated: another article
    assert store_article(db, other, []).status == "new"
    assert count(db, articles) == 2
    assert (
        canonical_url("HTTPS://News.example.org:443/roe?b=1&utm_medium=x#f")
        == "https://news.example.org/roe?b=1"
    )


def test_a_known_text_gains_its_url_later(db: Database) -> None:
    store_article(db, article("plain.txt", ROE_1), [])
    assert store_article(db, article("u", ROE_1, url="https://e.org/roe"), []).status == "known"
    with db.engine.connect() as conn:
        assert conn.execute(select(articles.c.url)).scalar_one() == "https://e.org/roe"


def test_older_extractor_versions_are_replaced_only_when_asked(db: Database) -> None:
    a = article("a", ROE_1)
    old = [said(ROE_1, "rejected a border tax", "Jane Roe", kind="indirect")]
    store_article(db, a, old, extractor_version="0")
    new = [roe(ROE_1, "“No tax"), said(ROE_1, "rejected a border tax", "Jane Roe", kind="indirect")]
    assert store_article(db, a, new).status == "known"  # no --reprocess: left alone
    stored = store_article(db, a, new, replace=True)
    assert (stored.status, stored.statements) == ("reprocessed", 2)
    with db.engine.connect() as conn:
        row = conn.execute(select(articles.c.extractor_version, articles.c.n_statements)).one()
        assert tuple(row) == (EXTRACTOR_VERSION, 2)
        assert conn.execute(select(actors.c.n_statements)).scalar_one() == 2  # not 3: the old one left
    assert store_article(db, a, new, replace=True).status == "known"  # now current


def test_articles_stored_without_extraction_are_extracted_later(db: Database) -> None:
    a = article("a", ROE_1)
    assert store_article(db, a, None).statements == 0
    with db.engine.connect() as conn:
        assert conn.execute(select(articles.c.extractor_version)).scalar_one() is None
    assert store_article(db, a, [roe(ROE_1, "“No tax")]).status == "reprocessed"
    assert count(db, statements) == 1


def test_statements_keep_their_record_and_offsets(db: Database) -> None:
    a = article("a", ROE_1)
    st = roe(ROE_1, "“No tax", when=("2024-03-05", "day"))
    store_article(db, a, [st])
    row = read.quotes(db, read.Filters())[0]
    back = Statement.from_dict(row["record"])
    assert back.to_dict() == st.to_dict()
    assert ROE_1[back.content[0].start : back.content[0].end] == back.content[0].text
    assert row["said_on"] == date(2024, 3, 5)  # the statement's own date, not publication


# --- actors ------------------------------------------------------------------------------------------


def test_one_person_under_several_names_is_one_actor(db: Database) -> None:
    store_article(db, article("1", ROE_1, published="2023-05-01"), [roe(ROE_1, "“No tax")])
    store_article(db, article("2", ROE_3), [said(ROE_3, "“balanced", "Roe", role="finance minister")])
    store_article(
        db,
        article("3", ROE_2, published="2024-06-01"),
        [said(ROE_2, "“No tax", "Finance Minister Jane Roe", role="Prime Minister", country="Ruritania")],
    )
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(actors)).scalar_one() == 1
    (only,) = read.actor_list(db)
    assert only["name"] == "Jane Roe" and only["n_statements"] == 3
    detail = read.actor_detail(db, only["id"])
    assert detail is not None
    assert {n["name"] for n in detail["names"]} >= {"Jane Roe", "Roe"}
    # Roles over time, oldest first; the latest role is the actor's role.
    roles = [(r["role"], r["since"], r["until"], r["statements"]) for r in detail["roles"]]
    assert roles == [
        ("Finance Minister", date(2023, 5, 1), date(2024, 3, 8), 2),  # "finance minister" too
        ("Prime Minister", date(2024, 6, 1), date(2024, 6, 1), 1),
    ]
    assert only["role"] == "Prime Minister"


def test_namesakes_stay_apart(db: Database) -> None:
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")])
    store_article(db, article("2", JOHN), [said(JOHN, "“go on", "John Roe", role="union chief")])
    # A bare "Roe" goes to the Roe its role and country point at.
    text = "“We will not be bullied by the union,” Roe, Ruritania's finance minister, said."
    store_article(
        db, article("3", text), [said(text, "“We will", "Roe", role="finance minister", country="Ruritania")]
    )
    text2 = "“The port must pay what it owes to the dockers,” said Roe, the union chief."
    store_article(db, article("4", text2), [said(text2, "“The port", "Roe", role="union chief")])
    jane, john = read.speaker_ids(db, "Jane Roe"), read.speaker_ids(db, "John Roe")
    assert len(jane) == 1 and len(john) == 1 and jane != john
    by_actor = {r["actor_name"]: r for r in read.quotes(db, read.Filters(speaker="Roe"))}
    assert set(by_actor) == {"Jane Roe", "John Roe"}
    assert [r["content"][:8] for r in read.quotes(db, read.Filters(speaker="John Roe"))] == [
        "“The por",
        "“go on u",
    ]


def test_a_bare_surname_that_nothing_decides_is_not_guessed(db: Database) -> None:
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")])
    store_article(db, article("2", JOHN), [said(JOHN, "“go on", "John Roe")])
    text = "“Nobody asked us about any of this,” Roe said."
    store_article(db, article("3", text), [said(text, "“Nobody", "Roe")])
    names = sorted(r["name"] for r in read.actor_list(db))
    assert names == ["Jane Roe", "John Roe", "Roe"]


def test_other_countries_mean_other_people(db: Database) -> None:
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")])
    text = "“Our borders stay open to trade,” said Jane Roe, Valmont's trade envoy."
    store_article(db, article("2", text), [said(text, "“Our", "Jane Roe", country="Valmont")])
    assert len(read.speaker_ids(db, "Jane Roe")) == 2


def test_organisations_match_by_name_only(db: Database) -> None:
    t1 = "The Finance Ministry said the tax “would raise forty million crowns a year”."
    t2 = "“Forty million is a fair estimate of the revenue,” the Finance Ministry said."
    store_article(db, article("1", t1), [said(t1, "“would", "Finance Ministry")])
    store_article(db, article("2", t2), [said(t2, "“Forty", "finance ministry")])
    (org,) = read.actor_list(db)
    assert (org["kind"], org["n_statements"]) == ("org", 2)


def _roe_corpus(db: Database) -> None:
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")], extractor_version="0")
    t = "“The union will not be split by threats from anyone,” Roe said at the dock."
    store_article(db, article("2", t), [said(t, "“The union", "Roe")], extractor_version="0")


def test_split_moves_statements_and_survives_reextraction(db: Database) -> None:
    _roe_corpus(db)  # the bare "Roe" of article 2 joins Jane Roe: the only Roe known
    assert len(read.actor_list(db)) == 1
    with db.writer.begin() as conn:
        jane = actors_mod.find(conn, "Jane Roe")[0]
        art2 = conn.execute(select(articles.c.id).where(articles.c.label == "2")).scalar_one()
        key = conn.execute(select(articles.c.content_hash).where(articles.c.id == art2)).scalar_one()
        new_id, moved = actors_mod.split(
            conn, jane, names=[], article_keys=[f"sha256:{key}"], new_name="Ray Roe"
        )
    assert moved == 1
    assert [r["content"][:10] for r in read.quotes(db, read.Filters(speaker=f"#{new_id}"))] == ["“The union"]
    # Re-extraction (a newer extractor) rebuilds the statements: the correction holds.
    t = "“The union will not be split by threats from anyone,” Roe said at the dock."
    store_article(db, article("2", t), [said(t, "“The union", "Roe")], replace=True)
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")], replace=True)
    assert [r["actor_id"] for r in read.quotes(db, read.Filters(search="union"))] == [new_id]
    assert [r["actor_id"] for r in read.quotes(db, read.Filters(search="vote"))] == [jane]


def test_merge_joins_actors_and_survives_reextraction(db: Database) -> None:
    text = "“We need the tax to pay for the new bridge,” said J. R. Roe."
    store_article(db, article("1", ROE_1), [roe(ROE_1, "“No tax")], extractor_version="0")
    store_article(
        db,
        article("2", text),
        [said(text, "“We need", "Jenny Roe", country="Ruritania")],
        extractor_version="0",
    )
    assert len(read.actor_list(db)) == 2  # Jenny is not Jane, as far as names go
    with db.writer.begin() as conn:
        jane, jenny = actors_mod.find(conn, "Jane Roe")[0], actors_mod.find(conn, "Jenny Roe")[0]
        assert actors_mod.merge(conn, jane, [jenny]) == 1
    (only,) = read.actor_list(db)
    assert (only["id"], only["n_statements"]) == (jane, 2)
    store_article(db, article("2", text), [said(text, "“We need", "Jenny Roe")], replace=True)
    later = "“The bridge will be built by spring,” Jenny Roe said."
    store_article(db, article("3", later), [said(later, "“The bridge", "Jenny Roe")])
    (only,) = read.actor_list(db)
    assert (only["id"], only["n_statements"]) == (jane, 3)


# --- quote clusters ----------------------------------------------------------------------------------


def test_the_same_quote_in_several_outlets_is_one_cluster(db: Database) -> None:
    quote = "“No tax without a vote, and no vote without a debate in parliament,”"
    t_late = f"The minister repeated herself. {quote} Jane Roe said on Friday."
    t_early = f"{quote} Roe said."
    t_frag = "Roe insisted there would be “no vote without a debate in parliament” this year."
    store_article(db, article("late", t_late, outlet="Post", published="2024-03-08"), [roe(t_late, quote)])
    store_article(
        db,
        article("frag", t_frag, outlet="Herald", published="2024-03-07"),
        [roe(t_frag, "“no vote without a debate in parliament”")],
    )
    # Ingested last, published first: it becomes the first-seen statement.
    store_article(
        db,
        article("early", t_early.replace(",”", "”"), outlet="Courier", published="2024-03-05"),
        [roe(t_early.replace(",”", "”"), quote.replace(",”", "”"))],
    )
    # The same words from someone else are another cluster.
    t_other = f"{quote} Tom Ash said, mocking the minister."
    store_article(db, article("ash", t_other, published="2024-03-06"), [said(t_other, quote, "Tom Ash")])
    with db.engine.connect() as conn:
        rows = conn.execute(select(quote_clusters).order_by(quote_clusters.c.n_articles.desc())).all()
    assert [r.n_articles for r in rows] == [3, 1]
    top = read.cluster(db, rows[0].id)
    assert top is not None
    assert top["first_seen"] == date(2024, 3, 5)
    assert [a["label"] for a in top["articles"]] == ["early", "frag", "late"]
    assert top["content"].startswith("“No tax") and top["content"].endswith("parliament”")


def test_reextraction_leaves_no_stale_cluster(db: Database) -> None:
    quote = "“No tax without a vote, and no vote without a debate in parliament,”"
    t = f"{quote} Roe said."
    store_article(db, article("a", t), [roe(t, quote)], extractor_version="0")
    store_article(db, article("a", t), [], replace=True)  # the new extractor finds nothing
    assert count(db, quote_clusters) == 0


# --- queries and search ------------------------------------------------------------------------------


def _corpus(db: Database) -> None:
    t1 = "“Taxes on the border will ruin the farmers of the south,” Jane Roe said."
    t2 = "“The port will stay closed until the dockers are paid,” said Tom Ash."
    t3 = "“No border fence will be built while I am in office,” Jane Roe said."
    store_article(db, article("1", t1, outlet="Morning Post", published="2024-01-10"), [roe(t1, "“Taxes")])
    store_article(
        db, article("2", t2, outlet="Herald", published="2024-02-10"), [said(t2, "“The port", "Tom Ash")]
    )
    store_article(db, article("3", t3, outlet="Herald", published="2024-03-10"), [roe(t3, "“No border")])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tax", ["1"]),  # stemmed: "Taxes"
        ("border", ["3", "1"]),
        ('"border fence"', ["3"]),
        ("fence OR port", ["3", "2"]),
        ("border -farmers", ["3"]),
        ("BORDER farmers", ["1"]),
        ("nothing-like-this", []),
    ],
)
def test_full_text_search(db: Database, query: str, expected: list[str]) -> None:
    _corpus(db)
    assert [r["article_label"] for r in read.quotes(db, read.Filters(search=query))] == expected


@pytest.mark.parametrize(
    "query", ['tax" OR 1=1 --', "NEAR(", "*", "content:tax", "'; DROP TABLE statements; --", "-"]
)
def test_search_input_is_never_syntax(db: Database, query: str) -> None:
    _corpus(db)
    read.quotes(db, read.Filters(search=query))  # no error, whatever it finds
    assert count(db, statements) == 3


def test_filters_combine(db: Database) -> None:
    _corpus(db)

    def labels(**kw) -> list[str]:  # type: ignore[no-untyped-def]
        return [r["article_label"] for r in read.quotes(db, read.Filters(**kw))]

    assert labels() == ["3", "2", "1"]
    assert labels(speaker="Roe") == ["3", "1"]
    assert labels(speaker="Nobody Known") == []
    assert labels(since=date(2024, 2, 1)) == ["3", "2"]
    assert labels(until=date(2024, 2, 10)) == ["2", "1"]
    assert labels(outlet="herald") == ["3", "2"]
    assert labels(outlet="Herald", speaker="Jane Roe", search="border") == ["3"]
    assert read.count_quotes(db, read.Filters(outlet="Herald")) == 2
    assert [r["article_label"] for r in read.quotes(db, read.Filters(), limit=1, offset=1)] == ["2"]
    assert [a["label"] for a in read.article_list(db, read.ArticleFilters(search="dockers"))] == ["2"]


def test_fts5_queries_quote_every_word() -> None:
    assert fts5_query("border tax") == '"border" AND "tax"'
    assert fts5_query('"border tax" OR fence -wall') == '(("border tax" OR "fence")) NOT "wall"'
    assert fts5_query("-only") is None


# --- export ------------------------------------------------------------------------------------------


def test_export_in_three_formats(db: Database, tmp_path: Path) -> None:
    _corpus(db)
    buf = io.StringIO()
    assert write_jsonl(read.iter_statements(db, read.Filters(), chunk=2), buf) == 3
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    for rec in records:
        assert set(rec) >= CONTRACT | {"statement_id", "actor", "cluster_id", "source"}
        Statement.from_dict(rec)  # the extract record, intact
    assert {r["actor"]["name"] for r in records} == {"Jane Roe", "Tom Ash"}
    assert {r["source"]["outlet"] for r in records} == {"Morning Post", "Herald"}

    assert export(read.iter_statements(db, read.Filters()), "csv", tmp_path / "s.csv") == 3
    import csv

    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    assert list(rows[0]) == COLUMNS and len(rows) == 3

    import pyarrow.parquet as pq

    assert (
        export(read.iter_statements(db, read.Filters(speaker="Jane Roe")), "parquet", tmp_path / "s.pq") == 2
    )
    table = pq.read_table(tmp_path / "s.pq")
    assert table.num_rows == 2 and table.column_names == COLUMNS
    assert set(table.column("actor_name").to_pylist()) == {"Jane Roe"}
    assert content_hash("a  b\n") == content_hash("a b")


def test_common_words_are_searched_row_by_row_with_the_same_results(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saywho.store import search

    _corpus(db)
    queries = ["border", "fence OR port", "border -farmers", '"border fence"']
    fetched = [[r["id"] for r in read.quotes(db, read.Filters(search=q))] for q in queries]
    monkeypatch.setattr(search, "SQLITE_FETCH_MAX", 0)  # every word counts as common
    probed = [[r["id"] for r in read.quotes(db, read.Filters(search=q))] for q in queries]
    assert probed == fetched and all(fetched)
    assert [r["article_label"] for r in read.quotes(db, read.Filters(search="border", speaker="Roe"))] == [
        "3",
        "1",
    ]


def test_concurrent_writers_store_an_article_once(db: Database) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f"“Round {i} of talks will start on Monday,” said Jane Roe, the finance minister." for i in range(6)
    ]
    batch = [(article(f"a{i}", t), [roe(t, "“Round")]) for i, t in enumerate(texts)]
    with ThreadPoolExecutor(4) as pool:  # four writers, each storing every article
        results = list(pool.map(lambda _: store_batch(db, batch), range(4)))
    statuses = [s.status for run in results for s in run]
    assert statuses.count("new") == 6 and statuses.count("known") == 18
    assert count(db, articles) == 6 and count(db, statements) == 6
    assert [a["n_statements"] for a in read.actor_list(db)] == [6]


def test_a_bare_surname_goes_to_a_far_more_quoted_namesake(db: Database) -> None:
    for i in range(5):
        t = f"“We will balance budget number {i} this year,” Jane Roe said."
        store_article(db, article(f"j{i}", t), [roe(t, "“We will")])
    store_article(db, article("john", JOHN), [said(JOHN, "“go on", "John Roe")])
    t = "“Nobody asked us about any of this,” Roe said."
    store_article(db, article("bare", t), [said(t, "“Nobody", "Roe")])
    assert sorted((a["name"], a["n_statements"]) for a in read.actor_list(db)) == [
        ("Jane Roe", 6),
        ("John Roe", 1),
    ]


def test_a_quote_repeated_within_an_article_is_one_cluster(db: Database) -> None:
    quote = "“No tax without a vote, and no vote without a debate in parliament,”"
    t = f"{quote} Roe said. Later: {quote} she said. “Something else entirely today,” she added."
    second = t.index(quote, 1)
    found = [roe(t, quote), roe(t[second:], quote), roe(t, "“Something")]
    found[1].content = [type(found[0].content[0]).of(t, second, second + len(quote))]
    store_article(db, article("a", t), found)
    with db.engine.connect() as conn:
        rows = conn.execute(select(quote_clusters.c.n_statements, quote_clusters.c.n_articles)).all()
    assert sorted(tuple(r) for r in rows) == [(1, 1), (2, 1)]
