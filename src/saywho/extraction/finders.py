"""Span finders: what finds source, cue and content spans, behind one interface.

* :class:`RuleFinder` — the hand-written rules over the parse (:mod:`rules`).
* :class:`LearnedFinder` — the attribution tagger (:mod:`tagger`), whose
  input includes the rules' own tags; its spans are linked into attributions
  here (each content and source to a cue by the parse and proximity).

Everything after finding — media relays, "as cited by", speaker resolution,
addressees, dates — runs the same on either finder's output
(:mod:`saywho.extraction.build`). Profiles name finders: ``fast`` is the
rules, ``accurate`` the tagger.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, Protocol

import numpy as np
from spacy.tokens import Doc

from saywho.extraction import lexicon, rules, tagging
from saywho.extraction.context import ArticleContext
from saywho.extraction.cues import lemma_key
from saywho.extraction.rules import Found, char_range

Profile = Literal["fast", "accurate"]
PROFILES: tuple[Profile, ...] = ("fast", "accurate")
DEFAULT_PROFILE: Profile = "accurate"

_QUOTE_CHARS = frozenset("\"“”«»„‹›‘’'`")
# A content or source farther than this many tokens from every cue of its
# sentence is not linked through the sentence.
_MAX_GAP_SOURCE = 12
# A content with no cue in its sentences continues the nearest attribution
# before it, at most this many paragraphs back.
_CONTINUATION_PARAS = 2
# A content in a sentence of its own is linked to a cue this close in its paragraph.
_BESIDE = 6
# A second content fragment of a cue's sentence this close to what the cue holds is the cue's.
_TOUCH = 3


class SpanFinder(Protocol):
    """Finds an article's attributions: ``find(ctx) -> list[Found]``, none nested in another."""

    name: str

    def find(self, ctx: ArticleContext) -> list[Found]: ...


class RuleFinder:
    name = "fast"

    def find(self, ctx: ArticleContext) -> list[Found]:
        return rules.find(ctx)


Span = tuple[str, int, int]  # (role, first token, end token)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens strictly between two token ranges (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


class _Sentences:
    """Sentence and paragraph numbers of tokens, for linking."""

    def __init__(self, ctx: ArticleContext) -> None:
        doc = ctx.doc
        self.ctx = ctx
        # a sentence as the parser cut it, but never across a line break
        starts = np.zeros(len(doc), dtype=np.int64)
        for s in doc.sents:
            starts[s.start] = 1
        for t in doc:
            if t.is_space and "\n" in t.text and t.i + 1 < len(doc):
                starts[t.i + 1] = 1
        self.sent_of = np.cumsum(starts)
        self._para_starts = [p[0] for p in ctx.paras]

    def sents(self, rng: tuple[int, int]) -> set[int]:
        return set(self.sent_of[rng[0] : rng[1]].tolist())

    def para(self, doc: Doc, tok: int) -> int:
        return max(0, bisect_right(self._para_starts, doc[tok].idx) - 1)


def link(ctx: ArticleContext, spans: Sequence[Span]) -> list[tuple[tuple[int, int] | None, list, list]]:
    """Group role spans into (cue, sources, contents) attributions.

    A content goes to the nearest cue sharing a sentence with it; failing
    that, to the attribution just before it (a quotation continuing in the
    next paragraph), else it stands alone. A source goes to the nearest cue of
    its sentence that has none yet.
    """
    doc = ctx.doc
    where = _Sentences(ctx)
    cues = sorted((a, b) for r, a, b in spans if r == "cue")
    groups: dict[tuple[int, int] | None, tuple[list, list]] = {c: ([], []) for c in cues}
    cue_sents = {c: where.sents(c) for c in cues}
    loose: list[tuple[int, int]] = []
    in_sentence: set[tuple[int, int]] = set()
    for role, a, b in sorted(spans, key=lambda s: s[1]):
        if role != "content":
            continue
        sents = where.sents((a, b))
        near = [c for c in cues if cue_sents[c] & sents]
        if near:
            best = min(near, key=lambda c: (_gap(c, (a, b)), c[0] > a))
            groups[best][1].append((a, b))
            in_sentence.add((a, b))
            continue
        para = where.para(doc, a)
        beside = [c for c in cues if _gap(c, (a, b)) <= _BESIDE and where.para(doc, c[0]) == para]
        if beside:
            # “…?” Roe asked. / Roe said. “…”: a sentence of its own right beside the cue
            groups[min(beside, key=lambda c: _gap(c, (a, b)))][1].append((a, b))
            continue
        before = [c for c in cues if c[1] <= a]
        if before and where.para(doc, a) - where.para(doc, before[-1][0]) <= _CONTINUATION_PARAS:
            # continue the attribution whose cue is last before this content
            groups[before[-1]][1].append((a, b))
            continue
        loose.append((a, b))
    sources = sorted((a, b) for r, a, b in spans if r == "source")
    # nearest pairs first, so two speakers in one sentence each get their own cue
    pairs = sorted(
        (_gap(s, c), s, c)
        for s in sources
        for c in cues
        if (cue_sents[c] & where.sents(s)) or _gap(s, c) <= 2
    )
    taken_s: set[tuple[int, int]] = set()
    for gap, s, c in pairs:
        if s in taken_s or groups[c][0] or (gap > _MAX_GAP_SOURCE and not (cue_sents[c] & where.sents(s))):
            continue
        groups[c][0].append(s)
        taken_s.add(s)
    # "He claimed … and said …": conjoined cues share their sentence's speaker
    for c in cues:
        if groups[c][0]:
            continue
        shared = [s for s in taken_s if cue_sents[c] & where.sents(s) and s[1] <= c[0]]
        if shared:
            groups[c][0].append(max(shared))
    for c in cues:
        loose.extend(_prune(doc, c, groups[c][0], groups[c][1], in_sentence))
    out: list[tuple[tuple[int, int] | None, list, list]] = [(c, g[0], g[1]) for c, g in groups.items()]
    out.extend((None, [], [c]) for c in loose)
    return out


