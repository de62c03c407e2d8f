"""The RDF mapping: for every field of every record model, the property that carries it.

This table is the single place that says how a record becomes RDF; the
writer (:mod:`kg.rdf.emit`), the reader (:mod:`kg.rdf.read`), the ontology
and the SHACL shapes all follow it. The curator adds optional fields to the
model over time, so nothing here is guessed from field names: a field that
is not listed is reported by :func:`unmapped_fields` (a test requires it to
be empty), and the writer refuses to export a record that holds a value in
an unmapped field (:class:`~kg.core.errors.ExportError`), so data is never
silently dropped.

How a value is written (its :class:`Kind`) is read off the field's type
annotation, so a new ``Decimal`` field is written as ``xsd:decimal`` without
anyone having to remember it; only the property must be chosen by a person.

Multi-valued fields are sets in RDF (repeated triples) unless their order
carries meaning (:data:`ORDERED_FIELDS`): nested records (arms, case events,
outcomes) then get an ``ekg:order`` position and literal sequences (authors,
quote continuations) become an ``rdf:List``.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum
from functools import cache

from pydantic import BaseModel
from rdflib import URIRef

from kg.core.vocab import NodeType
from kg.model import (
    SECTIONS,
    AdverseEventOccurrence,
    Arm,
    CaseEvent,
    Outcome,
    Quote,
    Xref,
)
from kg.model.base import Ref
from kg.rdf.namespace import BIBO, DCTERMS, EKG, PROV, SKOS

__all__ = [
    "CLASS_OF_MODEL",
    "NESTED_MODELS",
    "ORDERED_FIELDS",
    "FieldMap",
    "Kind",
    "field_maps",
    "is_record_model",
    "mapped_models",
    "unmapped_fields",
]


class Kind(Enum):
    """How a field's value is written."""

    ID = "id"  # the record's own id: the subject IRI
    REF = "ref"  # id of another record: an IRI
    TEXT = "text"  # plain string literal
    ENUM = "enum"  # closed value set: plain string literal of the enum value
    DECIMAL = "decimal"  # xsd:decimal, lexical form as published
    INTEGER = "integer"  # xsd:integer
    BOOLEAN = "boolean"  # xsd:boolean
    PARTIAL_DATE = "partial_date"  # xsd:gYear / xsd:gYearMonth / xsd:date by precision
    YEAR = "year"  # xsd:gYear from an int
    ANY_URI = "any_uri"  # xsd:anyURI
    NESTED = "nested"  # a part of the record with a node of its own (quote, xref, arm, outcome, ...)


@dataclass(frozen=True)
class FieldMap:
    """How one model field is written: property, kind, cardinality and direction."""

    model: type[BaseModel]
    name: str
    prop: URIRef
    kind: Kind
    many: bool
    ordered: bool = False
    inverse: bool = False  # the triple is written object → subject (Population.study as study hasPopulation pop)
    target: type[BaseModel] | None = None  # model of a NESTED field
    enum: type[StrEnum] | None = None
    ref_types: tuple[NodeType, ...] = ()


#: RDF class (ekg local name) of every model that becomes a node.
CLASS_OF_MODEL: dict[type[BaseModel], URIRef] = {
    **{cls: EKG[cls.node_type.info.rdf_class] for cls in SECTIONS.values()},  # type: ignore[attr-defined]
    Arm: EKG.StudyArm,
    CaseEvent: EKG.CaseEvent,
    Outcome: EKG.Outcome,
    Quote: EKG.Quote,
    Xref: EKG.CrossReference,
    AdverseEventOccurrence: EKG.AdverseEventOccurrence,
}

#: Models that only occur inside another record.
NESTED_MODELS: tuple[type[BaseModel], ...] = (Arm, CaseEvent, Outcome, Quote, Xref, AdverseEventOccurrence)

#: Multi-valued fields whose order is kept (everything else is a set).
ORDERED_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("Source", "authors"),
        ("Quote", "continuation"),
        ("Study", "arms"),
        ("PatientCase", "events"),
        ("EvidenceItem", "outcomes"),
    }
)

_LABEL = SKOS.prefLabel
_NOTE = SKOS.editorialNote

# Fields of Entity (drugs, genes, diseases, ...); subclasses add their own below.
_ENTITY = {
    "label": _LABEL,
    "synonyms": SKOS.altLabel,
    "description": DCTERMS.description,
    "xrefs": EKG.xref,
    "provenance": EKG.provenanceQuote,
    "curator_note": _NOTE,
}

