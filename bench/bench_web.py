"""Load test of ``saywho serve``: concurrent clients reading statement and topic pages.

    bench_web.py [--statements 100000] [--clients 200] [--duration 30] [--workers 1] [--think 0]
                 [--client raw|httpx] [--urls 2000] [--db PATH] [--json OUT]

1. A synthetic SQLite database of N statements (bench_store.py's generator: N/10 articles, N/50 actors
   with Zipf-like popularity, ten years of dates), each statement given a full record (its content
   span in its article's text, its speaker), plus --topics topics with stances on 30 % of the
   statements (each actor drifting between support, oppose, open and neutral over time). Kept at
   --db (default build/bench-web-N.db) and reused by later runs with the same N.
2. ``saywho serve`` in a subprocess (uvicorn, --workers processes), nothing else changed.
3. --clients asyncio clients, each with its own keep-alive connection (``--client raw``, the
   default: HTTP/1.1 over asyncio streams, uvloop when installed, ~20 times less CPU per request
   than httpx, which runs with ``--client httpx``), for --duration seconds after a 5 s warm-up:
   every client requests a page, reads the whole body, waits --think seconds, and goes on. Pages,
   in equal shares, drawn from --urls URLs of each kind: an article with its statements
   highlighted (/articles/ID), a speaker's statements (/search?speaker=NAME), a topic's positions,
   chart and evidence (/topics/ID), and the same statements as JSON (/api/statements?speaker=NAME).
4. Reported: requests/s, p50/p95/p99/max latency per page kind and overall, errors (any status
   other than 200, or a failed connection), how many answers came from the server's page cache
   (``x-saywho-cache``: hit, miss, bypass; see saywho.web.cache; ``SAYWHO_PAGE_CACHE_MB=0`` in the
   environment turns it off), the server's resident memory (VmRSS of the server and its workers,
   sampled every 0.5 s: peak and at the end), and the load average before and after (the clients
   share the machine with the server: say so next to the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from sqlalchemy import bindparam, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import START, fresh, generate, percentiles
from saywho.store import Database, open_db
from saywho.store.schema import actors, articles, statements
from saywho.web import data

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("article", "speaker page", "topic", "api statements")
STANCES = ("support", "oppose", "open", "neutral")


# --- the database ------------------------------------------------------------------------------------


def build(db: Database, n: int, n_topics: int, seed: int = 5) -> dict[str, Any]:
    t0 = time.perf_counter()
    generate(db, n)
    print(f"  records and stances ({time.perf_counter() - t0:.0f} s so far)", file=sys.stderr)
    rng = random.Random(seed)
    # Full statement records: the generator stores a stub; the web app shows the record's spans.
    with db.engine.begin() as conn:
        rows = conn.execute(
            select(statements.c.id, statements.c.article_id, statements.c.seq, statements.c.content,
                   statements.c.speaker_name).order_by(statements.c.article_id, statements.c.seq)
        ).all()  # fmt: skip
        updates, offset, current = [], 0, None
        for r in rows:
            if r.article_id != current:
                current, offset = r.article_id, 0
            start, end = offset, offset + len(r.content)
            offset = end + 2  # the generator joins contents with a blank line
            record = {
                "article": f"a{r.article_id}",
                "kind": "direct",
                "content": [{"start": start, "end": end, "text": r.content}],
                "cue": None,
                "speaker": {"start": None, "end": None, "text": None, "name": r.speaker_name},
                "addressee": None,
                "relays": [],
                "date": None,
                "confidence": 0.9,
            }
            updates.append({"sid": r.id, "rec": json.dumps(record)})
        stmt = update(statements).where(statements.c.id == bindparam("sid"))
        conn.execute(stmt.values(record=bindparam("rec")), updates)
    topic_ids = [
        data.add_topic(db, f"topic-{i}", f"Proposition number {i} should pass") for i in range(n_topics)
    ]
    with db.engine.connect() as conn:
        said = conn.execute(select(statements.c.id, statements.c.actor_id, statements.c.said_on)).all()
    by_topic: dict[int, list[tuple[int, str, float]]] = {t: [] for t in topic_ids}
    for sid, actor_id, said_on in said:
        if rng.random() >= 0.3:
            continue
        topic = topic_ids[(actor_id * 7 + rng.randrange(3)) % n_topics]  # each actor has a few topics
        era = (said_on - START).days // 700 if said_on else 0  # its stance drifts every two years or so
        label = STANCES[(actor_id + era + (rng.random() < 0.2)) % 4]
        by_topic[topic].append((sid, label, round(rng.uniform(0.5, 1.0), 2)))
    for topic, rows_ in by_topic.items():
        data.set_stances(db, topic, rows_)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return {"seconds": round(time.perf_counter() - t0, 1), "stances": sum(len(v) for v in by_topic.values())}


def targets(db: Database, rng: random.Random, n: int = 2000) -> dict[str, list[str]]:
    """URLs of each kind, drawn as readers would: popular speakers and topics more often."""
    with db.engine.connect() as conn:
        n_articles = conn.execute(select(articles.c.id).order_by(articles.c.id.desc()).limit(1)).scalar_one()
        names = list(conn.execute(select(actors.c.name).order_by(actors.c.n_statements.desc())).scalars())
    topics, _ = data.topic_list(db, limit=1000)
    weights = [1 / (r + 1) ** 0.8 for r in range(len(names))]
    speakers = rng.choices(names, weights=weights, k=n)
    return {
        "article": [f"/articles/{rng.randint(1, n_articles)}" for _ in range(n)],
        "speaker page": [f"/search?speaker={quote(s)}" for s in speakers],
        "topic": [f"/topics/{rng.choice(topics).id}" for _ in range(n)],
        "api statements": [f"/api/statements?speaker={quote(s)}&limit=20" for s in speakers],
    }


# --- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def family(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def rss_kb(pid: int) -> int:
    """VmRSS of a process and its descendants, in kB."""
    total = 0
    for p in family(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants so far."""
    ticks = 0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# --- the clients -------------------------------------------------------------------------------------


