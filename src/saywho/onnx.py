"""One way to open a shipped ONNX model: CPU only, a thread count from ``SAYWHO_THREADS`` (default 1).

One thread by default because saywho scales by processes (``--workers``), and
onnxruntime's own thread pool would then fight them for the same cores.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

THREADS_ENV = "SAYWHO_THREADS"


def cpu_session(model: Path | str, threads: int | None = None) -> Any:
    """An ``onnxruntime.InferenceSession`` over ``model`` on the CPU, fully graph-optimised."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    n = threads if threads is not None else int(os.environ.get(THREADS_ENV, "1"))
    opts.intra_op_num_threads = max(1, n)
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
