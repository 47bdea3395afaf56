from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from saywho.extraction import Extractor, build, pipeline
from saywho.records import Span, Speaker, Statement

PARAGRAPH = "“We will look at every option,” Ash told reporters. Roe said she would not budge.\n\n"


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab \n“”.,"), max_size=600),
    limit=st.integers(min_value=1, max_value=120),
)
def test_chunks_cover_the_text_exactly_within_the_limit(text: str, limit: int) -> None:
    pieces = list(pipeline.chunks(text, limit))
    assert "".join(p for _, p in pieces) == text
    offset = 0
    for start, piece in pieces:
        assert start == offset and len(piece) <= limit
        assert piece or len(pieces) == 1  # only an empty text gives an empty piece
        offset += len(piece)


def test_chunks_cut_at_paragraph_breaks() -> None:
    text = PARAGRAPH * 10
    pieces = list(pipeline.chunks(text, limit=len(PARAGRAPH) * 3 + 5))
    assert len(pieces) == 4
    for start, _ in pieces[1:]:  # each cut falls inside a paragraph break ("\n" | "\n")
        assert text[start - 1 : start + 1] == "\n\n"


def cues_as_statements(
    doc: Doc, published: object = None, article: str = "-", **_: object
) -> list[Statement]:
    """A stand-in rule: every "said"/"told" is a cue, the token before it the speaker."""
    out = []
    for tok in doc:
        if tok.lower_ in ("said", "told") and tok.i > 0:
            who = doc[tok.i - 1]
            sent = tok.sent
            out.append(
                Statement(
                    article=article,
                    kind="indirect",
                    content=[Span.of(doc.text, sent.start_char, sent.end_char)],
                    cue=Span.of(doc.text, tok.idx, tok.idx + len(tok)),
                    speaker=Speaker(who.idx, who.idx + len(who), who.text),
                )
            )
    return out


def test_pipe_moves_chunk_offsets_into_the_whole_text(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "statements_from_doc", cues_as_statements)
    monkeypatch.setattr(pipeline, "chunks", partial(pipeline.chunks, limit=len(PARAGRAPH) * 2))
    long_text, short_text = PARAGRAPH * 7, "Tom Ash said nothing."
    found_long, found_short = extractor.pipe([(long_text, None, "long"), (short_text, None, "short")])
    assert len(found_long) == 14 and len(found_short) == 1
    assert max(st.cue.start for st in found_long if st.cue) > len(PARAGRAPH) * 6
    for text, found in ((long_text, found_long), (short_text, found_short)):
        for statement in found:
            for span in statement.spans():
                assert text[span.start : span.end] == span.text
    assert [st.speaker.text for st in found_long[:2] if st.speaker] == ["Ash", "Roe"]
