"""Any node of the graph as JSON: names, verified identifiers, its place in the hierarchies, its record.

``/entities/{id}`` and the graph view's side panel show every kind of node
the same way: label, type, synonyms, verified external ids, parents and
children in the hierarchies, and for evidence items, sources and studies
their full payload (:mod:`kg.query.payload`). :class:`EntityDetail` is both
what :func:`entity_payload` returns and what the OpenAPI document shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NotRequired

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.core.vocab import NodeType
from kg.model import Source, Study
from kg.model.terms import Verification
from kg.query.payload import (
    EvidencePayload,
    Reference,
    SourcePayload,
    StudyPayload,
    XrefPayload,
    record_payload,
    ref,
)

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["EntityDetail", "entity_payload"]


@with_config(ConfigDict(extra="forbid"))
class EntityDetail(TypedDict):
    """Any node: label, type, synonyms, verified identifiers, hierarchy, and its record when it has one."""

    id: Annotated[str, Field(examples=["drug:pyrotinib"])]
    type: str
    label: str
    synonyms: list[str]
    description: str | None
    xrefs: Annotated[list[XrefPayload], Field(description="Verified external identifiers.")]
    curator_note: str | None
    parents: list[Reference]
    children: list[Reference]
    evidence: NotRequired[EvidencePayload]
    source: NotRequired[SourcePayload]
    study: NotRequired[StudyPayload]
    resolved_from: NotRequired[
        Annotated[
            str, Field(description="The id or name asked, when it was not this entity's own id (DOID:3908, a synonym).")
        ]
    ]


def entity_payload(kg: KnowledgeGraph, node_id: str) -> EntityDetail:
    """Any node: label, type, synonyms, verified identifiers, hierarchy and, for some types, the record."""
    data = kg.graph.nodes[node_id]
    record = data["record"]
    payload: EntityDetail = {
        "id": node_id,
        "type": data["type"],
        "label": data["label"],
        "synonyms": list(getattr(record, "synonyms", ())),
        "description": getattr(record, "description", None),
        "xrefs": [
            record_payload(kg, xref)
            for xref in getattr(record, "xrefs", ())
            if xref.status is not Verification.UNVERIFIED
        ],
        "curator_note": getattr(record, "curator_note", None),
        "parents": [ref(kg, parent) for parent in kg.hierarchy.parents(node_id)],
        "children": sorted(
            (ref(kg, child) for child in kg.graph.predecessors(node_id) if node_id in kg.hierarchy.parents(child)),
            key=lambda reference: reference["label"],
        ),
    }
    if data["type"] == NodeType.EVIDENCE.value:
        payload["evidence"] = record_payload(kg, record)
    elif isinstance(record, Source):
        payload["source"] = record_payload(kg, record)
    elif isinstance(record, Study):
        payload["study"] = record_payload(kg, record)
    return payload
