"""The stance rules, construction by construction (the learned model is left out: use_model=False)."""

from __future__ import annotations

import pytest

from saywho.positions.stance import classify, proposition

TAX = "A new border tax should be introduced"
SCRAP = "The border tax should be scrapped"
CLIMATE = "Climate change is a serious concern"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("No to the border tax!", "oppose"),
        ("“No to the border tax,” the crowd chanted.", "oppose"),
        ("Tom Ash expressed opposition to the border tax on Monday.", "oppose"),
        ("The minister voiced support for the border tax.", "support"),
        ("The border tax would hinder growth.", "oppose"),
        ("A border tax would cost thousands of jobs, he warned.", "oppose"),
        ("The border tax would reduce smuggling.", "support"),
        ("A border tax would help farmers.", "support"),
        ("Roe did not rule out a border tax.", "open"),
        ("Such a tax could not be ruled out in the long run.", "open"),
        ("“We cannot rule it out,” she said.", "open"),
        ("He would consider a border tax if farmers asked for it.", "open"),
        ("I am open to a border tax.", "open"),
        ("The Green Party rejected the border tax on Monday.", "oppose"),
        ("Roe has rejected calls for a new border tax.", "oppose"),
        ("Finance Minister Jane Roe backed the border tax.", "support"),
        ("The Liberals voted for the border tax in parliament.", "support"),
        ("The Liberals voted against the border tax.", "oppose"),
        ("We do not support the border tax.", "oppose"),
        ("The party is not opposed to a border tax.", "open"),
        ("There will be no border tax this year.", "oppose"),
        ("The border tax is a mistake.", "oppose"),
        ("A border tax is long overdue.", "support"),
        ("The border tax must be introduced now.", "support"),
        ("The border tax should not be introduced.", "oppose"),
        ("Parliament will debate the budget in April.", "neutral"),
        ("The weather was mild in Strelsau.", "neutral"),
    ],
)
def test_constructions_toward_a_policy(text: str, label: str) -> None:
    s = classify(text, TAX, use_model=False)
    assert s.label == label, (text, s)
    if label != "neutral":
        assert s.method == "rule"
        assert s.evidence is not None
        assert text[s.evidence.start : s.evidence.end] == s.evidence.text
        assert s.evidence.text.strip() == s.evidence.text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Roe rejected the border tax.", "support"),  # rejecting X is for scrapping X
        ("Roe backed the border tax.", "oppose"),
        ("The border tax would hinder growth.", "support"),
        ("Roe did not rule out a border tax.", "open"),
    ],
)
def test_direction_of_a_proposition_that_wants_x_gone(text: str, label: str) -> None:
    assert classify(text, SCRAP, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Climate change is a hoax.", "oppose"),
        ("Climate change is exaggerated, the senator said.", "oppose"),
        ("Climate change is a grave threat to farming.", "support"),
        ("Climate change would devastate coastal towns.", "support"),  # harm from X: X is a concern
    ],
)
def test_direction_of_a_proposition_that_calls_x_bad(text: str, label: str) -> None:
    assert classify(text, CLIMATE, use_model=False).label == label


def test_distancing_from_someone_is_relative_to_them() -> None:
    s = classify("The Traders' Association distanced themselves from Koss's statement.", TAX, use_model=False)
    assert (s.label, s.relative_to, s.relation) == ("neutral", "Koss", "opposite")
    s = classify("Lind said she agreed with Marta Koss's remarks.", TAX, use_model=False)
    assert (s.relative_to, s.relation) == ("Marta Koss", "same")


def test_distancing_from_a_stated_position_is_read_directly() -> None:
    s = classify("The union distanced itself from the call for a border tax.", TAX, use_model=False)
    assert s.label == "oppose" and s.relative_to is None


def test_keywords_name_the_subject() -> None:
    assert (
        classify("The Greens rejected the levy.", TAX, use_model=False).label == "oppose"
    )  # "the levy" stands for it
    assert classify("The Greens rejected import duties.", TAX, use_model=False).label == "neutral"
    assert (
        classify("The Greens rejected import duties.", TAX, ("import duties",), use_model=False).label
        == "oppose"
    )


