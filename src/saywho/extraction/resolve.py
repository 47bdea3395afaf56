"""Who a speaker mention is: names, surnames, pronouns and titles resolved within one article.

No coreference model is available offline, so resolution is rules over the
parse, the entities and discourse order:

* every PERSON entity of two or more name words introduces a person; a bare
  surname (whatever spaCy labelled it, or if it labelled it at all) resolves
  to the most recently introduced person with that surname;
* "he"/"she" resolve to the most recent compatible person mentioned before,
  preferring subjects of the sentences just before (the discourse topic);
  a person's gender is learned from honorifics, gendered titles and earlier
  pronouns;
* "the minister" resolves to the most recent person whose title has that head;
* relative pronouns ("who said") resolve to the noun they modify.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from saywho.extraction import gazetteer

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_PLURAL = frozenset({"they", "them", "their", "we", "us", "our"})
_RELATIVE = frozenset({"who", "whom", "whose", "which", "that"})
# Look this far back (in characters) for a pronoun's antecedent.
_WINDOW = 1500


@dataclass(slots=True)
class Person:
    name: str
    surname: str
    first: str | None = None
    gender: str | None = None
    titles: list[tuple[int, str]] = field(default_factory=list)  # (char offset, title words)
    countries: list[tuple[int, str]] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)

    def title_at(self, char: int) -> str | None:
        return _latest(self.titles, char)

    def country_at(self, char: int) -> str | None:
        return _latest(self.countries, char)

    def org_at(self, char: int) -> str | None:
        return _latest(self.orgs, char)


def _latest(items: list[tuple[int, str]], char: int) -> str | None:
    """The value stated last before ``char``, else the first stated after it."""
    before = [v for c, v in items if c <= char]
    if before:
        return before[-1]
    return items[0][1] if items else None


@dataclass(slots=True)
class Resolution:
    name: str | None
    person: Person | None = None


def _name_tokens(span: Span) -> list[Token]:
    """The name words of a PERSON entity: honorifics, titles and possessives stripped."""
    toks = [t for t in span if t.pos_ != "PART" and t.text not in ("'s", "’s", "'", "’")]
    while toks and (
        gazetteer.gender_of_title(toks[0].text)
        or gazetteer.is_role_word(toks[0].text)
        # "Injecting Clinton": the tagger's sentence-initial participles are no first names
        or toks[0].tag_ in ("VBG", "VBN", "VBD")
        or toks[0].pos_ in ("DET", "PRON", "ADP")
    ):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    # a name is written with capitals ("rampant xenophobe" is no one); "de", "van", "bin" may sit inside
    if not toks or not toks[0].text[:1].isupper() or not toks[-1].text[:1].isupper():
        return []
    return toks


class Resolver:
    """Speaker resolution for one article."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: list[Person] = []
        self._by_surname: dict[str, list[Person]] = {}
        # (char offset, person, is_subject), in text order
        self.mentions: list[tuple[int, Person, bool]] = []
        self._collect()

    # ------------------------------------------------------------ people

    def _person_for(self, toks: list[Token], at: int) -> Person:
        words = [t.text for t in toks]
        surname = words[-1]
        first = words[0] if len(words) > 1 else None
        for p in reversed(self._by_surname.get(surname.lower(), [])):
            if first is None or p.first is None or p.first.lower() == first.lower():
                if first is not None and p.first is None:
                    p.first, p.name = first, " ".join(words)  # a fuller name than the first seen
                return p
        p = Person(" ".join(words), surname, first)
        self.people.append(p)
        self._by_surname.setdefault(surname.lower(), []).append(p)
        return p

    def _collect(self) -> None:
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            toks = _name_tokens(ent)
            if not toks or not any(t.is_alpha for t in toks):
                continue
            namesakes = self._by_surname.get(toks[0].lower_, []) if len(toks) == 1 else []
            if len(toks) == 1 and not namesakes:
                # a lone name not yet introduced: a person known by one name
                p = self._person_for(toks, ent.start_char)
            else:
                p = self._person_for(toks, ent.start_char) if len(toks) > 1 else self._surname(toks[0].text)
            if p is None:
                continue
            # "President Obama" after Barack and Michelle Obama: which one is not known, so the
            # title is not given to the latest namesake
            if len(namesakes) < 2:
                self._describe(p, ent)
            self.mentions.append((ent.start_char, p, ent.root.dep_ in ("nsubj", "nsubjpass")))
        # bare surnames spaCy did not label as a PERSON
        labelled = {t.i for e in doc.ents if e.label_ == "PERSON" for t in e}
        for t in doc:
            if t.i in labelled or t.pos_ != "PROPN" or not t.is_title:
                continue
            p = self._surname(t.text)
            if p is not None and (t.i + 1 >= len(doc) or doc[t.i + 1].pos_ != "PROPN"):
                self.mentions.append((t.idx, p, t.dep_ in ("nsubj", "nsubjpass")))
        self.mentions.sort(key=lambda m: m[0])
        self._mention_starts = [m[0] for m in self.mentions]

    def _surname(self, word: str) -> Person | None:
        found = self._by_surname.get(word.lower())
        return found[-1] if found else None

    def _describe(self, p: Person, ent: Span) -> None:
        """Learn title, gender and country from the words around a name."""
        doc = self.doc
        # "Mr. Tom Ash": the honorific may sit just outside the entity
        before = [doc[ent.start - 1]] if ent.start > 0 else []
        for t in [*before, *ent]:
            g = gazetteer.gender_of_title(t.text)
            if g and p.gender is None:
                p.gender = g
        # premodifiers: "Ruritanian Finance Minister Jane Roe", "Norway's foreign minister"
        i = ent.start - 1
        title: list[Token] = []
        while i >= 0 and doc[i].pos_ in ("PROPN", "NOUN", "ADJ") and doc[i].ent_type_ not in ("PERSON",):
            t = doc[i]
            country = gazetteer.country_of(t.text, guess=t.ent_type_ == "NORP")
            if country and not title:
                p.countries.append((ent.start_char, country))
                break
            title.insert(0, t)
            i -= 1
        if i >= 0 and doc[i].tag_ == "POS" and i >= 1:
            country = gazetteer.country_of(doc[i - 1].text)
            if country:
                p.countries.append((ent.start_char, country))
        if title and any(gazetteer.is_role_word(t.text) for t in title):
            # keep from the first role-ish word: "the daily" is not part of a title
            while title and title[0].pos_ == "ADJ" and gazetteer.country_of(title[0].text, guess=True):
                p.countries.append((ent.start_char, gazetteer.country_of(title[0].text, guess=True) or ""))
                title = title[1:]
            if title:
                p.titles.append((ent.start_char, " ".join(t.text for t in title)))
                g = next(
                    (gazetteer.gender_of_title(t.text) for t in title if gazetteer.gender_of_title(t.text)),
                    None,
                )
                if g and p.gender is None:
                    p.gender = g
        for t in ent:  # titles inside the entity: "President Jane Roe"
            if gazetteer.is_role_word(t.text) and t.i < ent.root.i and not p.titles:
                p.titles.append((ent.start_char, " ".join(x.text for x in ent if x.i <= t.i)))
        self._apposition(p, ent)
        self._titled_by_head(p, ent)

    def _titled_by_head(self, p: Person, ent: Span) -> None:
        """ "The harbour authority's director, Anna Berg": the name is in apposition to its title."""
        root = ent.root
        head = root.head
        if root.dep_ != "appos" or head.i >= root.i or not gazetteer.is_role_word(head.text):
            return
        words = [t for t in head.lefts if t.dep_ in ("compound", "amod")] + [head]
        p.titles.append((ent.start_char, " ".join(t.text for t in words)))
        # "Roe's spokesman": a person's spokesman has no organisation of that name
        owner = next(
            (
                c
                for c in head.children
                if c.dep_ == "poss"
                and c.pos_ != "PRON"
                and c.ent_type_ != "PERSON"
                and not self._surname(c.text)
            ),
            None,
        )
        if owner is not None:
            phrase = self.doc[owner.left_edge.i : owner.i + 1].text
            country = gazetteer.country_of(phrase) if owner.ent_type_ in ("GPE", "NORP") else None
            if country:
                p.countries.append((ent.start_char, country))
            else:
                p.orgs.append((ent.start_char, phrase[4:] if phrase.lower().startswith("the ") else phrase))

    def _apposition(self, p: Person, ent: Span) -> None:
        """ "Jane Roe, the finance minister of Ruritania," / "Roe, a spokeswoman for the ministry" """
        head = ent.root
        for c in head.children:
            if c.dep_ != "appos" or c.i < head.i:
                continue
            words = [t for t in c.subtree if t.i <= c.i and t.dep_ not in ("det", "punct", "poss", "case")]
            if not any(gazetteer.is_role_word(t.text) for t in words):
                continue
            title_toks = []
            for t in words:
                country = (
                    gazetteer.country_of(t.text, guess=t.ent_type_ == "NORP") if t.pos_ != "NOUN" else None
                )
                if country:
                    p.countries.append((ent.start_char, country))
                else:
                    title_toks.append(t)
            if title_toks:
                p.titles.append((ent.start_char, " ".join(t.text for t in title_toks)))
            for prep in c.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "at", "with", "from"):
                    continue
                pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                phrase = self.doc[pobj.left_edge.i : pobj.i + 1]
                country = gazetteer.country_of(phrase.text) if pobj.ent_type_ in ("GPE", "NORP") else None
                if country:
                    p.countries.append((ent.start_char, country))
                elif pobj.pos_ in ("PROPN", "NOUN"):
                    org = phrase.text
                    if org.lower().startswith("the "):
                        org = org[4:]
                    p.orgs.append((ent.start_char, org))
            g = next(
                (gazetteer.gender_of_title(t.text) for t in words if gazetteer.gender_of_title(t.text)), None
            )
            if g and p.gender is None:
                p.gender = g

    # ------------------------------------------------------------ mentions

    def _before(self, char: int) -> list[tuple[int, Person, bool]]:
        i = bisect_left(self._mention_starts, char)
        return [m for m in self.mentions[:i] if char - m[0] <= _WINDOW]

    def note(self, char: int, person: Person, subject: bool = True) -> None:
        """Record a resolved mention, so later pronouns can find it."""
        i = bisect_left(self._mention_starts, char)
        self.mentions.insert(i, (char, person, subject))
        self._mention_starts.insert(i, char)

    def pronoun(self, tok: Token) -> Person | None:
        low = tok.lower_
        gender = "m" if low in _MALE else "f" if low in _FEMALE else None
        cands = self._before(tok.idx)
        if not cands:
            return None
        sent_start = tok.sent.start_char
        prev_sent_start = self.doc[tok.sent.start - 1].sent.start_char if tok.sent.start > 0 else sent_start
        # the discourse topic: a subject of this or the previous sentence
        for char, p, subj in reversed(cands):
            if subj and char >= prev_sent_start and _compatible(p, gender):
                return p
        for _, p, _ in reversed(cands):
            if _compatible(p, gender):
                return p
        return None

    def resolve(self, mention: Span) -> Resolution:
        """The person (or organisation) a source mention refers to."""
        root = mention.root
        low = root.lower_
        if root.pos_ == "PRON" or low in _MALE | _FEMALE:
            if low in _RELATIVE and root.head.i != root.i:
                noun = root.head.head if root.dep_ in ("nsubj", "nsubjpass") else root.head
                return (
                    self.resolve(self.doc[noun.left_edge.i : noun.i + 1])
                    if noun.i != root.i
                    else Resolution(None)
                )
            if low in _MALE | _FEMALE:
                p = self.pronoun(root)
                if p is not None:
                    if p.gender is None:
                        p.gender = "m" if low in _MALE else "f"
                    return Resolution(p.name, p)
            return Resolution(None)
        # a name: the proper-noun chain of the root ("Clinton supporters" and "a spokeswoman for
        # Hillary Clinton" are not Clinton), or a name in apposition ("the director, Anna Berg,")
        head = root
        if root.pos_ != "PROPN" and root.ent_type_ != "PERSON":
            head = next((c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"), root)
        chain = [t for t in mention if t.i == head.i or (t.head.i == head.i and t.dep_ == "compound")]
        names = (
            [t for t in chain if t.ent_type_ == "PERSON" or t.pos_ == "PROPN"] if head.pos_ == "PROPN" else []
        )
        if names:
            last = names[-1]
            p = self._surname(last.text)
            if p is not None and (
                len(names) == 1
                or p.first is None
                or p.first == names[0].text
                or gazetteer.is_role_word(names[0].text)
                or gazetteer.gender_of_title(names[0].text)
            ):
                return Resolution(p.name, p)
        if root.pos_ == "NOUN" and gazetteer.is_role_word(root.text) and root.tag_ != "NNS":
            # "the minister": the last person with that title
            for _, p, _ in reversed(self._before(root.idx)):
                if any(root.lemma_.lower() in t.lower() for _, t in p.titles):
                    return Resolution(p.name, p)
        # an organisation, a country, a people: the entity the mention is headed by
        for ent in mention.ents:
            if ent.label_ in ("ORG", "GPE", "NORP", "PERSON") and ent.start <= root.i < ent.end:
                text = ent.text
                return Resolution(text[4:] if text.lower().startswith("the ") else text)
        if root.pos_ == "PROPN":
            return Resolution(" ".join(t.text for t in chain))
        return Resolution(None)  # "a ministry official", "union leaders": described, not named


def _compatible(p: Person, gender: str | None) -> bool:
    return gender is None or p.gender is None or p.gender == gender
