"""Records → RDF triples, with pyoxigraph terms: the one place that decides what the RDF says.

Per node, in this order: ``rdf:type`` (its class), ``biolink:category``,
every field by the mapping (:func:`kg.rdf.mapping.field_maps`), then the
*derived* triples that mirror graph edges no field stores, so SPARQL sees the
same links as the query engine: the references inside parts become links of
the node holding them (``ekg:quotedFrom`` the source of each of its quotes,
``ekg:aboutAdverseEvent`` / ``ekg:hadAdverseEvent`` each adverse-event term),
consecutive case events are ``ekg:followedBy``, and a verified external id is
``skos:exactMatch`` (plus ``dcterms:identifier`` on sources). The reader
(:mod:`kg.rdf.read`) ignores derived triples and rebuilds them, so RDF →
records → RDF is isomorphic. Parts and list cells follow the node holding
them; triples about another node (inverse links, ``followedBy``) follow the
record.

Nodes: records, arms, case events and outcomes get IRIs (our CURIEs
expanded; outcomes ``outcome:<evidence local id>-<n>`` as in the graph);
quotes, cross-references, adverse-event occurrences and ``rdf:List`` cells,
which have no identity of their own, are blank nodes ``_:b<n>`` numbered in
order, so an export is byte-for-byte reproducible.

Terms are pyoxigraph's: every IRI and constant literal (predicates, classes,
enum values, booleans, record IRIs) is a ``pyoxigraph`` term built and
rendered once, every text or typed literal is rendered by
``str(pyoxigraph.Literal(...))``, so pyoxigraph validates IRIs and escapes
literals. Each triple is written as its N-Triples statement
(``"<s> <p> o .\\n"``), exactly what ``pyoxigraph.serialize`` writes for it
(a test compares the bytes); :mod:`kg.rdf.serialize` hands them to
pyoxigraph for every other syntax. Why statements and not ``pyoxigraph.Triple``
objects: with pyoxigraph 0.5.13, constructing a ``Triple`` whose object is a
literal costs ~30 dict allocations (its argument conversion tries the other
term types first and builds an error for each), which made the export 2–4×
slower than parsing the same statements (benchmarks/RESULTS.md, "Exports").

What a term cannot carry is refused here, naming the record and the field
(:class:`~kg.core.errors.ExportError`): an IRI that is not one, a lone
surrogate (not UTF-8), a decimal with no ``xsd:decimal`` form, and, for
RDF/XML only, a character XML 1.0 cannot represent (:mod:`kg.rdf.xmlchars`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode

from kg.core.errors import ExportError
from kg.model import Corpus, Xref
from kg.model.terms import Verification
from kg.model.walk import child_id, has_own_id, is_node_model
from kg.rdf.iris import DATASET_IRI, record_iri
from kg.rdf.literals import (
    XSD_ANY_URI,
    XSD_BOOLEAN,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_INTEGER,
    decimal_lexical,
    partial_date_datatype,
)
from kg.rdf.mapping import FieldMap, Kind, class_of, field_maps
from kg.rdf.namespace import BIOLINK, DCTERMS, EKG_NS, RDF, SKOS, VOID
from kg.rdf.xmlchars import xml_forbidden

__all__ = ["TripleBuilder"]

_VERIFIED = frozenset({Verification.VERIFIED, Verification.VERIFIED_SECONDARY})
_SURROGATE = re.compile("[\\ud800-\\udfff]")
_CACHE_LIMIT = 2_000_000
_CHUNK_RECORDS = 1_000


def _iri(iri: object) -> str:
    """An IRI as pyoxigraph writes it (``<...>``); ``ValueError`` when it is no valid IRI."""
    return str(NamedNode(str(iri)))


_XSD = {
    Kind.DECIMAL: NamedNode(XSD_DECIMAL),
    Kind.INTEGER: NamedNode(XSD_INTEGER),
    Kind.YEAR: NamedNode(XSD_G_YEAR),
    Kind.ANY_URI: NamedNode(XSD_ANY_URI),
}
_RDF_TYPE = " " + _iri(RDF.type) + " "
_CATEGORY = " " + _iri(BIOLINK.category) + " "
_ORDER = " " + _iri(EKG_NS.order) + " "
_XREF_TARGET = " " + _iri(EKG_NS.xrefTarget) + " "
_EXACT_MATCH = " " + _iri(SKOS.exactMatch) + " "
_IDENTIFIER = " " + _iri(DCTERMS.identifier) + " "
_FIRST, _REST, _NIL = " " + _iri(RDF.first) + " ", " " + _iri(RDF.rest) + " ", _iri(RDF.nil)
_TRUE = str(Literal("true", datatype=NamedNode(XSD_BOOLEAN)))
_FALSE = str(Literal("false", datatype=NamedNode(XSD_BOOLEAN)))
_END = " .\n"


@cache
def _date_type(length: int) -> NamedNode:
    return NamedNode(partial_date_datatype("2000-01-01"[:length]))


def _typed(kind: Kind) -> Callable[[Any], str]:
    """Renderer of a typed value: its lexical form, as a pyoxigraph literal of the kind's datatype."""
    datatype = _XSD[kind]
    if kind is Kind.DECIMAL:
        return lambda value: str(Literal(decimal_lexical(value), datatype=datatype))
    if kind is Kind.YEAR:
        return lambda value: str(Literal(f"{int(value):04d}", datatype=datatype))
    if kind is Kind.INTEGER:
        return lambda value: str(Literal(str(int(value)), datatype=datatype))
    return lambda value: str(Literal(value, datatype=datatype))