def test_proposition_analysis() -> None:
    p = proposition(TAX)
    assert p.kind == "want" and "border tax" in p.terms
    assert proposition(SCRAP).kind == "unwant"
    assert proposition("Western troops should not be sent to Ruritania").kind == "unwant"
    assert proposition(CLIMATE).kind == "problem"


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        ("The mayor vowed to fight climate change.", CLIMATE, "support"),  # acting against X: X matters
        ("Cities must do more to tackle climate change.", CLIMATE, "support"),
        ("He denied climate change.", CLIMATE, "oppose"),  # rejecting the claim
        ("The Greens vowed to fight the border tax.", TAX, "oppose"),
        ("The Greens vowed to fight the border tax.", SCRAP, "support"),
        ("Farmers blocked the border tax.", TAX, "oppose"),
        ("Farmers will fight for the border tax.", TAX, "support"),  # fighting *for* X is no counter-verb
    ],
)
def test_acting_against_x_depends_on_the_proposition(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


def test_addressing_a_policy_takes_no_side() -> None:
    assert (
        classify("The minister will address the border tax in parliament.", TAX, use_model=False).label
        == "neutral"
    )


OBESITY = "Obesity is a serious public health problem"
FRAUD = "Online fraud is a serious threat"


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        # what news reports of a problem, rather than a verdict on it
        ("The hidden costs of obesity run to billions, the auditors found.", OBESITY, "support"),
        ("Hospital admissions caused by obesity doubled in ten years.", OBESITY, "support"),
        ("Obesity-related illness kept 40,000 people off work last year.", OBESITY, "support"),
        ("The report charts a steep rise in obesity among children.", OBESITY, "support"),
        ("Obesity is rising in every region, the survey showed.", OBESITY, "support"),
        ("Obesity was linked to 12,000 deaths last year.", OBESITY, "support"),
        ("Doctors say obesity raises the risk of stroke.", OBESITY, "support"),
        ("The council described obesity as an emergency.", OBESITY, "support"),
        ("Obesity is one of the biggest threats to the health service.", OBESITY, "support"),
        ("Fears about online fraud are growing among pensioners.", FRAUD, "support"),
        # and what plays it down
        ("Some researchers are sceptical about online fraud figures.", FRAUD, "oppose"),
        ("The minister said online fraud was under control.", FRAUD, "oppose"),
        (
            "He said fears about online fraud were overblown.",
            FRAUD,
            "oppose",
        ),  # the verdict on the fears wins
        ("Talk of online fraud has turned into a moral panic, the bankers said.", FRAUD, "oppose"),
        ("Online fraud is not rising, the regulator said.", FRAUD, "oppose"),
        # and what takes no side
        ("The committee will publish its obesity figures on Monday.", OBESITY, "neutral"),
        ("Obesity is measured with the body mass index.", OBESITY, "neutral"),
    ],
)
def test_what_news_reports_of_a_problem(text: str, prop: str, label: str) -> None:
    s = classify(text, prop, use_model=False)
    assert s.label == label, (text, s)
    if label != "neutral":
        assert s.evidence is not None and text[s.evidence.start : s.evidence.end] == s.evidence.text


def test_a_conjunction_is_not_the_subject() -> None:
    # "said that rising ..." once read "that" as standing for the subject
    s = classify("Analysts said that rising rents were hurting families.", OBESITY, use_model=False)
    assert s.label == "neutral"
    # but "that would ..." still does
    assert classify("That would devastate the border trade.", TAX, use_model=False).label == "oppose"


def test_a_noun_is_not_a_consequence_verb() -> None:
    # "the end of the year" is no "end", "curbs on" no "curb"
    text = "The minister said obesity would fall by the end of the year and that curbs on sugar worked."
    assert classify(text, OBESITY, use_model=False).label != "support"


def test_the_nearest_predicate_governs() -> None:
    s = classify("He favors lower rates and opposes the border tax.", TAX, use_model=False)
    assert s.label == "oppose" and s.evidence is not None and s.evidence.text.startswith("opposes")


def test_a_slogan_names_its_subject() -> None:
    # "No to X" needs X itself, not a word that might stand for it
    assert classify("He made no secret of the plan he favoured.", TAX, use_model=False).label != "oppose"
    assert classify("No to the border tax!", TAX, use_model=False).label == "oppose"


