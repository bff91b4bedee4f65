"""Analysis: records -> sentences (+ language) -> signals from every analyzer plugin.

Each analyzer is loaded once and fed batches of records it has not analysed yet
(at its current version). A batch's signals and its "done" marks are written in
one transaction, so a crash or Ctrl-C loses at most the batch in flight and the
next run resumes there. Sentence embeddings come from the store's cache; only
sentences never seen before are embedded.

``limit`` / ``sample`` restrict a run to a subset of the pending records (to try
a codebook or a model on a few hundred records first); every stage then works on
that same subset.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Iterator
from contextlib import nullcontext
from typing import Any

from cxtext import plugins
from cxtext.config import ProjectConfig
from cxtext.embeddings import cached_encode, get_embedder
from cxtext.errors import InputError
from cxtext.signals import Doc, Signal
from cxtext.store import Store
from cxtext.text import LANGUAGE_MODEL, SPLITTER_VERSION, detect_languages, lingua_version, split_sentences

SENTENCE_STAGE = "sentences"
#: Transcript roles analysed unless the project file says otherwise ([analysis] roles = [...]).
DEFAULT_ROLES = ("participant",)
#: Where analyzers' batches run: in this process, or on Ray Data actor pools.
ENGINES = ("local", "ray")


def selection(config: ProjectConfig) -> tuple[str, list[Any]]:
    """SQL filter for the records to analyse: every non-transcript record, and the chosen roles' turns."""
    roles = list(config.analysis.get("roles", DEFAULT_ROLES))
    marks = ", ".join("?" for _ in roles) or "null"
    return f"(r.role is null or r.role in ({marks}))", roles


def pending_for_any(store: Store, stages: list[tuple[str, str]], config: ProjectConfig) -> list[str]:
    """Selected records that at least one (stage, version) has not processed yet, oldest first."""
    where, params = selection(config)
    done_by_all = " and ".join(
        "exists (select 1 from analysis_log a where a.record_id = r.id and a.analyzer = ? and a.version = ?)"
        for _ in stages
    ) or "1"
    sql = f"select r.id from records r where {where} and not ({done_by_all}) order by r.rowid"
    stage_params = [value for stage in stages for value in stage]
    return [row[0] for row in store.conn.execute(sql, [*params, *stage_params])]


def choose_subset(pending: list[str], limit: int | None = None, sample: int | None = None,
                  seed: int | None = None) -> list[str]:
    """The first ``limit`` pending ids, or a seeded random ``sample`` of them (kept in store order)."""
    check_subset(limit, sample)
    if limit is not None:
        return pending[:limit]
    if sample is not None and sample < len(pending):
        picked = set(random.Random(0 if seed is None else seed).sample(pending, sample))
        return [record_id for record_id in pending if record_id in picked]
    return pending


def check_subset(limit: int | None, sample: int | None) -> None:
    if limit is not None and sample is not None:
        raise InputError("choose either a limit or a sample, not both.",
                         expected="--limit N (the first N pending records) or --sample N --seed S")
    for name, value in (("limit", limit), ("sample", sample)):
        if value is not None and value < 1:
            raise InputError(f"{name} must be at least 1 (got {value}).", expected="a positive number of records")