@cache
def _position(number: int) -> str:
    """``ekg:order`` value: an ``xsd:integer`` (positions repeat in every record: rendered once each)."""
    return str(Literal(str(number), datatype=_XSD[Kind.INTEGER]))


def _text(value: str) -> str:
    return str(Literal(value))


def _date(value: str) -> str:
    return str(Literal(value, datatype=_date_type(len(value))))


# -- the per-model plan: the mapping turned into term renderers, once per model --------------------------------
_LITERAL, _ENUM, _BOOL, _REF, _INVERSE, _LIST, _CHILD, _PART = range(8)


@dataclass(frozen=True)
class _Step:
    code: int
    field: FieldMap
    prop: str  # " <property> ", ready to sit between subject and object
    many: bool
    render: Callable[[Any], str] | None = None  # _LITERAL, _LIST: value → rendered literal
    enum_terms: dict[Any, str] | None = None
    text: bool = False  # the values are strings (checked for RDF/XML)
    sequence: str | None = None  # _CHILD: " <followedBy> "
    lifts: tuple[tuple[str, bool, str], ...] = ()  # _PART: (reference field, many, " <property> ")


@dataclass(frozen=True)
class _Plan:
    type_parts: tuple[str, ...]  # rdf:type (and biolink:category) statements, less their subject
    steps: tuple[_Step, ...]
    is_source: bool  # a source also states its verified ids as dcterms:identifier
    getter: Callable[[Any], Any]  # every field's value at once (operator.attrgetter: one C call per node)
    #: The steps as plain tuples for the hot loop (code, prop, many, render, enum terms, checks text, step).
    hot: tuple[tuple[int, str, bool, Callable[[Any], str] | None, dict[Any, str] | None, bool, _Step], ...]

    def values(self, value: BaseModel) -> tuple[Any, ...]:
        """The node's field values, in step order."""
        if len(self.steps) == 1:
            return (self.getter(value),)
        result: tuple[Any, ...] = self.getter(value)
        return result


