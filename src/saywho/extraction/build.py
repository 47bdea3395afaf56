"""From a parsed Doc to Statement records: find, unnest relays, resolve, enrich.

This is the composition the spaCy component and :class:`Extractor` call;
each step lives in its own module.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from saywho.extraction import dates, enrich, relays
from saywho.extraction.context import ArticleContext
from saywho.extraction.finders import Profile, SpanFinder, finder
from saywho.extraction.resolve import Resolver
from saywho.extraction.rules import Found, char_range
from saywho.records import Kind, Mention, Relay, Span, Speaker, Statement

_QUOTE_CHARS = frozenset("\"“”«»„‹›‘’'`")


def kind_of(text: str, f: Found) -> Kind:
    if not f.speech:
        return "other"
    frags = [text[a:b].strip() for a, b in f.content]
    if frags and all(s[:1] in _QUOTE_CHARS and s[-1:] in _QUOTE_CHARS for s in frags):
        return "direct"
    if any(ch in s for s in frags for ch in '"“”«»„'):
        return "mixed"
    return "indirect"


def confidence(f: Found) -> float:
    """The cue's probability, nudged by what else supports the attribution."""
    c = f.prob
    if f.source is None:
        c *= 0.8
    if f.quoted:
        c = min(1.0, c + 0.1)
    return round(max(0.0, min(1.0, c)), 3)


def find(
    doc: Doc, unnest: bool = True, profile: Profile | SpanFinder | None = None
) -> tuple[ArticleContext, list[Found]]:
    """Attributions of a Doc; with ``unnest``, media reports become relays of what they report.

    ``profile`` names the span finder ("fast": rules, "accurate": the learned
    tagger; default :data:`finders.DEFAULT_PROFILE`) or is a finder itself.
    """
    ctx = ArticleContext.of(doc)
    span_finder = profile if profile is not None and not isinstance(profile, str) else finder(profile)
    found = span_finder.find(ctx)
    if unnest:
        found = relays.unnest_media(ctx, found)
    relays.attach_as_cited(doc, found)
    return ctx, found


def statements_from_doc(
    doc: Doc,
    published: date | None = None,
    article: str = "-",
    unnest: bool = True,
    profile: Profile | SpanFinder | None = None,
) -> list[Statement]:
    """Every attributed statement in a parsed article, in text order."""
    ctx, found = find(doc, unnest=unnest, profile=profile)
    text = ctx.text
    resolver = Resolver(doc)
    out = []
    speakers: dict[int, Speaker] = {}  # id(Found) → its speaker, for carried-over speakers
    for f in found:
        speaker = None
        if f.carried_from is not None and id(f.carried_from) in speakers:
            prev = speakers[id(f.carried_from)]
            speaker = Speaker(None, None, None, prev.name, prev.role, prev.org, prev.country)
        elif f.source is not None:
            a, b = char_range(doc, *f.source)
            mention = doc[f.source[0] : f.source[1]]
            res = resolver.resolve(mention)
            p = res.person
            if p is not None:
                resolver.note(a, p, subject=True)
            speaker = Speaker(
                a,
                b,
                text[a:b],
                name=res.name,
                role=p.title_at(a) if p else None,
                org=p.org_at(a) if p else None,
                country=p.country_at(a) if p else None,
            )
        if speaker is not None:
            speakers[id(f)] = speaker
        cue = Span.of(text, *char_range(doc, *f.cue)) if f.cue else None
        addressee = None
        if (rng := enrich.addressee_of(doc, f)) is not None:
            a, b = char_range(doc, *rng)
            addressee = Mention(a, b, text[a:b], enrich.name_of(doc, doc[rng[0] : rng[1]]))
        relay_list = []
        for r in f.extras.get("relays", []):  # type: ignore[union-attr]
            a, b = char_range(doc, *r.tokens)
            relay_list.append(
                Relay(a, b, text[a:b], r.relation, enrich.name_of(doc, doc[r.tokens[0] : r.tokens[1]]))
            )
        when = dates.statement_date(doc, f.head, f.content, published) if f.head is not None else None
        if when is None and f.extras.get("relay_head") is not None:
            # "…, the Post reported on Tuesday": said by then, at the latest
            when = dates.statement_date(doc, f.extras["relay_head"], f.content, published)  # type: ignore[arg-type]
        out.append(
            Statement(
                article=article,
                kind=kind_of(text, f),
                content=[Span.of(text, a, b) for a, b in f.content],
                cue=cue,
                speaker=speaker,
                addressee=addressee,
                relays=relay_list,
                date=when,
                confidence=confidence(f),
            )
        )
    return out
