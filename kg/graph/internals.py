"""Typed access to networkx's own adjacency dicts, for the few hot loops that read or write them directly.

networkx's views (``graph.nodes``, ``graph.succ``) wrap every item they hand out; building or scanning a graph of
hundreds of thousands of records through them costs several times what the dicts underneath cost. Those dicts
(``_node``, ``_succ``, ``_pred``) are private to networkx, so every access goes through this one module: one place to
follow if networkx changes them (``tests/test_graph_internals.py`` checks the structure built here equals networkx's
own), and one place where the type checker is told what they hold.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import networkx as nx

__all__ = ["Adjacency", "EvidenceGraph", "NodeTable", "node_table", "predecessors", "successors"]

#: The knowledge graph's type: nodes are CURIE strings, several keyed edges (one per predicate) between two nodes.
EvidenceGraph: TypeAlias = "nx.MultiDiGraph[str]"
#: node → its attribute dict.
NodeTable: TypeAlias = dict[str, dict[str, Any]]
#: node → neighbour → edge key → edge attribute dict.
Adjacency: TypeAlias = dict[str, dict[str, dict[str, dict[str, Any]]]]


def node_table(graph: EvidenceGraph) -> NodeTable:
    """The graph's node → attributes dict (what ``graph.nodes`` is a view of)."""
    table: NodeTable = graph._node  # type: ignore[attr-defined]
    return table


def successors(graph: EvidenceGraph) -> Adjacency:
    """The graph's outgoing adjacency (what ``graph.succ`` is a view of)."""
    succ: Adjacency = graph._succ  # type: ignore[attr-defined]
    return succ


def predecessors(graph: EvidenceGraph) -> Adjacency:
    """The graph's incoming adjacency (what ``graph.pred`` is a view of)."""
    pred: Adjacency = graph._pred  # type: ignore[attr-defined]
    return pred
