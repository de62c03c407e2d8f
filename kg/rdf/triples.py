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

Terms are rendered as pyoxigraph writes them (:mod:`kg.rdf.terms`: str
formatting where that is provably identical, ``pyoxigraph.Literal`` /
``NamedNode`` for the rest, which validate and escape), and everything that
depends only on the model (properties, classes, enum values) once per model
(:mod:`kg.rdf.plan`). Each triple is written as its N-Triples statement
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

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from kg.core.errors import ExportError
from kg.model import Corpus, Xref
from kg.model.terms import Verification
from kg.model.walk import child_id, has_own_id
from kg.rdf.iris import DATASET_IRI, record_iri
from kg.rdf.namespace import DCTERMS, EKG_NS, RDF, SKOS, VOID
from kg.rdf.plan import (
    CONST,
    DECIMAL,
    ENUMS,
    INVERSE,
    LIST,
    LITERALS,
    NUMBER,
    PART,
    REF,
    REFS,
    STRING,
    TEXT,
    Plan,
    Step,
    as_published_piece,
    plan_of,
    position_piece,
)
from kg.rdf.statistics import statistics_statements
from kg.rdf.terms import curie_term, iri_term, text_term
from kg.rdf.xmlchars import xml_forbidden

__all__ = ["TripleBuilder"]

_VERIFIED = frozenset({Verification.VERIFIED, Verification.VERIFIED_SECONDARY})
_SURROGATE = re.compile("[\\ud800-\\udfff]")
_CACHE_LIMIT = 2_000_000
_CHUNK_RECORDS = 1_000

_XREF_TARGET = " " + iri_term(EKG_NS.xrefTarget) + " "
_EXACT_MATCH = " " + iri_term(SKOS.exactMatch) + " "
_IDENTIFIER = " " + iri_term(DCTERMS.identifier) + " "
_FIRST, _REST, _NIL = " " + iri_term(RDF.first) + " ", " " + iri_term(RDF.rest) + " ", iri_term(RDF.nil)
_END = " .\n"

#: Where a node sits in its record, built only when an error names it: (holder's path, field, index or None).
_Path = tuple[Any, str, int | None] | None
#: A nested node waiting to be written after its holder: (value, subject, node id, path, extra pieces).
_Nested = tuple[BaseModel, str, str | None, _Path, list[str]]


