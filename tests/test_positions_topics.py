"""Topics from the command line and from TOML/YAML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from saywho.positions.topics import TopicError, find_topic, load_topics, make_topic, slug


def test_make_topic_names_it_from_its_words() -> None:
    t = make_topic("  A new   border tax should be introduced ", ["border tax", " "])
    assert t.name == "border-tax"
    assert t.proposition == "A new border tax should be introduced"
    assert t.keywords == ["border tax"]
    assert make_topic("Western troops in Ruritania", name="troops").name == "troops"
    assert slug("Should the border tax be introduced?") == "border-tax"
    with pytest.raises(TopicError):
        make_topic("   ")


def test_toml_file(tmp_path: Path) -> None:
    f = tmp_path / "topics.toml"
    f.write_text(
        '[[topic]]\nname = "border-tax"\nproposition = "A new border tax should be introduced"\n'
        'keywords = ["border tax", "levy on imports"]\n\n'
        '[[topic]]\nproposition = "Western troops should be sent to Ruritania"\n',
        encoding="utf-8",
    )
    ts = load_topics(f)
    assert [t.name for t in ts] == ["border-tax", "western-troops-sent-ruritania"]
    assert ts[0].keywords == ["border tax", "levy on imports"]
    assert find_topic(ts, "border-tax") is ts[0]
    assert find_topic(ts, "Western troops should be sent to Ruritania") is ts[1]
    assert find_topic(ts, "nothing") is None


def test_yaml_file(tmp_path: Path) -> None:
    f = tmp_path / "topics.yaml"
    f.write_text(
        "topic:\n  - name: troops\n    proposition: Western troops should be sent to Ruritania\n"
        "    keywords: NATO troops\n",
        encoding="utf-8",
    )
    (t,) = load_topics(f)
    assert (t.name, t.keywords) == ("troops", ["NATO troops"])
    bare = tmp_path / "bare.yml"
    bare.write_text("- proposition: A new border tax should be introduced\n", encoding="utf-8")
    assert load_topics(bare)[0].name == "border-tax"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.toml", "[[topic]]\nname = 'x'\n", "no proposition"),
        ("t.toml", "[[topic]\n", "t.toml"),
        ("t.yaml", "topic: [\n", "t.yaml"),
        ("t.yaml", "topic:\n  - proposition: a b c\n    keywords: [1, 2]\n", "keywords"),
        (
            "t.toml",
            "[[topic]]\nname='a'\nproposition='x y z'\n[[topic]]\nname='a'\nproposition='u v w'\n",
            "twice",
        ),
        ("t.txt", "anything", ".toml, .yaml or .yml"),
        ("t.toml", "topic = 3\n", "list of topics"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, name: str, text: str, message: str) -> None:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(TopicError, match=message.replace(".", r"\.")):
        load_topics(f)
