"""Labelled sentiment examples from the shared corpora, with fixed train/validation/test splits.

Eleven domains, read with pandas straight from ``../shared/corpora`` (they are
evaluation and training corpora, not user input). :data:`DOMAINS` describes each
one: its file, where its labels come from and its licence.

- **human** labels were given by people for the text itself: airline tweets,
  TweetEval tweets, SST-5 sentences, the Financial PhraseBank, the UCI sentences and
  the NHS comments (coded by the trusts' staff).
- **score** labels are proxies derived from a star rating or an NPS score:
  clothing, Yelp, Amazon and Uber reviews (1-2 negative, 3 neutral, 4-5 positive)
  and NPS verbatims (0-6 negative, 7-8 neutral, 9-10 positive). A score is not the
  sentiment of the comment; training filters these (see :func:`training_set`),
  evaluation keeps them as given.

Splits are deterministic and need no seed. TweetEval and SST-5 keep the splits
their authors published. Every other example is in the test split when
``sha1("<domain>:<normalised text>") % 5 == 0`` (about 20%), in validation when it
is ``% 10 == 1`` (about 10%), else in train. Hashing the text (not a row id) puts
identical texts (retweets, duplicate ids, "Good service") on the same side, so no
test text was ever seen in training; the airline, clothing and NPS test splits are
the same as in earlier versions.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

LABELS = ("negative", "neutral", "positive")
SPLITS = ("train", "validation", "test")

AIRLINE_CSV = "twitter_us_airline_sentiment/Tweets.csv"
CLOTHING_CSV = "womens_ecommerce_clothing_reviews/Womens Clothing E-Commerce Reviews.csv"
NPS_CSV = "nps_verbatims_textsummary/nps_verbatim.csv"
TRAINING = "sentiment_training"

SPLIT_RULE = ('TweetEval and SST-5: the published splits; others: test when int(sha1("<domain>:<normalised '
              'text>").hexdigest(), 16) % 5 == 0, validation when it is % 10 == 1, else train')

_MENTION = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACES = re.compile(r"\s+")
# The Financial PhraseBank is tokenised ("growing ." / "company 's"): undo it so it reads like other text.
_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:!?%)]|'s\b|n't\b)")


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
    source_split: str | None = None  # the split the data's authors published, if any
    score: float | None = None  # the star rating or NPS score a proxy label came from


def _hash_split(domain: str, text: str) -> str:
    value = int(hashlib.sha1(f"{domain}:{text}".encode("utf-8")).hexdigest(), 16)
    return "test" if value % 5 == 0 else "validation" if value % 10 == 1 else "train"


def split_of(example: Example) -> str:
    """"train", "validation" or "test" for an example, by the rule in :data:`SPLIT_RULE`."""
    return example.source_split or _hash_split(example.domain, example.text)


def _clean(value) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def rating_label(rating: float) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def nps_label(score: float) -> str:
    return "negative" if score <= 6 else "neutral" if score <= 8 else "positive"


Row = tuple  # (text, label, source split or None, score or None)


def _read(shared: Path, name: str):
    import pandas as pd

    return pd.read_csv(Path(shared) / name, encoding="utf-8-sig")


def _airline(shared: Path) -> list[Row]:
    frame = _read(shared, AIRLINE_CSV)
    return [(_clean(t), _clean(s), None, None) for t, s in zip(frame["text"], frame["airline_sentiment"])]


def _clothing(shared: Path) -> list[Row]:
    rows = []
    frame = _read(shared, CLOTHING_CSV)
    for title, body, rating in zip(frame["Title"], frame["Review Text"], frame["Rating"]):
        title, body = _clean(title), _clean(body)
        if not body or rating != rating:
            continue
        text = f"{title}. {body}" if title and not title.endswith((".", "!", "?")) else f"{title} {body}"
        rows.append((text, rating_label(float(rating)), None, float(rating)))
    return rows


def _nps(shared: Path) -> list[Row]:
    frame = _read(shared, NPS_CSV)
    return [(_clean(t), nps_label(float(s)), None, float(s)) for t, s in zip(frame["text"], frame["NPS_SCORE"])
            if s == s]


def _training_file(name: str, with_split: bool = False, scored: bool = False,
                   fix_tokens: bool = False) -> Callable[[Path], list[Row]]:
    def load(shared: Path) -> list[Row]:
        frame = _read(shared, f"{TRAINING}/{name}")
        splits = frame["split"] if with_split else [None] * len(frame)
        rows = []
        for text, label, original, split in zip(frame["text"], frame["label"], frame["original_label"], splits):
            text = _clean(text)
            if fix_tokens:
                text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
            score = float(original) if scored and _clean(original).isdigit() else None
            rows.append((text, _clean(label), _clean(split) or None, score))
        return rows

    return load


@dataclass(frozen=True)
class Domain:
    name: str
    title: str
    labels: str  # "human" or "score"
    unit: str  # "sentence" (one sentence or a short post) or "record" (a review of several sentences)
    files: tuple[str, ...]
    label_rule: str
    licence: str
    load: Callable[[Path], list[Row]]


DOMAINS_INFO: dict[str, Domain] = {d.name: d for d in (
    Domain("airline", "airline tweets", "human", "sentence", (AIRLINE_CSV,), "airline_sentiment as given",
           "CC BY-NC-SA 4.0 (Crowdflower / Kaggle Twitter US Airline Sentiment)", _airline),
    Domain("tweets", "TweetEval tweets", "human", "sentence", (f"{TRAINING}/tweeteval_sentiment.csv",),
           "SemEval-2017 4A labels as given", "SemEval/TweetEval: research use (tweets: X terms)",
           _training_file("tweeteval_sentiment.csv", with_split=True)),
    Domain("sst", "SST-5 sentences", "human", "sentence", (f"{TRAINING}/sst5.csv",),
           "0-1 negative, 2 neutral, 3-4 positive", "SST: no licence stated (research use)",
           _training_file("sst5.csv", with_split=True)),
    Domain("phrasebank", "Financial PhraseBank", "human", "sentence", (f"{TRAINING}/financial_phrasebank_50agree.csv",),
           "labels as given (>50% annotator agreement); tokenisation spaces before punctuation removed",
           "CC BY-NC-SA 3.0 (non-commercial)", _training_file("financial_phrasebank_50agree.csv", fix_tokens=True)),
    Domain("uci", "UCI review sentences", "human", "sentence", (f"{TRAINING}/uci_sentiment_labelled_sentences.csv",),
           "0 negative, 1 positive (no neutral class)", "no licence stated; cite Kotzias et al. 2015",
           _training_file("uci_sentiment_labelled_sentences.csv")),
    Domain("nhs", "NHS patient comments", "human", "sentence", (f"{TRAINING}/nhs_fft_patient_feedback.csv",),
           "comment sentiment codes 1-2 positive, 3 neutral/mixed, 4-5 negative",
           "MIT (pxtextmining, NHS England)", _training_file("nhs_fft_patient_feedback.csv")),
    Domain("clothing", "clothing reviews", "score", "record", (CLOTHING_CSV,),
           "Rating 1-2 negative, 3 neutral, 4-5 positive; text = Title + Review Text",
           "CC0 (Kaggle Women's E-Commerce Clothing Reviews)", _clothing),
    Domain("nps", "NPS verbatims", "score", "record", (NPS_CSV,), "NPS_SCORE 0-6 negative, 7-8 neutral, 9-10 positive",
           "see ../shared/corpora/README.md (nps_verbatims_textsummary)", _nps),
    Domain("yelp", "Yelp reviews", "score", "record", (f"{TRAINING}/yelp_reviews.csv",),
           "stars 1-2 negative, 3 neutral, 4-5 positive", "Yelp Dataset Challenge terms (not redistributed here)",
           _training_file("yelp_reviews.csv", scored=True)),
    Domain("amazon", "Amazon product reviews", "score", "record", (f"{TRAINING}/amazon_product_reviews.csv",),
           "stars 1-2 negative, 3 neutral, 4-5 positive", "no licence stated (MDSD 2007, McAuley et al.)",
           _training_file("amazon_product_reviews.csv", scored=True)),
    Domain("uber", "Uber app reviews", "score", "record", (f"{TRAINING}/uber_app_reviews_google_play.csv",),
           "score 1-2 negative, 3 neutral, 4-5 positive", "no licence stated (Kaggle, Google Play reviews)",
           _training_file("uber_app_reviews_google_play.csv", scored=True)),
)}
DOMAINS = tuple(DOMAINS_INFO)
ORIGINAL_DOMAINS = ("airline", "clothing", "nps")  # the three the adapter was first trained on


def load_domain(shared: Path, domain: str) -> list[Example]:
    """Every usable labelled example of one domain, in file order (texts normalised)."""
    if domain not in DOMAINS_INFO:
        raise ValueError(f"unknown domain {domain!r}; expected one of {DOMAINS}")
    examples = []
    for text, label, split, score in DOMAINS_INFO[domain].load(Path(shared)):
        text = normalise_text(text)
        if text and label in LABELS:
            examples.append(Example(text, label, domain, split if split in SPLITS else None, score))
    return examples


def load_split(shared: Path, domain: str, split: str) -> list[Example]:
    """The ``split`` ("train", "validation" or "test") examples of one domain."""
    return [e for e in load_domain(shared, domain) if split_of(e) == split]


def balanced_sample(examples: list[Example], limit: int, seed: int) -> list[Example]:
    """At most ``limit`` examples with classes as even as the data allows.

    Each class present gets up to an equal share; what small classes leave unused is
    filled from the larger classes, all by a seeded shuffle so the sample is reproducible.
    """
    rng = random.Random(seed)
    by_label = {label: [e for e in examples if e.label == label] for label in LABELS}
    for pool in by_label.values():
        rng.shuffle(pool)
    present = [label for label in LABELS if by_label[label]] or list(LABELS)
    share = limit // len(present)
    chosen = [e for label in present for e in by_label[label][:share]]
    leftover = [e for label in present for e in by_label[label][share:]]
    rng.shuffle(leftover)
    chosen += leftover[: max(0, limit - len(chosen))]
    rng.shuffle(chosen)
    return chosen


# Score-derived labels are kept for training only where the score is clear and the
# text does not plainly say the opposite (VADER's compound beyond this, against the label).
SCORE_DISAGREEMENT = 0.5
SCORE_FILTER_RULE = (
    "score-labelled domains: NPS keeps detractors 0-4 as negative and promoters 9-10 as positive (5-8 dropped); "
    "stars keep 1-2 negative, 3 neutral, 4-5 positive; in both, a negative example whose text has VADER "
    f"compound >= {SCORE_DISAGREEMENT} or a positive one with compound <= -{SCORE_DISAGREEMENT} is dropped "
    "(the text disagrees with the score)")


def agrees_with_text(examples: list[Example]) -> list[Example]:
    """Score-labelled examples whose text does not plainly contradict their label (see SCORE_FILTER_RULE)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    kept = []
    for example in examples:
        if example.domain == "nps" and example.score is not None and 5 <= example.score <= 8:
            continue
        compound = vader.polarity_scores(example.text)["compound"]
        if example.label == "negative" and compound >= SCORE_DISAGREEMENT:
            continue
        if example.label == "positive" and compound <= -SCORE_DISAGREEMENT:
            continue
        kept.append(example)
    return kept


