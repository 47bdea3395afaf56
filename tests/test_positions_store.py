"""Topics and stances in the corpus database, on SQLite and PostgreSQL: a topic applies to the
statements stored before it and after it, re-running adds nothing, a re-extracted article is read
again, and ``saywho positions --db`` gives every position of the project's own articles right."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from corpus_support import article, said
from saywho.cli import app
from saywho.positions import store as pstore
from saywho.positions.relevance import RelevanceModel
from saywho.positions.topics import make_topic
from saywho.store import Database, open_db
from saywho.store.schema import articles, stances, statements, topic_articles, topics
from saywho.store.write import store_article
from test_positions_cli import DATA, check_positions, jsonl

TAX = make_topic("A new border tax should be introduced", ["border tax"], "border-tax")
ROE = "Finance Minister Jane Roe rejected the border tax on Tuesday. The weather was mild."
KOSS = "“A border tax would save our farms,” said Marta Koss."
TRADERS = "The Traders' Association distanced themselves from Koss's statement."
ASH = "Tom Ash did not rule out a border tax, the Herald reported."


def read(db: Database) -> list[pstore.Progress]:
    return pstore.bring_up_to_date(db, relevance=RelevanceModel(use_embeddings=False), use_model=False)


def rows(db: Database) -> list:  # type: ignore[type-arg]
    with db.engine.connect() as conn:
        return list(
            conn.execute(
                select(stances, statements.c.speaker_name, articles.c.text)
                .join(statements, statements.c.id == stances.c.statement_id)
                .join(articles, articles.c.id == statements.c.article_id)
                .order_by(stances.c.statement_id)
            )
        )


def store_roe_and_koss(db: Database) -> None:
    store_article(
        db,
        article("roe", ROE, published="2024-03-05"),
        [
            said(ROE, "rejected the border tax", "Jane Roe", article="roe", kind="other"),
            said(ROE, "The weather was mild.", "Jane Roe", article="roe"),
        ],
    )
    store_article(db, article("koss", KOSS, published="2024-03-04"), [said(KOSS, "“A border", "Marta Koss")])


def test_a_new_topic_reads_every_stored_statement_once(db: Database) -> None:
    store_roe_and_koss(db)
    pstore.add_topic(db, TAX)
    (p,) = read(db)
    assert (p.articles, p.statements, p.about) == (2, 3, 2)  # the weather is about nothing
    got = {r.speaker_name: r for r in rows(db)}
    assert got["Jane Roe"].label == "oppose" and got["Marta Koss"].label == "support"
    for r in got.values():
        assert r.text[r.evidence_start : r.evidence_end] == r.evidence  # offsets into the article
        assert r.method == "rule" and r.keyword == "border tax" and r.model is None
    # nothing is due any more: running again reads nothing and stores nothing twice
    (again,) = read(db)
    assert again.articles == 0 and len(rows(db)) == 2


def test_statements_stored_after_a_topic_are_read_for_it(db: Database) -> None:
    pstore.add_topic(db, TAX)
    assert read(db)[0].articles == 0
    store_roe_and_koss(db)
    store_article(db, article("ash", ASH), [said(ASH, "Tom Ash did not rule out a border tax", "Tom Ash")])
    (p,) = read(db)
    assert p.articles == 3
    assert {r.speaker_name: r.label for r in rows(db)} == {
        "Jane Roe": "oppose",
        "Marta Koss": "support",
        "Tom Ash": "open",
    }


def test_a_reextracted_article_is_read_again_without_duplicates(db: Database) -> None:
    store_roe_and_koss(db)
    pstore.add_topic(db, TAX)
    read(db)
    before = {r.speaker_name for r in rows(db)}
    store_article(
        db,
        article("koss", KOSS, published="2024-03-04"),
        [said(KOSS, "“A border", "Marta Koss"), said(KOSS, "said Marta Koss", "Marta Koss")],
        extractor_version="test-2",
        replace=True,
    )
    (p,) = read(db)
    assert p.articles == 1  # only the re-extracted one
    after = rows(db)
    assert {r.speaker_name for r in after} == before
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(topic_articles)).scalar_one() == 2
        ids = set(conn.execute(select(statements.c.id)).scalars())
    assert {r.statement_id for r in after} <= ids


def test_concurrent_readers_store_each_stance_once(db: Database) -> None:
    from concurrent.futures import ThreadPoolExecutor

    for i in range(12):
        text = f"Finance Minister Jane Roe rejected the border tax in round {i} of the talks."
        store_article(db, article(f"r{i}", text), [said(text, "rejected the border tax", "Jane Roe")])
    pstore.add_topic(db, TAX)
    with ThreadPoolExecutor(4) as pool:  # four ingests bringing the topic up to date at once
        done = list(pool.map(lambda _: read(db), range(4)))
    assert sum(p.articles for (p,) in done) >= 12  # every article read, some by more than one
    got = rows(db)
    assert len(got) == 12 and {r.label for r in got} == {"oppose"}
    assert read(db)[0].articles == 0


def test_positions_from_the_database_resolve_distancing_and_dates(db: Database) -> None:
    store_roe_and_koss(db)
    store_article(
        db,
        article("traders", TRADERS, published="2024-03-06"),
        [said(TRADERS, "distanced themselves from Koss's statement", "Traders' Association", kind="other")],
    )
    st = pstore.add_topic(db, TAX)
    read(db)
    by_actor = {p.actor: p for p in pstore.positions(db, st)}
    assert by_actor["Traders' Association"].stance == "oppose"  # the opposite of Koss's support
    assert by_actor["Marta Koss"].stance == "support" and by_actor["Jane Roe"].stance == "oppose"
    # the resolved label is stored for readers of the table (the web app)
    assert {r.speaker_name: r.label for r in rows(db)}["Traders' Association"] == "oppose"
    later = {p.actor for p in pstore.positions(db, st, since="2024-03-05")}
    assert later == {"Jane Roe", "Traders' Association"}
    assert [p.actor for p in pstore.positions(db, st, until="2024-03-04")] == ["Marta Koss"]


def test_the_columns_the_web_app_reads_and_the_labels_allowed(db: Database) -> None:
    insp = inspect(db.engine)
    assert {"id", "name", "proposition"} <= {c["name"] for c in insp.get_columns("topics")}
    cols = {c["name"]: c for c in insp.get_columns("stances")}
    assert {"statement_id", "topic_id", "label", "confidence"} <= set(cols)
    assert insp.get_pk_constraint("stances")["constrained_columns"] == ["statement_id", "topic_id"]
    store_roe_and_koss(db)
    st = pstore.add_topic(db, TAX)
    with pytest.raises(pstore.TopicExists):
        pstore.add_topic(db, TAX)
    with db.engine.connect() as conn:
        sid = conn.execute(select(statements.c.id).limit(1)).scalar_one()
        assert conn.execute(select(topics.c.name)).scalars().all() == ["border-tax"]
    with db.engine.begin() as conn:  # what the web app's tests write: the minimal columns alone
        tid = conn.execute(
            insert(topics).values(name="t2", proposition="X should pass").returning(topics.c.id)
        )
        conn.execute(
            insert(stances).values(statement_id=sid, topic_id=tid.scalar_one(), label="open", confidence=1)
        )
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            insert(stances).values(statement_id=sid, topic_id=st.id, label="maybe", confidence=1, method="x")
        )


# --- the commands, end to end on the articles written for saywho ---------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("topic_first", [False, True])
def test_ingest_topic_and_positions_every_position_right(
    runner: CliRunner, db_url: str, topic_first: bool
) -> None:
    add = ["topic", "add", TAX.proposition, "--keywords", "border tax", "--name", "border-tax"]
    ingest = ["ingest", str(DATA / "articles.jsonl")]
    for args in [add, ingest] if topic_first else [ingest, add]:
        r = runner.invoke(app, [*args, "--db", db_url])
        assert r.exit_code == 0, r.output
    # again: nothing new, nothing twice
    assert runner.invoke(app, [*ingest, "--db", db_url]).exit_code == 0
    assert runner.invoke(app, [*add, "--db", db_url]).exit_code == 2
    r = runner.invoke(app, ["positions", "border-tax", "--db", db_url, "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    check_positions(r.stdout)
    r = runner.invoke(
        app, ["positions", "border-tax", "--db", db_url, "-f", "jsonl", "--since", "2024-03-10"]
    )
    assert {p["actor"] for p in jsonl(r.stdout)} == {"Jane Roe", "Liberal Party", "Tom Ash"}
    r = runner.invoke(app, ["topic", "list", "--db", db_url])
    assert r.stdout.startswith("border-tax\tA new border tax should be introduced")
    database = open_db(db_url)
    try:
        assert all(p.articles == 0 for p in pstore.bring_up_to_date(database))  # nothing left due
    finally:
        database.dispose()
    # removed: the topic and its stances go, the statements stay; added again, it reads them all again
    r = runner.invoke(app, ["topic", "remove", "border-tax", "--db", db_url])
    assert r.exit_code == 0 and r.stdout.startswith("removed border-tax"), r.output
    assert runner.invoke(app, ["topic", "list", "--db", db_url]).stdout == ""
    assert runner.invoke(app, ["topic", "remove", "border-tax", "--db", db_url]).exit_code == 2
    assert runner.invoke(app, ["positions", "border-tax", "--db", db_url]).exit_code == 2
    database = open_db(db_url)
    try:
        with database.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(stances)).scalar_one() == 0
            assert conn.execute(select(func.count()).select_from(statements)).scalar_one() > 0
    finally:
        database.dispose()
    assert runner.invoke(app, [*add, "--db", db_url]).exit_code == 0
    r = runner.invoke(app, ["positions", "border-tax", "--db", db_url, "-f", "jsonl"])
    check_positions(r.stdout)


def test_topics_from_a_file_into_the_database(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "topics.yaml"
    f.write_text(
        "topic:\n  - name: border-tax\n    proposition: A new border tax should be introduced\n"
        "    keywords: [levy on imports]\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    r = runner.invoke(app, ["topic", "import", str(f), "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["topic", "import", str(f), "--db", db])
    assert r.exit_code == 0 and "kept border-tax" in r.stdout
    r = runner.invoke(app, ["topic", "list", "--db", db])
    assert r.stdout.splitlines() == ["border-tax\tA new border tax should be introduced  [levy on imports]"]
    r = runner.invoke(app, ["positions", "no-such-topic", "--db", db])
    assert r.exit_code == 2 and "saywho topic add" in r.stderr
