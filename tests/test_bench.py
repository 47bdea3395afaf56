"""The benchmark script runs and reports its figures (its timings are not asserted: see bench/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "bench" / "bench_extract.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_reports_throughput_ratio_and_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load_bench()
    out = tmp_path / "bench.json"
    assert bench.main([str(ROOT / "examples"), "--repeat", "2", "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    texts = sorted((ROOT / "examples").glob("*.txt"))
    assert result["articles"] == len(texts) == 3
    assert result["words"] == sum(len(p.read_text(encoding="utf-8").split()) for p in texts)
    for run in ("bare", "extract"):
        assert len(result[run]["seconds"]) == 2 and result[run]["words_per_s"] > 0
    assert len(result["ratio"]["pairs"]) == 2 and result["ratio"]["extract_over_bare_throughput"] > 0
    assert result["memory"]["peak_rss_mb"] > 10
    assert "throughput extract/bare" in capsys.readouterr().out


def test_bench_limit_and_bad_path(tmp_path: Path) -> None:
    bench = load_bench()
    texts = bench.load_texts(str(ROOT / "examples"), limit=2)
    assert [name for _, _, name in texts] == ["lenna-river-study", "ruritania-border-tax"]
    (tmp_path / "breitbart_2016-09-12_x.txt").write_text("Words here.", encoding="utf-8")
    [(_, published, _)] = bench.load_texts(str(tmp_path), limit=None)
    assert published == "2016-09-12"
    with pytest.raises(SystemExit) as exc:
        bench.main([str(tmp_path / "missing")])
    assert exc.value.code == 2
