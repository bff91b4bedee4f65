"""Checks on the paths cxtext writes to (``--out``), so a bad one is a clear error, not a traceback."""

from __future__ import annotations

import os
from pathlib import Path

from cxtext.errors import InputError


def check_output_path(path: Path) -> None:
    """An :class:`InputError` unless ``path`` can be written as a file: not a folder, in a writable folder.

    Missing folders on the way are created.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("this is a folder; the output is a file.", path=path,
                         expected="a file path such as out/report.html", hint="Add a file name to --out.")
    folder = path.parent
    existing = next(p for p in [folder, *folder.parents] if p.exists())
    if not existing.is_dir():
        raise InputError(f"{str(existing)!r} is a file, so it cannot hold the output folder.", path=path,
                         hint="Pass --out with a path in a folder.")
    if not folder.is_dir():  # missing folders are created, as `cxtext report` always did
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise output_error(path, exc) from None
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError("cxtext cannot write here: the file or its folder is read-only.", path=path,
                         hint="Pass --out with a path in a folder you can write.")


def output_error(path: Path, exc: OSError) -> InputError:
    """An :class:`InputError` for an output file the operating system refused to write."""
    return InputError(f"the output cannot be written ({exc.strerror or exc}).", path=path,
                      hint="Pass --out with a path in a folder you can write, with space left on its disk.")
