"""Throughput of saywho's extraction against bare spaCy, on the same texts in one run.

    python bench/bench_extract.py PATH [--repeat 3] [--limit N] [--json OUT]

PATH is a folder of ``*.txt`` articles (searched recursively) or one file,
for instance ``../shared/data/polnear/dev/text``. Two runs are timed over the
same texts with the same loaded pipeline:

* **bare**: ``nlp.pipe`` over the pieces ``Extractor.pipe`` would parse, the
  docs thrown away: what spaCy alone costs;
* **extract**: ``Extractor.pipe`` over ``(text, published, name)``: spaCy plus
  everything saywho does.

They run interleaved, alternating which goes first (AB BA AB …), so that a
machine that drifts (another job, thermal state) touches both alike; the
ratio is taken per pair and its median reported. Words are whitespace-separated
tokens of the original texts. Peak memory is the process's peak RSS, and the
tracemalloc peak of the extraction layer alone (``Extractor.from_doc`` on
one parsed article at a time, in a separate untimed pass).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from saywho import __version__, textio
from saywho import nlp as nlp_mod
from saywho.extraction import Extractor
from saywho.extraction.pipeline import chunks

TARGET_RATIO = 0.8
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def load_texts(path: str, limit: int | None) -> list[tuple[str, str | None, str]]:
    """(text, published, name) for each readable, non-empty article; published from a date in the name."""
    out = []
    for source in textio.expand([path]):
        try:
            text = textio.read_article(source)
        except textio.InputError as exc:
            print(f"bench: {source.label}: {exc.message} (skipped)", file=sys.stderr)
            continue
        if not text:
            continue
        m = _DATE_IN_NAME.search(Path(source.label).name)
        out.append((text, m.group(1) if m else None, Path(source.label).stem))
        if limit and len(out) >= limit:
            break
    return out


def timed(run: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def extraction_layer_peak_mb(extractor: Extractor, items: list[tuple[str, str | None, str]]) -> float:
    """tracemalloc peak of ``from_doc`` alone, one article at a time (parsing is not traced)."""
    peak = 0
    for text, published, name in items:
        for _, piece in chunks(text):
            doc = extractor.nlp(piece)
            tracemalloc.start()
            extractor.from_doc(doc, published=published, article=name)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    return peak / 1e6


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="folder of *.txt articles (recursive) or one file")
    parser.add_argument("--repeat", type=int, default=3, help="timed pairs (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write the figures here")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default as saywho chooses)")
    parser.add_argument("--batch-size", type=int, default=8, help="nlp.pipe batch size for both (default 8)")
    parser.add_argument(
        "--profile",
        choices=["fast", "accurate"],
        default=None,
        help="span finder (default: saywho's default, accurate); fast = the rules alone",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        items = load_texts(args.path, args.limit)
    except FileNotFoundError:
        parser.error(f"{args.path}: no such file or directory")
    if not items:
        parser.error(f"{args.path}: no readable .txt articles")

    nlp = nlp_mod.load(args.model)
    extractor = Extractor(nlp=nlp, profile=args.profile)
    pieces = [piece for text, _, _ in items for _, piece in chunks(text)]
    words = sum(len(text.split()) for text, _, _ in items)
    chars = sum(len(text) for text, _, _ in items)

    def bare() -> None:
        for _ in nlp.pipe(pieces, batch_size=args.batch_size):
            pass

    def extract() -> None:
        for _ in extractor.pipe(items, batch_size=args.batch_size):
            pass

    # Warm-up (untimed): first-call costs, lazy imports, caches.
    for _ in nlp.pipe(pieces[:2]):
        pass
    for _ in extractor.pipe(items[:2]):
        pass

    times: dict[str, list[float]] = {"bare": [], "extract": []}
    runs = {"bare": bare, "extract": extract}
    err = Console(stderr=True)
    for r in range(args.repeat):
        order = ("bare", "extract") if r % 2 == 0 else ("extract", "bare")
        for name in order:
            times[name].append(timed(runs[name]))
            err.print(f"pair {r + 1}/{args.repeat}: {name} {times[name][-1]:.2f} s", highlight=False)

    pair_ratios = [b / e for b, e in zip(times["bare"], times["extract"], strict=True)]
    layer_peak = extraction_layer_peak_mb(extractor, items)
    result = {
        "path": args.path,
        "articles": len(items),
        "words": words,
        "chars": chars,
        "repeat": args.repeat,
        "batch_size": args.batch_size,
        "profile": extractor.profile,
        "bare": summary(times["bare"], words),
        "extract": summary(times["extract"], words),
        "ratio": {
            "extract_over_bare_throughput": round(statistics.median(pair_ratios), 3),
            "pairs": [round(x, 3) for x in pair_ratios],
            "target": TARGET_RATIO,
        },
        "memory": {"peak_rss_mb": round(peak_rss_mb(), 1), "extraction_layer_peak_mb": round(layer_peak, 2)},
        "env": {
            "saywho": __version__,
            "commit": git_commit(),
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "model": model_label(nlp.meta),
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        },
    }
    Console().print(result_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def model_label(meta: dict) -> str:
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"


def summary(seconds: list[float], words: int) -> dict[str, object]:
    median = statistics.median(seconds)
    return {
        "seconds": [round(s, 3) for s in seconds],
        "median_s": round(median, 3),
        "words_per_s": round(words / median) if median else None,
    }


def result_table(r: dict) -> Table:
    env = r["env"]
    table = Table(
        title=f"{r['articles']} articles, {r['words']:,} words, {r['repeat']} interleaved pairs — "
        f"{env['model']}, spaCy {env['spacy']}, Python {env['python']}, {env['cpus']} CPUs",
        title_justify="left",
    )
    table.add_column("run")
    table.add_column("median s", justify="right")
    table.add_column("words/s", justify="right")
    table.add_column("all runs (s)")
    for name, label in (("bare", "bare spaCy (nlp.pipe)"), ("extract", "saywho (Extractor.pipe)")):
        s = r[name]
        table.add_row(
            label, f"{s['median_s']:.2f}", f"{s['words_per_s']:,}", " ".join(map(str, s["seconds"]))
        )
    ratio = r["ratio"]["extract_over_bare_throughput"]
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    table.caption = (
        f"throughput extract/bare: {ratio:.3f} (median of pairs {r['ratio']['pairs']}; {verdict} target "
        f"{TARGET_RATIO}) · peak RSS {r['memory']['peak_rss_mb']} MB · extraction layer peak "
        f"{r['memory']['extraction_layer_peak_mb']} MB (tracemalloc)"
    )
    table.caption_justify = "left"
    return table


if __name__ == "__main__":
    sys.exit(main())
