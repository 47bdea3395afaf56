"""When a statement was made: date expressions, normalised against the publication date.

:func:`normalise` turns one date expression ("on Tuesday", "last week",
"March 8, 2024") into an ISO value at a precision. Relative expressions are
read the way news copy uses them: a bare weekday is the most recent such day
on or before publication, so "Tuesday" in a Wednesday paper is the day before.

:func:`statement_date` picks, in the cue's sentence, the date expression that
says when the statement was made — one the cue governs, outside the content.

The grammar here is deliberately hand-written: dateparser reads durations
("three days") as dates and resolves weekdays strictly before its base date,
both wrong for this job, so it is only the fallback for absolute dates that
the grammar does not know (numeric forms like "3/8/2024").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from saywho.records import DateRef, Precision

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Norm = tuple[str, Precision]

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
# Abbreviated weekdays only with their dot: "sun", "sat", "wed" are ordinary words.
WEEKDAY_ABBR: dict[str, int] = {
    "mon.": 0, "tue.": 1, "tues.": 1, "wed.": 2, "thu.": 3, "thur.": 3, "thurs.": 3, "fri.": 4,
    "sat.": 5, "sun.": 6,
}  # fmt: skip
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _alt(words: list[str]) -> str:
    # Longest first, so "sept" wins over "sep" and "march" over "mar".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>(?:{_alt(list(MONTHS))})\.?)"
_WD = rf"(?P<wd>{_alt(list(WEEKDAYS))}|{_alt(list(WEEKDAY_ABBR))})"
_WD_PREFIX = rf"(?:(?:{_alt(list(WEEKDAYS))}|{_alt(list(WEEKDAY_ABBR))}),?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[12]\d{3})"
_NUM = rf"(?P<n>\d{{1,3}}|{_alt(list(NUMBERS))})"

# Words an expression may open with that make it a duration, range or habit, not a point in time.
NOT_A_POINT = _words(
    "for since until till through throughout by every each within after before from between per "
    "all most much several few many some"
)
LEADING_PREPOSITIONS = ("on ", "in ", "during ", "at ", "over ")
# Modifiers that narrow inside a period without changing it at that precision.
MODIFIERS = re.compile(r"^(?:(?:earlier|early|later|late|mid|the (?:end|start|beginning|middle) of)\s+|mid-)")
TIME_OF_DAY = re.compile(r"\s+(?:night|morning|afternoon|evening|overnight)$")


def _day(d: date) -> Norm:
    return d.isoformat(), "day"


def _week(d: date) -> Norm:
    return (d - timedelta(days=d.weekday())).isoformat(), "week"


def _month(year: int, month: int) -> Norm:
    return f"{year:04d}-{month:02d}", "month"


def _year(year: int) -> Norm:
    return f"{year:04d}", "year"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _weekday(name: str) -> int:
    return WEEKDAYS.get(name, WEEKDAY_ABBR.get(name, -1))


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".")]


def _recent_weekday(pub: date, weekday: int, strictly_before: bool = False) -> date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return pub - timedelta(days=back)


def _day_in_year(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(pub: date | None, month: int, day: int, year: int | None) -> Norm | None:
    if year is not None:
        d = _day_in_year(year, month, day)
        return _day(d) if d else None
    if pub is None or not 1 <= day <= 31:
        return None
    # The most recent such day not after publication; a few years back covers 29 February.
    for y in range(pub.year, pub.year - 8, -1):
        d = _day_in_year(y, month, day)
        if d is not None and d <= pub:
            return _day(d)
    return None


# --- the grammar: (full-match pattern, resolver(match, publication date)) --------------------------

Resolver = Callable[[re.Match[str], date | None], Norm | None]


def _rel(fn: Callable[[re.Match[str], date], Norm | None]) -> Resolver:
    """A resolver that needs the publication date: without one, a relative date means nothing."""

    def resolve(m: re.Match[str], pub: date | None) -> Norm | None:
        return None if pub is None else fn(m, pub)

    return resolve


def _ago(m: re.Match[str], pub: date) -> Norm | None:
    raw = m["n"]
    n = int(raw) if raw.isdigit() else NUMBERS[raw]
    unit = m["unit"]
    if unit == "day":
        return _day(pub - timedelta(days=n))
    if unit == "week":
        return _week(pub - timedelta(weeks=n))
    if unit == "month":
        return _month(*_add_months(pub.year, pub.month, -n))
    return _year(pub.year - n)


def _period(m: re.Match[str], pub: date) -> Norm | None:
    which, unit = m["which"], m["unit"]
    delta = {"last": -1, "this past": -1, "this": 0, "the": 0, "next": 1}[which]
    if unit == "week":
        return _week(pub + timedelta(weeks=delta))
    if unit == "month":
        return _month(*_add_months(pub.year, pub.month, delta))
    return _year(pub.year + delta)


def _weekend(m: re.Match[str], pub: date) -> Norm | None:
    which = m["which"]
    on_weekend = pub.weekday() >= 5
    # "this weekend" is the one in the publication week; "over the weekend" read on a weekday is
    # the one just gone; "last weekend" read on a weekend is the one before it.
    if which == "this" or (which in ("the", "over the") and on_weekend):
        return _week(pub)
    return _week(pub - timedelta(weeks=1))


def _weekday_rel(m: re.Match[str], pub: date) -> Norm | None:
    wd = _weekday(m["wd"])
    which = m["which"]
    if which in ("last", "this past", "past"):
        return _day(_recent_weekday(pub, wd, strictly_before=True))
    if which == "this":
        return _day(pub + timedelta(days=wd - pub.weekday()))
    return _day(_recent_weekday(pub, wd))


def _weekday_of_week(m: re.Match[str], pub: date) -> Norm | None:
    monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=-1 if m["which"] == "last" else 0)
    return _day(monday + timedelta(days=_weekday(m["wd"])))


def _month_only(m: re.Match[str], pub: date | None) -> Norm | None:
    month = _month_number(m["month"])
    if m["year"]:
        return _month(int(m["year"]), month)
    if pub is None:
        return None
    which = m["which"]
    if which == "this":
        return _month(pub.year, month)
    if which == "next":
        return _month(pub.year + (month <= pub.month), month)
    # "last March" is strictly before the publication month; a bare "March" may be this one.
    after = month >= pub.month if which in ("last", "this past") else month > pub.month
    return _month(pub.year - after, month)


def _month_day_m(m: re.Match[str], pub: date | None) -> Norm | None:
    return _month_day(pub, _month_number(m["month"]), int(m["day"]), int(m["year"]) if m["year"] else None)


def _nth(m: re.Match[str], pub: date) -> Norm | None:
    day = int(m["day"])
    year, month = pub.year, pub.month
    for _ in range(3):  # "the 31st" may need to skip a short month
        d = _day_in_year(year, month, day)
        if d is not None and d <= pub:
            return _day(d)
        year, month = _add_months(year, month, -1)
    return None


def _iso(m: re.Match[str], pub: date | None) -> Norm | None:
    year, month = int(m["year"]), int(m["mon"])
    if m["day"] is None:
        return _month(year, month) if 1 <= month <= 12 else None
    d = _day_in_year(year, month, int(m["day"]))
    return _day(d) if d else None


def _fixed(days: int) -> Resolver:
    return _rel(lambda m, pub: _day(pub + timedelta(days=days)))


GRAMMAR: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(p), r)
    for p, r in [
        (r"today|tonight|this (?:morning|afternoon|evening)|the day", _fixed(0)),
        (r"yesterday|last night", _fixed(-1)),
        (r"the day before yesterday", _fixed(-2)),
        (r"tomorrow", _fixed(1)),
        (rf"(?:(?P<which>last|this past|past|this)\s+)?{_WD}", _rel(_weekday_rel)),
        (rf"{_WD},?\s+(?:of\s+)?(?P<which>last|this) week", _rel(_weekday_of_week)),
        (r"(?P<which>last|this past|this|next|the) (?P<unit>week|month|year)", _rel(_period)),
        (r"(?P<which>last|this past|this|the|over the) weekend", _rel(_weekend)),
        (rf"{_NUM} (?P<unit>day|week|month|year)s? ago", _rel(_ago)),
        (rf"(?:(?P<which>last|this past|this|next)\s+)?{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?", _month_only),
        (rf"{_WD_PREFIX}(?:the\s+)?{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?", _month_day_m),
        (rf"{_WD_PREFIX}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?(?:\s+{_YEAR})?", _month_day_m),
        (r"(?P<year>[12]\d{3})-(?P<mon>\d{2})(?:-(?P<day>\d{2}))?", _iso),
        (rf"(?:the year\s+)?{_YEAR}", lambda m, pub: _year(int(m["year"]))),
        (rf"the {_DAY}", _rel(_nth)),
    ]
]


def _unnamed(pattern: str) -> str:
    # One regex may not repeat a group name; the embedded search only needs where a date is.
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# Dates that may sit inside a longer phrase ("in a March 10 interview", "Monday's debate").
_EMBEDDED = re.compile(
    _unnamed(
        rf"(?<![\w-])(?:"
        rf"{_WD_PREFIX}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
        rf"|{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?"
        rf"|{_MONTH}(?:,?\s+{_YEAR})?"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}"
        rf"|{_WD}"
        rf"|{_YEAR}"
        rf")(?![\w-])"
    )
)
_PREFIX_WORDS = _words("on in at during a an the his her their its our my your")
# A following word that turns the date into an offset, range or age rather than the date itself.
_BAD_SUFFIX = _words("ago later earlier before after since until till to through and or old long from")
# Capitalised in English, common words in lower case.
_AMBIGUOUS = frozenset({"may", "march", "mar", "sun", "sat", "wed"})
# Only strings with an absolute anchor ever reach dateparser.
_ABSOLUTE = re.compile(rf"\b\d{{1,4}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|\b(?:{_alt(list(MONTHS))})\b.*\d")
# Ranges and lists, which dateparser would happily collapse to one of their ends.
_RANGE = re.compile(r"\d\s*[-–—]\s*\d|\b(?:to|and|or|through|until|till)\b|[^\w\s.,/']")


def _clean(expr: str) -> str:
    """``expr`` with straight apostrophes, single spaces and no surrounding punctuation; case kept."""
    s = re.sub(r"\s+", " ", expr.replace("’", "'").replace("‘", "'"))
    return s.strip(" ,;:!?\"'()[]“”")


def _match_grammar(s: str, pub: date | None) -> Norm | None:
    for pattern, resolve in GRAMMAR:
        m = pattern.fullmatch(s)
        if m is not None:
            return resolve(m, pub)
    return None


def _strip(s: str) -> tuple[str, bool]:
    """``s`` without leading prepositions and modifiers or a possessive; and whether it had a modifier."""
    modified = False
    for _ in range(3):  # "in early March", "earlier in the week"
        before = s
        for prep in LEADING_PREPOSITIONS:
            if s.startswith(prep):
                s = s[len(prep) :]
        m = MODIFIERS.match(s)
        if m and m.end() < len(s):
            s, modified = s[m.end() :], True
        if s == before:
            break
    s = re.sub(r"'s?$", "", s)  # "Monday's"
    return s.strip(" ,"), modified


def _embedded(original: str, s: str, pub: date | None) -> Norm | None:
    """A date inside a short phrase: only determiners and prepositions before it, a noun or two after."""
    for m in _EMBEDDED.finditer(s):
        text = original[m.start() : m.end()]
        first = m.group(0).split()[0].rstrip(".,")
        if first in _AMBIGUOUS and text[:1].islower():
            continue
        prefix = s[: m.start()].split()
        if len(prefix) > 4 or any(w not in _PREFIX_WORDS and not w.endswith("'s") for w in prefix):
            continue
        rest = s[m.end() :].strip()
        rest = rest[2:].strip() if rest.startswith("'s") else rest
        words = rest.split()
        if len(words) > 3 or any(
            w in _BAD_SUFFIX or not re.fullmatch(r"[a-z][a-z-]*(?:'s)?", w) for w in words
        ):
            continue
        found = _match_grammar(m.group(0).strip(" ,"), pub)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def _dateparser(expr: str, pub: date | None) -> Norm | None:
    """dateparser's reading of an absolute date; it is slow, so only for what the grammar missed."""
    from dateparser.date import DateDataParser  # slow to import: only when needed

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    else:
        # Without a base it would fill a missing year from today's date: require one in the text.
        if not re.search(r"\b[12]\d{3}\b", expr):
            return None
        settings["REQUIRE_PARTS"] = ["year"]
    # Explicit languages: no language detection, nothing to fetch.
    parsed = DateDataParser(languages=["en"], settings=settings).get_date_data(expr)
    d, period = parsed.date_obj, parsed.period
    if d is None:
        return None
    if period == "year":
        return _year(d.year)
    if period == "month":
        return _month(d.year, d.month)
    if period == "week":
        return _week(d.date())
    return _day(d.date())


