"""News sentences about a training topic, made from templates: with a position and without.

The stance data's texts with no position are nearly all about something else (see
``incidental.py``), and its texts with one are long opinionated comments; news reports a
topic in short sentences that mostly take no side. Templates in the register of news
(``data/news_templates.tsv``: ``neutral`` — hearings, reports, figures, definitions;
``good`` and ``bad`` — reported benefits or harms, praise or criticism) are filled with
the training topics' phrases, so the model sees on-topic news sentences labelled ``none``
beside news sentences of the same length that do take a side. The templates were written
by a helper that saw neither the project's evaluation sentences nor any shared data.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "data" / "news_templates.tsv"
LABEL = {"good": "favor", "bad": "against", "neutral": "none"}  # the stance data's labels


def read_templates(path: Path = TEMPLATES) -> dict[str, list[str]]:
    """Templates by kind (``neutral``, ``good``, ``bad``); each holds ``{x}`` once."""
    out: dict[str, list[str]] = {k: [] for k in LABEL}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            kind, tpl = row["kind"].strip(), row["template"].strip()
            if kind not in LABEL or tpl.count("{x}") != 1:
                raise ValueError(f"{path}: bad template row {row!r}")
            out[kind].append(tpl)
    return out


def fill(template: str, phrase: str) -> str:
    text = template.replace("{x}", phrase)
    return text[:1].upper() + text[1:] if template.startswith("{x}") else text


def templated(
    topics: list[str], n: int, seed: int, neutral_share: float = 0.5, path: Path = TEMPLATES
) -> list[tuple[str, str, str]]:
    """``n`` (text, topic, label) rows: a topic drawn from ``topics``, a kind (``neutral`` with
    probability ``neutral_share``, else ``good`` or ``bad`` alike), a template of that kind."""
    tpls = read_templates(path)
    rng = random.Random(f"templated:{seed}")
    pool = sorted(set(topics))
    out = []
    for _ in range(n):
        kind = "neutral" if rng.random() < neutral_share else rng.choice(("good", "bad"))
        topic = rng.choice(pool)
        out.append((fill(rng.choice(tpls[kind]), topic), topic, LABEL[kind]))
    return out
