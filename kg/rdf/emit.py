"""Records → RDF text (N-Triples or Turtle), directly: the one place that decides what the RDF says.

Per record, in this order: ``rdf:type`` (our class), ``biolink:category``,
every mapped field (:mod:`kg.rdf.mapping`), then the *derived* triples that
mirror networkx edges not stored as a field, so SPARQL sees the same links
as the query engine: ``ekg:quotedFrom`` (a record or case event → the source of
each of its own quotes), ``ekg:followedBy`` (consecutive case events),
``ekg:aboutAdverseEvent`` / ``ekg:hadAdverseEvent`` (→ each adverse-event
term), and for verified external ids ``skos:exactMatch`` (plus
``dcterms:identifier`` on sources). The reader ignores derived triples and
rebuilds them, so RDF → records → RDF is isomorphic.

Nodes: records, arms, case events and outcomes get IRIs (our CURIEs
expanded; outcomes ``outcome:<evidence local id>-<n>`` as in the graph);
quotes, cross-references, adverse-event occurrences and ``rdf:List`` cells,
which have no identity of their own, are blank nodes ``_:b<n>``, numbered in
order, so an export is byte-for-byte reproducible.

External ids: every :class:`~kg.model.Xref` is an ``ekg:CrossReference`` node
(the id as a *string*, its verification status, where it was seen). Only a
verified or verified-secondary id also becomes an IRI (``skos:exactMatch``
from the record, ``ekg:xrefTarget`` on the node); an unverified id never does.

Why text and not an rdflib graph: rdflib serializes ~30k triples/s (Turtle)
to ~150k (N-Triples), before the cost of building its graph. Here each model
gets one generated function (:meth:`TextEmitter._node_function`) that renders
its fields straight to ``"predicate object"`` strings; N-Triples and Turtle
differ only in the :class:`~kg.rdf.syntax.Syntax` passed in.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kg.core.errors import ExportError
from kg.core.identifiers import EXTERNAL_PREFIXES, expand, own_prefixes
from kg.core.vocab import EKG_BASE, NodeType
from kg.graph.build import outcome_id
from kg.model import Corpus, Outcome, PatientCase, Quote, Xref
from kg.model.cases import CaseEvent
from kg.model.terms import Verification
from kg.rdf.escape import UnwritableError, escape_literal
from kg.rdf.literals import (
    XSD_ANY_URI,
    XSD_BOOLEAN,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_INTEGER,
    decimal_lexical,
    partial_date_datatype,
)
from kg.rdf.mapping import CLASS_OF_MODEL, FieldMap, Kind, field_maps, is_record_model
from kg.rdf.namespace import BIOLINK, DCTERMS, EKG, RDF, SKOS, VOID
from kg.rdf.syntax import Syntax

__all__ = ["DATASET_IRI", "TextEmitter", "record_iri"]

#: The node that describes the export itself (a ``void:Dataset`` with the data version).
DATASET_IRI = EKG_BASE

#: Namespace IRI of every CURIE prefix, ours and external (the frozen map of kg.core.identifiers).
_BASES = {
    **{prefix: f"{EKG_BASE}{prefix}/" for prefix in own_prefixes()},
    **{prefix: uri for prefix, uri, _, _ in EXTERNAL_PREFIXES},
}
_VERIFIED = frozenset({Verification.VERIFIED, Verification.VERIFIED_SECONDARY})
_CHUNK_BLOCKS = 1_000
#: Generated field writers, compiled once per process (by source text).
_COMPILED: dict[str, Any] = {}


def record_iri(curie: str) -> str:
    """IRI of a CURIE (``drug:pyrotinib`` → ``https://w3id.org/evidence-kg/drug/pyrotinib``).

    Same result as :func:`kg.core.identifiers.expand` for every prefix in its
    standard spelling (a test checks it on all ids of the data), from a plain
    dict: ``curies``' expand costs ~36 µs a call, and an export of the CIViC
    graph expands 12,000 distinct external ids. Anything else (a synonym
    prefix) goes through :func:`~kg.core.identifiers.expand`.
    """
    prefix, _, local = curie.partition(":")
    base = _BASES.get(prefix)
    return base + local if base is not None else expand(curie)


def _literal(text: str) -> str:
    """A ``"..."`` literal; the C-level pre-filter flags a superset of what :func:`escape_literal` escapes."""
    needs = not text.isprintable() or '"' in text or "\\" in text
    return '"' + (escape_literal(text) if needs else text) + '"'


FieldWriter = Callable[[Any, list[str], str, str, str, list[str]], None]
#: (value, subject, record id, path, out, extra parts) → None
NodeWriter = Callable[[Any, str, str, str, list[str], list[str] | None], None]


@dataclass
class _Plan:
    """What the emitter does for one model: fixed type parts, one writer per field, derived triples."""

    emit: NodeWriter  # writes the node and its parts (generated: see TextEmitter._node_function)
    source: str  # the generated code of ``emit``, for reading and debugging


class TextEmitter:
    """Writes records as text in one syntax; one instance per export (it numbers blank nodes)."""

    def __init__(self, syntax: Syntax) -> None:
        self.syntax = syntax
        #: Triples written so far.
        self.triples = 0
        self._bnodes = 0
        self._plans: dict[type[BaseModel], _Plan] = {}
        self._refs: dict[str, str] = {}
        self._externals: dict[str, str] = {}

    # -- public ----------------------------------------------------------------------------
    def corpus_chunks(self, corpus: Corpus) -> Iterator[bytes]:
        """The whole export as UTF-8 chunks: header, dataset node, then every record in section order."""
        yield self.head(corpus).encode("utf-8")
        yield from self.records_chunks(corpus)

    def head(self, corpus: Corpus) -> str:
        """The syntax header (Turtle prefixes) and the dataset node."""
        syntax = self.syntax
        dataset = [
            syntax.predicate(str(RDF.type)) + " " + syntax.iri(str(VOID.Dataset)),
            syntax.predicate(str(DCTERMS.title)) + " " + _literal("evidence-kg"),
            syntax.predicate(str(DCTERMS.hasVersion)) + " " + _literal(corpus.version),
        ]
        self.triples += len(dataset)
        return syntax.header() + syntax.block(syntax.iri(DATASET_IRI), dataset)

    def records_chunks(self, records: Iterable[BaseModel]) -> Iterator[bytes]:
        """UTF-8 chunks of ``records`` (top-level records), about 1,000 records per chunk.

        Each subject's block is encoded on its own, then the bytes are joined:
        joining the ``str`` blocks first would widen a whole chunk to 2 or 4
        bytes per character as soon as one block holds an en dash or an emoji,
        and encoding that back is 2–5× slower than encoding block by block.
        (Lone surrogates, which UTF-8 cannot encode, are refused before this.)
        """
        out: list[str] = []
        for count, record in enumerate(records, start=1):
            self.record(record, out)
            if count % _CHUNK_BLOCKS == 0:
                yield b"".join([block.encode("utf-8") for block in out])
                out.clear()
        if out:
            yield b"".join([block.encode("utf-8") for block in out])

    def record(self, record: BaseModel, out: list[str]) -> None:
        """Append the text of one top-level record (and its parts) to ``out``."""
        record_id: str = record.id  # type: ignore[attr-defined]
        try:
            self._node(record, self.ref(record_id), record_id, "", out, None)
        except (UnwritableError, ValueError) as error:
            raise ExportError(f"record {record_id}: {locate_problem(record, error)}") from error

    def ref(self, curie: str) -> str:
        """Our id rendered as an IRI in this syntax (cached)."""
        rendered = self._refs.get(curie)
        if rendered is None:
            rendered = self.syntax.own_id(curie, record_iri(curie))
            if len(self._refs) < 2_000_000:
                self._refs[curie] = rendered
        return rendered

    def external(self, curie: str) -> str:
        """An external id (verified xref) rendered as an IRI in this syntax (cached: curies' expand is slow)."""
        rendered = self._externals.get(curie)
        if rendered is None:
            rendered = self.syntax.iri(record_iri(curie))
            if len(self._externals) < 2_000_000:
                self._externals[curie] = rendered
        return rendered

    def bnode(self) -> str:
        """A fresh blank node label."""
        self._bnodes += 1
        return f"_:b{self._bnodes}"

    # -- the walk ----------------------------------------------------------------------------
    def _node(
        self, value: BaseModel, subject: str, record_id: str, path: str, out: list[str], extra: list[str] | None
    ) -> None:
        model = type(value)
        (self._plans.get(model) or self._compile(model)).emit(value, subject, record_id, path, out, extra)

    def _check_unmapped(self, unmapped: tuple[tuple[str, Any], ...]) -> Callable[[Any, str, str], None]:
        def check(value: Any, record_id: str, path: str) -> None:
            for name, default in unmapped:
                if getattr(value, name) != default:
                    field = f"{path}.{name}" if path else name
                    raise ExportError(
                        f"record {record_id}: field {field} has no RDF mapping (kg/rdf/mapping.py); "
                        "refusing to export the record without it"
                    )

        return check

    # -- compiling a model's plan -----------------------------------------------------------------
    def _compile(self, model: type[BaseModel]) -> _Plan:
        syntax = self.syntax
        type_parts = [syntax.predicate(str(RDF.type)) + " " + syntax.iri(str(CLASS_OF_MODEL[model]))]
        node_type: NodeType | None = getattr(model, "node_type", None)
        if node_type is not None:
            category = str(BIOLINK) + node_type.info.biolink.split(":", 1)[1]
            type_parts.append(syntax.predicate(str(BIOLINK.category)) + " " + syntax.iri(category))
        maps = field_maps(model)
        mapped = {fm.name for fm in maps}
        unmapped = tuple(
            (name, info.get_default(call_default_factory=True))
            for name, info in model.model_fields.items()
            if name not in mapped and not (name == "id" and is_record_model(model))
        )
        emit, source = self._node_function(model, maps, tuple(type_parts), unmapped)
        plan = _Plan(emit=emit, source=source)
        self._plans[model] = plan
        return plan

    def _node_function(
        self,
        model: type[BaseModel],
        maps: tuple[FieldMap, ...],
        type_parts: tuple[str, ...],
        unmapped: tuple[tuple[str, Any], ...],
    ) -> tuple[NodeWriter, str]:
        """Generate the function that writes one node of ``model``, and return it with its source.

        The node's text is its type triples, its fields, its derived triples
        and the ``extra`` parts its parent adds (``ekg:order``), joined by the
        syntax into one block. Why generated code: a loop over field writers
        pays a ``getattr`` by name, a ``None`` test and a call per field, for
        every field of every record, most of them empty. The generated function reads each field
        as a plain attribute and inlines the common cases (a reference, a
        text, an enum value: one dict lookup); nested parts, lists and
        inverse links still go through the writer closures of
        :meth:`_writer`. Everything it inlines is built from the same
        :class:`~kg.rdf.mapping.FieldMap` table, and the tests compare its
        output with independent parsers.
        """
        syntax = self.syntax
        env: dict[str, Any] = {
            "escape": escape_literal,
            "refs": self._refs,
            "ref": self.ref,
        }
        env.update(emitter=self, block=syntax.block, check_unmapped=self._check_unmapped(unmapped))
        derived = self._derived_writer(model)
        env["derived"] = derived
        for index, part in enumerate(type_parts):
            env[f"TYPE{index}"] = part
        lines = [
            "def emit(value, subject, record_id, path, out, extra):",
            f"    parts = [{', '.join(f'TYPE{i}' for i in range(len(type_parts)))}]",
            "    append = parts.append",
            "    extend = parts.extend",
            "    refs_get = refs.get",
        ]
        if unmapped:
            lines.append("    check_unmapped(value, record_id, path)")
        for index, fm in enumerate(maps):
            if not fm.name.isidentifier():
                raise TypeError(f"{model.__name__}.{fm.name}: not an identifier")
            lines.append(f"    v = value.{fm.name}")
            present = "v" if fm.many else "v is not None"
            if not _is_simple(fm):
                env[f"W{index}"] = self._writer(fm)
                lines.append(f"    if {present}: W{index}(v, parts, subject, record_id, path, out)")
                continue
            head = syntax.predicate(str(fm.prop)) + " "
            env[f"H{index}"] = head
            if fm.kind is Kind.REF:
                expression = f"H{index} + (refs_get(x) or ref(x))"
            elif fm.kind is Kind.TEXT:
                env[f"Q{index}"] = head + '"'
                # Pre-filter in C (isprintable, two memchr scans); it flags a superset of what needs escaping,
                # and escape() then escapes exactly what N-Triples/Turtle require.
                expression = f"Q{index} + (escape(x) if not x.isprintable() or '\"' in x or '\\\\' in x else x) + '\"'"
            elif fm.kind is Kind.ENUM:
                assert fm.enum is not None
                env[f"T{index}"] = {member: head + _literal(member.value) for member in fm.enum}
                expression = f"T{index}[x]"
            else:
                env[f"R{index}"] = self._literal_renderer(fm)
                expression = f"H{index} + R{index}(x)"
            if fm.many:
                # A set-valued field: a repeated value is one triple, written once.
                lines.append("    if v:")
                lines.append("        if len(v) > 1: v = dict.fromkeys(v)")
                lines.append(f"        extend([{expression} for x in v])")
            else:
                lines.append("    if v is not None:")
                lines.append("        x = v")
                lines.append(f"        append({expression})")
        if derived is not None:
            lines.append("    derived(value, parts, out)")
        lines += [
            "    if extra:",
            "        extend(extra)",
            "    emitter.triples += len(parts)",
            "    out.append(block(subject, parts))",
        ]
        source = "\n".join(lines) + "\n"
        code = _COMPILED.get(source)
        if code is None:
            code = _COMPILED[source] = compile(source, f"<kg.rdf.emit node of {model.__name__}>", "exec")
        exec(code, env)  # noqa: S102 - our own generated code
        return env["emit"], source

    def _writer(self, fm: FieldMap) -> FieldWriter:
        """Writer of a field the generated code does not inline: inverse links, nested parts, ordered lists."""
        syntax = self.syntax
        head = syntax.predicate(str(fm.prop)) + " "
        kind, many = fm.kind, fm.many
        ref = self.ref

        if kind is Kind.REF and fm.inverse:

            def write_inverse(value: Any, _parts: list[str], subject: str, *rest: Any) -> None:
                out = rest[-1]
                for target in value if many else (value,):
                    out.append(syntax.block(ref(target), [head + subject]))
                    self.triples += 1

            return write_inverse
        if kind is Kind.NESTED:
            return self._nested_writer(fm, head)

        render = self._literal_renderer(fm)
        if many and fm.ordered:
            first_head = syntax.predicate(str(RDF.first)) + " "
            rest_head = syntax.predicate(str(RDF.rest)) + " "
            nil = syntax.iri(str(RDF.nil))

            def write_list(
                value: Any, parts: list[str], _subject: str, _record_id: str, _path: str, out: list[str]
            ) -> None:
                cell = self.bnode()
                parts.append(head + cell)
                last = len(value) - 1
                for index, item in enumerate(value):
                    following = self.bnode() if index < last else nil
                    out.append(syntax.block(cell, [first_head + render(item), rest_head + following]))
                    self.triples += 2
                    cell = following

            return write_list
        raise TypeError(f"{fm.model.__name__}.{fm.name}: written inline by the generated node function")

    def _literal_renderer(self, fm: FieldMap) -> Callable[[Any], str]:
        syntax = self.syntax
        kind = fm.kind
        if kind is Kind.TEXT:
            return _literal
        if kind is Kind.ENUM:
            assert fm.enum is not None
            table = {member: _literal(member.value) for member in fm.enum}
            return table.__getitem__
        if kind is Kind.DECIMAL:
            suffix = '"' + syntax.datatype_suffix(XSD_DECIMAL)
            return lambda v: '"' + decimal_lexical(v) + suffix
        if kind is Kind.INTEGER:
            suffix = '"' + syntax.datatype_suffix(XSD_INTEGER)
            return lambda v: '"' + str(int(v)) + suffix
        if kind is Kind.BOOLEAN:
            suffix = '"' + syntax.datatype_suffix(XSD_BOOLEAN)
            true, false = '"true' + suffix, '"false' + suffix
            return lambda v: true if v else false
        if kind is Kind.YEAR:
            suffix = '"' + syntax.datatype_suffix(XSD_G_YEAR)
            return lambda v: f'"{int(v):04d}' + suffix
        if kind is Kind.PARTIAL_DATE:
            return lambda v: _literal(v) + syntax.datatype_suffix(partial_date_datatype(v))
        if kind is Kind.ANY_URI:
            suffix = syntax.datatype_suffix(XSD_ANY_URI)
            return lambda v: _literal(v) + suffix
        raise TypeError(f"{fm.model.__name__}.{fm.name}: no literal form for {kind}")

    def _nested_writer(self, fm: FieldMap, head: str) -> FieldWriter:
        syntax = self.syntax
        target = fm.target
        many, ordered = fm.many, fm.ordered
        order_head = syntax.predicate(str(EKG.order)) + " "
        order_suffix = '"' + syntax.datatype_suffix(XSD_INTEGER)
        is_outcome = target is Outcome
        has_iri = target is not None and is_record_model(target)
        is_xref = target is Xref
        match_head = syntax.predicate(str(SKOS.exactMatch)) + " "
        target_head = syntax.predicate(str(EKG.xrefTarget)) + " "
        identifier_head = syntax.predicate(str(DCTERMS.identifier)) + " " if fm.model.__name__ == "Source" else None

        child_emit: list[NodeWriter] = []  # the target model's generated function, resolved on first use

        def write_nested(
            value: Any, parts: list[str], _subject: str, record_id: str, path: str, out: list[str]
        ) -> None:
            if not child_emit:
                assert target is not None
                child_emit.append((self._plans.get(target) or self._compile(target)).emit)
            emit = child_emit[0]
            base = f"{path}.{fm.name}" if path else fm.name
            for index, item in enumerate(value if many else (value,)):
                if is_outcome:
                    child = self.ref(outcome_id(record_id, index))
                elif has_iri:
                    child = self.ref(item.id)
                else:
                    self._bnodes += 1
                    child = f"_:b{self._bnodes}"
                parts.append(head + child)
                extra: list[str] | None = None
                if ordered:
                    extra = [order_head + f'"{index + 1}' + order_suffix]
                if is_xref and item.status in _VERIFIED:
                    external = self.external(item.id)
                    extra = [target_head + external]
                    match = match_head + external
                    if match not in parts:  # two cross-references with one id: one match
                        parts.append(match)
                        if identifier_head is not None:
                            parts.append(identifier_head + _literal(item.id))
                emit(item, child, record_id, f"{base}[{index}]" if many else base, out, extra)

        return write_nested

    def _derived_writer(self, model: type[BaseModel]) -> Callable[[Any, list[str], list[str]], None] | None:
        """Writer of the triples that mirror graph edges no field stores (see the module docstring)."""
        syntax = self.syntax
        ref = self.ref
        steps: list[Callable[[Any, list[str], list[str]], None]] = []
        quote_fields = tuple(fm.name for fm in field_maps(model) if fm.target is Quote)
        if quote_fields:
            # As kg.graph.build: a node is quoted_from each distinct source of its own quotes
            # (an evidence item's one quote; provenance quotes of other records; a case event's quotes).
            quoted_head = syntax.predicate(str(EKG.quotedFrom)) + " "

            def quoted_from(value: Any, parts: list[str], _out: list[str]) -> None:
                sources: set[str] = set()
                for name in quote_fields:
                    quotes = getattr(value, name)
                    if isinstance(quotes, Quote):
                        sources.add(quotes.source)
                    elif quotes:
                        sources.update(quote.source for quote in quotes)
                parts.extend([quoted_head + ref(source) for source in sorted(sources)])

            steps.append(quoted_from)
        if "adverse_events" in model.model_fields:
            predicate = EKG.hadAdverseEvent if model is CaseEvent else EKG.aboutAdverseEvent
            ae_head = syntax.predicate(str(predicate)) + " "

            def adverse_events(value: Any, parts: list[str], _out: list[str]) -> None:
                terms = dict.fromkeys(occurrence.term for occurrence in value.adverse_events)
                parts.extend([ae_head + ref(term) for term in terms])

            steps.append(adverse_events)
        if model is PatientCase:
            followed_head = syntax.predicate(str(EKG.followedBy)) + " "

            def followed_by(value: Any, _parts: list[str], out: list[str]) -> None:
                events = value.events
                for before, after in itertools.pairwise(events):
                    out.append(syntax.block(ref(before.id), [followed_head + ref(after.id)]))
                self.triples += max(len(events) - 1, 0)

            steps.append(followed_by)
        if not steps:
            return None
        if len(steps) == 1:
            return steps[0]

        def derived(value: Any, parts: list[str], out: list[str]) -> None:
            for step in steps:
                step(value, parts, out)

        return derived


def _is_simple(fm: FieldMap) -> bool:
    """Whether a field's writer only adds ``"predicate object"`` parts to its own subject."""
    return fm.kind is not Kind.NESTED and not fm.inverse and not (fm.many and fm.ordered)


def locate_problem(record: BaseModel, error: Exception) -> str:
    """Name the field of ``record`` that could not be written, for the error message.

    Runs only on the error path: walks the record's nested models and
    returns ``field <path>: <reason>`` for the first value that fails the
    check the writer applied (text it cannot escape, an id or reference whose
    IRI no syntax allows, a decimal with no xsd:decimal form), else the bare
    reason.
    """
    from decimal import Decimal

    from kg.model.walk import iter_nested
    from kg.rdf.escape import iri_problem

    for path, model in iter_nested(record):
        kinds = {fm.name: fm.kind for fm in field_maps(type(model))}
        for name in type(model).model_fields:
            value = getattr(model, name)
            is_iri = kinds.get(name) is Kind.REF or (name == "id" and is_record_model(type(model)))
            items = value if isinstance(value, tuple) else (value,)
            for index, item in enumerate(items):
                field = f"{path}.{name}" if path else name
                if isinstance(value, tuple):
                    field += f"[{index}]"
                problem: str | None = None
                if isinstance(item, str):
                    try:
                        escape_literal(item)
                    except UnwritableError as unwritable:
                        problem = str(unwritable)
                    if problem is None and is_iri:
                        problem = iri_problem(record_iri(item))
                elif isinstance(item, Decimal) and not item.is_finite():
                    problem = f"{item} has no xsd:decimal form"
                if problem is not None:
                    return f"field {field}: {problem}"
    return str(error)
