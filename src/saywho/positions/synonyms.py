"""Other words a text uses for a proposition's subject, found with sentence embeddings.

News rarely repeats a proposition's words: a topic "Inflation is a serious concern" is
discussed as "rising prices", one about loneliness as "social isolation". The stance rules
need the subject in the clause they read, so for each text we look for short phrases
(runs of one to three content words) whose MiniLM embedding is close to the subject
phrase's, and hand their spans to the rules as mentions of the subject.

Per text, not per batch: a line's result never depends on the lines around it.
Running the encoder over every phrase would cost ~15 ms a sentence, so phrases are first
screened by the average of their word pieces' input embeddings (no network run; ~90 % of
phrases fall out, none of the synonyms on the project's sentences did), and the
encoder's verdicts are cached per process.
The thresholds were set on sentences the project wrote (``bench/data/stance_problem_dev.tsv``).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from saywho.positions import embed
from saywho.positions.topics import STOPWORDS

SYN_MIN = 0.65  # cosine of a phrase's sentence embedding to the subject phrase's
STATIC_MIN = 0.2  # cosine of the averaged piece embeddings, to be looked at at all
CACHE = 50_000

# Words that end a candidate phrase: function words, reporting verbs, pronouns, vague nouns.
_MORE = (
    "said says say saying told tell tells according added adds noted warned warns argued argues "
    "claimed claims stated states reported reports i we you he she they me us him her our your his "
    "my mine ours who whom whose which what when where why how while if then so also just very "
    "much many most other such only even still yet already since after before because during "
    "between through against among without within up down out off again further once here "
    "year years month months week weeks day days today yesterday monday tuesday wednesday thursday "
    "friday saturday sunday people percent per cent mr mrs ms dr one two three first last next"
)
_BREAK = STOPWORDS | frozenset(_MORE.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) for every run of one to three content words in ``text``."""
    runs: list[list[re.Match[str]]] = [[]]
    last_end = 0
    for m in _WORD.finditer(text):
        gap = text[last_end : m.start()]
        w = m.group().lower()
        if w in _BREAK or (runs[-1] and gap.strip()):  # punctuation or a stopword ends a run
            runs.append([])
        if w not in _BREAK:
            runs[-1].append(m)
        last_end = m.end()
    out = []
    for run in runs:
        for i in range(len(run)):
            for j in range(i, min(i + 3, len(run))):
                phrase = " ".join(x.group().lower() for x in run[i : j + 1])
                if j == i and len(phrase) < 4:
                    continue
                out.append((run[i].start(), run[j].end(), phrase))
    return out


def _holds(phrase: str, words: set[str]) -> bool:
    """Whether a word of ``phrase`` (or a part of a hyphenated one) starts with one of ``words``:
    "obesity-related" holds "obesity", "antibiotics" holds "antibiotic"."""
    parts = re.split(r"[\s'’-]+", phrase)
    return any(p.startswith(w) for p in parts if p for w in words)


class SubjectFinder:
    """Spans in a text that name the subject in other words (cosine ≥ ``threshold``)."""

    def __init__(
        self,
        embedder: embed.Embedder,
        word_vectors: np.ndarray | None = None,
        threshold: float = SYN_MIN,
        static_min: float = STATIC_MIN,
    ) -> None:
        self.embedder = embedder
        self.words = word_vectors
        self.threshold = threshold
        self.static_min = static_min
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # one finder serves every thread; its cache is not thread-safe

    def clear(self) -> None:
        """Forget every phrase embedded so far (benchmarks time the finder on new text)."""
        with self._lock:
            self._cache.clear()

    def _vectors(self, phrases: Sequence[str]) -> np.ndarray:
        new = [p for p in dict.fromkeys(phrases) if p not in self._cache]
        if new:
            for p, v in zip(new, self.embedder.encode(new), strict=True):
                self._cache[p] = v
            while len(self._cache) > CACHE:
                self._cache.popitem(last=False)
        return np.stack([self._cache[p] for p in phrases]) if phrases else np.zeros((0, 384))

    def _static(self, phrases: Sequence[str]) -> np.ndarray:
        """Unit vectors: each phrase's word-piece input embeddings, averaged."""
        assert self.words is not None
        encs = self.embedder.tokenizer.encode_batch(list(phrases), add_special_tokens=False)
        out = np.stack([np.asarray(self.words[e.ids], dtype=np.float32).mean(0) for e in encs])
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def _screen(self, phrases: list[str], subject: str) -> list[str]:
        if self.words is None or not phrases:
            return phrases
        uniq = [p for p in dict.fromkeys(phrases) if p not in self._cache]
        if not uniq:
            return phrases
        near = self._static(uniq) @ self._static([subject])[0] >= self.static_min
        keep = {p for p, ok in zip(uniq, near, strict=True) if ok}
        return [p for p in phrases if p in keep or p in self._cache]

    def spans(
        self, texts: Sequence[str], subject: str, skip: Sequence[str] = ()
    ) -> list[list[tuple[int, int]]]:
        """For each text, the non-overlapping spans most like ``subject`` (best first wins).

        ``skip``: words never in a phrase taken (the subject's own words, which the rules
        already match)."""
        with self._lock:
            return self._spans(texts, subject, skip)

    def _spans(self, texts: Sequence[str], subject: str, skip: Sequence[str]) -> list[list[tuple[int, int]]]:
        sv = self.embedder.encode([subject])[0]
        skipped = {s.lower() for s in skip}
        # a phrase holding a subject word is the subject itself, or the subject with a verb
        # ("tackle inflation"), which the rules must still see
        cands = [[c for c in candidates(t) if not _holds(c[2], skipped)] for t in texts]
        keep = set(self._screen([c[2] for cs in cands for c in cs], subject))
        cands = [[c for c in cs if c[2] in keep] for cs in cands]
        flat = [c[2] for cs in cands for c in cs]
        sims = self._vectors(flat) @ sv if flat else np.zeros(0)
        out: list[list[tuple[int, int]]] = []
        k = 0
        for cs in cands:
            scored = sorted(
                ((float(sims[k + i]), c) for i, c in enumerate(cs) if sims[k + i] >= self.threshold),
                key=lambda x: -x[0],
            )
            k += len(cs)
            taken: list[tuple[int, int]] = []
            for _, (s, e, _p) in scored:
                if all(e <= a or s >= b for a, b in taken):
                    taken.append((s, e))
            out.append(sorted(taken))
        return out
