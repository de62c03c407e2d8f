"""The RDF mapping: for every field of every record model, the property that carries it, derived.

Nothing here lists the models' fields. Each field's property is found by
rules, in this order:

1. :data:`_FIELD_PROPERTIES`, by ``"Model.field"`` (the class that declares
   the field): standard vocabularies where one says exactly this
   (``dcterms:bibliographicCitation``, ``prov:value``, ``bibo:authorList``,
   ...) and the ekg names that say more than the field name (``Gene.symbol``
   is ``ekg:geneSymbol``);
2. a reference field, or a field of nested nodes, is carried by the
   property of the predicate it stands for (:func:`kg.model.walk.links`,
   :data:`kg.core.vocab.FIELD_PREDICATES` or the field's ``Ref``):
   ``Predicate.ABOUT_THERAPY.info.rdf_property``, never re-spelled here;
3. :data:`_NAME_PROPERTIES`, by field name in any model: SKOS and PROV for
   labels, synonyms, notes and quotes;
4. otherwise the **default**: ``ekg:`` + the field name in lower camel
   case, singular for a multi-valued field (a triple carries one value):
   ``registry_ids`` → ``ekg:registryId``, ``follow_up_months`` →
   ``ekg:followUpMonths``.

So a field added to a model is exported with no edit anywhere: a literal by
the default, a reference by its predicate. How a value is written (its
:class:`Kind`) is read off the field's type annotation: a ``Decimal`` is
``xsd:decimal``, a ``PartialDate`` ``xsd:gYear``/``gYearMonth``/``date`` by
precision, a nested record a node of its own. A type with no RDF form is
refused (:func:`mapping_problems` must be empty; the writer raises
:class:`~kg.core.errors.ExportError` naming the field), never dropped.

Every multi-valued field keeps its order, so a record read back from any
store is the record written. Nested nodes and parts (arms, case events,
outcomes, quotes, cross-references, adverse-event occurrences) carry an
``ekg:order`` position. The literal sequences of :data:`ORDERED_FIELDS`
(authors, quote continuations) *are* an ``rdf:List``. Every other
multi-valued field of literals or references stays a set of plain triples
(``ev:x ekg:aboutTherapy drug:a, drug:b``, what SPARQL queries match) and,
when it holds more than one value, also gets its values in order as an
``rdf:List`` under :attr:`FieldMap.list_prop` (``ekg:therapyList``: the
field name in lower camel case + ``List``). A decimal is written twice: the
``xsd:decimal`` for comparisons and, under :attr:`FieldMap.as_published`
(``ekg:valueAsPublished``), the published digits as a plain string, which a
store keeps as written (Oxigraph stores ``"10.0"^^xsd:decimal`` as ``10``).
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

from kg.core.vocab import NodeType, Predicate
from kg.model import SECTIONS
from kg.model.cases import PartialDate
from kg.model.walk import LinkKind, field_key, is_node_model, links
from kg.rdf.namespace import BIBO, DCTERMS, EKG_NS, PROV, SKOS

__all__ = [
    "CLASS_OF_MODEL",
    "ORDERED_FIELDS",
    "FieldMap",
    "Kind",
    "as_published_property",
    "class_of",
    "default_property",
    "field_maps",
    "is_record_model",
    "list_property",
    "mapped_models",
    "mapping_problems",
]


class Kind(Enum):
    """How a field's value is written."""

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
    """How one model field is written: property, kind, cardinality, direction and derived links."""

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
    #: NESTED children of an ordered field: consecutive ones are linked by this property (ekg:followedBy).
    sequence: URIRef | None = None
    #: NESTED parts: (reference field of the part, many, property) written from the holder to each referenced
    #: record, as the graph's edge (a record ekg:quotedFrom the source of its quotes).
    lifts: tuple[tuple[str, bool, URIRef], ...] = ()
    #: A set-valued field of literals or references: the property of the rdf:List of its values in order,
    #: written beside the set triples when the field holds more than one value (``ekg:therapyList``).
    list_prop: URIRef | None = None
    #: A decimal: the property of its published digits as a plain string (``ekg:valueAsPublished``).
    as_published: URIRef | None = None


#: Multi-valued literal fields written as one rdf:List instead of a set (every other one keeps its order in an
#: rdf:List beside its set triples, see FieldMap.list_prop; nested nodes and parts carry ekg:order).
ORDERED_FIELDS: frozenset[str] = frozenset(
    {"Source.authors", "Quote.continuation", "Study.arms", "PatientCase.events", "EvidenceItem.outcomes"}
)

