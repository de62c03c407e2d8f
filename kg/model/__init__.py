"""The evidence model: typed, validated, sourced records (pydantic v2).

See README.md ("Data model") for a diagram. Import records from here::

    from kg.model import EvidenceItem, Outcome, Corpus
"""

from kg.model.base import Entity, Node, Quote, Record, Xref
from kg.model.cases import CaseEvent, PatientCase
from kg.model.corpus import SECTIONS, Corpus
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
from kg.model.evidence import AdverseEventOccurrence, Assertion, EvidenceItem
from kg.model.outcomes import Outcome
from kg.model.sources import Source
from kg.model.studies import Arm, Population, Study

__all__ = [
    "SECTIONS",
    "AdverseEventOccurrence",
    "AdverseEventTerm",
    "Alteration",
    "AnatomicalSite",
    "Arm",
    "Assertion",
    "BiomarkerDefinition",
    "CaseEvent",
    "Corpus",
    "Disease",
    "Drug",
    "DrugClass",
    "Entity",
    "EvidenceItem",
    "Gene",
    "MolecularProfile",
    "Node",
    "Outcome",
    "Pathway",
    "PatientCase",
    "Population",
    "Quote",
    "Record",
    "ResistanceMechanism",
    "Source",
    "Study",
    "Xref",
]
