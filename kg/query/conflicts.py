"""Conflicting evidence: the same claim about the same therapy, alteration and disease, with opposite directions.

Two evidence items conflict when

* they make the same kind of claim: the same evidence type and the same
  significance (CIViC's direction is relative to the item's own claim, so a
  "supports" of a clinical-practice statement says nothing against a
  "does not support" of a predictive one);
* one supports its claim and the other does not support it;
* they are about the same therapy, the same alteration and the same disease,
  where "the same" admits one side being the broader term of the other
  through the hierarchies: a claim about HER2-targeted therapy covers
  pyrotinib, one about ERBB2 alterations covers ERBB2 amplification, one
  about NSCLC covers lung adenocarcinoma. A combination is compared as a
  whole (as many parts, each matched), substitutes each on its own, a
  co-alteration profile as a whole; an item that names no therapy (or no
  alteration, or no disease) conflicts only with items that name none either.

Conflicts are looked for over the whole graph, not only among the matches of
the question, so the other side is shown even where the question did not
reach it. Candidates come from the evidence index's posting sets (opposite
direction, same type and significance, related disease, therapy and
alteration terms), each is then checked against the rule above; an item's
partners depend on the graph alone and are kept in its memo (:data:`PARTNERS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Annotated

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.graph.internals import node_table
from kg.model import EvidenceItem
from kg.model.terms import AlterationLogic, Direction, TherapyInteraction
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.index import EvidenceIndex
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MAX_SHOWN", "PARTNERS", "SIDES", "Conflict", "ConflictItem", "conflicts", "in_conflict"]

_FORBID = ConfigDict(extra="forbid")

#: Items shown per side of one conflict (the totals count them all).
MAX_SHOWN = 10

_OPPOSITE = {Direction.SUPPORTS: Direction.DOES_NOT_SUPPORT, Direction.DOES_NOT_SUPPORT: Direction.SUPPORTS}


@with_config(_FORBID)
class ConflictItem(TypedDict):
    """One side's evidence item, enough to read it next to the other side."""

    id: Annotated[str, Field(examples=["ev:pan-zhou-2024-her2-targeted-therapy-limited-efficacy"])]
    rank: Annotated[
        int | None, Field(description="Its rank in this answer, or None when the question did not match it.")
    ]
    in_answer: bool
    statement: str
    direction: str
    level: str
    therapy: list[str]
    alterations: list[str]
    disease: str | None
    study: str | None
    quote: str
    quote_source: str


@with_config(_FORBID)
class Conflict(TypedDict):
    """Items making one claim with opposite directions: both sides, best first."""

    claim: Annotated[str, Field(examples=["predictive, sensitivity response"])]
    therapy: list[str]
    alterations: list[str]
    disease: list[str]
    supports: list[ConflictItem]
    supports_total: int
    does_not_support: list[ConflictItem]
    does_not_support_total: int


#: Per evidence item id, the index positions of the items it conflicts with.
PARTNERS: MemoSpec[str, frozenset[int]] = MemoSpec("conflict partners", max_entries=1_000_000)
#: Per evidence item id, its entry on a side of a conflict (before its rank in an answer is set).
SIDES: MemoSpec[str, ConflictItem] = MemoSpec("conflict sides", max_entries=100_000)


# -- the rule --------------------------------------------------------------------------------------------


def _therapy_units(item: EvidenceItem) -> tuple[frozenset[str], ...]:
    terms = (*item.therapy, *item.therapy_classes)
    if item.therapy_interaction is TherapyInteraction.SUBSTITUTES:
        return tuple(frozenset({term}) for term in terms)
    return (frozenset(terms),)


def _alteration_units(item: EvidenceItem) -> tuple[frozenset[str], ...]:
    terms = item.alterations or item.genes
    if item.alteration_logic is AlterationLogic.ANY:
        return tuple(frozenset({term}) for term in terms)
    return (frozenset(terms),)


