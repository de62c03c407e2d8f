"""Walk a record's fields: every reference, quote and outcome, and every link, read off the models.

Validation needs "every reference of every record" and "every quote of
every record" whatever the record type; the graph and the RDF need "every
link of every record and what it stands for". Rather than list those fields
a second time, this module reads them off the models: a reference field is
one whose annotation carries :class:`~kg.model.base.Ref` metadata, a nested
record is a *child* node when its model has a ``node_type`` (study arms, case
events, outcomes) and a *part* otherwise (quotes, cross-references,
adverse-event occurrences). The predicate of each link comes from the
field's ``Ref(..., predicate=...)`` or from the one table
:data:`kg.core.vocab.FIELD_PREDICATES`. Field paths are written the way error
messages show them: ``outcomes[0].arm``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache

from pydantic import BaseModel

from kg.core.identifiers import local_id
from kg.core.vocab import FIELD_PREDICATES, FieldEdge, NodeType, Predicate
from kg.model.base import Quote, Ref

__all__ = [
    "Lift",
    "Link",
    "LinkKind",
    "child_id",
    "field_key",
    "has_own_id",
    "is_node_model",
    "iter_nested",
    "iter_quotes",
    "iter_references",
    "links",
    "nested_node_id",
]


def _markers(annotation: object) -> tuple[Ref, ...]:
    """RefMarkers anywhere inside a (possibly Annotated, Optional or tuple) annotation."""
    found: list[Ref] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        found += [meta for meta in getattr(annotation, "__metadata__", ()) if isinstance(meta, Ref)]
        found += _markers(typing.get_args(annotation)[0])
    elif origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found += _markers(arg)
    return tuple(found)


def _field_marker(model: type[BaseModel], name: str) -> Ref | None:
    info = model.model_fields[name]
    markers = [meta for meta in info.metadata if isinstance(meta, Ref)]
    markers += _markers(info.annotation)
    return markers[0] if markers else None


@cache
def _reference_fields(model: type[BaseModel]) -> dict[str, tuple[NodeType, ...]]:
    fields: dict[str, tuple[NodeType, ...]] = {}
    for name in model.model_fields:
        marker = _field_marker(model, name)
        if marker is not None:
            fields[name] = marker.node_types
    return fields


def _holds_models(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


def _nested_model(annotation: object) -> type[BaseModel] | None:
    """The model class a field holds (inside Optional or tuple), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _is_many(annotation: object) -> bool:
    """Whether a field holds a tuple of values (possibly Optional)."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_many(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return False


@cache
def _model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields of ``model`` whose values can contain nested models (the only ones worth descending into)."""
    return tuple(name for name, info in model.model_fields.items() if _holds_models(info.annotation))


def iter_nested(record: BaseModel, path: str = "") -> Iterator[tuple[str, BaseModel]]:
    """The record itself and every model nested in it, each with its field path."""
    yield path, record
    for name in _model_fields(type(record)):
        value = getattr(record, name)
        prefix = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield from iter_nested(value, prefix)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_nested(item, f"{prefix}[{index}]")


def iter_references(record: BaseModel) -> Iterator[tuple[str, str, tuple[NodeType, ...]]]:
    """Every reference in ``record``: (field path, referenced id, allowed node types)."""
    for path, model in iter_nested(record):
        for name, node_types in _reference_fields(type(model)).items():
            value = getattr(model, name)
            field_path = f"{path}.{name}" if path else name
            if isinstance(value, str):
                yield field_path, value, node_types
            elif isinstance(value, tuple):
                for index, item in enumerate(value):
                    yield f"{field_path}[{index}]", item, node_types


def iter_quotes(record: BaseModel) -> Iterator[tuple[str, Quote]]:
    """Every quote in ``record``, with its field path."""
    for path, model in iter_nested(record):
        if isinstance(model, Quote):
            yield path, model


# -- links: what the graph and the RDF derive from --------------------------------------------------------


class LinkKind(Enum):
    """What a linking field holds."""

    REFERENCE = "reference"  # ids of other records (Annotated[str, Ref(...)])
    CHILD = "child"  # nested records that are nodes of their own (study arms, case events, outcomes)
    PART = "part"  # nested records that are no nodes (quotes, cross-references, adverse-event occurrences)


@dataclass(frozen=True)
class Lift:
    """A reference inside a part that becomes an edge of the record holding the part."""

    name: str  # the part's reference field (``Quote.source``: "source")
    many: bool
    predicate: Predicate


@dataclass(frozen=True)
class Link:
    """One field that links its record to other nodes, and the edge it stands for."""

    name: str
    key: str  # "Model.field" as kg.core.vocab.FIELD_PREDICATES spells it (the class that declares the field)
    kind: LinkKind
    many: bool
    predicate: Predicate | None  # None: no edge (a reference the graph leaves out, a part without references)
    inverse: bool = False
    sequence: Predicate | None = None  # consecutive children are linked too (case events: followed_by)
    node_types: tuple[NodeType, ...] = ()  # allowed targets of a reference
    target: type[BaseModel] | None = None  # the nested model of a child or part field
    lifts: tuple[Lift, ...] = ()  # references of a part that become edges of the holder


