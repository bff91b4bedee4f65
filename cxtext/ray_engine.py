"""The Ray engine: the same analyzer plugins, run by Ray Data in pools of actors.

``cxtext analyze --engine ray`` keeps everything that touches the store in the driver
(:mod:`cxtext.analyze` picks the pending records, splits sentences, fills embeddings
from the cache, builds the :class:`~cxtext.signals.Doc` batches and writes the signals
back with ``Store.save_analysis``). Only ``Analyzer.process`` runs on the cluster:

* the batches of a window (:data:`DEFAULT_WINDOW` host batches, 16,384 records at the
  default batch size) become rows of a Ray dataset, one row per host batch, so an
  analyzer sees exactly the docs it would see locally and its outputs are the same;
* ``map_batches`` runs :class:`AnalyzerActor` in an actor pool: each actor unpickles the
  analyzer plugin, calls ``load()`` once, then ``process(docs)`` for every batch it gets.
  A window is one dataset, so the pool (and each actor's model) starts once per window:
  the driver holds one window of docs at a time, not the whole store;
* the driver writes each batch's signals and "done" marks in one transaction as they
  come back, so an interrupted run resumes as the local engine does.

Ray is an optional dependency (``pip install 'cxtext[ray]'``); nothing here imports
it until a runner starts.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np

from cxtext.errors import InputError
from cxtext.signals import Doc, Signal

#: Host batches per Ray dataset: the actor pool (and each actor's model) is started once per window.
DEFAULT_WINDOW = 256
INSTALL_HINT = "pip install 'cxtext[ray]'"


def import_ray() -> Any:
    """The ``ray`` module, or an InputError saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (the Data library is the part the engine needs)
    except ImportError as exc:
        raise InputError(f"--engine ray needs Ray Data, which is not installed ({exc}).",
                         hint=f"install it with: {INSTALL_HINT}") from None
    return ray


class AnalyzerActor:
    """One member of an actor pool: the analyzer is loaded once, then fed batches.

    A Ray batch holds rows of pickled host batches (``docs``); each is processed on its
    own, so batch boundaries are the host's.
    """

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.analyzer.load()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        results = []
        for blob in batch["docs"]:
            docs: list[Doc] = pickle.loads(blob)
            signals: list[Signal] = self.analyzer.process(docs)
            results.append(pickle.dumps(signals, protocol=pickle.HIGHEST_PROTOCOL))
        return {"batch": batch["batch"], "signals": np.array(results, dtype=object)}


class RayRunner:
    """Runs analyzers' ``process`` on Ray: a local Ray with ``num_cpus``, or the cluster at ``address``.

    Use as a context manager; Ray is shut down on exit only when this runner started it.
    ``cpus_per_actor`` is what each actor reserves, and so (through ``OMP_NUM_THREADS``,
    which Ray sets from it) the threads its model runs on; ``actors`` is the pool size per
    analyzer (default: as many as the cluster's CPUs hold).

    fp32 models give the same numbers on any thread count. bf16 matrix kernels do not:
    to reproduce a local bf16 run exactly, give each actor as many CPUs as the local run
    had threads (docs/scale.md).
    """

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None, cpus_per_actor: int = 1,
                 actors: int | None = None, window: int = DEFAULT_WINDOW) -> None:
        if address is not None and num_cpus is not None:
            raise InputError("--num-cpus sizes a local Ray; an existing cluster (--address) has its own CPUs.",
                             expected="either --address ADDRESS or --num-cpus N")
        for name, value in (("num_cpus", num_cpus), ("cpus_per_actor", cpus_per_actor), ("actors", actors),
                            ("window", window)):
            if value is not None and value < 1:
                raise InputError(f"{name} must be at least 1 (got {value}).")
        self.address = address
        self.num_cpus = num_cpus
        self.cpus_per_actor = cpus_per_actor
        self.actors = actors
        self.window = window
        self.ray: Any = None
        self.started = False

    def __enter__(self) -> "RayRunner":
        self.ray = import_ray()  # fail before any work when Ray is missing
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:
            self.ray.shutdown()
            self.started = False

    def start(self) -> None:
        """Join the cluster at ``address``, or start a local Ray, unless this process already has one."""
        if self.ray is None:
            self.ray = import_ray()
        if not self.ray.is_initialized():
            try:
                self.ray.init(address=self.address, num_cpus=self.num_cpus, include_dashboard=False,
                              log_to_driver=False, configure_logging=False)
            except ConnectionError as exc:
                raise InputError(f"could not reach the Ray cluster at {self.address} ({exc}).",
                                 expected="ray://HEAD:10001 (Ray Client) or HEAD:6379, from `ray start --head`",
                                 hint="check the head node is up (ray status --address HEAD:6379); a cluster with"
                                      " token authentication needs RAY_AUTH_MODE=token here") from None
            except ValueError as exc:  # e.g. --num-cpus while RAY_ADDRESS or `ray start` names a cluster
                raise InputError(f"Ray did not start: {exc}",
                                 hint="--num-cpus sizes a new local Ray; drop it to join the existing cluster,"
                                      " or unset RAY_ADDRESS") from None
            self.started = True
        # Ray Data logs every dataset it starts at INFO; the host's progress bar says enough.
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        context = self.ray.data.DataContext.get_current()
        # The host draws its own progress bar; Ray's would interleave with it.
        context.enable_progress_bars = False

    def pool_size(self) -> int:
        """Actors per analyzer: ``actors``, else as many as the CPUs Ray reports hold."""
        if self.actors:
            return self.actors
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        if cpus < self.cpus_per_actor:
            raise InputError(f"each actor needs {self.cpus_per_actor} CPUs but the Ray cluster has {cpus}.",
                             expected=f"--cpus-per-actor {cpus} or less")
        return max(1, cpus // self.cpus_per_actor)

    def load(self, analyzer: Any) -> None:
        """Start Ray (the first analyzer with work does); the model itself is loaded by every actor."""
        self.start()

    def process(self, analyzer: Any, work: Iterable[tuple[list[str], list[Doc]]]
                ) -> Iterator[tuple[list[str], list[Signal]]]:
        """(record ids, signals) for every (record ids, docs) batch of ``work``, in the order they finish."""
        work = iter(work)
        while window := list(islice(work, self.window)):
            yield from self._run_window(analyzer, window)

    def _run_window(self, analyzer: Any, window: list[tuple[list[str], list[Doc]]]
                    ) -> Iterator[tuple[list[str], list[Signal]]]:
        rows = [{"batch": number, "docs": pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL)}
                for number, (_, docs) in enumerate(window)]
        dataset = self.ray.data.from_items(rows)
        size = min(self.pool_size(), len(rows))
        # batch_size=1: every call gets one host batch, so the docs an analyzer sees together are the host's.
        results = dataset.map_batches(AnalyzerActor, fn_constructor_kwargs={"analyzer": analyzer}, batch_size=1,
                                      compute=self.ray.data.ActorPoolStrategy(size=size),
                                      num_cpus=self.cpus_per_actor)
        for row in results.iter_rows():
            yield window[int(row["batch"])][0], pickle.loads(row["signals"])
