"""Fixtures for the sentiment tests: a tiny BERT built here, so no test needs a download."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxtext.signals import Doc, Sentence


@pytest.fixture(scope="session")
def tiny_backbone(tmp_path_factory) -> str:
    """A 2-layer, 32-wide BERT with the real MiniLM tokenizer (which loads offline), saved to a folder."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from cxtext.embeddings import default_model_path

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = AutoTokenizer.from_pretrained(default_model_path())
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="session")
def tiny_classifier(tmp_path_factory, tiny_backbone) -> str:
    """A tiny sequence-classification model with hub-style labels, as a user might name one."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-classifier")
    config = BertConfig.from_pretrained(tiny_backbone, num_labels=3,
                                        id2label={0: "negative", 1: "neutral", 2: "positive"},
                                        label2id={"negative": 0, "neutral": 1, "positive": 2})
    BertForSequenceClassification(config).save_pretrained(folder)
    AutoTokenizer.from_pretrained(tiny_backbone).save_pretrained(folder)
    return str(folder)


def make_doc(record_id: str, sentences: list[str], language: str | None = "en") -> Doc:
    """A Doc whose sentences are joined by single spaces (offsets match the text)."""
    parts, start = [], 0
    for index, text in enumerate(sentences):
        parts.append(Sentence(id=f"{record_id}:{index}", record_id=record_id, index=index, text=text,
                              start=start, end=start + len(text)))
        start += len(text) + 1
    return Doc(record_id=record_id, text=" ".join(sentences), language=language, sentences=parts, source_kind="survey")


FAKE_CORPORA = {
    "twitter_us_airline_sentiment/Tweets.csv": (
        "tweet_id,airline_sentiment,text\n"
        + "".join(f'{i},{label},"@united {text} {i}"\n' for i, (label, text) in enumerate(
            [("negative", "lost my bag again, awful"), ("neutral", "what time is the flight to Denver"),
             ("positive", "thanks, great crew")] * 12))
    ),
    "womens_ecommerce_clothing_reviews/Womens Clothing E-Commerce Reviews.csv": (
        ",Clothing ID,Title,Review Text,Rating\n"
        + "".join(f'{i},7,Review {i},"{text}",{rating}\n' for i, (rating, text) in enumerate(
            [(1, "Cheap fabric, returned it"), (3, "Fits ok, nothing special"), (5, "Love this dress")] * 12))
        + "99,7,No text,,5\n"
    ),
    "nps_verbatims_textsummary/nps_verbatim.csv": (
        "CUSTOMER_RESPONSE_DATE,SURVEY_SUB_TYPE,NPS_RATING,NPS_SCORE,text,Qtr\n"
        + "".join(f'01/05/2018 20:23,Order,X,{score},"{text} {i}",other\n' for i, (score, text) in enumerate(
            [(0, "Still waiting for the router"), (7, "It was fine"), (10, "So easy and good")] * 12))
    ),
}


@pytest.fixture
def fake_corpora(tmp_path) -> Path:
    """The three labelled corpora in their real layouts and quirks, a few dozen rows each."""
    root = tmp_path / "corpora"
    for name, content in FAKE_CORPORA.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root
