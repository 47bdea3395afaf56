"""Who passed a statement on: media that reported it, and "as cited by" chains.

"Roe rejected the tax, the Morning Post reported" is Roe's statement, relayed
by the Morning Post; so is "…, according to the Morning Post". A medium's
report whose content holds no attribution of its own stays the medium's
statement ("Bloomberg reports that the nominee has won").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from saywho.extraction import gazetteer
from saywho.extraction.context import ArticleContext
from saywho.extraction.rules import Found, candidates, take

# "as cited by Reuters": the relaying verb and its relation
_AS_VERBS = {"cite": "cited_by", "quote": "cited_by", "report": "reported_by", "relay": "reported_by"}


@dataclass(slots=True)
class RelayFound:
    tokens: tuple[int, int]
    relation: str


def is_medium(span: Span) -> bool:
    """A news medium: a known or masthead-like name, or "the paper", "the agency"…"""
    if gazetteer.is_medium(span.text):
        return True
    root = span.root
    return root.pos_ == "NOUN" and root.lemma_.lower() in gazetteer.MEDIUM_NOUNS


def unnest_media(ctx: ArticleContext, found: list[Found]) -> list[Found]:
    """Replace a medium's report of someone's statement by that statement, relayed."""
    doc = ctx.doc
    out: list[Found] = []
    for f in found:
        if f.source is None or f.quoted or not is_medium(doc[f.source[0] : f.source[1]]):
            out.append(f)
            continue
        inner: list[Found] = []
        used = set(range(*f.cue)) if f.cue else set()
        used |= set(range(*f.source))
        for a, b in f.content:
            inner.extend(take(ctx, candidates(ctx, (a, b)), used))
        inner = [g for g in inner if g.source is not None]
        if not inner:
            out.append(f)
            continue
        relation = "according_to" if f.head is not None and f.head.lower_ == "according" else "reported_by"
        for g in inner:
            relays = [RelayFound(f.source, relation), *f.extras.get("relays", [])]  # type: ignore[misc]
            g.extras["relays"] = relays
            g.extras["relay_head"] = f.head
        out.extend(inner)
    out.sort(key=lambda f: f.content[0][0] if f.content else 0)
    return out


def as_cited(doc: Doc) -> list[tuple[Token, RelayFound]]:
    """ "as cited by Reuters", "as reported by the Post", "as quoted in the Times" """
    out = []
    for t in doc:
        if t.lower_ != "as" or t.i + 2 >= len(doc):
            continue
        verb = doc[t.i + 1]
        relation = _AS_VERBS.get(verb.lemma_.lower())
        if relation is None or verb.tag_ != "VBN":
            continue
        prep = doc[t.i + 2]
        if prep.lower_ not in ("by", "in"):
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        out.append((t, RelayFound((pobj.left_edge.i, pobj.right_edge.i + 1), relation)))
    return out


def attach_as_cited(doc: Doc, found: list[Found]) -> None:
    """Give each "as cited by X" to the statement whose cue comes before it in its sentence."""
    for as_tok, relay in as_cited(doc):
        sent = as_tok.sent
        best = None
        for f in found:
            if f.cue is None or not (sent.start <= f.cue[0] < as_tok.i):
                continue
            if best is None or f.cue[0] > best.cue[0]:  # type: ignore[index]
                best = f
        if best is not None:
            best.extras.setdefault("relays", []).append(relay)  # type: ignore[union-attr]