#: Property of every field, by model name. ``id`` is the subject and is not listed.
_PROPERTIES: dict[str, dict[str, URIRef]] = {
    "Source": {
        "kind": EKG.sourceKind,
        "short_citation": DCTERMS.bibliographicCitation,
        "title": DCTERMS.title,
        "journal": EKG.journal,
        "year": DCTERMS.issued,
        "authors": BIBO.authorList,
        "xrefs": EKG.xref,
        "registry_ids": EKG.registryId,
        "url": EKG.url,
        "license": DCTERMS.license,
        "text_file": EKG.textFile,
        "reported_in": EKG.reportedBy,
        "reference_numbers": EKG.referenceNumber,
        "curator_note": _NOTE,
    },
    "DrugClass": {**_ENTITY, "parents": EKG.isA},
    "Drug": {**_ENTITY, "modality": EKG.modality, "classes": EKG.inDrugClass, "targets": EKG.targets},
    "Gene": {**_ENTITY, "symbol": EKG.geneSymbol},
    "Alteration": {
        **_ENTITY,
        "gene": EKG.alterationOf,
        "kind": EKG.alterationKind,
        "variant": EKG.variantName,
        "parents": EKG.isA,
        "hgvs": EKG.hgvs,
    },
    "MolecularProfile": {
        **_ENTITY,
        "alterations": EKG.hasComponent,
        "negated": EKG.negatedComponent,
        "logic": EKG.alterationLogic,
        "expression": EKG.profileExpression,
    },
    "Disease": {**_ENTITY, "parents": EKG.isA},
    "AnatomicalSite": dict(_ENTITY),
    "Pathway": dict(_ENTITY),
    "AdverseEventTerm": {**_ENTITY, "ctcae_term": EKG.ctcaeTerm},
    "ResistanceMechanism": {
        **_ENTITY,
        "category": EKG.mechanismCategory,
        "alteration": EKG.involves,
        "confers_resistance_to": EKG.confersResistanceTo,
        "parents": EKG.isA,
    },
    "BiomarkerDefinition": {
        "label": _LABEL,
        "biomarker": EKG.defines,
        "measurement": EKG.measurement,
        "comparator": EKG.comparator,
        "threshold": EKG.threshold,
        "assay": EKG.assay,
        "guideline": EKG.describedIn,
        "quote": PROV.wasDerivedFrom,
        "curator_note": _NOTE,
    },
    "Study": {
        "name": _LABEL,
        "design": EKG.studyDesign,
        "phase": EKG.phase,
        "blinding": EKG.blinding,
        "randomized": EKG.randomized,
        "multicenter": EKG.multicenter,
        "prospective": EKG.prospective,
        "sample_size": EKG.sampleSize,
        "arms": EKG.hasArm,
        "line_of_therapy": EKG.lineOfTherapy,
        "setting": EKG.setting,
        "registry_ids": EKG.registryId,
        "sources": EKG.describedIn,
        "provenance": EKG.provenanceQuote,
        "limitations": EKG.limitation,
        "curator_note": _NOTE,
    },
    "Arm": {"label": _LABEL, "role": EKG.armRole, "drugs": EKG.receives, "placebo": EKG.placebo},
    "Population": {
        "label": _LABEL,
        "study": EKG.hasPopulation,  # inverse: study hasPopulation population
        "parent": EKG.subgroupOf,
        "disease": EKG.hasDisease,
        "stage": EKG.stage,
        "alterations": EKG.requiresAlteration,
        "prior_therapies": EKG.priorTherapy,
        "prior_therapy_text": EKG.priorTherapyText,
        "metastasis_sites": EKG.metastasisSite,
        "size": EKG.populationSize,
        "provenance": EKG.provenanceQuote,
        "curator_note": _NOTE,
    },
    "PatientCase": {
        "label": _LABEL,
        "source": EKG.describedIn,
        "age": EKG.ageYears,
        "sex": EKG.sex,
        "disease": EKG.hasDisease,
        "stage": EKG.stage,
        "alterations": EKG.carries,
        "events": EKG.hasEvent,
        "provenance": EKG.provenanceQuote,
        "curator_notes": _NOTE,
    },
    "CaseEvent": {
        "kind": EKG.eventKind,
        "label": _LABEL,
        "date": DCTERMS.date,
        "end_date": EKG.endDate,
        "date_text": EKG.dateText,
        "drugs": EKG.administered,
        "procedure": EKG.procedure,
        "dose": EKG.dose,
        "cycles": EKG.cycles,
        "line_of_therapy": EKG.therapyLine,
        "response": EKG.response,
        "assesses": EKG.assesses,
        "alterations": EKG.detected,
        "negative_genes": EKG.negativeGene,
        "sites": EKG.metastasisSite,
        "adverse_events": EKG.adverseEvent,
        "finding": EKG.finding,
        "tumor_size": EKG.tumorSize,
        "response_criteria": EKG.responseCriteria,
        "quote": PROV.wasDerivedFrom,
        "provenance": EKG.provenanceQuote,
        "curator_note": _NOTE,
    },
    "AdverseEventOccurrence": {
        "term": EKG.adverseEventTerm,
        "grade": EKG.grade,
        "grade_comparator": EKG.gradeComparator,
        "ctcae_version": EKG.ctcaeVersion,
    },
    "Outcome": {
        "measure": EKG.measure,
        "value": EKG.value,
        "value_comparator": EKG.valueComparator,
        "range_low": EKG.rangeLow,
        "range_high": EKG.rangeHigh,
        "unit": EKG.unit,
        "ci_level": EKG.ciLevel,
        "ci_lower": EKG.ciLower,
        "ci_upper": EKG.ciUpper,
        "p_value": EKG.pValue,
        "p_comparator": EKG.pComparator,
        "numerator": EKG.numerator,
        "denominator": EKG.denominator,
        "response": EKG.response,
        "timepoint": EKG.timepoint,
        "arm": EKG.forArm,
        "comparator_arm": EKG.comparedWith,
        "population": EKG.inPopulation,
        "label": _LABEL,
        "machine_extracted": EKG.machineExtracted,
    },
    "EvidenceItem": {
        "statement": EKG.statement,
        "evidence_type": EKG.evidenceType,
        "direction": EKG.direction,
        "significance": EKG.significance,
        "level": EKG.level,
        "level_rationale": EKG.levelRationale,
        "rating": EKG.rating,
        "therapy": EKG.aboutTherapy,
        "therapy_classes": EKG.aboutTherapy,  # told apart from therapy by the id's type (drug vs drug class)
        "therapy_interaction": EKG.therapyInteraction,
        "alterations": EKG.aboutAlteration,
        "alteration_logic": EKG.alterationLogic,
        "molecular_profile": EKG.aboutMolecularProfile,
        "genes": EKG.aboutGene,
        "disease": EKG.aboutDisease,
        "line_of_therapy": EKG.lineOfTherapy,
        "study": EKG.fromStudy,
        "population": EKG.inPopulation,
        "study_count": EKG.studyCount,
        "outcomes": EKG.hasOutcome,
        "adverse_events": EKG.adverseEvent,
        "mechanism": EKG.aboutMechanism,
        "pathways": EKG.aboutPathway,
        "sites": EKG.aboutSite,
        "biomarker": EKG.aboutBiomarker,
        "case": EKG.aboutCase,
        "quote": PROV.wasDerivedFrom,
        "cites": EKG.cites,
        "xrefs": EKG.xref,
        "curator_notes": _NOTE,
        "variant_origin": EKG.variantOrigin,
        "flagged": EKG.flagged,
    },
    "Assertion": {
        "summary": EKG.summary,
        "description": DCTERMS.description,
        "evidence_type": EKG.evidenceType,
        "direction": EKG.direction,
        "significance": EKG.significance,
        "amp_category": EKG.ampCategory,
        "therapy": EKG.aboutTherapy,
        "therapy_interaction": EKG.therapyInteraction,
        "molecular_profile": EKG.aboutMolecularProfile,
        "disease": EKG.aboutDisease,
        "evidence_items": EKG.supportedBy,
        "source": EKG.describedIn,
        "xrefs": EKG.xref,
        "acmg_codes": EKG.acmgCode,
        "nccn_guideline": EKG.nccnGuideline,
        "nccn_guideline_version": EKG.nccnGuidelineVersion,
        "regulatory_approval": EKG.regulatoryApproval,
        "fda_companion_test": EKG.fdaCompanionTest,
        "flagged": EKG.flagged,
        "curator_notes": _NOTE,
    },
    "Quote": {
        "text": PROV.value,
        "continuation": EKG.continuation,
        "source": PROV.wasQuotedFrom,
        "section": EKG.section,
        "corrected": EKG.correctedText,
        "locator": EKG.locator,
    },
    "Xref": {"id": EKG.xrefId, "status": EKG.verification, "source": EKG.seenIn},
}

