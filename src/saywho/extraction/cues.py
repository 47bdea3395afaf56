"""Cue candidates: which tokens report speech, thought or attitude, and in what frame.

A token's *frame* is the kind of complement it governs (a clause, an
infinitive, an object, a prepositional object, an adjacent quotation). The
same lemma is a cue far more often in some frames than others ("she saw that
the plan failed" vs "she saw the car"), so the lexicon is keyed by lemma and
frame; :mod:`saywho.extraction.lexicon` holds the probabilities.
"""

from __future__ import annotations

from spacy.tokens import Token

# Prepositions that link a cue to its content: "called for", "talked about".
CONTENT_PREPS = frozenset(
    {"for", "about", "on", "of", "to", "against", "with", "over", "into", "toward", "towards"}
)
FRAMES = ("ccomp", "quote", "xcomp", "dobj", "prep", "none")


def lemma_key(tok: Token) -> str:
    """The lexicon key for a token: its lemma, mended where the small model errs."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    # en_core_web_sm lemmatises "hopes" as "hop" and "According" oddly; prefer surface forms there.
    if lemma == "hop" and low.startswith("hope"):
        return "hope"
    return lemma


def frame(tok: Token, quoted: bool = False) -> str:
    """The complement frame of a candidate cue token."""
    deps = {c.dep_ for c in tok.children}
    if "ccomp" in deps:
        return "ccomp"
    # "the claim that…": a noun's that-clause is its complement
    if tok.pos_ == "NOUN" and any(
        c.dep_ == "acl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in tok.children
    ):
        return "ccomp"
    if quoted:
        return "quote"
    if "xcomp" in deps:
        return "xcomp"
    if "dobj" in deps:
        return "dobj"
    if any(c.dep_ == "prep" and c.lower_ in CONTENT_PREPS for c in tok.children):
        return "prep"
    return "none"


def candidate_pos(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "NOUN", "ADJ", "AUX")
