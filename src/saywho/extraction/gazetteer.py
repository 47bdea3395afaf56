"""Gazetteer: countries and nationality words, role titles and honorifics, news media.

Pure lookups over strings (words, lemmas or short names) for the enrichment and speaker-resolution
steps; no spaCy. The big tables live in ``saywho/data/*.tsv`` and are read once, on first use.

Matching normalises case (except for abbreviations, below), accents ("Türkiye" = "Turkiye"), curly
apostrophes, full stops ("U.S." = "US") and hyphens ("Guinea-Bissau" = "Guinea Bissau"), and drops a
possessive ("Norway's", "Reuters'") and a leading "the".

Abbreviations written in capitals in the tables ("US", "UK", "AP", "CNN") match only input written in
capitals: "us" is a pronoun and "ap" is nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

__all__ = [
    "HONORIFICS",
    "MEDIUM_NOUNS",
    "NON_COUNTRY_NORPS",
    "ROLE_HEADS",
    "canonical_medium",
    "country_of",
    "gender_of_title",
    "is_medium",
    "is_role_word",
    "strip_honorific",
]

# ---------------------------------------------------------------------------------------------------
# Normalisation shared by all lookups

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"[\-‐‑‒–—]")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def _tidy(text: str) -> str:
    """Straight apostrophes, single spaces, no outer whitespace."""
    return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()


def _strip_possessive(text: str) -> str:
    if text.endswith("'s") or text.endswith("'S"):
        return text[:-2]
    if len(text) > 1 and text.endswith("'") and text[-2] in "sS":
        return text[:-1]  # plural or s-final possessive: "Americans'", "Reuters'"
    return text


def _fold(text: str) -> str:
    """Lookup key: no accents, case-folded, no full stops, hyphens as spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _DASHES.sub(" ", text.replace(".", ""))
    return _SPACES.sub(" ", text).strip()


def _abbrev_key(text: str) -> str:
    """Case-preserving key for abbreviations: "U.S." -> "US", "C-SPAN" -> "C SPAN"."""
    return _SPACES.sub(" ", _DASHES.sub(" ", text.replace(".", ""))).strip()


