"""Throughput of ``saywho extract`` per profile against bare spaCy, on one CPU core.

    python bench/bench_profiles.py PATH [--rounds 3] [--max-words 60000] [--json]

PATH is a folder of ``*.txt`` articles (searched recursively; for PolNeAR give
``…/polnear/dev/text``). In one process pinned to one core, with one thread
for onnxruntime and BLAS, it times, round after round and interleaved, the
same texts through: the bare spaCy pipeline (``nlp.pipe``), and the whole
extractor (parse + find + relays + resolve + enrich + dates) with each span
finder profile. Words are whitespace-separated words of the input. Each
profile's peak memory (max RSS) is measured in a fresh child process that
loads only what that profile needs and runs the texts once.
"""

from __future__ import annotations

import os

# one core, one thread everywhere: set before numpy, spaCy or onnxruntime load
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "SAYWHO_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

MODES = ("spacy", "fast", "accurate")


def pin_one_core() -> int | None:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None


def load_texts(path: Path, max_words: int) -> list[str]:
    files = [path] if path.is_file() else sorted(path.rglob("*.txt"))
    texts, words = [], 0
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        words += len(text.split())
        if words >= max_words:
            break
    if not texts:
        raise SystemExit(f"no .txt files under {path}")
    return texts


def runner(mode: str):  # -> Callable[[list[str]], None]
    from saywho import nlp as nlp_mod

    nlp = nlp_mod.load()
    if mode == "spacy":
        return lambda texts: sum(1 for _ in nlp.pipe(texts, batch_size=8))
    from saywho.extraction.pipeline import Extractor

    ex = Extractor(nlp=nlp, profile=mode)  # type: ignore[arg-type]
    return lambda texts: sum(1 for _ in ex.pipe([(t, None, "-") for t in texts]))


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec (a child would
    report its parent's peak), so VmHWM from /proc is read where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(path: Path, max_words: int, mode: str) -> None:
    pin_one_core()
    texts = load_texts(path, max_words)
    runner(mode)(texts)
    print(json.dumps({"mode": mode, "peak_rss_mb": round(peak_rss_mb(), 1)}))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-words", type=int, default=60_000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.path, args.max_words, args.child)
        return
    cpu = pin_one_core()
    texts = load_texts(args.path, args.max_words)
    words = sum(len(t.split()) for t in texts)
    runs = {m: runner(m) for m in MODES}
    for m in MODES:  # warm up: lazy loads, caches
        runs[m](texts[:2])
    took = dict.fromkeys(MODES, 0.0)
    for r in range(args.rounds):
        order = MODES if r % 2 == 0 else MODES[::-1]  # interleaved, alternating order
        for m in order:
            t = time.perf_counter()
            runs[m](texts)
            took[m] += time.perf_counter() - t
    memory = {}
    for m in MODES:
        out = subprocess.run(
            [sys.executable, __file__, str(args.path), "--max-words", str(args.max_words), "--child", m],
            capture_output=True,
            text=True,
            check=True,
        )
        memory[m] = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    rate = {m: words * args.rounds / took[m] for m in MODES}
    result = {
        "texts": len(texts),
        "words": words,
        "rounds": args.rounds,
        "cpu": cpu,
        "load_average": os.getloadavg()[0],
        "modes": {
            m: {
                "words_per_s": round(rate[m]),
                "ratio_to_spacy": round(rate[m] / rate["spacy"], 3),
                "peak_rss_mb": memory[m],
            }
            for m in MODES
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(texts)} texts, {words} words, {args.rounds} rounds, one core (cpu {cpu})")
    print(f"{'mode':10} {'words/s':>9} {'x spaCy':>8} {'peak RSS MB':>12}")
    for m in MODES:
        d = result["modes"][m]  # type: ignore[index]
        print(f"{m:10} {d['words_per_s']:>9} {d['ratio_to_spacy']:>8.3f} {d['peak_rss_mb']:>12}")
    print(f"load average (1 min) at the end: {result['load_average']:.2f}")


if __name__ == "__main__":
    main()
