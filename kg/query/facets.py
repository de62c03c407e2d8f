"""Facets: how one asked term partitions the evidence into match tiers.

For each asked term the index yields *buckets* of items, best first:
``exact`` (about the term itself), ``narrower`` (about a descendant: lung
adenocarcinoma for NSCLC, pyrotinib for "pan-ErbB TKI"), ``broader`` (about
an ancestor: "EGFR-TKIs" for osimertinib), ``related`` (same gene with
another alteration; another disease for the same drug and alteration; a
drug with the same target or class). An item's tier on a facet is the
*first* bucket that holds it. The engine combines facets by set
intersection and ranks by the summed *distance* of each facet's tier.

Buckets are the index's posting sets as they are (cached, shared), not
made disjoint up front: subtracting the earlier buckets from a later one
costs as much as the buckets are large (80,000 items for NSCLC and its
subtypes at 100×), while the engine only ever needs that precedence inside
the few items a question matches, where it applies it (``_tiers``).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from kg.core.vocab import NodeType
from kg.model import Alteration, Drug
from kg.runtime.groups import Postings

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "Facet",
    "MatchKind",
    "Slot",
    "alteration_facet",
    "disease_facet",
    "distance",
    "related_drugs",
    "therapy_facet",
]


class MatchKind(StrEnum):
    """How an item matches one asked term."""

    EXACT = "exact"
    NARROWER = "narrower"
    BROADER = "broader"
    RELATED = "related"
    UNMATCHED = "unmatched"  # one term of a several-term question the item does not address


class Slot(StrEnum):
    """The question's facets."""

    THERAPY = "therapy"
    ALTERATION = "alteration"
    DISEASE = "disease"


# Another disease is further from the question than another alteration of the
# same gene: pyrotinib in HER2-mutant NSCLC answers "pyrotinib in HER2-amplified
# NSCLC" better than pyrotinib in HER2-positive breast cancer does.
_RELATED_DISTANCE = {Slot.ALTERATION: 4, Slot.THERAPY: 5, Slot.DISEASE: 6}
_DISTANCE = {MatchKind.EXACT: 0, MatchKind.NARROWER: 1, MatchKind.BROADER: 2, MatchKind.UNMATCHED: 7}


#: ``distance(slot, kind)`` for every pair, read with one lookup (the engine asks it for every part of every split).
_DISTANCES = {
    (slot, kind): _RELATED_DISTANCE[slot] if kind is MatchKind.RELATED else _DISTANCE[kind]
    for slot in Slot
    for kind in MatchKind
}


def distance(slot: Slot, kind: MatchKind) -> int:
    """How far an item is from the question on one facet (0 = exact)."""
    return _DISTANCES[slot, kind]


@dataclass(frozen=True)
class Facet:
    """One asked term and the buckets of items that match it, in precedence order.

    Buckets may overlap: an item's tier is the first bucket that holds it
    (:meth:`kind_of`, :meth:`split`).
    """

    slot: Slot
    asked: str
    buckets: tuple[tuple[MatchKind, frozenset[int]], ...]
    rest: MatchKind | None  # tier of items in no bucket; None excludes them

    @cached_property
    def union(self) -> frozenset[int]:
        """Every item in some bucket."""
        return frozenset().union(*(items for _, items in self.buckets)) if self.buckets else frozenset()

    def kind_of(self, position: int) -> MatchKind | None:
        """The tier of one item on this facet."""
        for kind, items in self.buckets:
            if position in items:
                return kind
        return self.rest

    def split(self, items: AbstractSet[int]) -> list[tuple[MatchKind, AbstractSet[int]]]:
        """``items`` partitioned by tier, best first (empty parts left out; the rest last, if kept).

        Each bucket takes its share of what the earlier buckets left, so the
        work is a few operations on sets no larger than ``items``, whatever
        the size of the buckets.
        """
        parts: list[tuple[MatchKind, AbstractSet[int]]] = []
        remaining: set[int] | None = None
        for kind, bucket in self.buckets:
            if not bucket:
                continue
            found = (items if remaining is None else remaining) & bucket
            if not found:
                continue
            parts.append((kind, found))
            if remaining is None:
                remaining = set(items)
            remaining -= found
            if not remaining:
                return parts
        if self.rest is not None:
            rest = items if remaining is None else remaining
            if rest:
                parts.append((self.rest, rest))
        return parts


