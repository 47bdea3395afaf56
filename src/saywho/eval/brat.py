"""Read PolNeAR's brat standoff files into attributions of (start, end) fragments.

A PolNeAR ``.ann`` holds text-bound spans (``T9<TAB>Content 568 600;610 757<TAB>…``)
and events linking them (``E3<TAB>Attribution:T12 Cue:T11 Source:T10 Content:T9``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("source", "cue", "content")
Fragment = tuple[int, int]


@dataclass(slots=True)
class GoldAttribution:
    source: tuple[Fragment, ...] = ()
    cue: tuple[Fragment, ...] = ()
    content: tuple[Fragment, ...] = ()

    def role(self, name: str) -> tuple[Fragment, ...]:
        return getattr(self, name)


@dataclass(slots=True)
class GoldArticle:
    name: str
    text: str
    published: str | None = None
    attributions: list[GoldAttribution] = field(default_factory=list)


def strip_fragment(text: str, start: int, end: int) -> Fragment | None:
    """Trim surrounding whitespace; annotators' and systems' spans compare fairly."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _fragments(text: str, offsets: str) -> tuple[Fragment, ...]:
    out = []
    for part in offsets.split(";"):
        a, b = part.split()
        frag = strip_fragment(text, int(a), int(b))
        if frag:
            out.append(frag)
    return tuple(sorted(out))


def read_ann(text: str, ann: str) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, tuple[Fragment, ...]]] = {}
    events: list[list[str]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _fragments(text, offsets))
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) >= 2:
                events.append(parts[1].split())
    out: list[GoldAttribution] = []
    for args in events:
        roles: dict[str, tuple[Fragment, ...]] = {}
        for arg in args[1:]:  # args[0] is the trigger (Attribution / Attribution-no-source)
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789").lower()
            if role in ROLES and ref in spans:
                roles[role] = tuple(sorted(set(roles.get(role, ()) + spans[ref][1])))
        if roles.get("content") or roles.get("cue"):
            out.append(GoldAttribution(**roles))
    return out


def read_metadata(root: Path) -> dict[str, dict[str, str]]:
    meta = root / "metadata.tsv"
    if not meta.exists():
        return {}
    lines = meta.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    rows = (dict(zip(head, line.split("\t"), strict=False)) for line in lines[1:] if line.strip())
    return {r["filename"]: r for r in rows}


def read_split(root: Path | str, split: str) -> list[GoldArticle]:
    """Articles of one split; of several annotators' files, the first by name."""
    root = Path(root)
    meta = read_metadata(root)
    base = root / split
    if not (base / "text").is_dir():
        raise FileNotFoundError(f"no PolNeAR split at {base} (expected {base}/text and {base}/attributions)")
    anns: dict[str, Path] = {}
    for p in sorted((base / "attributions").glob("*.ann")):
        name = p.stem.rsplit("_", 1)[0]
        anns.setdefault(name, p)
    out = []
    for txt in sorted((base / "text").glob("*.txt")):
        name = txt.stem
        text = txt.read_bytes().decode("utf-8")  # keep \r: brat offsets count it
        ann = anns.get(name)
        attributions = read_ann(text, ann.read_text(encoding="utf-8")) if ann else []
        published = meta.get(name, {}).get("publication_date") or None
        out.append(GoldArticle(name, text, published, attributions))
    return out
