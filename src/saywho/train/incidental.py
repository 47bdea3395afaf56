"""Texts that name a thing without taking a position on it, from the stance data itself.

In VAST and SemEval, ``none`` nearly always means "about something else": of VAST's 1,737
``none`` rows, 60 mention their topic. So a model trained on them learns that a text which
names X takes a side on X, and labels nearly every news sentence about a topic for or
against. Here each text that takes a side on its topic A also yields a row for another noun
phrase B it names only in passing (no word shared with A), labelled ``none``: the same text,
the same register and length, on topic for B but with its position on A. The model then has
to find whether the text's evaluation is about the proposition's subject, not whether the
subject is named. (Noisy: a comment may take a side on B too; most phrases picked are
incidental: "the article", "a decade", "the Midwest".)
"""

from __future__ import annotations

import re

from saywho.train.phrases import SKIP_HEADS, phrases, seeded

_WORD = re.compile(r"[a-z]{3,}")


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower())}


def incidental(texts: list[tuple[str, str]], seed: int, nlp=None) -> list[tuple[str, str] | None]:
    """For each (text, topic): (text, a phrase it names that shares no word with the topic), or None."""
    if nlp is None:
        from saywho.nlp import load

        nlp = load()
    out: list[tuple[str, str] | None] = []
    docs = nlp.pipe((t for t, _ in texts), batch_size=32)
    for (text, topic), doc in zip(texts, docs, strict=True):
        avoid = _stems(topic)
        # names of people and places are left out: a comment often does take a side on those
        named = {p.lower() for p in phrases(doc[:], SKIP_HEADS | {"PROPN"}, 4) if not _stems(p) & avoid}
        out.append((text, seeded(seed, topic, text[:200]).choice(sorted(named))) if named else None)
    return out