def _is_abbrev(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _words(text: str) -> frozenset[str]:
    """A word list written as one space-separated string, the compact way to keep long lists readable."""
    return frozenset(text.split())


def _read_table(name: str) -> list[list[str]]:
    """Rows of a TSV in saywho/data, without comments and blank lines; missing columns are ""."""
    text = files("saywho").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _add(table: dict[str, str], key: str, value: str, source: str) -> None:
    # A key shared by two entries would make the answer depend on row order: refuse it outright.
    if table.get(key, value) != value:
        raise ValueError(f"{source}: {key!r} maps to both {table[key]!r} and {value!r}")
    table[key] = value


# ---------------------------------------------------------------------------------------------------
# Countries

# Nationality and group words that are not one country's adjective: religions, political and ideological
# groups, ethnic groups without a state, regions, continents, and adjectives from people or eras. Guessing
# never turns these into a country (the "-ian" -> "-ia" rule would make "Christian" into "Christia").
NON_COUNTRY_NORPS: frozenset[str] = _words(
    # religions and their branches
    "christian catholic protestant orthodox evangelical pentecostal mormon lutheran anglican episcopalian "
    "presbyterian methodist baptist quaker calvinist jesuit coptic copt muslim moslem islamic islamist "
    "sunni shia shiite shi'ite alawite alawi ismaili sufi salafi salafist wahhabi druze yazidi bahai "
    "jewish jew hasidic haredi orthodox ashkenazi sephardi sephardic mizrahi zionist hindu sikh buddhist "
    "jain atheist pagan rastafarian "
    # political and ideological groups
    "republican democrat democratic conservative liberal socialist communist marxist leninist maoist "
    "trotskyist stalinist fascist nazi neo-nazi labour tory tories whig green progressive libertarian "
    "populist nationalist separatist unionist loyalist federalist centrist leftist rightist gaullist "
    "peronist chavista sandinista bolshevik jihadist jihadi taliban houthi baathist kemalist maga "
    "brexiteer remainer thatcherite reaganite trumpist trumpian "
    # regions, continents and blocs
    "western eastern northern southern westerner easterner european african asian eurasian "
    "australasian oceanian arctic antarctic caribbean mediterranean scandinavian nordic baltic balkan "
    "slavic slav latin latino latina hispanic anglo arab arabian berber bedouin caucasian siberian "
    "persian anatolian mesopotamian levantine maghrebi sahelian andean amazonian patagonian "
    "transylvanian crimean catalan catalonian basque galician andalusian castilian flemish walloon "
    "bavarian prussian sicilian sardinian tuscan venetian neapolitan corsican breton cornish "
    # stateless or sub-national peoples and languages
    "kurd kurdish kurdistani tibetan uyghur uighur han hakka tamil pashtun baloch hazara tatar chechen "
    "dagestani cossack roma romani gypsy sami inuit maori aboriginal indigenous native creole zulu xhosa "
    "hausa yoruba igbo tutsi hutu amhara oromo tigrayan maasai swahili bengali punjabi kashmiri sindhi "
    "gujarati marathi hindi urdu farsi dari cantonese javanese balinese sinhalese assyrian "
    # US states and cities, other sub-national places
    "californian floridian virginian pennsylvanian carolinian texan alaskan hawaiian arizonan oklahoman "
    "louisianan coloradan bostonian parisian londoner muscovite viennese milanese genoese quebecer "
    "quebecois ontarian albertan "
    # eras, empires, people-derived adjectives
    "roman ottoman byzantine soviet spartan athenian trojan carthaginian phoenician babylonian aztec "
    "mayan inca viking celtic gaelic saxon norman victorian edwardian elizabethan jacobean orwellian "
    "machiavellian keynesian darwinian freudian hegelian kantian shakespearean jeffersonian "
    "hamiltonian wilsonian puritan samaritan"
)

_GUESS_MIN_STEM = 3
_GUESS_MIN_WORD = 5  # "Omani": shorter unknown words are too often not demonyms at all


def _guess_country(key: str) -> str | None:
    """A plausible country name for an unknown nationality adjective, by its ending.

    Single words of five letters or more; an "-s" plural is dropped first. Rules, by ending:
    "-ian" -> "-ia" ("Ruritanian" -> "Ruritania"), "-ean" -> "-e" ("Chilean" -> "Chile"), other "-an"
    -> "-a" ("Cuban" -> "Cuba"), "-ese" -> its stem ("Molvanese" -> "Molvan", as "Japanese" -> "Japan";
    "-olese" -> "-o", as "Togolese" -> "Togo"), "-i" after a consonant -> its stem ("Qumrani" ->
    "Qumran", as "Omani" -> "Oman"). "-arian" and "-ician" words ("libertarian", "politician") are
    never countries. The answer is a guess, not a check: it is only as good as the caller's belief
    that the word names a nationality.
    """
    if " " in key or not key.isalpha() or not key.isascii() or len(key) < _GUESS_MIN_WORD:
        return None
    words = [key]
    if key.endswith("s") and not key.endswith("ss"):
        words.append(key[:-1])
    if any(word in NON_COUNTRY_NORPS for word in words):
        return None
    word = words[-1]
    if word.endswith(("arian", "ician")):
        return None
    stem: str | None = None
    if word.endswith("ian"):
        stem = word[:-1]
    elif word.endswith("ean"):
        stem = word[:-2]
    elif word.endswith("an"):
        stem = word[:-1]
    elif word.endswith("ese"):
        stem = word[:-3]
        if stem.endswith("ol"):
            stem = stem[:-1]
    elif word.endswith("i") and len(word) > 2 and word[-2] not in "aeiouy":
        stem = word[:-1]
    if stem is None or len(stem) < _GUESS_MIN_STEM:
        return None
    return stem.capitalize()


class _Countries:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # folded name, alias or demonym -> canonical name
        self.abbrevs: dict[str, str] = {}  # case-kept abbreviation -> canonical name
        self.demonyms: set[str] = set()  # folded demonyms, for "-s" plurals


@cache
def _countries() -> _Countries:
    table = _Countries()
    for row in _read_table("countries.tsv"):
        row += [""] * (3 - len(row))
        name, aliases, demonyms = row[0], _split(row[1]), _split(row[2])
        for alias in [name, *aliases]:
            if _is_abbrev(alias):
                _add(table.abbrevs, _abbrev_key(alias), name, "countries.tsv")
            else:
                _add(table.names, _fold(_ARTICLE.sub("", alias)), name, "countries.tsv")
        for demonym in demonyms:
            _add(table.names, _fold(demonym), name, "countries.tsv")
            table.demonyms.add(_fold(demonym))
    return table


def country_of(word: str, guess: bool = False) -> str | None:
    """The canonical country a country name, alias or nationality word refers to, else None.

    "Norwegian", "Norwegians", "Norway", "norway's" -> "Norway"; "U.S.", "American" -> "United States";
    "EU" -> "European Union". Case-insensitive, except that abbreviations must be in capitals.
    With ``guess=True`` (the caller knows the word is a nationality, e.g. spaCy labelled it NORP) an
    unknown single word is turned into a plausible country by its ending (see ``_guess_country``),
    except for the group words in NON_COUNTRY_NORPS ("Christian", "Republican", "European": None).
    Ambiguous words are decided in data/countries.tsv ("Korean" -> "South Korea", "Congolese" -> DR Congo).
    """
    text = _ARTICLE.sub("", _strip_possessive(_tidy(word)))
    if not text:
        return None
    table = _countries()
    if _is_abbrev(text) and (hit := table.abbrevs.get(_abbrev_key(text))):
        return hit
    key = _fold(text)
    if hit := table.names.get(key):
        return hit
    if key.endswith("s") and key[:-1] in table.demonyms:
        return table.names[key[:-1]]
    return _guess_country(key) if guess else None


# ---------------------------------------------------------------------------------------------------
# Roles, titles and honorifics

# Lower-case head nouns of official roles and job titles, a few fixed multi-word titles, and the dotted
# abbreviations used before names. Kept to words that name a position someone holds, so that a speaker
# described by one ("the minister", "a senior official") can be told apart from an ordinary noun.
ROLE_HEADS: frozenset[str] = frozenset(
    {
        # heads of state and government, legislators
        "president",
        "vice president",
        "vice-president",
        "president-elect",
        "prime minister",
        "premier",
        "chancellor",
        "minister",
        "secretary",
        "secretary-general",
        "secretary general",
        "undersecretary",
        "under-secretary",
        "deputy",
        "senator",
        "sen.",
        "representative",
        "rep.",
        "congressman",
        "congresswoman",
        "congressmember",
        "congressperson",
        "lawmaker",
        "legislator",
        "parliamentarian",
        "mp",
        "mep",
        "mk",
        "member of parliament",
        "assemblyman",
        "assemblywoman",
        "assemblymember",
        "councillor",
        "councilor",
        "councilman",
        "councilwoman",
        "councilmember",
        "alderman",
        "alderwoman",
        "delegate",
        "speaker",
        "whip",
        "governor",
        "gov.",
        "lieutenant governor",
        "mayor",
        "first lady",
        "head of state",
        "pres.",
        "sec.",
        # officials, diplomats, advisers, spokespeople
        "commissioner",
        "administrator",
        "official",
        "officer",
        "bureaucrat",
        "regulator",
        "inspector",
        "auditor",
        "comptroller",
        "treasurer",
        "ombudsman",
        "mediator",
        "negotiator",
        "ambassador",
        "amb.",
        "envoy",
        "diplomat",
        "consul",
        "attache",
        "emissary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "press secretary",
        "adviser",
        "advisor",
        "aide",
        "counselor",
        "counsellor",
        "staffer",
        "chief of staff",
        "strategist",
        "pollster",
        "campaigner",
        "activist",
        "organizer",
        "organiser",
        "candidate",
        "nominee",
        "challenger",
        "incumbent",
        # leadership and business
        "head",
        "chief",
        "leader",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "director",
        "managing director",
        "manager",
        "executive",
        "exec",
        "chief executive",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "founder",
        "owner",
        "boss",
        "investor",
        "banker",
        "businessman",
        "businesswoman",
        "entrepreneur",
        "tycoon",
        "magnate",
        "billionaire",
        "general counsel",
        # experts and academics, medicine
        "economist",
        "analyst",
        "expert",
        "specialist",
        "researcher",
        "scientist",
        "professor",
        "prof.",
        "lecturer",
        "academic",
        "scholar",
        "historian",
        "dean",
        "provost",
        "rector",
        "fellow",
        "doctor",
        "physician",
        "surgeon",
        "nurse",
        "epidemiologist",
        "virologist",
        # law and policing
        "judge",
        "justice",
        "magistrate",
        "attorney",
        "atty.",
        "attorney general",
        "attorney-general",
        "lawyer",
        "prosecutor",
        "counsel",
        "solicitor",
        "solicitor general",
        "barrister",
        "sheriff",
        "constable",
        "detective",
        "det.",
        "superintendent",
        "supt.",
        "insp.",
        # military
        "general",
        "gen.",
        "admiral",
        "adm.",
        "colonel",
        "col.",
        "lieutenant",
        "lt.",
        "captain",
        "capt.",
        "commander",
        "cmdr.",
        "commandant",
        "marshal",
        "brigadier",
        "brig.",
        "sergeant",
        "sgt.",
        "maj.",
        "commodore",
        "cpl.",
        # rulers, royalty, clergy
        "king",
        "queen",
        "prince",
        "princess",
        "crown prince",
        "monarch",
        "emperor",
        "empress",
        "sultan",
        "emir",
        "sheikh",
        "sheikha",
        "duke",
        "duchess",
        "baron",
        "baroness",
        "countess",
        "ruler",
        "dictator",
        "strongman",
        "warlord",
        "pope",
        "cardinal",
        "archbishop",
        "bishop",
        "priest",
        "pastor",
        "vicar",
        "rabbi",
        "imam",
        "cleric",
        "ayatollah",
        "mullah",
        "patriarch",
        # media and sport
        "journalist",
        "reporter",
        "correspondent",
        "editor",
        "columnist",
        "commentator",
        "anchor",
        "host",
        "presenter",
        "producer",
        "publisher",
        "pundit",
        "coach",
    }
)

# Hyphenated suffixes that keep a role a role: "president-elect", "minister-designate".
_ROLE_SUFFIXES = frozenset({"elect", "designate"})


def _role_key(word: str) -> str:
    return _strip_possessive(_tidy(word)).casefold()


def _singular(word: str) -> list[str]:
    """Candidate singulars of a plural role noun (none of them checked here)."""
    out = []
    if word.endswith("women") or word.endswith("men"):
        out.append(word[:-2] + "an")
    if word.endswith("people"):
        out.append(word[:-6] + "person")
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def _is_role_token(token: str) -> bool:
    word = token.casefold()
    if word in ROLE_HEADS or any(form in ROLE_HEADS for form in _singular(word)):
        return True
    # "Sen", "Gen", "Lt" without the full stop (British style); not in capitals: "SEC" is an agency.
    return not word.endswith(".") and not _is_abbrev(token) and f"{word}." in ROLE_HEADS


def is_role_word(word: str) -> bool:
    """Whether a word or short phrase names an official role or job title (case-insensitive).

    True for the entries of ROLE_HEADS and their plurals ("ministers", "spokeswomen"), dotted and
    undotted abbreviations ("Sen.", "Gen"), hyphenated forms whose last part is a role ("ex-president",
    "co-founder", "president-elect"), and phrases whose head is one ("Foreign Minister", "Secretary of
    State", "Head of the Central Bank"). False for "Ministry of Finance", "General Motors".
    """
    text = _strip_possessive(_tidy(word))
    if not text:
        return False
    if text.casefold() in ROLE_HEADS:
        return True
    head = re.split(r"\s+of\s+", text, maxsplit=1, flags=re.IGNORECASE)[0]  # the role precedes "of"
    parts = head.rsplit(" ", 1)[-1].split("-")
    if len(parts) > 1 and parts[-1].casefold() in _ROLE_SUFFIXES:
        parts.pop()
    if len(parts) > 1 and "-".join(parts).casefold() in ROLE_HEADS:
        return True
    return _is_role_token(parts[-1])


# Honorifics: forms of address that are not roles, lower case and without the full stop. "Dr" is here,
# "Professor" and "President" are roles (ROLE_HEADS) and stay part of a name. "Sr." is left out: it is
# both "Señor" and "Sister", and "Senior" after a name.
HONORIFICS: frozenset[str] = _words(
    "mr mrs ms miss mx mister messrs mmes mesdames dr sir dame lord lady rev revd reverend fr hon "
    "honorable honourable rt madam madame mme mlle mademoiselle monsieur herr frau senor señor senora "
    "señora signor signora signorina"
)

_MALE_TITLES = _words(
    "mr mister messrs sir lord herr monsieur senor señor signor fr father brother king prince emperor "
    "sultan emir sheikh duke archduke baron tsar czar kaiser pope cardinal ayatollah monk abbot "
    "patriarch chairman spokesman congressman councilman alderman assemblyman businessman statesman "
    "anchorman policeman fireman cameraman sportsman frontman committeeman selectman countryman "
    "englishman frenchman irishman dutchman welshman scotsman gentleman"
)
_FEMALE_TITLES = _words(
    "mrs ms miss madam madame mme mlle mademoiselle mmes mesdames lady dame frau senora señora signora "
    "signorina sister mother queen princess empress sultana sheikha duchess archduchess baroness "
    "countess tsarina czarina abbess nun chairwoman spokeswoman congresswoman councilwoman alderwoman "
    "assemblywoman businesswoman stateswoman anchorwoman policewoman firewoman camerawoman "
    "sportswoman frontwoman committeewoman selectwoman countrywoman englishwoman frenchwoman "
    "irishwoman dutchwoman welshwoman scotswoman actress heiress"
)


def gender_of_title(word: str) -> str | None:
    """ "m" or "f" for a gendered honorific or title ("Mr." -> "m", "spokeswoman" -> "f"), else None.

    Neutral and unknown titles ("Dr.", "minister", "Mx") give None.
    """
    key = _role_key(word).rstrip(".")
    if key == "first lady":
        return "f"
    for form in [key, *_singular(key)]:
        if form in _MALE_TITLES:
            return "m"
        if form in _FEMALE_TITLES:
            return "f"
    return None


_HONORIFIC_TOKEN = re.compile(r"(\S+?)\.?\s+")
_RIGHT_HONOURABLE = re.compile(r"right\s+hon(?:ou?rable)?\.?\s+", re.IGNORECASE)


def strip_honorific(name: str) -> str:
    """``name`` without leading honorifics: "Mr. Trump" -> "Trump", "the Rev. Dr. Jane Roe" -> "Jane Roe".

    Roles are kept ("President Jane Roe" is unchanged), an honorific alone is kept ("Mr."), and so is a
    pair of names ("Mr. and Mrs. Smith"), where dropping the first title would misattribute the rest.
    """
    text = name.strip()
    rest = text
    if match := re.match(r"the\s+", rest, re.IGNORECASE):
        after = rest[match.end() :]
        token = _HONORIFIC_TOKEN.match(after)
        if not _RIGHT_HONOURABLE.match(after) and (
            token is None or token.group(1).casefold() not in HONORIFICS
        ):
            return text  # "the" not followed by an honorific is not ours to strip
        rest = after
    while True:
        if match := _RIGHT_HONOURABLE.match(rest):
            rest = rest[match.end() :]
            continue
        token = _HONORIFIC_TOKEN.match(rest)
        if token is None or token.group(1).casefold() not in HONORIFICS:
            break
        rest = rest[token.end() :]
    if not rest or rest == text:
        return text
    if re.match(r"(?:and|&)\s", rest, re.IGNORECASE):
        return text
    return rest


# ---------------------------------------------------------------------------------------------------
# News media

# Common nouns (lemmas, lower case) that denote a news medium, for relays ("the paper reported") and
# addressees ("told the broadcaster").
MEDIUM_NOUNS: frozenset[str] = frozenset(
    {
        "paper",
        "newspaper",
        "daily",
        "weekly",
        "monthly",
        "tabloid",
        "broadsheet",
        "magazine",
        "newsmagazine",
        "news magazine",
        "journal",
        "periodical",
        "newsletter",
        "gazette",
        "publication",
        "agency",
        "news agency",
        "press agency",
        "wire",
        "newswire",
        "wire service",
        "news service",
        "broadcaster",
        "state broadcaster",
        "public broadcaster",
        "network",
        "news network",
        "channel",
        "news channel",
        "tv channel",
        "station",
        "radio station",
        "tv station",
        "television station",
        "outlet",
        "news outlet",
        "media outlet",
        "website",
        "news website",
        "site",
        "news site",
        "portal",
        "news portal",
        "radio",
        "television",
        "tv",
        "state television",
        "state tv",
        "blog",
        "podcast",
        "program",
        "programme",
        "news program",
        "news programme",
        "show",
        "talk show",
        "newscast",
        "broadcast",
        "bulletin",
        "news bulletin",
        "media",
        "state media",
        "press",
    }
)

# MEDIUM_NOUNS that, placed before or after a name, also fit things other than news media: "the agency
# Frontex", "the station Waterloo", "the program Erasmus".
_AMBIGUOUS_MEDIUM_NOUNS = frozenset(
    {
        "agency",
        "network",
        "station",
        "site",
        "portal",
        "program",
        "programme",
        "show",
        "broadcast",
        "bulletin",
        "press",
        "wire",
        "channel",
    }
)

# Lower-case words that describe a medium in front of its name: "the state-run daily X".
_MEDIUM_ADJECTIVES = _words(
    "state official semi-official semiofficial online local national regional independent opposition "
    "financial business conservative liberal leading influential popular respected prestigious "
    "investigative satirical public private international global evening morning sunday weekend cable "
    "satellite news"
)
_DESCRIPTOR_SUFFIXES = (
    "-language",
    "-based",
    "-run",
    "-owned",
    "-backed",
    "-controlled",
    "-leaning",
    "-wing",
    "-affiliated",
    "-funded",
    "-government",
)

# Last words of mastheads: "the Morning Post", "Ruritania Today". Alone, a masthead word counts only
# after "the" ("the Sun"; "Sun" is a star or a surname).
_MASTHEAD_WORDS = _words(
    "post times journal herald tribune gazette chronicle telegraph guardian observer courier express "
    "mirror sun daily magazine news radio tv television wire newswire review standard independent "
    "inquirer enquirer examiner monitor dispatch register bulletin star globe mail today press media "
    "weekly sentinel ledger courant advertiser argus digest quarterly podcast blog broadcasting "
    "zeitung shimbun ilbo gazeta gazzetta pravda novosti nachrichten kurier presse tageblatt dagblad "
    "diario"
)
# Words that make any name a medium wherever they stand: "Ruritanian Broadcasting Corporation".
_MEDIUM_NAME_WORDS = _words("broadcasting broadcast television tv radio newspaper newspapers news")
# Institution words: a name containing one ("Ministry of Information and Broadcasting", "European
# Broadcasting Union", "National Press Club", "Oxford University Press") is not a news medium, whatever
# else it contains.
_INSTITUTION_WORDS = _words(
    "ministry department office bureau commission committee council authority board agency "
    "administration institute institution university college school academy association federation union "
    "society foundation club party court parliament assembly senate congress government embassy "
    "regulator museum award awards prize festival act law bill"
)
# Well-known names that end in a masthead word but are not media.
_NOT_MEDIA = frozenset(
    {"american express", "federal express", "orient express", "royal mail", "golden globe", "golden globes"}
)


class _Media:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # folded name or alias -> canonical name
        self.cased: set[str] = set()  # folded keys whose table form has capitals
        self.abbrevs: dict[str, str] = {}  # case-kept abbreviation -> canonical name


@cache
def _media() -> _Media:
    table = _Media()
    for row in _read_table("media.tsv"):
        name, aliases = row[0], _split(row[1]) if len(row) > 1 else []
        for alias in [name, *aliases]:
            if _is_abbrev(alias):
                _add(table.abbrevs, _abbrev_key(alias), name, "media.tsv")
            else:
                # A table form "The Hill" keeps its article in the key, so that "Hill" alone misses.
                _add(table.names, _fold(alias), name, "media.tsv")
                if alias != alias.lower():
                    table.cased.add(_fold(alias))
    return table


def _lookup_medium(text: str) -> str | None:
    """The canonical name of a known outlet, trying the text with and without "the" and a possessive."""
    table = _media()
    lower_input = text == text.lower()
    for form in dict.fromkeys([text, _strip_possessive(text)]):
        for candidate in dict.fromkeys([form, _ARTICLE.sub("", form)]):
            if _is_abbrev(candidate) and (hit := table.abbrevs.get(_abbrev_key(candidate))):
                return hit
            key = _fold(candidate)
            # All-lower-case input is a common noun ("time", "fortune", "the sun"), not a masthead.
            if key in table.names and not (lower_input and key in table.cased):
                return table.names[key]
    return None


def _is_descriptor(token: str) -> bool:
    low = token.casefold()
    if low.endswith(_DESCRIPTOR_SUFFIXES):  # "state-run", "London-based", "Kremlin-backed"
        return True
    return token == low and (low in _MEDIUM_ADJECTIVES or low in MEDIUM_NOUNS)


def _says_medium(previous: str, token: str) -> bool:
    """Whether a descriptor word states plainly that what it describes is a news medium."""
    if token not in MEDIUM_NOUNS:
        return False
    return token not in _AMBIGUOUS_MEDIUM_NOUNS or previous in {"news", "radio", "tv", "television", "state"}


def _core(text: str) -> tuple[list[str], bool, bool]:
    """The name inside a descriptive phrase: "the French daily Le Monde" -> ["Le", "Monde"].

    Returns the name's tokens, whether "the" stood before it, and whether a stripped word said plainly
    that it is a news medium ("daily", "newspaper", "news agency"; not the ambiguous "agency").
    """
    tokens = text.split(" ")
    had_article = said_medium = False
    previous = ""
    start = 0
    while start < len(tokens) - 1:
        token = tokens[start]
        if token.casefold() == "the":
            had_article = True
        elif _is_descriptor(token):
            said_medium |= _says_medium(previous, token)
        elif not (start + 2 < len(tokens) and _is_descriptor(tokens[start + 1]) and country_of(token)):
            break  # a nationality counts as a descriptor only before one: "French" in "French daily X"
        previous = token.casefold()
        start += 1
    end = len(tokens)
    while end - start > 1 and (tokens[end - 1] in MEDIUM_NOUNS or tokens[end - 1] == "news"):
        said_medium |= _says_medium(tokens[end - 2], tokens[end - 1])  # "the Bild newspaper"
        end -= 1
    return tokens[start:end], had_article, said_medium


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _looks_like_masthead(tokens: list[str], had_article: bool) -> bool:
    words = [_strip_possessive(token) for token in tokens]
    lows = [word.casefold() for word in words]
    if _fold(" ".join(words)) in _NOT_MEDIA:
        return False
    if set(lows) & _INSTITUTION_WORDS:
        return False
    if len(words) == 1 and not had_article:
        return False
    last_parts = lows[-1].split("-")  # "Post-Dispatch", "Journal-Constitution"
    if _capitalised(words[-1]) and any(part in _MASTHEAD_WORDS for part in last_parts):
        return True
    if any(low in _MEDIUM_NAME_WORDS and _capitalised(word) for word, low in zip(words, lows, strict=True)):
        return True
    if len(words) > 1 and words[0] == "Daily":  # "Daily Kos", "Daily Planet"
        return True
    # "Times of Malta": a masthead word first, then "of".
    return len(words) > 2 and lows[1] == "of" and lows[0] in _MASTHEAD_WORDS and _capitalised(words[0])


def is_medium(name: str) -> bool:
    """Whether a name denotes a news medium.

    True for known outlets (data/media.tsv, alias-aware, ignoring "the" and a possessive), for names
    with a masthead's last word ("the daily Morning Post", "Ruritania Today", "the Sun"; alone only
    after "the") or a broadcasting word anywhere ("Ruritanian Broadcasting Corporation"), and for names
    introduced as one ("the newspaper Ruritania Nova"); also for a description headed by a medium noun
    ("Chinese state media", "the newspaper"). False for institutions ("Ministry of Finance",
    "Central Intelligence Agency", "European Broadcasting Union"), firms ("Goldman Sachs") and
    all-lower-case text.
    """
    text = _tidy(name)
    if not text:
        return False
    if _lookup_medium(text) is not None:
        return True
    tokens, had_article, said_medium = _core(text)
    if not any(_capitalised(token) for token in tokens):
        # No name, only a description: "Chinese state media", "the newspaper" (not "the sun").
        words = text.casefold().split(" ")
        return said_medium or _says_medium(words[-2] if len(words) > 1 else "", words[-1])
    if _lookup_medium(" ".join(tokens)) is not None:
        return True
    return said_medium or _looks_like_masthead(tokens, had_article)


def canonical_medium(name: str) -> str:
    """The canonical name of an outlet: "AP" -> "Associated Press", "the Post's" -> "Post".

    Known outlets get their name from data/media.tsv (without "the", except where the bare word means
    something else: "The Hill", "The Guardian"). Other names come back cleaned: descriptors, a leading
    "the" and a possessive removed ("the daily Morning Post" -> "Morning Post"). Bare masthead words
    shared by several papers stay as they are ("the Times" -> "Times"): which paper depends on context.
    """
    text = _tidy(name)
    if not text:
        return text
    if hit := _lookup_medium(text):
        return hit
    tokens, _, _ = _core(text)
    if not any(_capitalised(token) for token in tokens):
        tokens = text.split(" ")  # a description, not a name: keep it whole ("Chinese state media")
    core = " ".join(tokens)
    if hit := _lookup_medium(core):
        return hit
    return _strip_possessive(_ARTICLE.sub("", core))
