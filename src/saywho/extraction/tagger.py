"""The shipped attribution tagger, run with onnxruntime: no torch, no transformers.

The model files live in ``saywho/models/attribution/`` (package data): the
ONNX graph with int8 weights, the word-piece tokenizer and ``config.json``
(labels, window, stride). They are loaded once per process, on first use.
Set ``SAYWHO_THREADS`` to give onnxruntime more than one thread.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from saywho.extraction import tagging
from saywho.onnx import cpu_session

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution"
# Windows per onnxruntime call: bigger batches pad more, smaller ones pay more overhead.
BATCH = 8


class ModelMissing(RuntimeError):
    """The attribution model files are not installed."""


class Tagger:
    """BIO tags over source, cue and content for the words of a parsed article."""

    def __init__(self, path: Path | str = MODEL_DIR, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        path = Path(path)
        if not (path / "tagger.onnx").exists():
            raise ModelMissing(f"no attribution model at {path} (expected tagger.onnx)")
        self.config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if tuple(self.config["labels"]) != tagging.LABELS or self.config["n_features"] != tagging.N_FEATURES:
            raise ModelMissing(f"the model at {path} was trained for other labels or features")
        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.no_padding()
        tok.no_truncation()
        self.pieces = tagging.Pieces(
            tok, tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]"), tok.token_to_id("[PAD]")
        )
        self.session = cpu_session(path / "tagger.onnx", threads)
        self.window = int(self.config["window"])
        self.stride = int(self.config["stride"])

    def log_probs(self, words: list[str], feats: list[int]) -> np.ndarray:
        """Per-word log-probabilities over :data:`tagging.LABELS`."""
        if not words:
            return np.zeros((0, tagging.N_LABELS), dtype=np.float32)
        b = self.pieces.batch(words, feats, self.window, self.stride)
        out = []
        for k in range(0, len(b.spans), BATCH):
            mask = b.attention_mask[k : k + BATCH]
            n = int(mask.sum(1).max())  # the longest window in this slice sets the length
            (logits,) = self.session.run(
                ["logits"],
                {
                    "input_ids": b.input_ids[k : k + BATCH, :n],
                    "feature_ids": b.feature_ids[k : k + BATCH, :n],
                    "attention_mask": mask[:, :n],
                },
            )
            if logits.shape[1] < b.input_ids.shape[1]:
                logits = np.pad(logits, ((0, 0), (0, b.input_ids.shape[1] - logits.shape[1]), (0, 0)))
            out.append(logits)
        return tagging.merge_windows(b, np.concatenate(out), len(words))

    def tag(self, doc: Doc, feats: np.ndarray) -> tuple[list[int], np.ndarray, np.ndarray]:
        """(token positions, best tag per position, log-probabilities) for a Doc and its features."""
        pos = tagging.word_tokens(doc)
        logp = self.log_probs([tagging.word_text(doc, i) for i in pos], feats[pos].tolist())
        return pos, tagging.viterbi(logp), logp


@lru_cache(maxsize=2)
def load(path: str | None = None) -> Tagger:
    """The tagger at ``path`` (default: the shipped one), loaded once per process."""
    return Tagger(path or MODEL_DIR)
