"""Write the attribution model's card: data, command, settings, dev metrics, files and their hashes.

    python -m saywho.train.card src/saywho/models/attribution --metrics dev.json

``dev.json`` is ``saywho eval polnear ../shared/data/polnear --profile accurate --format json``
output for the exported model. ``tests/test_model_card.py`` checks the hashes.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from saywho.train import export as export_

SHIPPED = ("tagger.onnx", "tokenizer.json", "config.json")
TRAIN_COMMAND = (
    "python -m saywho.train.attribution ../shared/data/polnear --out src/saywho/models/attribution"
)
EVAL_COMMAND = "saywho eval polnear ../shared/data/polnear --split dev --profile accurate --format json"


def file_rows(model_dir: Path) -> list[str]:
    return export_.file_rows(model_dir, SHIPPED)


def metric_rows(report: dict) -> list[str]:
    rows = ["| match | role | precision | recall | F1 |", "| --- | --- | --- | --- | --- |"]
    for s in report["scores"]:
        rows.append(f"| {s['match']} | {s['role']} | {s['precision']} | {s['recall']} | {s['f1']} |")
    return rows


def _best_epoch(history: list[dict]) -> int:
    return max(history, key=lambda h: h["source"] + h["cue"] + h["content"])["epoch"]


def render(model_dir: Path, report: dict | None, when: str) -> str:
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    size = sum((model_dir / n).stat().st_size for n in SHIPPED)
    history = config.get("dev_history", [])
    lines = [
        "# saywho attribution tagger",
        "",
        "A BIO tagger for PolNeAR's three attribution roles (source, cue, content) over",
        "spaCy tokens, used by saywho's `accurate` profile (`saywho.extraction.finders.LearnedFinder`).",
        "",
        "## Model",
        "",
        f"- Encoder: {config['encoder']}, {config['layers']} layers, fine-tuned whole except the",
        "  word-piece embeddings; a linear layer over each word's first piece.",
        "- Input per piece: the word piece, plus an embedding of the rule finder's own BIO tag for its",
        "  word and whether the word is inside quotation marks (`saywho.extraction.tagging`).",
        f"- Windows of {config['window']} pieces, every {config['stride']} pieces at run time; each word is",
        "  read from the window where it is most central; BIO-constrained Viterbi decoding.",
        "- Exported to ONNX, weights quantised to int8 (onnxruntime dynamic quantisation, per channel).",
        "  Runs with onnxruntime and tokenizers; torch is not needed.",
        "",
        "## Data",
        "",
        "PolNeAR v1.0.0 (Newell, Margolin, Ruths, LREC 2018): `train` (840 articles) to train,",
        "`dev` (84 articles) to choose the epoch. The test split was not used. No article text is",
        "shipped; the model's weights are all that comes from the data.",
        "",
        "## Training",
        "",
        "```",
        config.get("command", TRAIN_COMMAND),
        "```",
        "",
        f"Seed {config['seed']}, {config['epochs']} epochs, batch {config['batch']}, AdamW lr {config['lr']}",
        "(linear warm-up 5%, linear decay over all epochs), word-piece embeddings frozen, on CPU"
        f" ({config.get('threads', 2)} torch threads). Needs `pip install -e '.[train]'`."
        + (
            f" Training stopped after epoch {config['stop_after']} of the {config['epochs']}-epoch schedule"
            " (`--stop-after`): the time this session had."
            if config.get("stop_after")
            else ""
        )
        + (
            f" Epochs {config['resumed_after'] + 1}–{config['epochs']} ran later with `--resume`, from the"
            f" epoch-{config['resumed_after']} checkpoint: the same seeded shuffles and learning-rate"
            " schedule, but AdamW's moments restarted from zero (that checkpoint predates their"
            " saving), so the one-command run from scratch gives a slightly different model."
            if config.get("resumed_after")
            else ""
        ),
        "",
        "Dev exact-span F1 per epoch (the training script's own proxy, over words):",
        "",
        "| epoch | source | cue | content |",
        "| --- | --- | --- | --- |",
        *[f"| {h['epoch']} | {h['source']} | {h['cue']} | {h['content']} |" for h in history],
        "",
        *(
            [
                f"Shipped: epoch {_best_epoch(history)}, the best mean of the three F1s on dev.",
                "",
            ]
            if history
            else []
        ),
        "## Metrics (PolNeAR dev, the whole extractor)",
        "",
        "```",
        EVAL_COMMAND,
        "```",
        "",
        *(metric_rows(report) if report else ["(not measured)"]),
        "",
        f"## Files ({size / 1e6:.1f} MB in all)",
        "",
        f"Written {when}.",
        "",
        "| file | bytes | sha256 |",
        "| --- | --- | --- |",
        *file_rows(model_dir),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--metrics", type=Path, help="the eval report (JSON) of the exported model on dev")
    ap.add_argument("--date", default=date.today().isoformat())
    args = ap.parse_args(argv)
    report = json.loads(args.metrics.read_text(encoding="utf-8")) if args.metrics else None
    (args.model_dir / "MODEL_CARD.md").write_text(render(args.model_dir, report, args.date), encoding="utf-8")
    print(f"wrote {args.model_dir / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
