"""The local engine: worker processes on this machine, each loading the extractor once.

The ingest process reads the sources and writes the results; ``workers``
spawned processes extract. At most two batches per worker are in flight, so
reading never runs far ahead of extraction (memory stays bounded on an
archive of any size), and results come back in the order they were sent.
A worker process that dies (killed, out of memory) breaks the pool: a new one
starts, the batches that were in flight run again one article at a time, and
only an article that kills its worker again is recorded as failed, with the
reason; the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from saywho.batch import Piper
from saywho.engines import ArticleRow, ResultRow, Worker, balanced

IN_FLIGHT_PER_WORKER = 2

_worker: Worker | None = None


def _start(model: str | None, parent: int, profile: str | None = None) -> None:
    global _worker
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="saywho-parent-watch").start()
    _worker = Worker(model, profile=profile)


def _exit_with(parent: int) -> None:
    """End this worker when the ingest process is gone (killed with -9, it cannot say so itself)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _run(rows: list[ArticleRow]) -> list[ResultRow]:
    assert _worker is not None, "worker process not initialised"
    return _worker(rows)


class LocalEngine:
    """``workers`` processes (0: extract in this process, with ``extractor`` when given)."""

    name = "local"

    def __init__(
        self,
        workers: int,
        model: str | None = None,
        extractor: Callable[[], Piper] | None = None,
        profile: str | None = None,
    ) -> None:
        if workers < 0:
            raise ValueError("workers must be 0 or more")
        self.workers = workers
        self.model = model
        self.profile = profile
        self._extractor = extractor

    def map(self, batches: Iterable[list[ArticleRow]]) -> Iterator[list[ResultRow]]:
        it = iter(batches)
        first = next(it, None)
        if first is None:  # nothing to extract: no pipeline loaded, no process started
            return
        if self.workers == 0:
            worker = Worker(self.model, self._extractor, self.profile)
            yield worker(first)
            for batch in it:
                yield worker(batch)
            return
        yield from self._pooled(first, it)

    def close(self) -> None:
        """Nothing to release: each map() shuts its pool down when it ends."""

    def _pool(self) -> ProcessPoolExecutor:
        one_thread_each()
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),  # never fork a process with threads and sockets
            initializer=_start,
            initargs=(self.model, os.getpid(), self.profile),
        )

    def _pooled(self, first: list[ArticleRow], rest: Iterator[list[ArticleRow]]) -> Iterator[list[ResultRow]]:
        pool = self._pool()
        window: deque[tuple[list[ArticleRow], Future[list[ResultRow]]]] = deque()
        limit = IN_FLIGHT_PER_WORKER * self.workers
        batches = balanced(_chain(first, rest), self.workers)  # small batches last: workers end together
        try:
            while True:
                while len(window) < limit:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    try:
                        window.append((batch, pool.submit(_run, batch)))
                    except BrokenProcessPool:
                        window.append((batch, _broken()))
                if not window:
                    return
                batch, future = window.popleft()
                try:
                    yield future.result()
                except BrokenProcessPool:
                    # A worker died and took the pool down: which article killed it is unknown, so the
                    # batches in flight are run again one article at a time, and only a killer fails.
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
                    for held in [batch, *(b for b, _ in window)]:
                        out, pool = self._one_by_one(held, pool)
                        yield out
                    window.clear()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _one_by_one(
        self, batch: list[ArticleRow], pool: ProcessPoolExecutor
    ) -> tuple[list[ResultRow], ProcessPoolExecutor]:
        out: list[ResultRow] = []
        for row in batch:
            try:
                out.extend(pool.submit(_run, [row]).result())
            except BrokenProcessPool:
                out.extend(_failed([row], "worker process died (killed, or out of memory) on this article"))
                pool.shutdown(wait=False, cancel_futures=True)
                pool = self._pool()
        return out, pool


def one_thread_each() -> None:
    """Worker processes inherit one BLAS/OpenMP thread each, as Ray gives its actors: one worker per core,
    and a second thread in each only contends (spaCy's parse with OpenBLAS's default 2 threads took 20 %
    more CPU and time per article than with 1, on this project's 2-core machine)."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def _chain(first: list[ArticleRow], rest: Iterator[list[ArticleRow]]) -> Iterator[list[ArticleRow]]:
    yield first
    yield from rest


def _broken() -> Future[list[ResultRow]]:
    f: Future[list[ResultRow]] = Future()
    f.set_exception(BrokenProcessPool("the worker pool is broken"))
    return f


def _failed(batch: list[ArticleRow], reason: str) -> list[ResultRow]:
    return [{"key": r["key"], "statements": None, "error": reason, "fatal": False} for r in batch]
