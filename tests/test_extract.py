"""Extraction, construction by construction, on sentences written for these tests."""

from __future__ import annotations

import pytest

from saywho import Extractor, Statement

PUBLISHED = "2024-03-13"  # a Wednesday


@pytest.fixture(scope="module")
def ex() -> Extractor:
    # These tests pin down the rules construction by construction: the "fast"
    # profile. The learned profile has its own tests (test_learned.py).
    return Extractor(profile="fast")


def run(ex: Extractor, text: str) -> list[Statement]:
    found = ex(text, published=PUBLISHED, article="t")
    for st in found:  # offsets are sacred, whatever else a test checks
        for span in st.spans():
            assert text[span.start : span.end] == span.text
    return found


def contents(st: Statement) -> list[str]:
    return [c.text for c in st.content]


def one(found: list[Statement], speaker: str) -> Statement:
    matches = [st for st in found if st.speaker and st.speaker.name == speaker]
    assert len(matches) == 1, [(s.speaker, contents(s)) for s in found]
    return matches[0]


# ------------------------------------------------------------------ direct quotes


@pytest.mark.parametrize(
    ("open_", "close"), [("“", "”"), ('"', '"'), ("«", "»")], ids=["curly", "straight", "guillemets"]
)
def test_direct_quote_mark_styles(ex: Extractor, open_: str, close: str) -> None:
    text = f"Jane Roe spoke in the capital. {open_}We will not raise taxes,{close} Roe said."
    st = one(run(ex, text), "Jane Roe")
    assert st.kind == "direct"
    assert contents(st) == [f"{open_}We will not raise taxes,{close}"]
    assert st.cue is not None and st.cue.text == "said"
    assert st.speaker is not None and st.speaker.text == "Roe"


def test_quote_split_around_its_cue(ex: Extractor) -> None:
    text = "“The tax is dead,” said Jane Roe, the finance minister, “and it will stay dead.”"
    st = one(run(ex, text), "Jane Roe")
    assert contents(st) == ["“The tax is dead,”", "“and it will stay dead.”"]
    assert st.kind == "direct"


def test_quote_over_paragraphs(ex: Extractor) -> None:
    text = (
        "Tom Ash did not hold back. “We have waited for years. The people are tired.\n\n"
        "“Nobody in this city believes the promises any more,” Ash said.\n\n"
        "The council meets again in May."
    )
    st = one(run(ex, text), "Tom Ash")
    assert contents(st) == [
        "“We have waited for years. The people are tired.",
        "“Nobody in this city believes the promises any more,”",
    ]


def test_quote_continued_in_next_paragraph_without_cue(ex: Extractor) -> None:
    text = (
        "“The budget is balanced,” Finance Minister Jane Roe said on Monday.\n\n"
        "“We have cut spending in every ministry and we will keep doing so.”\n\n"
        "The opposition disagreed."
    )
    st = one(run(ex, text), "Jane Roe")
    assert len(st.content) == 2
    assert st.content[1].text.startswith("“We have cut spending")


# ------------------------------------------------------------------ indirect and mixed


def test_indirect_said_that(ex: Extractor) -> None:
    st = one(run(ex, "Jane Roe said that the tax would hurt farmers."), "Jane Roe")
    assert st.kind == "indirect"
    assert contents(st) == ["that the tax would hurt farmers"]


def test_indirect_with_date_between_cue_and_clause(ex: Extractor) -> None:
    st = one(run(ex, "Opposition leader Tom Ash said on Monday he did not exclude a new tax."), "Tom Ash")
    assert contents(st) == ["he did not exclude a new tax"]
    assert st.date is not None and st.date.value == "2024-03-11" and st.date.precision == "day"


def test_told_someone_that(ex: Extractor) -> None:
    text = "Jane Roe told reporters that the border would stay open."
    st = one(run(ex, text), "Jane Roe")
    assert contents(st) == ["that the border would stay open"]
    assert st.addressee is not None and st.addressee.text == "reporters"


def test_mixed_quote(ex: Extractor) -> None:
    text = "Jane Roe said such a tax could not be “ruled out” in the long run."
    st = one(run(ex, text), "Jane Roe")
    assert st.kind == "mixed"
    assert contents(st) == ["such a tax could not be “ruled out” in the long run"]


