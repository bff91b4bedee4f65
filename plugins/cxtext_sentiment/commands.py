"""``cxtext models train sentiment``: retrain the adapter from the public corpora, or fine-tune it on your labels."""

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
    @click.option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  help="Folder of the public corpora (../shared/corpora): retrain on every domain found there.")
    @click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Your own labelled texts (CSV with text and label columns): fine-tune the shipped adapter.")
    @click.option("--text-column", default="text", show_default=True)
    @click.option("--label-column", default="label", show_default=True,
                  help="Column of negative/neutral/positive labels.")
    @click.option("--out", "out_dir", default="sentiment-adapter", show_default=True,
                  type=click.Path(file_okay=False, path_type=Path),
                  help="Where to write the adapter (use it with [analysis.sentiment] model = \"<folder>\").")
    @click.option("--epochs", default=None, type=click.IntRange(1, 50),
                  help="Passes over the data [default: 2 on the public corpora, 3 on --data].")
    @click.option("--max-per-domain", default=4000, show_default=True, type=click.IntRange(30, 10**7),
                  help="Training examples per public domain (class-balanced sample of the train split).")
    @click.option("--precision", type=click.Choice(["auto", "bf16", "fp32"]), default="auto", show_default=True,
                  help="auto: bf16 autocast where the CPU has AMX, else fp32.")
    @click.option("--seed", default=0, show_default=True, type=int)
    def train_sentiment(shared: Path | None, data: Path | None, text_column: str, label_column: str,
                        out_dir: Path, epochs: int | None, max_per_domain: int, precision: str, seed: int) -> None:
        """Train the MiniLM LoRA sentiment adapter.

        With --shared it trains from scratch on the public corpora (the shipped recipe;
        about 20 minutes on two CPU cores). With --data it fine-tunes the shipped
        adapter on your own labelled verbatims (80% of them; the other 20%, by a
        text hash, are held out) and prints the shipped and the fine-tuned model's
        scores on the held-out part. Given both, your data is mixed with the public
        corpora. Interrupted runs resume from the checkpoint in --out.
        """
        from cxtext.errors import InputError
        from cxtext_sentiment import corpora
        from cxtext_sentiment.model import DEFAULT_MODEL_DIR
        from cxtext_sentiment.training import TrainingSettings, train

        if shared is None and data is None:
            raise click.UsageError("give --shared (the public corpora), --data (your labels), or both.")
        report = lambda line: click.echo(line, err=True)  # noqa: E731
        domains = corpora.available_domains(shared)
        if shared is not None and not domains:
            raise InputError("none of the public corpora were found in this folder.", path=shared,
                             expected="the ../shared/corpora folder (see its README)")
        if data is None:
            settings = TrainingSettings(epochs=epochs or 2, max_per_domain=max_per_domain, seed=seed,
                                        precision=precision, domains=domains)
            train(shared, out_dir, settings, report=report)
            click.echo(f"Saved the adapter to {out_dir}")
            return

        labelled = corpora.load_user_labels(data, text_column, label_column)
        own_train = [e for e in labelled if corpora.split_of(e) != "test"]
        held_out = [e for e in labelled if corpora.split_of(e) == "test"]
        examples = list(own_train)
        if shared is not None:
            examples += corpora.training_set(shared, max_per_domain, seed, domains)
        settings = TrainingSettings(epochs=epochs or 3, max_per_domain=max_per_domain, seed=seed, precision=precision,
                                    domains=(*domains, corpora.USER_DOMAIN), init_from=str(DEFAULT_MODEL_DIR),
                                    lora_lr=2e-4, head_lr=5e-4)
        train(None, out_dir, settings, report=report, examples=examples, validation=[])
        click.echo(f"Saved the adapter to {out_dir}")
        print_comparison(held_out, out_dir)


def print_comparison(held_out, out_dir: Path) -> None:
    """The shipped and the fine-tuned adapter on the user's held-out texts (record level)."""
    from cxtext_sentiment.evaluation import evaluate_examples
    from cxtext_sentiment.model import LoraSentimentModel

    if not held_out:
        click.echo("No held-out texts (the file is too small to hold any back): nothing to compare.")
        return
    click.echo(f"\nHeld-out evaluation on {len(held_out)} of your texts (20% by text hash, never trained on):")
    click.echo(f"{'model':<12} {'accuracy':>9} {'macro-F1':>9}  F1 negative / neutral / positive")
    for name, folder in (("shipped", None), ("fine-tuned", out_dir)):
        row = evaluate_examples(LoraSentimentModel(folder).predict_proba, held_out)["user"]
        per_class = " / ".join("-" if f is None else f"{f:.2f}" for f in row["f1_per_class"].values())
        click.echo(f"{name:<12} {row['accuracy']:>9.3f} {row['macro_f1']:>9.3f}  {per_class}")
