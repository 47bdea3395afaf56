"""The spaCy component as the README shows it: nlp.add_pipe("saywho") sets doc._.statements."""

from __future__ import annotations

import spacy

from saywho.nlp import default_model_name

TEXT = "“No tax without a vote,” Roe told the paper on Tuesday. She said it could not be “ruled out”."


def test_add_pipe_sets_statements_with_offsets_into_the_doc() -> None:
    nlp = spacy.load(default_model_name())  # a copy of its own: add_pipe must not touch the shared one
    nlp.add_pipe("saywho")  # found through the spacy_factories entry point
    assert nlp.pipe_names[-1] == "saywho"
    doc = nlp.make_doc(TEXT)
    doc._.published = "2024-03-08"
    doc._.article_id = "roe.txt"
    doc = nlp(doc)
    assert isinstance(doc._.statements, list)
    for statement in doc._.statements:
        assert statement.article == "roe.txt"
        for span in statement.spans():
            assert doc.text[span.start : span.end] == span.text
    assert [d._.statements for d in nlp.pipe([TEXT, ""])][1] == []
