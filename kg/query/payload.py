"""JSON-ready views of records, derived from the record models: what the API, ``--json`` and the view show.

A payload is read off its model, field by field, so a field added to a
record appears in every answer (and in the OpenAPI document) with no other
edit. The rules, by the field's type:

* a reference (``Annotated[str, Ref(...)]``) becomes ``{"id", "label", "type"}``
  (:data:`Reference`), or, where a view *expands* it, the referenced record's
  own payload (an item's study, population, quoted and cited sources);
* a number (``Decimal``) becomes a JSON number (integral ones as integers);
  an outcome also carries each number's exact published text in ``published``;
* an enum becomes its value, a tuple a list, a nested record its payload;
  everything else is shown as it is.

A record type's :class:`View` (in :data:`VIEWS`) says what differs from
these rules: fields renamed for the API (``short_citation`` is ``citation``),
fields computed from the record (an outcome's one-line ``text``, a DOI's
IRI), and the few fields not shown, each with the reason. The documented
type of a payload is derived by the same plan (:func:`payload_type`):
a ``TypedDict`` per model whose keys carry the model's field descriptions
and forbid anything else, so the OpenAPI document cannot drift from the
answers.

An evidence item's payload does not depend on the question, so the answer
layer builds it once per item (:mod:`kg.query.answer`); an answer page is
then a list of kept dicts plus each item's match explanation.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any, overload

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, with_config
from pydantic_core import core_schema
from typing_extensions import TypedDict

from kg.core.identifiers import expand
from kg.core.text import number_text
from kg.graph.internals import node_table
from kg.model import EvidenceItem, Outcome, Population, Source, Study
from kg.model.base import Quote, Ref, Xref
from kg.model.terms import Verification
from kg.present.labels import outcome_label
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "EXPANDED",
    "VIEWS",
    "Computed",
    "EvidencePayload",
    "OutcomePayload",
    "PayloadOf",
    "Reference",
    "SourcePayload",
    "StudyPayload",
    "View",
    "XrefPayload",
    "evidence_payload",
    "extended_payload_type",
    "number",
    "outcome_payload",
    "payload_type",
    "record_payload",
    "ref",
    "source_payload",
    "study_payload",
    "view_of",
]

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class Reference(TypedDict):
    """A node of the graph, by id, with its label and type."""

    id: Annotated[str, Field(examples=["drug:pyrotinib"])]
    label: Annotated[str, Field(examples=["pyrotinib"])]
    type: Annotated[str, Field(examples=["drug"])]


def number(value: Decimal | int | None) -> float | int | None:
    """A published number as a JSON number (integral decimals as ints)."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


@overload
def ref(kg: KnowledgeGraph, node_id: str) -> Reference: ...
@overload
def ref(kg: KnowledgeGraph, node_id: None) -> None: ...
@overload
def ref(kg: KnowledgeGraph, node_id: str | None) -> Reference | None: ...
def ref(kg: KnowledgeGraph, node_id: str | None) -> Reference | None:
    """``{"id", "label", "type"}`` of a node, or None (an id missing from the graph has type ``unknown``)."""
    if node_id is None:
        return None
    data = node_table(kg.graph).get(node_id)  # networkx's node dict, read only (graph.nodes is a view of it)
    if data is None:
        return Reference(id=node_id, label=node_id, type="unknown")
    return Reference(id=node_id, label=data["label"], type=data["type"])


# -- what differs from the rules, per record type ------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """A key computed from the record, placed after the field (or computed key) ``after`` (None: at the end)."""

    key: str
    after: str | None
    compute: Callable[[KnowledgeGraph, Any], Any]
    annotation: Any
    description: str


@dataclass(frozen=True)
class View:
    """How one record type's payload differs from the rules of the module docstring."""

    #: Field → why it is not shown.
    hidden: Mapping[str, str] = field(default_factory=dict)
    #: Field → the key it is shown under.
    renamed: Mapping[str, str] = field(default_factory=dict)
    #: Reference field → the record type whose payload replaces the reference.
    expanded: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    computed: tuple[Computed, ...] = ()
    #: Records of this type inside a list are shown only when this holds.
    keep: Callable[[Any], bool] | None = None


