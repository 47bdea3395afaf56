"""Zero-shot stance on GWSD, scored through the ``saywho stance`` command itself.

    python bench/eval_gwsd.py ../shared/data/gwsd/gwsd-train.tsv [--rules-only] [--json OUT]

Each sentence of the TSV goes, one per line, to::

    saywho stance "Climate change is a serious concern" --input SENTENCES

(the sentences are written to a temporary file outside the repository). The
gold label is the majority vote of the eight annotators (agrees → support,
disagrees → oppose, neutral → neutral); where two labels tie for the most
votes the sentence counts as neutral, since no majority took a side. saywho's
``open`` counts as neutral. The score is the macro-F1 over support, oppose and
neutral, with per-class precision, recall and F1 and the confusion matrix.

GWSD is for measuring only: nothing in saywho is trained or tuned on it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

PROPOSITION = "Climate change is a serious concern"
CLASSES = ("support", "oppose", "neutral")
GOLD = {"agrees": "support", "disagrees": "oppose", "neutral": "neutral"}


def gold_label(votes: list[str]) -> str:
    counts = Counter(GOLD[v] for v in votes if v in GOLD).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return "neutral"
    return counts[0][0]


def read(path: Path) -> tuple[list[str], list[str]]:
    sents, gold = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            sents.append(" ".join(row["sentence"].split()))  # one sentence per line
            gold.append(gold_label([row.get(f"worker_{i}", "") for i in range(8)]))
    return sents, gold


def score(gold: list[str], pred: list[str]) -> dict:
    cm = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for g, p in zip(gold, pred, strict=True):
        cm[g][p] += 1
    per = {}
    for c in CLASSES:
        tp = cm[c][c]
        fp = sum(cm[g][c] for g in CLASSES) - tp
        fn = sum(cm[c].values()) - tp
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per[c] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        }
    macro = sum(per[c]["f1"] for c in CLASSES) / len(CLASSES)
    acc = sum(cm[c][c] for c in CLASSES) / len(gold)
    return {"macro_f1": round(macro, 4), "accuracy": round(acc, 4), "per_class": per, "confusion": cm}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv", type=Path)
    ap.add_argument("--rules-only", action="store_true", help="pass --rules-only to saywho stance")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)

    sents, gold = read(args.tsv)
    exe = shutil.which("saywho") or str(Path(sys.executable).with_name("saywho"))
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "sentences.txt"
        inp.write_text("\n".join(sents) + "\n", encoding="utf-8")
        cmd = [
            exe,
            "stance",
            PROPOSITION,
            "--input",
            str(inp),
            *(["--rules-only"] if args.rules_only else []),
        ]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
        seconds = time.perf_counter() - t0
    if len(out) != len(sents):
        raise SystemExit(f"saywho stance printed {len(out)} lines for {len(sents)} sentences")
    results = [json.loads(line) for line in out]
    pred = [r["label"] if r["label"] in ("support", "oppose") else "neutral" for r in results]
    report = {
        "command": f'saywho stance "{PROPOSITION}" --input SENTENCES'
        + (" --rules-only" if args.rules_only else ""),
        "sentences": len(sents),
        "gold": dict(Counter(gold)),
        "predicted": dict(Counter(r["label"] for r in results)),
        "methods": dict(Counter(r["method"] for r in results)),
        **score(gold, pred),
        "seconds": round(seconds, 1),
        "date": date.today().isoformat(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
