"""``cxtext eval``: run the evaluation scripts in ``benchmarks/`` and gather one table.

Each ``benchmarks/eval_<task>.py`` exposes ``evaluate(shared: Path) -> list[dict]`` with
rows like ``{"task", "dataset", "method", "n", "accuracy", "macro_f1", ...}``. The
scripts live beside the repository (they need the public corpora in ``../shared``),
not in the installed package: an installed cxtext runs them from the root of a
checkout (``./benchmarks``), and says so when there is none.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from cxtext.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"  # beside the package in a checkout (editable install)
METRIC_COLUMNS = ("accuracy", "macro_f1", "precision", "recall", "f1", "spearman")


def benchmarks_folder() -> Path:
    """The checkout's ``benchmarks/``: beside the package, else in the current folder."""
    for folder in (BENCHMARKS, Path.cwd() / "benchmarks"):
        if (folder / "eval_sentiment.py").is_file():
            return folder
    raise InputError("the evaluation scripts (benchmarks/eval_*.py) were not found.", path=Path.cwd() / "benchmarks",
                     expected="the benchmarks/ folder of a checkout of the repository",
                     hint="The scripts are not part of the installed package; run cxtext eval from the root "
                          "of a checkout.")


def available_tasks() -> list[str]:
    """The tasks with a script: ``benchmarks/eval_<task>.py`` files that define ``evaluate``."""
    folder = benchmarks_folder()
    return sorted(path.stem.removeprefix("eval_") for path in folder.glob("eval_*.py")
                  if "def evaluate(" in path.read_text(encoding="utf-8"))


def load_task(task: str):
    path = benchmarks_folder() / f"eval_{task}.py"
    if not path.is_file():
        raise InputError(f"no evaluation script for {task!r}.", path=path,
                         hint="Run cxtext eval from a checkout of the repository.")
    spec = importlib.util.spec_from_file_location(f"cxtext_eval_{task}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_evaluation(shared: Path, tasks: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Every task's rows (all tasks with a script when ``tasks`` is None), in task order."""
    available = available_tasks()  # first: without the scripts, the corpora folder is not the problem
    unknown = sorted(set(tasks or ()) - set(available))
    if unknown:
        raise InputError(f"no evaluation script for {', '.join(unknown)}.", path=benchmarks_folder(),
                         expected=f"one of {', '.join(available)}")
    if not Path(shared).is_dir():
        raise InputError("the public corpora folder was not found.", path=shared,
                         expected="the ../shared/corpora folder beside the checkout (see its README)")
    rows: list[dict[str, Any]] = []
    for task in tasks or available:
        rows.extend({"task": task, **row} for row in load_task(task).evaluate(Path(shared)))
    return rows


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table with the metric columns any row has."""
    metrics = [m for m in METRIC_COLUMNS if any(row.get(m) is not None for row in rows)]
    header = ["task", "dataset", "method", "n", *metrics]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [str(row.get(c, "")) for c in header[:4]]
        cells += ["" if row.get(m) is None else f"{row[m]:.3f}" for m in metrics]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_results(rows: list[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2, default=str) + "\n")
