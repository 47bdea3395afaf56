"""The extractor: article text → spaCy Doc → statements.

Composition only; each stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from saywho import nlp as nlp_mod
from saywho.extraction import build
from saywho.extraction.finders import DEFAULT_PROFILE, Profile, finder
from saywho.records import Statement

# spaCy's parser slows down and its memory grows on very long docs, and
# max_length caps them: longer texts are parsed in paragraph-aligned chunks.
CHUNK_CHARS = 100_000


def as_date(published: date | str | None) -> date | None:
    if published is None or isinstance(published, date):
        return published
    return date.fromisoformat(str(published)[:10])


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, cut at paragraph or line breaks where possible."""
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = start + limit if cut < 0 else cut + 1
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


class Extractor:
    """Finds statements in articles. One instance loads its pipeline once."""

    def __init__(
        self, nlp: Language | None = None, model: str | None = None, profile: Profile | None = None
    ) -> None:
        self.nlp = nlp if nlp is not None else nlp_mod.load(model)
        # "accurate" (the learned tagger, default) or "fast" (the rules alone); loaded here, once
        self.profile: Profile = profile or DEFAULT_PROFILE
        self.finder = finder(self.profile)

    def from_doc(self, doc: Doc, published: date | str | None = None, article: str = "-") -> list[Statement]:
        return build.statements_from_doc(
            doc, published=as_date(published), article=article, profile=self.finder
        )

    def __call__(self, text: str, published: date | str | None = None, article: str = "-") -> list[Statement]:
        return next(self.pipe([(text, published, article)]))

    def pipe(
        self,
        items: Iterable[tuple[str, date | str | None, str]],
        batch_size: int = 8,
    ) -> Iterator[list[Statement]]:
        """Statements for each (text, published, article id), in input order."""
        items = list(items) if not isinstance(items, list) else items
        pieces: list[tuple[int, int, str]] = []  # (item index, offset, piece)
        for i, (text, _, _) in enumerate(items):
            pieces.extend((i, off, piece) for off, piece in chunks(text))
        docs = self.nlp.pipe((p for _, _, p in pieces), batch_size=batch_size)
        current: list[Statement] = []
        index = 0
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            while index < i:
                yield current
                current, index = [], index + 1
            _, published, article = items[i]
            found = self.from_doc(doc, published=published, article=article)
            current.extend(shift(st, offset) for st in found) if offset else current.extend(found)
        while index < len(items):
            yield current
            current, index = [], index + 1


def _moved(x: Any, offset: int) -> Any:  # any record with start/end
    if x is None or getattr(x, "start", None) is None:
        return x
    return replace(x, start=x.start + offset, end=x.end + offset)


def shift(st: Statement, offset: int) -> Statement:
    """A statement found in a chunk, with its offsets moved into the whole text."""
    return replace(
        st,
        content=[_moved(c, offset) for c in st.content],
        cue=_moved(st.cue, offset),
        speaker=_moved(st.speaker, offset),
        addressee=_moved(st.addressee, offset),
        relays=[_moved(r, offset) for r in st.relays],
        date=_moved(st.date, offset),
    )


_default: Extractor | None = None


def extract(text: str, published: date | str | None = None, article: str = "-") -> list[Statement]:
    """Every attributed statement in ``text``; spans are offsets into ``text``."""
    global _default
    if _default is None:
        _default = Extractor()
    return _default(text, published=published, article=article)
