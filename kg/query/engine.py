"""The evidence query: resolve, match through hierarchies, rank, relax, explain.

``find_evidence(kg, EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2
amplification",), disease="NSCLC"))`` returns every relevant evidence item:

1. names resolve through synonyms (``kg.resolver``); an unknown name raises
   :class:`~kg.core.errors.UnknownEntityError` with suggestions;
2. each asked term becomes a :class:`~kg.query.facets.Facet` (exact /
   narrower / broader / related buckets of items);
3. facets combine by set intersection into *tiers*, each with a distance
   (the sum of its facets' distances): items that match every facet exactly
   come first, then nearer matches; within a tier items keep the index's
   static order (evidence level, study design, rating);
4. when nothing matches, the question is relaxed step by step (drugs with
   the same target or class, then without the alteration, then without the
   therapy) and every step is reported;
5. each result explains, per facet, what it matched and how.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kg.core.errors import InvalidQueryError
from kg.core.vocab import NodeType
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, Significance, StudyDesign
from kg.query.facets import (
    Facet,
    MatchKind,
    Slot,
    alteration_facet,
    disease_facet,
    distance,
    therapy_facet,
)
from kg.query.index import EvidenceIndex

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MAX_LIMIT", "EvidenceAnswer", "EvidenceQuery", "Relaxation", "ResolvedTerm", "ResultRow", "find_evidence"]

#: Largest page a single query may ask for.
MAX_LIMIT = 500

THERAPY_TYPES = (NodeType.DRUG, NodeType.DRUG_CLASS)
ALTERATION_TYPES = (NodeType.ALTERATION, NodeType.GENE, NodeType.MOLECULAR_PROFILE)
DISEASE_TYPES = (NodeType.DISEASE,)


@dataclass(frozen=True)
class EvidenceQuery:
    """A structured evidence question. Names may be labels, synonyms or ids."""

    therapy: tuple[str, ...] = ()
    alteration: tuple[str, ...] = ()
    disease: str | None = None
    evidence_type: tuple[EvidenceType, ...] = ()
    direction: tuple[Direction, ...] = ()
    significance: tuple[Significance, ...] = ()
    level: tuple[EvidenceLevel, ...] = ()
    design: tuple[StudyDesign, ...] = ()
    measure: tuple[OutcomeMeasure, ...] = ()
    include_related: bool = True
    offset: int = 0
    limit: int = 20

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The non-empty filters, by field name."""
        named = {
            "evidence_type": self.evidence_type,
            "direction": self.direction,
            "significance": self.significance,
            "level": self.level,
            "design": self.design,
            "measure": self.measure,
        }
        return {name: tuple(v.value for v in values) for name, values in named.items() if values}


@dataclass(frozen=True)
class ResolvedTerm:
    """An asked name and the entity it resolved to."""

    slot: Slot
    asked: str
    entity: str
    label: str
    node_type: NodeType

    def to_dict(self) -> dict[str, str]:
        return {
            "facet": self.slot.value,
            "asked": self.asked,
            "id": self.entity,
            "label": self.label,
            "type": self.node_type.value,
        }


@dataclass(frozen=True)
class ResultRow:
    """One ranked result: an item number and how it matched each facet."""

    position: int
    distance: int
    kinds: tuple[MatchKind, ...]


@dataclass(frozen=True)
class Relaxation:
    """One widening of the question, taken because the narrower question found nothing."""

    step: int
    description: str
    found: int

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "description": self.description, "found": self.found}


