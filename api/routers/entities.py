"""``/entities``: autocomplete, one entity by id or name, and its neighbourhood.

* ``GET /entities?q=pyro&type=drug`` — prefix, word-prefix and fuzzy matches over every
  label and synonym (:meth:`kg.runtime.resolve.Resolver.search`), so a search box can offer
  "pyrotinib" after three letters and "trastuzumab emtansine" for "T-DM1".
* ``GET /entities/{id}`` — any node by our CURIE (``drug:pyrotinib``), by a verified
  external id (``DOID:3908``) or by a name; unknown ids give 404 with suggestions.
* ``GET /entities/{id}/neighbors`` — the graph within a few hops, capped in size.

Search and neighbourhoods scan names or walk the graph (milliseconds on a
large graph), so those endpoints are plain ``def`` and run in the threadpool;
answers are immutable per data version and cached (:mod:`api.cache`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import ConfigDict, Field, with_config
from starlette.responses import Response
from typing_extensions import TypedDict

from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import HEADLINE_THERAPY, error_responses, example
from api.errors import ApiError
from api.params import MAX_TERM_LENGTH
from api.responses import json_response
from kg.core.vocab import NodeType
from kg.graph.neighbourhood import neighbourhood
from kg.query.entity import EntityDetail, entity_payload
from kg.query.payload import Reference
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.resolve import NAMED_TYPES

__all__ = ["EntityHit", "EntityPage", "EntityType", "NeighbourhoodAnswer", "find_entity", "router"]

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class EntityHit(Reference):
    """An autocomplete suggestion: the entity, how it matched, and its other names."""

    match: Annotated[str, Field(description="exact, prefix, word prefix or fuzzy", examples=["prefix"])]
    synonyms: list[str]


@with_config(_FORBID)
class EntityPage(TypedDict):
    """Autocomplete suggestions for what the user typed."""

    query: Annotated[str, Field(examples=["pyro"])]
    types: list[str]
    results: list[EntityHit]


@with_config(_FORBID)
class NeighbourNode(TypedDict):
    """A node near the centre."""

    id: str
    label: str
    type: str
    distance: Annotated[int, Field(description="Hops from the centre.")]


@with_config(_FORBID)
class NeighbourEdge(TypedDict):
    """An edge among the nodes returned."""

    subject: str
    predicate: str
    object: str


@with_config(_FORBID)
class NeighbourhoodAnswer(TypedDict):
    """Nodes within ``depth`` hops of an entity, nearest first, and the edges among them."""

    center: Annotated[str, Field(examples=["drug:pyrotinib"])]
    depth: int
    max_nodes: int
    truncated: Annotated[bool, Field(description="The walk stopped at max_nodes; nearer nodes always come first.")]
    nodes: list[NeighbourNode]
    edges: list[NeighbourEdge]


#: The entity types that have names (and so can be searched).
EntityType = StrEnum("EntityType", {t.name: t.value for t in sorted(NAMED_TYPES, key=lambda t: t.value)})  # type: ignore[misc]

MAX_SEARCH_LIMIT = 50
MAX_DEPTH = 3
MAX_NODES = 2000

router = APIRouter(tags=["entities"], route_class=CachedRoute)

EntityId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_TERM_LENGTH,
        description="Our CURIE (drug:pyrotinib), a verified external id (DOID:3908) or a name.",
        openapi_examples=example("pyrotinib", "drug:pyrotinib"),
    ),
]


def _suggest(kg: KnowledgeGraph, text: str) -> list[dict[str, str]]:
    candidates = [text]
    if ":" in text:
        candidates.append(text.split(":", 1)[1])
    seen: dict[str, dict[str, str]] = {}
    for candidate in candidates:
        for entity, _ in kg.resolver.search(candidate, limit=5):
            seen.setdefault(entity, kg.resolver.reference(entity))
    return list(seen.values())[:5]


def find_entity(kg: KnowledgeGraph, text: str) -> tuple[str, str | None]:
    """The node id that ``text`` names and, when it was not the id itself, what was asked.

    Raises a 404 :class:`ApiError` with suggestions when nothing matches.
    """
    if text in kg.graph:
        return text, None
    found = kg.resolver.resolve(text)
    if found:
        return found[0], text
    suggestions = _suggest(kg, text)
    hint = f"; did you mean: {', '.join(s['label'] for s in suggestions)}?" if suggestions else ""
    raise ApiError(
        404,
        "unknown_entity",
        f"unknown entity {text!r}{hint}",
        parameter="entity_id",
        suggestions=suggestions,
        value=text,
    )


def _synonyms(kg: KnowledgeGraph, entity: str) -> list[str]:
    record = kg.graph.nodes[entity].get("record")
    return list(getattr(record, "synonyms", ()))


@router.get(
    "/entities",
    response_model=EntityPage,
    responses=error_responses(422),
    summary="Search entities (autocomplete)",
    description="Exact, prefix, word-prefix, then fuzzy matches over every label and synonym.",
)
def search_entities(
    kg: KG,
    settings: Settings,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            description="What the user typed so far.",
            openapi_examples=example("pyro", "pyro"),
        ),
    ],
    type: Annotated[
        list[EntityType] | None, Query(max_length=len(NAMED_TYPES), description="Only these entity types.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT, description="Most suggestions.")] = 10,
) -> Response:
    """Autocomplete suggestions for ``q``."""
    limit = min(limit, settings.max_search_limit)
    types = [NodeType(t.value) for t in type] if type else None
    results: list[EntityHit] = []
    for entity, how in kg.resolver.search(q, types, limit):
        reference = kg.resolver.reference(entity)
        hit: EntityHit = {
            "id": reference["id"],
            "label": reference["label"],
            "type": reference["type"],
            "match": how,
            "synonyms": _synonyms(kg, entity),
        }
        results.append(hit)
    page: EntityPage = {"query": q, "types": [t.value for t in types or ()], "results": results}
    return json_response(page)


@router.get(
    "/entities/{entity_id}/neighbors",
    response_model=NeighbourhoodAnswer,
    responses=error_responses(404, 422),
    summary="The graph around an entity",
    description=(
        "Nodes within `depth` hops (edges followed both ways), nearest first, and the edges among them; "
        "`truncated` says when `max_nodes` stopped the walk."
    ),
)
def get_neighbors(
    kg: KG,
    settings: Settings,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the entity.")] = 1,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES, description="Most nodes returned.")] = 200,
) -> Response:
    """The neighbourhood of one entity."""
    if depth > settings.max_neighbour_depth:
        raise ApiError(
            422, "invalid_parameter", f"depth must be at most {settings.max_neighbour_depth}", parameter="depth"
        )
    max_nodes = min(max_nodes, settings.max_neighbour_nodes)
    entity, _ = find_entity(kg, entity_id)
    hood = neighbourhood(kg.graph, entity, depth=depth, max_nodes=max_nodes)
    nodes = kg.graph.nodes
    answer: NeighbourhoodAnswer = {
        "center": entity,
        "depth": depth,
        "max_nodes": max_nodes,
        "truncated": hood.truncated,
        "nodes": [
            {
                "id": node,
                "label": nodes[node].get("label", node),
                "type": nodes[node].get("type", "unknown"),
                "distance": hops,
            }
            for node, hops in hood.distances.items()
        ],
        "edges": [
            {"subject": subject, "predicate": predicate, "object": target} for subject, target, predicate in hood.edges
        ],
    }
    return json_response(answer)


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    responses=error_responses(404, 422),
    summary="One entity",
    description=(
        "Label, type, synonyms, verified identifiers, parents and children in its hierarchy, and the full "
        f"record for evidence items, sources and studies. Try `{HEADLINE_THERAPY}`, `drug:pyrotinib` or `DOID:3908`."
    ),
)
def get_entity(kg: KG, entity_id: EntityId) -> Response:
    """One entity by id, external id or name."""
    entity, asked = find_entity(kg, entity_id)
    payload = entity_payload(kg, entity)
    if asked is not None:
        payload["resolved_from"] = asked
    return json_response(payload)
