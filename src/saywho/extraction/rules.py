"""Rule-based attribution finding over a parsed Doc: cue → content and source.

Candidates are taken outermost first (by depth in the parse, quoted words
last), and a candidate inside the content of one already taken is skipped:
"Roe said the minister *told* her…" is one statement by Roe, as PolNeAR
and readers count it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from saywho.extraction import lexicon
from saywho.extraction.context import ArticleContext, adjacent_quotes
from saywho.extraction.cues import CONTENT_PREPS, candidate_pos, frame, lemma_key
from saywho.extraction.quotes import Quote

# Below this a candidate is not even tried; the accept thresholds are higher.
MIN_CANDIDATE = 0.15
ACCEPT = 0.45
ACCEPT_NO_SOURCE = 0.65
# A quotation this long is speech; a shorter one may be a scare quote or a title.
MIN_QUOTE_WORDS = 4

_QUOTE_CHARS = frozenset("\"“”«»„‹›‘’'`")
_CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
# Nouns that, after "in"/"during", name the act of saying: "said in a statement".
VENUE_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "speech",
        "release",
        "letter",
        "post",
        "tweet",
        "email",
        "e-mail",
        "op-ed",
        "remarks",
        "remark",
        "conference",
        "briefing",
        "video",
        "message",
        "note",
        "memo",
        "column",
        "essay",
        "appearance",
        "address",
        "hearing",
        "testimony",
        "broadcast",
        "podcast",
        "call",
        "phone",
        "session",
        "rally",
        "debate",
        "event",
    ]
)
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset({"who", "which", "that", "whom"})


@dataclass(slots=True)
class Found:
    """One attribution as the rules found it, before resolution and enrichment."""

    head: Token | None  # the cue's head token
    cue: tuple[int, int] | None  # token range [start, end)
    source: tuple[int, int] | None  # token range of the speaker mention
    content: list[tuple[int, int]]  # character ranges
    prob: float
    speech: bool = True
    quoted: bool = False
    addressee: tuple[int, int] | None = None
    carried_from: Found | None = None  # a verbless continuation of an earlier statement
    extras: dict[str, object] = field(default_factory=dict)


def depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


# ---------------------------------------------------------------- spans


def _is_quote_mark(tok: Token) -> bool:
    return bool(tok.text) and all(ch in _QUOTE_CHARS for ch in tok.text)


def runs_of(tokens: Iterable[Token]) -> list[tuple[int, int]]:
    """Contiguous token-index runs [a, b) of a set of tokens."""
    ids = sorted({t.i for t in tokens})
    out: list[tuple[int, int]] = []
    for i in ids:
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def trim(doc: Doc, a: int, b: int, keep_quotes: bool = True) -> tuple[int, int] | None:
    """Drop edge punctuation from a token range; quote marks at the edges stay when paired."""
    while a < b and (doc[a].is_punct or doc[a].is_space) and not (keep_quotes and _is_quote_mark(doc[a])):
        a += 1
    while a < b and (doc[b - 1].is_punct or doc[b - 1].is_space):
        t = doc[b - 1]
        if keep_quotes and _is_quote_mark(t):
            break
        b -= 1
    # a lone quote mark at one edge, unmatched inside the range, is an artefact of the cut
    if a < b and _is_quote_mark(doc[a]) and not any(_is_quote_mark(doc[k]) for k in range(a + 1, b)):
        a += 1
        while a < b and (doc[a].is_punct or doc[a].is_space) and not _is_quote_mark(doc[a]):
            a += 1
    if a < b and _is_quote_mark(doc[b - 1]) and not any(_is_quote_mark(doc[k]) for k in range(a, b - 1)):
        b -= 1
        while a < b and (doc[b - 1].is_punct or doc[b - 1].is_space) and not _is_quote_mark(doc[b - 1]):
            b -= 1
    return (a, b) if a < b else None


def char_range(doc: Doc, a: int, b: int) -> tuple[int, int]:
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def subtree_fragments(doc: Doc, tokens: Iterable[Token], exclude: set[int]) -> list[tuple[int, int]]:
    """Character fragments of a token set, minus excluded tokens, punctuation-trimmed."""
    out = []
    for a, b in runs_of(t for t in tokens if t.i not in exclude):
        r = trim(doc, a, b)
        if r is not None and any(not doc[k].is_punct for k in range(*r)):
            out.append(char_range(doc, *r))
    return out


# ---------------------------------------------------------------- source


def subject_of(tok: Token) -> Token | None:
    """The subject of a cue, climbing through conjoined and embedded verbs that lack one."""
    seen = 0
    while seen < 6:
        subjects = [
            c for c in tok.children if c.dep_ in ("nsubj", "csubj") and not c.is_punct and c.pos_ != "SPACE"
        ]
        if subjects:
            # "the news agency Nordpress reported": two subjects side by side are one mention
            return subjects[-1]
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i:
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.children):
                return None  # "because she said…": its own clause, no subject to borrow
            tok = tok.head
            seen += 1
            continue
        if tok.dep_ == "relcl" and tok.head.i != tok.i:
            return None
        return None
    return None


def source_range(doc: Doc, subj: Token) -> tuple[int, int] | None:
    """The speaker mention: the subject's subtree, with a closing parenthetical comma."""
    toks = [t for t in subj.subtree]
    a, b = toks[0].i, toks[-1].i + 1
    for sib in subj.head.children:
        if sib.dep_ == sib.dep_ == subj.dep_ and sib.i < a and sib.right_edge.i + 1 == a and not sib.is_punct:
            a = sib.left_edge.i
    # headers and datelines glued to a subject by the parser: keep the head's line
    for k in range(subj.i - 1, a - 1, -1):
        if "\n" in doc[k].text or "\n" in doc[k].whitespace_:
            a = k + 1
            break
    for k in range(subj.i, b):
        if "\n" in doc[k].whitespace_ or "\n" in doc[k].text:
            b = k + 1
            break
    r = trim(doc, a, b, keep_quotes=False)
    if r is None:
        return None
    a, b = r
    # "Mr. Reid, who represents Nevada, said": the closing comma belongs to the pair.
    if b < len(doc) and doc[b].text == "," and any(doc[k].text == "," for k in range(a, b)):
        b += 1
    return a, b


