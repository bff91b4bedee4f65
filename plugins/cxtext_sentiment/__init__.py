"""cxtext sentiment plugin: sentence- and record-level sentiment signals.

Default model: a LoRA adapter on all-MiniLM-L6-v2 trained on airline tweets,
clothing reviews and NPS verbatims (``models/cxtext_models/sentiment-minilm-lora``). Settings
(``[analysis.sentiment]`` in the project file)::

    [analysis.sentiment]
    model = "minilm-lora"   # or "vader", or a Hugging Face model id / local path
    batch_size = 32
    max_length = 128
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl


@hookimpl
def register_analyzers(config):
    from cxtext_sentiment.analyzer import SentimentAnalyzer

    return [SentimentAnalyzer.from_settings(config.plugin_settings("sentiment"), resolve=config.resolve)]


@hookimpl
def register_commands(cli):
    from cxtext_sentiment.commands import register

    register(cli)
