"""Plugin discovery: every plugin, first-party or not, comes from the ``cxtext`` entry points.

``CXTEXT_LOAD_PLUGINS`` (comma-separated entry-point names) limits which plugins load;
unset means all, an empty string means none.

A plugin that cannot be loaded (its import fails, or it implements a hook that no
hookspec defines, usually a typo) is not registered: it is recorded as broken with a
one-line reason, listed by ``cxtext plugins``, and named once per process in a warning
on stderr. Every other plugin and command keeps working.
"""

from __future__ import annotations

import inspect
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from cxtext import hookspecs

ENTRY_POINT_GROUP = "cxtext"
ALLOW_LIST_ENV = "CXTEXT_LOAD_PLUGINS"

# What each registering hook contributes, and the attribute that names an item.
PROVIDES: dict[str, tuple[str, str]] = {
    "register_sources": ("sources", "name"),
    "register_analyzers": ("analyzers", "name"),
    "register_metrics": ("metrics", "name"),
    "register_exporters": ("exporters", "format"),
    "register_reporters": ("reporters", "name"),
}

_warned: set[str] = set()  # broken plugins already named on stderr in this process


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus the plugins that could not be loaded and the entry point of each."""

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.broken: dict[str, str] = {}  # entry-point name -> one-line reason
        self.entry_points: dict[str, EntryPoint] = {}


def allowed_plugin_names() -> set[str] | None:
    """Names from ``CXTEXT_LOAD_PLUGINS``, or None when every plugin may load."""
    value = os.environ.get(ALLOW_LIST_ENV)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line (pluggy's validation messages span several)."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hooks ``plugin`` implements that no hookspec defines (what ``check_pending`` rejects)."""
    return sorted(
        caller.name
        for caller in pm.get_hookcallers(plugin) or []
        if not caller.has_spec()
        and any(impl.plugin is plugin and not impl.optionalhook for impl in caller.get_hookimpls())
    )


def load_plugin(pm: pluggy.PluginManager, ep: EntryPoint) -> str | None:
    """Import and register one entry point; the reason it is broken, or None when it loaded."""
    try:
        module = ep.load()
    except Exception as exc:  # any import-time failure of a third-party module
        return one_line(exc)
    try:
        pm.register(module, name=ep.name)
    except (pluggy.PluginValidationError, ValueError) as exc:  # bad hookimpl signature, registered twice
        return one_line(exc)
    unknown = unknown_hooks(pm, module)
    if unknown:
        pm.unregister(module)
        return ", ".join(f"unknown hook {name!r}" for name in unknown)
    return None


def warn_broken(broken: dict[str, str]) -> None:
    """One line on stderr naming the broken plugins not named before in this process."""
    from cxtext.safe_output import strip_terminal_controls

    new = {name: reason for name, reason in broken.items() if name not in _warned}
    if not new:
        return
    _warned.update(new)
    named = "; ".join(f"{name} ({reason})" for name, reason in sorted(new.items()))
    line = f"cxtext: warning: plugin not loaded: {named}. See `cxtext plugins`."
    print(strip_terminal_controls(line), file=sys.stderr)


def make_plugin_manager() -> PluginManager:
    """A fresh manager with the hookspecs and the allowed entry-point plugins that load registered."""
    pm = PluginManager("cxtext")
    pm.add_hookspecs(hookspecs)
    allowed = allowed_plugin_names()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if allowed is not None and ep.name not in allowed:
            continue
        if ep.name in pm.entry_points:
            continue  # the same plugin installed twice (e.g. editable + site-packages)
        pm.entry_points[ep.name] = ep
        reason = load_plugin(pm, ep)
        if reason is not None:
            pm.broken[ep.name] = reason
    pm.check_pending()  # cannot fail: plugins with unknown hooks were unregistered above
    warn_broken(pm.broken)
    return pm


@cache
def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager (built on first use)."""
    return make_plugin_manager()


@dataclass
class PluginInfo:
    name: str
    package: str | None
    version: str | None
    hooks: list[str]
    status: str = "ok"  # "ok"; "broken": not loaded; "error": loaded, but a register_* hook raised
    reason: str | None = None  # why it is broken (or which hook raised)
    description: str | None = None  # first line of the plugin module's docstring
    provides: dict[str, list[str]] = field(default_factory=dict)  # {"sources": ["survey"], "commands": [...]}


def describe(plugin: object) -> str | None:
    """The first line of the plugin module's docstring."""
    doc = inspect.getdoc(plugin)
    return doc.strip().splitlines()[0] if doc and doc.strip() else None


def _call_impl(impl: Any, values: dict[str, Any]) -> Any:
    return impl.function(**{name: values[name] for name in impl.argnames})


def plugin_provides(pm: pluggy.PluginManager, plugin: object) -> tuple[dict[str, list[str]], str | None]:
    """What ``plugin`` contributes, by calling its own hookimpls; and the first hook that raised, if any.

    Analyzers are constructed, not loaded (models load in ``load()``), and commands are
    added to a throwaway click group, so this is cheap and changes nothing.
    """
    import click

    from cxtext.config import ProjectConfig

    values: dict[str, Any] = {"config": ProjectConfig(), "cli": click.Group("cxtext")}
    provides: dict[str, list[str]] = {}
    failure = None
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin or impl.hookwrapper or impl.wrapper:
                continue
            try:
                items = _call_impl(impl, values)
            except Exception as exc:  # reported, not raised: listing plugins must not crash
                failure = failure or f"{caller.name} raised {one_line(exc)}"
                continue
            if caller.name in PROVIDES:
                kind, attribute = PROVIDES[caller.name]
                names = [str(getattr(item, attribute, item)) for item in items or []]
                provides.setdefault(kind, []).extend(names)
    commands = sorted(values["cli"].commands)
    if commands:
        provides["commands"] = commands
    return provides, failure


def _distribution(pm: pluggy.PluginManager, name: str, fallback: dict[str, Any]) -> Any:
    ep = getattr(pm, "entry_points", {}).get(name)
    return getattr(ep, "dist", None) or fallback.get(name)


def list_plugins(pm: pluggy.PluginManager | None = None) -> list[PluginInfo]:
    """Every plugin, registered or broken, with its version, hooks, description and what it provides."""
    pm = pm or get_plugin_manager()
    dists = {ep.name: ep.dist for ep in entry_points(group=ENTRY_POINT_GROUP)}
    infos = []
    for name, plugin in pm.list_name_plugin():
        dist = _distribution(pm, name, dists)
        provides, failure = plugin_provides(pm, plugin)
        infos.append(
            PluginInfo(
                name=name,
                package=dist.metadata["Name"] if dist else None,
                version=dist.version if dist else None,
                hooks=sorted(h.name for h in pm.get_hookcallers(plugin) or []),
                status="error" if failure else "ok",
                reason=failure,
                description=describe(plugin),
                provides=provides,
            )
        )
    for name, reason in getattr(pm, "broken", {}).items():
        dist = _distribution(pm, name, dists)
        infos.append(
            PluginInfo(
                name=name,
                package=dist.metadata["Name"] if dist else None,
                version=dist.version if dist else None,
                hooks=[],
                status="broken",
                reason=reason,
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
