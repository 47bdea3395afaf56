"""Scaling out: words/s of ``saywho ingest`` per engine (local, ray) and number of workers, in one run.

    python bench/bench_scale.py DIR [--limit N] [--repeat 2] [--workers 1,2] [--engines local,ray]
                                [--profile accurate|fast] [--sink dataset|sqlite] [--writer]
                                [--pg URL] [--json OUT]

DIR is a folder of ``*.txt`` articles (searched recursively), for instance
``../shared/data/polnear/train/text``. Every configuration (engine × workers)
runs the real ingest loop (:class:`saywho.ingest.run.Ingest`, as ``saywho
ingest --engine E --workers N`` does) over the same files: reading in this
process, extraction in the workers (each loading the pipeline: part of the
time measured), results back to this process and written to the sink, a new
Parquet dataset (``--out``; the default: what the engines do) or a new SQLite
database (adds the single-writer store path). Configurations run interleaved,
round after round, the order rotated each round, so that a machine that
drifts (other jobs) touches all alike. Reported per configuration: median
words/s; per round: the scaling ratio from the fewest to the most workers of
each engine, and Ray's overhead against the local engine at equal workers
(time ray / time local - 1); with their medians. Peak RSS per worker is each
worker process's (or Ray actor's) VmHWM, as it reports it with its results,
and so is the CPU time each worker used: words per worker CPU-second do not
depend on other jobs taking the cores, and show whether a worker does more
work per word on one engine or with more workers.
The load average is recorded before and after every run, and the cores other
jobs used meanwhile (the machine's busy time less the benchmark's own, from
/proc every 2 s), and those the hypervisor took (steal): the machine is shared.
Each round also times a control, the same CPU-bound loop in one process and
then in as many processes as workers at once: the scaling the machine itself
gives at that moment (another job holding a core, or the kernel's session
groups sharing the CPUs between jobs, shows there first), against which the
engines' scaling is read.
A local Ray instance is started once, before the runs (its start-up time is
reported apart: a cluster is started once, not per ingest).

``--writer`` also measures the one writer both engines have, the ingest
process storing results: a dataset from the last run is loaded (``saywho
load``) into a new SQLite database (and, with ``--pg URL``, into that
PostgreSQL database, emptied first), and its words/s tell how many workers
one writer keeps up with.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from saywho import __version__
from saywho.engines import make_engine, peak_rss_mb
from saywho.engines.dataset import DatasetWriter
from saywho.extraction.finders import DEFAULT_PROFILE
from saywho.ingest.run import Ingest
from saywho.store import open_db

TARGET_SCALING = 1.8
TARGET_RAY_OVERHEAD = 0.15


def text_files(path: str, limit: int | None) -> list[Path]:
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(path)
    files = sorted(root.rglob("*.txt")) if root.is_dir() else [root]
    return files[:limit] if limit else files


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class OthersCpu:
    """How many cores other jobs used while a run went on, and how many the hypervisor took (steal).

    Every 2 s: the machine's busy CPU time (/proc/stat) less this benchmark's, that is its process
    and every descendant (workers, Ray's processes). A descendant's time after its last sample is
    missed, so other jobs' figure is a slight overestimate."""

    def __init__(self) -> None:
        self.tick = os.sysconf("SC_CLK_TCK")
        self.others = 0.0
        self.steal = 0.0
        self.seconds = 0.0
        self._seen: dict[int, float] = {}  # pid of ours → its CPU seconds when last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> OthersCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cores(self) -> float | None:
        return round(max(0.0, self.others) / self.seconds, 2) if self.seconds else None

    @property
    def steal_cores(self) -> float | None:
        return round(self.steal / self.seconds, 2) if self.seconds else None

    def _machine(self) -> tuple[float, float]:
        """(busy, steal) CPU seconds of the whole machine so far."""
        with open("/proc/stat", encoding="ascii") as fh:
            f = [int(x) for x in fh.readline().split()[1:9]]
        user, nice, system, _idle, _iowait, irq, softirq, steal = f
        return (user + nice + system + irq + softirq) / self.tick, steal / self.tick

    def _ours(self) -> float:
        """CPU seconds of this process and its descendants so far; a descendant that has ended keeps
        the last time it was seen with (Ray's raylet does not wait for its workers, so their time
        never reaches its children's count)."""
        me = os.getpid()
        procs: dict[int, tuple[int, float]] = {}  # pid → (parent, CPU seconds)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                f = stat.read_text().rsplit(")", 1)[1].split()
                procs[int(stat.parent.name)] = (int(f[1]), (int(f[11]) + int(f[12])) / self.tick)
            except (OSError, IndexError, ValueError):
                continue
        ours, changed = {me}, True
        while changed:
            changed = False
            for pid, (parent, _) in procs.items():
                if parent in ours and pid not in ours:
                    ours.add(pid)
                    changed = True
        for pid in ours:
            if pid in procs:
                self._seen[pid] = procs[pid][1]
        return sum(self._seen.values())

    def _run(self) -> None:
        if not Path("/proc/stat").exists():
            return
        t0, (busy0, steal0), ours0 = time.monotonic(), self._machine(), self._ours()
        while not self._stop.wait(2.0):
            t1, (busy1, steal1), ours1 = time.monotonic(), self._machine(), self._ours()
            self.others += (busy1 - busy0) - (ours1 - ours0)
            self.steal += steal1 - steal0
            self.seconds += t1 - t0
            t0, busy0, steal0, ours0 = t1, busy1, steal1, ours1


def one_run(
    engine_name: str,
    workers: int,
    files: list[Path],
    sink: str,
    model: str | None,
    keep: Path | None = None,
    profile: str | None = None,
) -> dict:
    engine = make_engine(engine_name, workers=workers, model=model, profile=profile)
    with tempfile.TemporaryDirectory(prefix="saywho-bench-") as tmp:
        out = DatasetWriter(keep or Path(tmp) / "ds") if sink == "dataset" else None
        db = open_db(str(Path(tmp) / "b.db")) if sink == "sqlite" else None
        first: list[float] = []

        def progress(s: Any) -> None:
            if not first and s.new:
                first.append(time.perf_counter())

        before = load()
        with OthersCpu() as others:
            t0 = time.perf_counter()
            run = Ingest(db, None, engine=engine, out=out, on_progress=progress)
            summary = run.run([str(f) for f in files])
            seconds = time.perf_counter() - t0
        if db is not None:
            db.dispose()
    if summary.failed or summary.new != len(files):
        raise SystemExit(f"bench: {summary.failed} articles failed: {summary.failures[:3]}")
    return {
        "engine": engine_name,
        "workers": workers,
        "seconds": round(seconds, 2),
        "words_per_s": round(summary.words / seconds),
        "first_result_s": round(first[0] - t0, 2) if first else None,
        "statements": summary.statements,
        "worker_peak_rss_mb": sorted(summary.workers.values()),
        "worker_cpu_s": sorted(summary.worker_cpu.values()),
        "words_per_worker_cpu_s": round(summary.words / sum(summary.worker_cpu.values())),
        "load_before": before,
        "load_after": load(),
        "others_cores": others.cores,
        "steal_cores": others.steal_cores,
    }


def machine_scaling(workers: int, n: int = 60_000_000) -> float:
    """The control: time of one CPU-bound loop (``sum(range(n))``) alone, over that of ``workers`` of
    them run at once in as many processes."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        pool.map(abs, range(workers))  # the processes are up before timing
        t = time.perf_counter()
        pool.apply(sum, (range(n),))
        alone = time.perf_counter() - t
        t = time.perf_counter()
        pool.starmap(sum, [(range(n),)] * workers, chunksize=1)
        together = time.perf_counter() - t
    return round(workers * alone / together, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="folder of *.txt articles (recursive)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (sorted)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (default 2)")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated (default 1,2)")
    parser.add_argument("--engines", default="local,ray", help="engines, comma-separated (default local,ray)")
    parser.add_argument("--sink", choices=("dataset", "sqlite"), default="dataset")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default as saywho chooses)")
    parser.add_argument(
        "--profile",
        choices=("accurate", "fast"),
        default=DEFAULT_PROFILE,
        help=f"span finder (default {DEFAULT_PROFILE})",
    )
    parser.add_argument("--writer", action="store_true", help="also time loading a dataset (the writer)")
    parser.add_argument("--pg", default=None, metavar="URL", help="--writer: also into this PostgreSQL db")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        files = text_files(args.dir, args.limit)
        counts = sorted({int(w) for w in args.workers.split(",")})
    except FileNotFoundError:
        parser.error(f"{args.dir}: no such file or directory")
    except ValueError:
        parser.error("--workers takes numbers: 1,2")
    engines = [e for e in args.engines.split(",") if e]
    if not files:
        parser.error(f"{args.dir}: no .txt files")
    if args.repeat < 1 or min(counts) < 1 or not set(engines) <= {"local", "ray"}:
        parser.error("--repeat and --workers at least 1; --engines among local,ray")
    words = sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)

    err = Console(stderr=True)
    ray_start = None
    if "ray" in engines:
        import ray

        from saywho.engines.ray_engine import _quiet, _stderr_muted, local_instance, local_priority

        _quiet()
        local_priority()
        t = time.perf_counter()
        with _stderr_muted():
            ray.init(**local_instance(max(counts)))
        ray_start = round(time.perf_counter() - t, 2)
    configs = [(e, w) for e in engines for w in counts]
    runs: list[dict] = []
    control: list[float] = []
    keep = Path(tempfile.mkdtemp(prefix="saywho-bench-ds-")) if args.writer else None
    try:
        for r in range(args.repeat):
            k = r % len(configs)
            order = configs[k:] + configs[:k]  # rotated each round
            if len(counts) > 1:
                control.append(machine_scaling(counts[-1]))
                err.print(f"round {r + 1}/{args.repeat}: control (CPU-bound loop) scaling 1→{counts[-1]}: "
                          f"{control[-1]}×", highlight=False)  # fmt: skip
            for i, (engine, workers) in enumerate(order):
                last = keep is not None and r == args.repeat - 1 and i == len(order) - 1
                row = one_run(engine, workers, files, "dataset" if last else args.sink, args.model,
                              keep / "ds" if last and keep else None, args.profile)  # fmt: skip
                row["round"] = r + 1
                runs.append(row)
                err.print(
                    f"round {r + 1}/{args.repeat}: {engine} × {workers}: {row['seconds']} s, "
                    f"{row['words_per_s']:,} words/s, load {row['load_before']} → {row['load_after']}, "
                    f"other jobs {row['others_cores']} cores, steal {row['steal_cores']}",
                    highlight=False,
                )
    finally:
        if ray_start is not None:
            import ray

            ray.shutdown()
    result = summarise(runs, engines, counts, args.repeat)
    if control:
        result["control_scaling"] = {"median": round(statistics.median(control), 3), "rounds": control}
    if keep is not None:
        result["writer"] = writer_runs(keep / "ds", args.pg, err)
        shutil.rmtree(keep, ignore_errors=True)
    result.update(
        {
            "dir": args.dir,
            "articles": len(files),
            "words": words,
            "sink": args.sink,
            "profile": args.profile,
            "repeat": args.repeat,
            "ray_init_s": ray_start,
            "driver_peak_rss_mb": peak_rss_mb(),
            "runs": runs,
            "env": {
                "saywho": __version__,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "machine": platform.machine(),
                "ray": _ray_version(),
            },
        }
    )
    Console().print(result_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def writer_runs(dataset: Path, pg: str | None, err: Console) -> list[dict]:
    """Load ``dataset`` (already extracted) into fresh databases: how fast the one writer stores."""
    from saywho.engines.dataset import load as load_dataset

    rows = []
    targets = [("SQLite", None)] + ([("PostgreSQL", pg)] if pg else [])
    for name, url in targets:
        with tempfile.TemporaryDirectory(prefix="saywho-bench-db-") as tmp:
            db = open_db(str(Path(tmp) / "w.db")) if url is None else _empty_pg(url)
            before = load()
            t0 = time.perf_counter()
            s = load_dataset(db, dataset)
            seconds = time.perf_counter() - t0
            db.dispose()
        row = {
            "db": name,
            "seconds": round(seconds, 2),
            "articles": s.new,
            "statements": s.statements,
            "words_per_s": round(s.words / seconds),
            "statements_per_s": round(s.statements / seconds),
            "load_before": before,
            "load_after": load(),
        }
        err.print(f"writer: {name}: {row['seconds']} s, {row['words_per_s']:,} words/s", highlight=False)
        rows.append(row)
    return rows


def _empty_pg(url: str) -> Any:
    from sqlalchemy import text

    from saywho.store.schema import metadata

    db = open_db(url, migrate=False)
    with db.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name} CASCADE"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.dispose()
    return open_db(url)


def _ray_version() -> str | None:
    try:
        import ray
    except ImportError:
        return None
    return ray.__version__


def summarise(runs: list[dict], engines: list[str], counts: list[int], repeat: int) -> dict:
    def pick(engine: str, workers: int, r: int) -> dict:
        return next(x for x in runs if x["engine"] == engine and x["workers"] == workers and x["round"] == r)

    configs: dict[str, dict] = {}
    for e in engines:
        for w in counts:
            mine = [x for x in runs if x["engine"] == e and x["workers"] == w]
            configs[f"{e}×{w}"] = {
                "words_per_s": round(statistics.median(x["words_per_s"] for x in mine)),
                "all_words_per_s": [x["words_per_s"] for x in mine],
                "worker_peak_rss_mb": max((m for x in mine for m in x["worker_peak_rss_mb"]), default=None),
                "words_per_worker_cpu_s": round(statistics.median(x["words_per_worker_cpu_s"] for x in mine)),
            }
    scaling = {}
    if len(counts) > 1:
        lo, hi = counts[0], counts[-1]
        for e in engines:
            pairs = [pick(e, lo, r)["seconds"] / pick(e, hi, r)["seconds"] for r in range(1, repeat + 1)]
            scaling[e] = {
                "from": lo,
                "to": hi,
                "median": round(statistics.median(pairs), 3),
                "rounds": [round(p, 3) for p in pairs],
            }
    overhead = {}
    if {"local", "ray"} <= set(engines):
        for w in counts:
            rounds = range(1, repeat + 1)
            pairs = [pick("ray", w, r)["seconds"] / pick("local", w, r)["seconds"] - 1 for r in rounds]
            overhead[str(w)] = {
                "median": round(statistics.median(pairs), 3),
                "rounds": [round(p, 3) for p in pairs],
            }
    return {"configs": configs, "scaling": scaling, "ray_overhead": overhead}


def result_table(r: dict) -> Table:
    table = Table(
        title=f"{r['articles']} articles, {r['words']:,} words, sink {r['sink']}, {r['repeat']} rounds — "
        f"{r['env']['cpus']} CPUs, Python {r['env']['python']}, Ray {r['env']['ray']}",
        title_justify="left",
    )
    for col in (
        "engine × workers",
        "words/s (median)",
        "all rounds",
        "words per worker CPU-s",
        "peak RSS per worker MB",
    ):
        table.add_column(col, justify="left" if col.startswith("engine") else "right")
    for name, c in r["configs"].items():
        table.add_row(name, f"{c['words_per_s']:,}", " ".join(f"{x:,}" for x in c["all_words_per_s"]),
                      f"{c['words_per_worker_cpu_s']:,}", str(c["worker_peak_rss_mb"]))  # fmt: skip
    notes = []
    for e, s in r["scaling"].items():
        verdict = "meets" if s["median"] >= TARGET_SCALING else "BELOW"
        notes.append(
            f"{e} scaling {s['from']}→{s['to']}: {s['median']}× {s['rounds']} ({verdict} {TARGET_SCALING}×)"
        )
    if "control_scaling" in r:
        c = r["control_scaling"]
        notes.append(f"the machine's own scaling (a CPU-bound loop): {c['median']}× {c['rounds']}")
    for w, o in r["ray_overhead"].items():
        verdict = "meets" if o["median"] <= TARGET_RAY_OVERHEAD else "ABOVE"
        notes.append(
            f"Ray overhead at {w}: {o['median']:+.1%} {o['rounds']} ({verdict} {TARGET_RAY_OVERHEAD:.0%})"
        )
    for w in r.get("writer", []):
        notes.append(
            f"writer ({w['db']}): {w['words_per_s']:,} words/s, {w['statements_per_s']:,} statements/s"
        )
    if r["ray_init_s"] is not None:
        notes.append(f"local Ray started in {r['ray_init_s']} s (once, not timed in the runs)")
    loads = [x["load_before"][0] for x in r["runs"]] + [x["load_after"][0] for x in r["runs"]]
    notes.append(f"1-min load average during the runs: {min(loads)} to {max(loads)}")
    others = [x["others_cores"] for x in r["runs"] if x.get("others_cores") is not None]
    if others:
        notes.append(f"other jobs used {min(others)} to {max(others)} cores during the runs")
    table.caption = " · ".join(notes)
    table.caption_justify = "left"
    return table


if __name__ == "__main__":
    sys.exit(main())
