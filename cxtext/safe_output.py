"""Make untrusted text safe to show: in a spreadsheet cell, or on a terminal.

Customer text and segment values come from outside, so cxtext never writes them
raw where a program may act on them:

* A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, TAB or CR as
  a formula (CSV injection). :func:`escape_spreadsheet_cell` applies the OWASP rule:
  prefix such a cell with a single quote so it is shown as text.
* A terminal acts on escape sequences (clear the screen, set the title, hide text).
  :func:`strip_terminal_controls` removes them and every other control character.
"""

from __future__ import annotations

import re
from typing import Any

# OWASP "CSV Injection": cells starting with these are read as formulas.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \),
# DCS/SOS/PM/APC strings, and two-character escapes. The 8-bit C1 forms are included.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]           # CSI
    | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)   # OSC, terminated
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c)  # DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]                           # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
# Whatever is left: C0 controls except newline and tab, DEL, C1 controls, and an
# unterminated OSC/CSI start (dropped with the ESC itself).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_spreadsheet_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Only strings are changed; numbers, None and other values pass through, so a
    real negative number stays a number. ``-5`` as *text* is escaped too, as OWASP
    recommends: a spreadsheet cannot tell it from ``-5+cmd|...``.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def strip_terminal_controls(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without escape sequences or control characters, ready to print.

    Newlines and tabs are kept unless ``keep_newlines`` is False (then they become
    spaces, for one-line table cells).
    """
    cleaned = _ESCAPE_SEQUENCE.sub("", text)
    cleaned = _CONTROL_CHARACTER.sub("", cleaned)
    if not keep_newlines:
        cleaned = re.sub(r"[\r\n\t]+", " ", cleaned)
    return cleaned