def test_a_clause_between_cue_and_subject_breaks_the_link() -> None:
    text = "The governor supported localities deciding whether the border tax suits them."
    assert classify(text, TAX, use_model=False).label == "neutral"
    text = "Unions campaigned for shorter hours during the border tax talks."
    assert classify(text, TAX, use_model=False).label == "neutral"


REPEAL = "The harbour levy should be repealed"


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        ("The council voted to repeal the harbour levy.", REPEAL, "support"),
        ("Traders want to get rid of the harbour levy.", REPEAL, "support"),
        ("The mayor vowed to protect the harbour levy.", REPEAL, "oppose"),
        ("She pledged to preserve the harbour levy.", REPEAL, "oppose"),
        ("The repeal of the harbour levy is on Tuesday's agenda.", REPEAL, "neutral"),  # an event, no side
        ("The Greens vowed to abolish the border tax.", TAX, "oppose"),
        ("The minister promised to build on the border tax.", TAX, "support"),
        ("The minister vowed to protect online gambling.", "Online gambling is a serious problem", "neutral"),
    ],
)
def test_undoing_and_keeping_x(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The traders called for repealing the harbour levy.", "support"),  # for (against X): for repeal
        ("The mayor opposed efforts to repeal the harbour levy.", "oppose"),  # against (against X)
        ("The mayor rejected calls to protect the harbour levy.", "support"),  # against (for X)
        ("The union backed the harbour levy.", "oppose"),  # one verb reads as before
    ],
)
def test_a_verb_governing_a_verb_composes(text: str, label: str) -> None:
    assert classify(text, REPEAL, use_model=False).label == label


def test_the_subject_is_the_object_of_an_actor_and_the_head_before_a_modifier() -> None:
    stadium = proposition("The city should build a new football stadium")
    assert stadium.kind == "want" and "stadium" in stadium.terms and "city" not in stadium.terms
    limit = proposition("The speed limit on motorways should be raised")
    assert limit.terms[-1] == "limit" and "motorways" not in limit.terms
    assert proposition("The government should not ban online gambling").kind == "want"  # not banning it
    assert proposition("Western troops should not be sent to Ruritania").terms[-1] == "troops"  # a passive
    for undo in ("defunded", "broken up", "lifted", "phased out", "rolled back", "dismantled"):
        assert proposition(f"The harbour levy should be {undo}").kind == "unwant", undo
    assert proposition("The harbour levy should be raised").kind == "want"


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        (
            "The council voted against the football stadium.",
            "The city should build a new football stadium",
            "oppose",
        ),
        (
            "I'd love to see the motorway limit go up to 80.",
            "The speed limit on motorways should be raised",
            "neutral",
        ),
        ("I'm against any ban on homework.", "Homework should be banned in primary schools", "oppose"),
        ("I'm all for the border tax.", TAX, "support"),
    ],
)
def test_first_person_and_object_subjects(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        ("Ruritania must introduce the border tax this year.", TAX, "support"),
        ("It is time to bring in a border tax.", TAX, "support"),
        ("Ruritania must not introduce the border tax.", TAX, "oppose"),
        ("Ruritania must introduce the border tax this year.", SCRAP, "oppose"),
        ("The government introduced the border tax in May.", TAX, "neutral"),  # a report of an act
        ("We must raise concerns about the border tax.", TAX, "neutral"),  # raising concerns is no adoption
        ("We need a border tax now.", TAX, "support"),
        ("We don't need a border tax.", TAX, "oppose"),
        ("We need to stop the border tax.", TAX, "oppose"),  # "need to" is not wanting X
        ("I love the border tax and hope it passes soon.", TAX, "support"),
        ("I hate the border tax.", TAX, "oppose"),
        ("Frankly, I hate online gambling.", "Online gambling is a serious problem", "support"),
        ("I'd love to see the border tax debated first.", TAX, "neutral"),
    ],
)
def test_asking_for_wanting_and_liking_x(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


@pytest.mark.parametrize(
    "text",
    [
        "He doesn't support the border tax.",
        "They didn't back the border tax.",
        "We don't want a border tax.",
        "He does not support the border tax.",
    ],
)
def test_a_contracted_negation_turns_the_verb(text: str) -> None:
    assert classify(text, TAX, use_model=False).label == "oppose"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The mayor decried the minister's repeated calls for a border tax.", "oppose"),
        ("Farmers lambasted the importers for their resistance to a border tax.", "support"),
        ("Gov. Lee broke with the party over the border tax.", "oppose"),
        ("The senator took aim at a border tax on Monday.", "oppose"),
    ],
)
def test_verbs_of_criticism_oppose_what_they_govern(text: str, label: str) -> None:
    assert classify(text, TAX, use_model=False).label == label