def _related(kg: KnowledgeGraph, a: str, b: str) -> bool:
    """The same term, or one broader than the other (an alteration's gene counts as broader than it)."""
    if a == b or a in kg.hierarchy.ancestors(b) or b in kg.hierarchy.ancestors(a):
        return True
    alterations = kg.corpus.alterations
    return (a in alterations and alterations[a].gene == b) or (b in alterations and alterations[b].gene == a)


def _units_match(kg: KnowledgeGraph, left: frozenset[str], right: frozenset[str]) -> bool:
    """As many parts on each side, and each part of ``left`` matched to its own related part of ``right``."""
    if len(left) != len(right):
        return False
    remaining = sorted(right)

    def place(parts: list[str]) -> bool:
        if not parts:
            return True
        head, *rest = parts
        for candidate in list(remaining):
            if _related(kg, head, candidate):
                remaining.remove(candidate)
                if place(rest):
                    return True
                remaining.append(candidate)
        return False

    return place(sorted(left))


def _facet_match(kg: KnowledgeGraph, left: Iterable[frozenset[str]], right: Sequence[frozenset[str]]) -> bool:
    return any(_units_match(kg, a, b) for a in left for b in right)


def in_conflict(kg: KnowledgeGraph, a: EvidenceItem, b: EvidenceItem) -> bool:
    """Whether ``a`` and ``b`` conflict (the rule of the module docstring)."""
    if _OPPOSITE.get(a.direction) is not b.direction:
        return False
    if a.evidence_type is not b.evidence_type or a.significance is not b.significance:
        return False
    if (a.disease is None) != (b.disease is None):
        return False
    if a.disease is not None and b.disease is not None and not _related(kg, a.disease, b.disease):
        return False
    return _facet_match(kg, _therapy_units(a), _therapy_units(b)) and _facet_match(
        kg, _alteration_units(a), _alteration_units(b)
    )


# -- candidates from the index ------------------------------------------------------------------------------


def _around(kg: KnowledgeGraph, terms: Iterable[str]) -> frozenset[str]:
    """The terms with everything broader and narrower than them."""
    found: set[str] = set()
    for term in terms:
        found.add(term)
        found |= kg.hierarchy.ancestors(term)
        found |= kg.hierarchy.descendants(term)
    return frozenset(found)


def _candidates(kg: KnowledgeGraph, index: EvidenceIndex, item: EvidenceItem) -> AbstractSet[int]:
    opposite = _OPPOSITE.get(item.direction)
    if opposite is None:
        return frozenset()
    constraints: list[AbstractSet[int]] = []
    for name, value in (
        ("direction", opposite.value),
        ("evidence_type", item.evidence_type.value),
        ("significance", item.significance.value),
    ):
        buckets = index.filter_buckets(name, (value,))
        if not buckets:
            return frozenset()
        constraints.append(buckets[0])
    for table, terms in (
        ("disease", (item.disease,) if item.disease else ()),
        ("therapy", (*item.therapy, *item.therapy_classes)),
        ("alteration", item.alterations),
    ):
        if terms:
            constraints.append(index.postings(table, _around(kg, terms)))
    constraints.sort(key=len)
    found: AbstractSet[int] = constraints[0]
    for other in constraints[1:]:
        if not found:
            break
        found = found & other
    return found


def _partners(kg: KnowledgeGraph, index: EvidenceIndex, item: EvidenceItem) -> frozenset[int]:
    items = index.items
    return frozenset(p for p in _candidates(kg, index, item) if in_conflict(kg, item, items[p]))


# -- the answer's conflicts -----------------------------------------------------------------------------------


def _labels(kg: KnowledgeGraph, ids: Iterable[str]) -> list[str]:
    nodes = node_table(kg.graph)  # networkx's node dict, read only
    return [str(nodes[i]["label"]) if i in nodes else i for i in ids]


