"""Whatever the text, extraction never fails and every span is a slice of the original text."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

import saywho
from saywho.records import Statement

# Pieces of news prose and of punctuation, so that texts reach the extraction rules' paths.
FRAGMENTS = [
    *"\"“”‘’'«»„‹›—…",
    *("\n", "\n\n", "\r\n", " ", ", ", ". ", ": ", " that ", " on Tuesday", " last week", " in 2024"),
    *(" said ", " told reporters", " told the paper", " according to ", " reported", " as cited by Reuters"),
    *("Jane Roe", "Roe", "She", " he ", "the minister", "Ruritanian Finance Minister "),
    *("“No tax without a vote,” Roe said.", "« Non », a-t-il dit."),
]

texts = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12),
    ),
    max_size=40,
).map("".join)


def check(text: str, statements: list[Statement], article: str) -> None:
    for statement in statements:
        assert statement.article == article
        assert statement.kind in ("direct", "indirect", "mixed", "other")
        assert 0.0 <= statement.confidence <= 1.0
        for span in statement.spans():
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text


@settings(max_examples=60, deadline=None)
@given(text=texts, published=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_extract_never_fails_and_spans_are_slices(text: str, published: date | None) -> None:
    check(text, saywho.extract(text, published=published, article="prop"), "prop")