@lru_cache(maxsize=8192)
def _normalise(expr: str, pub: date | None) -> Norm | None:
    original = _clean(expr)
    s = original.lower()
    if not s or s.split()[0] in NOT_A_POINT:
        return None
    core, modified = _strip(s)
    if not core:
        return None
    if core in ("the week", "the month", "the year", "the day") and not modified:
        return None  # "the week" on its own is a duration, "earlier in the week" is this week
    found = _match_grammar(core, pub)
    if found is None and TIME_OF_DAY.search(core):  # "Tuesday night", after "last night" had its chance
        found = _match_grammar(TIME_OF_DAY.sub("", core), pub)
    if found is None and len(original) == len(s):  # lower() kept the offsets: case can be checked
        found = _embedded(original, s, pub)
    if found is None and _ABSOLUTE.search(core) and not _RANGE.search(core):
        found = _dateparser(core, pub)
    return found


def normalise(expr: str, published: date | None) -> Norm | None:
    """``expr`` as (ISO value, precision), relative dates read against ``published``.

    ``None`` for durations, ranges, habits, vague expressions and non-dates, and for relative
    expressions when there is no publication date.
    """
    if published is not None and isinstance(published, datetime):
        published = published.date()
    return _normalise(expr, published)


# --- which date in a sentence says when the statement was made ---------------------------------------

