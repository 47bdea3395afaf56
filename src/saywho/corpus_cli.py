"""The corpus commands: ``saywho ingest``, ``quotes``, ``actors``, ``actor``, ``articles``, ``export``,
``merge``, ``split``, ``failures``.

Thin functions over :mod:`saywho.ingest` and :mod:`saywho.store`; registered
on the main app by :func:`register` (kept apart from ``cli.py`` so that
sub-apps added there and here do not collide).
"""

from __future__ import annotations

import json
import shlex
import sys
from contextlib import nullcontext
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from saywho import textio
from saywho.batch import Piper
from saywho.cli_options import DEFAULT_PROFILE_NAME, ProfileOption, day

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_MODEL = 3
EXIT_DB = 4
EXIT_ENGINE = 5

EXIT_CODES = (
    "Exit codes: 0 all sources stored; 1 one or more sources failed (each named on one stderr line and "
    "stored in the failures table; the others were stored); 2 usage error; 3 no spaCy pipeline installed; "
    "4 the database cannot be opened; 5 --engine ray: Ray is not installed, or the cluster cannot be "
    "started or reached."
)
LOAD_EXIT_CODES = (
    "Exit codes: 0 every article stored; 1 the dataset records failed sources (now in the failures "
    "table); 2 usage error (not a saywho dataset); 4 the database cannot be opened."
)
QUERY_EXIT_CODES = (
    "Exit codes: 0 done; 1 nothing by that name; 2 usage error; 4 the database cannot be opened."
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SAYWHO_DB",
        help="Database: a file path (SQLite, created if needed) or postgresql://user:pass@host/db "
        "\\[env: SAYWHO_DB; default ./saywho.db].",
        show_default=False,
        show_envvar=False,
    ),
]


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _say(message: str) -> None:
    print(f"saywho: {message}".replace("\n", "\\n"), file=sys.stderr, flush=True)


def _open(db: str | None, create: bool = False) -> Any:
    from saywho.store import DatabaseError, open_db

    try:
        return open_db(db, create=create)
    except DatabaseError as exc:
        _say(str(exc))
        raise typer.Exit(EXIT_DB) from None


def _extractor(model: str | None, profile: str | None = None) -> Piper:
    from saywho import cli  # at call time: tests replace cli.load_extractor

    return cli.load_extractor(model, profile)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else ("—" if value is None else str(value))


