"""saywho: who said what, to whom, reported by whom, when — and where each actor stands."""

from saywho.extraction import Extractor, extract
from saywho.records import Article, DateRef, Mention, Relay, Span, Speaker, Statement

__version__ = "0.1.0"
# Stored with every extracted article: a newer extractor re-extracts on --reprocess.
EXTRACTOR_VERSION = "1"

__all__ = [
    "EXTRACTOR_VERSION",
    "Article",
    "DateRef",
    "Extractor",
    "Mention",
    "Relay",
    "Span",
    "Speaker",
    "Statement",
    "__version__",
    "extract",
]