# Nouns for speech events: "in a March 10 interview", "at Tuesday's briefing".
SPEECH_EVENT_NOUNS = _words(
    """interview statement statements remarks remark speech address comments comment briefing conference
    debate hearing testimony meeting appearance post tweet message letter email e-mail broadcast podcast
    show op-ed column article editorial report rally event session call announcement sermon lecture talk
    summit forum panel program programme episode video news-conference townhall town-hall visit
    memo filing release communique communiqué questioning exchange"""
)
TIME_OF_DAY_NOUNS = _words("night morning afternoon evening overnight")
# Prepositions that place an act in time; "after"/"before"/"since" relate it to one instead.
TIME_PREPOSITIONS = _words("on in during at over from with")
# Participles that may stand between the date and the cue: "Speaking on Tuesday, X said".
SPEECH_VERBS = _words(
    """speak talk address testify write tell say tweet post announce comment respond reply appear ask
    interview answer brief"""
)
# "remarks delivered Tuesday", "an interview published Tuesday".
PUBLISHING_VERBS = _words(
    "deliver give make publish post release issue broadcast air hold conduct record tape"
)
MISSED_WORDS = frozenset(WEEKDAYS) | {"yesterday", "today", "tonight"}
_NOT_DATE_TOKENS = frozenset({"on", "in", "during", "at", "over", "'s", "'", "’s", "’"})


