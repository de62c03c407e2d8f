"""The evidence index: posting sets over evidence items, numbered in rank order.

Answering "pyrotinib in HER2-amplified NSCLC" over hundreds of thousands of
items must take a millisecond, so the query engine never scans: it
intersects posting sets (``term → set of item numbers``), which Python does
in C. Items are numbered in *static rank order* (evidence level, then study
design, then CIViC rating, then whether the item has numbers, then id), so
within one match tier the best items are simply the smallest numbers and
ranking a tier is an integer sort.

The index reads the graph's evidence nodes (their ``record`` attribute), so
it answers from exactly what the graph holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.core.vocab import NodeType
from kg.model import EvidenceItem, Study
from kg.model.terms import (
    DESIGN_RANK,
    Direction,
    EvidenceLevel,
    EvidenceType,
    OutcomeMeasure,
    Significance,
    StudyDesign,
)

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["FILTER_FIELDS", "EvidenceIndex"]

#: Filterable fields of an evidence item (name → how to read the value(s) from an item).
FILTER_FIELDS = ("evidence_type", "direction", "significance", "level", "design", "measure")

_LEVEL_RANK = {level: rank for rank, level in enumerate(EvidenceLevel)}


def _add(postings: dict[str, set[int]], key: str, position: int) -> None:
    bucket = postings.get(key)
    if bucket is None:
        postings[key] = {position}
    else:
        bucket.add(position)


@dataclass
class EvidenceIndex:
    """Posting sets of evidence items by therapy, alteration, gene, disease and filter value."""

    ids: list[str]
    items: list[EvidenceItem]
    designs: list[StudyDesign]
    therapy: dict[str, set[int]] = field(default_factory=dict)
    alteration: dict[str, set[int]] = field(default_factory=dict)
    gene: dict[str, set[int]] = field(default_factory=dict)
    gene_level: dict[str, set[int]] = field(default_factory=dict)
    disease: dict[str, set[int]] = field(default_factory=dict)
    filters: dict[str, set[int]] = field(default_factory=dict)  # 'field\0value' → items
    position: dict[str, int] = field(default_factory=dict)
    #: Per item, a small code for its (design, direction, evidence type, level) values, so an
    #: answer's summary counts a few hundred codes instead of reading four enums per item.
    summary_codes: list[int] = field(default_factory=list)
    #: Code → (design, direction, evidence type, level) values.
    summary_keys: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: Per item, its disease id (or None): breakdowns by disease count this column, not the items.
    diseases: list[str | None] = field(default_factory=list)

    @classmethod
    def from_knowledge_graph(cls, kg: KnowledgeGraph) -> EvidenceIndex:
        """Index every evidence node of the graph."""
        graph = kg.graph
        evidence_type = NodeType.EVIDENCE.value
        items: list[EvidenceItem] = [
            # networkx's node dict itself (graph.nodes(data=True) order): the view wraps every item
            record
            for _, kind, record in _typed_records(graph._node.items())
            if kind == evidence_type
        ]
        designs_by_study: dict[str, StudyDesign] = {
            study_id: study.design for study_id, study in kg.corpus.studies.items() if isinstance(study, Study)
        }
        unspecified = StudyDesign.UNSPECIFIED
        unsorted_designs = [
            designs_by_study.get(item.study, unspecified) if item.study else unspecified for item in items
        ]
        # Static rank: level, study design, CIViC rating (higher first), has numbers, id (unique: a total order).
        keys = [
            (_LEVEL_RANK[item.level], DESIGN_RANK[design], -(item.rating or 0), 0 if item.outcomes else 1, item.id)
            for item, design in zip(items, unsorted_designs, strict=True)
        ]
        order = sorted(range(len(items)), key=keys.__getitem__)
        items = [items[i] for i in order]
        designs = [unsorted_designs[i] for i in order]
        index = cls(ids=[item.id for item in items], items=items, designs=designs)
        mechanisms = kg.corpus.resistance_mechanisms
        alterations = kg.corpus.alterations
        codes: dict[tuple[str, str, str, str], int] = {}
        therapy, alteration_table, gene_table = index.therapy, index.alteration, index.gene
        gene_level, disease_table, filters = index.gene_level, index.disease, index.filters
        positions, summary_codes, summary_keys = index.position, index.summary_codes, index.summary_keys
        diseases = index.diseases
        # 'field\0value' keys per enum member, made once (not an f-string and an enum lookup per item)
        type_key = {m: f"evidence_type\0{m.value}" for m in EvidenceType}
        direction_key = {m: f"direction\0{m.value}" for m in Direction}
        significance_key = {m: f"significance\0{m.value}" for m in Significance}
        level_key = {m: f"level\0{m.value}" for m in EvidenceLevel}
        design_key = {m: f"design\0{m.value}" for m in StudyDesign}
        measure_key = {m: f"measure\0{m.value}" for m in OutcomeMeasure}
        for position, item in enumerate(items):
            positions[item.id] = position
            for drug in (*item.therapy, *item.therapy_classes):
                _add(therapy, drug, position)
            altered_genes: set[str] = set()
            for altered in item.alterations:
                _add(alteration_table, altered, position)
                record = alterations.get(altered)
                if record is not None:
                    altered_genes.add(record.gene)
            for gene in item.genes:
                _add(gene_level, gene, position)
                altered_genes.add(gene)
            mechanism = mechanisms.get(item.mechanism) if item.mechanism else None
            if mechanism is not None:
                for target in mechanism.confers_resistance_to:
                    _add(therapy, target, position)
                if mechanism.alteration and mechanism.alteration not in item.alterations:
                    _add(alteration_table, mechanism.alteration, position)
                    record = alterations.get(mechanism.alteration)
                    if record is not None:
                        altered_genes.add(record.gene)
            for gene in altered_genes:
                _add(gene_table, gene, position)
            if item.disease:
                _add(disease_table, item.disease, position)
            design = designs[position]
            for key in (
                type_key[item.evidence_type],
                direction_key[item.direction],
                significance_key[item.significance],
                level_key[item.level],
                design_key[design],
            ):
                bucket = filters.get(key)  # _add, inlined: five per item
                if bucket is None:
                    filters[key] = {position}
                else:
                    bucket.add(position)
            if item.outcomes:
                for measure in {outcome.measure for outcome in item.outcomes}:
                    _add(filters, measure_key[measure], position)
            summary = (design._value_, item.direction._value_, item.evidence_type._value_, item.level._value_)
            code = codes.get(summary)
            if code is None:
                code = codes[summary] = len(summary_keys)
                summary_keys.append(summary)
            summary_codes.append(code)
            diseases.append(item.disease)
        return index

    def __len__(self) -> int:
        return len(self.ids)

    def filter_set(self, name: str, values: Iterable[str]) -> set[int]:
        """Items whose ``name`` field has any of ``values``."""
        result: set[int] = set()
        for value in values:
            result |= self.filters.get(f"{name}\0{value}", set())
        return result

    def postings(self, table: str, terms: frozenset[str]) -> frozenset[int]:
        """Union of the posting sets of ``terms`` in one table (cached: hierarchies repeat)."""
        return _union(self, table, terms)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


@lru_cache(maxsize=4096)
def _union(index: EvidenceIndex, table: str, terms: frozenset[str]) -> frozenset[int]:
    postings: dict[str, set[int]] = getattr(index, table)
    sets = [postings[term] for term in terms if term in postings]
    if not sets:
        return frozenset()
    if len(sets) == 1:
        return frozenset(sets[0])
    return frozenset().union(*sets)


def _typed_records(nodes: Iterable[tuple[str, dict]]) -> Iterable[tuple[str, str, EvidenceItem]]:
    for node, data in nodes:
        yield node, data.get("type"), data.get("record")
