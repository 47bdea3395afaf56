"""Stand-ins for a local worker process (importable by name, so that spawned workers can load them)."""

from __future__ import annotations

import os
from typing import Any


def no_start(model: str | None, parent: int, profile: str | None = None) -> None:
    """A worker that loads nothing."""


def die_on_marker(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each article finds nothing, except one containing DIE, which kills its process (as the OOM
    killer would)."""
    if any("DIE" in r["text"] for r in rows):
        os._exit(1)
    return [{"key": r["key"], "statements": "[]", "n": 0, "error": None, "fatal": False} for r in rows]
