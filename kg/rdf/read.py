"""RDF → records: the inverse of the writers, so exports can be checked by reading them back.

Reads a graph (rdflib, or pyoxigraph triples) that follows the mapping of
:mod:`kg.rdf.mapping` and rebuilds the :class:`~kg.model.Corpus`: each
subject typed with a top-level record class becomes a record, its parts
(arms, events, outcomes, quotes, cross-references, adverse-event
occurrences) are read through the properties that link them. Derived
triples (``ekg:quotedFrom``, ``skos:exactMatch``, ``ekg:followedBy``, ...)
are not read: the writer rebuilds them from the fields, which is what
makes RDF → records → RDF isomorphic.

Every multi-valued field comes back in the order it was written: nested
nodes and parts by their ``ekg:order``, literal sequences from their
``rdf:List``, and a set-valued field with several values from the
``rdf:List`` beside its set triples (``ekg:therapyList``; its members must
be the set's). A decimal's digits come from its ``ekg:<field>AsPublished``
string when there is one (it must have the typed value), since a store keeps
only the value of an ``xsd:decimal``. So a record read back from a SPARQL
store equals the record exported, decimal digits and field order included.
An export without the lists (older ones) gives a set's values sorted.
Every problem (a wrong datatype, two values for a single-valued field, a
record that fails validation) is collected and raised together as a
:class:`~kg.core.errors.CorpusError`, like the YAML loader does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph
import rdflib
from pydantic import BaseModel, ValidationError

from kg.core.errors import CorpusError, DataError
from kg.core.identifiers import compress, node_type_of
from kg.core.vocab import EKG_BASE
from kg.model import SECTIONS, Corpus
from kg.rdf.iris import DATASET_IRI
from kg.rdf.literals import (
    XSD_ANY_URI,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_G_YEAR_MONTH,
    XSD_INTEGER,
)
from kg.rdf.mapping import CLASS_OF_MODEL, FieldMap, Kind, field_maps, is_record_model
from kg.rdf.namespace import DCTERMS, EKG_NS, RDF, XSD

__all__ = ["read_corpus", "read_corpus_bytes", "read_corpus_triples"]

_XSD_STRING = str(XSD.string)
_TYPE = str(RDF.type)
_FIRST, _REST, _NIL = str(RDF.first), str(RDF.rest), str(RDF.nil)
_ORDER = str(EKG_NS.order)
_SOURCE = "(RDF)"

#: Datatypes each literal kind accepts.
_DATATYPES: dict[Kind, tuple[str, ...]] = {
    Kind.TEXT: (_XSD_STRING,),
    Kind.ENUM: (_XSD_STRING,),
    Kind.DECIMAL: (XSD_DECIMAL,),
    Kind.INTEGER: (XSD_INTEGER,),
    Kind.BOOLEAN: (XSD_BOOLEAN,),
    Kind.YEAR: (XSD_G_YEAR,),
    Kind.PARTIAL_DATE: (XSD_G_YEAR, XSD_G_YEAR_MONTH, XSD_DATE),
    Kind.ANY_URI: (XSD_ANY_URI,),
}

# Neutral terms: ("I", iri) | ("B", label) | ("L", lexical, datatype)
Term = tuple[str, ...]


class _Index:
    """subject → predicate → objects, plus object → subjects for the inverse-mapped properties."""

    def __init__(self) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.back: dict[tuple[str, Term], list[Term]] = defaultdict(list)

    def add(self, s: Term, p: str, o: Term) -> None:
        self.out[s][p].append(o)
        self.back[(p, o)].append(s)

    def objects(self, s: Term, p: str) -> list[Term]:
        node = self.out.get(s)
        return node.get(p, []) if node else []


def _from_rdflib(term: Any) -> Term:
    if isinstance(term, rdflib.URIRef):
        return ("I", str(term))
    if isinstance(term, rdflib.BNode):
        return ("B", str(term))
    datatype = str(term.datatype) if term.datatype is not None else _XSD_STRING
    if term.language:
        datatype = "@" + term.language
    return ("L", str(term), datatype)


def _from_oxigraph(term: Any) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return ("I", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("B", term.value)
    if term.language:
        return ("L", term.value, "@" + term.language)
    return ("L", term.value, term.datatype.value)


def _curie(iri: str) -> str:
    if iri.startswith(EKG_BASE):
        prefix, _, local = iri[len(EKG_BASE) :].partition("/")
        if node_type_of(f"{prefix}:x") is not None:
            return f"{prefix}:{local}"
    return compress(iri) or iri


class _Reader:
    def __init__(self, index: _Index) -> None:
        self.index = index
        self.errors: list[DataError] = []

    def error(self, record: str, field: str, expected: str, got: object = None) -> None:
        self.errors.append(DataError(_SOURCE, record, field, expected, got))

    def literal(self, fm: FieldMap, term: Term, record: str, field: str) -> Any:
        if term[0] != "L" or term[2] not in _DATATYPES[fm.kind]:
            self.error(record, field, f"a literal of type {' or '.join(_DATATYPES[fm.kind])}", term)
            return None
        text = term[1]
        try:
            if fm.kind is Kind.DECIMAL:
                return Decimal(text)
            if fm.kind in (Kind.INTEGER, Kind.YEAR):
                return int(text)
        except (InvalidOperation, ValueError):
            self.error(record, field, f"a valid {fm.kind.value}", text)
            return None
        if fm.kind is Kind.BOOLEAN:
            return text in ("true", "1")
        return text

    def value(self, fm: FieldMap, term: Term, record: str, field: str) -> Any:
        if fm.kind is Kind.REF:
            if term[0] != "I":
                self.error(record, field, "an IRI", term)
                return None
            return _curie(term[1])
        if fm.kind is Kind.NESTED:
            assert fm.target is not None
            return self.node(fm.target, term, record, field)
        return self.literal(fm, term, record, field)

    def list_items(self, head: Term, record: str, field: str) -> list[Term]:
        items: list[Term] = []
        node = head
        seen: set[Term] = set()
        while node != ("I", _NIL):
            if node in seen or node[0] != "B":
                self.error(record, field, "a well-formed rdf:List", node)
                break
            seen.add(node)
            first, rest = self.index.objects(node, _FIRST), self.index.objects(node, _REST)
            if len(first) != 1 or len(rest) != 1:
                self.error(record, field, "a well-formed rdf:List", node)
                break
            items.append(first[0])
            node = rest[0]
        return items

    def node(self, model: type[BaseModel], subject: Term, record: str, path: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if is_record_model(model):
            data["id"] = _curie(subject[1])
            record = record or data["id"]
        for fm in field_maps(model):
            prop = str(fm.prop)
            field = f"{path}.{fm.name}" if path else fm.name
            terms = list(self.index.back.get((prop, subject), [])) if fm.inverse else self.index.objects(subject, prop)
            if fm.kind is Kind.REF and len({m.name for m in field_maps(model) if m.prop == fm.prop}) > 1:
                terms = [t for t in terms if t[0] == "I" and node_type_of(_curie(t[1])) in fm.ref_types]
            if not terms:
                continue
            if not fm.many:
                if len(terms) > 1:
                    self.error(record, field, "one value", sorted(terms))
                    continue
                data[fm.name] = self.value(fm, terms[0], record, field)
                if fm.as_published is not None and data[fm.name] is not None:
                    data[fm.name] = self.as_published(fm, subject, data[fm.name], record, field)
                continue
            if fm.ordered and fm.kind is not Kind.NESTED:
                if len(terms) > 1:
                    self.error(record, field, "one rdf:List", sorted(terms))
                    continue
                data[fm.name] = [self.literal(fm, t, record, field) for t in self.list_items(terms[0], record, field)]
                continue
            if fm.ordered:
                terms = sorted(terms, key=lambda t: self._order(t, record, field))
            in_order = self.in_order(fm, subject, terms, record, field)
            if in_order is not None:
                terms = in_order
            values = [self.value(fm, t, record, f"{field}[{i}]") for i, t in enumerate(terms)]
            if not fm.ordered and in_order is None:
                values = sorted(values, key=_sort_key)
            data[fm.name] = values
        return data

    def in_order(self, fm: FieldMap, subject: Term, terms: list[Term], record: str, field: str) -> list[Term] | None:
        """A set-valued field's values in order, from its ``rdf:List`` (``None``: no list, one value or none)."""
        if fm.list_prop is None:
            return None
        heads = self.index.objects(subject, str(fm.list_prop))
        if not heads:
            return None
        if len(heads) > 1:
            self.error(record, field, "one rdf:List of the values in order", sorted(heads))
            return None
        items = self.list_items(heads[0], record, field)
        if set(items) != set(terms):
            self.error(record, field, f"an rdf:List of the same values as {fm.prop}", sorted(set(items) ^ set(terms)))
            return None
        return items

    def as_published(self, fm: FieldMap, subject: Term, value: Decimal, record: str, field: str) -> Decimal:
        """A decimal with its published digits (its ``AsPublished`` string), which must have the typed value."""
        written = self.index.objects(subject, str(fm.as_published))
        if not written:
            return value
        if len(written) > 1 or written[0][0] != "L" or written[0][2] != _XSD_STRING:
            self.error(record, field, f"one string of {fm.as_published}", sorted(written))
            return value
        try:
            digits = Decimal(written[0][1])
        except InvalidOperation:
            digits = None
        if digits is None or not digits.is_finite() or digits != value:
            self.error(record, field, f"digits of the value {value}", written[0][1])
            return value
        return digits

    def _order(self, term: Term, record: str, field: str) -> int:
        orders = self.index.objects(term, _ORDER)
        if len(orders) != 1 or orders[0][0] != "L":
            self.error(record, field, "one ekg:order position on each item", term)
            return 0
        return int(orders[0][1])