def test_the_period_of_a_title_does_not_end_a_cues_reach() -> None:
    text = "Both men are on record opposing Mr. Roe's plan for a border tax in the U.S. next year."
    s = classify(text, TAX, use_model=False)
    assert s.label == "oppose" and s.evidence is not None
    assert text[s.evidence.start : s.evidence.end] == s.evidence.text and "Mr. Roe" in s.evidence.text
    later = classify("Mr. Roe spoke first. He then backed the border tax.", TAX, use_model=False)
    assert later.label == "support"


def test_championing_what_a_proposition_wants_gone_opposes_it() -> None:
    prop = "The harbour levy should be defunded"
    assert classify("The union champions the harbour levy.", prop, use_model=False).label == "oppose"
    assert classify("The mayor opposed defunding the harbour levy.", prop, use_model=False).label == "oppose"
    assert classify("Traders called for defunding the levy.", prop, use_model=False).label == "support"


def test_a_disagreement_over_x_opposes_it() -> None:
    text = "She was asked about her disagreements with Roe on his proposed border tax."
    assert classify(text, TAX, use_model=False).label == "oppose"
    assert classify("Traders voiced displeasure with the border tax.", TAX, use_model=False).label == "oppose"


def test_a_verb_governs_across_a_coordinated_object_but_not_a_coordinated_verb() -> None:
    text = "Farmers lambasted the importers and the shippers for their resistance to a border tax."
    assert classify(text, TAX, use_model=False).label == "support"
    apart = "The senator favors lower tariffs and opposes a border tax."
    assert classify(apart, TAX, use_model=False).label == "oppose"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("She defended the harbour levy cuts.", "oppose"),  # for less of X
        ("The union attacked the harbour levy relief for big shippers.", "support"),
        ("She defended the harbour levy.", "support"),
    ],
)
def test_a_cue_on_cuts_to_x_reads_against_x(text: str, label: str) -> None:
    assert classify(text, "The harbour levy should be raised", use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Mrs. Lee has been a dogged defender of the border tax.", "support"),
        ("He is one of the fiercest critics of the border tax.", "oppose"),
        ("The minister derided the border tax as a gimmick.", "oppose"),
        ("Clinton took some shots at the border tax on Tuesday.", "oppose"),
    ],
)
def test_holders_of_a_side_and_verbs_of_scorn(text: str, label: str) -> None:
    assert classify(text, TAX, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Roe promises to introduce a border tax.", "support"),
        ("The party has vowed to bring in a border tax next year.", "support"),
        ("Roe plans to raise concerns about the border tax.", "neutral"),
        ("Farmers held a rally against the border tax.", "oppose"),
        ("Dockers protested the border tax on Friday.", "oppose"),
        ("Dockers protested outside parliament on Friday about the border tax.", "neutral"),
    ],
)
def test_intentions_and_protests(text: str, label: str) -> None:
    assert classify(text, TAX, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        ("Banning the border tax would be a mistake.", TAX, "support"),  # the verdict is on the ban
        ("The border tax would be a mistake.", TAX, "oppose"),
        (
            "Reading at home helps, so banning homework would be a mistake.",
            "Homework should be banned",
            "oppose",
        ),
        ("I'm not sure whether the border tax should be introduced.", TAX, "neutral"),
        ("The border tax would be a complete waste of everyone's time.", TAX, "oppose"),
        (
            "Nobody should have that power: I want every nuclear weapon gone.",
            "Nuclear weapons should be abolished",
            "support",
        ),
        ("Bring in the border tax, I say.", TAX, "support"),
        (
            "Build it! The old ground is falling apart.",
            "The city should build a new football stadium",
            "support",
        ),
    ],
)
def test_plain_opinion_constructions(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label", "method"),
    [
        ("Where would the new border tax actually be collected?", "neutral", "rule"),
        ("I don't know enough about the border tax to have an opinion.", "neutral", "rule"),
        ("I go back and forth on the border tax.", "neutral", "rule"),
        ("Why should farmers pay a border tax?", "neutral", "none"),  # rhetorical: left to the model
        ("Would you back the border tax?", "support", "rule"),  # a rule that reads a side still does
    ],
)
def test_questions_and_indecision_take_no_position(text: str, label: str, method: str) -> None:
    s = classify(text, TAX, use_model=False)
    assert (s.label, s.method) == (label, method)


