"""The corpus benchmark runs end to end on a small scale (its timings are not asserted: see bench/)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "bench_store.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_query_bench_on_a_small_synthetic_database(tmp_path: Path) -> None:
    bench = load_bench()
    args = argparse.Namespace(statements=2000, queries=5, db=None, tmp=str(tmp_path), reuse=False)
    result = bench.bench_query(args)
    assert result["statements"] == 2000 and result["engine"] == "sqlite"
    assert set(result["queries"]) == {"speaker", "date range", "full text", "speaker + full text"}
    for kind in ("speaker", "date range", "full text"):
        figures = result["queries"][kind]
        assert figures["n"] == 5 and figures["mean_rows"] > 0  # the queries find what was generated
        assert figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]


def test_ingest_bench_on_the_examples() -> None:
    bench = load_bench()
    args = argparse.Namespace(dir=str(ROOT / "examples"), limit=None, model=None, db=None)
    result = bench.bench_ingest(args)
    assert result["articles"] == 3
    store_only, extracted = result["runs"]["store only (--no-extract)"], result["runs"]["extract + store"]
    assert store_only["statements"] == 0 and extracted["statements"] > 0
    assert extracted["db_mb_per_1000_articles"] > 0