def _verified_id(prefix: str) -> Callable[[KnowledgeGraph, Source], str | None]:
    def read(_kg: KnowledgeGraph, source: Source) -> str | None:
        for xref in source.xrefs:
            if xref.id.startswith(f"{prefix}:") and xref.status is not Verification.UNVERIFIED:
                return xref.id.split(":", 1)[1]
        return None

    return read


def _civic_url(_kg: KnowledgeGraph, item: EvidenceItem) -> str | None:
    for xref in item.xrefs:
        if xref.id.startswith("civic.eid:"):
            return f"https://civicdb.org/links/evidence_items/{xref.id.split(':', 1)[1]}"
    return None


_PROVENANCE = "quotes backing the record's own facts: the RDF export and /graph/details carry them"

#: The differences, per record type; a type not listed follows the rules alone.
VIEWS: dict[type[BaseModel], View] = {
    EvidenceItem: View(
        expanded={"study": Study, "population": Population, "cites": Source},
        computed=(Computed("url", "xrefs", _civic_url, str | None, "CIViC page of an imported item."),),
    ),
    Quote: View(expanded={"source": Source}),
    Outcome: View(
        computed=(
            Computed(
                "measure_label",
                "measure",
                lambda _kg, o: o.measure_label(),
                Annotated[str, Field(examples=["ORR"])],
                "Short display name of the measure.",
            ),
            Computed(
                "text",
                "measure_label",
                lambda _kg, o: outcome_label(o),
                Annotated[str, Field(examples=["ORR 22.2% (95% CI 10.6–40.8)"])],
                "The outcome in one line, numbers as published.",
            ),
            Computed(
                "published",
                None,
                lambda _kg, o: {name: number_text(value) for name, value in o.numbers().items()},
                dict[str, str],
                "Each number of the outcome exactly as published (JSON numbers drop trailing zeros: '34.0').",
            ),
        )
    ),
    Population: View(
        renamed={"parent": "subgroup_of"},
        hidden={"provenance": _PROVENANCE},
        computed=(
            Computed("is_subgroup", "parent", lambda _kg, p: p.parent is not None, bool, "Whether this is a subgroup."),
        ),
    ),
    Study: View(hidden={"provenance": _PROVENANCE}),
    Source: View(
        renamed={"short_citation": "citation"},
        hidden={
            "xrefs": "shown as the verified doi and pmid (the only identifiers sources have)",
            "text_file": "a path inside this project's data directory",
        },
        computed=(
            Computed("doi", "xrefs", _verified_id("doi"), str | None, "DOI, when verified."),
            Computed("pmid", "doi", _verified_id("PMID"), str | None, "PubMed id, when verified."),
        ),
    ),
    Xref: View(
        hidden={"source": "where a curator saw the identifier: curation provenance, kept in the data files"},
        computed=(Computed("iri", "id", lambda _kg, x: expand(x.id), str, "The identifier as an IRI."),),
        keep=lambda xref: xref.status is not Verification.UNVERIFIED,
    ),
}

_DEFAULT_VIEW = View()


def view_of(model: type) -> View:
    """The view of ``model``: its own, else its nearest base class's (a subclass keeps its parent's changes)."""
    return next((VIEWS[base] for base in model.__mro__ if base in VIEWS), _DEFAULT_VIEW)


# -- the plan: one entry per key, read off the model once ------------------------------------------------

Convert = Callable[["KnowledgeGraph", Any], Any]


@dataclass(frozen=True)
class _Key:
    key: str
    field: str | None  # the record's field, or None for a computed key
    convert: Convert | None  # None: the value as it is
    annotation: Any
    description: str | None


# Converters take ``(kg, value)`` and keep a None value None, so an optional field needs no wrapper.


def _enum(_kg: KnowledgeGraph, value: Enum | None) -> Any:
    return None if value is None else value._value_


def _number(_kg: KnowledgeGraph, value: Decimal | int | None) -> float | int | None:
    return number(value)


def _nested(kg: KnowledgeGraph, value: BaseModel | None) -> dict[str, Any] | None:
    return None if value is None else record_payload(kg, value)


#: Payloads of referenced records shown expanded (a study, a population, a source), by id: many items share them.
EXPANDED: MemoSpec[str, dict[str, Any]] = MemoSpec("expanded record payloads", max_entries=200_000)