def _trim(text: str | None, limit: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _jsonl(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")


# --- ingest ------------------------------------------------------------------------------------------


def _progress_bar(console: Console) -> Progress:
    """The bar of the long commands (ingest, load), on standard error, gone when done."""
    return Progress(
        SpinnerColumn(),
        BarColumn(bar_width=24),  # a pulse while the number of articles is unknown (feeds, tables, archives)
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=True,
    )


def ingest(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files (.txt .html .jsonl .csv .warc[.gz] .rss/.atom/.xml), folders, http(s) URLs of pages "
            "or RSS/Atom feeds, or - for text on stdin.",
            metavar="SOURCE...",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    reprocess: Annotated[
        bool,
        typer.Option(
            help="Re-extract stored articles whose statements came from another extractor version "
            "(those the sources name; every one when no source is given)."
        ),
    ] = False,
    extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="--no-extract stores articles only.")
    ] = True,
    allow_private: Annotated[
        bool,
        typer.Option(help="Allow fetching from loopback and private network addresses (refused by default)."),
    ] = False,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.", show_default=False),
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="spaCy pipeline name or path.", show_default=False)
    ] = None,
    profile: ProfileOption = DEFAULT_PROFILE_NAME,
    encoding: Annotated[str, typer.Option(help="Encoding of .txt files.")] = textio.DEFAULT_ENCODING,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Refuse files and downloads larger than this many bytes.")
    ] = textio.DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per extraction batch.")] = 16,
    engine: Annotated[
        EngineName,
        typer.Option(
            help="Where extraction runs: local (worker processes on this machine) or ray (a Ray cluster; "
            "pip install 'saywho\\[ray]')."
        ),
    ] = EngineName.local,
    workers: Annotated[
        int | None,
        typer.Option(
            min=0,
            envvar="SAYWHO_WORKERS",
            help="Extraction workers, each loading the pipeline once \\[default: one per core; env: "
            "SAYWHO_WORKERS]. 0 (local engine): extract in the ingest process itself.",
            show_default=False,
            show_envvar=False,
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            help="--engine ray: the cluster to join, auto (the one on this machine) or ray://HOST:10001 "
            "(Ray Client) \\[default: $RAY_ADDRESS, else a Ray instance started for this run].",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write articles, statements and failures to this Parquet dataset (a folder) instead of a "
            "database; saywho load DIR stores it later.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read articles, extract their statements and store both, once each.

    An article already stored (same URL, or same text when it has no URL) is
    skipped, so running the same ingest twice adds nothing. Each article is
    committed on its own: a run that is killed can be run again.
    """
    from saywho.engines import EngineError, make_engine
    from saywho.engines.dataset import DatasetWriter
    from saywho.ingest import SourceError
    from saywho.ingest import sources as sources_mod
    from saywho.ingest.run import Ingest
    from saywho.nlp import ModelNotFound

    given = sources or []
    if not given and not reprocess:
        raise typer.BadParameter("give at least one SOURCE (or --reprocess alone)", param_hint="SOURCE")
    if address is not None and engine is not EngineName.ray:
        raise typer.BadParameter("--address is for --engine ray", param_hint="--address")
    if workers == 0 and engine is EngineName.ray:
        raise typer.BadParameter("--engine ray needs at least one worker", param_hint="--workers")
    if out is not None and reprocess:
        raise typer.BadParameter("--reprocess re-extracts stored articles: it needs --db, not --out")
    if out is not None and out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out}: not a folder", param_hint="--out")
    try:
        sources_mod.check(given)
        textio.check_encoding(encoding)
    except SourceError as exc:
        raise typer.BadParameter(str(exc), param_hint="SOURCE") from None
    except LookupError:
        raise typer.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None
    published_on = day(published)
    if engine is EngineName.ray:
        from saywho.engines.ray_engine import require_ray

        try:
            require_ray()
        except EngineError as exc:
            _say(str(exc))
            raise typer.Exit(EXIT_ENGINE) from None
    database = _open(db, create=True) if out is None else None
    console = Console(stderr=True)
    options = sources_mod.Options(allow_private=allow_private, max_bytes=max_bytes, encoding=encoding)
    bar = _progress_bar(console)
    task = bar.add_task("ingesting", total=sources_mod.count_articles(given))

    def progress(s: Any) -> None:
        bar.update(
            task,
            completed=s.seen,
            description=f"ingesting: {s.seen:,} articles · {s.new:,} new · {s.known:,} known · "
            f"{s.reprocessed:,} re-extracted · {s.failed:,} failed · {s.statements:,} statements",
        )

    from saywho.positions.statements import WithActions

    # positions taken without speech ("voted for the tax") are stored as statements too (issue 5),
    # by this process and by every worker (saywho.engines.Worker wraps its extractor the same way)
    runner = make_engine(
        engine.value,
        workers=workers,
        model=model,
        address=address,
        extractor=lambda: WithActions(_extractor(model, profile.value)),
        profile=profile.value,
    )
    if engine is EngineName.ray:  # a cluster that cannot be reached is said before anything is read
        try:
            runner.connect()  # type: ignore[attr-defined]
        except EngineError as exc:
            if database is not None:
                database.dispose()
            _say(str(exc))
            raise typer.Exit(EXIT_ENGINE) from None
    read: list[Any] = []
    run = Ingest(
        database,
        lambda: WithActions(_extractor(model, profile.value)),
        engine=runner,
        out=DatasetWriter(out) if out is not None else None,
        options=options,
        extract=extract,
        reprocess=reprocess,
        batch_size=batch_size,
        published=published_on,
        on_failure=lambda source, reason: _say(f"{source}: {reason}"),
        on_progress=progress,
        command=shlex.join(["saywho", "ingest", *sys.argv[2:]]) if len(sys.argv) > 1 else "saywho ingest",
    )
    try:
        if console.is_terminal:
            with bar:
                summary = run.run(given)
        else:
            summary = run.run(given)
        if database is not None:
            # every stored topic reads the new statements (and any an interrupted run left unread)
            from saywho.positions.cli import update_topics

            read = update_topics(database)
    except ModelNotFound as exc:  # a worker found no spaCy pipeline
        _say(str(exc).strip().splitlines()[0])
        raise typer.Exit(EXIT_MODEL) from None
    except EngineError as exc:
        _say(str(exc))
        raise typer.Exit(EXIT_ENGINE) from None
    finally:
        if database is not None:
            database.dispose()
    where = f"stored in {database.url}" if database is not None else f"written to {out}"
    print(
        f"{summary.seen:,} articles: {summary.new:,} new, {summary.known:,} already known, "
        f"{summary.reprocessed:,} re-extracted, {summary.failed:,} failed; "
        f"{summary.statements:,} statements {where}"
    )
    for p in read:
        print(f"topic {p.topic}: {p.articles:,} articles read, {p.about:,} statements about it")
    raise typer.Exit(EXIT_INPUT if summary.failed else EXIT_OK)


def load(
    dataset: Annotated[
        Path,
        typer.Argument(
            help="A Parquet dataset written by saywho ingest --out (its folder, or one of its files).",
            metavar="DIR",
            exists=True,
            show_default=False,
        ),
    ],
    db: DbOption = None,
) -> None:
    """Store a dataset written by saywho ingest --out: articles, statements and failures, once each.

    Idempotent as ingest is: articles already stored are left as they are, so a
    dataset can be loaded again, and datasets from several runs or machines
    can be loaded one after the other (or at once, into PostgreSQL).
    """
    from saywho.engines import dataset as dataset_mod

    files = dataset_mod.dataset_files(dataset)
    if not files:
        raise typer.BadParameter(f"{dataset}: no .parquet files", param_hint="DIR")
    try:
        dataset_mod.check(files)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="DIR") from None
    database = _open(db, create=True)
    console = Console(stderr=True)
    bar = _progress_bar(console)
    task = bar.add_task("loading", total=dataset_mod.count_rows(dataset))

    def progress(s: Any) -> None:
        bar.update(
            task,
            completed=s.seen,
            description=f"loading: {s.seen:,} rows · {s.new:,} new · {s.known:,} known · "
            f"{s.failed:,} failures · {s.statements:,} statements",
        )

    command = shlex.join(["saywho", "load", *sys.argv[2:]]) if len(sys.argv) > 1 else "saywho load"
    try:
        with bar if console.is_terminal else nullcontext():
            summary = dataset_mod.load(database, dataset, on_progress=progress, command=command)
        # every stored topic reads the loaded statements, as after saywho ingest
        from saywho.positions.cli import update_topics

        read = update_topics(database)
    finally:
        database.dispose()
    print(
        f"{summary.seen:,} rows: {summary.new:,} new articles, {summary.known:,} already known, "
        f"{summary.failed:,} failures recorded; {summary.statements:,} statements stored in {database.url}"
    )
    for p in read:
        print(f"topic {p.topic}: {p.articles:,} articles read, {p.about:,} statements about it")
    raise typer.Exit(EXIT_INPUT if summary.failed else EXIT_OK)


# --- queries -----------------------------------------------------------------------------------------


def quotes(
    speaker: Annotated[
        str | None,
        typer.Option(
            help="A name, alias, surname (every such person) or actor id (#12).", show_default=False
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Said on or after (YYYY-MM-DD).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Said on or before (YYYY-MM-DD).", show_default=False)
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="The article's outlet.", show_default=False)] = None,
    search: Annotated[
        str | None,
        typer.Option(help='Full-text query: words, "a phrase", a OR b, -word.', show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many statements.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first (paging).")] = 0,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or jsonl.")] = Format.table,
    db: DbOption = None,
) -> None:
    """Statements across the corpus, the most recently said first."""
    from saywho.store import read
    from saywho.store.export import jsonl_record

    f = read.Filters(speaker=speaker, since=day(since), until=day(until), outlet=outlet, search=search)
    database = _open(db)
    rows = read.quotes(database, f, limit=limit, offset=offset)
    if fmt is Format.jsonl:
        for row in rows:
            _jsonl(jsonl_record(row))
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True, caption=f"{len(rows)} statements", caption_justify="left")
    table.add_column("said", no_wrap=True)
    table.add_column("speaker", style="cyan", max_width=22)
    table.add_column("content", ratio=1)
    table.add_column("outlet / article", max_width=28)
    for r in rows:
        who = r["actor_name"] or r["speaker_name"] or "—"
        where = r["article_outlet"] or r["article_title"] or r["article_label"]
        table.add_row(Text(_iso(r["said_on"])), Text(who), Text(_trim(r["content"])), Text(_trim(where, 60)))
    Console().print(table)


def actors(
    name: Annotated[
        str | None, typer.Argument(help="Only actors this name designates.", show_default=False)
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or jsonl.")] = Format.table,
    db: DbOption = None,
) -> None:
    """People and organisations quoted in the corpus, the most quoted first."""
    from saywho.store import read

    database = _open(db)
    rows = read.actor_list(database, name, limit=limit, offset=offset)
    if fmt is Format.jsonl:
        for row in rows:
            _jsonl(row)
        return
    table = Table(box=box.SIMPLE_HEAD, caption=f"{len(rows)} actors", caption_justify="left")
    for col in ("id", "name", "role", "country", "statements", "first seen", "last seen"):
        table.add_column(col, justify="right" if col in ("id", "statements") else "left")
    for r in rows:
        role = ", ".join(x for x in (r["role"], r["org"]) if x) or "—"
        table.add_row(
            f"#{r['id']}",
            Text(r["name"]),
            Text(role),
            Text(r["country"] or "—"),
            f"{r['n_statements']:,}",
            _iso(r["first_seen"]),
            _iso(r["last_seen"]),
        )
    Console().print(table)


def actor(
    name: Annotated[
        str, typer.Argument(help="A name, alias, surname or actor id (#12).", show_default=False)
    ],
    latest: Annotated[int, typer.Option(min=1, help="How many latest statements to show.")] = 10,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table or jsonl (one JSON object).")
    ] = Format.table,
    db: DbOption = None,
) -> None:
    """One actor: names, roles over time, counts, latest statements, most repeated quotes."""
    from saywho.store import read
    from saywho.store.export import jsonl_record

    database = _open(db)
    ids = read.speaker_ids(database, name)
    if not ids:
        _say(f"no actor named {name!r} (see saywho actors)")
        raise typer.Exit(EXIT_INPUT)
    details = [d for d in (read.actor_detail(database, i, latest=latest) for i in ids) if d]
    details.sort(key=lambda d: -d["n_statements"])
    if fmt is Format.jsonl:
        for d in details:
            d["latest"] = [jsonl_record(r) for r in d["latest"]]
            _jsonl(d)
        return
    console = Console()
    if len(details) > 1:
        console.print(f"{len(details)} actors named {name!r}:", highlight=False)
    for d in details:
        _print_actor(console, d)


def _print_actor(console: Console, d: dict[str, Any]) -> None:
    console.print(
        Text.assemble(
            (f"#{d['id']} {d['name']}", "bold"),
            f"  ({d['kind']}) {d['n_statements']:,} statements in {d['articles']:,} articles, "
            f"{_iso(d['first_seen'])} – {_iso(d['last_seen'])}",
        )
    )
    console.print(Text("also named: " + (", ".join(f"{n['name']} ({n['n']})" for n in d["names"]) or "—")))
    roles = Table(title="roles over time", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("role", "organisation", "country", "from", "to", "statements"):
        roles.add_column(col)
    for r in d["roles"]:
        roles.add_row(
            Text(r["role"] or "—"),
            Text(r["org"] or "—"),
            Text(r["country"] or "—"),
            _iso(r["since"]),
            _iso(r["until"]),
            str(r["statements"]),
        )
    if d["roles"]:
        console.print(roles)
    latest = Table(title="latest statements", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    latest.add_column("said", no_wrap=True)
    latest.add_column("content", ratio=1)
    latest.add_column("outlet / article", max_width=28)
    for r in d["latest"]:
        where = r["article_outlet"] or r["article_title"] or r["article_label"]
        latest.add_row(_iso(r["said_on"]), Text(_trim(r["content"])), Text(_trim(where, 60)))
    console.print(latest)
    if d["repeated"]:
        rep = Table(title="most repeated quotes", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
        rep.add_column("first seen", no_wrap=True)
        rep.add_column("quote", ratio=1)
        rep.add_column("articles", justify="right")
        rep.add_column("first in", max_width=28)
        for c in d["repeated"]:
            rep.add_row(
                _iso(c["first_seen"]),
                Text(_trim(c["content"])),
                str(c["n_articles"]),
                Text(_trim(c["first_outlet"] or c["first_article"] or "—", 60)),
            )
        console.print(rep)
    console.print()


def articles(
    since: Annotated[str | None, typer.Option(help="Published on or after.", show_default=False)] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before.", show_default=False)] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.", show_default=False)] = None,
    search: Annotated[
        str | None, typer.Option(help="Full-text query over title and text.", show_default=False)
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="At most this many (default: 50 in a table, all in jsonl).", show_default=False
        ),
    ] = None,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table, or jsonl with the text.")
    ] = Format.table,
    db: DbOption = None,
) -> None:
    """Stored articles, the most recently published first.

    jsonl gives each with its id, url or path, title, outlet, published date and extracted text.
    """
    from saywho.store import read

    database = _open(db)
    f = read.ArticleFilters(since=day(since), until=day(until), outlet=outlet, search=search)
    if fmt is Format.jsonl:
        page = 1000
        done = 0
        while limit is None or done < limit:
            size = page if limit is None else min(page, limit - done)
            rows = read.article_list(database, f, limit=size, offset=offset + done, with_text=True)
            for r in rows:
                _jsonl(
                    {
                        "id": r["id"],
                        "label": r["label"],
                        "url": r["url"],
                        "path": r["path"],
                        "source_id": r["source_id"],
                        "title": r["title"],
                        "outlet": r["outlet"],
                        "author": r["author"],
                        "published": r["published"],
                        "statements": r["n_statements"],
                        "extractor_version": r["extractor_version"],
                        "text": r["text"],
                    }
                )
            done += len(rows)
            if len(rows) < size:
                break
        return
    rows = read.article_list(database, f, limit=limit or 50, offset=offset)
    table = Table(box=box.SIMPLE_HEAD, expand=True, caption=f"{len(rows)} articles", caption_justify="left")
    for col in ("id", "published", "outlet", "title / source", "words", "statements"):
        table.add_column(col, justify="right" if col in ("id", "words", "statements") else "left")
    for r in rows:
        table.add_row(
            str(r["id"]),
            _iso(r["published"]),
            Text(_trim(r["outlet"] or "—", 24)),
            Text(_trim(r["title"] or r["url"] or r["path"] or r["label"], 80)),
            f"{r['words']:,}",
            "—" if r["extractor_version"] is None else str(r["n_statements"]),
        )
    Console().print(table)


def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl, csv or parquet.")
    ] = ExportFormat.jsonl,
    out: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.", show_default=False)
    ] = None,
    speaker: Annotated[str | None, typer.Option(help="As in saywho quotes.", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(show_default=False)] = None,
    until: Annotated[str | None, typer.Option(show_default=False)] = None,
    outlet: Annotated[str | None, typer.Option(show_default=False)] = None,
    search: Annotated[str | None, typer.Option(show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Every statement (or those the filters keep) in the extract record shape, with actor and article."""
    from saywho.store import export as export_mod
    from saywho.store import read

    if fmt is ExportFormat.parquet and out is None and sys.stdout.isatty():
        raise typer.BadParameter("parquet is binary: give --out PATH or redirect standard output")
    database = _open(db)
    f = read.Filters(speaker=speaker, since=day(since), until=day(until), outlet=outlet, search=search)
    n = export_mod.export(read.iter_statements(database, f), fmt.value, out)
    if out is not None:
        _say(f"{n:,} statements written to {out}")


def merge(
    into: Annotated[str, typer.Argument(help="The actor to keep (a name or #id).", show_default=False)],
    others: Annotated[list[str], typer.Argument(help="Actors to fold into it.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Merge actors that are one person: statements, names and quotes go to the first.

    The merged names are pinned to it, so re-extraction and later ingests keep them together.
    """
    from saywho.store import actors as actors_mod

    database = _open(db)
    with database.writer.begin() as conn:
        target = _one_actor(conn, into)
        ids = [_one_actor(conn, o) for o in others]
        moved = actors_mod.merge(conn, target, ids)
    print(f"merged {', '.join(f'#{i}' for i in ids)} into #{target}: {moved:,} statements moved")


def split(
    name: Annotated[str, typer.Argument(help="The actor to split (a name or #id).", show_default=False)],
    alias: Annotated[
        list[str] | None,
        typer.Option(help="Move the statements under this name (repeatable).", show_default=False),
    ] = None,
    article: Annotated[
        list[int] | None,
        typer.Option(help="Move the statements in this article id (repeatable).", show_default=False),
    ] = None,
    new_name: Annotated[
        str | None, typer.Option("--name", help="The new actor's name.", show_default=False)
    ] = None,
    db: DbOption = None,
) -> None:
    """Split an actor that is two people: the chosen statements go to a new actor.

    Choose them by --alias (pinned everywhere) and/or --article (pinned in those
    articles), so re-extraction and later ingests keep the two apart.
    """
    from sqlalchemy import select

    from saywho.store import actors as actors_mod
    from saywho.store.schema import articles as articles_t
    from saywho.store.write import key_of

    if not alias and not article:
        raise typer.BadParameter("give --alias NAME or --article ID (or both)")
    database = _open(db)
    with database.writer.begin() as conn:
        source = _one_actor(conn, name)
        keys = []
        for aid in article or []:
            row = conn.execute(
                select(articles_t.c.url, articles_t.c.content_hash).where(articles_t.c.id == aid)
            ).first()
            if row is None:
                raise typer.BadParameter(f"no article with id {aid}", param_hint="--article")
            keys.append(key_of(row.url, row.content_hash))
        try:
            new_id, moved = actors_mod.split(
                conn, source, names=list(alias or []), article_keys=keys, new_name=new_name
            )
        except actors_mod.ActorNotFound as exc:
            _say(str(exc))
            raise typer.Exit(EXIT_INPUT) from None
    print(f"split #{source}: {moved:,} statements moved to the new actor #{new_id}")


def _one_actor(conn: Any, query: str) -> int:
    from saywho.store import actors as actors_mod

    ids = actors_mod.find(conn, query)
    if not ids:
        _say(f"no actor named {query!r} (see saywho actors)")
        raise typer.Exit(EXIT_INPUT)
    if len(ids) > 1:
        _say(f"{query!r} names {len(ids)} actors ({', '.join(f'#{i}' for i in ids)}): give an #id")
        raise typer.Exit(EXIT_USAGE)
    return ids[0]


def failures(
    limit: Annotated[int, typer.Option(min=1)] = 50,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    db: DbOption = None,
) -> None:
    """Sources that could not be stored, with their reasons, the latest first."""
    from saywho.store import read

    database = _open(db)
    rows = read.failure_list(database, limit=limit)
    if fmt is Format.jsonl:
        for r in rows:
            _jsonl({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()})
        return
    caption = f"{len(rows)} failure{'' if len(rows) == 1 else 's'}"
    table = Table(box=box.SIMPLE_HEAD, expand=True, caption=caption, caption_justify="left")
    table.add_column("run", justify="right")
    table.add_column("source", max_width=50)
    table.add_column("reason", ratio=1)
    for r in rows:
        table.add_row(str(r["run_id"] or "—"), Text(r["source"]), Text(r["reason"]))
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the corpus commands to the ``saywho`` app."""
    app.command(epilog=EXIT_CODES)(ingest)
    app.command(epilog=LOAD_EXIT_CODES)(load)
    app.command(epilog=QUERY_EXIT_CODES)(quotes)
    app.command(epilog=QUERY_EXIT_CODES)(actors)
    app.command(epilog=QUERY_EXIT_CODES)(actor)
    app.command(epilog=QUERY_EXIT_CODES)(articles)
    app.command(epilog=QUERY_EXIT_CODES)(export)
    app.command(epilog=QUERY_EXIT_CODES)(merge)
    app.command(epilog=QUERY_EXIT_CODES)(split)
    app.command(epilog=QUERY_EXIT_CODES)(failures)
