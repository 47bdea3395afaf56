from __future__ import annotations

import json

from saywho.records import DateRef, Mention, Relay, Span, Speaker, Statement
from support import CONTRACT

TEXT = (
    "Ruritanian Finance Minister Jane Roe has rejected calls for a new border tax, the daily "
    "Morning Post reported on Tuesday. “No tax without a vote,” Roe told the paper."
)


def full_statement() -> Statement:
    def at(s: str) -> tuple[int, int]:
        i = TEXT.index(s)
        return i, i + len(s)

    roe = TEXT.index("Roe told")
    return Statement(
        article="ruritania.txt",
        kind="direct",
        content=[Span.of(TEXT, *at("“No tax without a vote,”"))],
        cue=Span.of(TEXT, *at("told")),
        speaker=Speaker(roe, roe + 3, "Roe", name="Jane Roe", role="Finance Minister", country="Ruritania"),
        addressee=Mention(*at("the paper"), "the paper", name="Morning Post"),
        relays=[
            Relay(*at("the daily Morning Post"), "the daily Morning Post", "reported_by", "Morning Post")
        ],
        date=DateRef(*at("on Tuesday"), "on Tuesday", "2024-03-05", "day"),
        confidence=0.875,
    )


def test_round_trip_through_json_keeps_every_field() -> None:
    st = full_statement()
    again = Statement.from_dict(json.loads(json.dumps(st.to_dict())))
    assert again == st
    assert again.to_dict() == st.to_dict()


def test_to_dict_has_the_public_fields() -> None:
    d = full_statement().to_dict()
    assert set(d) == CONTRACT
    assert d["speaker"]["name"] == "Jane Roe"
    assert d["relays"][0]["relation"] == "reported_by"
    start = TEXT.index("on Tuesday")
    assert d["date"] == {
        "start": start,
        "end": start + 10,
        "text": "on Tuesday",
        "value": "2024-03-05",
        "precision": "day",
    }


def test_minimal_statement_round_trips_with_defaults() -> None:
    st = Statement(article="-", kind="indirect", content=[Span.of(TEXT, 0, 10)])
    d = st.to_dict()
    assert d["cue"] is None and d["speaker"] is None and d["relays"] == [] and d["confidence"] == 0.5
    assert Statement.from_dict(d) == st


def test_speaker_carried_over_has_no_mention_span() -> None:
    speaker = Speaker(None, None, None, "Jane Roe")
    st = Statement(article="-", kind="direct", content=[Span.of(TEXT, 0, 3)], speaker=speaker)
    assert Statement.from_dict(st.to_dict()).speaker == Speaker(None, None, None, "Jane Roe")
    assert st.spans() == [Span.of(TEXT, 0, 3)]


def test_spans_all_point_into_the_text() -> None:
    spans = full_statement().spans()
    assert len(spans) == 6  # content, cue, addressee, speaker, relay, date
    for span in spans:
        assert TEXT[span.start : span.end] == span.text
