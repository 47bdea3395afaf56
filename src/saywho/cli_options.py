"""Command-line options and checks shared by the commands of :mod:`saywho.cli`, :mod:`saywho.corpus_cli`
and :mod:`saywho.positions.cli`."""

from __future__ import annotations

from datetime import date
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


def day(value: str | None) -> date | None:
    """A YYYY-MM-DD option as a date (None stays None); anything else is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def iso_day(value: str | None) -> str | None:
    """:func:`day`, written back as YYYY-MM-DD (a typer callback)."""
    d = day(value)
    return None if d is None else d.isoformat()
