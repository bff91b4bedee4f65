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
                        lambda **kw: original(**kw, backbone=tiny_backbone, lora_rank=4, batch_size=8,
                                                    lora_layers=(0, 1)))
    cli = fresh_cli()
    register(cli)
    out = tmp_path / "adapter"
    result = CliRunner().invoke(cli, ["models", "train", "sentiment", "--shared", str(fake_corpora),
                                      "--out", str(out), "--epochs", "1", "--max-per-domain", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "training_config.json").read_text())
    assert config["settings"]["seed"] == 3 and config["settings"]["max_per_domain"] == 30