#: Properties by "Model.field": standard vocabularies, and ekg names more telling than the field's own.
_FIELD_PROPERTIES: dict[str, URIRef] = {
    "Source.short_citation": DCTERMS.bibliographicCitation,
    "Source.title": DCTERMS.title,
    "Source.year": DCTERMS.issued,
    "Source.authors": BIBO.authorList,
    "Source.license": DCTERMS.license,
    "Study.name": SKOS.prefLabel,
    "CaseEvent.date": DCTERMS.date,
    "Quote.text": PROV.value,
    "Quote.source": PROV.wasQuotedFrom,
    "Source.kind": EKG_NS.sourceKind,
    "Gene.symbol": EKG_NS.geneSymbol,
    "Alteration.kind": EKG_NS.alterationKind,
    "Alteration.variant": EKG_NS.variantName,
    "Alteration.hgvs": EKG_NS.hgvs,
    "MolecularProfile.negated": EKG_NS.negatedComponent,  # not hasComponent: a negated part is no component
    "MolecularProfile.logic": EKG_NS.alterationLogic,
    "MolecularProfile.expression": EKG_NS.profileExpression,
    "ResistanceMechanism.category": EKG_NS.mechanismCategory,
    "Study.design": EKG_NS.studyDesign,
    "Arm.role": EKG_NS.armRole,
    "Population.size": EKG_NS.populationSize,
    "PatientCase.age": EKG_NS.ageYears,
    "CaseEvent.kind": EKG_NS.eventKind,
    "CaseEvent.line_of_therapy": EKG_NS.therapyLine,  # a number here; ekg:lineOfTherapy is text elsewhere
    "AdverseEventOccurrence.term": EKG_NS.adverseEventTerm,
    "Quote.corrected": EKG_NS.correctedText,
    "Xref.id": EKG_NS.xrefId,
    "Xref.status": EKG_NS.verification,
    "Xref.source": EKG_NS.seenIn,
}

#: Properties by field name, in every model.
_NAME_PROPERTIES: dict[str, URIRef] = {
    "label": SKOS.prefLabel,
    "synonyms": SKOS.altLabel,
    "description": DCTERMS.description,
    "curator_note": SKOS.editorialNote,
    "curator_notes": SKOS.editorialNote,
    "quote": PROV.wasDerivedFrom,
    "provenance": EKG_NS.provenanceQuote,
}

#: Kinds that the type alone cannot tell (a year is an int, a URL a str), by "Model.field".
_KIND_OVERRIDES: dict[str, Kind] = {"Source.year": Kind.YEAR, "Source.url": Kind.ANY_URI}

#: Classes of the models that are parts, not nodes (nodes take their class from their node type).
_PART_CLASSES: dict[str, str] = {"Xref": "CrossReference"}

#: Kinds read from a field's type (checked in this order; bool before int: bool is an int).
_SCALAR_KINDS: tuple[tuple[type, Kind], ...] = (
    (bool, Kind.BOOLEAN),
    (int, Kind.INTEGER),
    (Decimal, Kind.DECIMAL),
    (str, Kind.TEXT),
)

_PARTIAL_DATE_MARKS = tuple(typing.get_args(PartialDate)[1:])


def default_property(name: str, many: bool) -> URIRef:
    """``ekg:`` + ``name`` in lower camel case, singular when the field holds several values."""
    words = name.split("_")
    if many and words[-1].endswith("s") and len(words[-1]) > 1:
        words[-1] = words[-1][:-1]
    return EKG_NS[_camel(words)]


def _camel(words: list[str]) -> str:
    return words[0] + "".join(word.capitalize() for word in words[1:])


def list_property(name: str) -> URIRef:
    """``ekg:`` + ``name`` in lower camel case + ``List``: the ordered values of a set-valued field."""
    return EKG_NS[_camel(name.split("_")) + "List"]


def as_published_property(prop: URIRef, name: str) -> URIRef:
    """A decimal's published digits, as a string: its ``ekg:`` property + ``AsPublished`` (``ekg:valueAsPublished``).

    A decimal carried by another vocabulary's property gets ``ekg:`` + the field name in lower camel case +
    ``AsPublished``.
    """
    base = str(EKG_NS)
    local = str(prop)[len(base) :] if str(prop).startswith(base) else _camel(name.split("_"))
    return EKG_NS[local + "AsPublished"]


def is_record_model(model: type[BaseModel]) -> bool:
    """Whether instances of ``model`` are identified by their own id (they get an IRI, not a blank node)."""
    return is_node_model(model) and "id" in model.model_fields


def class_of(model: type[BaseModel]) -> URIRef:
    """The RDF class of a model: its node type's class, else (a part) the model's own name."""
    node_type = getattr(model, "node_type", None)
    if isinstance(node_type, NodeType):
        return EKG_NS[node_type.info.rdf_class]
    for cls in model.__mro__:
        if cls.__name__ in _PART_CLASSES:
            return EKG_NS[_PART_CLASSES[cls.__name__]]
        if cls in _NESTED_PARTS:
            return EKG_NS[cls.__name__]
    return EKG_NS[model.__name__]