def _passable(tok: Token) -> bool:
    """Whether a date may reach the cue through ``tok`` and still say when the cue happened."""
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if tok.dep_ in ("prep", "agent") or tok.pos_ == "ADP":
        # "according to a statement released Tuesday": "to" only belongs to the cue there.
        return lower in TIME_PREPOSITIONS or (lower == "to" and tok.head.lower_ == "according")
    if tok.pos_ in ("NOUN", "PROPN"):
        return lemma in SPEECH_EVENT_NOUNS or lower in SPEECH_EVENT_NOUNS or lower in TIME_OF_DAY_NOUNS
    if tok.pos_ == "VERB" and tok.tag_ in ("VBG", "VBN"):
        if tok.dep_ == "advcl":
            return lemma in SPEECH_VERBS
        if tok.dep_ == "acl":
            return lemma in PUBLISHING_VERBS or lemma in SPEECH_VERBS
    return False


def _governed_by(span: Span, cue: Token) -> bool:
    """Whether the head chain from ``span``'s root reaches ``cue`` in its sentence through passable tokens."""
    sent = cue.sent
    tok = span.root
    for _ in range(len(sent)):
        if tok == cue:
            return True
        head = tok.head
        if head == tok or not sent.start <= head.i < sent.end:
            return False
        if head == cue:
            return True
        if not _passable(head):
            return False
        tok = head
    return False


