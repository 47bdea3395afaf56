"""The scaling benchmark runs end to end on the examples, and computes its ratios as documented
(its timings are not asserted: see bench/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "bench_scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scale_bench_on_the_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    out = tmp_path / "scale.json"
    argv = [str(ROOT / "examples"), "--engines", "local", "--workers", "1,2", "--repeat", "1", "--writer"]
    assert bench.main([*argv, "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    texts = sorted((ROOT / "examples").glob("*.txt"))
    assert result["articles"] == len(texts) == 3
    assert result["words"] == sum(len(p.read_text(encoding="utf-8").split()) for p in texts)
    assert [(r["engine"], r["workers"]) for r in result["runs"]] == [("local", 1), ("local", 2)]
    for run in result["runs"]:
        assert run["words_per_s"] > 0 and run["statements"] > 0 and len(run["load_before"]) == 3
        assert run["others_cores"] is None or run["others_cores"] >= 0
        assert 1 <= len(run["worker_peak_rss_mb"]) <= run["workers"]  # each worker that got a batch
        assert all(mb > 50 for mb in run["worker_peak_rss_mb"])  # a loaded spaCy pipeline
        assert len(run["worker_cpu_s"]) == len(run["worker_peak_rss_mb"]) and min(run["worker_cpu_s"]) > 0
        assert run["words_per_worker_cpu_s"] == round(result["words"] / sum(run["worker_cpu_s"]))
    assert result["scaling"]["local"]["rounds"] == [
        round(result["runs"][0]["seconds"] / result["runs"][1]["seconds"], 3)
    ]
    assert len(result["control_scaling"]["rounds"]) == 1 and result["control_scaling"]["median"] > 0
    (writer,) = result["writer"]  # the last run's dataset, loaded into SQLite
    assert writer["db"] == "SQLite" and writer["articles"] == 3
    assert writer["statements"] == result["runs"][-1]["statements"] and writer["words_per_s"] > 0
    assert "local scaling 1→2" in capsys.readouterr().out


def test_ratios_from_paired_rounds() -> None:
    bench = load_bench()
    runs = [
        {"engine": e, "workers": w, "round": r, "seconds": s, "words_per_s": round(1000 / s),
         "worker_peak_rss_mb": [200.0] * w, "words_per_worker_cpu_s": 1000}
        for (e, w, r, s) in [
            ("local", 1, 1, 10.0), ("local", 2, 1, 5.0), ("ray", 1, 1, 11.0), ("ray", 2, 1, 6.0),
            ("local", 1, 2, 12.0), ("local", 2, 2, 8.0), ("ray", 1, 2, 12.0), ("ray", 2, 2, 8.8),
        ]
    ]  # fmt: skip
    s = bench.summarise(runs, ["local", "ray"], [1, 2], 2)
    assert s["scaling"]["local"]["rounds"] == [2.0, 1.5] and s["scaling"]["local"]["median"] == 1.75
    assert s["scaling"]["ray"]["rounds"] == [1.833, 1.364]
    assert s["ray_overhead"]["1"]["rounds"] == [0.1, 0.0] and s["ray_overhead"]["2"]["rounds"] == [0.2, 0.1]
    assert s["configs"]["local×1"]["all_words_per_s"] == [100, 83]
    with pytest.raises(SystemExit):
        bench.main([str(ROOT / "no-such-folder")])