@pytest.mark.parametrize(
    "text",
    [
        "The tax would hurt farmers, said Jane Roe.",
        "The tax would hurt farmers, Jane Roe said.",
    ],
)
def test_inverted_order(ex: Extractor, text: str) -> None:
    st = one(run(ex, text), "Jane Roe")
    assert contents(st) == ["The tax would hurt farmers"]
    assert st.cue is not None and st.cue.text == "said"


def test_according_to_a_person(ex: Extractor) -> None:
    st = one(run(ex, "The talks failed on Friday, according to Jane Roe."), "Jane Roe")
    assert st.kind == "other"
    assert st.cue is not None and st.cue.text == "according to"
    assert contents(st) == ["The talks failed on Friday"]


def test_verbless_dash_attribution(ex: Extractor) -> None:
    text = "“A tax without a vote is theft.” — Jane Roe"
    st = one(run(ex, text), "Jane Roe")
    assert st.cue is None
    assert contents(st) == ["“A tax without a vote is theft.”"]


def test_noun_cue_in_a_statement(ex: Extractor) -> None:
    text = "The ministry said in a statement that the border would reopen next week."
    (st,) = run(ex, text)
    assert st.cue is not None and st.cue.text == "said in a statement"
    assert contents(st) == ["that the border would reopen next week"]


# ------------------------------------------------------------------ who is speaking


def test_pronoun_resolves_to_the_named_person(ex: Extractor) -> None:
    text = "Jane Roe arrived late. She said the meeting had been useful."
    st = one(run(ex, text), "Jane Roe")
    assert st.speaker is not None and st.speaker.text == "She"


def test_pronoun_gender_agreement(ex: Extractor) -> None:
    text = (
        "Ms. Jane Roe met Mr. Tom Ash in the capital. Ash spoke first. "
        "She later said the talks had gone well."
    )
    found = run(ex, text)
    st = next(s for s in found if s.speaker and s.speaker.text == "She")
    assert st.speaker is not None and st.speaker.name == "Jane Roe"


def test_bare_surname_resolves_to_full_name(ex: Extractor) -> None:
    text = "Finance Minister Jane Roe opened the session. Roe said the budget was final."
    st = one(run(ex, text), "Jane Roe")
    assert st.speaker is not None and st.speaker.text == "Roe"
    assert st.speaker.role == "Finance Minister"


def test_title_resolves_to_the_person_who_holds_it(ex: Extractor) -> None:
    text = (
        "Finance Minister Jane Roe visited the port on Monday. "
        "The minister said the new terminal would open in June."
    )
    st = one(run(ex, text), "Jane Roe")
    assert st.speaker is not None and st.speaker.text == "The minister"


def test_title_and_nationality_become_role_and_country(ex: Extractor) -> None:
    text = "Ruritanian Finance Minister Jane Roe said the tax was dead."
    st = one(run(ex, text), "Jane Roe")
    assert st.speaker is not None
    assert (st.speaker.role, st.speaker.country) == ("Finance Minister", "Ruritania")


def test_apposition_gives_role_and_org(ex: Extractor) -> None:
    text = "Tom Ash, a spokesman for the Harbour Authority, said the port would stay closed."
    st = one(run(ex, text), "Tom Ash")
    assert st.speaker is not None
    assert st.speaker.role == "spokesman" and st.speaker.org == "Harbour Authority"


def test_possessive_country_before_a_title(ex: Extractor) -> None:
    text = "Norway's foreign minister said the talks would resume in Oslo."
    (st,) = run(ex, text)
    assert st.speaker is not None and st.speaker.text == "Norway's foreign minister"


# ------------------------------------------------------------------ to whom, via whom, when


def test_addressee_the_paper_is_named_after_the_medium(ex: Extractor) -> None:
    text = (
        "The daily Morning Post interviewed Jane Roe on Tuesday. “No tax without a vote,” Roe told the paper."
    )
    st = one(run(ex, text), "Jane Roe")
    assert st.addressee is not None
    assert (st.addressee.text, st.addressee.name) == ("the paper", "Morning Post")


def test_interview_with_is_a_venue(ex: Extractor) -> None:
    text = "In an interview with the Morning Post, Jane Roe said the tax was dead."
    st = one(run(ex, text), "Jane Roe")
    assert st.addressee is not None and st.addressee.text == "the Morning Post"


def test_reported_by_a_medium_becomes_a_relay(ex: Extractor) -> None:
    text = "Jane Roe has rejected calls for a new border tax, the daily Morning Post reported on Tuesday."
    st = one(run(ex, text), "Jane Roe")
    assert [(r.relation, r.name) for r in st.relays] == [("reported_by", "Morning Post")]
    assert contents(st) == ["calls for a new border tax"]


