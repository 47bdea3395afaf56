"""Web archives (WARC, gzipped or not; warcio): every archived HTML page is an article.

This is the format of web crawls, CC-NEWS among them. Responses other than
HTTP 200 HTML pages (redirects, images, robots.txt) are skipped silently:
they are not articles that failed, they are not articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from saywho.ingest import Failure, Item, Known
from saywho.ingest.html import from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(
    path: Path, label: str, is_known: Callable[[str], bool], max_bytes: int
) -> Iterator[Item | Failure | Known]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("response", "resource"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                        continue
                    ctype = record.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = record.rec_headers.get_header("Content-Type") or ""
                if ctype.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                where = url or f"{label}@{record.rec_headers.get_header('WARC-Record-ID')}"
                if url and is_known(url):
                    yield Known(url)
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Failure(where, f"too large: more than {max_bytes:,} bytes")
                    continue
                yield from_html(body, label=where, url=url, kind="warc")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Failure(label, f"cannot read the WARC file: {type(exc).__name__}: {exc}".strip())