def _step(fm: FieldMap) -> _Step:
    prop = " " + _iri(fm.prop) + " "
    many = fm.many
    kind = fm.kind
    if kind is Kind.NESTED:
        assert fm.target is not None
        if is_node_model(fm.target):
            return _Step(_CHILD, fm, prop, many, sequence=" " + _iri(fm.sequence) + " " if fm.sequence else None)
        return _Step(
            _PART, fm, prop, many, lifts=tuple((name, multi, " " + _iri(p) + " ") for name, multi, p in fm.lifts)
        )
    if kind is Kind.REF:
        return _Step(_INVERSE if fm.inverse else _REF, fm, prop, many)
    if kind is Kind.ENUM:
        assert fm.enum is not None
        terms = {member: str(Literal(member.value)) for member in fm.enum}
        return _Step(
            _LIST if many and fm.ordered else _ENUM, fm, prop, many, render=terms.__getitem__, enum_terms=terms
        )
    if kind is Kind.BOOLEAN:
        return _Step(_BOOL, fm, prop, many)
    if kind is Kind.TEXT:
        render: Callable[[Any], str] = _text
    elif kind is Kind.PARTIAL_DATE:
        render = _date
    else:
        render = _typed(kind)
    text = kind in (Kind.TEXT, Kind.PARTIAL_DATE, Kind.ANY_URI)
    return _Step(_LIST if many and fm.ordered else _LITERAL, fm, prop, many, render=render, text=text)


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    node_type = getattr(model, "node_type", None)
    parts = [_RDF_TYPE + _iri(class_of(model)) + _END]
    if node_type is not None:
        parts.append(_CATEGORY + _iri(BIOLINK[node_type.info.biolink.split(":", 1)[1]]) + _END)
    steps = tuple(_step(fm) for fm in field_maps(model))
    getter = operator.attrgetter(*(step.field.name for step in steps)) if steps else (lambda _: ())
    hot = tuple((st.code, st.prop, st.many, st.render, st.enum_terms, st.text, st) for st in steps)
    return _Plan(tuple(parts), steps, model.__name__ == "Source", getter, hot)


#: Where a node sits in its record, built only when an error names it: (holder's path, field, index or None).
_Path = tuple[Any, str, int | None] | None
#: A nested node waiting to be written after its holder: (value, subject, node id, path, extra statements).
_Nested = tuple[BaseModel, str, str | None, _Path, list[str]]


def _path_text(path: _Path) -> str:
    """``outcomes[0].quote``: a lazily kept path as error messages write it."""
    if path is None:
        return ""
    holder, name, index = path
    head = _path_text(holder)
    field = f"{head}.{name}" if head else name
    return field if index is None else f"{field}[{index}]"