def test_as_cited_by(ex: Extractor) -> None:
    text = "Jane Roe said last week that the tax was dead, as cited by Reuters."
    st = one(run(ex, text), "Jane Roe")
    assert [(r.text, r.relation) for r in st.relays] == [("Reuters", "cited_by")]
    assert contents(st) == ["that the tax was dead"]
    assert st.date is not None and (st.date.text, st.date.precision) == ("last week", "week")


def test_according_to_a_medium_is_a_relay(ex: Extractor) -> None:
    text = "Jane Roe said the tax was dead, according to the Morning Post."
    st = one(run(ex, text), "Jane Roe")
    assert [(r.relation, r.name) for r in st.relays] == [("according_to", "Morning Post")]


def test_relative_date_is_normalised(ex: Extractor) -> None:
    st = one(run(ex, "Jane Roe said on Tuesday that the tax was dead."), "Jane Roe")
    assert st.date is not None and st.date.value == "2024-03-12"


def test_date_inside_the_content_is_not_when_it_was_said(ex: Extractor) -> None:
    st = one(run(ex, "Jane Roe said the vote would be held on Friday."), "Jane Roe")
    assert st.date is None


# ------------------------------------------------------------------ not statements


def test_scare_quotes_are_not_statements(ex: Extractor) -> None:
    text = "The so-called “reform” passed quietly. Critics of the “deal” were absent from the hall."
    assert run(ex, text) == []


def test_plain_narration_has_no_statements(ex: Extractor) -> None:
    assert run(ex, "The train left the station at noon. It arrived in the city two hours later.") == []


def test_nested_attribution_inside_a_quote_is_not_separate(ex: Extractor) -> None:
    text = "“I think the minister believes the tax is necessary,” Tom Ash said."
    found = run(ex, text)
    assert len(found) == 1 and found[0].speaker is not None and found[0].speaker.name == "Tom Ash"


def test_statements_are_in_text_order_and_confidence_in_range(ex: Extractor) -> None:
    text = "Jane Roe said the tax was dead. Tom Ash said it was alive."
    found = run(ex, text)
    assert [s.speaker.name for s in found if s.speaker] == ["Jane Roe", "Tom Ash"]
    assert all(0.0 <= s.confidence <= 1.0 for s in found)


def test_noun_cue_with_possessive_owner(ex: Extractor) -> None:
    (st,) = run(ex, "Roe's remarks that the tax was dead drew criticism.")
    assert st.cue is not None and st.cue.text == "'s remarks"
    assert st.speaker is not None and st.speaker.text == "Roe"
    assert contents(st) == ["that the tax was dead"]


def test_verbless_colon_attribution(ex: Extractor) -> None:
    (st,) = run(ex, "From the ministry: “The border stays open.”")
    assert st.cue is None
    assert st.speaker is not None and st.speaker.text == "the ministry"
    assert contents(st) == ["“The border stays open.”"]


def test_speaker_carried_over_to_a_cueless_quote_paragraph(ex: Extractor) -> None:
    text = "Jane Roe said the tax was dead.\n\n“We will not change course, whatever the opposition says.”"
    first, second = run(ex, text)
    assert first.speaker is not None and first.speaker.name == "Jane Roe"
    assert second.speaker is not None
    assert (second.speaker.start, second.speaker.end, second.speaker.name) == (None, None, "Jane Roe")
    assert second.kind == "direct"


def test_date_after_the_addressee(ex: Extractor) -> None:
    text = "Mayor Daniel Okafor told reporters last week he wanted the tax back on the agenda."
    st = one(run(ex, text), "Daniel Okafor")
    assert contents(st) == ["he wanted the tax back on the agenda"]
    assert st.date is not None and (st.date.text, st.date.value) == ("last week", "2024-03-04")


def test_a_persons_spokesman_has_no_organisation_named_after_them(ex: Extractor) -> None:
    text = "Jane Roe left early. Roe's spokesman, Piotr Vance, said the minister was unwell."
    st = one(run(ex, text), "Piotr Vance")
    assert st.speaker is not None and st.speaker.role == "spokesman" and st.speaker.org is None


def test_lowercase_or_verb_words_are_not_names(ex: Extractor) -> None:
    text = "Injecting Clinton into the race, Hillary Clinton said the campaign would go on."
    found = run(ex, text)
    assert [s.speaker.name for s in found if s.speaker] == ["Hillary Clinton"]
