"""cxtext sentiment plugin: sentence- and record-level sentiment signals.

Default model: a LoRA adapter on all-MiniLM-L6-v2 trained on eleven public sets of
tweets, review sentences, reviews, survey answers and financial news sentences
(``models/cxtext_models/sentiment-minilm-lora``, shipped as package data). Settings
(``[analysis.sentiment]`` in the project file)::

    [analysis.sentiment]
    model = "minilm-lora"   # or "vader", or a Hugging Face model id / local path
    batch_size = 32
    max_length = 128
    precision = "auto"      # bf16 autocast where the CPU has AMX, else fp32; or "bf16" / "fp32"

See docs/sentiment.md.
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


@hookimpl
def register_views(context):
    from cxtext_sentiment.views import sentiment_views

    return sentiment_views(context)
