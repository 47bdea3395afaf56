"""Helpers shared by the tests: the JSON contract and a stand-in extractor."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from saywho.batch import Item
from saywho.records import Span, Statement

# The public contract of `saywho extract --format jsonl` (records.py): fields may be added, never renamed.
CONTRACT = {"article", "kind", "content", "cue", "speaker", "addressee", "relays", "date", "confidence"}


QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


class QuoteFinder:
    """A stand-in extractor for testing the CLI's plumbing whatever the rules find.

    Every quoted passage is a direct statement; a text containing EXPLODE
    raises, as a buggy rule would, in the middle of the batch.
    """

    def __init__(self) -> None:
        self.calls = 0

    def pipe(self, items: Iterable[Item]) -> Iterator[list[Statement]]:
        self.calls += 1
        for text, _published, article in items:
            if "EXPLODE" in text:
                raise RuntimeError("rule crashed")
            yield [
                Statement(article=article, kind="direct", content=[Span.of(text, m.start(), m.end())])
                for m in QUOTE.finditer(text)
            ]