# ---------------------------------------------------------------- cue span


def cue_range(tok: Token, prep: Token | None = None) -> tuple[int, int]:
    """The verb group: auxiliaries, negation and adverbs to the left, particles to the right."""
    doc = tok.doc
    left = {c.i for c in tok.children if c.dep_ in _CUE_LEFT_DEPS and c.i < tok.i}
    a = tok.i
    while a - 1 in left:
        a -= 1
    b = tok.i + 1
    rights = {c.i: c for c in tok.children if c.i > tok.i}
    while b in rights and rights[b].dep_ in ("prt",):
        b += 1
    if prep is not None and prep.i == b:
        b += 1
    # "said Tuesday": a bare date right after the verb is part of the cue
    if b in rights and rights[b].dep_ == "npadvmod" and rights[b].ent_type_ in ("DATE", "TIME"):
        b = max(t.i for t in rights[b].subtree) + 1
    # "said in a statement": a venue phrase right after the verb is part of the cue
    if b in rights and rights[b].dep_ == "prep" and rights[b].lower_ in ("in", "during", "at", "on"):
        pobj = next((c for c in rights[b].children if c.dep_ == "pobj"), None)
        if pobj is not None and pobj.lemma_.lower() in VENUE_NOUNS and tok.pos_ == "VERB":
            end = pobj.i + 1
            if not any(doc[k].is_punct for k in range(b, end)):
                b = end
    return a, b


# ---------------------------------------------------------------- content


_NON_CONTENT_RIGHT = frozenset(
    {
        "punct",
        "advmod",
        "npadvmod",
        "cc",
        "conj",
        "advcl",
        "nsubj",
        "nsubjpass",
        "agent",
        "dative",
        "aux",
        "auxpass",
        "neg",
        "prt",
        "mark",
        "parataxis",
        "dep",
        "intj",
    }
)


def _content_children(tok: Token) -> list[Token]:
    """Complements of a cue to its right that make up what was said or thought."""
    kids = [c for c in tok.children if c.i > tok.i and c.dep_ not in _NON_CONTENT_RIGHT]
    out = []
    for c in kids:
        if c.dep_ == "prep":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (
                pobj.lemma_.lower() in VENUE_NOUNS or pobj.ent_type_ in ("DATE", "TIME")
            ):
                continue  # "in a statement", "on Wednesday": how and when, not what
            if c.lower_ not in CONTENT_PREPS and not out:
                continue
        out.append(c)
    return out


