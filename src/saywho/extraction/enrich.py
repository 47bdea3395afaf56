"""Addressees and venues: to whom a statement was made.

"told the paper", "told reporters", "in an interview with the Post",
"speaking to parliament", "said to the committee". A generic medium ("the
paper") is named after the medium the article last mentioned.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from saywho.extraction import gazetteer
from saywho.extraction.relays import is_medium
from saywho.extraction.rules import VENUE_NOUNS, Found, trim

_TELL = frozenset({"tell", "assure", "inform", "remind", "warn", "brief", "write", "say", "explain", "admit"})


def _np(doc: Doc, tok: Token) -> tuple[int, int] | None:
    return trim(doc, tok.left_edge.i, tok.right_edge.i + 1, keep_quotes=False)


def _outside(f: Found, tok: Token) -> bool:
    return not any(a <= tok.idx < b for a, b in f.content)


def addressee_of(doc: Doc, f: Found) -> tuple[int, int] | None:
    """The addressee or venue of a statement, as a token range."""
    if f.addressee is not None:
        return f.addressee
    head = f.head
    if head is None or head.lower_ == "according":
        return None
    for c in head.children:
        # "said to reporters", "wrote to the committee"
        if c.dep_ == "prep" and c.lower_ == "to" and head.lemma_.lower() in _TELL and _outside(f, c):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _np(doc, pobj)
        # "in an interview with the Post"
        if c.dep_ == "prep" and c.lower_ in ("in", "during"):
            venue = next((g for g in c.children if g.dep_ == "pobj"), None)
            if venue is not None and venue.lemma_.lower() in VENUE_NOUNS:
                for v in venue.children:
                    if v.dep_ == "prep" and v.lower_ in ("with", "to", "on"):
                        pobj = next((g for g in v.children if g.dep_ == "pobj"), None)
                        # "in a statement on Wednesday" is a date, "in an interview on CNN" a venue
                        if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
                            return _np(doc, pobj)
        # "Speaking to reporters, Roe said"
        if c.dep_ == "advcl" and c.lemma_.lower() in ("speak", "talk") and c.i < head.i:
            for v in c.children:
                if v.dep_ == "prep" and v.lower_ in ("to", "with"):
                    pobj = next((g for g in v.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _np(doc, pobj)
    return None


def last_medium(doc: Doc, before: int) -> str | None:
    """The name of the last news medium the article mentioned before ``before``."""
    name = None
    for ent in doc.ents:
        if ent.start_char >= before:
            break
        if ent.label_ in ("ORG", "WORK_OF_ART", "PRODUCT") and gazetteer.is_medium(ent.text):
            name = gazetteer.canonical_medium(ent.text)
    return name


def name_of_medium(doc: Doc, span: Span) -> str | None:
    """ "the paper" → the medium last named; "the daily Morning Post" → "Morning Post"."""
    names = [e for e in span.ents if e.label_ in ("ORG", "WORK_OF_ART", "PRODUCT", "PERSON", "GPE", "NORP")]
    if names:
        return gazetteer.canonical_medium(names[-1].text)
    # keep the proper-noun words: "the daily Morning Post" → "Morning Post", "the broadcaster RTV" → "RTV"
    proper = [t.text for t in span if t.pos_ == "PROPN"]
    if proper:
        return " ".join(proper)
    if span.root.lemma_.lower() in gazetteer.MEDIUM_NOUNS:
        return last_medium(doc, span.start_char)  # "the paper": the medium last named
    return gazetteer.canonical_medium(span.text)


def name_of(doc: Doc, span: Span) -> str | None:
    """A readable name for an addressee or relay mention."""
    if is_medium(span):
        return name_of_medium(doc, span)
    ent = next((e for e in span.ents if e.root.i == span.root.i), None)
    if ent is not None:
        text = ent.text
        return text[4:] if text.lower().startswith("the ") else text
    return None
