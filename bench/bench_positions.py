"""Throughput of relevance and stance, per 1,000 statements.

    python bench/bench_positions.py [ARTICLES.jsonl] [--statements 1000] [--repeat 3] [--json OUT]

The statements are extracted once (untimed) from articles given as jsonl
(``{"id", "text", "published", ...}``; default: the project's own
``tests/data/positions/articles.jsonl`` and ``examples/*.txt``), then cycled
to ``--statements`` items. Each stage is timed on all of them, ``--repeat``
times, and the median reported as seconds per 1,000 statements:

* ``relevance_keywords``: keyword relevance alone;
* ``relevance_embeddings``: keywords plus MiniLM embeddings (onnxruntime);
* ``stance_rules``: the stance rules alone, on every statement;
* ``stance_model``: rules, then the learned model on every statement the rules leave;
* ``chain``: what ``saywho positions`` does after extraction: relevance with
  embeddings, stance (rules + model) on the relevant statements, aggregation;
* with ``--db URL`` (an empty database), ``database``: a new topic reading every
  stored statement (``saywho topic add --db``: reading statements back,
  relevance, stance, writing the rows), on copies of the articles stored
  until there are ``--statements`` statements.

Models are loaded before timing. onnxruntime uses one thread (``SAYWHO_THREADS``). The
stance synonym finder's phrase cache is emptied before each run; cycled statements still
repeat their phrases, so for the cost on new text give articles with at least
``--statements`` distinct statements.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "A new border tax should be introduced"


def load_statements(path: Path | None) -> list:
    from saywho.positions.statements import StatementRecord

    out = []
    for art, sts in load_articles(path):
        for st in sts:
            meta = (art.get("published"), art.get("outlet"), art.get("url"))
            out.append(StatementRecord(st, *meta, article_text=art["text"]))
    return out


def load_articles(path: Path | None) -> list:
    """(article, statements) pairs: the extractor's statements plus positions without speech."""
    from saywho.extraction import Extractor
    from saywho.positions.statements import find_actions

    arts = []
    if path is not None:
        arts = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    else:
        own = ROOT / "tests/data/positions/articles.jsonl"
        arts = [json.loads(x) for x in own.read_text(encoding="utf-8").splitlines()]
        for f in sorted((ROOT / "examples").glob("*.txt")):
            arts.append({"id": f.stem, "text": f.read_text(encoding="utf-8"), "published": "2024-03-08"})
    ex = Extractor()
    items = [(a["text"], a.get("published"), a["id"]) for a in arts]
    return [
        (art, [*sts, *find_actions(art["text"], art["id"], sts)])
        for art, sts in zip(arts, ex.pipe(items), strict=True)
    ]


def database_stage(url: str, path: Path | None, n: int, repeat: int, relevance: object) -> dict:
    """Seconds per 1,000 stored statements for a new topic to read a database (saywho topic add --db):
    copies of the articles (each made distinct by a line at its end) are stored until there are at
    least ``n`` statements, then a new topic is added and brought up to date, ``repeat`` times."""
    from saywho.positions import store as pstore
    from saywho.positions.topics import make_topic
    from saywho.records import Article
    from saywho.store import open_db
    from saywho.store.write import store_article

    pairs = load_articles(path)
    db = open_db(url)
    try:
        stored, copy = 0, 0
        while stored < n:
            for art, sts in pairs:
                pub = art.get("published")
                a = Article(
                    id=f"{art['id']}-{copy}",
                    text=f"{art['text']}\n\n[copy {copy}]",
                    outlet=art.get("outlet"),
                    published=date.fromisoformat(pub[:10]) if pub else None,
                )
                stored += store_article(db, a, sts).statements
            copy += 1
        runs = []
        for i in range(repeat):
            st = pstore.add_topic(db, make_topic(TOPIC, name=f"bench-{i}-{time.time_ns()}"))
            t0 = time.perf_counter()
            pstore.bring_up_to_date(db, [st], relevance=relevance)  # type: ignore[arg-type]
            runs.append(time.perf_counter() - t0)
        return {"statements": stored, "seconds_per_1000": round(statistics.median(runs) * 1000 / stored, 3)}
    finally:
        db.dispose()


def cold() -> None:
    """Forget the phrases the stance synonym finder has embedded, so every run pays for them."""
    from saywho.positions import stance

    finder = stance._finder()
    if finder is not None:
        finder.clear()


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        cold()
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", type=Path, nargs="?")
    ap.add_argument("--statements", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--db",
        help="also time a new topic reading this (empty) corpus database: an SQLite path or postgresql://…",
    )
    args = ap.parse_args(argv)

    from saywho.positions import embed
    from saywho.positions.aggregate import build_positions
    from saywho.positions.relevance import RelevanceModel
    from saywho.positions.stance import classify_many, load_model
    from saywho.positions.statements import classify_records, statement_text
    from saywho.positions.topics import make_topic

    base = load_statements(args.articles)
    if not base:
        raise SystemExit("no statements found")
    recs = [base[i % len(base)] for i in range(args.statements)]
    texts = [statement_text(r.statement, r.article_text) for r in recs]
    topic = make_topic(TOPIC)
    kw = RelevanceModel(use_embeddings=False)
    emb = RelevanceModel(use_embeddings=True) if embed.available() else None
    model = load_model()
    if model is None:
        print("note: no stance model installed; stance_model measures rules alone", file=sys.stderr)
    classify_many(texts[:8], TOPIC)  # warm-up: compile the rules, first onnxruntime runs
    if emb is not None:
        emb.score(texts[:8], topic)

    per_k = 1000 / len(recs)
    figures: dict[str, float | None] = {
        "relevance_keywords": timed(lambda: kw.score(texts, topic), args.repeat) * per_k,
        "relevance_embeddings": (
            timed(lambda: emb.score(texts, topic), args.repeat) * per_k if emb else None
        ),
        "stance_rules": timed(lambda: classify_many(texts, TOPIC, use_model=False), args.repeat) * per_k,
        "stance_model": timed(lambda: classify_many(texts, TOPIC, use_model=True), args.repeat) * per_k,
        "chain": timed(
            lambda: build_positions(topic.name, classify_records(recs, topic, emb or kw)), args.repeat
        )
        * per_k,
    }
    report = {
        "statements": len(recs),
        "distinct_statements": len(base),
        "seconds_per_1000": {k: None if v is None else round(v, 3) for k, v in figures.items()},
        "database": (
            database_stage(args.db, args.articles, args.statements, args.repeat, emb or kw)
            if args.db
            else None
        ),
        "model": model is not None,
        "embeddings": emb is not None,
        "date": date.today().isoformat(),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # 1, 5, 15 min, at the end of the run
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
