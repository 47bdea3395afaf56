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

import hashlib
import random
from pathlib import Path

from saywho.eval.brat import read_split

PER_ARTICLE = 3  # sentences per article at most: many articles, few sentences each
_SKIP_HEADS = {"PRON", "NUM", "SYM", "PUNCT", "X"}
_SKIP_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


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
        doc = nlp(art.text)
        picks: list[tuple[str, str]] = []
        for sent in doc.sents:
            text = sent.text.strip()
            if not 40 <= len(text) <= 400 or _covered(sent.start_char, sent.end_char, spans):
                continue
            if '"' in text or "“" in text or "?" in text:  # quotes and questions: not plain narration
                continue
            chunks = [
                c
                for c in sent.noun_chunks
                if c.root.pos_ not in _SKIP_HEADS
                and c.root.ent_type_ not in _SKIP_ENTS
                and len(c.text) >= 3
                and c.text.lower() not in {"it", "this", "that", "he", "she", "they"}
            ]
            if chunks:
                picks.append((text, chunks))  # type: ignore[arg-type]
        # seeded per article, so adding an article changes no other article's picks
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{seed}:{art.name}".encode()).digest()[:4], "big"))
        for text, chunks in rng.sample(picks, min(PER_ARTICLE, len(picks))):
            c = rng.choice(chunks)
            words = [t for t in c if t.pos_ != "DET" and t.tag_ not in ("PRP$",)]
            topic = " ".join(t.text for t in words) or c.text
            out.append((text, topic if any(ch.isupper() for ch in topic[:1]) else topic.lower()))
    return out
