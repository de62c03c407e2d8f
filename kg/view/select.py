"""Which part of the graph a view shows: the seed question, one neighbourhood, or the whole graph.

The whole CIViC + curated graph has tens of thousands of nodes, which no
browser lays out interactively, and which tells a reader nothing at first
sight. So the default view is the *seed question's* evidence (pyrotinib in
HER2-amplified NSCLC) with the nodes one hop around each item; a focus
shows one entity's neighbourhood, computed by
:func:`kg.graph.neighbourhood.neighbourhood` so the view and the API's
``/entities/{id}/neighbors`` agree; the full graph is opt-in. Every mode
is capped by ``max_nodes`` and says when it stopped early, so the page can
show a notice instead of silently hiding nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from kg.core.errors import InvalidQueryError, UnknownEntityError
from kg.graph.neighbourhood import neighbourhood

if TYPE_CHECKING:
    from kg.graph.internals import EvidenceGraph
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "FULL_MAX_NODES",
    "MAX_DEPTH",
    "SEED_QUESTION",
    "Mode",
    "Selection",
    "resolve_focus",
    "select",
]

Mode = Literal["default", "focus", "full"]

#: Cap of the default and focus views: small enough for live physics to settle in about a second.
DEFAULT_MAX_NODES = 300
#: Cap of the full view (drawn from precomputed positions with physics off; ~5,000 nodes draw in ~2 s).
FULL_MAX_NODES = 5000
#: Deepest focus neighbourhood: beyond 4 hops a neighbourhood is most of the graph.
MAX_DEPTH = 4
#: The seed question: (therapy, alteration, disease), as a researcher would type it.
SEED_QUESTION = ("pyrotinib", "HER2 amplification", "NSCLC")


@dataclass(frozen=True)
class Selection:
    """The nodes (most important first) and edges one view shows, and how they were chosen."""

    mode: Mode
    nodes: list[str]
    edges: list[tuple[str, str, str]]  # (subject, object, predicate)
    total_nodes: int  # nodes in the whole graph
    limit: int
    truncated: bool
    description: str
    center: str | None = None
    depth: int | None = None
    highlighted: list[str] = field(default_factory=list)  # the seed entities or the focus


def resolve_focus(kg: KnowledgeGraph, text: str) -> str:
    """The node a focus names: a node id of any type, or an entity name or synonym.

    Raises :class:`~kg.core.errors.UnknownEntityError` with "did you mean" suggestions.
    """
    candidate = text.strip()
    if not candidate:
        raise InvalidQueryError("focus", text, "an entity id or name")
    if candidate in kg.graph:
        return candidate
    found = kg.resolver.resolve(candidate)
    if found:
        return found[0]
    raise UnknownEntityError(candidate, "entity", kg.resolver.suggest(candidate))


def _edges_among(graph: EvidenceGraph, kept: Iterable[str]) -> list[tuple[str, str, str]]:
    members = set(kept)
    return [
        (subject, target, predicate)
        for subject in members
        for target, keyed in graph.succ[subject].items()
        if target in members
        for predicate in keyed
    ]


def _check_limits(max_nodes: int, depth: int) -> None:
    if max_nodes < 1:
        raise InvalidQueryError("max_nodes", max_nodes, "a positive integer")
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidQueryError("depth", depth, f"an integer from 1 to {MAX_DEPTH}")


def select(
    kg: KnowledgeGraph,
    focus: str | None = None,
    depth: int = 2,
    full: bool = False,
    max_nodes: int | None = None,
) -> Selection:
    """Choose the view's nodes: a focus neighbourhood, the full graph, or (default) the seed question."""
    limit = max_nodes if max_nodes is not None else (FULL_MAX_NODES if full and not focus else DEFAULT_MAX_NODES)
    _check_limits(limit, depth)
    if focus is not None:
        return _focus(kg, resolve_focus(kg, focus), depth, limit)
    if full:
        return _full(kg, limit)
    return _seed_question(kg, limit)


def _focus(kg: KnowledgeGraph, center: str, depth: int, limit: int) -> Selection:
    hood = neighbourhood(kg.graph, center, depth=depth, max_nodes=limit)
    label = kg.graph.nodes[center]["label"]
    return Selection(
        mode="focus",
        nodes=hood.nodes,
        edges=hood.edges,
        total_nodes=kg.graph.number_of_nodes(),
        limit=limit,
        truncated=hood.truncated,
        description=f"Neighbourhood of {label} ({depth} hop{'s' if depth > 1 else ''})",
        center=center,
        depth=depth,
        highlighted=[center],
    )


def _ranked(graph: EvidenceGraph) -> list[str]:
    """Every node, best connected first: hubs carry the graph's structure, leaves (outcomes) least."""
    degree = dict(graph.degree())
    return sorted(graph.nodes, key=lambda node: (-degree[node], node))


def _full(kg: KnowledgeGraph, limit: int) -> Selection:
    graph = kg.graph
    total = graph.number_of_nodes()
    nodes = _ranked(graph)[:limit] if total > limit else list(graph.nodes)
    return Selection(
        mode="full",
        nodes=nodes,
        edges=_edges_among(graph, nodes),
        total_nodes=total,
        limit=limit,
        truncated=total > limit,
        description="Whole graph" if total <= limit else f"Whole graph: the {limit:,} best-connected nodes",
    )


def _seed_evidence(kg: KnowledgeGraph) -> tuple[list[str], list[str], str]:
    """Evidence ids answering the seed question (best first), the resolved entities, and a description."""
    from kg.query.engine import find_evidence
    from kg.query.evidence_query import MAX_LIMIT, EvidenceQuery

    therapy, alteration, disease = SEED_QUESTION
    query = EvidenceQuery(therapy=(therapy,), alteration=(alteration,), disease=disease, limit=MAX_LIMIT)
    answer = find_evidence(kg, query)
    items = kg.index.items
    evidence = [items[position].id for _, tier in answer.tiers for position in sorted(tier)]
    entities = [term.entity for term in answer.terms]
    description = f"Evidence on {therapy} in {alteration} {disease}"
    if answer.relaxations:
        description += f" ({answer.relaxations[-1].description})"
    return evidence, entities, description


def _seed_question(kg: KnowledgeGraph, limit: int) -> Selection:
    """The seed question's evidence items, each with its one-hop neighbours, plus the asked entities' context."""
    graph = kg.graph
    try:
        evidence, entities, description = _seed_evidence(kg)
    except UnknownEntityError:  # a graph without the seed entities (a test graph, another corpus)
        evidence, entities, description = [], [], ""
    if not evidence and not entities:
        overview = _full(kg, limit)
        return replace(overview, mode="default", description="Best-connected nodes")
    kept: dict[str, None] = {}
    truncated = False

    def keep(node: str) -> bool:
        nonlocal truncated
        if node in kept:
            return True
        if len(kept) >= limit:
            truncated = True
            return False
        kept[node] = None
        return True

    for entity in entities:  # the asked entities and what they are (gene, parent disease, drug class)
        keep(entity)
    for entity in entities:
        for parent in sorted(graph.successors(entity)):
            keep(parent)
    for item in evidence:
        if not keep(item):
            break
        for other in sorted(set(graph.successors(item)) | set(graph.predecessors(item))):
            keep(other)
    return Selection(
        mode="default",
        nodes=list(kept),
        edges=_edges_among(graph, kept),
        total_nodes=graph.number_of_nodes(),
        limit=limit,
        truncated=truncated,
        description=description,
        highlighted=entities,
    )
