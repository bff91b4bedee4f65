"""The ``cxtext plugins`` table: one row per plugin, broken ones included, with what each provides."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from cxtext.plugins import PluginInfo
from cxtext.safe_output import strip_terminal_controls

STATUS_STYLE = {"ok": "green", "broken": "bold red", "error": "bold red"}


def _cell(value: str | None, style: str = "") -> Text:
    """Plain text, never markup: names and docstrings come from third-party code."""
    return Text(strip_terminal_controls(value or ""), style=style)


def provides_text(provides: dict[str, list[str]]) -> str:
    """``sources: survey; commands: models``."""
    return "; ".join(f"{kind}: {', '.join(names)}" for kind, names in provides.items() if names)


def plugins_table(infos: list[PluginInfo]) -> Table:
    """A rich table of plugins: name, status, version, description (or why it is broken) and provides."""
    table = Table("plugin", "status", "version", "description", "provides")
    for info in infos:
        # A broken plugin has no description to show; its reason is what the reader needs.
        description = info.description if info.status == "ok" else info.reason
        table.add_row(
            _cell(info.name),
            _cell(info.status, STATUS_STYLE.get(info.status, "")),
            _cell(info.version),
            _cell(description, "" if info.status == "ok" else "red"),
            _cell(provides_text(info.provides)),
        )
    return table


def plugins_json(infos: list[PluginInfo]) -> list[dict[str, Any]]:
    """The rows of ``cxtext plugins --json``: every field of :class:`PluginInfo`."""
    return [dict(info.__dict__) for info in infos]
