"""On-topic text that takes no position: narration sentences of PolNeAR articles, for the stance model.

VAST's and SemEval's ``none`` rows are mostly texts paired with a topic they do not talk about,
so a model trained on them alone learns "on topic means a position" and labels every news
sentence about X for or against X. News narration (a sentence of an article that holds no
annotated attribution: no source, cue or content) mostly reports without taking a side. Each
chosen sentence is paired with a noun phrase it names (its topic X) and labelled ``none``; the
training script then turns X into propositions as it does for the other rows.

Only PolNeAR's train split trains; its dev split checks. Nothing here is written to the repository.
"""

from __future__ import annotations

from pathlib import Path

from saywho.eval.brat import read_split
from saywho.train.phrases import phrases, seeded

PER_ARTICLE = 3  # sentences per article at most: many articles, few sentences each


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def narration(root: Path | str, split: str, seed: int, nlp=None) -> list[tuple[str, str]]:
    """(sentence, topic phrase) pairs: sentences outside every attribution, each with a phrase it names."""
    if nlp is None:
        from saywho.nlp import load

        nlp = load()
    out: list[tuple[str, str]] = []
    for art in read_split(root, split):
        spans = [f for a in art.attributions for role in (a.source, a.cue, a.content) for f in role]
        picks: list[tuple[str, list[str]]] = []
        for sent in nlp(art.text).sents:
            text = sent.text.strip()
            if not 40 <= len(text) <= 400 or _covered(sent.start_char, sent.end_char, spans):
                continue
            if '"' in text or "“" in text or "?" in text:  # quotes and questions: not plain narration
                continue
            if named := phrases(sent):
                picks.append((text, named))
        rng = seeded(seed, art.name)  # per article: adding an article changes no other article's picks
        for text, named in rng.sample(picks, min(PER_ARTICLE, len(picks))):
            topic = rng.choice(named)
            out.append((text, topic if topic[:1].isupper() else topic.lower()))
    return out
