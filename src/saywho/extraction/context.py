"""What the rules need to know about a whole parsed article, computed once."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from saywho.extraction.quotes import Quote, find_quotes, paragraphs


@dataclass(slots=True)
class ArticleContext:
    doc: Doc
    # Doc.text re-joins every token on each access: keep it once
    text: str = ""
    quotes: list[Quote] = field(default_factory=list)
    paras: list[tuple[int, int]] = field(default_factory=list)
    _quote_starts: list[int] = field(default_factory=list)
    _para_starts: list[int] = field(default_factory=list)
    _tok_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Doc) -> ArticleContext:
        text = doc.text
        quotes = find_quotes(text)
        paras = paragraphs(text)
        return cls(
            doc, text, quotes, paras, [q.start for q in quotes], [p[0] for p in paras], [t.idx for t in doc]
        )

    def quote_at(self, char: int) -> Quote | None:
        """The quote whose marks enclose character ``char``, if any."""
        i = bisect_right(self._quote_starts, char) - 1
        if i >= 0 and self.quotes[i].start <= char < self.quotes[i].end:
            return self.quotes[i]
        return None

    def in_quote(self, tok: Token) -> bool:
        return self.quote_at(tok.idx) is not None

    def quotes_overlapping(self, start: int, end: int) -> list[Quote]:
        i = max(0, bisect_left(self._quote_starts, start) - 1)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].end > start:
                out.append(self.quotes[i])
            i += 1
        return out

    def para_of(self, char: int) -> tuple[int, int]:
        i = max(0, bisect_right(self._para_starts, char) - 1)
        return self.paras[i] if self.paras else (0, len(self.text))

    def para_index(self, char: int) -> int:
        return max(0, bisect_right(self._para_starts, char) - 1)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens that start within [start, end)."""
        i, j = bisect_left(self._tok_starts, start), bisect_left(self._tok_starts, end)
        return [self.doc[k] for k in range(i, j)]

    def token_at(self, char: int) -> Token | None:
        i = bisect_right(self._tok_starts, char) - 1
        return self.doc[i] if i >= 0 else None


_FULL_STOPS = frozenset({".", "!", "?", ";"})


def _own(tok: Token) -> set[int]:
    """Token ids of ``tok``'s non-clausal dependents: its subject, addressee, adverbials."""
    return {t.i for c in tok.children if c.dep_ not in ("ccomp", "conj", "advcl", "xcomp") for t in c.subtree}


def adjacent_quotes(tok: Token, ctx: ArticleContext) -> list[Quote]:
    """Quotes that ``tok`` (a verb outside them) introduces or closes, nearest first.

    Adjacent means: in the same paragraph, with nothing between quote and verb
    but punctuation and the verb's own dependents (its subject, "told
    reporters", "in a statement") — “…,” Roe said. / Roe said: “…” / “…,” she
    said, “…”.
    """
    if ctx.in_quote(tok):
        return []
    p_start, p_end = ctx.para_of(tok.idx)
    own = _own(tok)
    out: list[tuple[int, Quote]] = []
    for q in ctx.quotes_overlapping(p_start, p_end):
        if q.end <= tok.idx:
            gap = ctx.tokens_between(q.end, tok.idx)
        elif q.start >= tok.idx + len(tok):
            gap = ctx.tokens_between(tok.idx + len(tok), q.start)
        else:
            continue
        # a sentence end between them means the quote belongs elsewhere
        if any(t.text in _FULL_STOPS for t in gap):
            continue
        if len(gap) <= 12 and all(t.is_punct or t.is_space or t.i in own for t in gap):
            out.append((len(gap), q))
    out.sort(key=lambda x: x[0])
    return [q for _, q in out]


def quote_adjacent(tok: Token, ctx: ArticleContext) -> Quote | None:
    found = adjacent_quotes(tok, ctx)
    return found[0] if found else None
