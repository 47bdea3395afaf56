"""Showing statements and scores: JSON lines for programs, rich tables for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from saywho.eval.polnear import Report
from saywho.records import DateRef, Speaker, Statement

CONTENT_CHARS = 160
# A progress bar is shown on stderr for at least this many inputs, when stderr is a terminal.
PROGRESS_MIN = 10
# From this terminal width on, every field of a statement has its own table column.
WIDE = 110
EMPTY = "—"
RELATIONS = {"reported_by": "reported", "cited_by": "cited", "according_to": "according to"}


def write_jsonl(statements: Sequence[Statement], out: TextIO | None = None) -> None:
    """One JSON object per statement (``Statement.to_dict()``), one per line."""
    out = out or sys.stdout
    for st in statements:
        out.write(json.dumps(st.to_dict(), ensure_ascii=False) + "\n")


def trim(text: str, limit: int = CONTENT_CHARS) -> str:
    text = " ".join(text.split())  # line breaks inside quotes would break the table's rows
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def speaker_label(sp: Speaker | None) -> str:
    """``Jane Roe (She)``: the resolved name, with the mention when it differs."""
    if sp is None:
        return EMPTY
    mention = " ".join(sp.text.split()) if sp.text else None
    if sp.name and mention and mention != sp.name:
        return f"{sp.name} ({mention})"
    return sp.name or mention or EMPTY


def addressee_label(st: Statement) -> str:
    a = st.addressee
    if a is None:
        return EMPTY
    return f"{a.name} ({a.text})" if a.name and a.name != a.text else a.name or a.text


def relays_label(st: Statement) -> str:
    return (
        ", ".join(f"{r.name or r.text} ({RELATIONS.get(r.relation, r.relation)})" for r in st.relays) or EMPTY
    )


def when_label(d: DateRef | None) -> str:
    """The normalised date; a week as its ISO week (``2024-W09``), which a bare Monday would hide."""
    if d is None:
        return EMPTY
    if d.precision == "week":
        try:
            year, week, _ = date.fromisoformat(d.value).isocalendar()
        except ValueError:
            return d.value
        return f"{year}-W{week:02d}"
    return d.value


def statement_table(label: str, statements: Sequence[Statement], width: int = 120) -> Table:
    """One article's statements, laid out for a terminal ``width`` columns wide.

    From ``WIDE`` columns on, each field has its own column; below, "to whom",
    "via" and "when" share one and the kind goes under the cue, so that the
    content keeps room to be read in 80 columns.
    """
    n = len(statements)
    table = Table(
        title=Text(label, style="bold"),
        title_justify="left",
        caption=f"{n} statement{'s' if n != 1 else ''}" if n else "no statements found",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,  # the content column takes what the capped ones leave
        collapse_padding=True,
        pad_edge=False,
    )
    wide = width >= WIDE
    table.add_column("speaker", style="cyan", max_width=16 if wide else 14)
    if wide:
        table.add_column("kind", no_wrap=True)
    table.add_column("cue", style="magenta", max_width=10)
    table.add_column("content", ratio=1)
    if wide:
        table.add_column("to whom", max_width=14)
        table.add_column("via", max_width=14)
        table.add_column("when", no_wrap=True)
    else:
        table.add_column("to · via · when", max_width=16)
    for st in statements:
        speaker = speaker_label(st.speaker)
        cue = trim(st.cue.text, 40) if st.cue else EMPTY
        content = trim(st.content_text) or EMPTY
        to_whom, via, when = addressee_label(st), relays_label(st), when_label(st.date)
        if wide:
            cells = [
                Text(speaker),
                Text(st.kind),
                Text(cue),
                Text(content),
                Text(to_whom),
                Text(via),
                Text(when),
            ]
        else:
            context = [f"→ {to_whom}" if st.addressee else "", f"via {via}" if st.relays else "", when]
            cells = [
                Text(speaker),
                Text.assemble(cue, "\n", (st.kind, "dim")),
                Text(content),
                Text("\n".join(c for c in context if c and c != EMPTY) or EMPTY),
            ]
        table.add_row(*cells)  # Text, not str: square brackets in article text are not markup
    return table


def report_table(report: Report) -> Table:
    """Precision, recall and F1 (in %) with the counts, per match rule and role."""
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("match", "role"):
        table.add_column(name)
    for name in ("P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(name, justify="right")
    for match, role, prf in report.rows():
        table.add_row(
            match,
            role,
            f"{100 * prf.precision:.1f}",
            f"{100 * prf.recall:.1f}",
            f"{100 * prf.f1:.1f}",
            str(prf.tp),
            str(prf.fp),
            str(prf.fn),
        )
    return table


@contextmanager
def progress(
    total: int, description: str, *, writes_stdout: bool = False, console: Console | None = None
) -> Iterator[Callable[[], None]]:
    """An ``advance()`` callable that moves a bar on stderr, for many inputs on a terminal.

    No bar when stderr is not a terminal, nor when the caller prints results
    while it runs (``writes_stdout``) and stdout is the same terminal: the
    results then show the progress, and a bar would be torn by them.
    """
    console = console or Console(stderr=True)
    stdout_tty = sys.stdout.isatty() if hasattr(sys.stdout, "isatty") else False
    if total < PROGRESS_MIN or not console.is_terminal or (writes_stdout and stdout_tty):
        yield lambda: None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,  # results go to stdout untouched (rich would send them to stderr)
        redirect_stderr=True,  # one-line complaints print above the bar
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
