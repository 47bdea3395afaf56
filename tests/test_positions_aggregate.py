"""Per-actor positions from classified statements: the aggregation alone, on hand-made items."""

from __future__ import annotations

from saywho.positions.aggregate import Classified, build_positions, canonical_actors, in_range, quote_key
from saywho.records import Span, Stance, StanceLabel, Statement


def item(
    actor: str,
    label: StanceLabel,
    text: str,
    date: str | None,
    article: str,
    outlet: str | None = None,
    confidence: float = 0.9,
    relative_to: str | None = None,
    relation: str | None = None,
) -> Classified:
    st = Statement(article=article, kind="direct", content=[Span(0, len(text), text)])
    stance = Stance(label, confidence, Span(0, len(text), text), "rule", relative_to, relation)  # type: ignore[arg-type]
    return Classified(st, actor, stance, text, date, article, f"https://example.org/{article}", outlet)


def by_actor(positions):
    return {p.actor: p for p in positions}


def test_a_quote_repeated_by_several_outlets_counts_once() -> None:
    quote = "“A border tax would save our farms,”"
    items = [
        item("Marta Koss", "support", quote, "2024-03-04", "herald", "Strelsau Herald"),
        item(
            "Marta Koss",
            "support",
            "“A border tax would save our farms”",
            "2024-03-04",
            "wire",
            "Ruritania Wire",
        ),
        item("Marta Koss", "support", quote.upper(), "2024-03-04", "post", "Morning Post"),
        item(
            "Marta Koss", "support", quote, "2024-03-09", "post2", "Morning Post"
        ),  # said again, another day
    ]
    (p,) = build_positions("border-tax", items)
    assert p.statements == 2
    assert (p.first, p.last) == ("2024-03-04", "2024-03-09")


def test_current_stance_and_each_change_with_its_date() -> None:
    items = [
        item("Jane Roe", "open", "did not rule out a border tax", "2024-02-29", "a"),
        item("Jane Roe", "neutral", "parliament will debate it", "2024-03-05", "b"),
        item("Jane Roe", "oppose", "rejected the border tax", "2024-03-12", "c"),
        item("Jane Roe", "oppose", "There will be no border tax", "2024-03-12", "c"),
        item("Jane Roe", "support", "backed the border tax after all", "2024-04-02", "d"),
    ]
    (p,) = build_positions("border-tax", items)
    assert p.stance == "support"
    assert p.statements == 5
    assert [(c.date, c.before, c.after) for c in p.changes] == [
        ("2024-03-12", "open", "oppose"),
        ("2024-04-02", "oppose", "support"),
    ]
    assert p.changes[0].evidence == "rejected the border tax"
    assert [e.text for e in p.evidence] == ["backed the border tax after all"]


def test_evidence_is_the_most_confident_of_the_current_stance() -> None:
    items = [
        item("Tom Ash", "oppose", "weak", "2024-03-01", "a", confidence=0.6),
        item("Tom Ash", "oppose", "strong", "2024-03-02", "b", confidence=0.95),
        item("Tom Ash", "oppose", "middle", "2024-03-03", "c", confidence=0.8),
        item("Tom Ash", "oppose", "least", "2024-03-04", "d", confidence=0.5),
    ]
    (p,) = build_positions("t", items)
    assert [e.text for e in p.evidence] == ["strong", "middle", "weak"]
    assert p.evidence[0].url == "https://example.org/b"


def test_distancing_takes_the_opposite_of_the_other_actors_stance_at_the_time() -> None:
    items = [
        item("Marta Koss", "support", "backed the border tax", "2024-03-01", "a"),
        item(
            "Traders' Association",
            "neutral",
            "distanced themselves from Koss's statement",
            "2024-03-04",
            "b",
            relative_to="Koss",
            relation="opposite",
        ),
        item(
            "Bea Lind",
            "neutral",
            "agreed with Koss's remarks",
            "2024-03-05",
            "c",
            relative_to="Koss",
            relation="same",
        ),
        item(
            "Carl Berg",
            "neutral",
            "distanced himself from Smith's statement",
            "2024-03-05",
            "d",
            relative_to="Smith",
            relation="opposite",
        ),  # Smith has no position: nothing to oppose
    ]
    ps = by_actor(build_positions("t", items))
    assert ps["Traders' Association"].stance == "oppose"
    assert ps["Bea Lind"].stance == "support"
    assert "Carl Berg" not in ps


def test_since_and_until_keep_statements_in_range() -> None:
    items = [
        item("Jane Roe", "open", "a", "2024-02-29", "a"),
        item("Jane Roe", "oppose", "b", "2024-03-12", "b"),
        item("Tom Ash", "support", "c", "2024-01", "c"),  # a month: in range when any day of it is
    ]
    ps = by_actor(build_positions("t", items, since="2024-01-15", until="2024-03-01"))
    assert ps["Jane Roe"].stance == "open" and ps["Jane Roe"].statements == 1
    assert "Tom Ash" in ps
    assert not build_positions("t", items, since="2024-04-01")


def test_short_names_join_the_full_name_they_stand_for() -> None:
    assert canonical_actors(["Roe", "Jane Roe", "Ash"]) == {
        "Roe": "Jane Roe",
        "Jane Roe": "Jane Roe",
        "Ash": "Ash",
    }
    # two people called Roe: "Roe" stays as it is
    assert canonical_actors(["Roe", "Jane Roe", "Tim Roe"])["Roe"] == "Roe"


def test_helpers() -> None:
    assert quote_key("“No tax, without a VOTE!”") == quote_key('"no tax without a vote"')
    assert in_range("2024-03", "2024-03-15", None)
    assert not in_range(None, "2024-03-15", None)
    assert in_range(None, None, None)


def test_positions_are_ordered_support_oppose_open_neutral() -> None:
    items = [
        item("A", "neutral", "a", "2024-03-01", "a"),
        item("B", "open", "b", "2024-03-01", "b"),
        item("C", "oppose", "c", "2024-03-01", "c"),
        item("D", "support", "d", "2024-03-01", "d"),
    ]
    assert [p.actor for p in build_positions("t", items)] == ["D", "C", "B", "A"]


def test_a_quote_is_the_same_quote_whatever_else_its_statement_holds() -> None:
    assert quote_key("“A tax would save our farms,” she said") == quote_key("“A tax would save our farms,”")
    both = quote_key("“A tax would save our farms,” Koss's statement")
    assert both == quote_key("A tax would SAVE our farms")
    assert quote_key("rejected the tax") != quote_key("backed the tax")
