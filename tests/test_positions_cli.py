"""saywho stance, saywho positions and saywho topic, end to end on text written for these tests.

The articles in tests/data/positions/ were written for saywho: five reports from three outlets
over three weeks on a border tax, with every construction of issue 5 and a known position for
each actor (expected.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saywho.cli import app

DATA = Path(__file__).resolve().parent / "data" / "positions"
TAX = "A new border tax should be introduced"


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_stance_one_object_per_line(runner: CliRunner) -> None:
    lines = ["No to the border tax!", "", "Roe did not rule out a border tax.", "The weather was mild."]
    result = runner.invoke(app, ["stance", TAX, "--rules-only"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    got = jsonl(result.stdout)
    assert [g["label"] for g in got] == ["oppose", "neutral", "open", "neutral"]
    assert got[0]["evidence"] == {"start": 0, "end": 20, "text": "No to the border tax"}
    assert got[1]["evidence"] is None
    assert set(got[0]) >= {"label", "confidence", "evidence", "method"}


def test_stance_reads_a_file(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "lines.txt"
    f.write_text("The Liberals voted for the border tax.\r\nThe Greens rejected it.\n", encoding="utf-8")
    result = runner.invoke(app, ["stance", TAX, "--input", str(f), "--rules-only"])
    assert result.exit_code == 0, result.output
    assert [g["label"] for g in jsonl(result.stdout)] == ["support", "oppose"]


def test_stance_refuses_an_empty_proposition(runner: CliRunner) -> None:
    assert runner.invoke(app, ["stance", "  "], input="x\n").exit_code == 2


def check_positions(out: str) -> None:
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))["positions"]
    got = {p["actor"]: p for p in jsonl(out)}
    assert sorted(got) == sorted(expected)
    for actor, want in expected.items():
        p = got[actor]
        assert p["stance"] == want["stance"], (actor, p)
        assert p["statements"] == want["statements"], (actor, p)
        assert (p["first"], p["last"]) == (want["first"], want["last"]), (actor, p)
        assert [[c["date"], c["from"], c["to"]] for c in p["changes"]] == want["changes"], (actor, p)
        if p["stance"] != "neutral":
            assert p["evidence"] and all(e["stance"] == p["stance"] and e["article"] for e in p["evidence"])


@pytest.mark.slow
def test_positions_from_articles_every_position_right(runner: CliRunner) -> None:
    result = runner.invoke(app, ["positions", TAX, "--articles", str(DATA / "articles.jsonl"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    check_positions(result.stdout)


@pytest.mark.slow
def test_positions_rules_only_keywords_only(runner: CliRunner) -> None:
    args = [
        "positions",
        TAX,
        "--articles",
        str(DATA / "articles.jsonl"),
        "-f",
        "jsonl",
        "--rules-only",
        "--no-embeddings",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    check_positions(result.stdout)


@pytest.mark.slow
def test_positions_from_extracted_statements(runner: CliRunner, tmp_path: Path) -> None:
    """The jsonl path: `saywho extract -f jsonl` records with the article's metadata on each line."""
    recs = []
    for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        src = tmp_path / f"{art['id']}.txt"
        src.write_text(art["text"], encoding="utf-8")
        r = runner.invoke(app, ["extract", str(src), "--published", art["published"], "-f", "jsonl"])
        assert r.exit_code == 0
        for st in jsonl(r.stdout):
            recs.append({**st, "published": art["published"], "outlet": art["outlet"], "url": art["url"]})
    f = tmp_path / "statements.jsonl"
    f.write_text("".join(json.dumps(x) + "\n" for x in recs), encoding="utf-8")
    result = runner.invoke(app, ["positions", TAX, "--input", str(f), "-f", "jsonl", "--until", "2024-03-10"])
    assert result.exit_code == 0, result.output
    got = {p["actor"]: p for p in jsonl(result.stdout)}
    # Without the article text, "voted for" (no statement of the extractor's) cannot be seen; the rest can.
    assert got["Jane Roe"]["stance"] == "open" and got["Jane Roe"]["last"] <= "2024-03-10"
    assert got["Tom Ash"]["stance"] == "oppose"
    assert got["Marta Koss"]["stance"] == "support" and got["Marta Koss"]["statements"] == 2
    assert got["Green Party"]["stance"] == "oppose"
    assert "Liberal Party" not in got
    # a table for people
    table = runner.invoke(app, ["positions", TAX, "--input", str(f)])
    assert table.exit_code == 0 and "Marta Koss" in table.stdout and "support" in table.stdout


def test_positions_needs_one_source(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["positions", TAX]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "direct"}\n', encoding="utf-8")
    result = runner.invoke(app, ["positions", TAX, "--input", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.stderr


def test_topic_add_and_list(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "topics.toml"
    r = runner.invoke(app, ["topic", "add", TAX, "--keywords", "levy on imports", "--file", str(f)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        ["topic", "add", "Western troops should be sent to Ruritania", "--name", "troops", "--file", str(f)],
    )
    assert r.exit_code == 0
    assert (
        runner.invoke(
            app, ["topic", "add", "Something else entirely", "--name", "troops", "--file", str(f)]
        ).exit_code
        == 2
    )
    listed = runner.invoke(app, ["topic", "list", "--file", str(f)]).stdout.splitlines()
    assert listed == [
        f"border-tax\t{TAX}  [levy on imports]",
        "troops\tWestern troops should be sent to Ruritania",
    ]
    r = runner.invoke(app, ["topic", "add", "Dockers deserve a rest", "--name", "dockers", "--file", str(f)])
    assert r.exit_code == 0
    assert runner.invoke(app, ["topic", "remove", "dockers", "--file", str(f)]).exit_code == 0
    assert runner.invoke(app, ["topic", "remove", "dockers", "--file", str(f)]).exit_code == 2
    assert runner.invoke(app, ["topic", "list", "--file", str(f)]).stdout.splitlines() == listed
    # a topic is used by its name, and applies to statements already there
    r = runner.invoke(
        app,
        [
            "positions",
            "border-tax",
            "--file",
            str(f),
            "--articles",
            str(DATA / "articles.jsonl"),
            "-f",
            "jsonl",
            "--rules-only",
        ],
    )
    assert r.exit_code == 0 and any(p["actor"] == "Jane Roe" for p in jsonl(r.stdout))
    assert runner.invoke(app, ["positions", "nope", "--file", str(f), "--input", str(f)]).exit_code == 2
