"""Router for /graph: the interactive graph view, its data, search, node details and static assets.

The page is rendered by :func:`kg.view.render_view` with its assets linked
under ``/graph/assets`` (content-hashed URLs, cached for a year) and
details fetched on click from ``/graph/details``, so the page itself stays
small. Rendering and layout are CPU work, so those endpoints are plain
``def`` (run in the threadpool, off the event loop); serving a cached
asset is ``async``.

Errors follow the API's one JSON shape (``{"error": {"code", "message",
"parameter", "suggestions"}}``); a browser asking ``/graph`` for an unknown
focus gets the same content as an HTML page with "did you mean" links.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_kg
from api.docs import error_responses
from kg.core.errors import InvalidQueryError, UnknownEntityError
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.view import MAX_DEPTH, content_security_policy, render_view
from kg.view.assets import ASSET_NAMES, asset
from kg.view.details import node_details
from kg.view.page import error_page, view_data

__all__ = ["MAX_NODES_LIMIT", "router"]

router = APIRouter(prefix="/graph", tags=["graph view"])

#: Largest view the API draws on request (the benchmarks go to 20,000 nodes; beyond, use a focus).
MAX_NODES_LIMIT = 20_000

_PAGE_HEADERS = {
    "Content-Security-Policy": content_security_policy(inline=False) + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

Focus = Annotated[
    str | None, Query(description="Entity id, name or synonym whose neighbourhood to show.", max_length=300)
]
Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops around the focus (1–4).")]
Full = Annotated[bool, Query(description="Show the whole graph (capped by max_nodes, default 5,000).")]
MaxNodes = Annotated[
    int | None, Query(ge=1, le=MAX_NODES_LIMIT, description="Cap on drawn nodes (default 300; 5,000 with full).")
]


def _page_errors() -> dict[int | str, dict[str, Any]]:
    """The page's error answers: the JSON error shape, or (404 to a browser) an HTML page with links.

    Spelled out because FastAPI would document a ``model`` under the route's
    own media type (text/html) rather than application/json.
    """
    error = {"$ref": "#/components/schemas/ErrorBody"}
    documented: dict[int | str, dict[str, Any]] = {}
    for status, entry in error_responses(404, 422).items():
        content: dict[str, Any] = {"application/json": {"schema": error}}
        if status == 404:
            content["text/html"] = {"schema": {"type": "string"}}
        documented[status] = {"description": entry["description"], "content": content}
    return documented


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _given(focus: str | None) -> str | None:
    """A blank ``focus=`` (an emptied search box) means no focus, not an error."""
    return focus if focus is not None and focus.strip() else None


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _error(
    request: Request, kg: KnowledgeGraph, error: UnknownEntityError | InvalidQueryError, depth: int, html: bool
) -> Response:
    if isinstance(error, UnknownEntityError):
        status, code, parameter = 404, "unknown_entity", "focus"
        suggestions = kg.resolver.references(error.suggestions)
        extra: dict[str, Any] = {"value": error.value, "suggestions": suggestions}
    else:
        status, code, parameter = 422, "invalid_parameter", error.parameter
        suggestions = []
        extra = {"expected": error.expected}
    message = str(error)
    if html and _wants_html(request):
        links = [
            {**ref, "href": f"{router.prefix}?{urlencode({'focus': ref['id'], 'depth': depth})}"} for ref in suggestions
        ]
        page = error_page("Not found" if status == 404 else "Invalid request", message, links, home=router.prefix)
        return HTMLResponse(page, status_code=status, headers={"X-Content-Type-Options": "nosniff"})
    return _json({"error": {"code": code, "message": message, "parameter": parameter, **extra}}, status)


@router.get(
    "",
    response_class=HTMLResponse,
    summary="Interactive graph view (HTML)",
    responses=_page_errors(),
)
def graph_page(
    request: Request,
    kg: Annotated[KnowledgeGraph, Depends(get_kg)],
    focus: Focus = None,
    depth: Depth = 2,
    full: Full = False,
    max_nodes: MaxNodes = None,
) -> Response:
    """The seed question's evidence by default; one entity's neighbourhood with ``focus``; everything with ``full``."""
    focus = _given(focus)
    try:
        page = render_view(kg, focus=focus, depth=depth, full=full, max_nodes=max_nodes, inline_assets=False)
    except (UnknownEntityError, InvalidQueryError) as error:
        return _error(request, kg, error, depth, html=True)
    return HTMLResponse(page, headers=_PAGE_HEADERS)


@router.get("/data", summary="Nodes and edges of a view (JSON)", responses=error_responses(404, 422))
def graph_data(
    request: Request,
    kg: Annotated[KnowledgeGraph, Depends(get_kg)],
    focus: Focus = None,
    depth: Depth = 2,
    full: Full = False,
    max_nodes: MaxNodes = None,
) -> Response:
    """The view model the page draws: nodes (with positions for large views), edges, legend, notice."""
    focus = _given(focus)
    try:
        model = view_data(kg, focus, depth, full, max_nodes, embed_details=False)
    except (UnknownEntityError, InvalidQueryError) as error:
        return _error(request, kg, error, depth, html=False)
    return _json(model, headers={"Cache-Control": "no-cache"})


@router.get("/search", summary="Autocomplete entity names for the view's search box", responses=error_responses(422))
def graph_search(
    kg: Annotated[KnowledgeGraph, Depends(get_kg)],
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, synonym or id, or its beginning.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """Entities matching ``q`` (exact, prefix, word prefix, then fuzzy), through the same resolver as the API."""
    results = []
    for entity, how in kg.resolver.search(q, limit=limit):
        results.append({**kg.resolver.reference(entity), "match": how})
    if not results and q.strip() in kg.graph:  # any node id (an evidence item, an outcome) is a valid focus
        data = kg.graph.nodes[q.strip()]
        results.append({"id": q.strip(), "label": data["label"], "type": data["type"], "match": "id"})
    return _json({"query": q, "results": results})


@router.get("/details", summary="Side-panel details of one node", responses=error_responses(404, 422))
def graph_details(
    kg: Annotated[KnowledgeGraph, Depends(get_kg)],
    id: Annotated[str, Query(min_length=1, max_length=300, description="Node id, e.g. ev:… or drug:pyrotinib.")],
) -> Response:
    """Statement, outcomes with CIs, quote and source of an evidence item; synonyms and identifiers of an entity."""
    if id not in kg.graph:
        error = UnknownEntityError(id, "node", kg.resolver.suggest(id))
        body = {
            "error": {
                "code": "unknown_entity",
                "message": str(error),
                "parameter": "id",
                "value": id,
                "suggestions": kg.resolver.references(error.suggestions),
            }
        }
        return _json(body, 404)
    return _json(node_details(kg, id), headers={"Cache-Control": "no-cache"})


@router.get("/assets/{name}", summary="The view's JavaScript and CSS", include_in_schema=False)
async def graph_asset(name: str, request: Request, v: str | None = None) -> Response:
    """An asset by name; cached for a year when the URL carries its content hash (as the page's URLs do)."""
    if name not in ASSET_NAMES:
        message = f"unknown asset {name!r}; expected one of: {', '.join(ASSET_NAMES)}"
        return _json({"error": {"code": "not_found", "message": message, "parameter": "name"}}, 404)
    item = asset(name)
    etag = f'"{item.version}"'
    cache = "public, max-age=31536000, immutable" if v == item.version else "no-cache"
    headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(item.body, media_type=item.content_type, headers=headers)
