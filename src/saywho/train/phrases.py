"""Noun phrases a text names, as topics for stance training rows (shared by the data builders)."""

from __future__ import annotations

import hashlib
import random

from spacy.tokens import Span

# a count, a date or an amount is not something to take a side on
SKIP_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
SKIP_HEADS = frozenset({"PRON", "NUM", "SYM", "PUNCT", "X"})


def phrases(span: Span, skip_heads: frozenset[str] = SKIP_HEADS, min_chars: int = 3) -> list[str]:
    """The noun chunks of ``span`` without their determiners ("the new budget" → "new budget"),
    leaving out pronouns, numbers, dates and amounts."""
    out = []
    for c in span.noun_chunks:
        if c.root.pos_ in skip_heads or c.root.ent_type_ in SKIP_ENTS:
            continue
        phrase = " ".join(t.text for t in c if t.pos_ != "DET" and t.tag_ != "PRP$")
        if len(phrase) >= min_chars:
            out.append(phrase)
    return out


def seeded(*parts: object) -> random.Random:
    """A random generator fixed by ``parts``, so that one item's choice does not depend on the others."""
    h = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(h[:4], "big"))