@dataclass
class EvidenceAnswer:
    """Every matching item (as tiers), the requested page, and how the question was read."""

    kg: KnowledgeGraph
    query: EvidenceQuery
    terms: list[ResolvedTerm]
    facets: list[Facet]
    tiers: list[tuple[int, frozenset[int]]]  # (distance, items), best first, disjoint
    rows: list[ResultRow]
    direct_items: frozenset[int] = frozenset()
    relaxations: list[Relaxation] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of matching items over all tiers."""
        return sum(len(items) for _, items in self.tiers)

    @property
    def direct(self) -> int:
        """Items matching every asked facet at exact, narrower or broader level, without relaxation."""
        return 0 if self.relaxations else len(self.direct_items)

    def positions(self) -> Iterable[int]:
        """Every matching item number."""
        for _, items in self.tiers:
            yield from items

    def is_direct(self, row: ResultRow) -> bool:
        return not self.relaxations and _DIRECT.issuperset(row.kinds)

    def to_dict(self, summary: bool = True) -> dict[str, Any]:
        """The answer as JSON-ready data (page of results, explanations, summary)."""
        from kg.query.summary import summarize

        index = self.kg.index
        asked = tuple((facet.slot, facet.asked) for facet in self.facets)
        results = []
        for rank, row in enumerate(self.rows, start=self.query.offset + 1):
            item = index.items[row.position]
            results.append(
                {
                    "rank": rank,
                    "id": item.id,
                    "direct": self.is_direct(row),
                    "distance": row.distance,
                    "match": cached_explanation(self.kg, item, self.facets, row, asked),
                    "evidence": cached_payload(self.kg, item.id),
                }
            )
        answer: dict[str, Any] = {
            "query": {
                "resolved": [term.to_dict() for term in self.terms],
                "filters": {name: list(values) for name, values in self.query.filters().items()},
                "include_related": self.query.include_related,
            },
            "total": self.total,
            "direct": self.direct,
            "offset": self.query.offset,
            "limit": self.query.limit,
            "relaxations": [step.to_dict() for step in self.relaxations],
            "results": results,
        }
        if summary:
            answer["summary"] = summarize(self)
        return answer


#: Explanations kept per knowledge graph before the memo starts afresh (bounds its memory).
EXPLANATION_CACHE_SIZE = 100_000


def cached_explanation(
    kg: KnowledgeGraph,
    item: Any,
    facets: list[Facet],
    row: ResultRow,
    asked: tuple[tuple[Slot, str], ...],
) -> list[dict[str, Any]]:
    """:func:`~kg.query.explain.explain_row`, memoised per knowledge graph.

    An explanation depends only on the item, the asked terms (slot and
    entity of each facet) and how the item matched each of them, all fixed
    for a given graph; like payloads, the same lists are handed out again.
    """
    from kg.query.explain import explain_row

    cache: dict[tuple[Any, ...], list[dict[str, Any]]] = kg.__dict__.setdefault("_explanation_cache", {})
    key = (row.position, asked, row.kinds)
    explanation = cache.get(key)
    if explanation is None:
        if len(cache) >= EXPLANATION_CACHE_SIZE:
            cache.clear()
        explanation = cache[key] = explain_row(kg, item, facets, row)
    return explanation


def cached_payload(kg: KnowledgeGraph, evidence_id: str) -> dict[str, Any]:
    """The question-independent payload of an evidence item, built once."""
    from kg.query.payload import evidence_payload

    cache: dict[str, dict[str, Any]] = kg.__dict__.setdefault("_payload_cache", {})
    payload = cache.get(evidence_id)
    if payload is None:
        payload = evidence_payload(kg, kg.corpus.evidence[evidence_id])
        cache[evidence_id] = payload
    return payload


def _resolve(kg: KnowledgeGraph, query: EvidenceQuery) -> list[ResolvedTerm]:
    terms: list[ResolvedTerm] = []
    resolver = kg.resolver

    def add(slot: Slot, asked: str, types: Sequence[NodeType]) -> None:
        entity = resolver.resolve_one(asked, types, slot.value)
        node_type = resolver.node_type(entity) or types[0]
        if node_type is NodeType.MOLECULAR_PROFILE:  # a profile asks for each of its alterations
            profile = kg.corpus.molecular_profiles[entity]
            for alteration in profile.alterations:
                terms.append(ResolvedTerm(slot, asked, alteration, resolver.label(alteration), NodeType.ALTERATION))
            return
        terms.append(ResolvedTerm(slot, asked, entity, resolver.label(entity), node_type))

    for name in query.therapy:
        add(Slot.THERAPY, name, THERAPY_TYPES)
    for name in query.alteration:
        add(Slot.ALTERATION, name, ALTERATION_TYPES)
    if query.disease:
        add(Slot.DISEASE, query.disease, DISEASE_TYPES)
    seen: set[tuple[Slot, str]] = set()
    unique = []
    for term in terms:
        if (term.slot, term.entity) not in seen:
            seen.add((term.slot, term.entity))
            unique.append(term)
    return unique


def _facets(
    kg: KnowledgeGraph, index: EvidenceIndex, terms: list[ResolvedTerm], related_therapy: bool, include_related: bool
) -> list[Facet]:
    slots = {term.slot for term in terms}
    several = {slot: sum(1 for term in terms if term.slot is slot) > 1 for slot in slots}
    facets: list[Facet] = []
    for term in terms:
        if term.slot is Slot.THERAPY:
            facet = therapy_facet(kg, index, term.entity, related_therapy)
            if several[Slot.THERAPY]:
                facet = replace(facet, rest=MatchKind.UNMATCHED)
        elif term.slot is Slot.ALTERATION:
            facet = alteration_facet(kg, index, term.entity, include_related, required=not several[Slot.ALTERATION])
        else:
            anchored = include_related and bool(slots - {Slot.DISEASE})  # "another disease" needs another facet
            facet = disease_facet(kg, index, term.entity, anchored)
        facets.append(facet)
    return facets


def _base(index: EvidenceIndex, facets: list[Facet], filters: dict[str, tuple[str, ...]]) -> frozenset[int]:
    """Items every required facet and every filter admits.

    Each constraint is a union of sets (a slot's buckets, a filter's values).
    The smallest union is built first; every other constraint is applied as
    ``base & (A ∪ B ∪ …) = (base & A) ∪ (base & B) ∪ …``, which only ever
    touches sets as large as ``base`` (never the 80,000-item union of a broad
    disease).
    """
    groups: list[list[AbstractSet[int]]] = []
    for slot in Slot:
        slot_facets = [facet for facet in facets if facet.slot is slot]
        if not slot_facets or any(facet.rest is MatchKind.RELATED for facet in slot_facets):
            continue
        groups.append([items for facet in slot_facets for _, items in facet.buckets if items])
    for name, values in filters.items():
        groups.append([bucket for value in values if (bucket := index.filters.get(f"{name}\0{value}"))])
    if not groups:
        return frozenset(range(len(index)))
    groups.sort(key=lambda group: sum(len(items) for items in group))
    first, *others = groups
    base = first[0] if len(first) == 1 and isinstance(first[0], frozenset) else frozenset().union(*first)
    for group in others:
        if not base:
            break
        parts = [base & items for items in group]
        base = parts[0] if len(parts) == 1 else frozenset().union(*parts) if parts else frozenset()
    return frozenset(base)


_DIRECT = frozenset({MatchKind.EXACT, MatchKind.NARROWER, MatchKind.BROADER})
Tiers = list[tuple[int, frozenset[int]]]


def _tiers(facets: list[Facet], base: frozenset[int]) -> tuple[Tiers, frozenset[int]]:
    """Partition ``base`` by the facets' buckets; merge partitions of equal distance.

    Returns the tiers (best first) and the items that match every facet directly.
    """
    by_distance: dict[int, list[AbstractSet[int]]] = {}
    direct: list[AbstractSet[int]] = []
    slot_of = [facet.slot for facet in facets]

    def walk(depth: int, current: AbstractSet[int], dist: int, kinds: tuple[MatchKind, ...]) -> None:
        if not current:
            return
        if depth == len(facets):
            for slot in set(slot_of):  # a several-term slot must match at least one of its terms
                slot_kinds = [kind for kind, s in zip(kinds, slot_of, strict=True) if s is slot]
                if len(slot_kinds) > 1 and all(kind is MatchKind.UNMATCHED for kind in slot_kinds):
                    return
            by_distance.setdefault(dist, []).append(current)
            if all(kind in _DIRECT for kind in kinds):
                direct.append(current)
            return
        facet = facets[depth]
        for kind, subset in facet.split(current):
            walk(depth + 1, subset, dist + distance(facet.slot, kind), (*kinds, kind))

    walk(0, base, 0, ())
    tiers = [(dist, frozenset().union(*parts)) for dist, parts in sorted(by_distance.items())]
    return tiers, frozenset().union(*direct) if direct else frozenset()


def _page(facets: list[Facet], tiers: Tiers, offset: int, limit: int) -> list[ResultRow]:
    rows: list[ResultRow] = []
    skip = offset
    for dist, items in tiers:
        if skip >= len(items):
            skip -= len(items)
            continue
        for position in sorted(items)[skip : skip + limit - len(rows)]:
            kinds = tuple(facet.kind_of(position) or MatchKind.UNMATCHED for facet in facets)
            rows.append(ResultRow(position, dist, kinds))
        skip = 0
        if len(rows) >= limit:
            break
    return rows


def _validate(query: EvidenceQuery) -> None:
    if query.limit < 1 or query.limit > MAX_LIMIT:
        raise InvalidQueryError("limit", query.limit, f"an integer from 1 to {MAX_LIMIT}")
    if query.offset < 0:
        raise InvalidQueryError("offset", query.offset, "an integer ≥ 0")


def find_evidence(kg: KnowledgeGraph, query: EvidenceQuery) -> EvidenceAnswer:
    """Answer a structured evidence question (see the module docstring)."""
    _validate(query)
    index = kg.index
    terms = _resolve(kg, query)
    filters = query.filters()
    facets = _facets(kg, index, terms, related_therapy=False, include_related=query.include_related)
    tiers, direct = _tiers(facets, _base(index, facets, filters))
    relaxations: list[Relaxation] = []
    if not tiers and terms:
        tiers, facets, relaxations = _relax(kg, index, terms, filters, query.include_related)
        direct = frozenset()
    rows = _page(facets, tiers, query.offset, query.limit)
    return EvidenceAnswer(kg, query, terms, facets, tiers, rows, direct, relaxations)


def _relax(
    kg: KnowledgeGraph,
    index: EvidenceIndex,
    terms: list[ResolvedTerm],
    filters: dict[str, tuple[str, ...]],
    include_related: bool,
) -> tuple[Tiers, list[Facet], list[Relaxation]]:
    """Widen the question one step at a time until something matches; report each step."""
    steps: list[tuple[str, list[ResolvedTerm], bool]] = []
    therapy_names = ", ".join(t.label for t in terms if t.slot is Slot.THERAPY)
    alteration_names = ", ".join(t.label for t in terms if t.slot is Slot.ALTERATION)
    if therapy_names:
        steps.append((f"therapy widened from {therapy_names} to drugs with the same target or drug class", terms, True))
    if alteration_names and len({t.slot for t in terms}) > 1:
        without = [t for t in terms if t.slot is not Slot.ALTERATION]
        steps.append((f"alteration {alteration_names} dropped", without, True))
    if therapy_names and len({t.slot for t in terms}) > 1:
        without = [t for t in terms if t.slot is not Slot.THERAPY]
        steps.append((f"therapy {therapy_names} dropped", without, False))
    taken: list[Relaxation] = []
    for number, (description, step_terms, related_therapy) in enumerate(steps, start=1):
        facets = _facets(kg, index, step_terms, related_therapy=related_therapy, include_related=include_related)
        tiers, _ = _tiers(facets, _base(index, facets, filters))
        found = sum(len(items) for _, items in tiers)
        taken.append(Relaxation(number, description, found))
        if tiers:
            return tiers, facets, taken
    return [], _facets(kg, index, terms, False, include_related), taken
