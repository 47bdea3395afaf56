"""The Ray engine: extraction on a Ray cluster with Ray Data.

The ingest process (the Ray driver) reads the sources as the local engine
does, skipping known articles, and gathers the article rows into windows.
Each window is a dataset (``ray.data.from_items``) mapped by
``map_batches(ExtractorActor, compute=ActorPoolStrategy(size=workers),
num_cpus=1)``: every actor loads the extractor once and runs the same
:class:`saywho.engines.Worker` as a local worker process. The results stream
back to the driver in input order (``iter_batches``), which stores them (or
writes them to a Parquet dataset), so progress, failures and idempotence
are the same on both engines.

Without ``address`` (and without ``$RAY_ADDRESS``), a local Ray instance is
started with as many CPUs as workers (at least the machine's cores);
``address="auto"`` joins the cluster running on this machine,
``"ray://host:10001"`` a remote one through Ray Client. Ray is an optional
dependency: ``pip install 'saywho[ray]'``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from saywho.engines import ArticleRow, EngineError, ResultRow, Worker, default_workers, in_blocks

# Articles per dataset: each window starts its actors (loading the extractor) once, a few seconds against
# about six minutes of extraction per worker (at ~4,000 words/s and ~700 words an article); the window's
# texts wait in the driver's memory (~10 MB per worker).
WINDOW_PER_WORKER = 2048
BATCH_SIZE = 16  # articles per task at most, as the local engine's batches (see block_sizes)


def require_ray() -> None:
    """Raise :class:`EngineError` (one line, how to install it) when Ray Data cannot be imported."""
    _ray()


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise EngineError(
            "--engine ray needs Ray: pip install 'saywho[ray]' (or pip install 'ray[data]')"
        ) from None
    return ray


def _result_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("key", pa.int64()),
            ("statements", pa.large_string()),
            ("n", pa.int64()),
            ("error", pa.string()),
            ("fatal", pa.bool_()),
            ("worker", pa.string()),
            ("peak_rss_mb", pa.float64()),
            ("cpu_s", pa.float64()),
        ]
    )


class ExtractorActor:
    """A Ray Data actor: one :class:`Worker` (the extractor loaded once) over pyarrow batches."""

    def __init__(self, model: str | None = None, profile: str | None = None) -> None:
        self.worker = Worker(model, profile=profile)
        self.schema = _result_schema()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        rows = [row for item in batch.column("rows").to_pylist() for row in json.loads(item)]
        return pa.Table.from_pylist(self.worker(rows), schema=self.schema)


class RayEngine:
    name = "ray"

    def __init__(
        self,
        workers: int,
        model: str | None = None,
        address: str | None = None,
        batch_size: int = BATCH_SIZE,
        window: int | None = None,
        profile: str | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("--engine ray needs at least one worker")
        self.workers = workers
        self.model = model
        self.profile = profile
        self.address = address
        self.batch_size = batch_size
        self.window = window or WINDOW_PER_WORKER * workers
        self._started_here = False

    # --- the cluster ---------------------------------------------------------------------------

    def connect(self) -> None:
        """Join (or start) the Ray cluster, quietly; fails with :class:`EngineError` in one line."""
        ray = _ray()
        _quiet()
        if not ray.is_initialized():
            address = self.address or os.environ.get("RAY_ADDRESS") or None
            if address is None:  # a local instance for this run
                kwargs = local_instance(max(self.workers, default_workers()))
                local_priority()
            else:
                kwargs = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
            try:
                with _stderr_muted():  # Ray's C++ start-up lines; its errors come back as exceptions
                    ray.init(address=address, **kwargs)
            except Exception as exc:  # ConnectionError, RuntimeError, ValueError: all say why
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                where = address or "local"
                raise EngineError(f"cannot start or reach the Ray cluster ({where}): {first}") from None
            self._started_here = True
        cpus = ray.cluster_resources().get("CPU", 0)
        if cpus < self.workers:
            self.close()
            raise EngineError(f"the Ray cluster has {cpus:g} CPUs, fewer than --workers {self.workers}")
        _quiet()  # again: ray.init configured its loggers

    def close(self) -> None:
        """Disconnect from Ray: a local instance this engine started stops, a cluster it joined runs on."""
        if self._started_here:
            import ray

            ray.shutdown()
            self._started_here = False

    # --- extraction ----------------------------------------------------------------------------

    def map(self, batches: Iterable[list[ArticleRow]]) -> Iterator[list[ResultRow]]:
        it = iter(batches)
        window = _take(it, self.window)
        if not window:
            return
        self.connect()
        while window:
            yield from self._window(window)
            window = _take(it, self.window)

    def _window(self, rows: list[ArticleRow]) -> Iterator[list[ResultRow]]:
        """One window through the actor pool. Over Ray Client (``ray://``), where Ray Data cannot run
        its executor, the same pipeline runs in a task on the cluster and the window comes back whole."""
        ray = _ray()
        seen: set[int] = set()
        try:
            if self._client():
                task = ray.remote(num_cpus=0)(_collect)
                out = ray.get(task.remote(rows, self.model, self.workers, self.batch_size, self.profile))
                seen.update(r["key"] for r in out)
                yield out
                return
            for out in _results(rows, self.model, self.workers, self.batch_size, self.profile):
                seen.update(r["key"] for r in out)
                yield out
        except ray.exceptions.RayError as exc:  # workers lost beyond Ray's retries: these articles failed
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            yield [
                {"key": r["key"], "statements": None, "error": f"ray: {first}", "fatal": False}
                for r in rows
                if r["key"] not in seen
            ]
        except Exception as exc:  # Ray Data itself cannot run here: no article is to blame
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise EngineError(f"Ray Data failed: {type(exc).__name__}: {first}") from exc

    @staticmethod
    def _client() -> bool:
        try:
            from ray.util.client import ray as client
        except ImportError:
            return False
        return bool(client.is_connected())


def _results(
    rows: list[ArticleRow], model: str | None, workers: int, batch_size: int, profile: str | None = None
) -> Iterator[list[ResultRow]]:
    """Result rows for ``rows``, in order, as the actor pool produces them."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # stored in input order, as the local engine does
    ctx.enable_progress_bars = False  # saywho shows its own progress
    # One block per task, cut by in_blocks() (full batches, then smaller and smaller ones, so
    # that the actors finish together): each dataset row is one batch of article rows, as JSON, and
    # each block one such row (``batch_size=None``: a block is never split or bundled). Blocks of
    # unequal sizes by from_arrow() cost 1.5 s more to start: it reads each table's metadata in a task.
    items = [{"rows": json.dumps(block)} for block in in_blocks(rows, batch_size, workers)]
    ds = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
        ExtractorActor,
        fn_constructor_kwargs={"model": model, "profile": profile},
        batch_size=None,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    for block in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        yield block.to_pylist()


def _collect(
    rows: list[ArticleRow], model: str | None, workers: int, batch_size: int, profile: str | None = None
) -> list[ResultRow]:
    """:func:`_results` of a whole window, run as a task on the cluster (for Ray Client drivers)."""
    return [r for out in _results(rows, model, workers, batch_size, profile) for r in out]


def _take(batches: Iterator[list[ArticleRow]], n: int) -> list[ArticleRow]:
    rows: list[ArticleRow] = []
    for batch in batches:
        rows.extend(batch)
        if len(rows) >= n:
            break
    return rows


# Ray's bookkeeping that a Ray instance started for one ingest has no use for (no dashboard reads it): the
# metrics every Ray process records, per-handler event statistics, task events sent to the GCS each second.
# Off, Ray's own processes used ~0.5 CPU-second less beside two actors in a 28-second run on two cores (fast
# profile); in the benchmark the gain is within its noise.
LOCAL_SYSTEM_CONFIG: dict[str, Any] = {
    "enable_metrics_collection": False,
    "event_stats": False,
    "task_events_report_interval_ms": 0,
}


def local_instance(cpus: int) -> dict[str, Any]:
    """``ray.init`` arguments for a local Ray instance of ``cpus`` CPUs, quiet and lean (the engine's own,
    also used by the benchmark and the tests so that they measure what ``saywho ingest`` runs)."""
    return {
        "num_cpus": cpus,
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
        "_system_config": dict(LOCAL_SYSTEM_CONFIG),
    }


def local_priority() -> None:
    """Workers of a Ray instance started here run at the ingest's own priority, as local workers do
    (Ray's default lowers theirs by 15, which on a shared machine yields to every other job)."""
    os.environ.setdefault("RAY_worker_niceness", "0")


@contextmanager
def _stderr_muted() -> Iterator[None]:
    """File descriptor 2 to /dev/null for a while (what C++ libraries print bypasses sys.stderr)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _quiet() -> None:
    """Ray's own messages down to errors (its C++ components': fatal ones); saywho reports progress."""
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    for name in ("ray", "ray.data", "ray._private", "ray.util"):
        logging.getLogger(name).setLevel(logging.ERROR)