def _expanded(model: type[BaseModel]) -> Convert:
    def expanded(kg: KnowledgeGraph, node_id: str | None) -> Any:
        if node_id is None:
            return None
        kept = kg.memo.table(EXPANDED).get(node_id)
        if kept is not None:
            return kept
        data = node_table(kg.graph).get(node_id)  # networkx's node dict, read only (graph.nodes is a view of it)
        record = data.get("record") if data is not None else None
        if not isinstance(record, model):
            raise LookupError(f"{node_id!r} is not a {model.__name__} of this graph (a reference the validator passed)")
        return kg.memo.table(EXPANDED).put(node_id, record_payload(kg, record))

    return expanded


def _each(inner: Convert | None, keep: Callable[[Any], bool] | None) -> Convert:
    if keep is not None:
        assert inner is not None  # only records are kept or left out, and records are always converted
        return lambda kg, values: [inner(kg, value) for value in values if keep(value)]
    if inner is None:
        return lambda _kg, values: list(values)
    return lambda kg, values: [inner(kg, value) for value in values]


def _list_of(documented: Any) -> Any:
    """``list[documented]``, for a type known only at run time."""
    return types.GenericAlias(list, (documented,))


def _compile(annotation: Any, expand_to: type[BaseModel] | None, where: str) -> tuple[Convert | None, Any]:
    """How to show a value of ``annotation`` (None: as it is) and its documented type."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *metadata = typing.get_args(annotation)
        if any(isinstance(meta, Ref) for meta in metadata):
            if expand_to is not None:
                return _expanded(expand_to), PayloadOf(expand_to).documented
            return ref, Reference
        return _compile(base, expand_to, where)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(options) == 1:  # Optional[X]: X's converter already keeps None
            inner, documented = _compile(options[0], expand_to, where)
            return inner, documented | None
    elif origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            inner, documented = _compile(args[0], expand_to, where)
            keep = view_of(args[0]).keep if isinstance(args[0], type) else None
            return _each(inner, keep), _list_of(documented)
    elif isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return _enum, annotation
        if issubclass(annotation, Decimal):
            return _number, float
        if issubclass(annotation, BaseModel):
            return _nested, PayloadOf(annotation).documented
        if annotation in (str, int, bool, float):
            return None, annotation
    raise TypeError(f"{where}: no payload rule for the type {annotation!r}; add one to kg.query.payload")


@cache
def _plan(model: type[BaseModel]) -> tuple[_Key, ...]:
    """The keys of ``model``'s payload, in the model's field order, with the view's changes applied."""
    view = view_of(model)
    unknown = {*view.hidden, *view.renamed, *view.expanded} - set(model.model_fields)
    if unknown:
        raise TypeError(f"the payload view of {model.__name__} names fields it does not have: {sorted(unknown)}")
    keys: list[_Key] = []
    for name, info in model.model_fields.items():
        if name not in view.hidden:
            annotation: Any = info.annotation
            if info.metadata:  # pydantic moves a top-level Annotated's metadata here
                annotation = Annotated[annotation, *info.metadata]
            convert, documented = _compile(annotation, view.expanded.get(name), f"{model.__name__}.{name}")
            keys.append(_Key(view.renamed.get(name, name), name, convert, documented, info.description))
        keys.extend(_computed_after(view, name))
    for computed in view.computed:
        if computed.after is None:
            keys.append(_Key(computed.key, None, computed.compute, computed.annotation, computed.description))
    return tuple(keys)


def _computed_after(view: View, name: str) -> list[_Key]:
    """Computed keys placed after ``name``, each followed by those placed after it."""
    found: list[_Key] = []
    for computed in view.computed:
        if computed.after == name:
            found.append(_Key(computed.key, None, computed.compute, computed.annotation, computed.description))
            found.extend(_computed_after(view, computed.key))
    return found


