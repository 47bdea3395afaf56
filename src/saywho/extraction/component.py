"""saywho as a spaCy pipeline component: ``nlp.add_pipe("saywho")`` sets ``doc._.statements``.

Registered through the ``spacy_factories`` entry point (pyproject.toml), so
any pipeline finds it once saywho is installed. Set ``doc._.published`` (a
date or ISO string) and ``doc._.article_id`` before the component runs to
normalise relative dates and label the statements.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from saywho.extraction.pipeline import as_date
from saywho.records import Statement

for _name, _default in (("statements", None), ("published", None), ("article_id", "-")):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class SaywhoComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from saywho.extraction.build import statements_from_doc

        found: list[Statement] = statements_from_doc(
            doc, published=as_date(doc._.published), article=str(doc._.article_id)
        )
        doc._.statements = found
        return doc


@Language.factory("saywho", requires=["token.dep", "token.lemma", "doc.ents"], assigns=["doc._.statements"])
def make_saywho(nlp: Language, name: str) -> SaywhoComponent:
    return SaywhoComponent(nlp, name)
