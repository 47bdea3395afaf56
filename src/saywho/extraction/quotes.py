"""Find quotations in raw text: paired marks, one paragraph at a time.

Works on characters, not tokens, so that every mark style is seen the same
way whatever the tokenizer does with it: “curly”, "straight", «guillemets»,
„low-nine“, ``''doubled apostrophes''`` (as some newspapers print them) and,
in articles that use no double marks at all, ‘single’ quotes. A quote left
open at the end of a paragraph continues when the next paragraph opens with a
mark (the newspaper convention for quotes over several paragraphs); any
other unbalanced mark is ignored rather than allowed to swallow the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Opening mark → the closing marks that may end it.
_DIRECTED = {"“": '”"', "«": "»", "„": "“”", "‹": "›", "‘": "’"}
_CLOSERS = {"”", "»", "›", "’"}
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[\"“«„‘'])|\n")
_MARK = re.compile(r"''|``|[\"“”«»„‹›]")
_SINGLE = re.compile(r"[‘’']")


@dataclass(slots=True)
class Quote:
    """One quoted stretch within a paragraph; ``start``/``end`` include the marks."""

    start: int
    end: int
    run: int  # quotes of one run continue each other over paragraphs
    closed: bool = True

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - (1 if self.closed else 0)


@dataclass(slots=True)
class QuoteRun:
    quotes: list[Quote] = field(default_factory=list)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph; a line break ends a paragraph."""
    out, pos = [], 0
    for m in _PARA.finditer(text):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _opens(text: str, i: int, width: int) -> bool:
    """Is the undirected mark at i an opening one? Judged by its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if after.isspace() or after in ",.;:!?)":
        return False
    return before.isspace() or before in "([{—–-/:;,\u00a0" or i == 0


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return not before.isspace()


def _marks(text: str, start: int, end: int, singles: bool) -> list[tuple[int, int, str]]:
    pattern = _SINGLE if singles else _MARK
    out = []
    for m in pattern.finditer(text, start, end):
        ch = m.group()
        if singles:
            i = m.start()
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if before.isalnum() and after.isalnum():
                continue  # don’t, O’Brien: an apostrophe
            if ch == "’" and before == "s" and after.isspace() and not _has_open_single(out):
                continue  # Jones’ car: a possessive
        out.append((m.start(), m.end(), ch))
    return out


def _has_open_single(marks: list[tuple[int, int, str]]) -> bool:
    return bool(marks) and marks[-1][2] in "‘'"


def _scan(text: str, start: int, end: int, singles: bool) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotes (start, end) in one paragraph, and where an unclosed one opens."""
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    open_mark = ""
    for i, j, ch in _marks(text, start, end, singles):
        if open_at is None:
            if ch in _CLOSERS:
                continue  # a stray closer
            if ch in _DIRECTED or _opens(text, i, j - i):
                open_at, open_mark = i, ch
            continue
        if open_mark in _DIRECTED:
            if ch in _DIRECTED[open_mark] or (ch in "\"''" and _closes(text, i)):
                found.append((open_at, j))
                open_at = None
            continue
        # an undirected opener: the same kind of mark (or a curly closer) closes it
        if ch in ('"', "''", "”", "'", "’") and _closes(text, i):
            found.append((open_at, j))
            open_at = None
        elif ch in _DIRECTED:
            open_at, open_mark = i, ch  # the earlier mark was stray
    return found, open_at


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text``, in order, continued runs sharing a ``run`` id."""
    singles = not _MARK.search(text)
    out: list[Quote] = []
    run = -1
    carrying = False  # the previous paragraph ended inside an open quote
    for p_start, p_end in paragraphs(text):
        found, open_at = _scan(text, p_start, p_end, singles)
        lead = text[p_start:p_end].lstrip()
        starts_quoted = bool(found or open_at is not None) and lead[:1] in "\"“«„‘'`"
        first = min([q[0] for q in found] + ([open_at] if open_at is not None else []), default=None)
        for k, (a, b) in enumerate(sorted(found)):
            if not (carrying and k == 0 and starts_quoted and a == first):
                run += 1
            out.append(Quote(a, b, run))
        if open_at is not None:
            if not (carrying and not found and starts_quoted):
                run += 1
            stop = p_end
            while stop > open_at and text[stop - 1].isspace():
                stop -= 1
            out.append(Quote(open_at, stop, run, closed=False))
        carrying = open_at is not None
    # an open quote whose paragraph is not continued is unbalanced: drop it
    kept = []
    for i, q in enumerate(out):
        if not q.closed and not (i + 1 < len(out) and out[i + 1].run == q.run):
            continue
        kept.append(q)
    return kept


def runs(quotes: list[Quote]) -> list[list[Quote]]:
    grouped: dict[int, list[Quote]] = {}
    for q in quotes:
        grouped.setdefault(q.run, []).append(q)
    return list(grouped.values())
