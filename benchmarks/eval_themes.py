"""Evaluate the themes analyzer: airline complaint reasons (macro-F1) and unassigned shares.

    python benchmarks/eval_themes.py --shared ../shared/corpora

1. **Airline `negativereason`** (Twitter US airline sentiment): negative tweets with a
   reason, one tweet per id. "Can't Tell" is not a theme (the annotators could not tell
   the reason), so those 1,190 tweets are left out of macro-F1; the share of them the
   analyzer leaves without any theme is reported beside it. The codebook
   ``benchmarks/codebooks/airline_negativereason.yaml`` was written from the nine label
   names alone (label, a one-line description, general-knowledge keywords, four invented
   examples per theme, none taken from the tweets;
   nothing trained on the labels). One label per tweet: the highest-confidence theme over
   the tweet's sentences (host sentence splitter). Methods:

   - ``minilm-description-similarity`` (baseline): cosine of the whole tweet's MiniLM
     embedding with each theme's one-line description; the closest wins.
   - ``themes-embeddings-only``: the analyzer with keyword evidence switched off
     (``keyword_weight = 0``): calibrated similarity to label + description.
   - ``themes-analyzer``: the analyzer as shipped (keywords + embeddings, calibrated).

2. **Unassigned share** with the default settings: analysed English records (and
   sentences) that got no theme, on the shared NPS verbatims (generic ``cx-generic``
   codebook) and on the demo corpora (their ``codebook.yaml``), run through the real
   pipeline (source plugin -> sentence stage -> themes analyzer).

Embeddings are cached in ``--cache`` (default ``$TMPDIR/cxtext-bench/themes-cache.db``),
so a second run takes seconds. Writes ``benchmarks/results/themes.md`` and ``.json``;
``evaluate(shared)`` returns the rows for ``cxtext eval``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sklearn.metrics import f1_score, precision_recall_fscore_support  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
AIRLINE_CODEBOOK = Path(__file__).resolve().parent / "codebooks" / "airline_negativereason.yaml"
DEMO_PROJECT = ROOT / "cxtext" / "demo" / "cxtext.toml"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "cxtext-bench" / "themes-cache.db"
BASELINE_REFERENCE = 0.455  # MiniLM similarity to the one-line descriptions, as quoted in the task
TARGET = 0.60


def airline_tweets(shared: Path):
    import pandas as pd

    frame = pd.read_csv(shared / "twitter_us_airline_sentiment" / "Tweets.csv")
    frame = frame.drop_duplicates("tweet_id")
    frame = frame[frame["negativereason"].notna()]
    return frame


def airline_rows(shared: Path, store, log) -> list[dict]:
    """Macro-F1 of the baseline, the embeddings-only ablation and the analyzer on the airline reasons."""
    from cxtext.embeddings import cached_encode, get_embedder
    from cxtext.signals import Doc
    from cxtext.text import split_sentences
    from cxtext_themes import ThemesAnalyzer, load_codebook

    frame = airline_tweets(shared)
    codebook = load_codebook(AIRLINE_CODEBOOK)
    labels = [theme.label for theme in codebook.themes]
    known = frame[frame["negativereason"] != "Can't Tell"]
    cant_tell = frame[frame["negativereason"] == "Can't Tell"]
    gold = list(known["negativereason"])
    test_half = np.array([int(hashlib.md5(str(t).encode()).hexdigest(), 16) % 2 == 1 for t in known["tweet_id"]])
    embedder = get_embedder()

    def encode(texts: list[str]) -> np.ndarray:
        return cached_encode(store, texts, embedder)

    rows = []
    started = time.perf_counter()
    tweets = encode(list(known["text"]))
    descriptions = encode([theme.description for theme in codebook.themes])
    predicted = [labels[i] for i in (tweets @ descriptions.T).argmax(axis=1)]
    rows.append(_row("airline negativereason", "minilm-description-similarity", gold, predicted, labels,
                     time.perf_counter() - started))

    def docs_for(texts: list[str], prefix: str) -> list[Doc]:
        ids = [f"{prefix}{i}" for i in range(len(texts))]
        sentences = split_sentences(texts, ids)
        flat = [s for group in sentences for s in group]
        for sentence, vector in zip(flat, encode([s.text for s in flat])):
            sentence.embedding = vector
        return [Doc(record_id=i, text=t, language="en", sentences=s, source_kind="social")
                for i, t, s in zip(ids, texts, sentences)]

    known_docs = docs_for(list(known["text"]), "k")
    for method, weight in (("themes-embeddings-only", 0.0), ("themes-analyzer", None)):
        started = time.perf_counter()
        options = {} if weight is None else {"keyword_weight": weight}
        analyzer = ThemesAnalyzer(AIRLINE_CODEBOOK, encoder=encode, **options)
        analyzer.load()
        predicted = []
        for doc in known_docs:
            texts = [s.text for s in doc.sentences] or [doc.text]
            vectors = np.stack([s.embedding for s in doc.sentences]) if doc.sentences else encode([doc.text])
            confidences, _ = analyzer.score(texts, vectors)
            predicted.append(labels[int(confidences.max(axis=0).argmax())])
        row = _row("airline negativereason", method, gold, predicted, labels, time.perf_counter() - started)
        row["calibration"] = analyzer.calibration.source
        for half, mask in (("dev", ~test_half), ("test", test_half)):
            row[f"macro_f1_{half}"] = round(float(f1_score(np.array(gold)[mask], np.array(predicted)[mask],
                                                          labels=labels, average="macro", zero_division=0)), 4)
        if weight is None:
            signals = analyzer.process(known_docs)
            themed = {s.record_id for s in signals if s.sentence_id is None}
            row["coverage"] = round(len(themed) / len(known_docs), 4)
            cant_docs = docs_for(list(cant_tell["text"]), "c")
            themed_cant = {s.record_id for s in analyzer.process(cant_docs) if s.sentence_id is None}
            row["cant_tell_n"] = len(cant_docs)
            row["cant_tell_unassigned"] = round(1 - len(themed_cant) / max(len(cant_docs), 1), 4)
            row["unassigned_with_reason"] = round(1 - row["coverage"], 4)
        rows.append(row)
        log(f"airline {method}: macro-F1 {row['macro_f1']:.3f}")
    return rows


def _row(dataset: str, method: str, gold: list[str], predicted: list[str], labels: list[str],
         seconds: float) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels,
                                                                     zero_division=0)
    return {
        "task": "themes",
        "dataset": dataset,
        "method": method,
        "n": len(gold),
        "accuracy": round(float(np.mean(np.array(gold) == np.array(predicted))), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "f1_per_class": {label: round(float(v), 4) for label, v in zip(labels, f1)},
        "support": {label: int(v) for label, v in zip(labels, support)},
        "seconds": round(seconds, 1),
    }


def unassigned_row(store, dataset: str, codebook: str) -> dict:
    """Unassigned shares from a store the pipeline has analysed with the themes analyzer."""
    analysed = store.analyzed_record_ids("themes")
    languages = {row["record_id"]: row["label"] for row in store.iter_signals(kind="language", level="record")}
    english = {rid for rid in analysed if languages.get(rid) in (None, "en")}
    record_themes: Counter = Counter()
    themed_records, themed_sentences, fallback = set(), set(), 0
    for row in store.iter_signals(kind="theme", analyzer="themes"):
        if row["sentence_id"] is None:
            themed_records.add(row["record_id"])
            record_themes[row["label"]] += 1
        elif row["sentence_id"] not in themed_sentences:
            themed_sentences.add(row["sentence_id"])
            fallback += bool(row["data"].get("fallback"))
    sentences = [s for group in store.sentences_for(sorted(english)).values() for s in group]
    return {
        "task": "themes",
        "dataset": dataset,
        "method": f"themes-analyzer ({codebook})",
        "n": len(english),
        "unassigned_records": round(1 - len(themed_records & english) / max(len(english), 1), 4),
        "unassigned_sentences": round(1 - len(themed_sentences) / max(len(sentences), 1), 4),
        "sentences": len(sentences),
        "fallback_share_of_themed_sentences": round(fallback / max(len(themed_sentences), 1), 4),
        "top_themes": dict(record_themes.most_common(8)),
    }


def nps_row(shared: Path, cache_dir: Path, log) -> dict:
    from cxtext.analyze import analyze_store
    from cxtext.config import ProjectConfig
    from cxtext.ingest import ingest_path
    from cxtext.sourcing import ColumnMapping, ReadContext
    from cxtext.store import Store

    started = time.perf_counter()
    with Store(cache_dir / "nps.db") as store:
        context = ReadContext(mapping=ColumnMapping(text=["text"], scores={"nps": "NPS_SCORE"},
                                                    touchpoint="SURVEY_SUB_TYPE"), dataset="nps")
        ingest_path(store, shared / "nps_verbatims_textsummary" / "nps_verbatim.csv", source="survey",
                    context=context)
        _copy_embedding_cache(cache_dir / "themes-cache.db", store)
        analyze_store(store, ProjectConfig(base_dir=cache_dir), names=["themes"])
        row = unassigned_row(store, "NPS verbatims", "cx-generic")
    row["seconds"] = round(time.perf_counter() - started, 1)
    log(f"NPS verbatims: unassigned records {row['unassigned_records']:.1%}")
    return row


def demo_row(cache_dir: Path, log) -> dict | None:
    if not DEMO_PROJECT.is_file():
        return None
    from cxtext.analyze import analyze_store
    from cxtext.config import load_config
    from cxtext.ingest import ingest_path
    from cxtext.store import Store

    started = time.perf_counter()
    config = load_config(DEMO_PROJECT)
    with Store(cache_dir / "demo.db") as store:
        for spec in config.inputs:
            ingest_path(store, spec.path, source=spec.source, context=spec.context)
        _copy_embedding_cache(cache_dir / "themes-cache.db", store)
        analyze_store(store, config, names=["themes"])
        row = unassigned_row(store, "demo corpora (Lumen Mobile)", "cxtext/demo/codebook.yaml")
    row["seconds"] = round(time.perf_counter() - started, 1)
    log(f"demo corpora: unassigned records {row['unassigned_records']:.1%}")
    return row


def _copy_embedding_cache(cache_path: Path, store) -> None:
    """Seed a store's embedding cache from the shared benchmark cache (texts embedded once)."""
    if not cache_path.is_file() or Path(store.path).resolve() == cache_path.resolve():
        return
    store.conn.execute("attach database ? as bench", [str(cache_path)])
    try:
        with store.transaction() as conn:
            conn.execute("insert or ignore into embeddings select * from bench.embeddings")
    finally:
        store.conn.execute("detach database bench")