@cache
def _builder(model: type[BaseModel]) -> Callable[[KnowledgeGraph, BaseModel], dict[str, Any]]:
    """``model``'s plan as one function: every field read by one ``attrgetter``, then converted in place.

    Payloads are built for every item an answer shows the first time it is
    shown, so this is on the path of a first answer: one C-level read of all
    fields into a dict in key order, then only the keys that need it are
    converted or computed (replacing a value keeps its position).
    """
    plan = _plan(model)
    keys = tuple(key.key for key in plan)
    placeholder = next(key.field for key in plan if key.field is not None)  # computed keys are filled in after
    read = attrgetter(*(key.field or placeholder for key in plan))
    converted = tuple((key.key, key.convert) for key in plan if key.field is not None and key.convert is not None)
    computed = tuple((key.key, key.convert) for key in plan if key.field is None and key.convert is not None)
    single = len(keys) == 1

    def build(kg: KnowledgeGraph, record: BaseModel) -> dict[str, Any]:
        values = read(record)
        payload = dict(zip(keys, (values,) if single else values, strict=True))
        for name, convert in converted:
            payload[name] = convert(kg, payload[name])
        for name, compute in computed:
            payload[name] = compute(kg, record)
        return payload

    return build


def record_payload(kg: KnowledgeGraph, record: BaseModel) -> dict[str, Any]:
    """The payload of any record (see the module docstring)."""
    return _builder(type(record))(kg, record)


# -- the documented types ------------------------------------------------------------------------------


@cache
def payload_type(model: type[BaseModel]) -> type:
    """The ``TypedDict`` documenting ``model``'s payload: ``<Model>Payload``, keys described as the fields are."""
    fields: dict[str, Any] = {}
    for key in _plan(model):
        documented = key.annotation
        fields[key.key] = _described(documented, key.description)
    return _typed_dict(f"{model.__name__}Payload", fields, (model.__doc__ or model.__name__).strip().split("\n\n")[0])


def _described(documented: Any, description: str | None) -> Any:
    """``Annotated[documented, Field(description=...)]`` (``documented`` itself without a description)."""
    return Annotated[documented, Field(description=description)] if description else documented


def _typed_dict(name: str, fields: dict[str, Any], doc: str) -> type:
    """A ``TypedDict`` made at run time: every key required, no other key allowed."""
    make: Any = TypedDict  # the functional form, with a name known only at run time
    documented: type = with_config(_FORBID)(make(name, fields))
    documented.__doc__ = doc
    return documented


@dataclass(frozen=True)
class PayloadOf:
    """``Annotated[dict[str, Any], PayloadOf(Study)]``: a payload dict, documented (and validated) as its model's.

    A type checker sees a plain dict (the keys are derived at run time);
    pydantic, FastAPI's ``response_model`` and ``TypeAdapter`` see
    :func:`payload_type` of the model.
    """

    model: type[BaseModel]

    @property
    def documented(self) -> type:
        return payload_type(self.model)

    def __get_pydantic_core_schema__(self, _source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return handler.generate_schema(self.documented)


EvidencePayload = Annotated[dict[str, Any], PayloadOf(EvidenceItem)]
SourcePayload = Annotated[dict[str, Any], PayloadOf(Source)]
StudyPayload = Annotated[dict[str, Any], PayloadOf(Study)]
OutcomePayload = Annotated[dict[str, Any], PayloadOf(Outcome)]
XrefPayload = Annotated[dict[str, Any], PayloadOf(Xref)]


# -- by record type -----------------------------------------------------------------------------------


def evidence_payload(kg: KnowledgeGraph, item: EvidenceItem) -> EvidencePayload:
    """Everything a researcher needs to judge one evidence item, independent of the question."""
    return record_payload(kg, item)


def outcome_payload(kg: KnowledgeGraph, outcome: Outcome) -> OutcomePayload:
    """An outcome's numbers, its arm and population, and its one-line text."""
    return record_payload(kg, outcome)


def source_payload(kg: KnowledgeGraph, source_id: str) -> SourcePayload:
    """A source by id: citation, verified ids, and the source it is cited through."""
    return record_payload(kg, kg.corpus.sources[source_id])


def study_payload(kg: KnowledgeGraph, study_id: str) -> StudyPayload:
    """A study by id: design, phase, size, arms, line and setting."""
    return record_payload(kg, kg.corpus.studies[study_id])


def extended_payload_type(model: type[BaseModel], name: str, extra: type, doc: str) -> type:
    """A ``TypedDict`` named ``name``: ``model``'s payload keys, then the keys of the ``TypedDict`` ``extra``.

    For answers that add a few keys to a record's payload (a source with
    the page of evidence drawn from it).
    """
    base = payload_type(model)
    fields = {**base.__annotations__, **typing.get_type_hints(extra, include_extras=True)}
    return _typed_dict(name, fields, doc)
