"""Tests for saywho.extraction.gazetteer: pure lookups, no spaCy model needed."""

from __future__ import annotations

from importlib.resources import files

import pytest

from saywho.extraction import gazetteer
from saywho.extraction.gazetteer import (
    HONORIFICS,
    MEDIUM_NOUNS,
    NON_COUNTRY_NORPS,
    ROLE_HEADS,
    canonical_medium,
    country_of,
    gender_of_title,
    is_medium,
    is_role_word,
    strip_honorific,
)


def _rows(name: str) -> list[list[str]]:
    text = files("saywho").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


# --- countries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Norwegian", "Norway"),
        ("Norwegians", "Norway"),
        ("Norway", "Norway"),
        ("norway", "Norway"),
        ("NORWAY", "Norway"),
        ("Norway's", "Norway"),
        ("Norway’s", "Norway"),
        ("U.S.", "United States"),
        ("US", "United States"),
        ("USA", "United States"),
        ("United States of America", "United States"),
        ("America", "United States"),
        ("American", "United States"),
        ("Americans", "United States"),
        ("Americans'", "United States"),
        ("Britain", "United Kingdom"),
        ("UK", "United Kingdom"),
        ("U.K.", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("British", "United Kingdom"),
        ("Britons", "United Kingdom"),
        ("Scottish", "United Kingdom"),
        ("Russia", "Russia"),
        ("Russian Federation", "Russia"),
        ("Russian", "Russia"),
        ("French", "France"),
        ("Frenchmen", "France"),
        ("Chinese", "China"),
        ("Dutch", "Netherlands"),
        ("the Netherlands", "Netherlands"),
        ("Holland", "Netherlands"),
        ("Filipino", "Philippines"),
        ("Filipinos", "Philippines"),
        ("Israeli", "Israel"),
        ("Palestinian", "Palestine"),
        ("Palestinians", "Palestine"),
        ("Saudi", "Saudi Arabia"),
        ("Saudis", "Saudi Arabia"),
        ("Emirati", "United Arab Emirates"),
        ("UAE", "United Arab Emirates"),
        ("Iranian", "Iran"),
        ("Ukrainian", "Ukraine"),
        ("Swiss", "Switzerland"),
        ("Taiwanese", "Taiwan"),
        ("Kosovar", "Kosovo"),
        ("Hong Kong", "Hong Kong"),
        ("EU", "European Union"),
        ("E.U.", "European Union"),
        ("European Union", "European Union"),
        ("Türkiye", "Turkey"),
        ("Turkiye", "Turkey"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("Cote d’Ivoire", "Ivory Coast"),
        ("Guinea Bissau", "Guinea-Bissau"),
        ("Guinean", "Guinea"),
        ("Nigerien", "Niger"),
        ("Nigerian", "Nigeria"),
        ("South Korean", "South Korea"),
        ("North Korean", "North Korea"),
        ("DPRK", "North Korea"),
        ("St. Lucia", "Saint Lucia"),
        ("the Gambia", "Gambia"),
        ("Burma", "Myanmar"),
        ("Czechia", "Czech Republic"),
    ],
)
def test_country_of_known(word: str, country: str) -> None:
    assert country_of(word) == country


@pytest.mark.parametrize(
    "word",
    [
        "us",  # the pronoun, not the country: abbreviations match only in capitals
        "Us",
        "uk",
        "European",  # not one country
        "Europe",
        "Africa",
        "Christian",
        "Republican",
        "Ruritanian",  # unknown, and no guess asked for
        "Washington",  # a capital is not its country here
        "Goldman Sachs",
        "",
        "   ",
    ],
)
def test_country_of_unknown_is_none(word: str) -> None:
    assert country_of(word) is None


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Ruritanian", "Ruritania"),
        ("Freedonian", "Freedonia"),
        ("Elbonian", "Elbonia"),
        ("Ruritanians", "Ruritania"),
        ("ruritanian", "Ruritania"),
        ("Molvanese", "Molvan"),  # "-ese": the stem
        ("Qumrani", "Qumran"),  # "-i" after a consonant
        ("Zembalan", "Zembala"),  # other "-an"
        ("Norwegian", "Norway"),  # known words are looked up, not guessed
    ],
)
def test_country_of_guess(word: str, country: str) -> None:
    assert country_of(word, guess=True) == country


@pytest.mark.parametrize(
    "word",
    [
        "Christian",
        "Muslim",
        "Republican",
        "Republicans",
        "Democrat",
        "Democratic",
        "Conservative",
        "Socialist",
        "Catholic",
        "Jewish",
        "Sunni",
        "Shia",
        "Western",
        "European",
        "Libertarian",
        "Californian",
        "North Ruritanian",  # guesses are for single words only
        "Ruri",  # too short to be sure of a stem
    ],
)
def test_country_of_guess_refuses_group_words(word: str) -> None:
    assert country_of(word, guess=True) is None


def test_no_non_country_norp_is_ever_guessed_into_a_country() -> None:
    for word in NON_COUNTRY_NORPS:
        assert country_of(word, guess=True) is None, word
        assert country_of(word.capitalize() + "s", guess=True) is None, word