def evaluate(shared: Path, cache: Path | None = None, log=lambda line: print(line, file=sys.stderr),
             unassigned: bool = True) -> list[dict]:
    """Rows {task, dataset, method, n, macro_f1, ...}: airline reasons, then unassigned shares."""
    from cxtext.store import Store

    cache = Path(cache or DEFAULT_CACHE)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with Store(cache) as store:
        rows = airline_rows(Path(shared), store, log)
    if not unassigned:
        return rows
    rows.append(nps_row(Path(shared), cache.parent, log))
    demo = demo_row(cache.parent, log)
    if demo:
        rows.append(demo)
    return rows


def markdown(rows: list[dict]) -> str:
    airline = [r for r in rows if "macro_f1" in r]
    coverage = [r for r in rows if "unassigned_records" in r]
    labels = list(airline[0]["f1_per_class"]) if airline else []
    lines = [
        "# Themes evaluation",
        "",
        "Produced by `python benchmarks/eval_themes.py --shared ../shared/corpora` (see its docstring).",
        "",
        "## Airline complaint reasons (`negativereason`), one label per tweet",
        "",
        f"Negative tweets with a reason other than \"Can't Tell\" (deduplicated by tweet id). Codebook "
        f"`benchmarks/codebooks/airline_negativereason.yaml`: label names, one-line descriptions and "
        f"general-knowledge keywords and invented examples only, nothing trained on the labels. "
        f"Baseline quoted in the task: {BASELINE_REFERENCE}; target: >= {TARGET}.",
        "",
        "Codebook version 2.0 adds four invented example sentences per theme (written by hand, not taken "
        "from the tweets). Dev and test halves: md5(tweet_id) even / odd; settings were looked at on dev only.",
        "",
        "| method | n | accuracy | macro-F1 | macro-F1 dev half | macro-F1 test half |",
        "|---|---|---|---|---|---|",
    ]
    for row in airline:
        halves = " | ".join(f"{row[k]:.3f}" if k in row else "-" for k in ("macro_f1_dev", "macro_f1_test"))
        lines.append(f"| {row['method']} | {row['n']} | {row['accuracy']:.3f} | **{row['macro_f1']:.3f}** | {halves} |")
    if airline:
        lines += ["", "Per-class F1:", "", "| class | support | " + " | ".join(r["method"] for r in airline) + " |",
                  "|---|---|" + "---|" * len(airline)]
        for label in labels:
            cells = " | ".join(f"{r['f1_per_class'][label]:.3f}" for r in airline)
            lines.append(f"| {label} | {airline[0]['support'][label]} | {cells} |")
        shipped = airline[-1]
        if "coverage" in shipped:
            lines += ["", f"With its default thresholds the analyzer assigns at least one theme to "
                          f"{shipped['coverage']:.1%} of the tweets with a known reason and to "
                          f"{1 - shipped['cant_tell_unassigned']:.1%} of the {shipped['cant_tell_n']} "
                          f"\"Can't Tell\" tweets."]
    if coverage:
        lines += ["", "## Unassigned share (default settings)", "",
                  "| dataset | codebook | analysed records | unassigned records | sentences | unassigned sentences "
                  "| fallback share | top themes (records) |", "|---|---|---|---|---|---|---|---|"]
        for row in coverage:
            top = ", ".join(f"{k} {v}" for k, v in row["top_themes"].items())
            lines.append(f"| {row['dataset']} | {row['method']} | {row['n']} | {row['unassigned_records']:.1%} | "
                         f"{row['sentences']} | {row['unassigned_sentences']:.1%} | "
                         f"{row['fallback_share_of_themed_sentences']:.1%} | {top} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="SQLite embedding cache")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for themes.md/json")
    parser.add_argument("--airline-only", action="store_true", help="skip the unassigned-share pipelines")
    args = parser.parse_args()
    rows = evaluate(args.shared, args.cache, unassigned=not args.airline_only)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "themes.json").write_text(json.dumps(rows, indent=2) + "\n")
    (args.out / "themes.md").write_text(markdown(rows))
    print(markdown(rows))


if __name__ == "__main__":
    main()
