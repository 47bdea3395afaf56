"""The learned profile: tagging helpers, linking, the shipped tagger, profiles end to end.

Sentences are written for these tests; nothing here trains anything.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from saywho import Extractor, nlp
from saywho.extraction import finders, tagging
from saywho.extraction.context import ArticleContext
from saywho.extraction.finders import link

# ------------------------------------------------------------------ tagging helpers


def test_viterbi_never_starts_a_role_inside() -> None:
    # the raw argmax says I-cue after O: decoding must start the cue with B-cue
    logp = np.log(np.full((3, tagging.N_LABELS), 0.01))
    logp[0, tagging.O_TAG] = 0.0
    logp[1, tagging.B["cue"] + 1] = 0.0
    logp[2, tagging.B["cue"] + 1] = 0.0
    tags = tagging.viterbi(logp)
    assert tags[0] == tagging.O_TAG
    assert tags[1] != tagging.B["cue"] + 1  # no I-cue right after O
    spans = tagging.spans_from_tags(tags, [0, 1, 2])
    assert all(a < b for _, a, b in spans)


def test_spans_from_tags_splits_on_b() -> None:
    b, i = tagging.B["content"], tagging.B["content"] + 1
    tags = [b, i, b, i, tagging.O_TAG, tagging.B["cue"]]
    assert tagging.spans_from_tags(tags, [0, 1, 2, 3, 5, 6]) == [
        ("content", 0, 2),
        ("content", 2, 4),
        ("cue", 6, 7),
    ]


@pytest.mark.parametrize("n", [1, 5, 300, 1000])
def test_windows_cover_every_word_in_order(n: int) -> None:
    rng = np.random.default_rng(n)
    pieces = rng.integers(1, 5, size=n).tolist()
    spans = tagging.windows(pieces, 126, 64)
    assert spans[0][0] == 0 and spans[-1][1] == n
    for (a, b), (c, _) in itertools.pairwise(spans):
        assert a < c <= b  # overlapping or touching, moving forward
    for a, b in spans:
        assert sum(pieces[a:b]) <= 126 or b - a == 1


def test_gold_fragments_become_tags_and_back() -> None:
    doc = nlp.load()("“We will not raise taxes,” Jane Roe said on Tuesday.")
    text = doc.text
    frags = [
        ("content", 0, text.index("”") + 1),
        ("source", text.index("Jane"), text.index(" said")),
        ("cue", text.index("said"), text.index("said") + 4),
    ]
    tags = tagging.tags_from_fragments(doc, frags)
    pos = tagging.word_tokens(doc)
    spans = tagging.spans_from_tags(tags[pos], pos)
    back = {(r, doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) for r, a, b in spans}
    assert back == set(frags)


# ------------------------------------------------------------------ linking


def _token_range(doc, words: str) -> tuple[int, int]:
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    assert span is not None
    return span.start, span.end


def test_link_two_speakers_in_one_sentence() -> None:
    doc = nlp.load()("Roe said taxes would fall, but Ash said they would rise.")
    ctx = ArticleContext.of(doc)
    spans = [
        ("source", *_token_range(doc, "Roe")),
        ("cue", *_token_range(doc, "said taxes")[:1], _token_range(doc, "said taxes")[0] + 1),
        ("content", *_token_range(doc, "taxes would fall")),
        ("source", *_token_range(doc, "Ash")),
        ("cue", _token_range(doc, "said they")[0], _token_range(doc, "said they")[0] + 1),
        ("content", *_token_range(doc, "they would rise")),
    ]
    groups = {doc[c[0]].text + str(c[0]): (s, k) for c, s, k in link(ctx, spans) if c is not None}
    got = sorted((doc[s[0][0]].text, doc[k[0][0] : k[0][1]].text) for s, k in groups.values())
    assert got == [("Ash", "they would rise"), ("Roe", "taxes would fall")]


def test_link_quote_in_its_own_sentence_and_shared_speaker() -> None:
    text = "“Who would have believed it?” Roe asked. She laughed and said it was fine."
    doc = nlp.load()(text)
    ctx = ArticleContext.of(doc)
    asked = _token_range(doc, "asked")
    said = _token_range(doc, "said")
    spans = [
        ("content", *_token_range(doc, "“Who would have believed it?”")),
        ("source", *_token_range(doc, "Roe")),
        ("cue", *asked),
        ("source", *_token_range(doc, "She")),
        ("cue", *_token_range(doc, "laughed")),
        ("cue", *said),
        ("content", *_token_range(doc, "it was fine")),
    ]
    out = {c: (s, k) for c, s, k in link(ctx, spans)}
    assert out[asked][1] == [_token_range(doc, "“Who would have believed it?”")]
    assert out[said][0] == [_token_range(doc, "She")]  # shared with "laughed"
    assert out[said][1] == [_token_range(doc, "it was fine")]


# ------------------------------------------------------------------ profiles end to end


@pytest.fixture(scope="module")
def accurate() -> Extractor:
    return Extractor(profile="accurate")


def test_profiles_are_named() -> None:
    assert finders.DEFAULT_PROFILE in finders.PROFILES
    with pytest.raises(ValueError, match="unknown profile"):
        finders.finder("turbo")


def test_accurate_profile_finds_a_direct_quote(accurate: Extractor) -> None:
    text = "Jane Roe spoke in the capital.\n\n“We will not raise taxes this year,” Jane Roe said on Tuesday."
    found = accurate(text, published="2024-03-13")
    st = next(s for s in found if s.cue is not None and s.cue.text.startswith("said"))
    assert [c.text for c in st.content] == ["“We will not raise taxes this year,”"]
    assert st.speaker is not None and st.speaker.text == "Jane Roe"
    assert st.speaker.name == "Jane Roe"  # resolution runs on the tagger's spans
    assert st.kind == "direct"
    for s in found:
        for span in s.spans():
            assert text[span.start : span.end] == span.text


def test_accurate_profile_indirect_speech_and_resolution(accurate: Extractor) -> None:
    text = (
        "Tom Ash, the mayor of Lenna, opened the bridge on Monday.\n\n"
        "He said the city would build two more bridges before the end of the decade."
    )
    found = accurate(text, published="2024-03-13")
    st = next(s for s in found if s.cue is not None and s.cue.text == "said")
    assert st.speaker is not None and st.speaker.text == "He" and st.speaker.name == "Tom Ash"
    assert st.content and st.content[0].text.startswith("the city would build")


def test_accurate_profile_keeps_media_relays(accurate: Extractor) -> None:
    text = "Jane Roe rejected the new tax on fuel, the Morning Post reported on Tuesday."
    found = accurate(text, published="2024-03-13")
    roe = [s for s in found if s.speaker is not None and s.speaker.name == "Jane Roe"]
    # the tagger may or may not tag this; when it yields Roe's statement, the relay must be there
    for s in roe:
        assert [r.name for r in s.relays] == ["Morning Post"]


def test_inference_runs_without_torch() -> None:
    # torch and transformers made unimportable (spaCy's thinc probes for torch and copes)
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "sys.modules['transformers'] = None\n"
        "from saywho import Extractor\n"
        "found = Extractor(profile='accurate')('“It is over,” Roe said.')\n"
        "assert any(s.cue is not None and s.cue.text == 'said' for s in found), found\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
