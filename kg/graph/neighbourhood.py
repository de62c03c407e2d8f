"""Neighbourhoods: the part of the graph within a few hops of an entity.

Used by the API's ``/entities/{id}/neighbors`` and by the graph view's
focus mode, so both show the same thing. Edges are followed in both
directions (an evidence item points *at* a drug, but a drug's neighbourhood
must include its evidence). Hub nodes such as a database source quoted by
thousands of items would swallow any neighbourhood, so the walk is capped
by ``max_nodes`` and says when it stopped early; nodes nearer the centre
always come first.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from kg.graph.internals import EvidenceGraph

__all__ = ["Neighbourhood", "neighbourhood"]


@dataclass(frozen=True)
class Neighbourhood:
    """Nodes within ``depth`` hops of ``center`` (with their hop distance) and the edges among them."""

    center: str
    depth: int
    distances: dict[str, int]
    edges: list[tuple[str, str, str]]  # (subject, object, predicate)
    truncated: bool

    @property
    def nodes(self) -> list[str]:
        return list(self.distances)


def neighbourhood(graph: EvidenceGraph, center: str, depth: int = 1, max_nodes: int = 500) -> Neighbourhood:
    """Breadth-first neighbourhood of ``center`` up to ``depth`` hops, at most ``max_nodes`` nodes.

    Raises ``KeyError`` when ``center`` is not a node of the graph.
    """
    if center not in graph:
        raise KeyError(center)
    distances: dict[str, int] = {center: 0}
    queue: deque[str] = deque([center])
    truncated = False
    while queue:
        node = queue.popleft()
        hops = distances[node]
        if hops >= depth:
            continue
        neighbours = sorted(set(graph.successors(node)) | set(graph.predecessors(node)))
        for other in neighbours:
            if other in distances:
                continue
            if len(distances) >= max_nodes:
                truncated = True
                break
            distances[other] = hops + 1
            queue.append(other)
        if truncated:
            break
    kept = distances.keys()
    edges = [
        (subject, target, predicate)
        for subject in kept
        for target, keyed in graph.succ[subject].items()
        if target in kept
        for predicate in keyed
    ]
    return Neighbourhood(center, depth, distances, edges, truncated)
