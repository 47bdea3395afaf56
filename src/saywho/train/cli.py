"""``saywho train …``: a typer app for training saywho's models (needs the ``train`` extra).

Mount it in the main CLI with ``app.add_typer(train_app, name="train")`` where
``from saywho.train.cli import app as train_app``; or run it on its own:
``python -m saywho.train.cli attribution ../shared/data/polnear``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Train saywho's models from annotated data (needs the train extra).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def train() -> None:
    """Train saywho's models from annotated data."""


@app.command()
def attribution(
    polnear: Annotated[Path, typer.Argument(help="The PolNeAR folder (with train/ and dev/).")],
    out: Annotated[Path | None, typer.Option(help="Where to write the model (default: shipped).")] = None,
    work: Annotated[Path, typer.Option(help="Parses, examples and checkpoints.")] = Path(".cache"),
    epochs: Annotated[int, typer.Option(min=1)] = 4,
    seed: Annotated[int, typer.Option()] = 13,
    threads: Annotated[int, typer.Option(min=1, help="torch threads")] = 2,
    stop_after: Annotated[
        int | None, typer.Option(min=1, help="Stop after this epoch; the schedule stays --epochs'.")
    ] = None,
) -> None:
    """Train the attribution tagger on train, choose the epoch on dev, export ONNX (int8)."""
    from saywho.train import attribution as training

    argv = [str(polnear), "--work", str(work), "--epochs", str(epochs), "--seed", str(seed)]
    argv += ["--threads", str(threads), "--out", str(out or training.DEFAULT_OUT)]
    if stop_after is not None:
        argv += ["--stop-after", str(stop_after)]
    training.main(argv)


if __name__ == "__main__":
    app()
