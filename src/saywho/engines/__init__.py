"""Where extraction runs: ``saywho ingest --engine local|ray``.

One code path for the logic, whatever the engine: the ingest process reads
the sources (and skips the articles it already has), sends batches of
*article rows* to workers, and stores (or writes to a Parquet dataset) the
*result rows* that come back, in input order. A worker is a :class:`Worker`:
it loads the extractor once and turns each batch with :func:`extract_rows`.

- ``local`` (:mod:`saywho.engines.local`): ``--workers N`` spawned processes
  on this machine (default: one per core); ``--workers 0`` extracts in the
  ingest process itself.
- ``ray`` (:mod:`saywho.engines.ray_engine`): Ray Data, ``map_batches`` with
  an actor pool of ``--workers`` actors, on a local or an existing cluster.

An article row: ``key`` (its number in the run), ``id`` (label), ``text``,
``published`` (ISO date or None). A result row: ``key``, ``statements`` (a
JSON array of statement records, as ``saywho extract --format jsonl`` prints
them) and ``n`` (how many), or ``error`` (one line), ``fatal`` (the worker has no extractor at
all), ``worker`` (host:pid), ``peak_rss_mb`` (the worker's peak memory) and
``cpu_s`` (the CPU time the worker has used so far).
"""

from __future__ import annotations

import json
import os
import resource
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from saywho.batch import Item, Piper, extract_each

ArticleRow = dict[str, Any]
ResultRow = dict[str, Any]

ENGINES = ("local", "ray")


class Engine(Protocol):
    """Runs :class:`Worker` over batches of article rows; yields result rows in input order."""

    name: str
    workers: int

    def map(self, batches: Iterable[list[ArticleRow]]) -> Iterator[list[ResultRow]]: ...

    def close(self) -> None: ...


class EngineError(RuntimeError):
    """The engine cannot run at all (Ray not installed, cluster unreachable); ``str()`` is one line."""


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ``ru_maxrss`` where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def extract_rows(extractor: Piper, rows: Sequence[ArticleRow]) -> list[ResultRow]:
    """The one function both engines run: a batch of article rows → one result row each, in order.

    The batch goes through one ``extractor.pipe`` call; an article that fails
    costs only itself (:func:`saywho.batch.extract_each`) and comes back with
    its reason.
    """
    items: list[Item] = [(r["text"], r["published"], r["id"]) for r in rows]
    out: list[ResultRow] = []
    for i, result in extract_each(extractor, items):
        row: ResultRow = {"key": rows[i]["key"], "statements": None, "n": 0, "error": None, "fatal": False}
        if isinstance(result, Exception):
            row["error"] = f"extraction failed: {type(result).__name__}: {result}"
        else:
            row["n"] = len(result)
            row["statements"] = json.dumps(
                [st.to_dict() for st in result], ensure_ascii=False, separators=(",", ":")
            )
        out.append(row)
    return out


class Worker:
    """One worker: loads its extractor once, then extracts batch after batch.

    A worker that cannot load a spaCy pipeline answers every batch with
    ``fatal`` rows, so that the ingest process stops with exit code 3 instead
    of recording every article as failed.
    """

    def __init__(
        self,
        model: str | None = None,
        extractor: Callable[[], Piper] | None = None,
        profile: str | None = None,
    ) -> None:
        from saywho.extraction.tagger import ModelMissing
        from saywho.nlp import ModelNotFound

        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.extractor: Piper | None = None
        self.error: str | None = None
        try:
            if extractor is not None:
                self.extractor = extractor()
            else:
                from saywho.extraction import Extractor
                from saywho.positions.statements import WithActions

                # what saywho ingest stores: statements plus positions taken without speech
                self.extractor = WithActions(Extractor(model=model, profile=profile))  # type: ignore[arg-type]
        except (ModelNotFound, ModelMissing) as exc:
            self.error = str(exc).strip().splitlines()[0].rstrip(":")

    def __call__(self, rows: Sequence[ArticleRow]) -> list[ResultRow]:
        if self.extractor is None:
            out = [{"key": r["key"], "statements": None, "error": self.error, "fatal": True} for r in rows]
        else:
            out = extract_rows(self.extractor, rows)
        rss, cpu = peak_rss_mb(), round(time.process_time(), 3)
        for r in out:
            r["worker"] = self.name
            r["peak_rss_mb"] = rss
            r["cpu_s"] = cpu
        return out


def block_sizes(n: int, batch_size: int, workers: int) -> list[int]:
    """Articles per task for the ``n`` left at the end of a run: ``batch_size`` while plenty are left,
    then a share of what is left (guided scheduling: ``ceil(left / (2 × workers))``), down to single
    articles, so that the workers finish together.

    With equal batches of 16, one worker was idle for the last of them: two Ray actors' last tasks ended
    1.2 to 1.8 s apart in a 300-article run (fast profile), two local workers had 2.0 to 2.7 CPU-seconds
    between them at the end of a 200-article run (accurate); a few more small tasks cost ~10 ms each."""
    sizes: list[int] = []
    left = n
    while left > 0:
        size = max(1, min(batch_size, -(-left // (2 * max(1, workers)))))
        sizes.append(size)
        left -= size
    return sizes


def in_blocks(rows: list[ArticleRow], batch_size: int, workers: int) -> Iterator[list[ArticleRow]]:
    """``rows`` cut in :func:`block_sizes`, in order."""
    start = 0
    for size in block_sizes(len(rows), batch_size, workers):
        yield rows[start : start + size]
        start += size


def balanced(batches: Iterable[list[ArticleRow]], workers: int) -> Iterator[list[ArticleRow]]:
    """``batches`` as they come, except the last ``2 × workers`` of them: their rows again,
    :func:`in_blocks` (the engine reads that many batches ahead to know which are the last)."""
    ahead: deque[list[ArticleRow]] = deque()
    for batch in batches:
        ahead.append(batch)
        if len(ahead) > 2 * workers:
            yield ahead.popleft()
    rows = [r for b in ahead for r in b]
    yield from in_blocks(rows, max((len(b) for b in ahead), default=1), workers)


def make_engine(
    name: str,
    *,
    workers: int | None = None,
    model: str | None = None,
    address: str | None = None,
    extractor: Callable[[], Piper] | None = None,
    profile: str | None = None,
) -> Engine:
    """The engine called ``name``: ``local`` (``extractor`` is used in-process with 0 workers) or ``ray``.
    ``profile`` is the span finder every worker loads (``accurate`` or ``fast``; None: the default)."""
    if name == "local":
        from saywho.engines.local import LocalEngine

        n = default_workers() if workers is None else workers
        return LocalEngine(workers=n, model=model, extractor=extractor, profile=profile)
    if name == "ray":
        from saywho.engines.ray_engine import RayEngine

        return RayEngine(workers=workers or default_workers(), model=model, address=address, profile=profile)
    raise ValueError(f"unknown engine {name!r} (choose {', '.join(ENGINES)})")


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