#: Kinds read from a field's type (checked in this order; bool before int: bool is an int).
_SCALAR_KINDS: tuple[tuple[type, Kind], ...] = (
    (bool, Kind.BOOLEAN),
    (int, Kind.INTEGER),
    (Decimal, Kind.DECIMAL),
    (str, Kind.TEXT),
)

#: Kinds that the type alone cannot tell (a year is an int, a date or URL a str).
_KIND_OVERRIDES: dict[tuple[str, str], Kind] = {
    ("Source", "year"): Kind.YEAR,
    ("Source", "url"): Kind.ANY_URI,
    ("CaseEvent", "date"): Kind.PARTIAL_DATE,
    ("CaseEvent", "end_date"): Kind.PARTIAL_DATE,
}


def _has_own_id(model: type[BaseModel]) -> bool:
    return hasattr(model, "node_type") and "id" in model.model_fields


def _unwrap(annotation: object) -> tuple[object, bool, tuple[Ref, ...]]:
    """(base type, is multi-valued, reference markers) of a field annotation."""
    many = False
    markers: list[Ref] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            markers += [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Ref)]
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"union of several types is not mappable: {annotation!r}")
            annotation = args[0]
        elif origin is tuple:
            many = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, many, tuple(markers)


def _kind_of(model: type[BaseModel], name: str) -> tuple[Kind, bool, dict[str, object]]:
    info = model.model_fields[name]
    base, many, markers = _unwrap(info.annotation)
    markers += tuple(m for m in info.metadata if isinstance(m, Ref))
    override = _KIND_OVERRIDES.get((model.__name__, name))
    if override is not None:
        return override, many, {}
    if markers:
        return Kind.REF, many, {"ref_types": markers[0].node_types}
    if isinstance(base, type) and issubclass(base, BaseModel):
        return Kind.NESTED, many, {"target": base}
    if isinstance(base, type) and issubclass(base, StrEnum):
        return Kind.ENUM, many, {"enum": base}
    for python_type, kind in _SCALAR_KINDS:
        if isinstance(base, type) and issubclass(base, python_type):
            return kind, many, {}
    raise TypeError(f"{model.__name__}.{name}: no RDF kind for type {base!r}")


