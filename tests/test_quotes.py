"""Quotation finding on sentences written for these tests."""

from __future__ import annotations

import pytest

from saywho.extraction.quotes import find_quotes, paragraphs


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“No tax without a vote,” Roe said.", ["“No tax without a vote,”"]),
        ('"No tax without a vote," Roe said.', ['"No tax without a vote,"']),
        ("«Pas de taxe», a dit Roe.", ["«Pas de taxe»"]),
        ("„Keine Steuer“, sagte Roe.", ["„Keine Steuer“"]),
        ("Roe said ''it is over,'' and left.", ["''it is over,''"]),
        ("``It is over,'' Roe said.", ["``It is over,''"]),
    ],
)
def test_mark_styles(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_split_quote_gives_two_quotes_in_order() -> None:
    text = "“The tax is dead,” she said, “and it will stay dead.”"
    assert quoted(text) == ["“The tax is dead,”", "“and it will stay dead.”"]


def test_quote_over_paragraphs_is_one_run() -> None:
    text = "“We will not yield. The vote is ours.\n\n“Nobody else decides,” Ash said.\n\nThe end."
    qs = find_quotes(text)
    assert [text[q.start : q.end] for q in qs] == [
        "“We will not yield. The vote is ours.",
        "“Nobody else decides,”",
    ]
    assert qs[0].run == qs[1].run
    assert not qs[0].closed and qs[1].closed


def test_separate_paragraph_quotes_are_separate_runs() -> None:
    text = "“One,” she said.\n\n“Two,” he said."
    qs = find_quotes(text)
    assert len(qs) == 2 and qs[0].run != qs[1].run


def test_unbalanced_mark_does_not_swallow_the_article() -> None:
    text = 'He said " something odd.\n\nLater, “a real quote,” she said.'
    assert quoted(text) == ["“a real quote,”"]


def test_apostrophes_are_not_quotes_when_singles_are_used() -> None:
    text = "‘We won’t go,’ said O’Brien, who owns Jones’ farm."
    assert quoted(text) == ["‘We won’t go,’"]


def test_single_marks_ignored_when_article_uses_doubles() -> None:
    text = "“It was a ‘mistake’,” he said. Don’t."
    assert quoted(text) == ["“It was a ‘mistake’,”"]


def test_stray_closer_is_ignored() -> None:
    assert quoted("Nothing ” here “but this” now.") == ["“but this”"]


def test_offsets_are_into_the_original_text() -> None:
    text = "A\r\n\r\n  “Quoted words,” said X."
    for q in find_quotes(text):
        assert text[q.start] == "“" and text[q.end - 1] == "”"


def test_paragraphs_cover_non_empty_lines() -> None:
    text = "One.\n\nTwo.\nThree.\n\n\n"
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two.", "Three."]
