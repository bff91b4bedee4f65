"""Plugin discovery: every plugin, first-party or not, comes from the ``cxtext`` entry points.

``CXTEXT_LOAD_PLUGINS`` (comma-separated entry-point names) limits which plugins load;
unset means all, an empty string means none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

import pluggy

from cxtext import hookspecs

ENTRY_POINT_GROUP = "cxtext"
ALLOW_LIST_ENV = "CXTEXT_LOAD_PLUGINS"


def allowed_plugin_names() -> set[str] | None:
    """Names from ``CXTEXT_LOAD_PLUGINS``, or None when every plugin may load."""
    value = os.environ.get(ALLOW_LIST_ENV)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def make_plugin_manager() -> pluggy.PluginManager:
    """A fresh manager with the hookspecs and the allowed entry-point plugins registered."""
    pm = pluggy.PluginManager("cxtext")
    pm.add_hookspecs(hookspecs)
    allowed = allowed_plugin_names()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if allowed is not None and ep.name not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue  # the same plugin installed twice (e.g. editable + site-packages)
        module = ep.load()
        pm.register(module, name=ep.name)
    pm.check_pending()
    return pm


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (built on first use)."""
    return make_plugin_manager()


@dataclass
class PluginInfo:
    name: str
    package: str | None
    version: str | None
    hooks: list[str]


def list_plugins(pm: pluggy.PluginManager | None = None) -> list[PluginInfo]:
    """Every registered plugin with its distribution version and the hooks it implements."""
    pm = pm or get_plugin_manager()
    dists = {ep.name: ep.dist for ep in entry_points(group=ENTRY_POINT_GROUP)}
    infos = []
    for name, plugin in pm.list_name_plugin():
        dist = dists.get(name)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        infos.append(
            PluginInfo(
                name=name,
                package=dist.metadata["Name"] if dist else None,
                version=dist.version if dist else None,
                hooks=hooks,
            )
        )
    return sorted(infos, key=lambda info: info.name)


def _collect(hook_name: str, pm: pluggy.PluginManager | None = None, **kwargs: Any) -> list[Any]:
    pm = pm or get_plugin_manager()
    results = getattr(pm.hook, hook_name)(**kwargs)
    return [item for items in results for item in (items or [])]


def sources(pm: pluggy.PluginManager | None = None) -> dict[str, Any]:
    """Source readers by name."""
    return {source.name: source for source in _collect("register_sources", pm)}


def analyzers(config: Any = None, pm: pluggy.PluginManager | None = None) -> dict[str, Any]:
    """Analyzers by name, configured from the project file (defaults when ``config`` is None)."""
    from cxtext.config import ProjectConfig

    config = config or ProjectConfig()
    return {analyzer.name: analyzer for analyzer in _collect("register_analyzers", pm, config=config)}


def metrics(config: Any = None, pm: pluggy.PluginManager | None = None) -> dict[str, Any]:
    """KPI metrics by name, configured from the project file (defaults when ``config`` is None)."""
    from cxtext.config import ProjectConfig

    config = config or ProjectConfig()
    return {metric.name: metric for metric in _collect("register_metrics", pm, config=config)}


def exporters(pm: pluggy.PluginManager | None = None) -> dict[str, Any]:
    """Exporters by format."""
    return {exporter.format: exporter for exporter in _collect("register_exporters", pm)}


def reporters(pm: pluggy.PluginManager | None = None) -> dict[str, Any]:
    """Reporters by name."""
    return {reporter.name: reporter for reporter in _collect("register_reporters", pm)}
