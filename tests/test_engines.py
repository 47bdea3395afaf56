"""Extraction engines: one code path (extract_rows) in this process, in local worker processes and on Ray.

The corpus is written here: short invented articles, an empty file and a binary one. The Ray tests start
a local Ray instance of 2 CPUs once for the module; without Ray installed they are skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from saywho.cli import app
from saywho.engines import Worker, extract_rows
from saywho.engines.dataset import read_rows
from saywho.engines.local import LocalEngine
from saywho.records import Statement
from saywho.store import open_db
from saywho.store.schema import actors, articles, failures, statements
from support import QuoteFinder

SPEAKERS = [
    ("Finance Minister Jane Roe", "Roe", "she"),
    ("union leader Tom Ash", "Ash", "he"),
    ("Mayor Marta Koss", "Koss", "she"),
    ("the port director, Piotr Vance", "Vance", "he"),
]


def _article(i: int) -> str:
    full, surname, pronoun = SPEAKERS[i % len(SPEAKERS)]
    other = SPEAKERS[(i + 1) % len(SPEAKERS)][0]
    return (
        f"Harbour talks, day {i}\n\n"
        f"{full[0].upper() + full[1:]} said on Tuesday that the dredging plan number {i} would cost "
        f"{i + 3} million crowns more than the council had been told.\n\n"
        f"“We will not sign until the accounts are open,” {surname} told reporters after the meeting, "
        f"adding that {pronoun} had asked for them twice.\n\n"
        f"{other[0].upper() + other[1:]} rejected the claim, the Harbour Times reported. "
        f"“The figures have been public since May,” {other.split()[-1]} said.\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engines") / "news"
    folder.mkdir()
    for i in range(10):
        (folder / f"{i:02d}.txt").write_text(_article(i), encoding="utf-8")
    (folder / "blank.txt").write_text("  \n", encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF\x00\x01\x02 not text")
    return folder


def ingest(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["ingest", "--published", "2024-03-08", *args])
    return result.exit_code, result.stdout, result.stderr


def snapshot(db: str) -> dict[str, Any]:
    """Everything stored, independent of row ids: per article its statements (every column and the JSON
    record, with the actor's name and the first article of its quote cluster), and the failures."""
    database = open_db(db)
    with database.engine.connect() as conn:
        ids = dict(conn.execute(select(articles.c.id, articles.c.label)).all())
        names = dict(conn.execute(select(actors.c.id, actors.c.name)).all())
        found: dict[str, list[tuple]] = {label: [] for label in ids.values()}
        for r in conn.execute(select(statements).order_by(statements.c.article_id, statements.c.seq)):
            row = r._asdict()
            found[ids[row.pop("article_id")]].append(
                (
                    row["seq"],
                    row["kind"],
                    row["content"],
                    row["cue"],
                    row["speaker_text"],
                    row["speaker_name"],
                    row["speaker_role"],
                    row["addressee"],
                    row["date_value"],
                    str(row["said_on"]),
                    row["confidence"],
                    json.loads(row["record"]) if isinstance(row["record"], str) else row["record"],
                    names.get(row["actor_id"]),
                )
            )
        rows = conn.execute(select(failures.c.source, failures.c.reason))
        failed = sorted((Path(r.source).name, r.reason) for r in rows)
    database.dispose()
    return {"statements": found, "failures": failed}


# --- the shared function, in this process ------------------------------------------------------------


def test_extract_rows_keeps_order_and_a_failing_article_costs_only_itself() -> None:
    rows = [
        {"key": 7, "id": "a", "text": "“One,” she said.", "published": None},
        {"key": 3, "id": "b", "text": "“EXPLODE,” he said.", "published": "2024-03-08"},
        {"key": 9, "id": "c", "text": "“Two,” and “three,” they said.", "published": None},
    ]
    out = extract_rows(QuoteFinder(), rows)
    assert [r["key"] for r in out] == [7, 3, 9]
    assert out[1]["statements"] is None and out[1]["error"] == "extraction failed: RuntimeError: rule crashed"
    first = [Statement.from_dict(d) for d in json.loads(out[0]["statements"])]
    assert [st.content_text for st in first] == ["“One,”"] and first[0].article == "a"
    third = [Statement.from_dict(d) for d in json.loads(out[2]["statements"])]
    assert [st.content_text for st in third] == ["“Two,”", "“three,”"]


def test_a_worker_without_a_pipeline_answers_fatal_rows() -> None:
    worker = Worker(model="no_such_spacy_pipeline")
    (row,) = worker([{"key": 1, "id": "a", "text": "“Hi,” she said.", "published": None}])
    assert row["fatal"] and "no_such_spacy_pipeline" in row["error"] and row["statements"] is None
    assert row["peak_rss_mb"] > 0 and ":" in row["worker"]


def test_a_worker_loads_the_profile_it_is_given() -> None:
    from saywho.extraction.finders import LearnedFinder, RuleFinder

    fast, accurate = Worker(profile="fast"), Worker(profile="accurate")
    assert isinstance(fast.extractor.inner.finder, RuleFinder)  # type: ignore[union-attr]
    assert isinstance(accurate.extractor.inner.finder, LearnedFinder)  # type: ignore[union-attr]
    row = {"key": 1, "id": "a", "text": "“We will not pay,” the minister said on Monday.", "published": None}
    (one,) = fast([row])
    (two,) = accurate([row])
    assert one["n"] == two["n"] == 1 and not one["error"] and not two["error"]


def test_ingest_workers_extract_with_the_profile_given(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    dbs = {}
    for profile in ("fast", "accurate"):
        for workers in ("0", "1"):
            db = str(tmp_path / f"{profile}-{workers}.db")
            code, out, err = ingest(
                runner, str(corpus), "--db", db, "--workers", workers, "--profile", profile
            )
            assert code == 1 and "10 new" in out, err
            dbs[profile, workers] = snapshot(db)
    assert dbs["fast", "0"] == dbs["fast", "1"]
    assert dbs["accurate", "0"] == dbs["accurate", "1"]
    assert dbs["fast", "0"] != dbs["accurate", "0"]  # the two finders differ on this corpus


def test_local_engine_in_process_keeps_input_order() -> None:
    engine = LocalEngine(0, extractor=QuoteFinder)
    batches = [
        [{"key": k, "id": str(k), "text": f"“Q{k},” she said.", "published": None} for k in range(i, i + 3)]
        for i in (0, 3, 6)
    ]
    keys = [r["key"] for out in engine.map(iter(batches)) for r in out]
    assert keys == list(range(9))
    assert list(LocalEngine(0, extractor=QuoteFinder).map(iter([]))) == []  # nothing read: no extractor


# --- worker processes --------------------------------------------------------------------------------


def test_worker_processes_store_what_in_process_extraction_stores(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    here, pooled = str(tmp_path / "here.db"), str(tmp_path / "pooled.db")
    code, out, err = ingest(runner, str(corpus), "--db", here, "--workers", "0")
    assert code == 1 and out.startswith("12 articles: 10 new, 0 already known, 0 re-extracted, 2 failed")
    code, out2, err2 = ingest(runner, str(corpus), "--db", pooled, "--workers", "2", "--batch-size", "3")
    assert code == 1 and out2.split(";")[0] == out.split(";")[0], err2
    assert err2 == err  # the same failures, each on one line
    a, b = snapshot(here), snapshot(pooled)
    assert sum(len(v) for v in a["statements"].values()) >= 20  # the rules found something to compare
    assert a == b
    assert [name for name, _ in a["failures"]] == ["blank.txt", "scan.txt"]


def test_a_dying_worker_process_costs_only_the_article_that_killed_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import engine_support
    from saywho.engines import local

    monkeypatch.setattr(local, "_start", engine_support.no_start)
    monkeypatch.setattr(local, "_run", engine_support.die_on_marker)
    batches = [
        [{"key": k, "id": str(k), "text": "DIE" if k == 5 else "fine", "published": None} for k in (i, i + 1)]
        for i in range(0, 12, 2)
    ]
    out = [r for batch in LocalEngine(2).map(iter(batches)) for r in batch]
    assert [r["key"] for r in out] == list(range(12))  # every article once, in order
    assert [r["key"] for r in out if r["error"]] == [5]
    assert out[5]["error"] == "worker process died (killed, or out of memory) on this article"


def test_a_worker_process_without_a_pipeline_exits_3(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAYWHO_MODEL", "no_such_spacy_pipeline")
    code, _, err = ingest(runner, str(corpus / "00.txt"), "--db", str(tmp_path / "m.db"), "--workers", "1")
    assert code == 3 and "no_such_spacy_pipeline" in err and len(err.strip().splitlines()) == 1


def test_engine_options_are_checked(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "o.db")
    assert ingest(runner, str(corpus), "--db", db, "--address", "auto")[0] == 2  # --address needs ray
    assert ingest(runner, str(corpus), "--db", db, "--engine", "ray", "--workers", "0")[0] == 2
    assert ingest(runner, str(corpus), "--db", db, "--engine", "spark")[0] == 2
    assert ingest(runner, "--reprocess", "--out", str(tmp_path / "ds"))[0] == 2
    assert not (tmp_path / "o.db").exists()


def test_without_ray_the_ray_engine_exits_5_in_one_line(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as where it is not installed
    code, out, err = ingest(runner, str(corpus), "--db", str(tmp_path / "n.db"), "--engine", "ray")
    assert code == 5 and out == ""
    needs = "saywho: --engine ray needs Ray: pip install 'saywho[ray]' (or pip install 'ray[data]')"
    assert err.strip() == needs
    assert not (tmp_path / "n.db").exists()  # nothing was started
    help_text = " ".join(runner.invoke(app, ["ingest", "--help"]).stdout.split())
    assert "5 --engine ray: Ray is not installed" in help_text


def test_dataset_out_then_load_equals_a_direct_ingest(
    runner: CliRunner, corpus: Path, tmp_path: Path, quote_finder: QuoteFinder
) -> None:
    direct, later, ds = str(tmp_path / "direct.db"), str(tmp_path / "later.db"), tmp_path / "ds"
    assert ingest(runner, str(corpus), "--db", direct)[0] == 1
    code, out, _ = ingest(runner, str(corpus), "--out", str(ds))
    assert code == 1 and "10 new" in out and f"written to {ds}" in out
    rows = list(read_rows(ds))
    assert len(rows) == 12 and sum(r["error"] is not None for r in rows) == 2
    assert all(r["extractor_version"] == "1" and r["text"] for r in rows if r["error"] is None)
    assert runner.invoke(app, ["load", str(ds), "--db", later]).exit_code == 1  # two failed sources in it
    assert snapshot(later) == snapshot(direct)
    result = runner.invoke(app, ["load", str(ds), "--db", later])
    assert result.stdout.startswith("12 rows: 0 new articles, 10 already known, 2 failures recorded")
    assert snapshot(later)["statements"] == snapshot(direct)["statements"]  # nothing stored twice
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 not really")
    assert runner.invoke(app, ["load", str(tmp_path / "junk.parquet"), "--db", later]).exit_code == 2


# --- Ray -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    from saywho.engines.ray_engine import _quiet, _stderr_muted, local_instance

    _quiet()
    with _stderr_muted():
        ray.init(**local_instance(2))
    yield
    ray.shutdown()


def test_ray_and_local_engines_store_the_same_statements(
    runner: CliRunner, corpus: Path, tmp_path: Path, ray_cluster: None, db_url: str
) -> None:
    local = str(tmp_path / "local.db")
    code, out, err = ingest(runner, str(corpus), "--db", local, "--engine", "local", "--workers", "2")
    assert code == 1, err
    code, out_ray, err_ray = ingest(runner, str(corpus), "--db", db_url, "--engine", "ray", "--workers", "2")
    assert code == 1, err_ray
    assert (
        out_ray.split(";")[0]
        == out.split(";")[0]
        == ("12 articles: 10 new, 0 already known, 0 re-extracted, 2 failed")
    )
    assert err_ray == err  # the two failures, on one line each, and nothing from Ray
    assert snapshot(db_url) == snapshot(local)  # record for record, actors and failures included

    code, again, _ = ingest(runner, str(corpus), "--db", db_url, "--engine", "ray", "--workers", "2")
    assert again.startswith("12 articles: 0 new, 10 already known, 0 re-extracted, 2 failed; 0 statements")
    assert snapshot(db_url)["statements"] == snapshot(local)["statements"]


def test_ray_engine_writes_a_dataset(
    runner: CliRunner, corpus: Path, tmp_path: Path, ray_cluster: None
) -> None:
    ds, db, local = tmp_path / "ds", str(tmp_path / "l.db"), str(tmp_path / "local.db")
    code, out, err = ingest(
        runner, str(corpus), "--out", str(ds), "--engine", "ray", "--workers", "2", "--batch-size", "2"
    )
    assert code == 1 and "10 new" in out, err
    rows = [r for r in read_rows(ds) if r["error"] is None]
    assert len(rows) == 10 and all(r["worker"] for r in rows)  # host:pid of the actor that extracted it
    assert runner.invoke(app, ["load", str(ds), "--db", db]).exit_code == 1
    assert ingest(runner, str(corpus), "--db", local, "--workers", "2")[0] == 1
    assert snapshot(db) == snapshot(local)


def test_ray_errors_fail_the_articles_left_and_other_errors_stop_the_run(
    ray_cluster: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray.exceptions

    from saywho.engines import EngineError, ray_engine

    rows = [{"key": k, "id": str(k), "text": "t", "published": None} for k in range(4)]
    done = {"key": 0, "statements": "[]", "error": None, "fatal": False}

    def lost(*_: object) -> Iterator[list[dict]]:
        yield [done]
        raise ray.exceptions.RayError("the node running the actor was lost")

    monkeypatch.setattr(ray_engine, "_results", lost)
    out = [r for batch in ray_engine.RayEngine(workers=2).map(iter([rows[:2], rows[2:]])) for r in batch]
    assert out[0] == done
    assert [(r["key"], r["error"]) for r in out[1:]] == [
        (k, "ray: the node running the actor was lost") for k in (1, 2, 3)
    ]

    def broken(*_: object) -> Iterator[list[dict]]:
        raise AttributeError("'Worker' object has no attribute 'core_worker'")
        yield []

    monkeypatch.setattr(ray_engine, "_results", broken)
    with pytest.raises(EngineError, match="Ray Data failed: AttributeError"):
        list(ray_engine.RayEngine(workers=2).map(iter([rows])))


@pytest.mark.parametrize(
    ("n", "batch", "workers"), [(300, 16, 2), (300, 16, 1), (4096, 16, 4), (3, 16, 2), (1, 8, 3)]
)
def test_ray_blocks_are_full_batches_then_shrinking_ones(n: int, batch: int, workers: int) -> None:
    from saywho.engines import block_sizes

    sizes = block_sizes(n, batch, workers)
    assert sum(sizes) == n and all(1 <= s <= batch for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never a larger block after a smaller one
    assert len(sizes) >= min(n, workers)  # every actor gets work
    left = n
    for s in sizes:  # a block is at most a 1/(2 × workers) share of what is left, once batches are too large
        assert s <= max(1, -(-left // (2 * workers)))
        left -= s
    assert sizes[-1] == 1
    assert block_sizes(0, batch, workers) == []


def test_balanced_passes_batches_through_and_splits_only_the_last_ones() -> None:
    from saywho.engines import balanced, block_sizes

    rows = [{"key": k} for k in range(100)]
    batches = [rows[i : i + 16] for i in range(0, 100, 16)]  # six of 16, one of 4
    out = list(balanced(iter(batches), workers=2))
    assert [r for b in out for r in b] == rows  # every row once, in order
    assert out[:3] == batches[:3]  # all but the last 2 × 2 batches go as they came
    assert [len(b) for b in out[3:]] == block_sizes(100 - 48, 16, 2)
    assert list(balanced(iter([]), workers=2)) == []
    assert list(balanced(iter([rows[:3]]), workers=4)) == [[r] for r in rows[:3]]
