"""The web load benchmark runs end to end on a small scale: the server in a subprocess, a few clients
for two seconds (its timings are not asserted: see bench/). Every page it asks for must answer 200,
so the synthetic database stays one the app can show."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_web_bench_on_a_small_synthetic_database(tmp_path: Path) -> None:
    out = tmp_path / "web.json"
    cmd = [sys.executable, str(ROOT / "bench" / "bench_web.py"), "--statements", "1000", "--topics", "3"]
    cmd += ["--clients", "8", "--duration", "2", "--warmup", "0.5", "--db", str(tmp_path / "w.db")]
    cmd += ["--json", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["statements"] == 1000 and result["build"]["stances"] > 0
    assert result["errors"] == 0, result["error_kinds"]
    assert set(result["per_kind"]) == {"article", "speaker page", "topic", "api statements"}
    assert result["requests"] == sum(k["n"] for k in result["per_kind"].values()) > 0
    assert result["server_rss_mb"]["peak"] > 20 and result["server_cpu_ms_per_request"] > 0
    assert result["overall"]["p50_ms"] <= result["overall"]["p95_ms"] <= result["overall"]["max_ms"]
    assert result["client"] == "raw" and sum(result["server_cache"].values()) == result["requests"]
