"""The host stays small and open: plugins use only the public API, and the host knows no plugin.

- every module under ``plugins/`` (tests aside) imports from ``cxtext`` only the modules in
  :data:`cxtext.PUBLIC_MODULES`, and from other first-party plugins nothing at all;
- the host's modules import each other without circles;
- no host module names a first-party plugin or its analyzers' signal kinds.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import cxtext

ROOT = Path(__file__).resolve().parent.parent
HOST = ROOT / "cxtext"
PLUGINS = ROOT / "plugins"
FIRST_PARTY = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").exists())


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, at module level) for every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    base = PLUGINS if path.is_relative_to(PLUGINS) else ROOT
    parts = path.relative_to(base).with_suffix("").parts
    package = ".".join(parts[:-1])  # the package a relative import starts from
    found = []
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module == "cxtext":  # `from cxtext import kpis` imports the submodule
                for alias in node.names:
                    name = f"cxtext.{alias.name}"
                    found.append((name if (HOST / f"{alias.name}.py").exists() or (HOST / alias.name).is_dir()
                                  else "cxtext", node.lineno, id(node) in top_level))
            else:
                found.append((module, node.lineno, id(node) in top_level))
    return found


def plugin_modules() -> list[Path]:
    return [p for p in sorted(PLUGINS.rglob("*.py")) if "tests" not in p.relative_to(PLUGINS).parts]


def test_plugins_import_only_the_public_api():
    public = set(cxtext.PUBLIC_MODULES)
    wrong = []
    for path in plugin_modules():
        own = path.relative_to(PLUGINS).parts[0]
        for module, line, _ in imports(path):
            top = module.split(".")[0]
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if top == "cxtext" and module not in public:
                wrong.append(where)
            elif top in FIRST_PARTY and top != own:
                wrong.append(where + " (another plugin: plugins talk through the host)")
    assert not wrong, "\n".join(wrong)


def test_public_modules_exist():
    for name in cxtext.PUBLIC_MODULES[1:]:
        assert (HOST / f"{name.split('.', 1)[1]}.py").exists() or (HOST / name.split(".", 1)[1]).is_dir(), name


def host_graph(module_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted(HOST.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        for module, _, top_level in imports(path):
            if module.startswith("cxtext.") and module != name and (top_level or not module_level_only):
                graph[name].add(module)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("module_level_only", [True, False], ids=["module-level", "including-lazy"])
def test_host_modules_import_each_other_without_circles(module_level_only):
    cycle = cycle_in(host_graph(module_level_only))
    assert cycle is None, " -> ".join(cycle)


#: What only first-party plugins define: their packages, analyzer names and signal kinds.
FIRST_PARTY_NAMES = {*FIRST_PARTY, "sentiment", "themes", "effort", "effort_score", "theme"}
#: SQL that picks a first-party signal kind by name.
FIRST_PARTY_KINDS_IN_SQL = [f"kind = '{kind}'" for kind in ("sentiment", "theme", "effort", "effort_score")]


def code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants in code, docstrings left out (they may give examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        if isinstance(node, ast.Assign) or isinstance(node, ast.AnnAssign):
            pass
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


#: Strings that look like a plugin's name but are not about one.
NOT_ABOUT_PLUGINS = {
    ("cxtext/sourcing.py", "effort"): "a survey column header that holds a CES score",
}


def test_no_host_module_names_a_first_party_plugin():
    wrong = []
    for path in sorted(HOST.rglob("*.py")):
        for line, value in code_strings(path):
            if (str(path.relative_to(ROOT)), value) in NOT_ABOUT_PLUGINS:
                continue
            if value in FIRST_PARTY_NAMES or any(sql in value for sql in FIRST_PARTY_KINDS_IN_SQL):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {value[:80]!r}")
    assert not wrong, "\n".join(wrong)