def test_every_canonical_name_alias_and_demonym_resolves_to_its_row() -> None:
    rows = _rows("countries.tsv")
    assert len(rows) >= 193 + 5  # UN members, plus Taiwan, Kosovo, Palestine, Hong Kong, EU...
    for row in rows:
        row += [""] * (3 - len(row))
        name = row[0]
        assert country_of(name) == name
        for word in (row[1] + "|" + row[2]).split("|"):
            if word.strip():
                assert country_of(word.strip()) == name, word


def test_conflicting_keys_are_refused() -> None:
    table = {"korea": "South Korea"}
    with pytest.raises(ValueError, match="korea"):
        gazetteer._add(table, "korea", "North Korea", "test")
    gazetteer._add(table, "korea", "South Korea", "test")  # the same answer twice is fine


# --- roles, titles, honorifics ----------------------------------------------------------------------


def test_role_heads_is_a_large_lower_case_set() -> None:
    assert len(ROLE_HEADS) >= 150
    assert all(word == word.lower() for word in ROLE_HEADS)
    for word in [
        "minister",
        "president",
        "senator",
        "sen.",
        "rep.",
        "gov.",
        "gen.",
        "spokeswoman",
        "ceo",
        "mp",
    ]:
        assert word in ROLE_HEADS


@pytest.mark.parametrize(
    "word",
    [
        "minister",
        "Minister",
        "ministers",
        "Sen.",
        "Sen",
        "Rep.",
        "Gov.",
        "Gen",
        "Lt.",
        "spokesperson",
        "spokeswomen",
        "CEO",
        "MPs",
        "officials",
        "secretaries",
        "Prime Minister",
        "Foreign Minister",
        "Attorney General",
        "Secretary of State",
        "Head of the Central Bank",
        "chief of staff",
        "ex-president",
        "co-founder",
        "president-elect",
        "secretary-general",
        "Secretary-General's",
        "king",
        "pope",
        "economist",
    ],
)
def test_is_role_word(word: str) -> None:
    assert is_role_word(word)


@pytest.mark.parametrize(
    "word",
    [
        "Ministry of Finance",
        "ministry",
        "General Motors",
        "Justice Department",
        "Goldman Sachs",
        "Jane Roe",
        "SEC",  # the agency, not "Sec." for secretary
        "head-on",
        "anti-government",
        "table",
        "Mr.",  # an honorific, not a role
        "",
    ],
)
def test_is_not_role_word(word: str) -> None:
    assert not is_role_word(word)


@pytest.mark.parametrize(
    ("word", "gender"),
    [
        ("Mr.", "m"),
        ("Mr", "m"),
        ("Mrs.", "f"),
        ("Ms.", "f"),
        ("Ms", "f"),
        ("Miss", "f"),
        ("spokeswoman", "f"),
        ("spokeswomen", "f"),
        ("congresswoman", "f"),
        ("chairwoman", "f"),
        ("queen", "f"),
        ("Queen", "f"),
        ("businesswoman", "f"),
        ("spokesman", "m"),
        ("congressman", "m"),
        ("king", "m"),
        ("chairman", "m"),
        ("businessman", "m"),
        ("Sir", "m"),
        ("Dame", "f"),
        ("Dr.", None),
        ("Mx", None),
        ("minister", None),
        ("spokesperson", None),
        ("chair", None),
        ("Jane", None),
    ],
)
def test_gender_of_title(word: str, gender: str | None) -> None:
    assert gender_of_title(word) == gender


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("Mr. Trump", "Trump"),
        ("Mr Trump", "Trump"),
        ("Dr. Jane Roe", "Jane Roe"),
        ("Dr Jane Roe", "Jane Roe"),
        ("  Mrs. Smith ", "Smith"),
        ("the Rev. Jane Roe", "Jane Roe"),
        ("Rt. Hon. Sir John Major", "John Major"),
        ("The Right Honourable Jane Roe", "Jane Roe"),
        ("Herr Scholz", "Scholz"),
        ("Señora Ruiz", "Ruiz"),
        # not stripped: roles, a lone honorific, two people, names that merely start like one
        ("President Jane Roe", "President Jane Roe"),
        ("Sen. Jane Roe", "Sen. Jane Roe"),
        ("Prof. Jane Roe", "Prof. Jane Roe"),
        ("Mr.", "Mr."),
        ("Mr. and Mrs. Smith", "Mr. and Mrs. Smith"),
        ("Missouri Jones", "Missouri Jones"),
        ("The Hill", "The Hill"),
        ("Jane Roe", "Jane Roe"),
    ],
)
def test_strip_honorific(name: str, stripped: str) -> None:
    assert strip_honorific(name) == stripped


def test_honorifics_are_not_roles() -> None:
    assert {"mr", "mrs", "ms", "dr"} <= HONORIFICS
    assert not HONORIFICS & {"president", "senator", "professor", "minister"}


# --- media ------------------------------------------------------------------------------------------


