"""The attribution tagger's view of a parsed article: words, input features, tags, windows.

Shared by training (:mod:`saywho.train.attribution`) and inference
(:mod:`saywho.extraction.tagger`), so both see exactly the same input; no
torch here, only numpy.

* A *word* is a spaCy token, so predicted spans line up with the parse the
  rules and the resolver work on. Whitespace tokens are left out, except a
  line break, which becomes the word "¶" (paragraphs matter: a quotation that
  opens a paragraph continues the speaker before it).
* Tags are BIO over the three PolNeAR roles, one per word.
* Each word also carries a feature id: the rule finder's own BIO tag for it
  and whether it sits inside quotation marks, so the model learns where the
  rules are right and corrects them where they are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from saywho.extraction.context import ArticleContext
from saywho.extraction.rules import Found

ROLES = ("source", "cue", "content")
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
O_TAG = 0
B = {r: 1 + 2 * i for i, r in enumerate(ROLES)}  # B-role id; I-role is B + 1
N_LABELS = len(LABELS)
# rule tag (7) x inside a quotation (2)
N_FEATURES = N_LABELS * 2
PARAGRAPH = "¶"
# Pieces kept per word: the first one is what the classifier reads; a few more
# give context, and a pasted URL cannot eat a whole window.
MAX_PIECES_PER_WORD = 4


def word_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens the model sees: all but whitespace without a line break."""
    return [t.i for t in doc if not t.is_space or "\n" in t.text]


def word_text(doc: Doc, i: int) -> str:
    t = doc[i]
    return PARAGRAPH if t.is_space else t.text


def _tag_range(tags: np.ndarray, role: str, a: int, b: int) -> None:
    if a >= b:
        return
    tags[a] = B[role]
    tags[a + 1 : b] = B[role] + 1