def only(pending: list[str], subset: Collection[str] | None) -> list[str]:
    return pending if subset is None else [record_id for record_id in pending if record_id in subset]


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def split_records(store: Store, config: ProjectConfig, batch_size: int = 512, progress=None,
                  subset: Collection[str] | None = None) -> int:
    """Sentence-split and language-tag every selected record (of ``subset``) that has not been yet."""
    where, params = selection(config)
    pending = only(store.pending_record_ids(SENTENCE_STAGE, SPLITTER_VERSION, where, params), subset)
    task = progress.add_task("Splitting sentences", total=len(pending)) if progress else None
    language_version = lingua_version()
    for ids in batches(pending, batch_size):
        records = store.get_records(ids)
        texts = [r.text for r in records]
        sentences = split_sentences(texts, ids)
        guesses = detect_languages(texts)
        signals = []
        for record, guess in zip(records, guesses):
            # A language the source file states wins over detection.
            code = record.language or guess.code
            confidence = 1.0 if record.language else guess.confidence
            signals.append(
                Signal(record_id=record.id, kind="language", label=code, score=confidence,
                       data={"source": "file" if record.language else "detected"},
                       model=LANGUAGE_MODEL, model_version=language_version)
            )
        store.save_analysis(SENTENCE_STAGE, SPLITTER_VERSION, ids, signals,
                            sentences=[s for group in sentences for s in group])
        if progress:
            progress.advance(task, len(ids))
    return len(pending)


def build_docs(store: Store, ids: list[str], with_embeddings: bool, embedding_model: str | None) -> list[Doc]:
    """Docs for a batch of record ids, with sentences, language and (optionally) embeddings."""
    records = store.get_records(ids)
    sentences = store.sentences_for(ids)
    languages = store.record_signals(ids, kind="language")
    docs = []
    for record in records:
        language_rows = languages.get(record.id) or []
        docs.append(
            Doc(
                record_id=record.id, text=record.text,
                language=language_rows[0]["label"] if language_rows else record.language,
                sentences=sentences.get(record.id, []), source_kind=record.source_kind,
                scores=record.scores, touchpoint=record.touchpoint, segments=record.segments,
            )
        )
    if with_embeddings:
        flat = [s for doc in docs for s in doc.sentences]
        vectors = cached_encode(store, [s.text for s in flat], get_embedder(embedding_model))
        for sentence, vector in zip(flat, vectors):
            sentence.embedding = vector
    return docs


def embed_pending(store: Store, record_ids: list[str], embedding_model: str | None, chunk: int = 2048,
                  progress=None) -> None:
    """Fill the embedding cache for these records' sentences in large batches.

    Large batches sorted by length waste little on padding; the analyzer's own small
    batches then read every vector from the cache.
    """
    embedder = get_embedder(embedding_model)
    task = progress.add_task("Embedding sentences", total=len(record_ids)) if progress else None
    for ids in batches(record_ids, chunk):
        texts = [s.text for group in store.sentences_for(ids).values() for s in group]
        cached_encode(store, texts, embedder)
        if progress:
            progress.advance(task, len(ids))
    if progress:
        progress.remove_task(task)


class LocalRunner:
    """Runs an analyzer in this process: loaded once, then one ``process`` call per batch."""

    def load(self, analyzer: Any) -> None:
        analyzer.load()

    def process(self, analyzer: Any, work: Iterable[tuple[list[str], list[Doc]]]
                ) -> Iterator[tuple[list[str], list[Signal]]]:
        for ids, docs in work:
            yield ids, analyzer.process(docs)


def save_signals(store: Store, name: str, version: str, model: str, ids: list[str], signals: list[Signal]) -> None:
    """Write one batch's signals (model and version filled from the analyzer where left empty) and its marks."""
    for signal in signals:
        signal.model = signal.model or model
        signal.model_version = signal.model_version or version
    store.save_analysis(name, version, ids, signals)


