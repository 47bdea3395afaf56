"""Rule-based statement finding over a parsed Doc (placeholder until the rules land)."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from saywho.records import Statement


def statements_from_doc(doc: Doc, published: date | None = None, article: str = "-") -> list[Statement]:
    return []
