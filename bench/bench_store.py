"""The corpus database, measured: ingest throughput, size per 1,000 articles, query latency.

    bench_store.py ingest DIR [--limit N] [--db URL] [--json OUT]
        Ingest DIR's .txt files twice into fresh databases through the real ingest loop: once
        without extraction (reading + storing), once with it (+ spaCy and the rules, actors,
        clusters). Articles/s, words/s, and the database's size per 1,000 articles.

    bench_store.py query [--statements 1000000] [--db URL] [--queries 200] [--json OUT]
        Generate a synthetic database of N statements (bulk insert, same schema, same indexes,
        full-text index maintained by the same triggers / generated columns), then time the
        queries `saywho quotes` runs (saywho.store.read.quotes, 50 rows): by speaker, by date
        range, full text. p50 / p95 / max per kind, after a warm-up.

--db is a SQLite file path (default: a temporary file) or a postgresql:// URL of a database this
benchmark may empty (every saywho table in it is dropped first).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from saywho import EXTRACTOR_VERSION
from saywho.extraction import Extractor
from saywho.ingest.run import Ingest
from saywho.store import Database, open_db, read
from saywho.store.schema import actor_names, actors, articles, metadata, statements

# --- helpers -----------------------------------------------------------------------------------------


def fresh(url: str | None, tmp: Path, name: str) -> tuple[Database, str]:
    """An empty, migrated database: a new SQLite file, or the given PostgreSQL database emptied."""
    if url is None or "://" not in url:
        path = Path(url) if url else tmp / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return open_db(str(path)), str(path)
    db = open_db(url, migrate=False)
    with db.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name} CASCADE"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.dispose()
    return open_db(url), url


def size_bytes(db: Database, where: str) -> int:
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(os.path.getsize(f"{where}{s}") for s in ("", "-wal") if os.path.exists(f"{where}{s}"))


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50_ms": round(1000 * pick(0.50), 2),
        "p95_ms": round(1000 * pick(0.95), 2),
        "max_ms": round(1000 * ordered[-1], 2),
        "n": len(ordered),
    }


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"


# --- ingest ------------------------------------------------------------------------------------------


def bench_ingest(args: argparse.Namespace) -> dict[str, Any]:
    files = sorted(Path(args.dir).glob("*.txt"))[: args.limit]
    if not files:
        raise SystemExit(f"bench_store.py: no .txt files in {args.dir}")
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    print(f"{len(files)} articles, {words:,} words from {args.dir}", file=sys.stderr)
    extractor = Extractor(model=args.model)
    extractor("Warm-up: “Yes,” she said.")  # the pipeline loaded before timing
    out: dict[str, Any] = {"articles": len(files), "words": words, "machine": machine(), "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("store only (--no-extract)", "extract + store"):
            extract = mode.startswith("extract")
            db, where = fresh(args.db, Path(tmp), "ingest")
            empty = size_bytes(db, where)  # the schema alone (PostgreSQL's catalogue: ~7 MB)
            run = Ingest(db, lambda: extractor, extract=extract, batch_size=16)
            t0 = time.perf_counter()
            summary = run.run([str(f) for f in files])
            seconds = time.perf_counter() - t0
            assert summary.new == len(files), summary
            size = size_bytes(db, where) - empty
            t1 = time.perf_counter()
            again = Ingest(db, lambda: extractor, extract=extract).run([str(f) for f in files])
            rerun = time.perf_counter() - t1
            assert again.new == 0 and again.known == len(files)
            db.dispose()
            row = {
                "seconds": round(seconds, 2),
                "articles_per_s": round(len(files) / seconds, 1),
                "words_per_s": round(words / seconds),
                "statements": summary.statements,
                "store_seconds": round(summary.store_seconds, 2),
                "store_share": round(summary.store_seconds / seconds, 3),
                "db_mb": round(size / 1e6, 2),
                "db_mb_per_1000_articles": round(size / 1e6 / len(files) * 1000, 1),
                "rerun_seconds": round(rerun, 2),
            }
            out["runs"][mode] = row
            print(f"{mode:28} {json.dumps(row)}", file=sys.stderr)
    return out


# --- synthetic database and queries ------------------------------------------------------------------

FIRST = "Jane John Anna Luc Marta Tom Piotr Ilse Amira Klaus Sofia Daniel Henrik Ruth Omar Li Ana".split()  # noqa: SIM905
SYLLABLES = "ro ash ko va ber marc het dahl lind ok afor had dad bren ner vi sen tor mal qui zan".split()  # noqa: SIM905
ROLES = ["Finance Minister", "spokesman", "union chief", "mayor", "senator", "chief executive", None, None]
COUNTRIES = ["Ruritania", "Valmont", "Lenna", None, None]
OUTLETS = ["Morning Post", "Herald", "Courier", "Ledger", "Wire", "Gazette", "Times", "Daily"]
START = date(2015, 1, 1)
DAYS = 3650


def _vocabulary(rng: random.Random, n: int = 20000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))))
    return sorted(words)


def generate(db: Database, n_statements: int, seed: int = 7, reuse: bool = False) -> dict[str, Any]:
    """N statements in N/10 articles by N/50 actors (Zipf-like popularity), words Zipf-distributed.

    ``reuse``: the database already holds them (same N, same seed); only the names and words are made.
    """
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    zipf = [1 / (r + 1) for r in range(len(vocab))]
    cum_words = list(_cumsum(zipf))
    n_actors = max(10, n_statements // 50)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n_actors:
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
        name = f"{rng.choice(FIRST)} {last}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    popularity = list(_cumsum([1 / (r + 1) ** 0.8 for r in range(n_actors)]))
    if reuse:
        return {"names": names, "vocab": vocab, "seconds": None}
    now = datetime(2025, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        rows = []
        for i, name in enumerate(names, start=1):
            last = name.split(" ", 1)[1].lower()
            rows.append(
                {"id": i, "name": name, "kind": "person", "surname_key": last, "role": rng.choice(ROLES),
                 "country": rng.choice(COUNTRIES), "n_statements": 0, "created_at": now}
            )  # fmt: skip
        conn.execute(insert(actors), rows)
        conn.execute(
            insert(actor_names),
            [
                {"actor_id": r["id"], "name": r["name"], "norm": r["name"].lower(), "n": 1, "pinned": False,
                 "surname_key": r["surname_key"], "given": r["name"].split()[0].lower()}
                for r in rows
            ],
        )  # fmt: skip
    n_articles = max(1, n_statements // 10)
    sid = 0
    chunk = 2000  # articles per transaction
    for a0 in range(0, n_articles, chunk):
        art_rows, st_rows = [], []
        for aid in range(a0 + 1, min(n_articles, a0 + chunk) + 1):
            published = START + timedelta(days=rng.randrange(DAYS))
            contents = []
            for seq in range(10):
                sid += 1
                words = rng.choices(vocab, cum_weights=cum_words, k=rng.randint(8, 30))
                content = " ".join(words)
                contents.append(content)
                actor_id = bisect.bisect_left(popularity, rng.random() * popularity[-1]) + 1
                said = published - timedelta(days=rng.choice([0, 0, 0, 1, 2, 7]))
                st_rows.append(
                    {"id": sid, "article_id": aid, "seq": seq, "kind": "direct", "content": content,
                     "speaker_name": names[actor_id - 1], "said_on": said, "confidence": 0.9,
                     "actor_id": actor_id, "record": json.dumps({"article": f"a{aid}", "kind": "direct"})}
                )  # fmt: skip
            body = "\n\n".join(contents)
            art_rows.append(
                {"id": aid, "url": f"https://news.example/{aid}", "content_hash": f"{aid:064x}",
                 "label": f"a{aid}", "source_kind": "jsonl", "outlet": rng.choice(OUTLETS),
                 "title": " ".join(rng.choices(vocab, cum_weights=cum_words, k=6)), "published": published,
                 "text": body, "words": len(body.split()), "extractor_version": EXTRACTOR_VERSION,
                 "n_statements": 10, "ingested_at": now}
            )  # fmt: skip
        with db.engine.begin() as conn:
            conn.execute(insert(articles), art_rows)
            conn.execute(insert(statements), st_rows)
        done = min(n_articles, a0 + chunk) * 10
        if done % 100_000 < chunk * 10:
            print(f"  {done:,} statements ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE actors SET n_statements = "
                "(SELECT count(*) FROM statements WHERE actor_id = actors.id)"
            )
        )
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")
            conn.commit()
    return {"names": names, "vocab": vocab, "seconds": round(time.perf_counter() - t0, 1)}


def _cumsum(xs: list[float]) -> list[float]:
    total, out = 0.0, []
    for x in xs:
        total += x
        out.append(total)
    return out


def bench_query(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        if args.reuse:
            db, where = open_db(args.db), args.db
        else:
            db, where = fresh(args.db, Path(tmp), "synthetic")
            print(f"generating {args.statements:,} statements in {db.url}", file=sys.stderr)
        gen = generate(db, args.statements, reuse=args.reuse)
        size = size_bytes(db, where)
        rng = random.Random(11)
        names, vocab = gen["names"], gen["vocab"]
        # Speakers: half from the 100 most quoted, half from all (most have a few dozen statements).
        speakers = [rng.choice(names[:100]) if i % 2 else rng.choice(names) for i in range(args.queries)]
        ranges = []
        for _ in range(args.queries):
            since = START + timedelta(days=rng.randrange(DAYS - 30))
            ranges.append((since, since + timedelta(days=rng.choice([1, 7, 30]))))
        # Words by frequency rank: common (top 100), middling (100-2,000), rare (2,000-20,000).
        words = [
            vocab[rng.randrange(100)] if i % 3 == 0 else vocab[rng.randrange(100, 2000)] if i % 3 == 1
            else vocab[rng.randrange(2000, len(vocab))]
            for i in range(args.queries)
        ]  # fmt: skip
        kinds = {
            "speaker": [read.Filters(speaker=s) for s in speakers],
            "date range": [read.Filters(since=a, until=b) for a, b in ranges],
            "full text": [read.Filters(search=w) for w in words],
            "speaker + full text": [
                read.Filters(speaker=s, search=w) for s, w in zip(speakers, words, strict=True)
            ],
        }
        out: dict[str, Any] = {
            "engine": db.dialect,
            "statements": args.statements,
            "generate_seconds": gen["seconds"],
            "db_mb": round(size / 1e6, 1),
            "machine": machine(),
            "queries": {},
        }
        for kind, filters in kinds.items():
            for f in filters[:20]:  # warm-up: caches as a running web app would have them
                read.quotes(db, f, limit=50)
            samples, found = [], 0
            for f in filters:
                t0 = time.perf_counter()
                rows = read.quotes(db, f, limit=50)
                samples.append(time.perf_counter() - t0)
                found += len(rows)
            out["queries"][kind] = {**percentiles(samples), "mean_rows": round(found / len(filters), 1)}
            print(f"{kind:22} {json.dumps(out['queries'][kind])}", file=sys.stderr)
        db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_ing = sub.add_parser("ingest")
    p_ing.add_argument("dir")
    p_ing.add_argument("--limit", type=int, default=None)
    p_ing.add_argument("--model", default=None)
    p_q = sub.add_parser("query")
    p_q.add_argument("--statements", type=int, default=1_000_000)
    p_q.add_argument("--queries", type=int, default=200)
    p_q.add_argument("--tmp", default=None, help="where the temporary SQLite file goes")
    p_q.add_argument("--reuse", action="store_true", help="--db already holds the synthetic statements")
    for p in (p_ing, p_q):
        p.add_argument("--db", default=None)
        p.add_argument("--json", default=None)
    args = parser.parse_args()
    result = bench_ingest(args) if args.command == "ingest" else bench_query(args)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
