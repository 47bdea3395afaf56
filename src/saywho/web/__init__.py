"""The web app and HTTP API (``saywho serve``): read the record the way an analyst works.

:func:`create_app` builds the FastAPI application over a corpus database: a JSON API under ``/api``
(documented at ``/docs`` and ``/openapi.json``) and server-rendered pages for articles, actors, topics
and search. :mod:`.data` is the read interface for topics and positions.

Imports are lazy, so that ``saywho --help`` does not load FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from saywho.web.app import create_app
    from saywho.web.security import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from saywho.web.app import create_app

        return create_app
    if name == "Settings":
        from saywho.web.security import Settings

        return Settings
    raise AttributeError(name)