class RawClient:
    """One keep-alive HTTP/1.1 connection, read with asyncio streams: a few tens of microseconds of CPU per
    request, where httpx takes about two milliseconds, CPU that the server on the same two cores then
    lacks. Reads the whole body (Content-Length or chunked); reconnects when the server closes."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.netloc = parts.netloc
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> RawClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, url: str) -> tuple[int, str]:
        if self.writer is None:
            connect = asyncio.open_connection(self.host, self.port)
            self.reader, self.writer = await asyncio.wait_for(connect, 30)
        assert self.reader is not None
        self.writer.write(f"GET {url} HTTP/1.1\r\nHost: {self.netloc}\r\nAccept: */*\r\n\r\n".encode())
        try:
            return await asyncio.wait_for(self._response(self.reader), 30)
        except BaseException:
            self._close()
            raise

    async def _response(self, reader: asyncio.StreamReader) -> tuple[int, str]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            raise ValueError("response without a length")
        if headers.get("connection", "").lower() == "close":
            self._close()
        return status, headers.get("x-saywho-cache", "")


class HttpxClient:
    """The same through httpx (``--client httpx``): what earlier runs used."""

    def __init__(self, base: str) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        self.http = httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0)

    async def __aenter__(self) -> HttpxClient:
        await self.http.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.__aexit__(None, None, None)

    async def get(self, url: str) -> tuple[int, str]:
        r = await self.http.get(url)
        return r.status_code, r.headers.get("x-saywho-cache", "")


async def run_clients(
    base: str, urls: dict[str, list[str]], args: argparse.Namespace, pid: int
) -> dict[str, Any]:
    samples: dict[str, list[float]] = {k: [] for k in KINDS}
    errors: dict[str, int] = {}
    caching: dict[str, int] = {}  # the server's x-saywho-cache header: hit, miss, bypass
    rss: list[int] = []
    state = {"measuring": False, "stop": False}

    async def client(i: int) -> None:
        crng = random.Random(i)
        http = RawClient(base) if args.client == "raw" else HttpxClient(base)
        async with http:
            await asyncio.sleep(crng.random() * 0.5)  # not all at once
            while not state["stop"]:
                kind = KINDS[crng.randrange(len(KINDS))]
                url = crng.choice(urls[kind])
                t0 = time.perf_counter()
                try:
                    status, cache = await http.get(url)
                    ok, why = status == 200, str(status)
                except (OSError, ValueError, asyncio.IncompleteReadError, httpx.HTTPError) as exc:
                    ok, why, cache = False, type(exc).__name__, ""
                took = time.perf_counter() - t0
                if state["measuring"] and not state["stop"]:
                    samples[kind].append(took)
                    if cache:
                        caching[cache] = caching.get(cache, 0) + 1
                    if not ok:
                        errors[f"{kind}: {why}"] = errors.get(f"{kind}: {why}", 0) + 1
                if args.think:
                    await asyncio.sleep(crng.expovariate(1 / args.think))

    async def sample_memory() -> None:
        while not state["stop"]:
            rss.append(rss_kb(pid))
            await asyncio.sleep(0.5)

    tasks = [asyncio.create_task(client(i)) for i in range(args.clients)]
    mem = asyncio.create_task(sample_memory())
    await asyncio.sleep(args.warmup)
    state["measuring"] = True
    t0, cpu0, own0 = time.perf_counter(), cpu_seconds(pid), time.process_time()
    await asyncio.sleep(args.duration)
    state["stop"] = True
    elapsed = time.perf_counter() - t0
    server_cpu, client_cpu = cpu_seconds(pid) - cpu0, time.process_time() - own0
    await asyncio.gather(*tasks, return_exceptions=True)
    mem.cancel()
    every = [x for k in KINDS for x in samples[k]]
    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "overall": percentiles(every)
        | {"p99_ms": round(1000 * sorted(every)[int(0.99 * (len(every) - 1))], 2)},
        "per_kind": {k: percentiles(v) for k, v in samples.items() if v},
        # CPU seconds per second of the run (2.0 = both cores of a 2-core machine), and per request.
        "server_cpu_load": round(server_cpu / elapsed, 2),
        "client_cpu_load": round(client_cpu / elapsed, 2),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(every)), 2),
        "server_cache": caching,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "server_rss_mb": {"peak": round(max(rss) / 1024, 1), "end": round(rss[-1] / 1024, 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a client waits between pages")
    parser.add_argument("--workers", type=int, default=1, help="saywho serve --workers")
    parser.add_argument("--urls", type=int, default=2000, help="URLs drawn per page kind (default 2000)")
    parser.add_argument(
        "--client", choices=("raw", "httpx"), default="raw", help="HTTP client of the load (default raw)"
    )
    parser.add_argument("--db", default=None, help="SQLite file (default build/bench-web-N.db, reused)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    path = Path(args.db or ROOT / "build" / f"bench-web-{args.statements}.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    built = None
    if args.rebuild or not path.exists():
        print(f"building {args.statements:,} statements in {path}", file=sys.stderr)
        db, _ = fresh(str(path), path.parent, path.stem)
        built = build(db, args.statements, args.topics)
        db.dispose()
    db = open_db(str(path), create=False)
    urls = targets(db, random.Random(1), args.urls)
    with db.engine.connect() as conn:
        n = conn.execute(select(statements.c.id).order_by(statements.c.id.desc()).limit(1)).scalar_one()
    db.dispose()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SAYWHO_TOKEN"}
    cmd = [
        sys.executable,
        "-c",
        "from saywho.cli import main; main()",
        "serve",
        "--db",
        str(path),
        "--port",
        str(port),
    ]
    cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/topics?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench_web.py: the server did not start")
            time.sleep(0.2)
        idle_rss = rss_kb(server.pid)
        load_before = os.getloadavg()
        print(
            f"{args.clients} clients for {args.duration:.0f} s on {base} ({n:,} statements)", file=sys.stderr
        )
        try:  # the clients' event loop as the server's: uvloop when it is there
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        except ImportError:
            pass
        result = asyncio.run(run_clients(base, urls, args, server.pid))
        load_after = os.getloadavg()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    out = {
        "date": date.today().isoformat(),
        "statements": n,
        "clients": args.clients,
        "duration_s": args.duration,
        "think_s": args.think,
        "client": args.client,
        "urls_per_kind": args.urls,
        "distinct_urls": {k: len(set(v)) for k, v in urls.items()},
        "page_cache_mb": os.environ.get("SAYWHO_PAGE_CACHE_MB", "64 (default)"),
        "workers": args.workers,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "server_rss_idle_mb": round(idle_rss / 1024, 1),
        "build": built,
        **result,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
