"""saywho as a spaCy pipeline component: ``nlp.add_pipe("saywho")`` sets ``doc._.statements``.

Registered through the ``spacy_factories`` entry point (pyproject.toml), so
any pipeline finds it once saywho is installed. Set ``doc._.published`` (a
date or ISO string) and ``doc._.article_id`` before the component runs to
normalise relative dates and label the statements. The ``profile`` setting
chooses the span finder (see :mod:`saywho.extraction.finders`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from saywho.extraction.finders import DEFAULT_PROFILE, finder
from saywho.extraction.pipeline import as_date
from saywho.records import Statement

for _name, _default in (("statements", None), ("published", None), ("article_id", "-")):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class SaywhoComponent:
    def __init__(self, nlp: Language, name: str, profile: str = DEFAULT_PROFILE) -> None:
        self.name = name
        self.finder = finder(profile)

    def __call__(self, doc: Doc) -> Doc:
        from saywho.extraction.build import statements_from_doc

        found: list[Statement] = statements_from_doc(
            doc, published=as_date(doc._.published), article=str(doc._.article_id), profile=self.finder
        )
        doc._.statements = found
        return doc


@Language.factory(
    "saywho",
    requires=["token.dep", "token.lemma", "doc.ents"],
    assigns=["doc._.statements"],
    default_config={"profile": DEFAULT_PROFILE},
)
def make_saywho(nlp: Language, name: str, profile: str) -> SaywhoComponent:
    """``nlp.add_pipe("saywho", config={"profile": "fast"})`` for the rules alone."""
    return SaywhoComponent(nlp, name, profile)
