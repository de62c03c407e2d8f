"""The view model: the JSON a page draws, built from a selection of the graph.

Nodes carry only what the browser needs to draw, filter and search (id,
label, type, position; an evidence item's type and direction; an
outcome's evidence item). Styles are sent once per type in the legend, not
per node, and edges are ``[subject, object, predicate]`` triples: a
20,000-node view stays a few megabytes. Details for the side panel are
either embedded (standalone files, which have no server to ask) or fetched
from ``/graph/details`` (the served page, which stays small).

Layouts of large views are the expensive part, so the model (positions
included) is kept in the graph's memo (:mod:`kg.runtime.memo`), by view parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from kg.core.vocab import NodeType
from kg.runtime.memo import MemoSpec
from kg.runtime.resolve import NAMED_TYPES, WORD_FORMS, name_tokens
from kg.view.details import node_details
from kg.view.select import Selection
from kg.view.style import edge_label, legend

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["PHYSICS_LIMIT", "VIEWS", "cached", "clear_cache", "notice", "search_names", "view_model"]

#: Largest view drawn with live physics; larger views get precomputed positions and physics off.
PHYSICS_LIMIT = 400

_NAMED = frozenset(node_type.value for node_type in NAMED_TYPES)
_EVIDENCE_LIKE = frozenset({NodeType.EVIDENCE.value, NodeType.ASSERTION.value})

T = TypeVar("T")

#: Views kept per graph, by their parameters (a large one weighs megabytes).
VIEWS: MemoSpec[tuple[Hashable, ...], Any] = MemoSpec("graph views", max_entries=16)


def cached(kg: KnowledgeGraph, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per graph and ``key`` (the 16 most recent kept).

    Two requests for the same large view wait for one layout, without
    blocking requests for other views (:meth:`~kg.runtime.memo.MemoTable.compute_once`).
    """
    value: T = kg.memo.table(VIEWS).compute_once(key, compute)
    return value


def clear_cache(kg: KnowledgeGraph) -> None:
    """Forget the kept views of one graph (benchmarks measure cold renders)."""
    kg.memo.table(VIEWS).clear()


def notice(selection: Selection) -> str | None:
    """The visible warning of a truncated view, or None."""
    if not selection.truncated:
        return None
    shown = len(selection.nodes)
    hint = (
        "Focus on an entity (search above) to see its whole neighbourhood, or open the full graph with a higher max_nodes."
        if selection.mode != "focus"
        else "Lower the depth, or focus on a more specific entity."
    )
    return f"Showing {shown:,} of {selection.total_nodes:,} nodes: this view is capped at {selection.limit:,} nodes. {hint}"


def _node(kg: KnowledgeGraph, node_id: str) -> dict[str, Any]:
    data = kg.graph.nodes[node_id]
    node: dict[str, Any] = {"id": node_id, "label": data.get("label", node_id), "type": data.get("type", "unknown")}
    record = data.get("record")
    if node["type"] in _EVIDENCE_LIKE and record is not None:
        node["evidence_type"] = record.evidence_type.value
        node["direction"] = record.direction.value
    elif node["type"] == NodeType.OUTCOME.value and data.get("evidence"):
        node["evidence"] = data["evidence"]
    return node


def search_names(kg: KnowledgeGraph, node_ids: list[str]) -> list[list[str]]:
    """``[spaced key, name, node id]`` for every label and synonym of the named nodes in a view.

    The key is :func:`kg.runtime.resolve.name_tokens` joined by spaces, computed here
    so the page's search folds names exactly as the resolver does.
    """
    names: list[list[str]] = []
    for node_id in node_ids:
        data = kg.graph.nodes[node_id]
        if data.get("type") not in _NAMED:
            continue
        for name in (data["label"], *getattr(data.get("record"), "synonyms", ())):
            names.append([" ".join(name_tokens(name)), name, node_id])
    return names


def view_model(kg: KnowledgeGraph, selection: Selection, *, embed_details: bool) -> dict[str, Any]:
    """Everything the page draws for ``selection``; ``embed_details`` adds every node's panel content."""
    nodes = [_node(kg, node_id) for node_id in selection.nodes]
    physics = selection.mode != "full" and len(nodes) <= PHYSICS_LIMIT
    if not physics:
        from kg.view.layout import layout  # numpy; only large views need it

        positions = layout(selection.nodes, selection.edges)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    predicates = sorted({predicate for _, _, predicate in selection.edges})
    model: dict[str, Any] = {
        "mode": selection.mode,
        "description": selection.description,
        "notice": notice(selection),
        "center": selection.center,
        "depth": selection.depth,
        "highlighted": selection.highlighted,
        "total_nodes": selection.total_nodes,
        "limit": selection.limit,
        "truncated": selection.truncated,
        "version": kg.version,
        "physics": physics,
        "legend": legend(),
        "predicates": {predicate: edge_label(predicate) for predicate in predicates},
        "nodes": nodes,
        "edges": [[subject, target, predicate] for subject, target, predicate in selection.edges],
        "names": search_names(kg, selection.nodes),
        "word_forms": WORD_FORMS,
    }
    if embed_details:
        model["details"] = {node_id: node_details(kg, node_id) for node_id in selection.nodes}
    return model
