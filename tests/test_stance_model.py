"""The shipped stance model: its files are the ones its card names, it loads, and it reads stance."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from saywho.positions import stance
from saywho.positions.stance import MODEL_DIR, StanceModel, classify_many

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


def test_a_texts_probabilities_do_not_depend_on_the_texts_beside_it(model: StanceModel) -> None:
    text = "Farmers said the border tax would protect their livelihoods."
    alone = model.probs(TAX, [text])[0]
    beside = model.probs(TAX, ["No.", text, "The border tax, debated for months in a parliament " * 6])[1]
    assert np.allclose(alone, beside, atol=1e-6)


def test_reads_plain_stance_toward_an_unseen_proposition(model: StanceModel) -> None:
    texts = [
        "I love the border tax and hope it passes soon.",
        "The border tax is a terrible, job-killing idea.",
        "The train to the coast leaves at nine every morning.",
        "My cat sleeps on the sofa all afternoon.",
    ]
    got = [model.labels[int(i)] for i in model.probs(TAX, texts).argmax(1)]
    assert got == ["support", "oppose", "neutral", "neutral"]


def test_support_by_a_benefit_of_the_proposal(model: StanceModel) -> None:
    p = model.probs(TAX, ["Our farmers deserve the protection a border tax would give them."])
    assert model.labels[int(p[0].argmax())] == "support"


def test_classify_uses_the_model_when_no_rule_decides() -> None:
    # no rule reads this one ("I love X" is a rule now)
    [s] = classify_many(["A border tax is what our farmers have been waiting for."], TAX, min_confidence=0.0)
    assert s.method == "model" and s.label == "support"
    assert s.evidence is not None and 0.34 < s.confidence <= 1.0


class _Fixed:
    """A stand-in model that gives every text the same probabilities."""

    def __init__(self, p: list[float]) -> None:
        self.labels = ["support", "oppose", "neutral"]
        self.p = np.array(p, dtype=np.float32)

    def probs(self, proposition: str, texts: list[str]) -> np.ndarray:
        return np.tile(self.p, (len(texts), 1))


@pytest.mark.parametrize(
    ("p", "label", "confidence"),
    [
        ([0.65, 0.30, 0.05], "neutral", 0.35),  # a weak support is not a position
        ([0.75, 0.20, 0.05], "support", 0.75),
        ([0.10, 0.85, 0.05], "oppose", 0.85),
        ([0.30, 0.20, 0.50], "neutral", 0.50),
    ],
)
def test_the_models_support_or_oppose_counts_only_when_confident(
    monkeypatch: pytest.MonkeyPatch, p: list[float], label: str, confidence: float
) -> None:
    monkeypatch.setattr(stance, "load_model", lambda path=None: _Fixed(p))
    [s] = classify_many(["The committee met on Tuesday."], TAX)
    assert stance.MIN_CONFIDENCE == 0.7
    assert (s.method, s.label) == ("model", label)
    assert s.confidence == pytest.approx(confidence, abs=1e-6)
    assert (s.evidence is None) == (label == "neutral")
