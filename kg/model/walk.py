"""Walk a record's fields: every reference, quote and outcome, with its field path.

Validation needs "every reference of every record" and "every quote of
every record" whatever the record type. Rather than list those fields a
second time, this module reads them off the models: a reference field is
one whose annotation carries :class:`~kg.model.base.Ref` metadata. Field
paths are written the way error messages show them: ``outcomes[0].arm``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from functools import cache

from pydantic import BaseModel

from kg.core.vocab import NodeType
from kg.model.base import Quote, Ref

__all__ = ["iter_nested", "iter_quotes", "iter_references"]


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


@cache
def _reference_fields(model: type[BaseModel]) -> dict[str, tuple[NodeType, ...]]:
    fields: dict[str, tuple[NodeType, ...]] = {}
    for name, info in model.model_fields.items():
        markers = [meta for meta in info.metadata if isinstance(meta, Ref)]
        markers += _markers(info.annotation)
        if markers:
            fields[name] = markers[0].node_types
    return fields


def _holds_models(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


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