@cache
def _leaf_plan(model: type[BaseModel]) -> Plan | None:
    """The plan of a model with only simple fields, else ``None`` (also for a model with no RDF form)."""
    try:
        plan = plan_of(model)
    except TypeError:  # refused, naming the record, by TripleBuilder._write_node
        return None
    return plan if plan.leaf else None


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

        Each node's statements are encoded on their own and the bytes joined:
        joining the ``str`` first would widen a whole chunk to 2 or 4 bytes
        per character as soon as one holds an en dash or an emoji, and
        encoding that back is 2–5× slower.
        """
        dataset = iri_term(DATASET_IRI)
        head = [
            dataset + " " + iri_term(RDF.type) + " " + iri_term(VOID.Dataset) + _END,
            dataset + " " + iri_term(DCTERMS.title) + " " + text_term("evidence-kg") + _END,
            dataset + " " + iri_term(DCTERMS.hasVersion) + " " + text_term(corpus.version) + _END,
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
        statistics = statistics_statements(corpus)  # what ranking needs of the whole corpus (kg.rdf.statistics)
        self.count += statistics.count("\n")
        yield statistics.encode("utf-8")

    def record_statements(self, record: BaseModel, out: list[str]) -> None:
        """Append the statements of one top-level record and its parts to ``out``, one string per node."""
        record_id: str = getattr(record, "id")  # noqa: B009 - every top-level record has an id
        try:
            subject = self.iri(record_id)
        except ValueError as error:
            raise ExportError(f"record {record_id}: field id: {_iri_problem(record_iri(record_id), error)}") from None
        later: list[str] = []
        self._write_node(record, subject, record_id, record_id, None, out, later, ())
        if later:
            self.count += len(later)
            out.append("".join(later))

    def iri(self, curie: str) -> str:
        """Our id (or a verified external CURIE) as pyoxigraph writes the IRI; ``ValueError`` if it is none."""
        rendered = self._iris.get(curie)
        if rendered is None:
            rendered = curie_term(curie)
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
        extra: list[str] | tuple[()],
    ) -> None:
        """Append the statements of one node to ``out`` (as one string), then its parts' and children's.

        The node's own triples are collected as pieces (``" <p> o"``) and
        joined with ``" .\\n" + subject`` between them: one C call writes the
        subject into every statement. One branch per field, by its plan code
        (most frequent first); a ``None`` or empty value writes nothing.
        """
        try:
            plan = plan_of(type(value))
        except TypeError as error:  # a field whose type has no RDF form (kg.rdf.mapping.mapping_problems)
            raise ExportError(f"record {record_id}: {error}; refusing to export the record without it") from None
        pieces = list(plan.type_pieces)
        nested: list[_Nested | str] = []
        tail: list[str] = []  # rdf:List cells: statements about other subjects
        derived: dict[tuple[str, str], None] = {}
        append = pieces.append
        iris, iri = self._iris, self.iri
        xml_safe = self.xml_safe
        for (code, prop, arg, step), v in zip(plan.hot, plan.getter(value), strict=True):
            if v is None:
                continue
            try:
                if code == TEXT:
                    if '"' in v or "\\" in v or not v.isprintable():  # else nothing to escape (kg.rdf.terms)
                        append(self._text_piece(prop, v))
                    else:
                        append(f'{prop}"{v}"')
                elif code == CONST:
                    append(arg[v])
                elif code == REF:
                    append(prop + (iris.get(v) or iri(v)))
                elif code == NUMBER:
                    append(prop + arg(v))
                elif code == DECIMAL:  # typed, and its published digits as a string (stores keep only the value)
                    pieces += (prop + arg(v), as_published_piece(step, v))
                elif code == STRING:
                    if xml_safe:
                        self._check_xml((v,))
                    append(prop + arg(v))
                elif not v and step.many:  # an empty multi-valued field
                    continue
                elif code == REFS:
                    targets = dict.fromkeys(v) if len(v) > 1 else v  # a set: a repeated value is one triple
                    pieces += [prop + (iris.get(t) or iri(t)) for t in targets]
                    if len(v) > 1:  # and the values in order
                        self._write_list(step.list_prop, step.item, v, pieces, tail)
                elif code == PART:
                    self._write_parts(step, v, record_id, path, pieces, nested, derived, plan)
                elif code == ENUMS:
                    pieces += [arg[member] for member in dict.fromkeys(v)]
                    if len(v) > 1:
                        self._write_list(step.list_prop, step.item, v, pieces, tail)
                elif code == LITERALS:
                    items = dict.fromkeys(v) if len(v) > 1 else v
                    if xml_safe and step.text:
                        self._check_xml(items)
                    pieces += [prop + arg(item) for item in items]
                    if len(v) > 1:
                        self._write_list(step.list_prop, arg, v, pieces, tail)
                elif code == LIST:
                    if xml_safe and step.text:
                        self._check_xml(v)
                    self._write_list(prop, arg, v, pieces, tail)
                elif code == INVERSE:
                    later += [f"{iri(target)}{prop}{subject} .\n" for target in (v if step.many else (v,))]
                else:
                    self._write_children(step, v, node_id, path, pieces, later, nested)  # CHILD
            except (ValueError, UnicodeEncodeError) as error:
                field, reason = self._locate(step, v, path, error)
                raise ExportError(f"record {record_id}: field {field}: {reason}") from None
        for prop, target in derived:
            try:
                append(prop + self.iri(target))
            except ValueError as error:
                raise ExportError(f"record {record_id}: {_iri_problem(record_iri(target), error)}") from None
        pieces += extra
        self.count += len(pieces) + len(tail)
        out.append(subject + (_END + subject).join(pieces) + _END + "".join(tail))
        for item in nested:
            if isinstance(item, str):  # a leaf part, already written
                out.append(item)
            else:
                child, child_subject, child_node, child_path, child_extra = item
                self._write_node(child, child_subject, child_node, record_id, child_path, out, later, child_extra)

    def _text_piece(self, prop: str, text: str) -> str:
        """A text literal's piece when the text has something to escape, or to refuse (RDF/XML, lone surrogates)."""
        if self.xml_safe:
            self._check_xml((text,))
        return prop + text_term(text)

    def _check_xml(self, texts: Any) -> None:
        for text in texts:
            if xml_forbidden(text) is not None:
                raise ValueError(text)

    def _write_list(self, prop: str | None, render: Any, v: Any, pieces: list[str], tail: list[str]) -> None:
        """An ordered sequence of values as an ``rdf:List`` under ``prop`` (its cells follow the node)."""
        assert prop is not None and render is not None
        cell = self._bnode()
        pieces.append(prop + cell)
        last = len(v) - 1
        for index, item in enumerate(v):
            following = self._bnode() if index < last else _NIL
            tail += [cell + _FIRST + render(item) + _END, cell + _REST + following + _END]
            cell = following

    def _write_children(
        self,
        step: Step,
        v: Any,
        node_id: str | None,
        path: _Path,
        pieces: list[str],
        later: list[str],
        nested: list[_Nested | str],
    ) -> None:
        """Nested nodes with IRIs of their own (arms, case events, outcomes), linked from the holder."""
        fm = step.field
        previous: str | None = None
        for index, child in enumerate(v if fm.many else (v,)):
            child_node = child_id(node_id or "", child, index)
            child_subject = self.iri(child_node)
            pieces.append(step.prop + child_subject)
            extra = [position_piece(index + 1)] if fm.ordered else []
            if step.sequence is not None and previous is not None:
                later.append(previous + step.sequence + child_subject + _END)
            previous = child_subject
            nested.append((child, child_subject, child_node, (path, fm.name, index if fm.many else None), extra))

    def _write_parts(
        self,
        step: Step,
        v: Any,
        record_id: str,
        path: _Path,
        pieces: list[str],
        nested: list[_Nested | str],
        derived: dict[tuple[str, str], None],
        plan: Plan,
    ) -> None:
        """Nested parts as blank nodes; their references also become links of the holder (``derived``).

        A part of a leaf model (cross-references, most quotes' models have
        only simple fields) is written here at once, as its string: no
        recursion, and its place after the holder is kept by ``nested``.
        """
        fm = step.field
        matches: set[str] = set()
        for index, part in enumerate(v if fm.many else (v,)):
            node = self._bnode()
            pieces.append(step.prop + node)
            extra: list[str] = [position_piece(index + 1)] if fm.many else []
            if isinstance(part, Xref) and part.status in _VERIFIED:
                external = self.iri(part.id)
                extra.append(_XREF_TARGET + external)
                match = _EXACT_MATCH + external
                if match not in matches:  # two cross-references with one id: one match
                    matches.add(match)
                    pieces.append(match)
                    if plan.is_source:
                        pieces.append(_IDENTIFIER + text_term(part.id))
            for name, many, prop in step.lifts:
                targets = getattr(part, name)
                for target in (targets if many else (targets,)) if targets else ():
                    derived[(prop, target)] = None
            model: type[BaseModel] = type(part)
            part_plan = _leaf_plan(model)
            if part_plan is None:
                nested.append((part, node, None, (path, fm.name, index if fm.many else None), extra))
            else:
                part_path = (path, fm.name, index if fm.many else None)
                nested.append(self._leaf_text(part_plan, part, node, extra, record_id, part_path))

    def _leaf_text(
        self, plan: Plan, value: BaseModel, subject: str, extra: list[str], record_id: str, path: _Path
    ) -> str:
        """The statements of a part with only simple fields (a cross-reference): :meth:`_write_node`'s first
        branches, without its containers or a recursive call (40 % of all nodes are cross-references)."""
        pieces = list(plan.type_pieces)
        append = pieces.append
        for (code, prop, arg, step), v in zip(plan.hot, plan.getter(value), strict=True):
            if v is None:
                continue
            try:
                if code == TEXT:
                    if '"' in v or "\\" in v or not v.isprintable():
                        append(self._text_piece(prop, v))
                    else:
                        append(f'{prop}"{v}"')
                elif code == CONST:
                    append(arg[v])
                elif code == REF:
                    append(prop + self.iri(v))
                else:
                    append(prop + arg(v))
            except (ValueError, UnicodeEncodeError) as error:
                field, reason = self._locate(step, v, path, error)
                raise ExportError(f"record {record_id}: field {field}: {reason}") from None
        pieces += extra
        self.count += len(pieces)
        return subject + (_END + subject).join(pieces) + _END

    # -- the error path ----------------------------------------------------------------------------------------------
    def _locate(self, step: Step, v: Any, path: _Path, error: Exception) -> tuple[str, str]:
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

    def _problem(self, step: Step, item: Any) -> str | None:
        if isinstance(item, BaseModel):
            own = getattr(item, "id", None) if has_own_id(type(item)) else None
            return self._problem(Step(REF, step.field, step.prop, False), own) if isinstance(own, str) else None
        if isinstance(item, str):
            surrogate = _SURROGATE.search(item)
            if surrogate is not None:
                return f"contains a lone surrogate U+{ord(surrogate.group()):04X} (not encodable as UTF-8)"
            if step.code in (REF, REFS, INVERSE):
                try:
                    iri_term(record_iri(item))
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
