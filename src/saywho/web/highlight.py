"""An article's text cut into segments by the statements' spans, for highlighting by role.

The text is only ever *sliced* at span offsets; the template escapes each
piece. No markup is inserted into the text, so an article carrying HTML or
script shows it as text. A span whose offsets do not point at its own text
(a record and an article out of step) is left out rather than shown wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

ROLES = ("speaker", "cue", "content", "addressee", "relay", "date")
# Where roles overlap, the first one here colours the segment (content is the background of the rest).
PRIORITY = {role: i for i, role in enumerate(("speaker", "cue", "addressee", "relay", "date", "content"))}


@dataclass(frozen=True, slots=True)
class Mark:
    statement: int  # the statement's id
    role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def role(self) -> str | None:
        """The role that colours this segment when no statement is selected."""
        return min((m.role for m in self.marks), key=PRIORITY.__getitem__) if self.marks else None

    @property
    def statements(self) -> str:
        """The ids of the statements covering it, space-separated (``data-st``)."""
        return " ".join(dict.fromkeys(str(m.statement) for m in self.marks))

    @property
    def roles(self) -> str:
        """``id:role`` for each statement covering it (``data-roles``: the role of each)."""
        return " ".join(f"{m.statement}:{m.role}" for m in self.marks)

    @property
    def primary(self) -> int | None:
        """The statement a click selects: the one whose span here is the shortest (the innermost)."""
        return min(self.marks, key=lambda m: (m.end - m.start, m.statement)).statement if self.marks else None


def marks(statement_id: int, record: dict[str, Any]) -> list[Mark]:
    """Every span of a statement record (the JSON contract) with its role."""
    out: list[Mark] = []

    def add(role: str, span: Any) -> None:
        if isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
            out.append(Mark(statement_id, role, span["start"], span["end"]))

    for span in record.get("content") or []:
        add("content", span)
    add("cue", record.get("cue"))
    add("speaker", record.get("speaker"))
    add("addressee", record.get("addressee"))
    for relay in record.get("relays") or []:
        add("relay", relay)
    add("date", record.get("date"))
    return out


def _valid(text: str, mark: Mark, record_text: str | None) -> bool:
    if not (0 <= mark.start < mark.end <= len(text)):
        return False
    return record_text is None or text[mark.start : mark.end] == record_text


def segments(text: str, records: Iterable[tuple[int, dict[str, Any]]]) -> list[Segment]:
    """``text`` cut at every span boundary, each piece with the spans that cover it."""
    found: list[Mark] = []
    for sid, record in records:
        spans = _span_texts(record)
        for mark, span_text in zip(marks(sid, record), spans, strict=True):
            if _valid(text, mark, span_text):
                found.append(mark)
    if not found:
        return [Segment(text)] if text else []
    cuts = sorted({0, len(text), *(m.start for m in found), *(m.end for m in found)})
    starting: dict[int, list[Mark]] = {}
    for m in found:
        starting.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        active = [m for m in active if m.end > a] + starting.get(a, [])
        piece = text[a:b]
        if out and not active and not out[-1].marks:
            out[-1] = Segment(out[-1].text + piece)
        else:
            out.append(Segment(piece, tuple(sorted(active, key=lambda m: (m.statement, PRIORITY[m.role])))))
    return out


def _span_texts(record: dict[str, Any]) -> Sequence[str | None]:
    """The ``text`` of each span, in the order :func:`marks` yields them (None: not to be checked)."""
    out: list[str | None] = []

    def add(span: Any) -> None:
        if isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
            value = span.get("text")
            out.append(value if isinstance(value, str) else None)

    for span in record.get("content") or []:
        add(span)
    add(record.get("cue"))
    add(record.get("speaker"))
    add(record.get("addressee"))
    for relay in record.get("relays") or []:
        add(relay)
    add(record.get("date"))
    return out
