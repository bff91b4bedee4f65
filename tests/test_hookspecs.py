"""Every extension point is documented and tested (as datasette checks its own hooks)."""

import inspect
import re
from pathlib import Path

import pytest

from cxtext import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = [name for name, value in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(value, "cxtext_spec")]


def test_there_are_hooks():
    assert {"register_sources", "register_analyzers", "register_metrics", "register_exporters",
            "register_reporters", "register_commands"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_documentation(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert len(doc) > 80, f"hookspec {hook} needs a docstring that says what to return"
    plugin_docs = (ROOT / "docs" / "plugin-authors.md").read_text()
    assert f"`{hook}" in plugin_docs, f"docs/plugin-authors.md does not describe {hook}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    pattern = re.compile(rf"def test_hook_{hook}\b")
    test_files = list((ROOT / "tests").rglob("test_*.py")) + list((ROOT / "plugins").rglob("test_*.py"))
    assert any(pattern.search(path.read_text()) for path in test_files), f"no test_hook_{hook} test found"
