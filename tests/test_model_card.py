"""The shipped attribution model: its files are there, match the card's hashes, load, and tag."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np

from saywho import nlp
from saywho.extraction import rules, tagger, tagging
from saywho.extraction.context import ArticleContext

MODEL = tagger.MODEL_DIR
CARD = MODEL / "MODEL_CARD.md"
ROW = re.compile(r"^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|$", re.MULTILINE)
LIMIT = 40 * 1024 * 1024  # the cap on shipped weights


def card_files() -> dict[str, tuple[int, str]]:
    return {name: (int(size), digest) for name, size, digest in ROW.findall(CARD.read_text(encoding="utf-8"))}


def test_card_lists_every_shipped_file_with_its_hash() -> None:
    files = card_files()
    assert set(files) == {"tagger.onnx", "tokenizer.json", "config.json"}
    for name, (size, digest) in files.items():
        data = (MODEL / name).read_bytes()
        assert len(data) == size, name
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} differs from the card: retrain or re-card"
    assert sum(size for size, _ in files.values()) <= LIMIT


def test_card_states_data_command_and_metrics() -> None:
    card = CARD.read_text(encoding="utf-8")
    assert "python -m saywho.train.attribution" in card
    assert "PolNeAR" in card and "dev" in card
    assert "| exact | source |" in card and "| exact | joint |" in card
    assert re.search(r"Written \d{4}-\d{2}-\d{2}", card)


def test_shipped_model_loads_and_tags_a_sentence() -> None:
    config = json.loads((MODEL / "config.json").read_text(encoding="utf-8"))
    assert tuple(config["labels"]) == tagging.LABELS
    t = tagger.Tagger(MODEL, threads=1)
    doc = nlp.load()("“The bridge will open in May,” the mayor said on Monday.")
    ctx = ArticleContext.of(doc)
    pos, tags, logp = t.tag(doc, tagging.features(ctx, rules.find(ctx)))
    assert logp.shape == (len(pos), tagging.N_LABELS)
    assert np.allclose(np.exp(logp).sum(1), 1.0, atol=1e-3)
    spans = {(r, doc[a:b].text) for r, a, b in tagging.spans_from_tags(tags, pos)}
    assert ("cue", "said") in spans
    assert ("source", "the mayor") in spans
    assert ("content", "“The bridge will open in May,”") in spans
