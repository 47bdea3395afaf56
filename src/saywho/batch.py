"""Extracting many articles in one batch, where one failing article costs only itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Protocol

from saywho.records import Statement

Item = tuple[str, date | str | None, str]  # (text, published, article id)


class Piper(Protocol):
    def pipe(self, items: Iterable[Item]) -> Iterator[list[Statement]]: ...


def extract_each(
    extractor: Piper, items: Sequence[Item]
) -> Iterator[tuple[int, list[Statement] | Exception]]:
    """``(index, statements)`` for each item in order, or ``(index, exception)`` where it failed.

    The items go through one ``extractor.pipe`` call (spaCy batches them). When
    that raises, the item it had reached is retried on its own, reported as
    failed if it fails again, and batching resumes after it.
    """
    start = 0
    while start < len(items):
        done = start
        try:
            for statements in extractor.pipe(items[start:]):
                yield done, statements
                done += 1
            return
        except Exception:  # the culprit is found and reported below
            pass
        # items[done] or one of its batch-mates raised: try items[done] alone.
        result: list[Statement] | Exception
        try:
            result = next(iter(extractor.pipe([items[done]])))
        except Exception as exc:
            result = exc
        yield done, result
        start = done + 1
