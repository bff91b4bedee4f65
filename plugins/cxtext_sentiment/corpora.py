"""Labelled sentiment examples from the shared evaluation corpora, with fixed splits.

Three domains, read with pandas straight from ``../shared/corpora`` (they are
evaluation corpora, not user input):

- ``airline``: tweets to US airlines, ``airline_sentiment`` as given.
- ``clothing``: women's clothing reviews, title + text; ``Rating`` 1-2 negative,
  3 neutral, 4-5 positive.
- ``nps``: NPS survey verbatims; ``NPS_SCORE`` 0-6 negative, 7-8 neutral,
  9-10 positive (noisy: a score is not the sentiment of the comment).

Splits are deterministic and need no seed: an example is in the test split when
``sha1("<domain>:<normalised text>") % 5 == 0`` (about 20%), else in train. Hashing
the text (not a row id) puts identical texts (retweets, duplicate ids, "Good
service") on the same side, so no test text was ever seen in training.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

LABELS = ("negative", "neutral", "positive")
DOMAINS = ("airline", "clothing", "nps")

AIRLINE_CSV = "twitter_us_airline_sentiment/Tweets.csv"
CLOTHING_CSV = "womens_ecommerce_clothing_reviews/Womens Clothing E-Commerce Reviews.csv"
NPS_CSV = "nps_verbatims_textsummary/nps_verbatim.csv"

SPLIT_RULE = 'test when int(sha1("<domain>:<normalised text>").hexdigest(), 16) % 5 == 0, else train'

_MENTION = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The text as the model sees it, in training and at inference alike.

    @mentions become "@user" and links "http" (as in TweetEval), so the model
    cannot learn that "@united" means negative; whitespace is collapsed.
    """
    text = _MENTION.sub("@user", text)
    text = _URL.sub("http", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # one of LABELS
    domain: str


def split_of(example: Example) -> str:
    """"test" or "train" for an example, by the hash rule in :data:`SPLIT_RULE`."""
    digest = hashlib.sha1(f"{example.domain}:{example.text}".encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % 5 == 0 else "train"


def _clean(value) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def rating_label(rating: float) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def nps_label(score: float) -> str:
    return "negative" if score <= 6 else "neutral" if score <= 8 else "positive"


def load_domain(shared: Path, domain: str) -> list[Example]:
    """Every usable labelled example of one domain, in file order (texts normalised)."""
    import pandas as pd

    shared = Path(shared)
    rows: list[tuple[str, str]] = []
    if domain == "airline":
        frame = pd.read_csv(shared / AIRLINE_CSV, encoding="utf-8-sig")
        rows = [(_clean(t), _clean(s)) for t, s in zip(frame["text"], frame["airline_sentiment"])]
    elif domain == "clothing":
        frame = pd.read_csv(shared / CLOTHING_CSV, encoding="utf-8-sig")
        for title, body, rating in zip(frame["Title"], frame["Review Text"], frame["Rating"]):
            title, body = _clean(title), _clean(body)
            if not body or rating != rating:
                continue
            text = f"{title}. {body}" if title and not title.endswith((".", "!", "?")) else f"{title} {body}"
            rows.append((text, rating_label(float(rating))))
    elif domain == "nps":
        frame = pd.read_csv(shared / NPS_CSV, encoding="utf-8-sig")
        rows = [(_clean(t), nps_label(float(s))) for t, s in zip(frame["text"], frame["NPS_SCORE"]) if s == s]
    else:
        raise ValueError(f"unknown domain {domain!r}; expected one of {DOMAINS}")
    examples = []
    for text, label in rows:
        text = normalise_text(text)
        if text and label in LABELS:
            examples.append(Example(text, label, domain))
    return examples


def load_split(shared: Path, domain: str, split: str) -> list[Example]:
    """The ``split`` ("train" or "test") examples of one domain."""
    return [e for e in load_domain(shared, domain) if split_of(e) == split]


def balanced_sample(examples: list[Example], limit: int, seed: int) -> list[Example]:
    """At most ``limit`` examples with classes as even as the data allows.

    Each class gets up to ``limit // 3``; what small classes leave unused is filled
    from the larger classes, all by a seeded shuffle so the sample is reproducible.
    """
    rng = random.Random(seed)
    by_label = {label: [e for e in examples if e.label == label] for label in LABELS}
    for pool in by_label.values():
        rng.shuffle(pool)
    share = limit // len(LABELS)
    chosen = [e for label in LABELS for e in by_label[label][:share]]
    leftover = [e for label in LABELS for e in by_label[label][share:]]
    rng.shuffle(leftover)
    chosen += leftover[: max(0, limit - len(chosen))]
    rng.shuffle(chosen)
    return chosen


def training_set(shared: Path, max_per_domain: int, seed: int,
                 domains: tuple[str, ...] = DOMAINS) -> list[Example]:
    """Balanced train-split examples from every domain, shuffled with ``seed``."""
    examples = []
    for domain in domains:
        examples += balanced_sample(load_split(shared, domain, "train"), max_per_domain, seed)
    random.Random(seed).shuffle(examples)
    return examples
