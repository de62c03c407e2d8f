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
4. record facets (the study, case, site, adverse event, mechanism, pathway,
   definition or evidence item asked, the alterations asked as absent) filter
   the items, or, for a question that also names a therapy, alteration or
   disease and asks them to rank (``records_rank``, how ``/ask`` reads), order
   each tier instead; the setting (prior therapy, line), the measures to order
   by and what the wording adds (:class:`~kg.query.evidence_query.Wording`) always only order it
   (:mod:`kg.query.ranking`: each result keeps the preferences it met);
5. when nothing matches, the question is relaxed step by step (drugs with
   the same target or class, then without the alteration, then without the
   therapy) and every step is reported.

The answer's JSON form (each result explained per facet, its payload, the
summary) is built above the engine, by :mod:`kg.query.answer`.

Everything that depends on one asked term only is kept in the graph's memo
(:mod:`kg.runtime.memo`): how a name resolves, and the term's facet (its
buckets and their union). A question then costs its own set operations:
the intersection of its facets and filters, the split into tiers, and the
order of the tiers it shows (:func:`ordered`). On a large index a question of
names and filters only runs the same steps on item groups (:mod:`kg.query.grouped`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from kg.query.evidence_query import (
    EvidenceQuery,
)
from kg.query.facets import (
    Facet,
    MatchKind,
    Slot,
    alteration_facet,
    disease_facet,
    distance,
    therapy_facet,
)
from kg.query.grouped import GroupedTiers
from kg.query.page import ResultRow, page
from kg.query.ranking import Preference, build_preferences, ranked, resolve_records
from kg.query.terms import ResolvedTerm, resolve_terms
from kg.runtime.groups import ItemGroups, Postings
from kg.runtime.index import EvidenceIndex
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "EvidenceAnswer",
    "Relaxation",
    "ResolvedTerm",
    "ResultRow",
    "find_evidence",
    "ordered",
]

#: Facets, by (slot, entity, the two flags that shape them): a term's buckets do not depend on the rest of a question.
FACETS: MemoSpec[tuple[Slot, str, bool, bool], Facet] = MemoSpec("facets", max_entries=20_000)
#: Facets on groups, by the key of :data:`kg.query.engine.FACETS`.
GROUP_FACETS: MemoSpec[tuple[Slot, str, bool, bool], Facet] = MemoSpec("group facets", max_entries=20_000)


#: One partition of a question's matches: its distance, how its items matched each facet, the items.
Leaf = tuple[int, tuple[MatchKind, ...], AbstractSet[int]]
#: Items in rank order: a list, or (large sets) a numpy array.
Ordered = list[int] | npt.NDArray[np.int64]
#: Tiers of at least this many items are ordered by numpy (one C sort of a copy), smaller ones by ``sorted``.
NUMPY_ORDER_FROM = 256


@dataclass(frozen=True)
class Relaxation:
    """One widening of the question, taken because the narrower question found nothing."""

    step: int
    description: str
    found: int


@dataclass
class EvidenceAnswer:
    """Every matching item (as tiers), the requested page, and how the question was read.

    Its JSON form is built above the engine, by :func:`kg.query.answer.answer_payload`.
    """

    kg: KnowledgeGraph
    query: EvidenceQuery
    terms: list[ResolvedTerm]
    facets: list[Facet]
    tiers: Sequence[tuple[int, frozenset[int]]]  # (distance, items), best first, disjoint
    rows: list[ResultRow]
    #: The items matching directly (on items; an answer on groups reads them off :attr:`groups`).
    direct_set: frozenset[int] = frozenset()
    relaxations: list[Relaxation] = field(default_factory=list)
    #: Record facet → the records asked (resolved ids).
    records: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The prior therapies asked (resolved ids).
    prior: tuple[str, ...] = ()
    preferences: list[Preference] = field(default_factory=list)
    #: Slots of which one term suffices (the therapies of a comparison: either arm).
    either: frozenset[Slot] = frozenset()
    #: The walk's partitions: (distance, how each facet matched, items); a tier is the union of its distance's.
    leaves: list[Leaf] = field(default_factory=list, repr=False)
    #: Each tier in rank order, ordered on first need (the page, then the summary's counts).
    _ordered: dict[int, Ordered] = field(default_factory=dict, repr=False, compare=False)
    #: The same tiers, partitions and direct matches as item groups, when the answer was computed on groups.
    groups: GroupedTiers | None = field(default=None, repr=False, compare=False)

    def ordered_tier(self, number: int) -> Ordered:
        """The items of tier ``number`` in rank order (ordered once per answer)."""
        found = self._ordered.get(number)
        if found is None:
            if self.groups is not None:
                groups, (_, members) = self.groups.groups, self.groups.tiers[number]
                found = self._ordered[number] = list(groups.in_order(members, self.groups.sizes[number]))
            else:
                found = self._ordered[number] = ordered(self.tiers[number][1])
        return found

    @cached_property
    def total(self) -> int:
        """Number of matching items over all tiers."""
        if self.groups is not None:
            return sum(self.groups.sizes)
        return sum(len(items) for _, items in self.tiers)

    @cached_property
    def direct_items(self) -> frozenset[int]:
        """The items matching every asked facet directly (see :attr:`direct`)."""
        return self.direct_set if self.groups is None else self.groups.direct_items()

    @property
    def direct(self) -> int:
        """Items matching every asked facet at exact, narrower or broader level (at most one broader), without relaxation."""
        if self.relaxations:
            return 0
        return len(self.direct_set) if self.groups is None else self.groups.direct_count

    @property
    def tier_distances(self) -> list[int]:
        """Each tier's distance, best first (without reading the tiers' items)."""
        return [dist for dist, _ in (self.tiers if self.groups is None else self.groups.tiers)]

    def positions(self) -> Iterable[int]:
        """Every matching item number."""
        for _, items in self.tiers:
            yield from items

    @cached_property
    def slots(self) -> list[Slot]:
        """The slot of each facet, in facet order (read per row by :meth:`is_direct`)."""
        return [facet.slot for facet in self.facets]

    def is_direct(self, row: ResultRow) -> bool:
        return not self.relaxations and _direct_kinds(row.kinds, self.slots, self.either)


