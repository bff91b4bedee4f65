"""``cxtext models train sentiment``: retrain the shipped adapter from the shared corpora."""

from __future__ import annotations

from pathlib import Path

import click


def models_group(cli: click.Group) -> click.Group:
    """The ``models`` group on ``cli``, created if no other plugin added it first."""
    group = cli.commands.get("models")
    if group is None:
        @cli.group(name="models")
        def group() -> None:
            """Train and inspect the models that analyzers use."""
    return group


def train_group(models: click.Group) -> click.Group:
    """``models train``: one sub-command per trainable model, shared with other plugins."""
    group = models.commands.get("train")
    if group is None:
        @models.group(name="train")
        def group() -> None:
            """Train a model (see each sub-command)."""
    return group


def register(cli: click.Group) -> None:
    train = train_group(models_group(cli))
    if "sentiment" in train.commands:
        return

    @train.command(name="sentiment")
    @click.option("--shared", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
                  help="Folder of the public corpora (../shared/corpora).")
    @click.option("--out", "out_dir", default="models/sentiment-minilm-lora", show_default=True,
                  type=click.Path(file_okay=False, path_type=Path), help="Where to write the adapter.")
    @click.option("--epochs", default=2, show_default=True, type=click.IntRange(1, 50))
    @click.option("--max-per-domain", default=6500, show_default=True, type=click.IntRange(30, 10**7),
                  help="Training examples per domain (class-balanced sample of the train split).")
    @click.option("--seed", default=0, show_default=True, type=int)
    def train_sentiment(shared: Path, out_dir: Path, epochs: int, max_per_domain: int, seed: int) -> None:
        """Fine-tune the MiniLM LoRA sentiment adapter on airline tweets, clothing reviews and NPS verbatims.

        Deterministic: the same corpora, options and seed give the same adapter.
        Takes about half an hour on two CPU cores with the defaults.
        """
        from cxtext_sentiment.training import TrainingSettings, train

        settings = TrainingSettings(epochs=epochs, max_per_domain=max_per_domain, seed=seed)
        train(shared, out_dir, settings, report=lambda line: click.echo(line, err=True))
        click.echo(f"Saved the adapter to {out_dir}")
