"""The shipped stance model: its files are the ones its card names, it loads, and it reads stance."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from saywho.positions.stance import MODEL_DIR, StanceModel, classify

CARD = MODEL_DIR / "MODEL_CARD.md"
TAX = "A new border tax should be introduced"


def card_hashes() -> dict[str, str]:
    rows = re.findall(
        r"^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|$", CARD.read_text(encoding="utf-8"), re.M
    )
    return {name: digest for name, _size, digest in rows}


def test_files_match_the_card() -> None:
    hashes = card_hashes()
    assert set(hashes) == {"stance.onnx", "tokenizer.json", "config.json"}
    total = 0
    for name, digest in hashes.items():
        data = (MODEL_DIR / name).read_bytes()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == digest, name
    assert total < 26_000_000  # int8: small enough to ship


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel(MODEL_DIR)


def test_loads_and_gives_probabilities(model: StanceModel) -> None:
    assert model.labels == ["support", "oppose", "neutral"]
    p = model.probs(TAX, ["The border tax is a wonderful idea.", "", "x " * 400])
    assert p.shape == (3, 3)
    assert np.allclose(p.sum(1), 1.0, atol=1e-5)


def test_reads_plain_stance_toward_an_unseen_proposition(model: StanceModel) -> None:
    texts = [
        "I love the border tax and hope it passes soon.",
        "The border tax is a terrible, job-killing idea.",
        "The train to the coast leaves at nine every morning.",
        "My cat sleeps on the sofa all afternoon.",
    ]
    got = [model.labels[int(i)] for i in model.probs(TAX, texts).argmax(1)]
    assert got == ["support", "oppose", "neutral", "neutral"]


@pytest.mark.xfail(strict=True, reason="known weakness (see the card): the model leans to oppose")
def test_support_by_a_benefit_of_the_proposal(model: StanceModel) -> None:
    p = model.probs(TAX, ["Our farmers deserve the protection a border tax would give them."])
    assert model.labels[int(p[0].argmax())] == "support"


def test_classify_uses_the_model_when_no_rule_decides() -> None:
    s = classify("I love the border tax and hope it passes soon.", TAX)
    assert s.method == "model" and s.label == "support"
    assert s.evidence is not None and 0.34 < s.confidence <= 1.0
