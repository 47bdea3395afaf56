"""Shared fixtures: one spaCy-backed extractor per module, and a stand-in for CLI plumbing tests."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from saywho import cli
from saywho.extraction import Extractor
from support import QuoteFinder


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()  # the pipeline itself is cached per process by saywho.nlp.load


@pytest.fixture
def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # Click < 8.2
    except TypeError:
        return CliRunner()  # Click >= 8.2 keeps stderr apart by default


@pytest.fixture
def quote_finder(monkeypatch: pytest.MonkeyPatch) -> QuoteFinder:
    finder = QuoteFinder()
    monkeypatch.setattr(cli, "load_extractor", lambda model, profile=None: finder)
    return finder