DEPORT = "Foreign fugitives should be extradited to their home countries"
CURFEW = "Teenagers should be banned from the town centre after dark"


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        # a refusal of an undoing wants X: the negation and the undoing verb cancel
        ("The border tax should not be scrapped, she said.", TAX, "support"),
        ("Teenagers should not be banned from the centre, the mayor said.", CURFEW, "oppose"),
        ("Teenagers must be banned from the centre at night.", CURFEW, "support"),
        ("Teenagers should be welcomed in the centre.", CURFEW, "oppose"),  # unwant: any other verb is for X
        # the verb is read before punctuation too
        ("The border tax should be scrapped, she said.", TAX, "oppose"),
        ("The border tax should be scrapped.", TAX, "oppose"),
        ("“The border tax must go,” she said.", TAX, "oppose"),
        ("The border tax must go - now, she said.", TAX, "oppose"),
        ("The border tax must go ahead, she said.", TAX, "support"),
        ("The border tax should be approved.", TAX, "support"),  # any adopting verb for a generic predicate
        # a specific act on X counts only when it is repeated
        ("Foreign fugitives should be extradited, the judge said.", DEPORT, "support"),
        ("The judge said foreign fugitives shouldn't be extradited.", DEPORT, "oppose"),
        ("Foreign fugitives should be tried here, the judge said.", DEPORT, "neutral"),
    ],
)
def test_a_modal_on_x_reads_its_verb(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


def test_a_specific_act_is_kept_with_the_proposition() -> None:
    assert proposition(DEPORT).action == "extradited"
    assert proposition(TAX).action is None  # introducing is generic: any adopting verb counts
    assert proposition(CURFEW).action is None  # an undoing proposition reads any verb as for X


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        # an evaluation after a plan to undo X judges the undoing
        ("He said the governor's plan to ban teenagers from the centre was a mistake.", CURFEW, "oppose"),
        ("She said the plan to scrap the border tax was reckless.", TAX, "support"),
        # "the plan" is X only when nothing says what it is
        ("The union backed the plan to ban teenagers from the centre.", CURFEW, "support"),
        ("The union opposed the plan to ban teenagers from the centre.", CURFEW, "oppose"),
        ("The union backed the plan to introduce a border tax.", TAX, "support"),
        ("The union opposed the plan.", TAX, "oppose"),  # no "to": the plan stands for X
        # someone's proposal, with no verb of the speaker's around it, is no side of the speaker's
        ("Shops shut before the mayor’s proposal to ban teenagers from the centre.", CURFEW, "neutral"),
    ],
)
def test_a_proposal_is_not_the_speakers_side(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Farmers fear new rules that would hurt exports, the minister said.", "neutral"),  # relative
        ("Critics of a measure that could cost jobs rallied outside.", "neutral"),
        ("That would hurt exports, the minister said of the border tax.", "oppose"),  # opens the clause
        ("He said that would hurt farmers.", "oppose"),  # after a verb of saying
        ("“That would be a disaster,” she said.", "oppose"),
    ],
)
def test_a_relative_that_is_not_the_subject(text: str, label: str) -> None:
    assert classify(text, TAX, use_model=False).label == label


@pytest.mark.parametrize(
    ("text", "prop", "label"),
    [
        ("The mayor repeated her call to ban teenagers from the centre.", CURFEW, "support"),
        ("Roe reiterated her support for the border tax.", TAX, "support"),
        ("Ash renewed his call to scrap the border tax.", TAX, "oppose"),
        ("He repeated that the border tax was on the agenda.", TAX, "neutral"),  # no call of his own
    ],
)
def test_repeating_ones_own_call_is_a_side(text: str, prop: str, label: str) -> None:
    assert classify(text, prop, use_model=False).label == label
