"""``/health``: is the server up, which data release does it serve, what does that hold.

``GET /health`` reports the data version, record counts, graph counts and the
SPARQL store's state: which engine answers, at which endpoint, and the data
version its store declares (the counts are computed once per app: the graph is
immutable); while the graph is still loading in the background it answers
503 ``loading`` at once. With an external SPARQL engine it answers 503 while
that engine is unreachable or its store declares another data version, so a
load balancer stops sending requests to this replica. ``GET /health/ping`` answers constant pre-serialized bytes from an
``async`` endpoint with no dependencies: it is the ceiling that benchmarks
compare the real endpoints against, and the cheapest liveness probe.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import KGNow
from api.docs import error_responses
from api.responses import JSON_MEDIA_TYPE, json_response
from api.schemas import Health, Ping
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["API_VERSION", "router"]

API_VERSION = "0.1.0"
_PING = b'{"status":"ok"}'

router = APIRouter(tags=["health"])


def _static_health(kg: KnowledgeGraph) -> dict[str, Any]:
    cached = kg.__dict__.get("_api_health")
    if cached is None:
        cached = {
            "status": "ok",
            "data_version": kg.version,
            "api_version": API_VERSION,
            "counts": kg.corpus.counts(),
            "graph": kg.stats(),
        }
        kg.__dict__["_api_health"] = cached
    return cached


@router.get(
    "/health",
    response_model=Health,
    responses=error_responses(503),
    summary="Status, data version and counts (503 while the data is still loading)",
)
async def get_health(request: Request, kg: KGNow) -> Response:
    """Readiness plus what is being served."""
    provider = getattr(request.app.state, "sparql", None)
    sparql = await provider.health() if provider is not None else {"state": "disabled"}
    return json_response({**_static_health(kg), "sparql": sparql})


@router.get("/health/ping", response_model=Ping, summary="Constant liveness answer (benchmark ceiling)")
async def ping() -> Response:
    """``{"status":"ok"}`` as pre-serialized bytes."""
    return Response(content=_PING, media_type=JSON_MEDIA_TYPE)
