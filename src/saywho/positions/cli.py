"""``saywho stance``, ``saywho positions`` and ``saywho topic``: where actors stand on propositions.

``register(app)`` adds them to the main typer app. Statements come from the
corpus database (``--db``; topics stored there apply to every stored
statement, see :mod:`saywho.positions.store`), from a jsonl file
(``saywho extract -f jsonl``, optionally with ``published``/``outlet``/``url``
per line) or from articles given as jsonl (``{"id", "text", "published",
"outlet", "url"}``); topics from the database or a TOML/YAML file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from saywho.cli_options import iso_day
from saywho.positions import topics as topics_mod
from saywho.positions.aggregate import build_positions
from saywho.positions.relevance import RelevanceModel
from saywho.positions.stance import classify_many, load_model
from saywho.positions.statements import StatementRecord, classify_records, find_actions
from saywho.records import Position, Topic

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DB = 0, 1, 2, 4
DB_ENV = "SAYWHO_DB"
TOPIC_EXIT_CODES = "Exit codes: 0 done; 1 unreadable input; 2 usage error; 4 the database cannot be opened."
DEFAULT_TOPICS = Path("topics.toml")
READ_BATCH = 256  # lines classified per model call in `saywho stance`

topic_app = typer.Typer(help="Topics: the propositions whose positions saywho tracks.", no_args_is_help=True)


class PosFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    print(f"saywho: {message}", file=sys.stderr)
    return typer.Exit(code)


RulesOnly = Annotated[
    bool, typer.Option("--rules-only", help="Rules alone, without the learned stance model (faster).")
]


# --- saywho stance ---------------------------------------------------------------------------------------


def _lines(stream: TextIO) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= READ_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def stance(
    proposition: Annotated[
        str, typer.Argument(help="The proposition, e.g. 'A new border tax should be introduced'.")
    ],
    input: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help="A text file, one sentence or statement per line (default: stdin).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    keywords: Annotated[
        list[str] | None, typer.Option("--keywords", "-k", help="Other words for the proposition's subject.")
    ] = None,
    rules_only: RulesOnly = False,
) -> None:
    """Classify each line toward PROPOSITION: one JSON object per line (label, confidence, evidence, method).

    label is support, oppose, open (keeps it possible: "did not rule out X") or neutral;
    evidence is {start, end, text} with offsets into the line, or null.
    """
    if not proposition.strip():
        raise typer.BadParameter("the proposition is empty", param_hint="PROPOSITION")
    if not rules_only and load_model() is None:
        print("saywho: no stance model installed; using rules alone", file=sys.stderr)
    kws = tuple(keywords or ())
    stream = input.open(encoding="utf-8") if input else sys.stdin
    try:
        for batch in _lines(stream):
            for s in classify_many(batch, proposition, kws, use_model=not rules_only):
                sys.stdout.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
    except UnicodeDecodeError as exc:
        raise _fail(f"{input or '-'}: not valid UTF-8 ({exc.reason})") from None
    finally:
        if input:
            stream.close()


# --- topics ----------------------------------------------------------------------------------------------

TopicsFile = Annotated[
    Path | None,
    typer.Option(
        "--file", "-t", help="The topic file (TOML or YAML) [default: topics.toml].", dir_okay=False
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The corpus database (a file path or postgresql://…): topics stored there apply to every "
        "stored statement [default: $SAYWHO_DB when set and no --file is given].",
        show_default=False,
    ),
]


def _db_target(db: str | None, file: Path | None) -> str | None:
    """The database a topic command works on, or None for the topic file."""
    if db is not None:
        if file is not None:
            raise typer.BadParameter("give --db or --file, not both", param_hint="--db")
        return db
    return os.environ.get(DB_ENV) or None if file is None else None


def _open_db(db: str, create: bool) -> Any:
    from saywho.store import DatabaseError, open_db

    try:
        return open_db(db, create=create)
    except DatabaseError as exc:
        raise _fail(str(exc), EXIT_DB) from None


def _progress_line(p: Any) -> None:
    print(
        f"saywho: {p.topic}: {p.articles:,} articles, {p.statements:,} statements read, {p.about:,} about it",
        file=sys.stderr,
        flush=True,
    )


def update_topics(database: Any, only: list[Any] | None = None, *, rules_only: bool = False) -> list[Any]:
    """Bring the stored stances of every topic (or ``only``) up to date; progress on stderr."""
    from saywho.positions import store as pstore

    done = pstore.bring_up_to_date(database, only, use_model=not rules_only, on_progress=_progress_line)
    return [p for p in done if p.articles]


def read_topics(path: Path) -> list[Topic]:
    """The topics of a file (none when it does not exist yet)."""
    if not path.exists():
        return []
    try:
        return topics_mod.load_topics(path)
    except (topics_mod.TopicError, OSError, UnicodeDecodeError) as exc:
        raise _fail(str(exc)) from None


def _toml(topics: list[Topic]) -> str:
    # JSON strings are valid TOML basic strings
    parts = []
    for t in topics:
        parts.append(
            "[[topic]]\n"
            f"name = {json.dumps(t.name, ensure_ascii=False)}\n"
            f"proposition = {json.dumps(t.proposition, ensure_ascii=False)}\n"
            f"keywords = [{', '.join(json.dumps(k, ensure_ascii=False) for k in t.keywords)}]\n"
        )
    return "\n".join(parts)


def _store_topics(db: str, new: list[Topic], rules_only: bool) -> None:
    from saywho.positions import store as pstore

    database = _open_db(db, create=True)
    try:
        added = []
        for topic in new:
            try:
                added.append(pstore.add_topic(database, topic))
            except pstore.TopicExists:
                raise _fail(
                    f"{database.url}: a topic named {topic.name!r} exists; choose another --name", EXIT_USAGE
                ) from None
            print(f"added {topic.name}: {topic.proposition}")
        for p in update_topics(database, added, rules_only=rules_only):
            print(f"{p.topic}: {p.about:,} of {p.statements:,} stored statements are about it")
    finally:
        database.dispose()


@topic_app.command("add", epilog=TOPIC_EXIT_CODES)
def topic_add(
    proposition: Annotated[
        str, typer.Argument(help="The proposition, e.g. 'A new border tax should be introduced'.")
    ],
    keywords: Annotated[
        list[str] | None,
        typer.Option("--keywords", "-k", help="Words or phrases that mark a statement as about it."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="A short name (default: from the proposition's words).")
    ] = None,
    file: TopicsFile = None,
    db: DbOption = None,
    rules_only: RulesOnly = False,
) -> None:
    """Add a topic. It applies to every statement, old and new.

    With --db (or $SAYWHO_DB) the topic is stored in the corpus database and every stored statement is
    read for it at once (saywho ingest reads new ones); otherwise it is added to the topic file.
    """
    try:
        topic = topics_mod.make_topic(proposition, keywords or (), name)
    except topics_mod.TopicError as exc:
        raise typer.BadParameter(str(exc), param_hint="PROPOSITION") from None
    target = _db_target(db, file)
    if target is not None:
        _store_topics(target, [topic], rules_only)
        return
    path = file or DEFAULT_TOPICS
    if path.suffix.lower() != ".toml":
        raise typer.BadParameter("topics are added to a .toml file", param_hint="--file")
    existing = read_topics(path)
    if topics_mod.find_topic(existing, topic.name):
        raise _fail(f"{path}: a topic named {topic.name!r} exists; choose another --name", EXIT_USAGE)
    path.write_text(_toml([*existing, topic]), encoding="utf-8")
    print(f"added {topic.name}: {topic.proposition}")


@topic_app.command("import", epilog=TOPIC_EXIT_CODES)
def topic_import(
    source: Annotated[Path, typer.Argument(help="A topic file (TOML or YAML).", exists=True, dir_okay=False)],
    db: DbOption = None,
    rules_only: RulesOnly = False,
) -> None:
    """Store the topics of a TOML/YAML file in the corpus database; every stored statement is read for them.

    A topic whose name is stored already is left as it is.
    """
    target = db or os.environ.get(DB_ENV)
    if not target:
        raise typer.BadParameter("give --db (or set $SAYWHO_DB)", param_hint="--db")
    from saywho.positions import store as pstore

    wanted = read_topics(source)
    database = _open_db(target, create=True)
    try:
        stored = {t.topic.name for t in pstore.list_topics(database)}
    finally:
        database.dispose()
    for t in wanted:
        if t.name in stored:
            print(f"kept {t.name}: stored already")
    _store_topics(target, [t for t in wanted if t.name not in stored], rules_only)


@topic_app.command("remove", epilog=TOPIC_EXIT_CODES)
def topic_remove(
    name: Annotated[str, typer.Argument(help="The topic's name (or its proposition).")],
    file: TopicsFile = None,
    db: DbOption = None,
) -> None:
    """Remove a topic: from the corpus database with its stances (statements stay), or from the topic file."""
    target = _db_target(db, file)
    if target is not None:
        from saywho.positions import store as pstore

        database = _open_db(target, create=False)
        try:
            found = pstore.find_topic(database, name)
            if found is None:
                raise _fail(f"{database.url}: no topic named {name!r}", EXIT_USAGE)
            pstore.remove_topic(database, found.id)
        finally:
            database.dispose()
        print(f"removed {found.topic.name}: {found.topic.proposition}")
        return
    path = file or DEFAULT_TOPICS
    if path.suffix.lower() != ".toml":
        raise typer.BadParameter("topics are removed from a .toml file", param_hint="--file")
    existing = read_topics(path)
    gone = topics_mod.find_topic(existing, name)
    if gone is None:
        raise _fail(f"{path}: no topic named {name!r}", EXIT_USAGE)
    path.write_text(_toml([t for t in existing if t is not gone]), encoding="utf-8")
    print(f"removed {gone.name}: {gone.proposition}")


@topic_app.command("list", epilog=TOPIC_EXIT_CODES)
def topic_list(file: TopicsFile = None, db: DbOption = None) -> None:
    """List the topics: name, tab, proposition, then its keywords in brackets."""
    target = _db_target(db, file)
    if target is not None:
        from saywho.positions import store as pstore

        database = _open_db(target, create=False)
        try:
            found = [t.topic for t in pstore.list_topics(database)]
        finally:
            database.dispose()
    else:
        found = read_topics(file or DEFAULT_TOPICS)
    for t in found:
        kws = f"  [{', '.join(t.keywords)}]" if t.keywords else ""
        print(f"{t.name}\t{t.proposition}{kws}")


# --- saywho positions ------------------------------------------------------------------------------------


def records_from_statements(path: Path) -> list[StatementRecord]:
    """Statement records from ``saywho extract -f jsonl`` output (with optional article metadata)."""
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(StatementRecord.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise _fail(f"{path}:{n}: not a statement record ({type(exc).__name__}: {exc})") from None
    return out


def records_from_articles(path: Path, model: str | None) -> list[StatementRecord]:
    """Extract the statements of articles given as jsonl ({id, text, published, outlet, url})."""
    from saywho.batch import extract_each
    from saywho.extraction import Extractor

    arts = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                pub = date.fromisoformat(str(d["published"])[:10]).isoformat() if d.get("published") else None
                arts.append(
                    (
                        str(d.get("id") or f"{path.name}:{n}"),
                        str(d["text"]),
                        pub,
                        d.get("outlet"),
                        d.get("url"),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise _fail(f"{path}:{n}: not an article record ({type(exc).__name__}: {exc})") from None
    extractor = Extractor(model=model)
    out: list[StatementRecord] = []
    for i, result in extract_each(extractor, [(text, pub, aid) for aid, text, pub, _, _ in arts]):
        aid, text, pub, outlet, url = arts[i]
        if isinstance(result, Exception):
            print(f"saywho: {aid}: extraction failed: {result}", file=sys.stderr)
            continue
        for st in [*result, *find_actions(text, aid, result)]:
            out.append(StatementRecord(st, pub, outlet, url, article_text=text))
    return out


def positions_table(topic: Topic, positions: list[Position], width: int) -> Table:
    t = Table(
        title=f"{topic.name}: {topic.proposition}", box=box.SIMPLE_HEAD, width=width, title_justify="left"
    )
    t.add_column("actor", overflow="fold", ratio=1)
    t.add_column("stance", no_wrap=True)
    t.add_column("n", no_wrap=True, justify="right")
    t.add_column("first\nlast", no_wrap=True)  # two lines: narrow terminals keep room for the evidence
    t.add_column("changes", no_wrap=True)  # "2024-03-12" over "open→oppose"
    t.add_column("evidence", overflow="fold", ratio=2)
    for p in positions:
        changes = "\n".join(f"{c.date or '?'}\n{c.before}→{c.after}" for c in p.changes) or "—"
        ev = p.evidence[0] if p.evidence else None
        words = " ".join(ev.text.split())[:140] if ev else ""
        quoted = words if words[:1] in "“\"'‘" else f"“{words}”"
        evs = f"{quoted} ({ev.outlet or ev.article})" if ev else "—"
        dates = f"{p.first or '—'}\n{p.last or '—'}"
        t.add_row(p.actor, p.stance, str(p.statements), dates, changes, evs)
    return t


def positions(
    topic: Annotated[
        str, typer.Argument(help="A topic's name (in the database or the topic file), or a proposition.")
    ],
    input: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help="Statements as jsonl (saywho extract -f jsonl), with optional "
            "published/outlet/url per line.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles",
            help="Articles as jsonl ({id, text, published, outlet, url}) to extract first.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    file: TopicsFile = None,
    db: DbOption = None,
    keywords: Annotated[
        list[str] | None, typer.Option("--keywords", "-k", help="Keywords, when TOPIC is a proposition.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only statements from this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Only statements up to this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[
        PosFormat, typer.Option("--format", "-f", help="table, or jsonl (one actor per line).")
    ] = (PosFormat.table),
    rules_only: RulesOnly = False,
    no_embeddings: Annotated[
        bool, typer.Option("--no-embeddings", help="Relevance by keywords alone.")
    ] = False,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline for --articles.")] = None,
) -> None:
    """Where each actor stands on TOPIC: stance, distinct statements, first/last dates, evidence, changes.

    Statements come from the corpus database (--db, or $SAYWHO_DB when neither --input nor --articles is
    given; the topic must be stored there: saywho topic add --db), from --input or from --articles.
    """
    since, until = iso_day(since), iso_day(until)
    if input is not None and articles is not None:
        raise typer.BadParameter("give one of --input, --articles or --db", param_hint="--input")
    target = (
        db if db is not None else (os.environ.get(DB_ENV) if input is None and articles is None else None)
    )
    if (input is not None or articles is not None) and db is not None:
        raise typer.BadParameter("give one of --input, --articles or --db", param_hint="--db")
    if input is None and articles is None and not target:
        raise typer.BadParameter(
            "give one of --input (statements), --articles or --db (the corpus database)", param_hint="--input"
        )
    if target:
        t, result = _positions_from_db(target, topic, since, until, rules_only)
    else:
        t = topics_mod.find_topic(read_topics(file or DEFAULT_TOPICS), topic)
        if t is None:
            if len(topic.split()) < 3:
                raise _fail(
                    f"no topic named {topic!r} in {file or DEFAULT_TOPICS}; give its proposition in full "
                    "instead",
                    EXIT_USAGE,
                )
            t = topics_mod.make_topic(topic, keywords or ())
        elif keywords:
            t = Topic(t.name, t.proposition, [*t.keywords, *keywords])
        records = records_from_statements(input) if input else records_from_articles(articles, model)  # type: ignore[arg-type]
        rel = RelevanceModel(use_embeddings=False if no_embeddings else None)
        items = classify_records(records, t, rel, use_model=not rules_only)
        result = build_positions(t.name, items, since, until)
    if fmt is PosFormat.jsonl:
        for p in result:
            sys.stdout.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=False)
        console.print(positions_table(t, result, console.width), highlight=False)
    raise typer.Exit(EXIT_OK)


def _positions_from_db(
    db: str, key: str, since: str | None, until: str | None, rules_only: bool
) -> tuple[Topic, list[Position]]:
    from saywho.positions import store as pstore

    database = _open_db(db, create=False)
    try:
        st = pstore.find_topic(database, key)
        if st is None:
            raise _fail(
                f"{database.url}: no topic {key!r} stored; add it first: saywho topic add PROPOSITION "
                "--name NAME --db …",
                EXIT_USAGE,
            )
        update_topics(database, [st], rules_only=rules_only)  # what was ingested since
        return st.topic, pstore.positions(database, st, since, until)
    finally:
        database.dispose()


def register(app: typer.Typer) -> None:
    """Add ``stance``, ``positions`` and ``topic`` to the ``saywho`` app."""
    app.command("stance")(stance)
    app.command("positions")(positions)
    app.add_typer(topic_app, name="topic")