def char_tokens(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The token range [a, b) of tokens overlapping characters [start, end), spaces left out."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    a, b = span.start, span.end
    while a < b and doc[a].is_space:
        a += 1
    while b > a and doc[b - 1].is_space:
        b -= 1
    return (a, b) if a < b else None


def tags_from_fragments(doc: Doc, fragments: Iterable[tuple[str, int, int]]) -> np.ndarray:
    """Per-token tag ids from (role, start char, end char) fragments.

    Contents first, so a source or cue inside a content splits it, as the
    annotators' univocal spans do.
    """
    tags = np.zeros(len(doc), dtype=np.int64)
    order = {"content": 0, "source": 1, "cue": 2}
    for role, s, e in sorted(fragments, key=lambda f: (order[f[0]], f[1])):
        rng = char_tokens(doc, s, e)
        if rng is not None:
            _tag_range(tags, role, *rng)
    return tags


def rule_tags(doc: Doc, found: Sequence[Found]) -> np.ndarray:
    frags: list[tuple[str, int, int]] = []
    for f in found:
        frags.extend(("content", a, b) for a, b in f.content)
        for role, rng in (("source", f.source), ("cue", f.cue)):
            if rng is not None:
                frags.append((role, doc[rng[0]].idx, doc[rng[1] - 1].idx + len(doc[rng[1] - 1])))
    return tags_from_fragments(doc, frags)


def features(ctx: ArticleContext, found: Sequence[Found]) -> np.ndarray:
    """Per-token feature ids: rule tag x inside quotation marks."""
    doc = ctx.doc
    quoted = np.fromiter((ctx.in_quote(t) for t in doc), dtype=np.int64, count=len(doc))
    return rule_tags(doc, found) * 2 + quoted


def spans_from_tags(tags: Sequence[int] | np.ndarray, positions: Sequence[int]) -> list[tuple[str, int, int]]:
    """(role, first token, end token) runs of a BIO sequence over the words at ``positions``.

    An I tag continuing a different role (the decoder never emits one, the
    rules' tags may) starts a new span.
    """
    out: list[tuple[str, int, int]] = []
    cur: list | None = None
    for tag, pos in zip(tags, positions, strict=True):
        tag = int(tag)
        if tag == O_TAG:
            cur = None
            continue
        role = ROLES[(tag - 1) // 2]
        if tag % 2 == 1 or cur is None or cur[0] != role:
            cur = [role, pos, pos + 1]
            out.append(cur)  # type: ignore[arg-type]
        else:
            cur[2] = pos + 1
    return [(r, a, b) for r, a, b in out]


def windows(n_pieces: Sequence[int], size: int, stride: int) -> list[tuple[int, int]]:
    """Word ranges [a, b) whose pieces fit in ``size``, starting every ``stride`` pieces."""
    cum = np.concatenate([[0], np.cumsum(n_pieces)])
    n = len(n_pieces)
    out: list[tuple[int, int]] = []
    a = 0
    while a < n:
        b = int(np.searchsorted(cum, cum[a] + size, side="right")) - 1
        b = max(b, a + 1)
        out.append((a, min(b, n)))
        if b >= n:
            break
        nxt = int(np.searchsorted(cum, cum[a] + stride, side="left"))
        a = max(a + 1, min(nxt, b))
    return out


def _allowed() -> np.ndarray:
    """allowed[prev, cur]: an I tag only continues its own role."""
    ok = np.ones((N_LABELS, N_LABELS), dtype=bool)
    for r in ROLES:
        i = B[r] + 1
        ok[:, i] = False
        ok[B[r], i] = ok[i, i] = True
    return ok


_ALLOWED = _allowed()
_START_OK = np.array([lab[0] != "I" for lab in LABELS])


def viterbi(logp: np.ndarray) -> np.ndarray:
    """The best BIO-valid tag sequence for per-word log-probabilities [n, labels]."""
    n = len(logp)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    penalty = np.where(_ALLOWED, 0.0, -1e9)
    score = np.where(_START_OK, logp[0], -1e9)
    back = np.zeros((n, N_LABELS), dtype=np.int64)
    for k in range(1, n):
        cand = score[:, None] + penalty  # [prev, cur]
        back[k] = cand.argmax(0)
        score = cand.max(0) + logp[k]
    out = np.zeros(n, dtype=np.int64)
    out[-1] = int(score.argmax())
    for k in range(n - 1, 0, -1):
        out[k - 1] = back[k, out[k]]
    return out


@dataclass(slots=True)
class Batch:
    """Model inputs for the windows of one article, and where each word's first piece sits."""

    input_ids: np.ndarray  # [windows, length]
    feature_ids: np.ndarray  # [windows, length]
    attention_mask: np.ndarray  # [windows, length]
    spans: list[tuple[int, int]]  # word range of each window
    first: list[np.ndarray]  # per window: position of each word's first piece


class Pieces:
    """Word → word-piece ids, through a ``tokenizers`` tokenizer, cached per word."""

    def __init__(self, tokenizer: object, cls_id: int, sep_id: int, pad_id: int = 0) -> None:
        self.tok = tokenizer
        self.cls, self.sep, self.pad = cls_id, sep_id, pad_id
        self._cache: dict[str, list[int]] = {}

    def of(self, word: str) -> list[int]:
        ids = self._cache.get(word)
        if ids is None:
            ids = self.tok.encode(word, add_special_tokens=False).ids[:MAX_PIECES_PER_WORD]  # type: ignore[attr-defined]
            if not ids:
                ids = [self.tok.token_to_id("[UNK]")]  # type: ignore[attr-defined]
            if len(self._cache) < 200_000:
                self._cache[word] = ids
        return ids

    def batch(self, words: Sequence[str], feats: Sequence[int], size: int, stride: int) -> Batch:
        """Windows of at most ``size`` pieces (with [CLS] and [SEP]) every ``stride`` pieces."""
        ids = [self.of(w) for w in words]
        spans = windows([len(x) for x in ids], size - 2, stride)
        length = 2 + max((sum(len(ids[k]) for k in range(a, b)) for a, b in spans), default=0)
        n = len(spans)
        input_ids = np.full((n, length), self.pad, dtype=np.int64)
        feature_ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.int64)
        first = []
        for w, (a, b) in enumerate(spans):
            pos = 1
            starts = np.zeros(b - a, dtype=np.int64)
            input_ids[w, 0] = self.cls
            for k in range(a, b):
                p = ids[k][: max(1, size - 1 - pos)]
                starts[k - a] = pos
                input_ids[w, pos : pos + len(p)] = p
                feature_ids[w, pos : pos + len(p)] = feats[k]
                pos += len(p)
            input_ids[w, pos] = self.sep
            mask[w, : pos + 1] = 1
            first.append(starts)
        return Batch(input_ids, feature_ids, mask, spans, first)


def merge_windows(batch: Batch, logits: np.ndarray, n_words: int) -> np.ndarray:
    """Per-word log-probabilities, each word read from the window where it is most central."""
    out = np.zeros((n_words, N_LABELS), dtype=np.float32)
    best = np.full(n_words, -1, dtype=np.int64)
    for w, (a, b) in enumerate(batch.spans):
        x = logits[w, batch.first[w]]  # [b - a, labels]
        x = x - x.max(1, keepdims=True)
        x = x - np.log(np.exp(x).sum(1, keepdims=True))
        k = np.arange(a, b)
        centrality = np.minimum(k - a, b - 1 - k)
        take = centrality > best[a:b]
        out[a:b][take] = x[take]
        best[a:b][take] = centrality[take]
    return out
