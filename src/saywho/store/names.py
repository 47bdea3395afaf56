"""Names as keys: folding, given name and surname, people versus organisations.

Resolution across articles compares folded names (case, accents, honorifics
and punctuation removed), blocks candidates by surname, and tells namesakes
apart by given names (an initial matches its name: "J. Roe" and "Jane Roe").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from saywho.extraction.gazetteer import is_medium, is_role_word, strip_honorific

_PUNCT = re.compile(r"[^\w\s'-]")
_SPACES = re.compile(r"\s+")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "qc", "kc", "mp"})
# Surname particles stay with the surname: "Ursula von der Leyen" is a Leyen only with its "von der".
_PARTICLES = frozenset("van von der den de del della di da du la le al el bin ben ter ten".split())  # noqa: SIM905
# A word that makes a name an institution's (or a group's: "Republicans") rather than a person's.
ORG_WORDS = frozenset(
    """
    ministry department office government council committee commission agency union party parliament
    senate congress assembly court tribunal police army navy military forces chamber commerce company
    corporation corp inc ltd plc llc group bank fund authority board bureau institute institution
    university college school hospital association federation foundation organisation organization
    network coalition alliance front movement church trust society service services administration
    cabinet presidency embassy consulate mission secretariat league club team industries industry
    airlines airline exchange republicans democrats conservatives liberals socialists greens lawmakers
    officials critics supporters opponents protesters activists residents voters
    """.split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "Zélie  O'Neil." → "zelie o'neil"."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text.casefold())
    return _SPACES.sub(" ", text).strip(" '-")


@dataclass(frozen=True, slots=True)
class Name:
    """A speaker's name, read for matching."""

    shown: str  # as given, honorifics removed
    norm: str  # folded
    kind: str  # "person" or "org"
    given: str | None  # first given name, folded ("j" for an initial); None for a surname alone
    surname: str | None  # folded surname with its particles; None for organisations

    @property
    def full(self) -> bool:
        return self.given is not None


# A speaker "named" like this is a group or an indefinite description, not someone: no actor.
_INDEFINITE = frozenset("a an some many several other others most few all both".split())  # noqa: SIM905
_SEVERAL = re.compile(r"\s(?:and|&)\s", re.IGNORECASE)


def _trim_lead(shown: str) -> str:
    """Words before the name proper: "for Hillary Clinton", "pro - Clinton" → the capitalised rest."""
    words = shown.split()
    if not any(w[:1].isupper() for w in words):  # "finance ministry": nothing to find a name by
        return shown
    while len(words) > 1 and not words[0][:1].isupper() and words[0].casefold() not in _PARTICLES:
        words = words[1:]
    return " ".join(words)


def parse(name: str) -> Name | None:
    """The name read for matching; None when nothing name-like (one person or body) is left.

    Speaker names come from extraction and are sometimes more than a name: words before it are
    dropped, and "A chorus of Republicans" or "Hillary Clinton and Donald Trump" (several people)
    are no one actor.
    """
    shown = _trim_lead(" ".join(strip_honorific(name.strip()).split()))
    if not shown or shown.split()[0].casefold() in _INDEFINITE or _SEVERAL.search(shown):
        return None
    norm = fold(shown)
    if not norm:
        return None
    words = norm.split()
    if _is_org(shown, words):
        return Name(shown, norm, "org", None, None)
    while len(words) > 1 and words[-1].replace("'", "") in _SUFFIXES:
        words = words[:-1]
    # A leading title ("finance minister jane roe") is no part of the name: cut after its last role word.
    roles = [i for i, w in enumerate(words[:-1]) if is_role_word(w)]
    if roles:
        kept = len(words) - roles[-1] - 1
        words = words[-kept:]
        if len(shown.split()) == len(norm.split()):  # the same words: drop the title from the shown name too
            shown = " ".join(shown.split()[-kept:])
    cut = len(words) - 1
    while cut > 0 and words[cut - 1] in _PARTICLES:
        cut -= 1
    surname = " ".join(words[cut:])
    given = words[0].rstrip(".") if cut > 0 else None
    return Name(shown, " ".join(words), "person", given, surname)


def _is_org(shown: str, words: list[str]) -> bool:
    if any(w in ORG_WORDS for w in words):
        return True
    if len(words) == 1 and shown.isupper() and len(shown) > 1:  # an acronym: NATO, UNICEF
        return True
    try:
        return is_medium(shown)
    except Exception:  # the gazetteer is a heuristic; a name it chokes on is a person's
        return False


def given_compatible(a: str | None, b: str | None) -> bool:
    """Whether two given names can be one person's: equal, or one is the other's initial."""
    if a is None or b is None:
        return True
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return False
