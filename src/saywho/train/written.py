"""News sentences written by hand about 48 topics: with a position and without, for the stance model.

The templates (``templated.py``) give on-topic news sentences with and without a position, but
180 templates say things in few ways. ``data/news_written.tsv`` holds sentences written one by
one by helpers that saw no shared data, no evaluation set and no code: for each topic a third
favourable to it, a third against it (for a problem topic: calling it serious or growing) and a
third about it without a side (procedure, history, figures with no direction, both sides
evenly), in the registers of reported speech, direct quotes and plain first-person opinion. The
topics are none of the evaluation sets' propositions, and none is about climate, energy or the
environment (GWSD's subject, which must stay unseen).
"""

from __future__ import annotations

import csv
from pathlib import Path

WRITTEN = Path(__file__).resolve().parent / "data" / "news_written.tsv"
# the same 48 topics, 4 / 4 / 4 each, with the side shown only indirectly: a hope or fear about the
# outcome, or a benefit or harm claimed for someone; without a side, procedure and outcome narration
# (and hopes about a vote's timing), so that neither "hope" nor "passes" gives the label away
IMPLICIT = WRITTEN.with_name("news_written_implicit.tsv")
KINDS = ("favor", "against", "none")  # the stance data's labels
# GWSD's subject and its neighbours: none of these may appear (checked on reading, and by a test)
UNSEEN = ("climate", "warming", "carbon", "emission", "greenhouse", "fossil", "pollution", "environment")


def written(path: Path = WRITTEN) -> list[tuple[str, str, str]]:
    """(text, topic, label) rows of the file; a malformed row or a word of GWSD's subject raises."""
    out: list[tuple[str, str, str]] = []
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            topic, label, text = (row.get(k) or "" for k in ("topic", "label", "text"))
            if label not in KINDS or not topic.strip() or not text.strip() or None in row:
                raise ValueError(f"{path}:{n}: bad row {row!r}")
            if any(w in text.lower() for w in UNSEEN):
                raise ValueError(f"{path}:{n}: names GWSD's subject: {text!r}")
            out.append((text.strip(), topic.strip(), label))
    return out
