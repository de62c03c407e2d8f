"""The data flows one way: no two modules of ``kg/``, ``api/`` or ``benchmarks/`` import each other.

The imports are read from the source (``ast``), not by importing, so an
import inside a function counts as much as one at the top of a module (it
is the same dependency, only later); an import under ``if TYPE_CHECKING:``
does not count (it never runs). ``from package import name`` depends on the
submodule ``package.name`` when there is one, else on the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parent.parent
ROOTS = ("kg", "api", "benchmarks")


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for root in ROOTS:
        for path in sorted((REPO / root).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:`` (the ``else`` branch runs, so it counts)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                skipped.update(id(inner) for inner in ast.walk(statement))
    return skipped


def _imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    found: set[str] = set()
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        if candidate in known:
            found.add(candidate)
        elif base in known:
            found.add(base)
    return found


def import_graph() -> nx.DiGraph:
    """Module → modules it imports (at any level but ``TYPE_CHECKING``), within the project."""
    known = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skipped:
                for target in _imported(module, path.name == "__init__.py", node, known):
                    if target != module:
                        graph.add_edge(module, target)
    return graph


def _cycles(graph: nx.DiGraph) -> list[frozenset[str]]:
    return [frozenset(part) for part in nx.strongly_connected_components(graph) if len(part) > 1]


def test_no_module_imports_itself_through_others() -> None:
    graph = import_graph()
    found = list(_cycles(graph))
    described = []
    for cycle in found:
        loop = nx.find_cycle(graph.subgraph(cycle))
        described.append(" -> ".join([*(edge[0] for edge in loop), loop[0][0]]))
    assert not found, "import cycles:\n" + "\n".join(described)


def test_the_walk_sees_function_level_imports_and_skips_type_checking_ones(tmp_path, monkeypatch) -> None:
    """The check above can fail: a cycle through a lazy import is one, a TYPE_CHECKING import is not."""
    package = tmp_path / "kg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from kg.b import g\n    return g\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kg.c import h\n")
    (package / "c.py").write_text("from kg import b\n")
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    monkeypatch.setattr(f"{__name__}.ROOTS", ("kg",))
    assert set(import_graph().edges) == {("kg.a", "kg.b"), ("kg.c", "kg.b")}
    assert _cycles(import_graph()) == []
    (package / "b.py").write_text("import kg.a\n")
    assert _cycles(import_graph()) == [frozenset({"kg.a", "kg.b"})]


@pytest.mark.parametrize("root", ROOTS)
def test_every_module_is_seen(root: str) -> None:
    assert any(name == root or name.startswith(f"{root}.") for name in _modules())