def training_set(shared: Path, max_per_domain: int, seed: int, domains: tuple[str, ...] = DOMAINS,
                 split: str = "train", filter_scores: bool = True) -> list[Example]:
    """Balanced ``split`` examples from every domain (score labels filtered), shuffled with ``seed``."""
    examples = []
    for domain in domains:
        pool = load_split(shared, domain, split)
        if filter_scores and DOMAINS_INFO[domain].labels == "score":
            pool = agrees_with_text(pool)
        examples += balanced_sample(pool, max_per_domain, seed)
    random.Random(seed).shuffle(examples)
    return examples


def available_domains(shared: Path | None) -> tuple[str, ...]:
    """The domains whose files are all present under ``shared``."""
    if shared is None:
        return ()
    return tuple(name for name, info in DOMAINS_INFO.items()
                 if all((Path(shared) / file).is_file() for file in info.files))


_LABEL_ALIASES = {"negative": "negative", "neg": "negative", "-1": "negative",
                  "neutral": "neutral", "neu": "neutral", "0": "neutral",
                  "positive": "positive", "pos": "positive", "1": "positive"}
USER_DOMAIN = "user"


def load_user_labels(path: Path, text_column: str = "text", label_column: str = "label") -> list[Example]:
    """A user's own labelled texts (CSV with a text and a label column), as ``user``-domain examples.

    Labels are negative/neutral/positive (or neg/neu/pos, -1/0/1, any case). Splits
    follow the same text-hash rule as the public corpora.
    """
    import pandas as pd

    from cxtext.errors import InputError

    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read the labelled file: {exc}", path=path,
                         expected="a UTF-8 CSV file with a header row") from None
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise InputError(f"there is no column {column!r} (columns: {', '.join(map(str, frame.columns))}).",
                             path=path, hint="Name the columns with --text-column and --label-column.")
    examples = []
    for row, (text, label) in enumerate(zip(frame[text_column], frame[label_column]), start=2):
        target = _LABEL_ALIASES.get(str(label).strip().lower())
        if target is None:
            raise InputError(f"the label {label!r} is not a sentiment.", path=path, row=row, column=label_column,
                             expected="negative, neutral or positive (or neg/neu/pos, -1/0/1)")
        text = normalise_text(str(text))
        if text:
            examples.append(Example(text, target, USER_DOMAIN))
    if len(examples) < 30:
        raise InputError(f"only {len(examples)} labelled texts: too few to fine-tune on.", path=path,
                         expected="at least 30 rows with text (a few hundred are better)")
    return examples
