from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saywho import __version__
from saywho.cli import app
from support import CONTRACT, QuoteFinder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

GOOD = "The minister was firm. “No tax without a vote,” Roe told the paper on Tuesday.\n"
ODD_QUOTES = "He said “yes. Then ”no” and « maybe. \"Unclosed, 'half’ quote” » ”“\n"
GERMAN = "„Wir werden nicht nachgeben“, sagte die Ministerin am Dienstag in Berlin.\n"


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in lines(text)]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"saywho {__version__}"


def test_extract_help_documents_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for code in ("0 all inputs processed", "1 one or more inputs failed", "2 usage error", "3 no spaCy"):
        assert code in text


def test_jsonl_is_one_contract_object_per_statement(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(GOOD + "“Second,” she said.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "a.txt", "--format", "jsonl", "--published", "2024-03-08"])
    assert result.exit_code == 0, result.stderr
    records = jsonl(result.stdout)
    assert [r["content"][0]["text"] for r in records] == ["“No tax without a vote,”", "“Second,”"]
    text = Path("a.txt").read_text(encoding="utf-8")
    for r in records:
        assert set(r) == CONTRACT
        assert r["article"] == "a.txt"  # the path as given
        span = r["content"][0]
        assert text[span["start"] : span["end"]] == span["text"]


def test_jsonl_from_the_real_extractor_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLES), "-f", "jsonl", "--published", "2024-03-08"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    texts = {str(p): p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.txt")}
    for r in jsonl(result.stdout):
        assert set(r) == CONTRACT and r["article"] in texts
        for span in r["content"]:
            assert texts[r["article"]][span["start"] : span["end"]] == span["text"]


def test_table_names_each_article(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLES), "--published", "2024-03-08"])
    assert result.exit_code == 0, result.stderr
    for name in ("lenna-river-study", "ruritania-border-tax", "valmont-dock-strike"):
        assert name in result.stdout
    assert result.stdout.count("speaker") == 3


