"""The corpus commands end to end: ingest, quotes, actors, actor, articles, export, merge, split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_support import article, said
from saywho.cli import app
from saywho.store import open_db
from saywho.store.write import store_article
from support import CONTRACT, QuoteFinder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_examples_ingested_and_queried(runner: CliRunner, db_url: str) -> None:
    code, out, err = run(runner, "ingest", str(EXAMPLES), "--db", db_url, "--published", "2024-03-08")
    assert code == 0, err
    assert out.startswith("3 articles: 3 new, 0 already known")
    code, out, _ = run(runner, "ingest", str(EXAMPLES), "--db", db_url)
    assert out.startswith("3 articles: 0 new, 3 already known") and "0 statements" in out

    code, out, _ = run(runner, "quotes", "--speaker", "Roe", "-f", "jsonl", "--db", db_url)
    records = jsonl(out)
    assert records and all(set(r) >= CONTRACT for r in records)
    assert {r["speaker"]["name"] for r in records} == {"Jane Roe"}
    assert {r["actor"]["name"] for r in records} == {"Jane Roe"}
    assert all(r["article"].endswith("ruritania-border-tax.txt") for r in records)
    text = (EXAMPLES / "ruritania-border-tax.txt").read_text(encoding="utf-8")
    for r in records:
        for span in r["content"]:
            assert text[span["start"] : span["end"]] == span["text"]  # offsets into the stored text

    code, out, _ = run(runner, "quotes", "--search", "microplastics OR strike", "-f", "jsonl", "--db", db_url)
    assert {Path(r["article"]).name for r in jsonl(out)} == {
        "lenna-river-study.txt",
        "valmont-dock-strike.txt",
    }

    code, out, _ = run(runner, "actor", "Jane Roe", "--db", db_url)
    assert code == 0 and "roles over time" in out and "latest statements" in out
    (roe,) = jsonl(run(runner, "actor", "Jane Roe", "-f", "jsonl", "--db", db_url)[1])
    assert [(r["role"], r["country"]) for r in roe["roles"]] == [("Finance Minister", "Ruritania")]
    assert len(roe["latest"]) == roe["n_statements"] and set(roe["latest"][0]) >= CONTRACT

    code, out, _ = run(runner, "actors", "-f", "jsonl", "--db", db_url)
    names = [a["name"] for a in jsonl(out)]
    assert "Jane Roe" in names and "Amira Haddad" in names and len(names) == len(set(names))

    code, out, _ = run(runner, "articles", "-f", "jsonl", "--db", db_url)
    arts = jsonl(out)
    assert {Path(a["path"]).name: a["text"] for a in arts} == {
        p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.txt")
    }
    assert all(a["published"] == "2024-03-08" for a in arts)

    code, out, _ = run(runner, "export", "-f", "csv", "--db", db_url)
    assert code == 0 and out.splitlines()[0].startswith("statement_id,article,kind,content")


def test_saywho_db_names_the_database(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAYWHO_DB", str(tmp_path / "env.db"))
    Path("a.txt").write_text("“Good morning,” she said.", encoding="utf-8")
    code, out, _ = run(runner, "ingest", "a.txt")
    assert code == 0 and (tmp_path / "env.db").exists() and not (tmp_path / "saywho.db").exists()
    code, out, _ = run(runner, "quotes", "-f", "jsonl")
    assert [r["content"][0]["text"] for r in jsonl(out)] == ["“Good morning,”"]


def test_store_first_extract_later_and_reprocess_older_versions(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("“One,” she said. “Two,” he said.", encoding="utf-8")
    Path("b.txt").write_text("“Three,” they said.", encoding="utf-8")
    code, out, _ = run(runner, "ingest", "--no-extract", "a.txt", "b.txt", "--db", "r.db")
    assert "2 new" in out and "0 statements" in out and quote_finder.calls == 0
    code, out, _ = run(runner, "ingest", "--reprocess", "--db", "r.db")
    assert code == 0 and "2 re-extracted" in out and "3 statements" in out
    # An article from an older extractor is left alone, unless --reprocess names it (or all).
    db = open_db("r.db")
    text = "“Four,” we said."
    store_article(db, article("c.txt", text), [], extractor_version="0")
    db.dispose()
    Path("c.txt").write_text(text, encoding="utf-8")
    code, out, _ = run(runner, "ingest", "c.txt", "--db", "r.db")
    assert "1 already known, 0 re-extracted" in out
    code, out, _ = run(runner, "ingest", "--reprocess", "a.txt", "c.txt", "--db", "r.db")
    assert "0 new, 1 already known, 1 re-extracted" in out and "1 statements" in out


def _two_roes(db_url: str) -> None:
    db = open_db(db_url)
    t1 = "“No tax without a vote,” Jane Roe said in parliament."
    t2 = "“Bridges before taxes,” said Jenny Roe at the opening."
    store_article(db, article("1", t1), [said(t1, "“No tax", "Jane Roe", country="Ruritania")])
    store_article(db, article("2", t2), [said(t2, "“Bridges", "Jenny Roe", country="Ruritania")])
    db.dispose()


def test_merge_and_split_commands(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    _two_roes(db)
    code, _, err = run(runner, "merge", "Roe", "Jenny Roe", "--db", db)
    assert code == 2 and "names 2 actors" in err  # ambiguous: give an id
    code, _, err = run(runner, "merge", "Nobody", "Jenny Roe", "--db", db)
    assert code == 1 and "no actor named 'Nobody'" in err
    code, out, _ = run(runner, "merge", "Jane Roe", "Jenny Roe", "--db", db)
    assert code == 0 and "1 statements moved" in out
    code, out, _ = run(runner, "actors", "-f", "jsonl", "--db", db)
    assert [(a["name"], a["n_statements"]) for a in jsonl(out)] == [("Jane Roe", 2)]
    code, out, _ = run(runner, "split", "Jane Roe", "--alias", "Jenny Roe", "--db", db)
    assert code == 0 and "1 statements moved" in out
    code, out, _ = run(runner, "actors", "-f", "jsonl", "--db", db)
    assert sorted((a["name"], a["n_statements"]) for a in jsonl(out)) == [("Jane Roe", 1), ("Jenny Roe", 1)]
    code, _, err = run(runner, "split", "Jane Roe", "--db", db)
    assert code == 2


def test_exit_codes(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("“Hello,” she said.", encoding="utf-8")
    monkeypatch.setenv("SAYWHO_MODEL", "no_such_spacy_pipeline")
    code, _, err = run(runner, "ingest", "a.txt", "--db", "x.db")
    assert code == 3 and "no_such_spacy_pipeline" in err
    code, _, err = run(runner, "quotes", "--db", "missing.db")
    assert code == 4 and "no such database" in err and not Path("missing.db").exists()
    code, _, err = run(runner, "quotes", "--db", "mysql://localhost/x")
    assert code == 4 and "unsupported database URL" in err
    code, _, err = run(runner, "quotes", "--since", "March", "--db", "x.db")
    assert code == 2
    code, _, err = run(runner, "actor", "Nobody", "--db", "x.db")
    assert code == 1 and "no actor named" in err
    help_text = " ".join(run(runner, "ingest", "--help")[1].split())
    for words in (
        "0 all sources stored",
        "1 one or more sources failed",
        "2 usage error",
        "3 no spaCy",
        "4 the",
    ):
        assert words in help_text


def test_export_to_files(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    _two_roes(db)
    code, _, err = run(runner, "export", "-f", "parquet", "--out", str(tmp_path / "s.parquet"), "--db", db)
    assert code == 0 and "2 statements written" in err
    import pyarrow.parquet as pq

    assert sorted(pq.read_table(tmp_path / "s.parquet").column("speaker_name").to_pylist()) == [
        "Jane Roe",
        "Jenny Roe",
    ]
    code, _, _ = run(runner, "export", "--speaker", "Jenny", "--out", str(tmp_path / "s.jsonl"), "--db", db)
    assert code == 0 and (tmp_path / "s.jsonl").read_text(encoding="utf-8") == ""  # a given name alone
    run(runner, "export", "--speaker", "Jenny Roe", "--out", str(tmp_path / "s.jsonl"), "--db", db)
    (rec,) = jsonl((tmp_path / "s.jsonl").read_text(encoding="utf-8"))
    assert rec["actor"]["name"] == "Jenny Roe" and rec["source"]["published"] == "2024-03-08"
