"""Stance toward propositions on news sentences the project wrote itself.

    python bench/eval_stance_news.py [TSV ...] [--model-dir DIR ...] [--json OUT] [--polnear PATH]
        [--min-confidence P]

Several files are scored as one pooled set.

``bench/data/stance_news.tsv`` (the default): four propositions (one wants X, one calls X a
danger, one wants X raised, one wants X scrapped), 20 sentences each in the register of news
reports: 6 that support the proposition, 6 that oppose it and 8 about its subject that take no
position (dates, figures, schedules).

``bench/data/stance_problem_dev.tsv`` and ``stance_problem_check.tsv``: propositions that call
something a serious problem (four each, none about climate or the environment), 30 sentences
each: 10 support, 6 oppose, 14 on the subject without a position; a third name the subject in
other words ("superbugs", "the cost of living"). Written by a helper that saw neither the rules
nor any shared data. The rules for such propositions were tuned on ``_dev``; ``_check`` is
only scored.

These are the dev sets for stance on news: models and settings are compared here, never on
GWSD. Scored like ``bench/eval_gwsd.py``: macro-F1 over support, oppose, neutral (``open``
counts as neutral), for the rules alone and for the rules then each model given (default: the
shipped one).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_gwsd import score
from saywho.positions.stance import MIN_CONFIDENCE, MODEL_DIR, classify_many, model_version

DEFAULT = Path(__file__).resolve().parent / "data" / "stance_news.tsv"


def read(path: Path, polnear: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """Sentences and gold labels by proposition. A file without a ``sentence`` column points into
    PolNeAR's train articles instead (``article``, ``start``, ``end``): ``polnear`` is that folder."""
    by_prop: dict[str, list[tuple[str, str]]] = defaultdict(list)
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if "sentence" in row:
                sentence = row["sentence"]
            else:
                if polnear is None:
                    raise SystemExit(f"{path} points into PolNeAR's articles: give --polnear PATH")
                name = row["article"]
                if name not in texts:
                    with (polnear / "train" / "text" / f"{name}.txt").open(encoding="utf-8", newline="") as t:
                        texts[name] = t.read()
                sentence = texts[name][int(row["start"]) : int(row["end"])]
            by_prop[row["proposition"]].append((sentence, row["label"]))
    return by_prop


def run(
    by_prop: dict[str, list[tuple[str, str]]],
    use_model: bool,
    model_dir: str | None,
    min_confidence: float = MIN_CONFIDENCE,
) -> dict:
    gold, pred = [], []
    for prop, rows in by_prop.items():
        texts = [t for t, _ in rows]
        got = classify_many(
            texts, prop, use_model=use_model, model_dir=model_dir, min_confidence=min_confidence
        )
        gold += [g for _, g in rows]
        pred += ["neutral" if s.label == "open" else s.label for s in got]
    out = score(gold, pred)
    out["predicted"] = {c: pred.count(c) for c in ("support", "oppose", "neutral")}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv", type=Path, nargs="*", default=[DEFAULT], help="one or more sets, pooled")
    ap.add_argument("--model-dir", action="append", default=[], help="a stance model folder (repeatable)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--polnear", type=Path, help="PolNeAR's folder, for a set that points into its articles")
    ap.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help=f"the model's support/oppose threshold (default {MIN_CONFIDENCE}, as shipped)",
    )
    args = ap.parse_args(argv)
    by_prop: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for tsv in args.tsv:
        for prop, rows in read(tsv, args.polnear).items():
            by_prop[prop] += rows
    results = {"rules alone": run(by_prop, False, None)}
    for d in args.model_dir or [str(MODEL_DIR)]:
        results[f"rules + {model_version(d)} ({d})"] = run(by_prop, True, d, args.min_confidence)
    for name, r in results.items():
        pc = r["per_class"]
        print(
            f"{r['macro_f1']:.3f}  support {pc['support']['f1']:.3f}  oppose {pc['oppose']['f1']:.3f}  "
            f"neutral {pc['neutral']['f1']:.3f}  predicted {dict(sorted(r['predicted'].items()))}  {name}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