def _side_item(kg: KnowledgeGraph, item: EvidenceItem) -> ConflictItem:
    """The item's side entry, without its rank in an answer (``rank`` None, ``in_answer`` False)."""
    source = kg.corpus.sources.get(item.quote.source)
    study = kg.corpus.studies.get(item.study) if item.study else None
    return {
        "id": item.id,
        "rank": None,
        "in_answer": False,
        "statement": item.statement,
        "direction": item.direction.value,
        "level": item.level.value,
        "therapy": _labels(kg, (*item.therapy, *item.therapy_classes)),
        "alterations": _labels(kg, item.alterations or item.genes),
        "disease": _labels(kg, (item.disease,))[0] if item.disease else None,
        "study": study.name if study is not None else None,
        "quote": item.quote.full_text(),
        "quote_source": source.short_citation if source else item.quote.source,
    }


def _components(edges: Mapping[int, frozenset[int]]) -> list[set[int]]:
    """Connected components of the conflict graph: each item with its partners, merged where they overlap.

    Set merges rather than a per-element union-find: at 100x one answer has
    ~100,000 item-partner edges but only a few components, so the work is a
    few C-level set operations per item rather than Python calls per edge.
    """
    components: list[set[int]] = []
    for position, partners in edges.items():
        group = set(partners)
        group.add(position)
        kept: list[set[int]] = []
        for component in components:
            if component.isdisjoint(group):
                kept.append(component)
            else:
                group |= component
        kept.append(group)
        components = kept
    return components


def conflicts(kg: KnowledgeGraph, positions: Sequence[int], ranks: Mapping[int, int]) -> list[Conflict]:
    """The conflicts involving the items at ``positions`` (their ``ranks`` in the answer), best-ranked first."""
    index = kg.index
    items_of, ids = index.items, index.ids
    partners_table, sides_table = kg.memo.table(PARTNERS), kg.memo.table(SIDES)
    edges: dict[int, frozenset[int]] = {}
    for position in positions:
        item = items_of[position]
        partners = partners_table.get(item.id)
        if partners is None:
            partners = partners_table.put(item.id, _partners(kg, index, item))
        if partners:
            edges[position] = partners
    found: list[tuple[int, Conflict]] = []
    for component in _components(edges):
        order = sorted(component, key=lambda p: (ranks.get(p) is None, ranks.get(p, 0), p))
        items = [index.items[p] for p in order]
        sides: dict[Direction, list[ConflictItem]] = {Direction.SUPPORTS: [], Direction.DOES_NOT_SUPPORT: []}
        totals = dict.fromkeys(sides, 0)
        for position, item in zip(order, items, strict=True):
            totals[item.direction] += 1
            if len(sides[item.direction]) < MAX_SHOWN:
                entry = sides_table.get(ids[position]) or sides_table.put(ids[position], _side_item(kg, item))
                rank = ranks.get(position)
                sides[item.direction].append(entry if rank is None else {**entry, "rank": rank, "in_answer": True})
        first = items[0]
        claim = f"{first.evidence_type.value}, {first.significance.value}".replace("_", " ")
        conflict: Conflict = {
            "claim": claim,
            "therapy": sorted(set(_labels(kg, {t for i in items for t in (*i.therapy, *i.therapy_classes)}))),
            "alterations": sorted(set(_labels(kg, {a for i in items for a in (i.alterations or i.genes)}))),
            "disease": sorted(set(_labels(kg, {i.disease for i in items if i.disease}))),
            "supports": sides[Direction.SUPPORTS],
            "supports_total": totals[Direction.SUPPORTS],
            "does_not_support": sides[Direction.DOES_NOT_SUPPORT],
            "does_not_support_total": totals[Direction.DOES_NOT_SUPPORT],
        }
        found.append((min(ranks.get(p, 1 << 30) for p in component), conflict))
    found.sort(key=lambda pair: pair[0])
    return [conflict for _, conflict in found]