def is_node_model(model: type[BaseModel]) -> bool:
    """Whether records of ``model`` are nodes of the graph (they have a node type)."""
    return isinstance(getattr(model, "node_type", None), NodeType)


def child_id(holder_id: str, child: BaseModel, index: int) -> str:
    """Node id of the ``index``-th (0-based) child of a record: its own ``id``, else one made from the holder's.

    Study arms and case events carry ids; an outcome has none, so its node is
    ``outcome:<evidence local id>-<n>`` (the prefix of its node type, the
    holder's local id, the position from 1): stable as long as the data is.
    """
    model = type(child)
    if has_own_id(model):
        own: str = getattr(child, "id")  # noqa: B009 - the field is read by name
        return own
    node_type: NodeType = getattr(model, "node_type")  # noqa: B009 - a ClassVar of node models
    return nested_node_id(holder_id, node_type, index)


@cache
def has_own_id(model: type[BaseModel]) -> bool:
    """Whether ``model`` has an ``id`` field (cached: ``model_fields`` costs microseconds a call)."""
    return "id" in model.model_fields


def nested_node_id(holder_id: str, node_type: NodeType, index: int) -> str:
    """``<prefix>:<holder local id>-<n>``: the node id of the ``index``-th nested node without an id of its own."""
    return f"{node_type.info.id_prefix}:{local_id(holder_id)}-{index + 1}"


def field_key(model: type[BaseModel], name: str) -> str:
    """``"Model.field"`` naming the class that declares (or last redeclares) the field ``name`` of ``model``."""
    for cls in model.__mro__:
        if name in vars(cls).get("__annotations__", {}):
            return f"{cls.__name__}.{name}"
    return f"{model.__name__}.{name}"


def _declared_keys(model: type[BaseModel], name: str) -> list[str]:
    """``"Model.field"`` of every class that declares ``name``, the last redeclaration first."""
    return [f"{cls.__name__}.{name}" for cls in model.__mro__ if name in vars(cls).get("__annotations__", {})]


def _edge_of(model: type[BaseModel], name: str, marker: Ref | None, *, required: bool) -> FieldEdge | None:
    """The edge a field stands for: its own ``Ref(predicate=...)``, else the vocabulary's table.

    A subclass that redeclares a field (a narrower type of ``outcomes``) keeps the predicate of the field it
    redeclares, unless the table names the redeclaration itself.
    """
    key = field_key(model, name)
    if marker is not None and marker.predicate is not None:
        return FieldEdge(marker.predicate, inverse=marker.inverse)
    key = next((k for k in _declared_keys(model, name) if k in FIELD_PREDICATES), key)
    if key not in FIELD_PREDICATES:
        if not required:
            return None
        raise TypeError(
            f"{key}: a linking field needs a predicate: declare it as Ref(..., predicate=Predicate.X) "
            f"or add {key!r} to kg.core.vocab.FIELD_PREDICATES (None when it is no edge of the graph)"
        )
    entry = FIELD_PREDICATES[key]
    if entry is None or isinstance(entry, FieldEdge):
        return entry
    return FieldEdge(entry)


def _edge_parts(edge: FieldEdge | None) -> tuple[Predicate | None, bool, Predicate | None]:
    """(predicate, inverse, sequence) of a field's edge, for :class:`Link`; ``None``: no edge."""
    if edge is None:
        return None, False, None
    return edge.predicate, edge.inverse, edge.sequence


@cache
def links(model: type[BaseModel]) -> tuple[Link, ...]:
    """Every reference, child and part field of ``model``, in field order, with the edge it stands for.

    Raises ``TypeError`` naming the field when a reference or child field has
    no predicate (see :data:`kg.core.vocab.FIELD_PREDICATES`).
    """
    found: list[Link] = []
    for name, info in model.model_fields.items():
        key, many = field_key(model, name), _is_many(info.annotation)
        marker = _field_marker(model, name)
        if marker is not None:
            edge = _edge_of(model, name, marker, required=True)
            found.append(Link(name, key, LinkKind.REFERENCE, many, *_edge_parts(edge), node_types=marker.node_types))
            continue
        nested = _nested_model(info.annotation)
        if nested is None:
            continue
        if is_node_model(nested):
            edge = _edge_of(model, name, None, required=True)
            if edge is None:
                raise TypeError(f"{key}: nested nodes must be linked to their record; give the field a predicate")
            found.append(Link(name, key, LinkKind.CHILD, many, *_edge_parts(edge), target=nested))
            continue
        holder = _edge_of(model, name, None, required=False)
        lifts = []
        for inner in links(nested):
            predicate = holder.predicate if holder is not None else inner.predicate
            if inner.kind is LinkKind.REFERENCE and predicate is not None:
                lifts.append(Lift(inner.name, inner.many, predicate))
        part_predicate = holder.predicate if holder is not None else None
        found.append(Link(name, key, LinkKind.PART, many, part_predicate, target=nested, lifts=tuple(lifts)))
    return tuple(found)
