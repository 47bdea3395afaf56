"""The stance training data as propositions (no torch needed: only the data side is tested)."""

from __future__ import annotations

import pytest

from saywho.train.stance import ANTI_X, FROM_DATA, PRO_X, Row, as_propositions


def test_each_row_twice_with_the_propositions_direction() -> None:
    rows = [
        Row("Gun control saves lives.", "gun control", FROM_DATA["favor"], "vast"),
        Row("The tax is theft.", "the wealth tax", FROM_DATA["against"], "vast"),
        Row("My cat sleeps all day.", "school uniforms", FROM_DATA["none"], "vast"),
    ]
    out = as_propositions(rows, seed=1)
    assert len(out) == 6
    pro_forms = {t.format(x="gun control", X="Gun control") for t in PRO_X}
    anti_forms = {t.format(x="gun control", X="Gun control") for t in ANTI_X}
    assert out[0].target in pro_forms and out[1].target in anti_forms
    assert [r.label for r in out] == [0, 1, 1, 0, 2, 2]  # support/oppose swap against X; none stays
    assert [r.text for r in out] == [r.text for r in rows for _ in (0, 1)]
    assert out == as_propositions(rows, seed=1)  # seeded


def test_no_template_names_a_data_topic_or_the_gwsd_wording() -> None:
    for t in PRO_X + ANTI_X:
        assert "{x}" in t or "{X}" in t
        assert "concern" not in t.lower() and "climate" not in t.lower()