def _prune(
    doc: Doc, cue: tuple[int, int], sources: list, contents: list, in_sentence: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Drop from ``contents`` (in place) the extra fragments of a sentence that are not this cue's.

    A sentence's second content fragment belongs to the cue only when it
    touches what the cue already holds (“…,” she said, “…”) or is a
    quotation; otherwise it is most likely the content of a cue the tagger
    missed, and it is returned to stand alone.
    """
    if len(contents) < 2:
        return []
    first = min(contents, key=lambda k: _gap(cue, k))
    lo, hi = min(cue[0], first[0], *(s[0] for s in sources)), max(cue[1], first[1], *(s[1] for s in sources))
    kept, dropped = [first], []
    for k in sorted((k for k in contents if k != first), key=lambda k: _gap((lo, hi), k)):
        quoted = doc[k[0]].text[:1] in _QUOTE_CHARS
        if k not in in_sentence or _gap((lo, hi), k) <= _TOUCH or quoted:
            kept.append(k)
            lo, hi = min(lo, k[0]), max(hi, k[1])
        else:
            dropped.append(k)
    contents[:] = sorted(kept)
    return dropped


def _trimmed_chars(doc: Doc, text: str, a: int, b: int) -> tuple[int, int]:
    s, e = char_range(doc, a, b)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _is_quoted(text: str, a: int, b: int) -> bool:
    return text[a] in _QUOTE_CHARS and text[b - 1] in _QUOTE_CHARS


class LearnedFinder:
    """The attribution tagger over the rules' tags, its spans linked into attributions."""

    name = "accurate"

    def __init__(self, model: str | None = None) -> None:
        from saywho.extraction import tagger

        self.tagger = tagger.load(model)

    def spans(
        self, ctx: ArticleContext, rule_found: Sequence[Found]
    ) -> tuple[list[Span], np.ndarray, list[int]]:
        feats = tagging.features(ctx, rule_found)
        pos, tags, logp = self.tagger.tag(ctx.doc, feats)
        return tagging.spans_from_tags(tags, pos), logp, pos

    def find(self, ctx: ArticleContext) -> list[Found]:
        doc = ctx.doc
        text = ctx.text
        rule_found = rules.find(ctx)
        spans, logp, pos = self.spans(ctx, rule_found)
        at = {p: k for k, p in enumerate(pos)}
        by_head = {f.head.i: f for f in rule_found if f.head is not None}
        out: list[Found] = []
        for cue, sources, contents in link(ctx, spans):
            content = [_trimmed_chars(doc, text, a, b) for a, b in contents]
            source = sources[0] if sources else None
            head = doc[cue[0] : cue[1]].root if cue is not None else None
            # how sure the tagger was of the cue's words (or the content's, without a cue)
            rng = cue if cue is not None else contents[0]
            prob = float(np.mean([np.exp(logp[at[k]].max()) for k in range(*rng) if k in at] or [0.5]))
            rule = by_head.get(head.i) if head is not None else None
            out.append(
                Found(
                    head=head,
                    cue=cue,
                    source=source,
                    content=content,
                    prob=round(prob, 3),
                    speech=head is not None
                    and head.lower_ != "according"
                    and lexicon.is_speech(lemma_key(head)),
                    quoted=bool(content) and all(_is_quoted(text, a, b) for a, b in content),
                    addressee=rule.addressee if rule is not None else None,
                )
            )
        out.sort(key=lambda f: f.content[0][0] if f.content else (doc[f.cue[0]].idx if f.cue else 0))
        return out


@lru_cache(maxsize=4)
def finder(profile: Profile | str | None = None) -> SpanFinder:
    """The finder for a profile (default :data:`DEFAULT_PROFILE`), built once per process."""
    profile = profile or DEFAULT_PROFILE
    if profile == "fast":
        return RuleFinder()
    if profile == "accurate":
        return LearnedFinder()
    raise ValueError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")