def _sort_key(value: Any) -> str:
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


def _read(index: _Index) -> Corpus:
    reader = _Reader(index)
    records = []
    for model in SECTIONS.values():
        class_term = ("I", str(CLASS_OF_MODEL[model]))
        subjects = sorted(index.back.get((_TYPE, class_term), []))
        for subject in subjects:
            record_id = _curie(subject[1])
            data = reader.node(model, subject, record_id, "")
            try:
                records.append(model.model_validate(data))
            except ValidationError as error:
                for problem in error.errors(include_url=False):
                    location = ".".join(str(part) for part in problem["loc"])
                    reader.error(record_id, location, problem["msg"], problem.get("input"))
    if reader.errors:
        raise CorpusError(reader.errors)
    versions = index.objects(("I", DATASET_IRI), str(DCTERMS.hasVersion))
    version = versions[0][1] if versions else "unversioned"
    return Corpus.from_records(records, version=version)


def read_corpus(graph: rdflib.Graph) -> Corpus:
    """The corpus an rdflib graph describes (the inverse of the RDF export)."""
    index = _Index()
    for s, p, o in graph:
        index.add(_from_rdflib(s), str(p), _from_rdflib(o))
    return _read(index)


def read_corpus_bytes(data: bytes, syntax: pyoxigraph.RdfFormat) -> Corpus:
    """The corpus of an export read with pyoxigraph (``syntax``: ``pyoxigraph.RdfFormat.TURTLE``, ...)."""
    return read_corpus_triples(pyoxigraph.parse(data, format=syntax))


def read_corpus_triples(triples: Iterable[Any]) -> Corpus:
    """The corpus of pyoxigraph triples or quads (a parse, a CONSTRUCT, ``Store.quads_for_pattern``)."""
    index = _Index()
    # A graph is a set: a triple written twice (a CONSTRUCT reaching one part by two paths) is one triple.
    for triple in dict.fromkeys(triples):
        index.add(_from_oxigraph(triple.subject), triple.predicate.value, _from_oxigraph(triple.object))
    return _read(index)
