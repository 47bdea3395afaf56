"""Web pages: the main text, title, author and outlet (trafilatura), the publication date (htmldate)."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlsplit

from saywho.ingest import Failure, Item
from saywho.records import Article

# trafilatura and htmldate log every page they find little in; the run reports failures itself.
for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def publication_date(html: str | bytes, url: str | None = None) -> date | None:
    """The original publication date from the page's markup and URL, without htmldate's guesswork.

    ``extensive_search=False``: only dates the page declares (meta tags,
    structured data, time elements, the URL), never a date found somewhere
    in the text, which is as often a date the article talks about.
    """
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate on broken markup: no date rather than no article
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def from_html(html: str | bytes, label: str, url: str | None = None, kind: str = "html") -> Item | Failure:
    """The article in a web page, or why there is none."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura on pathological markup
        return Failure(label, f"cannot parse the page: {type(exc).__name__}: {exc}")
    if doc is None:
        return Failure(label, "no main text found in the page")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (meta.get("text") or "").strip()
    if not text:
        return Failure(label, "no main text found in the page")
    outlet = meta.get("sitename") or (urlsplit(url).hostname if url else None)
    article = Article(
        id=label,
        text=text,
        url=url,
        title=meta.get("title") or None,
        outlet=outlet or None,
        author=meta.get("author") or None,
        published=publication_date(html, url),
    )
    return Item(article, kind)
