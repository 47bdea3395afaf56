"""Topics: propositions users track, their names and keywords, from the CLI or a TOML/YAML file.

A topic file holds one or more topics::

    # topics.toml
    [[topic]]
    name = "border-tax"
    proposition = "A new border tax should be introduced"
    keywords = ["border tax", "levy on imports"]

or the same as YAML (``topic:`` a list of mappings; a bare list works too).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from saywho.records import Topic

# Words that carry no topic on their own: function words, modals, and the verbs
# propositions are phrased with ("should be introduced").
_STOP = (
    "a an the of to in on at for from by with and or but not no nor is are was were be been being "
    "should would could can may might must will shall do does did has have had it its this that these "
    "those there their they them than as into about over under new more less any some all each every "
    "introduce introduced introducing allow allowed ban banned make made take taken keep kept"
)
STOPWORDS = frozenset(_STOP.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class TopicError(ValueError):
    """A topic file or topic definition that cannot be used."""


def slug(text: str, limit: int = 40) -> str:
    """A short name for a proposition: its content words, lower case, joined by dashes."""
    words = [w.lower() for w in _WORD.findall(text) if w.lower() not in STOPWORDS]
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or "topic"


def content_words(text: str) -> list[str]:
    """The proposition's content words (lower case, in order, without repeats)."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(text):
        lw = w.lower().strip("'-")
        if len(lw) > 2 and lw not in STOPWORDS:
            seen.setdefault(lw, None)
    return list(seen)


def make_topic(proposition: str, keywords: Iterable[str] = (), name: str | None = None) -> Topic:
    proposition = " ".join(proposition.split())
    if not proposition:
        raise TopicError("a topic needs a proposition")
    kws = [" ".join(k.split()) for k in keywords if k and k.strip()]
    return Topic(
        name=name.strip() if name and name.strip() else slug(proposition),
        proposition=proposition,
        keywords=kws,
    )


def _topics_from(data: Any, where: str) -> list[Topic]:
    if isinstance(data, dict):
        data = data.get("topic", data.get("topics"))
    if not isinstance(data, list):
        raise TopicError(f"{where}: expected a list of topics under 'topic'")
    out: list[Topic] = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("proposition"), str):
            raise TopicError(f"{where}: topic {i} has no proposition")
        kws = item.get("keywords") or []
        if isinstance(kws, str):
            kws = [kws]
        if not isinstance(kws, list) or not all(isinstance(k, str) for k in kws):
            raise TopicError(f"{where}: topic {i}: keywords must be a list of strings")
        out.append(make_topic(item["proposition"], kws, item.get("name")))
    names = [t.name for t in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise TopicError(f"{where}: topic names used twice: {', '.join(dupes)}")
    return out


def load_topics(path: Path | str) -> list[Topic]:
    """Topics from a ``.toml``, ``.yaml`` or ``.yml`` file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            raise TopicError(f"{path}: topic files are .toml, .yaml or .yml")
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # yaml.YAMLError is not a ValueError
        raise TopicError(f"{path}: {exc}") from None
    except Exception as exc:
        if type(exc).__module__.startswith("yaml"):
            raise TopicError(f"{path}: {str(exc).splitlines()[0]}") from None
        raise
    return _topics_from(data, str(path))


def find_topic(topics: Iterable[Topic], key: str) -> Topic | None:
    """The topic named ``key`` (or whose proposition is ``key``), else None."""
    for t in topics:
        if key in (t.name, t.proposition):
            return t
    return None
