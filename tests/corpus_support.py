"""Helpers for the corpus tests: statements built by hand, so that the store is tested without spaCy."""

from __future__ import annotations

from datetime import date

from saywho.records import Article, DateRef, Span, Speaker, Statement


def said(
    text: str,
    quote: str,
    name: str | None,
    *,
    article: str = "a",
    role: str | None = None,
    country: str | None = None,
    org: str | None = None,
    kind: str = "direct",
    when: tuple[str, str] | None = None,  # (value, precision)
) -> Statement:
    """A statement whose content is ``quote``, found in ``text``, said by ``name``.

    A ``quote`` given by its opening words ("“No tax") runs on to its closing mark.
    """
    start = text.index(quote)
    if quote.startswith("“") and "”" not in quote:
        quote = text[start : text.index("”", start) + 1]
    speaker = Speaker(None, None, None, name=name, role=role, org=org, country=country) if name else None
    return Statement(
        article=article,
        kind=kind,  # type: ignore[arg-type]
        content=[Span.of(text, start, start + len(quote))],
        speaker=speaker,
        date=DateRef(start, start + 1, text[start], when[0], when[1]) if when else None,  # type: ignore[arg-type]
        confidence=0.9,
    )


def article(
    label: str,
    text: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = "2024-03-08",
    title: str | None = None,
) -> Article:
    return Article(
        id=label,
        text=text,
        url=url,
        outlet=outlet,
        title=title,
        published=date.fromisoformat(published) if published else None,
    )