def ordered(items: AbstractSet[int]) -> Ordered:
    """``items`` in rank order (ascending item numbers): a list, or for large sets a numpy array.

    Sorting a few thousand Python ints costs several passes over them; numpy
    copies them once into an array and sorts in C.
    """
    if len(items) < NUMPY_ORDER_FROM:
        return sorted(items)
    array = np.fromiter(items, dtype=np.int64, count=len(items))
    array.sort()
    return array


def _facets(
    kg: KnowledgeGraph,
    index: Postings,
    terms: list[ResolvedTerm],
    related_therapy: bool,
    include_related: bool,
    spec: MemoSpec[tuple[Slot, str, bool, bool], Facet] = FACETS,
) -> list[Facet]:
    slots = {term.slot for term in terms}
    several = {slot: sum(1 for term in terms if term.slot is slot) > 1 for slot in slots}
    memo = kg.memo.table(spec)
    facets: list[Facet] = []
    for term in terms:
        if term.slot is Slot.THERAPY:
            key = (Slot.THERAPY, term.entity, related_therapy, several[Slot.THERAPY])
        elif term.slot is Slot.ALTERATION:
            key = (Slot.ALTERATION, term.entity, include_related, not several[Slot.ALTERATION])
        else:
            key = (Slot.DISEASE, term.entity, include_related and bool(slots - {Slot.DISEASE}), False)
        facet = memo.get(key)
        if facet is None:
            facet = memo.put(key, _facet(kg, index, *key))
        facets.append(facet)
    return facets


def _facet(kg: KnowledgeGraph, index: Postings, slot: Slot, entity: str, first: bool, second: bool) -> Facet:
    """One term's facet; ``first`` and ``second`` are the flags of :data:`FACETS`' key, per slot."""
    if slot is Slot.THERAPY:  # first: related drugs count; second: one of several therapies
        facet = therapy_facet(kg, index, entity, first)
        return replace(facet, rest=MatchKind.UNMATCHED) if second else facet
    if slot is Slot.ALTERATION:  # first: related matches count; second: the alteration is required
        return alteration_facet(kg, index, entity, first, required=second)
    return disease_facet(kg, index, entity, first)  # first: "another disease" counts (another facet anchors it)


def _base(
    index: Postings,
    facets: list[Facet],
    filters: dict[str, tuple[str, ...]],
    required: Sequence[list[AbstractSet[int]]] = (),
) -> frozenset[int]:
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
        groups.append([facet.union for facet in slot_facets if facet.union])
    for name, values in filters.items():
        groups.append(list(index.filter_buckets(name, values)))
    groups += [list(group) for group in required]
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
# Read per row and per partition: on Python 3.11 a member read off its enum class is a descriptor call.
_BROADER = MatchKind.BROADER
_UNMATCHED = MatchKind.UNMATCHED
Tiers = list[tuple[int, frozenset[int]]]


#: At most this many facets may match through a broader term for the item to be direct evidence.
MAX_BROADER_FACETS = 1


