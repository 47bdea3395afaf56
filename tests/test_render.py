from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from saywho.records import DateRef, Mention, Relay, Span, Speaker, Statement
from saywho.render import progress, speaker_label, statement_table, trim, when_label, write_jsonl

TEXT = (
    "Ruritanian Finance Minister Jane Roe has rejected calls for a new border tax, the daily Morning "
    "Post reported on Tuesday. “No tax without a vote. The cabinet should not speak for parliament,” "
    "Roe told the paper. She said last week that such a tax could not be “ruled out” in the long run, "
    "as cited by Reuters. [Editor's note: corrected.]"
)


def span(s: str, after: str = "") -> tuple[int, int, str]:
    i = TEXT.index(s, TEXT.index(after) if after else 0)
    return i, i + len(s), s


def statements() -> list[Statement]:
    return [
        Statement(
            article="roe.txt",
            kind="direct",
            content=[Span(*span("“No tax without a vote. The cabinet should not speak for parliament,”"))],
            cue=Span(*span("told")),
            speaker=Speaker(*span("Roe", after="Roe told"), name="Jane Roe"),
            addressee=Mention(*span("the paper"), name="Morning Post"),
            relays=[Relay(*span("the daily Morning Post"), "reported_by", "Morning Post")],
            date=DateRef(*span("on Tuesday"), "2024-03-05", "day"),
        ),
        Statement(
            article="roe.txt",
            kind="mixed",
            content=[Span(*span("such a tax could not be “ruled out” in the long run"))],
            cue=Span(*span("said")),
            speaker=Speaker(*span("She"), name="Jane Roe"),
            relays=[Relay(*span("Reuters"), "cited_by")],
            date=DateRef(*span("last week"), "2024-02-26", "week"),
        ),
        Statement(article="roe.txt", kind="other", content=[Span(*span("[Editor's note: corrected.]"))]),
    ]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_table_fits_the_terminal_and_shows_every_field(width: int) -> None:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(statement_table("roe.txt", statements(), width=width))
    out = console.export_text()
    assert max(len(line) for line in out.splitlines()) <= width
    flat = " ".join(out.split())
    for expected in ("Jane Roe (Roe)", "Jane Roe (She)", "Reuters", "(cited)", "2024-03-05", "2024-W09"):
        assert expected in flat, expected
    assert "Morning Post" in flat and "direct" in flat and "mixed" in flat
    assert "[Editor's note: corrected.]" in flat  # article text is never read as rich markup
    assert "3 statements" in flat


def test_empty_table_says_so() -> None:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(statement_table("nothing.txt", []))
    out = console.export_text()
    assert "nothing.txt" in out and "no statements found" in out and "speaker" in out


def test_labels() -> None:
    assert speaker_label(None) == "—"
    assert speaker_label(Speaker(0, 3, "Roe", name="Roe")) == "Roe"
    assert speaker_label(Speaker(None, None, None, name="Jane Roe")) == "Jane Roe"
    assert speaker_label(Speaker(0, 3, "the\nminister")) == "the minister"
    assert when_label(DateRef(0, 1, "x", "2024-03", "month")) == "2024-03"
    assert when_label(DateRef(0, 1, "x", "2024-12-30", "week")) == "2025-W01"
    assert trim("a  b\n\nc") == "a b c"
    assert trim("word " * 100, 20) == "word word word word…"


def test_write_jsonl_one_object_per_line() -> None:
    out = io.StringIO()
    write_jsonl(statements(), out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first["content"][0]["text"].startswith("“No tax")  # not escaped to \u201c
    assert "“" in lines[0]
    assert Statement.from_dict(first) == statements()[0]


def test_progress_bar_only_for_many_inputs_on_a_terminal() -> None:
    def run(total: int, terminal: bool) -> str:
        buffer = io.StringIO()
        with progress(total, "extracting", console=Console(file=buffer, force_terminal=terminal)) as advance:
            for _ in range(total):
                advance()
        return buffer.getvalue()

    assert "extracting" in run(12, terminal=True)
    assert run(3, terminal=True) == ""
    assert run(12, terminal=False) == ""