def related_drugs(kg: KnowledgeGraph, drug_id: str) -> frozenset[str]:
    """Drugs that share a target or a direct drug class with ``drug_id`` (itself excluded)."""
    drug = kg.corpus.drugs.get(drug_id)
    if not isinstance(drug, Drug):
        return frozenset()
    targets, classes = set(drug.targets), set(drug.classes)
    related = {
        other.id
        for other in kg.corpus.drugs.values()
        if other.id != drug_id and (targets & set(other.targets) or classes & set(other.classes))
    }
    return frozenset(related)


def therapy_facet(kg: KnowledgeGraph, index: Postings, term: str, include_related: bool) -> Facet:
    """Items about a drug (alone or in combination), its classes, or, if asked, related drugs."""
    hierarchy = kg.hierarchy
    ordered = [
        (MatchKind.EXACT, index.postings("therapy", frozenset({term}))),
        (MatchKind.NARROWER, index.postings("therapy", hierarchy.descendants(term))),
        (MatchKind.BROADER, index.postings("therapy", hierarchy.ancestors(term))),
    ]
    if include_related:
        ordered.append((MatchKind.RELATED, index.postings("therapy", related_drugs(kg, term))))
    return Facet(Slot.THERAPY, term, tuple(ordered), None)


def _gene_of(kg: KnowledgeGraph, term: str) -> str | None:
    if kg.resolver.node_type(term) is NodeType.GENE:
        return term
    record = kg.corpus.alterations.get(term)
    return record.gene if isinstance(record, Alteration) else None


def alteration_facet(
    kg: KnowledgeGraph, index: Postings, term: str, include_related: bool, required: bool = True
) -> Facet:
    """Items about an alteration (or a gene), its narrower and broader alterations, or the same gene.

    ``required=False`` is for the second and later alterations of a co-alteration question: items
    that lack them stay in the answer, ranked as ``unmatched`` on that term.
    """
    hierarchy = kg.hierarchy
    gene = _gene_of(kg, term)
    if term == gene:  # a gene asked as alteration facet: gene-level items exact, any alteration narrower
        ordered = [
            (MatchKind.EXACT, index.postings("gene_level", frozenset({term}))),
            (MatchKind.NARROWER, index.postings("gene", frozenset({term}))),
        ]
    else:
        ordered = [
            (MatchKind.EXACT, index.postings("alteration", frozenset({term}))),
            (MatchKind.NARROWER, index.postings("alteration", hierarchy.descendants(term))),
            (MatchKind.BROADER, index.postings("alteration", hierarchy.ancestors(term))),
        ]
        if gene is not None:
            ordered.append((MatchKind.BROADER, index.postings("gene_level", frozenset({gene}))))
            if include_related:
                ordered.append((MatchKind.RELATED, index.postings("gene", frozenset({gene}))))
    return Facet(Slot.ALTERATION, term, tuple(ordered), None if required else MatchKind.UNMATCHED)


def disease_facet(kg: KnowledgeGraph, index: Postings, term: str, include_related: bool) -> Facet:
    """Items about a disease, its subtypes, its broader diseases, or (related) any other disease."""
    hierarchy = kg.hierarchy
    ordered = [
        (MatchKind.EXACT, index.postings("disease", frozenset({term}))),
        (MatchKind.NARROWER, index.postings("disease", hierarchy.descendants(term))),
        (MatchKind.BROADER, index.postings("disease", hierarchy.ancestors(term))),
    ]
    return Facet(Slot.DISEASE, term, tuple(ordered), MatchKind.RELATED if include_related else None)