def test_table_shows_found_statements(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("[bold]Markup[/bold] is text: “[red]kept[/red]” she said.", encoding="utf-8")
    result = runner.invoke(app, ["extract", "a.txt"])
    assert result.exit_code == 0
    assert "“[red]kept[/red]”" in result.stdout and "1 statement" in result.stdout


def test_directory_recursion_in_sorted_order(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("news/b.txt", "news/a.txt", "news/2024/march/c.txt", "news/readme.md"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(f"“{name}” said X.", encoding="utf-8")
    result = runner.invoke(app, ["extract", "news", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert [r["article"] for r in jsonl(result.stdout)] == [
        "news/2024/march/c.txt",
        "news/a.txt",
        "news/b.txt",
    ]
    assert quote_finder.calls == 1  # one batch for all files


def test_stdin_dash(runner: CliRunner, quote_finder: QuoteFinder) -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "jsonl"], input=GOOD.encode())
    assert result.exit_code == 0
    [record] = jsonl(result.stdout)
    assert record["article"] == "-"
    assert GOOD[record["content"][0]["start"] :].startswith("“No tax")


def test_stdin_dash_with_the_real_extractor(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "-"], input=GOOD.encode())
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout)[0].strip() == "-"


def make_bad_batch(tmp_path: Path) -> dict[str, str]:
    """Good and bad inputs side by side; returns the expected stderr reason per bad name."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "odd_quotes.txt").write_text(ODD_QUOTES, encoding="utf-8")
    (tmp_path / "german.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \t \n")
    (tmp_path / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Le ministre a déclaré «non».".encode("latin-1"))
    with (tmp_path / "huge.txt").open("wb") as fh:  # 20 MB, over the 10 MB default
        fh.write(b"All work and no play makes Jack a dull boy. " * 460_000)
    return {
        "empty.txt": "empty, nothing to extract",
        "blank.txt": "empty, nothing to extract",
        "binary.txt": "binary data",
        "latin1.txt": "not valid UTF-8 at byte 15",
        "huge.txt": "too large",
    }


BATCH = [
    "good.txt",
    "empty.txt",
    "binary.txt",
    "odd_quotes.txt",
    "latin1.txt",
    "blank.txt",
    "huge.txt",
    "german.txt",
]


def check_stderr(stderr: str, expected: dict[str, str]) -> None:
    got = lines(stderr)
    assert len(got) == len(expected), stderr
    for line, (name, reason) in zip(got, expected.items(), strict=True):
        assert line.startswith(f"saywho: {name}: {reason}"), line


def test_bad_inputs_fail_alone_and_the_rest_is_processed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = make_bad_batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert Path("huge.txt").stat().st_size > 20_000_000
    result = runner.invoke(app, ["extract", *BATCH])
    assert result.exit_code == 1
    check_stderr(result.stderr, {n: expected[n] for n in BATCH if n in expected})
    titles = [line.strip() for line in lines(result.stdout) if line.strip().endswith(".txt")]
    assert titles == ["good.txt", "odd_quotes.txt", "german.txt"]


def test_bad_inputs_with_jsonl_still_print_the_good_ones(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_bad_batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", *BATCH, "-f", "jsonl"])
    assert result.exit_code == 1
    assert {r["article"] for r in jsonl(result.stdout)} == {"good.txt", "odd_quotes.txt"}


def test_only_notes_is_success(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty.txt").write_bytes(b"")
    Path("nothing").mkdir()
    result = runner.invoke(app, ["extract", "nothing", "empty.txt"])
    assert result.exit_code == 0
    check_stderr(
        result.stderr,
        {"nothing": "no .txt files in this directory", "empty.txt": "empty, nothing to extract"},
    )


def test_encoding_and_max_bytes_options(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("latin1.txt").write_bytes("Le ministre a déclaré «non».".encode("latin-1"))
    assert runner.invoke(app, ["extract", "latin1.txt", "--encoding", "latin-1"]).exit_code == 0
    result = runner.invoke(app, ["extract", "latin1.txt", "--encoding", "latin-1", "--max-bytes", "10"])
    assert result.exit_code == 1
    check_stderr(result.stderr, {"latin1.txt": "too large: 28 bytes, the limit is 10"})


def test_extraction_failure_costs_only_its_article(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("1.txt").write_text("“One,” she said.", encoding="utf-8")
    Path("2.txt").write_text("“Two” EXPLODE", encoding="utf-8")
    Path("3.txt").write_text("“Three,” he said.", encoding="utf-8")
    result = runner.invoke(app, ["extract", "1.txt", "2.txt", "3.txt", "-f", "jsonl"])
    assert result.exit_code == 1
    assert [r["article"] for r in jsonl(result.stdout)] == ["1.txt", "3.txt"]
    check_stderr(result.stderr, {"2.txt": "extraction failed: RuntimeError: rule crashed"})


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "no/such/file.txt"],
        ["extract", "EXAMPLES", "--published", "08/03/2024"],
        ["extract", "EXAMPLES", "--format", "xml"],
        ["extract", "EXAMPLES", "--encoding", "klingon"],
        ["extract", "-", "-"],
        ["extract"],
    ],
)
def test_usage_errors_exit_2_and_process_nothing(
    runner: CliRunner, quote_finder: QuoteFinder, args: list[str]
) -> None:
    args = [str(EXAMPLES) if a == "EXAMPLES" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert quote_finder.calls == 0


@pytest.mark.parametrize("how", ["env", "option"])
def test_missing_spacy_pipeline_exits_3(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    args = ["extract", str(EXAMPLES)]
    if how == "env":
        monkeypatch.setenv("SAYWHO_MODEL", "no_such_spacy_pipeline")
    else:
        args += ["--model", "no_such_spacy_pipeline"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    [line] = lines(result.stderr)
    assert line.startswith("saywho: cannot load spaCy pipeline 'no_such_spacy_pipeline'")
    assert result.stdout == ""


# --- saywho eval polnear, on a PolNeAR-shaped folder the test writes --------------------------

ARTICLE = "Roe said the tax was dead. “No vote, no tax,” she told the paper.\n"


def at(s: str) -> str:
    i = ARTICLE.index(s)
    return f"{i} {i + len(s)}"


ANN = "\n".join(
    [
        f"T1\tSource {at('Roe')}\tRoe",
        f"T2\tCue {at('said')}\tsaid",
        f"T3\tContent {at('the tax was dead')}\tthe tax was dead",
        "E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3",
        f"T4\tSource {at('she')}\tshe",
        f"T5\tCue {at('told')}\ttold",
        f"T6\tContent {at('“No vote, no tax,”')}\t“No vote, no tax,”",
        "E2\tAttribution:T5 Cue:T5 Source:T4 Content:T6",
    ]
)


def polnear_folder(root: Path) -> Path:
    for split in ("dev", "test"):
        for name in ("a", "b"):
            (root / split / "text").mkdir(parents=True, exist_ok=True)
            (root / split / "attributions").mkdir(parents=True, exist_ok=True)
            (root / split / "text" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
            (root / split / "attributions" / f"{name}_x1.ann").write_text(ANN, encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ndev\ta\t2016-09-12\ndev\tb\t2016-09-13\n", encoding="utf-8"
    )
    return root


class GoldEcho(QuoteFinder):
    """Finds exactly the fixture's two attributions, so every score is 100."""

    def pipe(self, items):  # type: ignore[no-untyped-def]
        from saywho.records import Span, Speaker, Statement

        def span(text: str, s: str) -> Span:
            i = text.index(s)
            return Span(i, i + len(s), s)

        self.calls += 1
        for text, published, article in items:
            assert published in ("2016-09-12", "2016-09-13")
            out = []
            for who, cue, content in (
                ("Roe", "said", "the tax was dead"),
                ("she", "told", "“No vote, no tax,”"),
            ):
                sp = span(text, who)
                out.append(
                    Statement(
                        article=article,
                        kind="indirect",
                        content=[span(text, content)],
                        cue=span(text, cue),
                        speaker=Speaker(sp.start, sp.end, sp.text),
                    )
                )
            yield out


def test_eval_polnear_scores_per_role(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("saywho.cli.load_extractor", lambda model, profile=None: GoldEcho())
    root = polnear_folder(tmp_path)
    result = runner.invoke(app, ["eval", "polnear", str(root), "--format", "json", "--limit", "1"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["split"], report["articles"], report["gold_attributions"]) == ("dev", 1, 2)
    assert {(s["match"], s["role"]): s["f1"] for s in report["scores"]} == {
        (m, r): 100.0
        for m, r in [
            *[("exact", r) for r in ("source", "cue", "content")],
            *[("token", r) for r in ("source", "cue", "content")],
            ("exact", "joint"),
        ]
    }


def test_eval_polnear_table_with_the_real_extractor(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(polnear_folder(tmp_path))])
    assert result.exit_code == 0, result.stderr
    assert "PolNeAR dev: 2 articles, 4 gold attributions" in " ".join(result.stdout.split())
    for role in ("source", "cue", "content", "joint"):
        assert role in result.stdout


def test_eval_refuses_the_test_split(runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(polnear_folder(tmp_path)), "--split", "test"])
    assert result.exit_code == 2
    assert "held out" in result.stderr and result.stdout == ""
    assert quote_finder.calls == 0


def test_eval_on_a_folder_that_is_not_polnear(
    runner: CliRunner, quote_finder: QuoteFinder, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 1
    [line] = lines(result.stderr)
    assert line.startswith(f"saywho: {tmp_path}: no PolNeAR split")