def _base_type(annotation: object) -> tuple[object, bool, tuple[object, ...]]:
    """(base type, is multi-valued, Annotated metadata) of a field annotation (Optional and tuple unwrapped)."""
    many = False
    metadata: tuple[object, ...] = ()
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += tuple(getattr(annotation, "__metadata__", ()))
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"a union of several types has no RDF form: {annotation!r}")
            annotation = args[0]
        elif origin is tuple:
            many = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, many, metadata


def _literal_kind(
    model: type[BaseModel], name: str, base: object, metadata: tuple[object, ...]
) -> tuple[Kind, type[StrEnum] | None]:
    override = _KIND_OVERRIDES.get(field_key(model, name))
    if override is not None:
        return override, None
    marks = (*metadata, *model.model_fields[name].metadata)
    if any(mark is date_mark for mark in marks for date_mark in _PARTIAL_DATE_MARKS):
        return Kind.PARTIAL_DATE, None
    if isinstance(base, type) and issubclass(base, StrEnum):
        return Kind.ENUM, base
    for python_type, kind in _SCALAR_KINDS:
        if isinstance(base, type) and issubclass(base, python_type):
            return kind, None
    raise TypeError(f"{field_key(model, name)}: no RDF form for a value of type {base!r}")


def _property(key: str, name: str, many: bool, predicate: Predicate | None) -> URIRef:
    prop = _FIELD_PROPERTIES.get(key)
    if prop is not None:
        return prop
    if predicate is not None:
        return EKG_NS[predicate.info.rdf_property]
    return _NAME_PROPERTIES.get(name) or default_property(name, many)


@cache
def field_maps(model: type[BaseModel]) -> tuple[FieldMap, ...]:
    """The field maps of a model, every field but a record's own id, in field order.

    Raises ``TypeError`` naming the field when one has no RDF form (see
    :func:`mapping_problems`).
    """
    by_name = {link.name: link for link in links(model)}
    maps: list[FieldMap] = []
    for name, info in model.model_fields.items():
        if name == "id" and is_record_model(model):
            continue
        key = field_key(model, name)
        base, many, metadata = _base_type(info.annotation)
        link = by_name.get(name)
        ordered = key in ORDERED_FIELDS
        list_prop = list_property(name) if many and not ordered else None
        if link is None:
            kind, enum = _literal_kind(model, name, base, metadata)
            prop = _property(key, name, many, None)
            as_published = as_published_property(prop, name) if kind is Kind.DECIMAL else None
            maps.append(
                FieldMap(
                    model, name, prop, kind, many, ordered, enum=enum, list_prop=list_prop, as_published=as_published
                )
            )
        elif link.kind is LinkKind.REFERENCE:
            if link.inverse and many:
                raise TypeError(f"{key}: a multi-valued inverse reference has no ordered RDF form")
            prop = _property(key, name, many, link.predicate)
            maps.append(
                FieldMap(
                    model,
                    name,
                    prop,
                    Kind.REF,
                    many,
                    ordered,
                    link.inverse,
                    ref_types=link.node_types,
                    list_prop=list_prop,
                )
            )
        else:
            ordered = many  # nested nodes and parts: each carries its ekg:order position
            predicate = link.predicate if link.kind is LinkKind.CHILD else None
            sequence = EKG_NS[link.sequence.info.rdf_property] if link.sequence is not None else None
            lifts = tuple((lift.name, lift.many, EKG_NS[lift.predicate.info.rdf_property]) for lift in link.lifts)
            prop = _property(key, name, many, predicate)
            maps.append(
                FieldMap(
                    model, name, prop, Kind.NESTED, many, ordered, target=link.target, sequence=sequence, lifts=lifts
                )
            )
    return tuple(maps)


def _nested_models(model: type[BaseModel], seen: dict[type[BaseModel], None]) -> None:
    for link in links(model):
        if link.target is not None and link.target not in seen:
            seen[link.target] = None
            _nested_models(link.target, seen)


@cache
def mapped_models() -> tuple[type[BaseModel], ...]:
    """Every model the RDF covers: the top-level record classes, then every model nested in them."""
    found: dict[type[BaseModel], None] = dict.fromkeys(SECTIONS.values())
    for model in SECTIONS.values():
        _nested_models(model, found)
    return tuple(found)


def mapping_problems() -> list[str]:
    """``Model.field: reason`` for every field the mapping cannot write (must be empty: a test checks)."""
    problems: list[str] = []
    for model in mapped_models():
        try:
            field_maps(model)
        except TypeError as error:
            problems.append(str(error))
    return problems


#: Models that only occur inside another record and are no nodes (quotes, cross-references, ...).
_NESTED_PARTS: frozenset[type[BaseModel]] = frozenset(m for m in mapped_models() if not is_node_model(m))

#: RDF class of every model that becomes a node (records, arms, case events, outcomes, and the parts).
CLASS_OF_MODEL: dict[type[BaseModel], URIRef] = {model: class_of(model) for model in mapped_models()}
