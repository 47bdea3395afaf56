"""Date expressions and statement dates, read against a fixed publication date.

Every sentence here is made up for the tests. The publication date is Wednesday 13 March 2024.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from saywho.extraction import dates
from saywho.extraction.dates import normalise, statement_date
from saywho.records import DateRef

PUB = date(2024, 3, 13)  # a Wednesday
CUES = frozenset({"said", "told", "according", "says"})


@pytest.fixture(scope="module")
def nlp() -> Language:
    from saywho.nlp import load

    return load()


def parse(nlp: Language, marked: str) -> tuple[Doc, list[tuple[int, int]]]:
    """The doc for ``marked`` without its ``[[…]]`` marks, and the marked stretches as content spans."""
    text, content = "", []
    for part in re.split(r"(\[\[.*?\]\])", marked):
        if part.startswith("[["):
            content.append((len(text), len(text) + len(part) - 4))
            text += part[2:-2]
        else:
            text += part
    return nlp(text), content


def date_of(nlp: Language, marked: str, published: date | None = PUB) -> DateRef | None:
    doc, content = parse(nlp, marked)
    cue = next(t for t in doc if t.lower_ in CUES)
    found = statement_date(doc, cue, content, published)
    if found is not None:  # the offsets invariant holds for every answer
        assert doc.text[found.start : found.end] == found.text
    return found


# --- normalise -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "value", "precision"),
    [
        # Weekdays: the most recent such day on or before publication.
        ("Tuesday", "2024-03-12", "day"),
        ("on Tuesday", "2024-03-12", "day"),
        ("Tuesday night", "2024-03-12", "day"),
        ("late Tuesday", "2024-03-12", "day"),
        ("Monday's debate", "2024-03-11", "day"),
        ("Wednesday", "2024-03-13", "day"),  # the publication day itself
        ("Thursday", "2024-03-07", "day"),
        ("last Thursday", "2024-03-07", "day"),
        ("last Wednesday", "2024-03-06", "day"),  # "last" is strictly before publication
        ("Tuesday of last week", "2024-03-05", "day"),
        ("yesterday", "2024-03-12", "day"),
        ("last night", "2024-03-12", "day"),
        ("today", "2024-03-13", "day"),
        ("this morning", "2024-03-13", "day"),
        ("two days ago", "2024-03-11", "day"),
        # Weeks: the Monday that starts the ISO week.
        ("last week", "2024-03-04", "week"),
        ("this week", "2024-03-11", "week"),
        ("earlier this week", "2024-03-11", "week"),
        ("earlier in the week", "2024-03-11", "week"),
        ("three weeks ago", "2024-02-19", "week"),
        ("over the weekend", "2024-03-04", "week"),
        # Months and years.
        ("last month", "2024-02", "month"),
        ("earlier this month", "2024-03", "month"),
        ("in March", "2024-03", "month"),
        ("March", "2024-03", "month"),
        ("mid-March", "2024-03", "month"),
        ("in April", "2023-04", "month"),  # the most recent April not after publication
        ("last March", "2023-03", "month"),
        ("May 2023", "2023-05", "month"),
        ("last year", "2023", "year"),
        ("this year", "2024", "year"),
        ("in 2019", "2019", "year"),
        # Days of a month: the year is the most recent that does not put them after publication.
        ("March 8", "2024-03-08", "day"),
        ("Jan. 5", "2024-01-05", "day"),
        ("on 8 March", "2024-03-08", "day"),
        ("the 8th of March", "2024-03-08", "day"),
        ("on Sept. 12", "2023-09-12", "day"),
        ("March 14", "2023-03-14", "day"),
        ("Tuesday, March 12", "2024-03-12", "day"),
        ("March 8, 2024", "2024-03-08", "day"),
        ("2024-03-08", "2024-03-08", "day"),
        # A date inside a phrase.
        ("In a March 10 interview", "2024-03-10", "day"),
        ("during Monday's debate", "2024-03-11", "day"),
        # Numeric forms go to dateparser (month first, as in US copy).
        ("3/8/2024", "2024-03-08", "day"),
    ],
)
def test_normalise(expr: str, value: str, precision: str) -> None:
    assert normalise(expr, PUB) == (value, precision)


def test_weekday_on_its_own_publication_day_is_that_day() -> None:
    assert normalise("Tuesday", date(2024, 3, 12)) == ("2024-03-12", "day")
    assert normalise("Tuesday", date(2024, 3, 11)) == ("2024-03-05", "day")


def test_relative_dates_across_a_year_boundary() -> None:
    pub = date(2024, 1, 3)  # a Wednesday
    assert normalise("last week", pub) == ("2023-12-25", "week")
    assert normalise("last month", pub) == ("2023-12", "month")
    assert normalise("in December", pub) == ("2023-12", "month")
    assert normalise("Dec. 30", pub) == ("2023-12-30", "day")
    assert normalise("Friday", pub) == ("2023-12-29", "day")


def test_datetime_publication_is_read_as_its_date() -> None:
    assert normalise("yesterday", datetime(2024, 3, 13, 23, 59)) == ("2024-03-12", "day")


@pytest.mark.parametrize(
    "expr", ["Tuesday", "yesterday", "last week", "this year", "two days ago", "March 8", "in March"]
)
def test_relative_dates_need_a_publication_date(expr: str) -> None:
    assert normalise(expr, None) is None


@pytest.mark.parametrize(
    ("expr", "value", "precision"),
    [
        ("March 8, 2024", "2024-03-08", "day"),
        ("2024-03-08", "2024-03-08", "day"),
        ("in 2019", "2019", "year"),
        ("May 2023", "2023-05", "month"),
        ("3/8/2024", "2024-03-08", "day"),
    ],
)
def test_absolute_dates_need_no_publication_date(expr: str, value: str, precision: str) -> None:
    assert normalise(expr, None) == (value, precision)


@pytest.mark.parametrize(
    "expr",
    [
        "for two years",
        "three days",
        "two years",
        "70-year-old",
        "decades",
        "the 1990s",
        "every day",
        "every Tuesday",
        "since Tuesday",
        "a long time",
        "recently",
        "in the long run",
        "the past two years",
        "a few days ago",
        "March 10-11",
        "Tuesday and Wednesday",
        "February 30",
        "",
    ],
)
def test_durations_ranges_and_non_dates_are_none(expr: str) -> None:
    assert normalise(expr, PUB) is None


def test_ambiguous_month_words_need_a_capital_inside_a_phrase() -> None:
    assert normalise("the march", PUB) is None
    assert normalise("in a March interview", PUB) == ("2024-03", "month")


def test_dateparser_is_imported_lazily_and_cached() -> None:
    code = (
        "import sys; from datetime import date; from saywho.extraction.dates import normalise; "
        "assert normalise('last week', date(2024, 3, 13)); assert 'dateparser' not in sys.modules"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": "src"}, cwd=_root()
    )
    dates._dateparser.cache_clear()
    assert dates._dateparser("4/9/2024", PUB) == ("2024-04-09", "day")
    assert dates._dateparser("4/9/2024", PUB) == ("2024-04-09", "day")
    assert dates._dateparser.cache_info().hits == 1


def _root() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent)


# --- statement_date ------------------------------------------------------------------------------------


def test_date_after_the_cue(nlp: Language) -> None:
    found = date_of(nlp, "Roe said on Tuesday that [[the plan would fail]].")
    assert found is not None
    assert (found.text, found.value, found.precision) == ("Tuesday", "2024-03-12", "day")


def test_week_after_a_quote(nlp: Language) -> None:
    found = date_of(nlp, '"[[We will win]]," Lee said last week.')
    assert found is not None
    assert (found.text, found.value, found.precision) == ("last week", "2024-03-04", "week")


def test_date_inside_an_interview_phrase(nlp: Language) -> None:
    found = date_of(nlp, "In a March 10 interview, Ash said [[the talks had stalled]].")
    assert found is not None
    assert (found.text, found.value, found.precision) == ("March 10", "2024-03-10", "day")


def test_yesterday_after_told(nlp: Language) -> None:
    found = date_of(nlp, "The minister told reporters yesterday that [[prices would fall]].")
    assert found is not None
    assert (found.text, found.value) == ("yesterday", "2024-03-12")


@pytest.mark.parametrize(
    ("marked", "text", "value", "precision"),
    [
        ("Speaking during Monday's debate, Kim said [[taxes would rise]].", "Monday", "2024-03-11", "day"),
        (
            "Kim told the paper in a statement Tuesday night that [[he would resign]].",
            "Tuesday night",
            "2024-03-12",
            "day",
        ),
        (
            '"[[It is over]]," Roe told reporters at a news conference on Monday.',
            "Monday",
            "2024-03-11",
            "day",
        ),
        (
            "According to a statement released Tuesday, [[the firm will close]].",
            "Tuesday",
            "2024-03-12",
            "day",
        ),
        ('"[[We lost]]," Lee said two days ago.', "two days ago", "2024-03-11", "day"),
        ('"[[We lost]]," Lee said earlier this week.', "earlier this week", "2024-03-11", "week"),
        ("Lee said last month that [[the mine was safe]].", "last month", "2024-02", "month"),
        ("Lee said in 2019 that [[the mine was safe]].", "2019", "2019", "year"),
    ],
)
def test_governed_dates(nlp: Language, marked: str, text: str, value: str, precision: str) -> None:
    found = date_of(nlp, marked)
    assert found is not None
    assert (found.text, found.value, found.precision) == (text, value, precision)


def test_date_inside_the_content_is_not_the_statement_date(nlp: Language) -> None:
    assert date_of(nlp, "She said [[the vote would be held on Friday]].") is None


def test_date_in_a_subordinate_clause_is_not_governed_by_the_cue(nlp: Language) -> None:
    # Even without content spans the head chain runs through "held", which is no speech event.
    assert date_of(nlp, "She said the vote would be held on Friday.") is None


def test_date_before_the_content_is_the_statement_date(nlp: Language) -> None:
    found = date_of(nlp, "She said on Friday that [[the vote would be held]].")
    assert found is not None
    assert (found.text, found.value) == ("Friday", "2024-03-08")


def test_content_date_beside_a_statement_date(nlp: Language) -> None:
    marked = '"[[The mine is safe]]," Lee said Tuesday, adding that [[inspections would resume on Friday]].'
    found = date_of(nlp, marked)
    assert found is not None
    assert (found.text, found.value) == ("Tuesday", "2024-03-12")


def test_nearest_qualifying_date_wins(nlp: Language) -> None:
    found = date_of(nlp, "In a letter on March 1, Ash said on Tuesday that [[the talks had stalled]].")
    assert found is not None
    assert (found.text, found.value) == ("Tuesday", "2024-03-12")


def test_non_dates_are_skipped_for_a_real_date(nlp: Language) -> None:
    found = date_of(nlp, "The 70-year-old senator said on Thursday that [[she would retire]].")
    assert found is not None
    assert (found.text, found.value) == ("Thursday", "2024-03-07")


def test_duration_is_no_statement_date(nlp: Language) -> None:
    assert date_of(nlp, "Roe has said for two years that [[the plan would fail]].") is None


def test_related_but_not_placing_preposition(nlp: Language) -> None:
    # Said *after* the meeting: the meeting's date is not the statement's.
    assert date_of(nlp, "Ash said after Tuesday's meeting that [[the talks had stalled]].") is None


def test_date_in_another_sentence_is_ignored(nlp: Language) -> None:
    assert date_of(nlp, "On Tuesday, the board met. Roe said [[the plan would fail]].") is None


def test_relative_statement_date_needs_a_publication_date(nlp: Language) -> None:
    assert date_of(nlp, "Roe said on Tuesday that [[the plan would fail]].", published=None) is None


def test_absolute_statement_date_without_publication_date(nlp: Language) -> None:
    found = date_of(nlp, "Roe said on March 8, 2024, that [[the plan would fail]].", published=None)
    assert found is not None
    assert (found.text, found.value, found.precision) == ("March 8, 2024", "2024-03-08", "day")


def test_no_cue_no_date(nlp: Language) -> None:
    doc, content = parse(nlp, "Roe said on Tuesday that [[the plan would fail]].")
    assert statement_date(doc, None, content, PUB) is None


def test_unparsed_doc_gives_no_date(nlp: Language) -> None:
    doc = nlp.make_doc("Roe said on Tuesday that the plan would fail.")
    assert statement_date(doc, doc[1], [], PUB) is None


def test_weekday_missed_by_the_ner_is_still_found(nlp: Language) -> None:
    doc, content = parse(nlp, "Roe said on Tuesday that [[the plan would fail]].")
    doc.ents = []
    found = statement_date(doc, doc[1], content, PUB)
    assert found is not None
    assert (found.text, found.value) == ("Tuesday", "2024-03-12")


def test_weekday_inside_another_entity_is_no_date(nlp: Language) -> None:
    doc, content = parse(nlp, "Roe said on Good Friday that [[the plan would fail]].")
    doc.ents = [SpacySpan(doc, 3, 5, label="EVENT")]
    assert statement_date(doc, doc[1], content, PUB) is None


def test_offsets_point_into_the_original_text(nlp: Language) -> None:
    text = "The talks resumed on Monday.\n\nIn a March 10 interview,  Ash said [[the talks had stalled]]."
    doc, content = parse(nlp, text)
    cue = next(t for t in doc if t.lower_ == "said")
    found = statement_date(doc, cue, content, PUB)
    assert found is not None
    assert doc.text[found.start : found.end] == found.text == "March 10"


def test_overlap_with_content_rules_out_a_governed_date(nlp: Language) -> None:
    # The cue governs "Tuesday" here, but the content span claims it: what was said wins.
    assert date_of(nlp, "Roe said [[on Tuesday that the plan would fail]].") is None
    found = date_of(nlp, "Roe said on Tuesday that [[the plan would fail]].")
    assert found is not None and found.text == "Tuesday"
