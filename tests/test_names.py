"""Speaker names read for matching across articles."""

from __future__ import annotations

import pytest

from saywho.store.names import fold, given_compatible, parse


@pytest.mark.parametrize(
    ("name", "norm", "kind", "given", "surname"),
    [
        ("Jane Roe", "jane roe", "person", "jane", "roe"),
        ("Roe", "roe", "person", None, "roe"),
        ("Finance Minister Jane Roe", "jane roe", "person", "jane", "roe"),
        ("Mr. Tom Ash", "tom ash", "person", "tom", "ash"),
        ("J. Roe", "j roe", "person", "j", "roe"),
        ("Martin Luther King Jr.", "martin luther king", "person", "martin", "king"),
        ("Ursula von der Leyen", "ursula von der leyen", "person", "ursula", "von der leyen"),
        ("de Blasio", "de blasio", "person", None, "de blasio"),
        ("Zélie O’Neil", "zelie o'neil", "person", "zelie", "o'neil"),
        ("for Hillary Clinton", "hillary clinton", "person", "hillary", "clinton"),
        ("Finance Ministry", "finance ministry", "org", None, None),
        ("Valmont Chamber of Commerce", "valmont chamber of commerce", "org", None, None),
        ("NATO", "nato", "org", None, None),
    ],
)
def test_parse(name: str, norm: str, kind: str, given: str | None, surname: str | None) -> None:
    parsed = parse(name)
    assert parsed is not None
    assert (parsed.norm, parsed.kind, parsed.given, parsed.surname) == (norm, kind, given, surname)


@pytest.mark.parametrize(
    "name", ["", "  ", "A chorus of prominent Republicans", "Hillary Clinton and Donald Trump", "Roe & Ash"]
)
def test_no_one_actor(name: str) -> None:
    assert parse(name) is None


def test_given_names_and_initials() -> None:
    assert (
        given_compatible("jane", "jane") and given_compatible("j", "jane") and given_compatible(None, "jane")
    )
    assert not given_compatible("jane", "john") and not given_compatible("j", "tom")
    assert fold("  Zélie\tO’NEIL. ") == "zelie o'neil"