def run_analyzer(store: Store, analyzer: Any, config: ProjectConfig, batch_size: int = 64, progress=None,
                 subset: Collection[str] | None = None, runner: Any = None) -> int:
    """Run one analyzer over the records (of ``subset``) it has not analysed yet; returns how many.

    ``runner`` executes ``process`` (:class:`LocalRunner` by default; the Ray engine's
    :class:`~cxtext.ray_engine.RayRunner` runs it in actor pools). Everything else (the
    pending records, embeddings, the docs and writing the signals back) happens here,
    the same for every engine.
    """
    where, params = selection(config)
    pending = only(store.pending_record_ids(analyzer.name, analyzer.version, where, params), subset)
    if not pending:
        return 0
    runner = runner or LocalRunner()
    runner.load(analyzer)
    embedding_model = config.analysis.get("embedding_model")
    if analyzer.needs_embeddings:
        embed_pending(store, pending, embedding_model, progress=progress)
    # Added after loading and embedding, so its rate and ETA measure the batches alone.
    task = progress.add_task(f"Analysing: {analyzer.name}", total=len(pending)) if progress else None
    # Read once: an analyzer may derive these (e.g. from a codebook's content hash).
    name, version, model = analyzer.name, analyzer.version, analyzer.model
    work = ((ids, build_docs(store, ids, analyzer.needs_embeddings, embedding_model))
            for ids in batches(pending, batch_size))
    for ids, signals in runner.process(analyzer, work):
        save_signals(store, name, version, model, ids, signals)
        if progress:
            progress.advance(task, len(ids))
    return len(pending)


def analyze_store(
    store: Store,
    config: ProjectConfig | None = None,
    *,
    names: list[str] | None = None,
    batch_size: int = 64,
    progress=None,
    available: dict[str, Any] | None = None,
    limit: int | None = None,
    sample: int | None = None,
    seed: int | None = None,
    engine: str = "local",
    address: str | None = None,
    num_cpus: int | None = None,
    cpus_per_actor: int | None = None,
) -> dict[str, int]:
    """Split sentences, then run the analyzers (all, or ``names``); returns records analysed per stage.

    ``limit`` analyses only the first N pending records (in store order), ``sample`` a
    random N of them, drawn with ``seed`` (default 0, so a repeat draws the same way).
    A record is pending when any chosen stage has not processed it; the next run
    carries on with the rest. ``available`` overrides the installed analyzer plugins
    (tests, notebooks).

    ``engine="ray"`` runs the analyzers' batches on Ray Data actor pools
    (:mod:`cxtext.ray_engine`): a local Ray with ``num_cpus``, or the cluster at
    ``address``, each actor with ``cpus_per_actor`` CPUs (default 1). The store is read and written here either way, so the signals and
    the resume marks are the same as the local engine's.
    """
    config = config or ProjectConfig()
    available = plugins.analyzers(config) if available is None else available
    chosen = names or list(config.analysis.get("analyzers", available))
    unknown = [name for name in chosen if name not in available]
    if unknown:
        raise InputError(
            f"unknown analyzer(s) {', '.join(unknown)}.",
            expected=f"one of {', '.join(sorted(available)) or '(no analyzer plugins installed)'}",
        )
    check_subset(limit, sample)
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}.", expected=" or ".join(ENGINES))
    if engine == "local" and (address, num_cpus, cpus_per_actor) != (None, None, None):
        raise InputError("--address, --num-cpus and --cpus-per-actor are for the Ray engine.",
                         expected="--engine ray")
    subset = None
    if limit is not None or sample is not None:
        stages = [(SENTENCE_STAGE, SPLITTER_VERSION)] + [(available[n].name, available[n].version) for n in chosen]
        subset = set(choose_subset(pending_for_any(store, stages, config), limit, sample, seed))
    summary = {SENTENCE_STAGE: split_records(store, config, progress=progress, subset=subset)}
    with engine_runner(engine, address, num_cpus, cpus_per_actor) as runner:
        for name in chosen:
            summary[name] = run_analyzer(store, available[name], config, batch_size=batch_size,
                                         progress=progress, subset=subset, runner=runner)
    return summary


def engine_runner(engine: str, address: str | None, num_cpus: int | None, cpus_per_actor: int | None):
    """A context manager giving the runner for ``engine`` (None: the local one)."""
    if engine == "local":
        return nullcontext(None)
    from cxtext.ray_engine import RayRunner

    return RayRunner(address, num_cpus=num_cpus, cpus_per_actor=cpus_per_actor or 1)