class TripleBuilder:
    """Builds the triples of records as N-Triples statements; one per export (numbers blank nodes, caches IRIs).

    ``xml_safe`` also refuses text that RDF/XML cannot carry (XML 1.0 forbids most
    C0 control characters, even as character references).
    """

    def __init__(self, *, xml_safe: bool = False) -> None:
        self.xml_safe = xml_safe
        #: Triples built so far.
        self.count = 0
        self._bnodes = 0
        self._iris: dict[str, str] = {}

    # -- public ----------------------------------------------------------------------------------------------
    def corpus_chunks(self, corpus: Corpus) -> Iterator[bytes]:
        """Every triple of the export as UTF-8 N-Triples, about 1,000 records per chunk: the dataset node first.

        Each statement is encoded on its own and the bytes joined: joining the
        ``str`` statements first would widen a whole chunk to 2 or 4 bytes per
        character as soon as one holds an en dash or an emoji, and encoding
        that back is 2–5× slower.
        """
        dataset = _iri(DATASET_IRI)
        head = [
            dataset + _RDF_TYPE + _iri(VOID.Dataset) + _END,
            dataset + " " + _iri(DCTERMS.title) + " " + _text("evidence-kg") + _END,
            dataset + " " + _iri(DCTERMS.hasVersion) + " " + _text(corpus.version) + _END,
        ]
        self.count += len(head)
        yield "".join(head).encode("utf-8")
        out: list[str] = []
        for done, record in enumerate(corpus, start=1):
            self.record_statements(record, out)
            if done % _CHUNK_RECORDS == 0:
                yield b"".join([statement.encode("utf-8") for statement in out])
                out.clear()
        if out:
            yield b"".join([statement.encode("utf-8") for statement in out])

    def record_statements(self, record: BaseModel, out: list[str]) -> None:
        """Append the statements of one top-level record and its parts to ``out``, one string per node."""
        record_id: str = getattr(record, "id")  # noqa: B009 - every top-level record has an id
        try:
            subject = self.iri(record_id)
        except ValueError as error:
            raise ExportError(f"record {record_id}: field id: {_iri_problem(record_iri(record_id), error)}") from None
        later: list[str] = []
        self._write_node(record, subject, record_id, record_id, None, out, later, [])
        if later:
            self.count += len(later)
            out.append("".join(later))

    def iri(self, curie: str) -> str:
        """Our id (or a verified external CURIE) as pyoxigraph writes the IRI; ``ValueError`` if it is none."""
        rendered = self._iris.get(curie)
        if rendered is None:
            rendered = _iri(record_iri(curie))
            if len(self._iris) < _CACHE_LIMIT:
                self._iris[curie] = rendered
        return rendered

    def _bnode(self) -> str:
        """A fresh blank node as N-Triples writes it: ``_:b<n>`` (what ``str(BlankNode("b<n>"))`` gives)."""
        self._bnodes += 1
        return f"_:b{self._bnodes}"

    # -- the walk ----------------------------------------------------------------------------------------------
    def _write_node(
        self,
        value: BaseModel,
        subject: str,
        node_id: str | None,
        record_id: str,
        path: _Path,
        out: list[str],
        later: list[str],
        extra: list[str],
    ) -> None:
        """Append the statements of one node to ``out`` (as one string), then its parts' and children's."""
        try:
            plan = _plan(type(value))
        except TypeError as error:  # a field whose type has no RDF form (kg.rdf.mapping.mapping_problems)
            raise ExportError(f"record {record_id}: {error}; refusing to export the record without it") from None
        own = [subject + part for part in plan.type_parts]
        nested: list[_Nested] = []
        tail: list[str] = []  # rdf:List cells
        derived: dict[tuple[str, str], None] = {}
        append, extend = own.append, own.extend
        iris, iri = self._iris, self.iri
        xml_safe = self.xml_safe
        for (code, prop, many, render, terms, text, step), v in zip(plan.hot, plan.values(value), strict=True):
            if (not v) if many else (v is None):
                continue
            try:
                if code == _LITERAL:
                    if many:
                        items = dict.fromkeys(v) if len(v) > 1 else v  # a set: a repeated value is one triple
                        if xml_safe and text:
                            self._check_xml(items)
                        extend([f"{subject}{prop}{render(item)} .\n" for item in items])  # type: ignore[misc]
                    else:
                        if xml_safe and text:
                            self._check_xml((v,))
                        append(f"{subject}{prop}{render(v)} .\n")  # type: ignore[misc]
                elif code == _REF:
                    if many:
                        targets = dict.fromkeys(v) if len(v) > 1 else v
                        extend([f"{subject}{prop}{iris.get(t) or iri(t)} .\n" for t in targets])
                    else:
                        append(f"{subject}{prop}{iris.get(v) or iri(v)} .\n")
                elif code == _ENUM:
                    if many:
                        extend([f"{subject}{prop}{terms[member]} .\n" for member in dict.fromkeys(v)])  # type: ignore[index]
                    else:
                        append(f"{subject}{prop}{terms[v]} .\n")  # type: ignore[index]
                elif code == _PART:
                    self._write_parts(step, v, subject, path, own, nested, derived, plan)
                elif code == _BOOL:
                    append(f"{subject}{prop}{_TRUE if v else _FALSE} .\n")
                elif code == _INVERSE:
                    later.extend([f"{iri(target)}{prop}{subject} .\n" for target in (v if many else (v,))])
                elif code == _LIST:
                    self._write_list(step, v, subject + prop, own, tail)
                else:
                    self._write_children(step, v, subject, node_id, path, own, later, nested)
            except (ValueError, UnicodeEncodeError) as error:
                field, reason = self._locate(step, v, path, error)
                raise ExportError(f"record {record_id}: field {field}: {reason}") from None
        for prop, target in derived:
            try:
                append(subject + prop + self.iri(target) + _END)
            except ValueError as error:
                raise ExportError(f"record {record_id}: {_iri_problem(record_iri(target), error)}") from None
        extend(extra)
        extend(tail)
        self.count += len(own)
        out.append("".join(own))
        for child, child_subject, child_node, child_path, child_extra in nested:
            self._write_node(child, child_subject, child_node, record_id, child_path, out, later, child_extra)

    def _check_xml(self, texts: Any) -> None:
        for text in texts:
            if xml_forbidden(text) is not None:
                raise ValueError(text)

    def _write_list(self, step: _Step, v: Any, head: str, out: list[str], tail: list[str]) -> None:
        """An ordered sequence of literals as an ``rdf:List`` (its cells follow the node)."""
        render = step.render
        assert render is not None
        if self.xml_safe and step.text:
            self._check_xml(v)
        cell = self._bnode()
        out.append(head + cell + _END)
        last = len(v) - 1
        for index, item in enumerate(v):
            following = self._bnode() if index < last else _NIL
            tail += [cell + _FIRST + render(item) + _END, cell + _REST + following + _END]
            cell = following

    def _write_children(
        self,
        step: _Step,
        v: Any,
        subject: str,
        node_id: str | None,
        path: _Path,
        out: list[str],
        later: list[str],
        nested: list[_Nested],
    ) -> None:
        """Nested nodes with IRIs of their own (arms, case events, outcomes), linked from the holder."""
        fm = step.field
        previous: str | None = None
        for index, child in enumerate(v if fm.many else (v,)):
            child_node = child_id(node_id or "", child, index)
            child_subject = self.iri(child_node)
            out.append(subject + step.prop + child_subject + _END)
            extra = [child_subject + _ORDER + _position(index + 1) + _END] if fm.ordered else []
            if step.sequence is not None and previous is not None:
                later.append(previous + step.sequence + child_subject + _END)
            previous = child_subject
            nested.append((child, child_subject, child_node, (path, fm.name, index if fm.many else None), extra))

    def _write_parts(
        self,
        step: _Step,
        v: Any,
        subject: str,
        path: _Path,
        out: list[str],
        nested: list[_Nested],
        derived: dict[tuple[str, str], None],
        plan: _Plan,
    ) -> None:
        """Nested parts as blank nodes; their references also become links of the holder (``derived``)."""
        fm = step.field
        matches: set[str] = set()
        for index, part in enumerate(v if fm.many else (v,)):
            node = self._bnode()
            out.append(subject + step.prop + node + _END)
            extra: list[str] = []
            if isinstance(part, Xref) and part.status in _VERIFIED:
                external = self.iri(part.id)
                extra.append(node + _XREF_TARGET + external + _END)
                match = subject + _EXACT_MATCH + external + _END
                if match not in matches:  # two cross-references with one id: one match
                    matches.add(match)
                    out.append(match)
                    if plan.is_source:
                        out.append(subject + _IDENTIFIER + _text(part.id) + _END)
            for name, many, prop in step.lifts:
                targets = getattr(part, name)
                for target in (targets if many else (targets,)) if targets else ():
                    derived[(prop, target)] = None
            nested.append((part, node, None, (path, fm.name, index if fm.many else None), extra))

    # -- the error path ----------------------------------------------------------------------------------------------
    def _locate(self, step: _Step, v: Any, path: _Path, error: Exception) -> tuple[str, str]:
        """(field path, reason) of the value of ``step`` that could not be written (runs only on errors)."""
        fm = step.field
        head = _path_text(path)
        field = f"{head}.{fm.name}" if head else fm.name
        items = tuple(v) if isinstance(v, tuple | dict) else (v,)
        for index, item in enumerate(items):
            reason = self._problem(step, item)
            if reason is not None:
                return (f"{field}[{index}]" if fm.many else field), reason
        return field, str(error)

    def _problem(self, step: _Step, item: Any) -> str | None:
        if isinstance(item, BaseModel):
            own = getattr(item, "id", None) if has_own_id(type(item)) else None
            return self._problem(_Step(_REF, step.field, step.prop, False), own) if isinstance(own, str) else None
        if isinstance(item, str):
            surrogate = _SURROGATE.search(item)
            if surrogate is not None:
                return f"contains a lone surrogate U+{ord(surrogate.group()):04X} (not encodable as UTF-8)"
            if step.code in (_REF, _INVERSE):
                try:
                    _iri(record_iri(item))
                except ValueError as error:
                    return _iri_problem(record_iri(item), error)
            if self.xml_safe and step.text:
                problem = xml_forbidden(item)
                if problem is not None:
                    return f"{problem}; export Turtle, N-Triples or JSON-LD, which carry it exactly"
        if step.render is not None:
            try:
                step.render(item)
            except (ValueError, UnicodeEncodeError) as error:
                return str(error)
        return None


def _iri_problem(iri: str, error: Exception) -> str:
    return f"IRI {iri!r} is not a valid IRI ({error})"