def content_for(
    tok: Token,
    fr: str,
    quotes: list[Quote],
    exclude: set[int],
    ctx: ArticleContext,
    cue: tuple[int, int] | None = None,
) -> tuple[list[tuple[int, int]], bool]:
    """The content fragments of cue ``tok`` and whether they are quotations."""
    doc = tok.doc
    ccomp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if ccomp is None and cue is not None:
        # "said in a statement that…": parsers hang the clause on the venue noun
        ccomp = next(
            (
                c
                for t in doc[cue[0] : cue[1]]
                if t.i != tok.i
                for c in t.children
                if c.dep_ in ("acl", "ccomp")
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
    if quotes and (ccomp is None or _inside_any(ccomp.idx, quotes)):
        return [(q.start, q.end) for q in sorted(quotes, key=lambda q: q.start)], True
    if ccomp is not None:
        toks = list(ccomp.subtree)
    else:
        passive_subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if passive_subj is not None and any(c.dep_ == "agent" for c in tok.children):
            toks = list(passive_subj.subtree)
        else:
            toks = [t for c in _content_children(tok) for t in c.subtree]
    if not toks:
        return [], False
    frags = subtree_fragments(doc, toks, exclude | _own_attributions(toks) | _not_said(toks))
    return [complete_quotes(ctx, a, b) for a, b in frags], False


def _own_attributions(toks: list[Token]) -> set[int]:
    """Token ids of ", saying…" / "and said…" inside a content: attributions of their own."""
    ids = {t.i for t in toks}
    out: set[int] = set()
    for t in toks:
        if t.i in out or t.dep_ not in ("advcl", "conj") or t.head.i not in ids:
            continue
        if any(c.dep_ in _SUBJ for c in t.children):
            continue
        if not lexicon.is_speech(lemma_key(t)):
            continue
        if t.dep_ == "advcl" and t.tag_ != "VBG":
            continue
        sub = {x.i for x in t.subtree}
        left = min(sub)
        # the comma or "and" that joined it goes with it
        while left - 1 in ids and (t.doc[left - 1].is_punct or t.doc[left - 1].dep_ == "cc"):
            left -= 1
            sub.add(left)
        out |= sub
    return out


_RELAY_VERBS = frozenset({"cite", "quote", "report", "relay"})


def _not_said(toks: list[Token]) -> set[int]:
    """Token ids in a content span that are the author's, not the speaker's.

    "…, as cited by Reuters" is a relay; "said on Monday he…" parsed with
    "on Monday" inside the clause is when it was said.
    """
    ids = {t.i for t in toks}
    out: set[int] = set()
    for t in toks:
        if (
            t.dep_ == "advcl"
            and t.lemma_.lower() in _RELAY_VERBS
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
        ):
            sub = {x.i for x in t.subtree}
            left = min(sub)
            while left - 1 in ids and t.doc[left - 1].is_punct:
                left -= 1
                sub.add(left)
            out |= sub
    head = min(toks, key=lambda t: depth(t))
    if not any(c.dep_ == "mark" for c in head.children):
        subj = next((c for c in head.children if c.dep_ in _SUBJ), None)
        for c in head.children:
            if (
                c.dep_ in ("prep", "npadvmod")
                and subj is not None
                and c.i < subj.i
                and c.left_edge.i == min(ids)
                and any(x.ent_type_ in ("DATE", "TIME") for x in c.subtree)
            ):
                out |= {x.i for x in c.subtree}
    return out


def complete_quotes(ctx: ArticleContext, a: int, b: int) -> tuple[int, int]:
    """Widen a fragment that cuts a quotation so that the quotation is whole."""
    for q in ctx.quotes_overlapping(a, b):
        if a <= q.start < b < q.end:
            b = q.end
        elif q.start < a < q.end <= b:
            a = q.start
    return a, b


def _inside_any(char: int, quotes: list[Quote]) -> bool:
    return any(q.start <= char < q.end for q in quotes)


# ---------------------------------------------------------------- according to


def according_to(tok: Token, exclude: set[int], ctx: ArticleContext) -> Found | None:
    """ "According to X, …" / "…, according to X": X is the source, the clause the content."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    src = source_range(doc, pobj) if pobj is not None else None
    if src is not None and src[1] < len(doc) and doc[src[1] - 1].text == ",":
        src = (src[0], src[1] - 1)
    head = tok.head if tok.head.i != tok.i else None
    if head is None:
        return None
    phrase = {t.i for t in tok.subtree} | {to.i}
    if pobj is not None:
        phrase |= {t.i for t in pobj.subtree}
    # "According to Limbaugh, “…”": the quotation right after the phrase is the content
    after = max(phrase) + 1
    while after < len(doc) and doc[after].text in (",", ":", "—", "–"):
        after += 1
    q = ctx.quote_at(doc[after].idx) if after < len(doc) else None
    if q is not None and q.start == doc[after].idx:
        return Found(
            head=tok,
            cue=(tok.i, tok.i + 2),
            source=src,
            content=[(q.start, q.end)],
            prob=0.9,
            speech=False,
            quoted=True,
        )
    body = [t for t in head.subtree if t.i not in phrase and t.dep_ != "conj"]
    # a conjoined clause after the source's sentence part is the author's, not the source's
    conj_ids = {t.i for c in head.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    body = [t for t in body if t.i not in conj_ids]
    frags = subtree_fragments(doc, body, exclude | phrase)
    if not frags:
        return None
    return Found(head=tok, cue=(tok.i, tok.i + 2), source=src, content=frags, prob=0.9, speech=False)


# ---------------------------------------------------------------- main


Candidate = tuple[tuple[int, int, int], Token, str, list[Quote], float]


def candidates(ctx: ArticleContext, within: tuple[int, int] | None = None) -> list[Candidate]:
    """Possible cues, outermost first; only those starting inside ``within`` if given."""
    doc = ctx.doc
    cands: list[Candidate] = []
    tokens = doc if within is None else ctx.tokens_between(*within)
    for tok in tokens:
        if tok.is_punct or tok.is_space or not candidate_pos(tok):
            continue
        if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "so":
            continue  # "so-called": the author's distance, not anyone's statement
        q = ctx.quote_at(tok.idx)
        if q is not None and len(ctx.text[q.start : q.end].split()) >= MIN_QUOTE_WORDS:
            continue  # words inside a quotation are what someone said, not the author's attribution
        quotes = adjacent_quotes(tok, ctx) if tok.pos_ in ("VERB", "AUX") else []
        fr = frame(tok, bool(quotes))
        p = 0.95 if tok.lower_ == "according" else lexicon.probability(lemma_key(tok), tok.pos_, fr)
        if p < MIN_CANDIDATE:
            continue
        # "X said Y, according to Z": Z's report holds X's statement, so it goes first
        rank = -1 if tok.lower_ == "according" else depth(tok)
        cands.append(((int(ctx.in_quote(tok)), rank, tok.i), tok, fr, quotes, p))
    cands.sort(key=lambda c: c[0])
    return cands


def find(ctx: ArticleContext) -> list[Found]:
    """Every attribution in the article, none nested in another's content."""
    taken = take(ctx, candidates(ctx))
    taken.extend(verbless(ctx, taken))
    taken.sort(key=lambda f: f.content[0][0] if f.content else 0)
    _carry_quotes(ctx, taken)
    return taken


def take(ctx: ArticleContext, cands: list[Candidate], used: set[int] | None = None) -> list[Found]:
    """Accept candidates outermost first, skipping those inside what was already taken."""
    taken: list[Found] = []
    covered: list[tuple[int, int]] = []
    used = set(used or ())  # token ids already part of a cue or source

    def is_covered(char: int) -> bool:
        return any(a <= char < b for a, b in covered)

    for _, tok, fr, quotes, p in cands:
        if is_covered(tok.idx) or tok.i in used:
            continue
        f = (
            according_to(tok, used, ctx)
            if tok.lower_ == "according"
            else _verb_found(tok, fr, quotes, p, used, ctx)
        )
        if f is None:
            continue
        threshold = ACCEPT if f.source is not None else ACCEPT_NO_SOURCE
        if f.prob < threshold:
            continue
        if any(is_covered(a) for a, _ in f.content) and not f.quoted:
            continue
        taken.append(f)
        covered.extend(f.content)
        for r in (f.cue, f.source):
            if r is not None:
                used.update(range(*r))
    return taken


def _noun_found(
    tok: Token, quotes: list[Quote], p: float, used: set[int], ctx: ArticleContext
) -> Found | None:
    """ "Roe's remarks that…", "her claim that…", "his call for a vote": a noun cue and its owner."""
    doc = tok.doc
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is None:
        return None  # a noun cue without an owner is too often the author's own wording
    src = trim(doc, poss.left_edge.i, poss.i + 1, keep_quotes=False)
    if src is None:
        return None
    case = next((c for c in poss.children if c.dep_ == "case"), None)
    cue_start = case.i if case is not None else tok.i
    clause = next(
        (
            c
            for c in tok.children
            if c.dep_ in ("acl", "ccomp", "appos")
            and c.i > tok.i
            and (c.dep_ == "appos" or any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
        ),
        None,
    )
    cue_end = tok.i + 1
    if clause is not None:
        toks = list(clause.subtree)
    else:
        prep = next(
            (c for c in tok.children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS and c.i > tok.i), None
        )
        pobj = (
            next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
            if prep is not None
            else None
        )
        if pobj is None:
            return None
        toks = list(pobj.subtree)
        if prep is not None and prep.i == tok.i + 1:
            cue_end = prep.i + 1
    exclude = set(range(src[0], cue_end)) | used
    frags = [complete_quotes(ctx, a, b) for a, b in subtree_fragments(doc, toks, exclude)]
    if not frags:
        return None
    speech = lexicon.is_speech(tok.lemma_.lower()) or tok.lemma_.lower() in _SPEECH_NOUNS
    if clause is not None and tok.lemma_.lower() in _SPEECH_NOUNS:
        p = max(p, 0.6)  # an owner, a speech noun and a that-clause: "Roe's claim that…"
    return Found(tok, (cue_start, cue_end), src, frags, p, speech=speech)


_SPEECH_NOUNS = frozenset(
    [
        "remark",
        "remarks",
        "comment",
        "statement",
        "claim",
        "call",
        "warning",
        "promise",
        "pledge",
        "assertion",
        "denial",
        "accusation",
        "criticism",
        "message",
        "words",
        "speech",
        "announcement",
        "testimony",
        "argument",
        "suggestion",
        "insistence",
    ]
)


def _verb_found(
    tok: Token, fr: str, quotes: list[Quote], p: float, used: set[int], ctx: ArticleContext
) -> Found | None:
    if tok.pos_ == "NOUN":
        return _noun_found(tok, quotes, p, used, ctx)
    doc = tok.doc
    prep = None
    if fr == "prep":
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS), None)
    cue = cue_range(tok, prep if (prep is not None and prep.i == tok.i + 1) else None)
    subj = subject_of(tok)
    if subj is not None and subj.lower_ in ("it", "there") and subj.dep_ == "nsubj":
        subj = None  # "it is said that…": an empty subject is no source
    src = source_range(doc, subj) if subj is not None else None
    exclude = set(range(*cue)) | (set(range(*src)) if src else set()) | used
    content, quoted = content_for(tok, fr, quotes, exclude, ctx, cue)
    if not content:
        return None
    if src is not None and any(src[0] <= k < src[1] for k in range(*cue)):
        src = None
    addressee = None
    if tok.lemma_ == "tell" or lemma_key(tok) in ("tell", "assure", "inform", "remind", "warn", "brief"):
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if obj is not None and not any(a <= obj.idx < b for a, b in content):
            addressee = trim(doc, obj.left_edge.i, obj.right_edge.i + 1, keep_quotes=False)
    speech = lexicon.is_speech(lemma_key(tok))
    return Found(tok, cue, src, content, p, speech=speech, quoted=quoted, addressee=addressee)


def _carry_quotes(ctx: ArticleContext, taken: list[Found]) -> None:
    """Quotes no cue claims: continuations of the statement before them, or scare quotes.

    A paragraph that opens with a quotation and has no cue of its own continues
    the most recent direct statement in the paragraphs just before it.
    """
    claimed = {q.start for f in taken for q in ctx.quotes if any(a <= q.start < b for a, b in f.content)}
    carried: list[Found] = []
    by_run: dict[int, Found] = {}
    for f in taken:
        for q in ctx.quotes:
            if q.start in {a for a, _ in f.content}:
                by_run[q.run] = f
    for q in ctx.quotes:
        if q.start in claimed:
            continue
        owner = by_run.get(q.run)
        if owner is None:
            owner = _previous_direct(ctx, taken, q)
        if owner is None:
            prev = _previous_speaker(ctx, taken, q)
            if prev is not None:
                carried.append(
                    Found(None, None, None, [(q.start, q.end)], 0.5, quoted=True, carried_from=prev)
                )
                claimed.add(q.start)
            continue
        owner.content.append((q.start, q.end))
        owner.content.sort()
        by_run[q.run] = owner
        claimed.add(q.start)
    if carried:
        taken.extend(carried)
        taken.sort(key=lambda f: f.content[0][0] if f.content else 0)


def _previous_direct(ctx: ArticleContext, taken: list[Found], q: Quote) -> Found | None:
    """The direct statement an unclaimed quotation continues, if it continues one.

    It must open its paragraph or its sentence, be long enough to be speech,
    and follow that statement with no other statement in between.
    """
    text = ctx.text
    p_start, _ = ctx.para_of(q.start)
    before = text[p_start : q.start].rstrip()
    if before and before[-1] not in ".!?”\"'’":
        return None  # inside a sentence: a scare quote or an embedded phrase
    if len(text[q.start : q.end].split()) < MIN_QUOTE_WORDS:
        return None
    para = ctx.para_index(q.start)
    prior = [f for f in taken if f.content and min(a for a, _ in f.content) < q.start]
    if not prior:
        return None
    last = max(prior, key=lambda f: max(b for _, b in f.content))
    end = max(b for _, b in last.content)
    if not last.quoted or end > q.start or para - ctx.para_index(end) > 2:
        return None
    return last


_DASHES = "—–―-"


def _previous_speaker(ctx: ArticleContext, taken: list[Found], q: Quote) -> Found | None:
    """An indirect statement just before a paragraph that is one cue-less quotation.

    "Roe said the tax was dead.\n\n“We will not change course.”" — the quotation
    is most likely Roe's: her speaker is carried over, with no mention of its own.
    """
    text = ctx.text
    p_start, p_end = ctx.para_of(q.start)
    if text[p_start : q.start].strip() or text[q.end : p_end].strip() not in ("", ".", ","):
        return None
    if len(text[q.start : q.end].split()) < MIN_QUOTE_WORDS:
        return None
    para = ctx.para_index(q.start)
    prior = [f for f in taken if f.content and max(b for _, b in f.content) <= q.start]
    if not prior:
        return None
    last = max(prior, key=lambda f: max(b for _, b in f.content))
    if last.source is None or para - ctx.para_index(max(b for _, b in last.content)) != 1:
        return None
    return last


def verbless(ctx: ArticleContext, taken: list[Found]) -> list[Found]:
    """Quotations attributed without a cue: “…” — Jane Roe; From the ministry: “…”."""
    claimed = {a for f in taken for a, _ in f.content}
    out = []
    for q in ctx.quotes:
        if q.start in claimed or not q.closed:
            continue
        src = _dash_signature(ctx, q) or _colon_lead(ctx, q)
        if src is not None:
            out.append(Found(None, None, src, [(q.start, q.end)], 0.8, quoted=True))
    return out


def _dash_signature(ctx: ArticleContext, q: Quote) -> tuple[int, int] | None:
    """“…” — Jane Roe"""
    doc, text = ctx.doc, ctx.text
    k = q.end
    while k < len(text) and text[k] in " \t\u00a0":
        k += 1
    if k >= len(text) or text[k] not in _DASHES:
        return None
    k += 1
    while k < len(text) and text[k] in " \t\u00a0":
        k += 1
    first = ctx.token_at(k)
    if first is None or first.idx != k or not (first.pos_ == "PROPN" or first.ent_type_ == "PERSON"):
        return None
    end = first.i
    while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and "\n" not in doc[end].whitespace_:
        end += 1
    return first.i, end + 1


def _colon_lead(ctx: ArticleContext, q: Quote) -> tuple[int, int] | None:
    """From the ministry: “…” / Roe: “…” — a short name or noun phrase, a colon, a quotation."""
    text = ctx.text
    p_start, _ = ctx.para_of(q.start)
    lead = text[p_start : q.start].rstrip()
    if not lead.endswith(":"):
        return None
    # the lead is the paragraph's start or the sentence's
    cut = max(lead.rfind(". ", 0, len(lead) - 1), lead.rfind("? ", 0, len(lead) - 1))
    start = p_start + (cut + 2 if cut >= 0 else 0)
    toks = [t for t in ctx.tokens_between(start, p_start + len(lead) - 1) if not t.is_space]
    if toks and toks[0].lower_ == "from":
        toks = toks[1:]
    if not toks or len(toks) > 8 or not any(t.pos_ in ("PROPN", "NOUN") for t in toks):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None  # "He said:" is a cue the verb rules handle
    return toks[0].i, toks[-1].i + 1
