"""The asked names of a question, resolved: each name facet's names to the entities they stand for.

How a name resolves depends on the name and its facet only, so it is kept
in the graph's memo (:data:`RESOLVED`); a molecular profile asks for each
of its alterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.core.vocab import NodeType
from kg.query.evidence_query import NAME_FACETS, EvidenceQuery, NameFacet
from kg.query.facets import Slot
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["RESOLVED", "ResolvedTerm", "resolve_terms"]


@dataclass(frozen=True)
class ResolvedTerm:
    """An asked name and the entity it resolved to."""

    slot: Slot
    asked: str
    entity: str
    label: str
    node_type: NodeType


#: Resolved terms, by (asked name, the name facet's field): names repeat across questions.
RESOLVED: MemoSpec[tuple[str, str], tuple[ResolvedTerm, ...]] = MemoSpec("resolved names", max_entries=100_000)


def resolve_terms(kg: KnowledgeGraph, query: EvidenceQuery) -> list[ResolvedTerm]:
    """The question's resolved terms, each (slot, entity) once, in name-facet order."""
    terms: list[ResolvedTerm] = []
    resolved = kg.memo.table(RESOLVED)
    for facet in NAME_FACETS:
        for asked in query.names(facet):
            key = (asked, facet.field)
            found = resolved.get(key)
            if found is None:
                found = resolved.put(key, _resolve_name(kg, facet, asked))
            terms.extend(found)
    seen: set[tuple[Slot, str]] = set()
    unique = []
    for term in terms:
        if (term.slot, term.entity) not in seen:
            seen.add((term.slot, term.entity))
            unique.append(term)
    return unique


def _resolve_name(kg: KnowledgeGraph, facet: NameFacet, asked: str) -> tuple[ResolvedTerm, ...]:
    """The terms one asked name stands for (a molecular profile: each of its alterations)."""
    resolver = kg.resolver
    entity = resolver.resolve_one(asked, facet.types, facet.field)
    node_type = resolver.node_type(entity) or facet.types[0]
    if node_type is NodeType.MOLECULAR_PROFILE:  # a profile asks for each of its alterations
        return tuple(
            ResolvedTerm(facet.slot, asked, alteration, resolver.label(alteration), NodeType.ALTERATION)
            for alteration in kg.corpus.molecular_profiles[entity].alterations
        )
    return (ResolvedTerm(facet.slot, asked, entity, resolver.label(entity), node_type),)
