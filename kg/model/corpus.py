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
from typing import TypeVar

from kg.core.identifiers import node_type_of
from kg.core.vocab import NodeType
from kg.model.base import Record
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

R = TypeVar("R", bound=Record)

#: Section name in data files → record class, in the order records are written.
SECTIONS: dict[str, type[Record]] = {
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
SECTION_OF_TYPE: dict[NodeType, str] = {cls.node_type: name for name, cls in SECTIONS.items()}  # type: ignore[attr-defined]


@dataclass
class Corpus:
    """All records of a knowledge base, indexed by id.

    ``texts`` holds the plain text of every source that has one (source id →
    text), so quotes can be checked and shown in context. ``version`` names
    the data release (curated data hash plus imported releases).
    """

    records: dict[NodeType, dict[str, Record]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    version: str = "unversioned"
    nested: dict[str, Record] = field(default_factory=dict, repr=False)  # arms and case events by id

    @classmethod
    def from_records(
        cls, records: Iterable[Record], texts: dict[str, str] | None = None, version: str = "unversioned"
    ) -> Corpus:
        """Index records by type and id; a repeated id raises ``ValueError`` (the loader reports it first)."""
        corpus = cls(texts=dict(texts or {}), version=version)
        for record in records:
            corpus.add(record)
        return corpus

    def add(self, record: Record) -> None:
        """Add one record; its id must be new."""
        table = self.records.setdefault(record.node_type, {})  # type: ignore[attr-defined]
        if record.id in table:  # type: ignore[attr-defined]
            raise ValueError(f"duplicate id {record.id}")  # type: ignore[attr-defined]
        table[record.id] = record  # type: ignore[attr-defined]
        children: tuple[Record, ...] = ()
        if isinstance(record, Study):
            children = record.arms
        elif isinstance(record, PatientCase):
            children = record.events
        for child in children:
            self.nested[child.id] = child  # type: ignore[attr-defined]

    # -- lookups ---------------------------------------------------------------
    def table(self, node_type: NodeType) -> dict[str, Record]:
        """Records of one type by id (empty when there are none)."""
        return self.records.get(node_type, {})

    def get(self, record_id: str) -> Record | None:
        """The record with this id (top-level, arm or case event), or ``None``."""
        node_type = node_type_of(record_id)
        if node_type is None:
            return None
        if node_type in (NodeType.ARM, NodeType.CASE_EVENT):
            return self.nested.get(record_id)
        return self.table(node_type).get(record_id)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None

    def __iter__(self) -> Iterator[Record]:
        for record_class in SECTIONS.values():
            yield from self.table(record_class.node_type).values()  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return sum(len(table) for table in self.records.values())

    def counts(self) -> dict[str, int]:
        """Number of records per section, including arms and case events."""
        counts = {name: len(self.table(cls.node_type)) for name, cls in SECTIONS.items()}  # type: ignore[attr-defined]
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
        return self.table(NodeType.SOURCE)  # type: ignore[return-value]

    @property
    def drug_classes(self) -> dict[str, DrugClass]:
        return self.table(NodeType.DRUG_CLASS)  # type: ignore[return-value]

    @property
    def drugs(self) -> dict[str, Drug]:
        return self.table(NodeType.DRUG)  # type: ignore[return-value]

    @property
    def genes(self) -> dict[str, Gene]:
        return self.table(NodeType.GENE)  # type: ignore[return-value]

    @property
    def alterations(self) -> dict[str, Alteration]:
        return self.table(NodeType.ALTERATION)  # type: ignore[return-value]

    @property
    def molecular_profiles(self) -> dict[str, MolecularProfile]:
        return self.table(NodeType.MOLECULAR_PROFILE)  # type: ignore[return-value]

    @property
    def diseases(self) -> dict[str, Disease]:
        return self.table(NodeType.DISEASE)  # type: ignore[return-value]

    @property
    def anatomical_sites(self) -> dict[str, AnatomicalSite]:
        return self.table(NodeType.ANATOMICAL_SITE)  # type: ignore[return-value]

    @property
    def pathways(self) -> dict[str, Pathway]:
        return self.table(NodeType.PATHWAY)  # type: ignore[return-value]

    @property
    def adverse_events(self) -> dict[str, AdverseEventTerm]:
        return self.table(NodeType.ADVERSE_EVENT)  # type: ignore[return-value]

    @property
    def resistance_mechanisms(self) -> dict[str, ResistanceMechanism]:
        return self.table(NodeType.RESISTANCE_MECHANISM)  # type: ignore[return-value]

    @property
    def biomarker_definitions(self) -> dict[str, BiomarkerDefinition]:
        return self.table(NodeType.BIOMARKER_DEFINITION)  # type: ignore[return-value]

    @property
    def studies(self) -> dict[str, Study]:
        return self.table(NodeType.STUDY)  # type: ignore[return-value]

    @property
    def populations(self) -> dict[str, Population]:
        return self.table(NodeType.POPULATION)  # type: ignore[return-value]

    @property
    def patient_cases(self) -> dict[str, PatientCase]:
        return self.table(NodeType.PATIENT_CASE)  # type: ignore[return-value]

    @property
    def evidence(self) -> dict[str, EvidenceItem]:
        return self.table(NodeType.EVIDENCE)  # type: ignore[return-value]

    @property
    def assertions(self) -> dict[str, Assertion]:
        return self.table(NodeType.ASSERTION)  # type: ignore[return-value]
