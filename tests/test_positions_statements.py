"""From statements to the text a stance is read from, and positions without speech."""

from __future__ import annotations

from saywho.positions.statements import evidence_text, find_actions, statement_text
from saywho.records import Span, Speaker, Statement

TEXT = (
    "“A border tax would save our farms,” Marta Koss said on Monday.\n\n"
    "The Traders' Association distanced themselves from Koss's statement."
)


def test_actions_start_at_a_name_in_their_own_sentence() -> None:
    (act,) = find_actions(TEXT, "a")
    assert act.speaker is not None and act.speaker.name == "Traders' Association"
    assert act.cue is not None and act.cue.text == "distanced themselves from"
    assert statement_text(act, TEXT) == "distanced themselves from Koss's statement"


def test_a_content_fragment_across_a_paragraph_break_is_left_out() -> None:
    q = TEXT.index("“")
    cue = TEXT.index("said")
    far = TEXT.index("Koss's statement")
    st = Statement(
        article="a",
        kind="mixed",
        content=[Span.of(TEXT, q, TEXT.index("”") + 1), Span.of(TEXT, far, far + len("Koss's statement"))],
        cue=Span.of(TEXT, cue, cue + 4),
        speaker=Speaker(None, None, None, name="Marta Koss"),
    )
    assert statement_text(st, TEXT) == "“A border tax would save our farms,” Marta Koss said"
    assert "Traders" not in evidence_text(st, TEXT)
    # without the article text, the spans are all there is
    assert "Koss's statement" in statement_text(st)
