"""The layering holds: no package of ``mock_server`` imports one that imports it back, SQL stays in
``store/``, and objects never see XML.

Packages are the sub-packages of ``mock_server`` (``store``, ``objects`` ...); a top-level module
(``emulator.py``, ``app.py`` ...) counts as a package of its own. Every import counts, also those
inside functions: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "mock_server"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("intacct_mock", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def _unit(module: str) -> str | None:
    """The package a module belongs to: ``intacct_mock.store.books`` -> ``store`` (the folder
    ``mock_server/`` is the package ``intacct_mock``; ``intacct_mock.client`` and the other
    folders mapped beside it are not its packages)."""
    parts = module.split(".")
    if parts[0] != "intacct_mock" or len(parts) < 2 or parts[1] in ("client", "scenarios", "loadtests", "fuzz"):
        return None
    return parts[1]


def _imports(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # ``from . import store``
    return found


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        source = _unit(_module_name(path))
        if source is None:
            continue
        for target in _imports(path):
            unit = _unit(target)
            if unit is not None and unit != source and ((PACKAGE / unit).is_dir() or (PACKAGE / f"{unit}.py").exists()):
                graph[source].add(unit)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of two or more packages (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_package_imports_one_that_imports_it_back():
    graph = package_graph()
    cycles = _cycles(graph)
    detail = "; ".join(" <-> ".join(c) + " (" + ", ".join(f"{a}->{b}" for a in c for b in sorted(graph[a]) if b in c) + ")"
                       for c in cycles)
    assert not cycles, f"package import cycles: {detail}"


def test_sql_runs_only_in_the_store():
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts[:1]
                 for n, line in enumerate(p.read_text().splitlines(), start=1)
                 if re.search(r"\.(execute|executemany|executescript)\(", line)]
    assert not offenders, f"SQL outside mock_server/store/: {offenders}"


def test_objects_never_see_xml():
    offenders = [str(p.relative_to(ROOT)) for p in (PACKAGE / "objects").rglob("*.py")
                 if any(t.split(".")[0] == "lxml" for t in _imports(p))]
    assert not offenders, f"objects importing lxml: {offenders}"