def _direct_kinds(kinds: Sequence[MatchKind], slot_of: Sequence[Slot], either: AbstractSet[Slot]) -> bool:
    """Every facet matched directly, and at most one of them only through a broader term.

    In an ``either`` slot (the arms of a comparison) one of its terms
    suffices. An item about a drug class in cancer in general matches
    "cetuximab in NSCLC" through broader terms on both facets: it bears on
    the question, but it is not evidence *for* it, so it ranks as the nearest
    evidence and the answer says what was widened (:func:`_nearest`).
    """
    if not either:  # the common case, checked per row and per partition: every kind direct (C-level calls only)
        return _DIRECT.issuperset(kinds) and kinds.count(_BROADER) <= MAX_BROADER_FACETS
    if kinds.count(_BROADER) > MAX_BROADER_FACETS:
        return False
    for slot in set(slot_of):
        slot_kinds = [kind for kind, s in zip(kinds, slot_of, strict=True) if s is slot]
        matched = [kind in _DIRECT for kind in slot_kinds]
        if not (any(matched) if slot in either else all(matched)):
            return False
    return True


def _either_distance(kinds: Sequence[MatchKind], slot_of: Sequence[Slot], either: AbstractSet[Slot]) -> int:
    """Summed distance, where an ``either`` slot counts only its nearest term."""
    total = 0
    for slot in set(slot_of):
        found = [distance(slot, kind) for kind, s in zip(kinds, slot_of, strict=True) if s is slot]
        total += min(found) if slot in either else sum(found)
    return total


def _tiers(
    facets: list[Facet], base: frozenset[int], either: AbstractSet[Slot] = frozenset()
) -> tuple[Tiers, frozenset[int], list[Leaf]]:
    """Partition ``base`` by the facets' buckets; merge partitions of equal distance.

    Returns the tiers (best first), the items that match every facet
    directly, and the partitions themselves (each with its distance and how
    its items matched each facet). In an ``either`` slot (the arms of "X vs
    Y") an item is as near as its nearest term: evidence for one arm is not
    further for lacking the other.
    """
    leaves: list[Leaf] = []
    by_distance: dict[int, list[AbstractSet[int]]] = {}
    direct: list[AbstractSet[int]] = []
    slot_of = [facet.slot for facet in facets]
    # The facet numbers of each slot with several terms: such a slot must match at least one of its terms.
    several = [places for slot in set(slot_of) if len(places := [n for n, s in enumerate(slot_of) if s is slot]) > 1]

    def walk(depth: int, current: AbstractSet[int], dist: int, kinds: tuple[MatchKind, ...]) -> None:
        if not current:
            return
        if depth == len(facets):
            for places in several:
                if all(kinds[place] is _UNMATCHED for place in places):
                    return
            if either:
                dist = _either_distance(kinds, slot_of, either)
            by_distance.setdefault(dist, []).append(current)
            leaves.append((dist, kinds, current))
            if _direct_kinds(kinds, slot_of, either):
                direct.append(current)
            return
        facet = facets[depth]
        for kind, subset in facet.split(current):
            walk(depth + 1, subset, dist + distance(facet.slot, kind), (*kinds, kind))

    walk(0, base, 0, ())
    tiers = [  # a tier of one frozen partition is that partition, not a copy
        (dist, parts[0] if len(parts) == 1 and isinstance(parts[0], frozenset) else frozenset().union(*parts))
        for dist, parts in sorted(by_distance.items())
    ]
    return tiers, frozenset().union(*direct) if direct else frozenset(), leaves


def grouped_tiers(
    kg: KnowledgeGraph,
    groups: ItemGroups,
    terms: list[ResolvedTerm],
    filters: dict[str, tuple[str, ...]],
    include_related: bool,
    either: AbstractSet[Slot],
) -> tuple[list[Facet], GroupedTiers] | None:
    """The question's facets and tiers on groups; None when nothing matches and the question must be relaxed."""
    facets = _facets(kg, groups, terms, False, include_related, GROUP_FACETS)
    tiers, direct, leaves = _tiers(facets, _base(groups, facets, filters), either)
    if not tiers and terms:
        return None  # the relaxation steps run on items (kg.query.engine._relax)
    sizes = [groups.size(members) for _, members in tiers]
    return facets, GroupedTiers(groups, tiers, sizes, direct, groups.size(direct), leaves)


