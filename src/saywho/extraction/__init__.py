"""Finding statements: cues, their content and source, resolution and enrichment."""

from saywho.extraction.pipeline import Extractor, extract

__all__ = ["Extractor", "extract"]
