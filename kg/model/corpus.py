"""The corpus: every validated record, by type and by id.

A Corpus is what the loader returns once every check has passed, and what
the graph, the RDF writer and the exports read. Data files are grouped in
*sections* (``drugs:``, ``evidence:``, ...); :data:`SECTIONS` maps each
section name to its record class and is the single list of what a data
file may contain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar, cast

from kg.core.identifiers import node_type_of
from kg.core.vocab import NodeType
from kg.model.base import Node
from kg.model.cases import CaseEvent, PatientCase
from kg.model.entities import (
    AdverseEventTerm,
    Alteration,
    AnatomicalSite,
    BiomarkerDefinition,
    Disease,
    Drug,
    DrugClass,
    Gene,
    MolecularProfile,
    Pathway,
    ResistanceMechanism,
)
from kg.model.evidence import Assertion, EvidenceItem
from kg.model.sources import Source
from kg.model.studies import Arm, Population, Study

__all__ = ["SECTIONS", "SECTION_OF_TYPE", "Corpus"]

N = TypeVar("N", bound=Node)

#: Section name in data files → record class, in the order records are written.
SECTIONS: dict[str, type[Node]] = {
    "sources": Source,
    "drug_classes": DrugClass,
    "drugs": Drug,
    "genes": Gene,
    "alterations": Alteration,
    "molecular_profiles": MolecularProfile,
    "diseases": Disease,
    "anatomical_sites": AnatomicalSite,
    "pathways": Pathway,
    "adverse_events": AdverseEventTerm,
    "resistance_mechanisms": ResistanceMechanism,
    "biomarker_definitions": BiomarkerDefinition,
    "studies": Study,
    "populations": Population,
    "patient_cases": PatientCase,
    "evidence": EvidenceItem,
    "assertions": Assertion,
}

#: Node type → section name (top-level record types only).
SECTION_OF_TYPE: dict[NodeType, str] = {cls.node_type: name for name, cls in SECTIONS.items()}


@dataclass
class Corpus:
    """All records of a knowledge base, indexed by id.

    ``texts`` holds the plain text of every source that has one (source id →
    text), so quotes can be checked and shown in context. ``version`` names
    the data release (curated data hash plus imported releases).
    """

    records: dict[NodeType, dict[str, Node]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    version: str = "unversioned"
    nested: dict[str, Node] = field(default_factory=dict, repr=False)  # arms and case events by id

    @classmethod
    def from_records(
        cls, records: Iterable[Node], texts: dict[str, str] | None = None, version: str = "unversioned"
    ) -> Corpus:
        """Index records by type and id; a repeated id raises ``ValueError`` (the loader reports it first)."""
        corpus = cls(texts=dict(texts or {}), version=version)
        for record in records:
            corpus.add(record)
        return corpus

    def add(self, record: Node) -> None:
        """Add one record; its id must be new."""
        table = self.records.setdefault(record.node_type, {})
        if record.id in table:
            raise ValueError(f"duplicate id {record.id}")
        table[record.id] = record
        children: tuple[Node, ...] = ()
        if isinstance(record, Study):
            children = record.arms
        elif isinstance(record, PatientCase):
            children = record.events
        for child in children:
            self.nested[child.id] = child

    # -- lookups ---------------------------------------------------------------
    def table(self, node_type: NodeType) -> dict[str, Node]:
        """Records of one type by id (empty when there are none)."""
        return self.records.get(node_type, {})

    def get(self, record_id: str) -> Node | None:
        """The record with this id (top-level, arm or case event), or ``None``."""
        node_type = node_type_of(record_id)
        if node_type is None:
            return None
        if node_type in (NodeType.ARM, NodeType.CASE_EVENT):
            return self.nested.get(record_id)
        return self.table(node_type).get(record_id)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None

    def __iter__(self) -> Iterator[Node]:
        for record_class in SECTIONS.values():
            yield from self.table(record_class.node_type).values()

    def __len__(self) -> int:
        return sum(len(table) for table in self.records.values())

    def counts(self) -> dict[str, int]:
        """Number of records per section, including arms and case events."""
        counts = {name: len(self.table(cls.node_type)) for name, cls in SECTIONS.items()}
        counts["arms"] = sum(1 for _ in self.arms())
        counts["case_events"] = sum(1 for _ in self.case_events())
        counts["outcomes"] = sum(len(item.outcomes) for item in self.evidence.values())
        return counts

    def arms(self) -> Iterator[Arm]:
        """Every arm of every study."""
        for study in self.studies.values():
            yield from study.arms

    def case_events(self) -> Iterator[CaseEvent]:
        """Every event of every patient case."""
        for case in self.patient_cases.values():
            yield from case.events

    # -- typed views -------------------------------------------------------------
    @property
    def sources(self) -> dict[str, Source]:
        return cast("dict[str, Source]", self.table(NodeType.SOURCE))

    @property
    def drug_classes(self) -> dict[str, DrugClass]:
        return cast("dict[str, DrugClass]", self.table(NodeType.DRUG_CLASS))

    @property
    def drugs(self) -> dict[str, Drug]:
        return cast("dict[str, Drug]", self.table(NodeType.DRUG))

    @property
    def genes(self) -> dict[str, Gene]:
        return cast("dict[str, Gene]", self.table(NodeType.GENE))

    @property
    def alterations(self) -> dict[str, Alteration]:
        return cast("dict[str, Alteration]", self.table(NodeType.ALTERATION))

    @property
    def molecular_profiles(self) -> dict[str, MolecularProfile]:
        return cast("dict[str, MolecularProfile]", self.table(NodeType.MOLECULAR_PROFILE))

    @property
    def diseases(self) -> dict[str, Disease]:
        return cast("dict[str, Disease]", self.table(NodeType.DISEASE))

    @property
    def anatomical_sites(self) -> dict[str, AnatomicalSite]:
        return cast("dict[str, AnatomicalSite]", self.table(NodeType.ANATOMICAL_SITE))

    @property
    def pathways(self) -> dict[str, Pathway]:
        return cast("dict[str, Pathway]", self.table(NodeType.PATHWAY))

    @property
    def adverse_events(self) -> dict[str, AdverseEventTerm]:
        return cast("dict[str, AdverseEventTerm]", self.table(NodeType.ADVERSE_EVENT))

    @property
    def resistance_mechanisms(self) -> dict[str, ResistanceMechanism]:
        return cast("dict[str, ResistanceMechanism]", self.table(NodeType.RESISTANCE_MECHANISM))

    @property
    def biomarker_definitions(self) -> dict[str, BiomarkerDefinition]:
        return cast("dict[str, BiomarkerDefinition]", self.table(NodeType.BIOMARKER_DEFINITION))

    @property
    def studies(self) -> dict[str, Study]:
        return cast("dict[str, Study]", self.table(NodeType.STUDY))

    @property
    def populations(self) -> dict[str, Population]:
        return cast("dict[str, Population]", self.table(NodeType.POPULATION))

    @property
    def patient_cases(self) -> dict[str, PatientCase]:
        return cast("dict[str, PatientCase]", self.table(NodeType.PATIENT_CASE))

    @property
    def evidence(self) -> dict[str, EvidenceItem]:
        return cast("dict[str, EvidenceItem]", self.table(NodeType.EVIDENCE))

    @property
    def assertions(self) -> dict[str, Assertion]:
        return cast("dict[str, Assertion]", self.table(NodeType.ASSERTION))