def find_evidence(kg: KnowledgeGraph, query: EvidenceQuery, *, groups: bool | None = None) -> EvidenceAnswer:
    """Answer a structured evidence question (see the module docstring).

    A question without record facets or preferences holding items may be
    answered on the index's item groups (:mod:`kg.query.grouped`; the same
    answer, byte for byte): by default on a large index whose groups are much
    fewer than its items (:meth:`~kg.runtime.index.EvidenceIndex.default_groups`);
    ``groups=True`` whenever it can be, ``groups=False`` never.
    """
    index = kg.index
    terms = resolve_terms(kg, query)
    records, prior = resolve_records(kg, query)
    plan = build_preferences(kg, query, terms, records, prior)
    filters = query.filters()
    either = frozenset(
        slot
        for slot, sides in ((Slot.THERAPY, query.wording.comparison), (Slot.ALTERATION, query.wording.contrast))
        if sides
    )
    grouped: GroupedTiers | None = None
    item_groups = index.groups if groups else index.default_groups() if groups is None else None
    if item_groups is not None and not plan.required and not any(p.items for p in plan.preferences):
        found = grouped_tiers(kg, item_groups, terms, filters, query.include_related, either)
        if found is not None:
            facets, grouped = found
    relaxations: list[Relaxation] = []
    tiers: Sequence[tuple[int, frozenset[int]]]
    leaves: list[Leaf]
    direct: frozenset[int]
    if grouped is not None:
        tiers, direct, leaves = grouped.expanded(), frozenset(), []
        total = sum(grouped.sizes)
        if grouped.tiers and terms and not grouped.direct:
            relaxations = _nearest(kg, facets, grouped.tiers[0], plan.preferences, grouped.sizes[0])
    else:
        facets = _facets(kg, index, terms, related_therapy=False, include_related=query.include_related)
        tiers, direct, leaves = _tiers(facets, _base(index, facets, filters, plan.required), either)
        if not tiers and terms:
            relaxed = _relax(kg, index, terms, filters, query.include_related, plan.required, either)
            tiers, facets, relaxations, leaves = relaxed
            direct = frozenset()
        elif tiers and terms and not direct:
            relaxations = _nearest(kg, facets, tiers[0], plan.preferences, len(tiers[0][1]))
        total = sum(len(items) for _, items in tiers)
    for word in plan.dropped_words:
        description = f"'{word}' names nothing in the graph and no statement: answered without it"
        relaxations.insert(0, Relaxation(0, description, total))
    relaxations = [replace(step, step=number) for number, step in enumerate(relaxations, start=1)]
    answer = EvidenceAnswer(
        kg, query, terms, facets, tiers, [], direct, relaxations, records, prior, plan.preferences, either, leaves
    )
    answer.groups = grouped
    answer.rows = page(answer, query.offset, query.limit)
    return answer


def _nearest(
    kg: KnowledgeGraph,
    facets: list[Facet],
    tier: tuple[int, frozenset[int]],
    preferences: Sequence[Preference],
    found: int,
) -> list[Relaxation]:
    """How the nearest evidence differs from a question nothing matches directly: each facet widened, as a step.

    A term of a several-term facet the nearest item does not address is not a
    widening: either arm of a comparison, any of several drugs, answers it.
    ``tier`` and ``facets`` may be on item groups (no preference holds items
    then: the first group holds the first item); ``found`` counts its items.
    """
    label = kg.resolver.label
    first = next(ranked([tier], preferences))[0]
    kinds = [facet.kind_of(first) or MatchKind.UNMATCHED for facet in facets]
    several_broader = kinds.count(MatchKind.BROADER) > MAX_BROADER_FACETS
    steps = []
    for facet, kind in zip(facets, kinds, strict=True):
        if kind is MatchKind.BROADER and several_broader:
            steps.append(f"{facet.slot.value} {label(facet.asked)} widened to a broader term")
        elif kind is MatchKind.RELATED:
            widened = {
                Slot.THERAPY: "to drugs with the same target or drug class",
                Slot.ALTERATION: "to other alterations of the same gene",
                Slot.DISEASE: "to other diseases",
            }[facet.slot]
            steps.append(f"{facet.slot.value} {label(facet.asked)} widened {widened}")
    return [Relaxation(0, description, found) for description in steps]


def _relax(
    kg: KnowledgeGraph,
    index: EvidenceIndex,
    terms: list[ResolvedTerm],
    filters: dict[str, tuple[str, ...]],
    include_related: bool,
    required: Sequence[list[AbstractSet[int]]] = (),
    either: AbstractSet[Slot] = frozenset(),
) -> tuple[Tiers, list[Facet], list[Relaxation], list[Leaf]]:
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
        tiers, _, leaves = _tiers(facets, _base(index, facets, filters, required), either)
        found = sum(len(items) for _, items in tiers)
        taken.append(Relaxation(number, description, found))
        if tiers:
            return tiers, facets, taken, leaves
    return [], _facets(kg, index, terms, False, include_related), taken, []
