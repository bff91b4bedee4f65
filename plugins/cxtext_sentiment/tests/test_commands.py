"""`cxtext models train sentiment`: registration beside other plugins' model commands."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner

from cxtext_sentiment.commands import register


def fresh_cli() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    return cli


def test_adds_models_train_sentiment():
    cli = fresh_cli()
    register(cli)
    register(cli)  # registering twice is harmless
    result = CliRunner().invoke(cli, ["models", "train", "sentiment", "--help"])
    assert result.exit_code == 0 and "--max-per-domain" in result.output


def test_reuses_a_models_group_from_another_plugin():
    cli = fresh_cli()

    @cli.group(name="models")
    def models() -> None:
        pass

    @models.command(name="list")
    def list_models() -> None:
        click.echo("listed")

    register(cli)
    runner = CliRunner()
    assert runner.invoke(cli, ["models", "list"]).output == "listed\n"
    assert runner.invoke(cli, ["models", "train", "sentiment", "--help"]).exit_code == 0


def test_train_command_runs(tmp_path, fake_corpora, tiny_backbone, monkeypatch):
    from cxtext_sentiment import training

    original = training.TrainingSettings
    monkeypatch.setattr(training, "TrainingSettings",
                        lambda **kw: original(**kw, backbone=tiny_backbone, lora_rank=4, batch_size=8, cx_templates_per_class=5,
                                                    lora_layers=(0, 1)))
    cli = fresh_cli()
    register(cli)
    out = tmp_path / "adapter"
    result = CliRunner().invoke(cli, ["models", "train", "sentiment", "--shared", str(fake_corpora),
                                      "--out", str(out), "--epochs", "1", "--max-per-domain", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "training_config.json").read_text())
    assert config["settings"]["seed"] == 3 and config["settings"]["max_per_domain"] == 30


def test_fine_tune_on_own_labels_prints_held_out_comparison(tmp_path, fake_corpora, tiny_backbone, monkeypatch):
    from cxtext_sentiment import model as sentiment_model
    from cxtext_sentiment import training

    shipped = tmp_path / "shipped"
    training.train(fake_corpora, shipped, training.TrainingSettings(
        epochs=1, max_per_domain=30, batch_size=8, backbone=tiny_backbone, lora_rank=4, lora_layers=(1,), cx_templates_per_class=5,
        domains=("airline",)), report=lambda line: None)
    monkeypatch.setattr(sentiment_model, "DEFAULT_MODEL_DIR", shipped)
    monkeypatch.setattr(sentiment_model, "backbone_path", lambda: tiny_backbone)
    labels = tmp_path / "my_labels.csv"
    rows = [("The engineer fixed it first time", "positive"), ("Still no refund after six weeks", "negative"),
            ("I moved house in May", "neutral")]
    labels.write_text("comment,sentiment\n" + "".join(f'"{t} ({i})",{l}\n' for i in range(20) for t, l in rows))
    cli = fresh_cli()
    register(cli)
    out = tmp_path / "mine"
    result = CliRunner().invoke(cli, ["models", "train", "sentiment", "--data", str(labels), "--text-column",
                                      "comment", "--label-column", "sentiment", "--out", str(out), "--epochs", "1",
                                      "--precision", "fp32"])
    assert result.exit_code == 0, result.output
    assert "Held-out evaluation on" in result.output
    assert "shipped" in result.output and "fine-tuned" in result.output
    config = json.loads((out / "training_config.json").read_text())
    assert config["settings"]["init_from"] == str(shipped) and config["data"]["counts"]


def test_train_needs_shared_or_data():
    cli = fresh_cli()
    register(cli)
    result = CliRunner().invoke(cli, ["models", "train", "sentiment"])
    assert result.exit_code == 2 and "--shared" in result.output
