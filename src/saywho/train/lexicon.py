"""Build the cue lexicon from PolNeAR's train split.

    python -m saywho.train.lexicon ../shared/data/polnear [--out src/saywho/data/cue_lexicon.tsv]

For every (lemma, part of speech, frame) it counts how often a token is the
head of an annotated cue and how often it occurs at all. Only these counts
are written: no text of the articles.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, DocBin

from saywho import nlp as nlp_mod
from saywho.eval.brat import GoldArticle, read_split
from saywho.extraction.context import ArticleContext, quote_adjacent
from saywho.extraction.cues import candidate_pos, frame, lemma_key

OUT = Path(__file__).resolve().parents[1] / "data" / "cue_lexicon.tsv"


def parsed(arts: list[GoldArticle], cache: Path | None) -> list[Doc]:
    """The split parsed by saywho's pipeline, from ``cache`` when it holds them."""
    nlp = nlp_mod.load()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(arts) and all(d.text == a.text for d, a in zip(docs, arts, strict=True)):
            return docs
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16))
    if cache is not None:
        bin_ = DocBin(store_user_data=False)
        for d in docs:
            bin_.add(d)
        bin_.to_disk(cache)
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-cues", type=int, default=2)
    ap.add_argument("--cache", type=Path, help="a DocBin file of the parsed split (written if missing)")
    args = ap.parse_args(argv)
    if args.split == "test":
        raise SystemExit("the test split is held out")
    arts = read_split(args.polnear, args.split)
    docs = parsed(arts, args.cache)
    seen: Counter[tuple[str, str, str]] = Counter()
    cue: Counter[tuple[str, str, str]] = Counter()
    for art, doc in zip(arts, docs, strict=True):
        ctx = ArticleContext.of(doc)
        heads = set()
        for at in art.attributions:
            for s, e in at.cue:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None:
                    heads.add(span.root.i)
        # PolNeAR annotates no nested attribution: a token inside another's content
        # tells nothing about whether it would be a cue on its own.
        inside = {
            t.i
            for at in art.attributions
            for s, e in at.content
            if (span := doc.char_span(s, e, alignment_mode="expand")) is not None
            for t in span
        }
        for tok in doc:
            if not candidate_pos(tok) or (tok.i in inside and tok.i not in heads):
                continue
            key = (lemma_key(tok), tok.pos_, frame(tok, quote_adjacent(tok, ctx) is not None))
            seen[key] += 1
            if tok.i in heads:
                cue[key] += 1
    lemmas_with_cues = {k[:2] for k, n in cue.items() if n >= args.min_cues}
    rows = sorted(k for k in seen if k[:2] in lemmas_with_cues)
    with args.out.open("w", encoding="utf-8") as f:
        f.write("lemma\tpos\tframe\tcue\tseen\n")
        for k in rows:
            f.write(f"{k[0]}\t{k[1]}\t{k[2]}\t{cue[k]}\t{seen[k]}\n")
    print(f"wrote {len(rows)} rows for {len(lemmas_with_cues)} lemmas to {args.out}")


if __name__ == "__main__":
    main()
