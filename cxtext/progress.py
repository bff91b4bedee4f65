"""Progress for runs whose output is not a terminal: one plain line every few seconds.

A redirected or scheduled run (``cxtext analyze ... 2> log``, cron, CI) gets no rich
progress bar, so it used to print nothing for minutes. ``PlainProgress`` takes the same
``add_task`` / ``advance`` / ``remove_task`` calls as ``rich.progress.Progress`` and writes

    Analysing: sentiment: 1,200/20,000 records (6%), 45.2 records/s, ETA 6m 12s

at most once per interval. A run shorter than the interval prints nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Seconds between progress lines when output is not a terminal; "0" or "off" turns them off.
INTERVAL_ENV = "CXTEXT_PROGRESS_SECONDS"
DEFAULT_INTERVAL = 5.0


def interval_from_env(default: float = DEFAULT_INTERVAL) -> float | None:
    """The progress interval from ``CXTEXT_PROGRESS_SECONDS``; ``None`` means no progress lines."""
    raw = os.environ.get(INTERVAL_ENV, "").strip().lower()
    if not raw:
        return default
    if raw in ("off", "no", "false", "none"):
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return default  # a typo in an environment variable should not stop an analysis
    return seconds if seconds > 0 else None


def format_duration(seconds: float) -> str:
    """``42s``, ``6m 12s``, ``2h 05m``: short enough for a log line."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@dataclass
class _Task:
    description: str
    total: float | None
    started: float
    completed: float = 0
    reported: bool = False


@dataclass
class PlainProgress:
    """A drop-in for the parts of ``rich.progress.Progress`` that cxtext uses, printing plain lines."""

    write: Callable[[str], None]
    interval: float = DEFAULT_INTERVAL
    clock: Callable[[], float] = time.monotonic
    _tasks: dict[int, _Task] = field(default_factory=dict)
    _next_id: int = 0
    _last_line: float | None = None

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, **_: Any) -> int:
        task_id = self._next_id
        self._next_id += 1
        now = self.clock()
        self._tasks[task_id] = _Task(description, total, started=now)
        if self._last_line is None:
            self._last_line = now  # the first line comes one interval after work starts
        return task_id

    def advance(self, task_id: int, advance: float = 1) -> None:
        task = self._tasks[task_id]
        task.completed += advance
        now = self.clock()
        finished = task.total is not None and task.completed >= task.total
        # A task that was reported gets a closing line, so a log shows where each stage ended.
        last = now if self._last_line is None else self._last_line
        if now - last >= self.interval or (finished and task.reported):
            self.write(progress_line(task, now))
            task.reported = True
            self._last_line = now

    def remove_task(self, task_id: int) -> None:
        self._tasks.pop(task_id, None)


def progress_line(task: _Task, now: float) -> str:
    """One line: done/total, percentage, rate and (with a total) time left."""
    elapsed = max(now - task.started, 1e-9)
    rate = task.completed / elapsed
    done = f"{task.completed:,.0f}"
    if task.total is None:
        return f"{task.description}: {done} records, {rate:,.1f} records/s"
    percent = 100 * task.completed / task.total if task.total else 100.0
    line = f"{task.description}: {done}/{task.total:,.0f} records ({percent:.0f}%), {rate:,.1f} records/s"
    if task.completed >= task.total:
        return f"{line}, done in {format_duration(elapsed)}"
    eta = format_duration((task.total - task.completed) / rate) if rate > 0 else "unknown"
    return f"{line}, ETA {eta}"
