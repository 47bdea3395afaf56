"""The cue lexicon: how likely a (lemma, part of speech, frame) is to report speech or thought.

Counts come from ``data/cue_lexicon.tsv`` (built by :mod:`saywho.train.lexicon`
from PolNeAR's train split); a small hand-written list of speech verbs keeps
common verbs PolNeAR rarely shows from being missed.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Verbs of saying: a statement cued by one of these is speech; other cues
# (believe, want, show, learn) attribute thought, intention or evidence.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "write",
        "ask",
        "note",
        "argue",
        "announce",
        "declare",
        "insist",
        "warn",
        "explain",
        "claim",
        "tweet",
        "respond",
        "reply",
        "state",
        "comment",
        "recall",
        "acknowledge",
        "admit",
        "deny",
        "suggest",
        "report",
        "mention",
        "describe",
        "call",
        "urge",
        "promise",
        "vow",
        "pledge",
        "predict",
        "reiterate",
        "stress",
        "emphasize",
        "emphasise",
        "remark",
        "concede",
        "assert",
        "allege",
        "boast",
        "complain",
        "confirm",
        "repeat",
        "quip",
        "joke",
        "shout",
        "scream",
        "whisper",
        "yell",
        "exclaim",
        "cry",
        "murmur",
        "mutter",
        "testify",
        "post",
        "tout",
        "criticize",
        "criticise",
        "praise",
        "blast",
        "slam",
        "denounce",
        "decry",
        "condemn",
        "question",
        "challenge",
        "dismiss",
        "reject",
        "accuse",
        "blame",
        "thank",
        "congratulate",
        "apologize",
        "apologise",
        "lament",
        "muse",
        "observe",
        "point",
        "counter",
        "retort",
        "rebut",
        "contend",
        "maintain",
        "propose",
        "recommend",
        "advise",
        "caution",
        "threaten",
        "demand",
        "request",
        "plead",
        "beg",
        "agree",
        "disagree",
        "concur",
        "affirm",
        "reaffirm",
        "pronounce",
        "proclaim",
        "disclose",
        "reveal",
        "announce",
        "inform",
        "notify",
        "assure",
        "reassure",
        "brief",
        "lecture",
        "preach",
        "speak",
        "talk",
        "discuss",
        "address",
        "mock",
        "ridicule",
        "insult",
        "attack",
        "defend",
        "endorse",
        "support",
        "oppose",
        "welcome",
        "hail",
        "applaud",
        "laud",
        "salute",
    ]
)

# Probability for hand-listed speech verbs the data has not seen in a frame.
_SEED_P = {"ccomp": 0.8, "quote": 0.8, "dobj": 0.3, "xcomp": 0.3, "prep": 0.3, "none": 0.2}


@cache
def _table() -> tuple[dict[tuple[str, str, str], tuple[int, int]], dict[tuple[str, str], tuple[int, int]]]:
    rows: dict[tuple[str, str, str], tuple[int, int]] = {}
    lemmas: dict[tuple[str, str], tuple[int, int]] = {}
    text = files("saywho").joinpath("data/cue_lexicon.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        lemma, pos, frame, cue, seen = line.split("\t")
        rows[(lemma, pos, frame)] = (int(cue), int(seen))
        c, s = lemmas.get((lemma, pos), (0, 0))
        lemmas[(lemma, pos)] = (c + int(cue), s + int(seen))
    return rows, lemmas


def probability(lemma: str, pos: str, frame: str) -> float:
    """P(cue | lemma, pos, frame), smoothed towards the lemma's overall rate."""
    rows, lemmas = _table()
    overall = lemmas.get((lemma, pos))
    if overall is None:
        return _SEED_P[frame] if pos == "VERB" and lemma in SPEECH_VERBS else 0.0
    prior = (overall[0] + 0.5) / (overall[1] + 1.0)
    cue, seen = rows.get((lemma, pos, frame), (0, 0))
    # Beta prior of strength 3 around the lemma rate: rare frames lean on the lemma.
    return (cue + 3 * prior) / (seen + 3)


def is_speech(lemma: str) -> bool:
    return lemma in SPEECH_VERBS
