"""Errors raised for bad user input.

Anything a user can get wrong (a file, a row, a mapping, a config value) raises
:class:`InputError`; the CLI prints it as one paragraph and exits non-zero, never a
traceback. Programming errors stay ordinary exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CxtextError(Exception):
    """Base class for errors cxtext reports to users without a traceback."""


class InputError(CxtextError):
    """A file, row or setting the user supplied is not what cxtext expected.

    ``path`` names the file, ``row`` the 1-based line or data row (None when the
    problem is the file as a whole), ``expected`` says what would have worked and
    ``hint`` how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.row = row
        self.column = column
        self.expected = expected
        self.hint = hint
        super().__init__(self.paragraph())

    def paragraph(self) -> str:
        """The error as one readable paragraph: where, what, what was expected, how to fix."""
        where = []
        if self.path:
            where.append(self.path)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.expected:
            text += f" Expected {self.expected}."
        if self.hint:
            text += f" {self.hint}"
        return text


@dataclass(frozen=True)
class IngestIssue:
    """A problem with one value that did not stop the import: the row is kept, the value dropped.

    Example: an NPS of 11 is rejected (the record keeps no NPS score) and reported.
    """

    path: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path + (f", row {self.row}" if self.row is not None else "")
        where += f", column {self.column!r}" if self.column else ""
        return f"{where}: {self.message}"