def _trimmed(span: Span) -> Span | None:
    """``span`` without a leading preposition or article and a trailing possessive or comma."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _NOT_DATE_TOKENS:
        start += 1
    while end > start and (doc[end - 1].lower_ in _NOT_DATE_TOKENS or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if start < end else None


def _with_time_of_day(span: Span, sent: Span) -> Span:
    """``span`` extended by a following "night"/"morning" that it modifies: "Tuesday night"."""
    doc = span.doc
    if span.end < sent.end:
        nxt = doc[span.end]
        if nxt.lower_ in TIME_OF_DAY_NOUNS and span.root.head == nxt:
            return doc[span.start : span.end + 1]
    return span


def _candidates(doc: Doc, sent: Span) -> list[Span]:
    """DATE entities in ``sent``, and weekday/"yesterday" tokens the NER missed."""
    found: list[Span] = [e for e in sent.ents if e.label_ == "DATE"]
    for tok in sent:
        # Inside another entity ("Good Friday", "USA Today") the word is not a date.
        if tok.lower_ in MISSED_WORDS and tok.ent_type_ in ("", "TIME"):
            found.append(doc[tok.i : tok.i + 1])
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < ce and cs < end for cs, ce in spans)


def _right_after(span: Span, cue: Token, content: list[tuple[int, int]]) -> bool:
    """ "said on Monday he…": between the cue and its content, whatever the parser attached it to."""
    doc = cue.doc
    starts = [a for a, _ in content if a >= span.end_char]
    if not starts or span.start <= cue.i:
        return False
    gap = doc[cue.i + 1 : span.start]
    # "told reporters last week he…": the addressee may stand between
    addressee = {t.i for c in cue.children if c.dep_ in ("dobj", "dative") for t in c.subtree}
    if any(t.lower_ not in _GAP_WORDS and not t.is_punct and t.i not in addressee for t in gap):
        return False
    # nothing but a comma between the date and where the content starts
    first = min(starts)
    between = [t for t in doc[span.end :] if t.idx < first]
    return all(t.is_space or t.text == "," for t in between)


# Words that may stand between a cue and the date right after it: "said on Monday".
_GAP_WORDS = frozenset({"on", "in", "late", "early", "last", "this", "earlier"})


def statement_date(
    doc: Doc, cue: Token | None, content: list[tuple[int, int]], published: date | None
) -> DateRef | None:
    """The date the cue's statement was made, from the cue's sentence, or ``None``.

    A candidate counts only when the cue governs it (directly, or through a time preposition, a
    speech-event noun or a speech participle) and it lies outside every ``content`` span: a date
    in what was said is not when it was said. Of several, the nearest to the cue wins.
    """
    if cue is None or not doc.has_annotation("DEP"):
        return None
    sent = cue.sent
    best: tuple[int, DateRef] | None = None
    for candidate in _candidates(doc, sent):
        span = _trimmed(candidate)
        if span is None:
            continue
        span = _with_time_of_day(span, sent)
        if _overlaps(span.start_char, span.end_char, content):
            continue
        if not (_governed_by(span, cue) or _right_after(span, cue, content)):
            continue
        found = normalise(span.text, published)
        if found is None:
            continue
        distance = min(abs(span.start - cue.i), abs(span.end - 1 - cue.i))
        if best is None or distance < best[0]:
            ref = DateRef(span.start_char, span.end_char, span.text, found[0], found[1])
            best = (distance, ref)
    return best[1] if best else None
