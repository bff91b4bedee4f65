"""Terminal output shared by the CLI and plugins' commands: consoles, errors, progress, import summaries.

Plugins that add commands (``register_commands``) use these so that their commands
look and fail like the built-in ones, without importing :mod:`cxtext.cli`::

    from cxtext.console import friendly_errors, out

Everything here is cheap to import: ``cxtext --help`` loads it.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from cxtext.errors import CxtextError
from cxtext.progress import PlainProgress, interval_from_env
from cxtext.safe_output import strip_terminal_controls

if TYPE_CHECKING:
    from rich.progress import Progress

    from cxtext.store import ImportResult

#: Messages, progress and errors (stderr), so stdout stays clean for data.
console = Console(stderr=True, highlight=False)
#: Results (stdout).
out = Console(highlight=False)


def friendly_errors(func):
    """Turn user errors into one paragraph on stderr and exit status 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CxtextError as exc:
            console.print(f"[bold red]Error:[/] {escape(strip_terminal_controls(str(exc)))}", soft_wrap=True)
            sys.exit(2)
        except KeyboardInterrupt:
            console.print("Interrupted. Everything finished before the interruption is saved; run the command again to resume.")
            sys.exit(130)

    return wrapper


def progress_bar() -> "Progress | PlainProgress":
    """A rich bar on a terminal; elsewhere (a log file, CI) a plain line every few seconds on stderr."""
    interval = interval_from_env()
    if not console.is_terminal and interval is not None:
        return PlainProgress(write=_progress_line, interval=interval)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def _progress_line(line: str) -> None:
    console.print(strip_terminal_controls(line), markup=False, highlight=False, soft_wrap=True)


def quiet_third_party() -> None:
    """No progress bars ("Loading weights 0/103") or library warnings on a normal run.

    Set before any model library is imported; a variable the user set is kept, and
    ``-v`` skips all of this.
    """
    import os
    import warnings

    for name, value in (("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("TQDM_DISABLE", "1"), ("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")):
        os.environ.setdefault(name, value)
    for library in ("transformers", "torch", "huggingface_hub", "peft", "spacy", "thinc", "sentence_transformers"):
        warnings.filterwarnings("ignore", category=FutureWarning, module=library)
        warnings.filterwarnings("ignore", category=UserWarning, module=library)
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=library)


def shown(text: str) -> str:
    """File data in a message: no rich markup, no terminal escapes."""
    return escape(strip_terminal_controls(text, keep_newlines=False))


def print_import_results(results: "list[ImportResult]", as_json: bool = False) -> None:
    """One line per imported file (records read / new / already stored), its notes and first issues."""
    if as_json:
        out.print_json(json.dumps([
            {"path": r.path, "source": r.source, "dataset": r.dataset, "rows_read": r.rows_read,
             "records_new": r.records_new, "records_unchanged": r.records_unchanged,
             "issues": [str(i) for i in r.issues], "notes": r.notes}
            for r in results
        ]))
        return
    for r in results:
        out.print(
            f"[bold]{shown(r.path)}[/] ({r.source}, dataset {shown(r.dataset)}): {r.rows_read} records read, "
            f"{r.records_new} new, {r.records_unchanged} already stored"
        )
        for note in r.notes:
            out.print(f"  note: {shown(note)}")
        for issue in r.issues[:20]:
            out.print(f"  [yellow]issue:[/] {shown(str(issue))}")
        if len(r.issues) > 20:
            out.print(f"  ... and {len(r.issues) - 20} more issues (all listed with --json)")