def test_narration_skips_sentences_holding_an_attribution(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from saywho.train.news_neutral import narration

    text = (
        "The city council approved the new harbour budget on Monday evening. "
        "Mayor Ann Lee said the harbour plan would create hundreds of jobs in the area. "
        "The budget covers the repair of the northern pier and two new cranes."
    )
    said = text.index("Mayor")
    end = text.index("area.") + len("area.")
    (tmp_path / "train" / "text").mkdir(parents=True)
    (tmp_path / "train" / "attributions").mkdir()
    (tmp_path / "train" / "text" / "a1.txt").write_text(text, encoding="utf-8")
    ann = f"T1\tSource {said} {said + 12}\tMayor Ann Lee\nT2\tCue {said + 13} {said + 17}\tsaid\n"
    ann += f"T3\tContent {said + 18} {end}\tx\nE1\tAttribution:T2 Source:T1 Content:T3\n"
    (tmp_path / "train" / "attributions" / "a1_ann1.ann").write_text(ann, encoding="utf-8")
    rows = narration(tmp_path, "train", seed=3)
    assert rows and len(rows) <= 3
    for sentence, topic in rows:
        assert "Mayor" not in sentence and sentence in text
        assert topic.lower() in sentence.lower() and topic.split()[0].lower() != "the"
    assert narration(tmp_path, "train", seed=3) == rows


def test_incidental_names_another_phrase_than_the_topic() -> None:
    from saywho.train.incidental import incidental

    rows = [
        ("Gun control saves lives, and the article about rural schools misses the point.", "gun control"),
        ("I love it.", "cats"),
    ]
    got = incidental(rows, seed=5)
    assert got[1] is None  # nothing named but a pronoun
    text, phrase = got[0]  # type: ignore[misc]
    assert text == rows[0][0] and phrase.lower() in text.lower()
    assert "gun" not in phrase and "control" not in phrase
    assert incidental(rows, seed=5) == got


def test_templated_rows_fill_a_topic_into_each_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from saywho.train.templated import fill, read_templates, templated

    f = tmp_path / "t.tsv"
    f.write_text(
        "kind\ttemplate\n"
        "neutral\tThe council will discuss {x} on Monday.\n"
        "good\t{x} cut waiting times by a third, the study found.\n"
        "bad\tDoctors warned that {x} was harming patients.\n",
        encoding="utf-8",
    )
    assert fill("{x} cut costs.", "remote work") == "Remote work cut costs."
    rows = templated(["remote work", "rent control"], 400, seed=1, path=f)
    assert len(rows) == 400 and rows == templated(["rent control", "remote work"], 400, seed=1, path=f)
    by_label = {label: [t for t, _, lab in rows if lab == label] for label in ("none", "favor", "against")}
    assert 150 < len(by_label["none"]) < 250  # about half without a position
    mostly = templated(["remote work"], 400, seed=1, neutral_share=0.9, path=f)
    assert sum(lab == "none" for _, _, lab in mostly) > 330
    assert all(t.startswith("The council will discuss ") for t in by_label["none"])
    assert all("waiting times" in t for t in by_label["favor"])
    assert all("harming patients" in t for t in by_label["against"])
    assert all(x in t.lower() for t, x, _ in rows)
    bad = tmp_path / "bad.tsv"
    bad.write_text("kind\ttemplate\nneutral\tNo slot here.\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_templates(bad)


def test_shipped_news_templates() -> None:
    from saywho.train.templated import read_templates

    tpls = read_templates()
    assert {k: len(v) for k, v in tpls.items()} == {"neutral": 60, "good": 60, "bad": 60}
    text = " ".join(t for v in tpls.values() for t in v).lower()
    assert not any(w in text for w in ("climate", "warming", "emission", "carbon"))  # GWSD's subject
    assert all(t.format(x="remote work") for v in tpls.values() for t in v)


def test_a_soup_takes_the_epoch_each_run_would_export(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from saywho.train.stance import chosen

    history = [{"epoch": 1, "macro_f1": 0.61}, {"epoch": 2, "macro_f1": 0.66}, {"epoch": 3, "macro_f1": 0.66}]
    (tmp_path / "history.json").write_text(json.dumps(history), encoding="utf-8")
    assert chosen(tmp_path) == 2  # the best, the first of equals (training keeps the first best)
    history[0]["macro_f1"] = 0.7
    (tmp_path / "history.json").write_text(json.dumps(history), encoding="utf-8")
    assert chosen(tmp_path) == 1


def test_written_rows_are_read_and_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from saywho.train.written import written

    f = tmp_path / "w.tsv"
    f.write_text(
        "topic\tlabel\ttext\n"
        "rent control\tfavor\tTenants' groups said rent control had kept families in their homes.\n"
        "rent control\tnone\tThe council will vote on rent control in March.\n",
        encoding="utf-8",
    )
    assert written(f) == [
        ("Tenants' groups said rent control had kept families in their homes.", "rent control", "favor"),
        ("The council will vote on rent control in March.", "rent control", "none"),
    ]
    for bad in (
        "rent control\tpositive\tA label the data does not have.\n",
        "rent control\tfavor\n",
        "rent control\tagainst\tRent control would do to housing what carbon taxes do to industry.\n",
    ):
        f.write_text("topic\tlabel\ttext\n" + bad, encoding="utf-8")
        with pytest.raises(ValueError):
            written(f)


@pytest.mark.parametrize("name, per", [("WRITTEN", 30), ("IMPLICIT", 12)])
def test_shipped_written_news_sentences(name: str, per: int) -> None:
    import csv
    from collections import Counter
    from pathlib import Path

    from saywho.train import written as w

    rows = w.written(getattr(w, name))
    per_topic = Counter(x for _, x, _ in rows)
    assert len(per_topic) == 48 and set(per_topic.values()) == {per}
    assert set(per_topic) == {x for _, x, _ in w.written()}  # the implicit file keeps the same topics
    third = 48 * per // 3
    assert Counter(label for *_, label in rows) == {"favor": third, "against": third, "none": third}
    assert len({t for t, _, _ in rows}) == len(rows)  # every sentence written once
    if name == "IMPLICIT":
        assert not {t for t, _, _ in rows} & {t for t, _, _ in w.written()}
    # no topic is the subject of an evaluation set's proposition (the sets stay unseen)
    bench = Path(__file__).resolve().parents[1] / "bench" / "data"
    props = {
        r["proposition"].lower()
        for f in bench.glob("stance_*.tsv")
        for r in csv.DictReader(
            f.read_text(encoding="utf-8").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE
        )
    }
    assert props and not any(x.lower() in p for x in per_topic for p in props)


def test_the_cards_commands_give_each_run_its_own_recipe() -> None:
    from saywho.train.stance import _commands

    one = _commands({"seed": 13, "written_rows": 1440})
    assert len(one) == 1 and one[0].endswith("--written --out src/saywho/models/stance")
    assert "--written" not in _commands({"seed": 13})[0]
    # a single run trained in another order says so, and names written files other than the default
    [other] = _commands(
        {"seed": 13, "order_seed": 14, "written_files": ["news_written.tsv", "news_written_implicit.tsv"]}
    )
    assert other.endswith(
        "--written src/saywho/train/data/news_written.tsv src/saywho/train/data/news_written_implicit.tsv"
        " --order-seed 14 --out src/saywho/models/stance"
    )
    soup = _commands(
        {
            "seed": 13,
            "written_rows": 1440,
            "soup": [{"order_seed": 13, "written_rows": 0}, {"order_seed": 13, "written_rows": 1440}],
        }
    )
    first, second, last = soup[1:]
    assert "--written" not in first and "--order-seed" not in first and "--work RUN1 " in first
    assert "--written" in second and "--work RUN2 " in second
    # the soup step reads the runs' data too, so its config describes what they saw
    assert "--templated 3000" in last and "--written --soup RUN1 RUN2 --out" in last
