"""Command-line options shared by the commands of :mod:`saywho.cli` and :mod:`saywho.corpus_cli`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from saywho.extraction.finders import DEFAULT_PROFILE


class ProfileName(StrEnum):
    fast = "fast"
    accurate = "accurate"


DEFAULT_PROFILE_NAME = ProfileName(DEFAULT_PROFILE)
ProfileOption = Annotated[
    ProfileName,
    typer.Option(
        "--profile",
        help="Span finder: accurate (the learned attribution tagger) or fast (the rules alone).",
    ),
]
