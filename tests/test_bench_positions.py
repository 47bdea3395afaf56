"""bench/eval_gwsd.py scoring (on invented rows) and bench/bench_positions.py (timings not asserted)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gwsd_gold_is_the_majority_and_a_tie_is_neutral() -> None:
    ev = load("eval_gwsd")
    assert ev.gold_label(["agrees"] * 5 + ["neutral"] * 3) == "support"
    assert ev.gold_label(["disagrees"] * 4 + ["neutral"] * 3 + ["agrees"]) == "oppose"
    assert ev.gold_label(["agrees"] * 4 + ["disagrees"] * 4) == "neutral"
    assert ev.gold_label(["agrees"] * 3 + ["neutral"] * 3 + ["disagrees"] * 2) == "neutral"
    assert ev.gold_label(["", ""]) == "neutral"


def test_gwsd_scores() -> None:
    ev = load("eval_gwsd")
    s = ev.score(["support", "oppose", "neutral", "neutral"], ["support", "neutral", "neutral", "oppose"])
    assert s["per_class"]["support"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert s["per_class"]["oppose"]["f1"] == 0.0
    assert s["per_class"]["neutral"]["f1"] == 0.5
    assert s["macro_f1"] == 0.5 and s["accuracy"] == 0.5
    assert s["confusion"]["oppose"]["neutral"] == 1


def test_gwsd_runs_saywho_stance_on_a_tsv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = load("eval_gwsd")
    tsv = tmp_path / "mini.tsv"
    head = "\t".join(["sentence", *[f"worker_{i}" for i in range(8)]])
    rows = [
        ("Climate change is a hoax, the senator said.", ["disagrees"] * 8),
        ("Climate change is a grave threat to coastal towns.", ["agrees"] * 8),
        ("The conference opens in Bonn on Monday.", ["neutral"] * 8),
    ]
    tsv.write_text(head + "\n" + "".join("\t".join([s, *w]) + "\n" for s, w in rows), encoding="utf-8")
    out = tmp_path / "r.json"
    ev.main([str(tsv), "--rules-only", "--json", str(out)])
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["sentences"] == 3 and r["macro_f1"] == 1.0
    assert r["command"].endswith("--rules-only")


@pytest.mark.slow
def test_bench_positions_reports_seconds_per_thousand(tmp_path: Path) -> None:
    bench = load("bench_positions")
    out = tmp_path / "b.json"
    db = tmp_path / "bench.db"
    bench.main(["--statements", "40", "--repeat", "1", "--json", str(out), "--db", str(db)])
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["statements"] == 40 and r["distinct_statements"] > 20
    assert r["database"]["statements"] >= 40 and r["database"]["seconds_per_1000"] > 0
    assert len(r["load_average"]) == 3 and r["date"]
    for k in ("relevance_keywords", "stance_rules", "stance_model", "chain"):
        assert r["seconds_per_1000"][k] > 0


def test_own_news_stance_set_is_balanced_and_scored(tmp_path: Path) -> None:
    ev = load("eval_stance_news")
    by_prop = ev.read(ev.DEFAULT)
    assert len(by_prop) == 4
    for rows in by_prop.values():
        labels = [g for _, g in rows]
        assert (labels.count("support"), labels.count("oppose"), labels.count("neutral")) == (6, 6, 8)
    out = tmp_path / "r.json"
    ev.main(["--json", str(out)])
    r = json.loads(out.read_text(encoding="utf-8"))
    assert next(iter(r)) == "rules alone" and len(r) == 2
    for scores in r.values():
        assert sum(scores["predicted"].values()) == 80 and 0.0 <= scores["macro_f1"] <= 1.0


@pytest.mark.parametrize("name", ["stance_problem_dev.tsv", "stance_problem_check.tsv"])
def test_own_problem_stance_sets_are_balanced(name: str) -> None:
    ev = load("eval_stance_news")
    by_prop = ev.read(ev.DEFAULT.parent / name)
    assert len(by_prop) == 4
    for prop, rows in by_prop.items():
        assert " serious " in prop
        labels = [g for _, g in rows]
        assert (labels.count("support"), labels.count("oppose"), labels.count("neutral")) == (10, 6, 14)
    words = " ".join(t.lower() for rows in by_prop.values() for t, _ in rows)
    assert not any(w in words for w in ("climate", "warming", "emission"))  # GWSD's subject stays unseen


def test_a_stance_set_can_point_into_articles_kept_outside(tmp_path: Path) -> None:
    ev = load("eval_stance_news")
    (tmp_path / "pn" / "train" / "text").mkdir(parents=True)
    text = "Intro line.\nThe mayor said the levy is a disaster. Nothing else.\n"
    (tmp_path / "pn" / "train" / "text" / "a1.txt").write_text(text, encoding="utf-8")
    s = text.index("The mayor")
    e = text.index(" Nothing")
    tsv = tmp_path / "set.tsv"
    head = "proposition\tlabel\tarticle\tstart\tend\n"
    tsv.write_text(f"{head}The levy should be kept\toppose\ta1\t{s}\t{e}\n", encoding="utf-8")
    assert ev.read(tsv, tmp_path / "pn") == {"The levy should be kept": [(text[s:e], "oppose")]}
    with pytest.raises(SystemExit):
        ev.read(tsv)


@pytest.mark.parametrize(
    ("name", "n", "props"),
    [
        ("stance_polnear.tsv", 165, 5),
        ("stance_polnear_dev2.tsv", 165, 6),
        ("stance_polnear_check.tsv", 180, 6),
        ("stance_polnear_check2.tsv", 176, 6),
        ("stance_polnear_check3.tsv", 158, 6),
    ],
)
def test_real_news_stance_sets_hold_offsets_not_text(name: str, n: int, props: int) -> None:
    ev = load("eval_stance_news")
    with (ev.DEFAULT.parent / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == n and set(rows[0]) == {"proposition", "label", "article", "start", "end"}
    assert {r["label"] for r in rows} == {"support", "oppose", "neutral"}
    assert all(0 <= int(r["start"]) < int(r["end"]) for r in rows)
    assert len({r["proposition"] for r in rows}) == props
    assert not any("climate" in r["proposition"].lower() for r in rows)


def test_the_real_news_sets_share_no_proposition() -> None:
    ev = load("eval_stance_news")
    props = []
    for name in (
        "stance_polnear.tsv",
        "stance_polnear_dev2.tsv",
        "stance_polnear_check.tsv",
        "stance_polnear_check2.tsv",
        "stance_polnear_check3.tsv",
    ):
        with (ev.DEFAULT.parent / name).open(encoding="utf-8", newline="") as f:
            props.append(
                {r["proposition"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
            )
    assert all(not a & b for i, a in enumerate(props) for b in props[i + 1 :])


def test_several_stance_sets_are_scored_as_one(tmp_path: Path) -> None:
    ev = load("eval_stance_news")
    problem = ev.DEFAULT.parent / "stance_problem_dev.tsv"
    out = tmp_path / "r.json"
    ev.main([str(ev.DEFAULT), str(problem), "--json", str(out)])
    r = json.loads(out.read_text(encoding="utf-8"))
    assert sum(r["rules alone"]["predicted"].values()) == 80 + 120


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("stance_plain.tsv", (6, 6, 4)),
        ("stance_implicit.tsv", (5, 5, 6)),
        ("stance_constructions_check.tsv", (5, 5, 4)),
    ],
)
def test_written_opinion_sets_are_balanced(name: str, counts: tuple[int, int, int]) -> None:
    ev = load("eval_stance_news")
    by_prop = ev.read(ev.DEFAULT.parent / name)
    assert len(by_prop) == 6
    for rows in by_prop.values():
        labels = [g for _, g in rows]
        assert (labels.count("support"), labels.count("oppose"), labels.count("neutral")) == counts
    words = " ".join(t.lower() for rows in by_prop.values() for t, _ in rows)
    assert not any(w in words for w in ("climate", "warming", "emission"))


def test_a_threshold_above_one_leaves_only_the_rules(tmp_path: Path) -> None:
    ev = load("eval_stance_news")
    out = tmp_path / "r.json"
    ev.main(["--min-confidence", "1.01", "--json", str(out)])
    rules, model = json.loads(out.read_text(encoding="utf-8")).values()
    assert model["predicted"] == rules["predicted"] and model["macro_f1"] == rules["macro_f1"]