def mapped_models() -> tuple[type[BaseModel], ...]:
    """Every model the RDF mapping covers: the top-level record classes and the nested ones."""
    return (*SECTIONS.values(), *NESTED_MODELS)


@cache
def field_maps(model: type[BaseModel]) -> tuple[FieldMap, ...]:
    """The field maps of a model, in field order (unmapped fields are left out: see :func:`unmapped_fields`)."""
    properties = _PROPERTIES.get(model.__name__, {})
    maps: list[FieldMap] = []
    for name in model.model_fields:
        if name == "id" and _has_own_id(model):
            continue
        prop = properties.get(name)
        if prop is None:
            continue
        kind, many, extra = _kind_of(model, name)
        maps.append(
            FieldMap(
                model=model,
                name=name,
                prop=prop,
                kind=kind,
                many=many,
                ordered=(model.__name__, name) in ORDERED_FIELDS,
                inverse=(model.__name__, name) == ("Population", "study"),
                **extra,  # type: ignore[arg-type]
            )
        )
    return tuple(maps)


def unmapped_fields() -> list[str]:
    """``Model.field`` of every model field without a property: must be empty (a test checks)."""
    missing: list[str] = []
    for model in mapped_models():
        properties = _PROPERTIES.get(model.__name__, {})
        for name in model.model_fields:
            if name == "id" and _has_own_id(model):
                continue
            if name not in properties:
                missing.append(f"{model.__name__}.{name}")
        missing += [f"{model.__name__}.{name} (no such field)" for name in properties if name not in model.model_fields]
    return missing


def is_record_model(model: type[BaseModel]) -> bool:
    """Whether instances of ``model`` are identified by their own id (they get an IRI, not a blank node)."""
    return _has_own_id(model)
