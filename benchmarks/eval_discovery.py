"""Evaluate theme discovery: number of themes, filler, seed stability, and agreement with airline reasons.

    python benchmarks/eval_discovery.py --shared ../shared/corpora

- **Clothing reviews** (first 700 reviews of a fixed random sample, seed 0) and the
  **interviews** (interviewee turns of the 35 English transcripts): sentences split by
  the host, cleaned as ``cxtext themes discover`` cleans them (``discovery_text``: filler,
  @handles and links stripped), at most 3,000 evenly spaced sentences.
  Reported: themes found, filler themes (a theme whose first three key phrases are all
  filler words), the largest theme's share, ARI between the drafts of seeds 0 and 1, and
  **subsample stability**: ARI, on the sentences they share, between the drafts of two
  random 90% subsets (seeded), a harder test than the seed, which by design (deterministic
  clustering) changes little.
- **Airline reasons**: the tweets with a known ``negativereason``, in the two halves of the
  themes benchmark (md5(tweet_id) even: the dev half, which discovery's design was checked
  on; odd: the held-out half), one embedding per tweet (mean of its sentence embeddings,
  cleaned the same way). ARI and NMI of discovery's clusters against the reasons, next to
  BERTopic with its default settings (UMAP + HDBSCAN) on the same embeddings. BERTopic is an
  optional benchmark dependency (``pip install bertopic``); without it its rows are left out.

Embeddings are cached in ``--cache``. Writes ``benchmarks/results/themes.discovery.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "cxtext-bench" / "themes-cache.db"
MAX_SENTENCES = 3000


def sentences_of(texts: list[str]) -> list[str]:
    from cxtext.text import split_sentences

    groups = split_sentences(texts, [f"r{i}" for i in range(len(texts))])
    flat = [s.text for group in groups for s in group if s.text.strip()]
    if len(flat) > MAX_SENTENCES:
        flat = [flat[i] for i in np.linspace(0, len(flat) - 1, MAX_SENTENCES).astype(int)]
    return flat


def clothing_texts(shared: Path) -> list[str]:
    import pandas as pd

    frame = pd.read_csv(shared / "womens_ecommerce_clothing_reviews" / "Womens Clothing E-Commerce Reviews.csv")
    return list(frame[frame["Review Text"].notna()].sample(3000, random_state=0)["Review Text"].head(700))


def interview_texts(shared: Path) -> list[str]:
    turns = []
    for path in sorted(glob.glob(str(shared / "interview_transcripts_mlsss" / "transcripts" / "*.txt"))):
        if Path(path).name == "Interview 2.txt":  # in French
            continue
        for line in open(path, encoding="utf-8", errors="replace"):
            match = re.match(r"\s*interviewee\s*\d*\s*:\s*(.*)", line, re.I)
            if match and match.group(1).strip():
                turns.append(match.group(1).strip())
    return turns


def discovery_row(name: str, sentences: list[str], encode) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from cxtext_themes.discover import discover_themes, discovery_text
    from cxtext_themes.filler import FILLER_WORDS

    clean = [discovery_text(s) for s in sentences]
    vectors = encode(clean)
    runs = [discover_themes(clean, vectors, seed=seed) for seed in (0, 1)]
    first = runs[0]
    rng = np.random.default_rng(0)
    subsets = [np.sort(rng.choice(len(clean), int(0.9 * len(clean)), replace=False)) for _ in range(2)]
    drafts = [discover_themes([clean[i] for i in subset], vectors[subset], seed=0) for subset in subsets]
    shared = np.intersect1d(*subsets)
    subsample_ari = adjusted_rand_score(drafts[0].assignments[np.searchsorted(subsets[0], shared)],
                                        drafts[1].assignments[np.searchsorted(subsets[1], shared)])
    filler = [d.theme.label for d in first.themes
              if d.terms and all(w in FILLER_WORDS for t in d.terms[:3] for w in t.split())]
    return {
        "dataset": name, "sentences": len(sentences), "themes": len(first.themes),
        "filler_themes": filler, "largest_share": round(max(d.size for d in first.themes) / len(sentences), 4),
        "unassigned_share": round(first.unassigned_share, 4),
        "seed_ari": round(float(adjusted_rand_score(runs[0].assignments, runs[1].assignments)), 4),
        "subsample_ari": round(float(subsample_ari), 4),
        "labels": [d.theme.label for d in first.themes],
    }


def airline_rows(shared: Path, encode) -> list[dict]:
    import pandas as pd

    frame = pd.read_csv(shared / "twitter_us_airline_sentiment" / "Tweets.csv").drop_duplicates("tweet_id")
    frame = frame[frame["negativereason"].notna() & (frame["negativereason"] != "Can't Tell")]
    half = np.array([int(hashlib.md5(str(t).encode()).hexdigest(), 16) % 2 for t in frame["tweet_id"]])
    rows = []
    for parity, name in ((0, "dev half"), (1, "held-out half")):
        part = frame[half == parity]
        rows += airline_half(f"airline negativereason ({name})", list(part["text"]), list(part["negativereason"]),
                             encode)
    return rows


def airline_half(dataset: str, texts: list[str], gold: list[str], encode) -> list[dict]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from cxtext.text import split_sentences
    from cxtext_themes.discover import discover_themes, discovery_text

    groups = split_sentences(texts, [f"a{i}" for i in range(len(texts))])
    flat = [discovery_text(s.text) for group in groups for s in group]
    owner = np.array([i for i, group in enumerate(groups) for _ in group])
    vectors = encode(flat)
    tweets = np.zeros((len(texts), vectors.shape[1]))
    np.add.at(tweets, owner, vectors)
    tweets /= np.maximum(np.linalg.norm(tweets, axis=1, keepdims=True), 1e-12)
    clean = [discovery_text(text) for text in texts]

    def row(method: str, labels: np.ndarray, extra: dict) -> dict:
        return {"dataset": dataset, "method": method, "n": len(texts),
                "clusters": int(len(set(labels.tolist()) - {-1})),
                "ari": round(float(adjusted_rand_score(gold, labels)), 4),
                "nmi": round(float(normalized_mutual_info_score(gold, labels)), 4), **extra}

    runs = [discover_themes(clean, tweets, seed=seed) for seed in (0, 1)]
    rows = [row("cxtext discover (defaults)", runs[0].assignments,
                {"seed_ari": round(float(adjusted_rand_score(runs[0].assignments, runs[1].assignments)), 4)})]
    try:
        from bertopic import BERTopic
    except ImportError:
        print("bertopic is not installed: its row is left out", file=sys.stderr)
        return rows
    topics, _ = BERTopic().fit_transform(clean, embeddings=tweets)
    topics = np.array(topics)
    rows.append(row("BERTopic defaults (same embeddings)", topics,
                    {"outlier_share": round(float(np.mean(topics == -1)), 4)}))
    return rows


def markdown(result: dict) -> str:
    lines = ["# Theme discovery evaluation", "",
             "Produced by `python benchmarks/eval_discovery.py --shared ../shared/corpora` (see its docstring).", "",
             "| dataset | sentences | themes | filler themes | largest theme | unassigned | seed 0 vs 1 ARI |"
             " 90% subsets ARI |",
             "|---|---|---|---|---|---|---|---|"]
    for r in result["discovery"]:
        lines.append(f"| {r['dataset']} | {r['sentences']} | {r['themes']} | {len(r['filler_themes'])} | "
                     f"{r['largest_share']:.1%} | {r['unassigned_share']:.1%} | {r['seed_ari']:.3f} | "
                     f"{r['subsample_ari']:.3f} |")
    lines += ["", "Theme labels (seed 0):", ""]
    for r in result["discovery"]:
        lines.append(f"- {r['dataset']}: " + "; ".join(r["labels"]))
    lines += ["", "## Against the airline complaint reasons", "",
              "| tweets | method | n | clusters | ARI | NMI | notes |", "|---|---|---|---|---|---|---|"]
    for r in result["airline"]:
        note = (f"seed 0 vs 1 ARI {r['seed_ari']:.3f}" if "seed_ari" in r
                else f"outliers (topic -1) {r.get('outlier_share', 0):.1%}")
        lines.append(f"| {r['dataset']} | {r['method']} | {r['n']} | {r['clusters']} | {r['ari']:.3f} | {r['nmi']:.3f} | {note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    from cxtext.embeddings import cached_encode, get_embedder
    from cxtext.store import Store

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    with Store(args.cache) as store:
        embedder = get_embedder()

        def encode(texts: list[str]) -> np.ndarray:
            return cached_encode(store, texts, embedder)

        result = {"discovery": [discovery_row("clothing reviews", sentences_of(clothing_texts(args.shared)), encode),
                                discovery_row("interviews", sentences_of(interview_texts(args.shared)), encode)],
                  "airline": airline_rows(args.shared, encode)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "themes.discovery.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "themes.discovery.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
