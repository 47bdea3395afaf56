"""Score statements against PolNeAR's gold attributions.

Matching rules (README and BENCHMARKS.md say the same):

* A role's spans are its contiguous fragments, trimmed of surrounding
  whitespace; a content split around its cue counts as two fragments, as a
  BIO tagger would emit them. The source is the speaker *mention* (a speaker
  carried over from an earlier sentence has none).
* **exact**: a predicted fragment is right when a gold fragment of the same
  role has the same start and end.
* **token**: precision and recall over the word tokens (``\\w+`` or one
  punctuation mark) labelled with the role.
* **joint**: an attribution is right when its source, cue and content
  fragment sets all equal those of one gold attribution.
* PolNeAR is univocal (no nested attributions), so a predicted statement
  whose cue lies inside another predicted statement's content is dropped
  before scoring, as the annotators would have.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from saywho.eval.brat import ROLES, Fragment, GoldArticle, GoldAttribution, strip_fragment
from saywho.records import Statement

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(slots=True)
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    articles: int = 0
    gold_attributions: int = 0
    predicted_attributions: int = 0
    exact: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in ROLES})
    token: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in ROLES})
    joint: PRF = field(default_factory=PRF)

    def rows(self) -> list[tuple[str, str, PRF]]:
        out = [("exact", r, self.exact[r]) for r in ROLES]
        out += [("token", r, self.token[r]) for r in ROLES]
        out.append(("exact", "joint", self.joint))
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "gold_attributions": self.gold_attributions,
            "predicted_attributions": self.predicted_attributions,
            "scores": [
                {
                    "match": m,
                    "role": r,
                    "precision": round(100 * s.precision, 1),
                    "recall": round(100 * s.recall, 1),
                    "f1": round(100 * s.f1, 1),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                }
                for m, r, s in self.rows()
            ],
        }


def _inside(inner: Fragment, outer: Iterable[Fragment]) -> bool:
    return any(o[0] <= inner[0] and inner[1] <= o[1] for o in outer)


def project(text: str, statements: Sequence[Statement]) -> list[GoldAttribution]:
    """Statements as PolNeAR-style attributions, nested ones dropped."""
    cands = []
    for st in statements:
        content = tuple(sorted(f for s in st.content if (f := strip_fragment(text, s.start, s.end))))
        cue = ()
        if st.cue is not None and (f := strip_fragment(text, st.cue.start, st.cue.end)):
            cue = (f,)
        source = ()
        sp = st.speaker
        if (
            sp is not None
            and sp.start is not None
            and sp.end is not None
            and (f := strip_fragment(text, sp.start, sp.end))
        ):
            source = (f,)
        if content or cue:
            cands.append(GoldAttribution(source=source, cue=cue, content=content))
    kept = []
    for i, a in enumerate(cands):
        anchor = a.cue[0] if a.cue else a.content[0]
        if any(j != i and _inside(anchor, b.content) for j, b in enumerate(cands)):
            continue
        kept.append(a)
    return kept


def _token_sets(text: str, attributions: Iterable[GoldAttribution]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {r: set() for r in ROLES}
    frags = {r: [f for a in attributions for f in a.role(r)] for r in ROLES}
    for m in _TOKEN.finditer(text):
        for r in ROLES:
            if _inside((m.start(), m.end()), frags[r]):
                out[r].add(m.start())
    return out


def score_article(report: Report, gold: GoldArticle, predicted: Sequence[Statement]) -> None:
    pred = project(gold.text, predicted)
    report.articles += 1
    report.gold_attributions += len(gold.attributions)
    report.predicted_attributions += len(pred)
    for r in ROLES:
        g = {f for a in gold.attributions for f in a.role(r)}
        p = {f for a in pred for f in a.role(r)}
        report.exact[r].add(len(g & p), len(p - g), len(g - p))
    gt, pt = _token_sets(gold.text, gold.attributions), _token_sets(gold.text, pred)
    for r in ROLES:
        report.token[r].add(len(gt[r] & pt[r]), len(pt[r] - gt[r]), len(gt[r] - pt[r]))

    def key(a: GoldAttribution) -> tuple:
        return (a.source, a.cue, a.content)

    g_count, p_count = Counter(map(key, gold.attributions)), Counter(map(key, pred))
    tp = sum((g_count & p_count).values())
    report.joint.add(tp, sum(p_count.values()) - tp, sum(g_count.values()) - tp)


def evaluate(
    articles: Sequence[GoldArticle],
    extract: Callable[[Sequence[GoldArticle]], Iterable[Sequence[Statement]]],
) -> Report:
    """Run ``extract`` over the articles (in order) and score what it returns."""
    report = Report()
    for gold, statements in zip(articles, extract(articles), strict=True):
        score_article(report, gold, statements)
    return report


def evaluate_profile(
    root: str, split: str = "dev", profile: str | None = None, model: str | None = None
) -> Report:
    """Score the extractor with span finder ``profile`` on a PolNeAR split (never "test")."""
    from saywho.eval.brat import read_split
    from saywho.extraction.pipeline import Extractor

    if split == "test":
        raise ValueError("the PolNeAR test split is held out")
    extractor = Extractor(model=model, profile=profile)  # type: ignore[arg-type]
    arts = read_split(root, split)
    return evaluate(arts, lambda xs: extractor.pipe([(a.text, a.published, a.name) for a in xs]))


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m saywho.eval.polnear PATH [--split dev] [--profile accurate|fast] [--json]``"""
    import argparse
    import json

    ap = argparse.ArgumentParser(description="Score saywho on a PolNeAR split.")
    ap.add_argument("polnear")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--profile", default=None, help="accurate (learned tagger, default) or fast (rules)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = evaluate_profile(args.polnear, args.split, args.profile)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return
    r = report
    print(f"{r.articles} articles, {r.gold_attributions} gold attributions, {r.predicted_attributions} found")
    for match, role, s in report.rows():
        print(f"{match:6} {role:8} P {100 * s.precision:5.1f}  R {100 * s.recall:5.1f}  F1 {100 * s.f1:5.1f}")


if __name__ == "__main__":
    main()
