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

from kg.model import EvidenceItem, Study
from kg.model.terms import DESIGN_RANK, EvidenceLevel, StudyDesign
from kg.vocab import NodeType

if TYPE_CHECKING:
    from kg.knowledge_graph import KnowledgeGraph

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

        def design_of(item: EvidenceItem) -> StudyDesign:
            return designs_by_study.get(item.study, StudyDesign.UNSPECIFIED) if item.study else StudyDesign.UNSPECIFIED

        def rank(item: EvidenceItem) -> tuple[int, int, int, int, str]:
            return (
                _LEVEL_RANK[item.level],
                DESIGN_RANK[design_of(item)],
                -(item.rating or 0),
                0 if item.outcomes else 1,
                item.id,
            )

        items.sort(key=rank)
        index = cls(ids=[item.id for item in items], items=items, designs=[design_of(item) for item in items])
        mechanisms = kg.corpus.resistance_mechanisms
        alterations = kg.corpus.alterations
        codes: dict[tuple[str, str, str, str], int] = {}
        for position, item in enumerate(items):
            index.position[item.id] = position
            for drug in (*item.therapy, *item.therapy_classes):
                _add(index.therapy, drug, position)
            altered_genes: set[str] = set()
            for alteration in item.alterations:
                _add(index.alteration, alteration, position)
                record = alterations.get(alteration)
                if record is not None:
                    altered_genes.add(record.gene)
            for gene in item.genes:
                _add(index.gene_level, gene, position)
                altered_genes.add(gene)
            mechanism = mechanisms.get(item.mechanism) if item.mechanism else None
            if mechanism is not None:
                for target in mechanism.confers_resistance_to:
                    _add(index.therapy, target, position)
                if mechanism.alteration and mechanism.alteration not in item.alterations:
                    _add(index.alteration, mechanism.alteration, position)
                    record = alterations.get(mechanism.alteration)
                    if record is not None:
                        altered_genes.add(record.gene)
            for gene in altered_genes:
                _add(index.gene, gene, position)
            if item.disease:
                _add(index.disease, item.disease, position)
            for name, value in (
                ("evidence_type", item.evidence_type.value),
                ("direction", item.direction.value),
                ("significance", item.significance.value),
                ("level", item.level.value),
                ("design", index.designs[position].value),
            ):
                _add(index.filters, f"{name}\0{value}", position)
            for measure in {outcome.measure.value for outcome in item.outcomes}:
                _add(index.filters, f"measure\0{measure}", position)
            key = (index.designs[position].value, item.direction.value, item.evidence_type.value, item.level.value)
            code = codes.get(key)
            if code is None:
                code = codes[key] = len(index.summary_keys)
                index.summary_keys.append(key)
            index.summary_codes.append(code)
            index.diseases.append(item.disease)
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