def test_medium_nouns() -> None:
    assert {
        "paper",
        "newspaper",
        "daily",
        "tabloid",
        "agency",
        "news agency",
        "broadcaster",
        "tv",
    } <= MEDIUM_NOUNS
    assert all(word == word.lower() for word in MEDIUM_NOUNS)
    assert not MEDIUM_NOUNS & {"ministry", "spokesman", "statement"}


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Reuters", "Reuters"),
        ("Reuters'", "Reuters"),
        ("AP", "Associated Press"),
        ("the AP", "Associated Press"),
        ("AP's", "Associated Press"),
        ("A.P.", "Associated Press"),
        ("AFP", "Agence France-Presse"),
        ("Agence France Presse", "Agence France-Presse"),
        ("Bloomberg", "Bloomberg"),
        ("CNN's", "CNN"),
        ("BBC", "BBC"),
        ("NPR", "NPR"),
        ("Fox News", "Fox News"),
        ("MSNBC", "MSNBC"),
        ("The New York Times", "New York Times"),
        ("the New York Times's", "New York Times"),
        ("NYT", "New York Times"),
        ("The Washington Post", "Washington Post"),
        ("WSJ", "Wall Street Journal"),
        ("The Guardian", "The Guardian"),
        ("the Guardian's", "The Guardian"),
        ("Politico", "Politico"),
        ("Axios", "Axios"),
        ("Breitbart", "Breitbart"),
        ("USA Today", "USA Today"),
        ("Al-Jazeera", "Al Jazeera"),
        ("Der Spiegel", "Der Spiegel"),
        ("Le Monde", "Le Monde"),
        ("Xinhua", "Xinhua"),
        ("Tass", "TASS"),
        ("Interfax", "Interfax"),
        ("Kyodo News", "Kyodo"),
        ("the Hill", "The Hill"),
        ("Barron's", "Barron's"),
        ("dpa", "Deutsche Presse-Agentur"),
        ("Channel 4", "Channel 4 News"),
        ("the French daily Le Monde", "Le Monde"),
        ("Reuters news agency", "Reuters"),
        ("the Bild newspaper", "Bild"),
        ("Kremlin-backed RT", "RT"),
    ],
)
def test_known_media(name: str, canonical: str) -> None:
    assert is_medium(name)
    assert canonical_medium(name) == canonical


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("the daily Morning Post", "Morning Post"),
        ("Ruritanian Broadcasting Corporation", "Ruritanian Broadcasting Corporation"),
        ("Ruritania Today", "Ruritania Today"),
        ("the Ruritania Herald's", "Ruritania Herald"),
        ("the state-run Ruritanian Herald", "Ruritanian Herald"),
        ("St. Louis Post-Dispatch", "St. Louis Post-Dispatch"),
        ("Times of Malta", "Times of Malta"),
        ("the newspaper Ruritania Nova", "Ruritania Nova"),
        ("Daily Kos", "Daily Kos"),
        # bare masthead words shared by many papers are left unresolved
        ("the Times", "Times"),
        ("the Post's", "Post"),
        ("the Journal", "Journal"),
        ("the Sun", "Sun"),
        ("Chinese state media", "Chinese state media"),
    ],
)
def test_unknown_media_by_shape(name: str, cleaned: str) -> None:
    assert is_medium(name)
    assert canonical_medium(name) == cleaned


@pytest.mark.parametrize(
    "name",
    [
        "Ministry of Finance",
        "Goldman Sachs",
        "Central Intelligence Agency",
        "Environmental Protection Agency",
        "European Broadcasting Union",
        "Ministry of Information and Broadcasting",
        "National Press Club",
        "White House Press Office",
        "American Express",
        "Times Square",
        "General Motors",
        "Jane Roe",
        "Hill",  # a surname; the paper is "The Hill"
        "Hindu",  # a religion; the paper is "The Hindu"
        "Guardian",
        "Post",  # a masthead word alone counts only after "the"
        "Fox",  # a surname; the channel is "Fox News"
        "the sun",  # lower case: common nouns
        "time",
        "reuters",
        "ap",
        "the agency Frontex",  # "agency" alone is not a news agency
        "the agency",
        "",
    ],
)
def test_not_media(name: str) -> None:
    assert not is_medium(name)


def test_canonical_medium_keeps_unknown_non_media_names() -> None:
    assert canonical_medium("Goldman Sachs") == "Goldman Sachs"
    assert canonical_medium("  the   Ruritania   Herald ") == "Ruritania Herald"


def test_every_media_name_and_alias_resolves_to_its_row() -> None:
    rows = _rows("media.tsv")
    assert len(rows) >= 120
    for row in rows:
        name = row[0]
        assert is_medium(name), name
        assert canonical_medium(name) == name
        for alias in (row[1] if len(row) > 1 else "").split("|"):
            if alias.strip():
                assert canonical_medium(alias.strip()) == name, alias


def test_data_tables_are_small() -> None:
    total = sum(
        len(files("saywho").joinpath("data", name).read_bytes()) for name in ["countries.tsv", "media.tsv"]
    )
    assert total < 100_000
