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
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from api.deps import KGNow
from api.docs import error_responses
from api.responses import JSON_MEDIA_TYPE, json_response
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.memo import MemoSpec

__all__ = ["API_VERSION", "Health", "Ping", "router"]

API_VERSION = "0.1.0"
_PING = b'{"status":"ok"}'

router = APIRouter(tags=["health"])

#: The graph's part of a health answer (counts): computed once per graph.
_HEALTH: MemoSpec[None, dict[str, Any]] = MemoSpec("health counts", max_entries=1)


class SparqlStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: str = Field(description="disabled, idle, building, ready or failed", examples=["ready"])
    message: str | None = None
    engine: str | None = Field(
        default=None, description="pyoxigraph (embedded), oxigraph, virtuoso, qlever or sparql", examples=["pyoxigraph"]
    )
    engine_version: str | None = None
    endpoint: str | None = Field(default=None, description="URL of the external engine (none when embedded).")
    graph: str | None = Field(default=None, description="Graph of the data on the external engine, if any.")
    data_version: str | None = Field(default=None, description="The data version the store declares.")
    triples: int | None = None
    timeout_s: float | None = None
    max_rows: int | None = None


class Health(BaseModel):
    """Liveness, the data release served, and what it holds."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(examples=["ok"])
    data_version: str = Field(examples=["curated-a2bc485c10ff"])
    api_version: str
    counts: dict[str, int] = Field(description="Records per section of the corpus.")
    graph: dict[str, dict[str, int]] = Field(description="Nodes by type and edges by predicate.")
    sparql: SparqlStatus


class Ping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(examples=["ok"])


def _static_health(kg: KnowledgeGraph) -> dict[str, Any]:
    def build() -> dict[str, Any]:
        return {
            "status": "ok",
            "data_version": kg.version,
            "api_version": API_VERSION,
            "counts": kg.corpus.counts(),
            "graph": kg.stats(),
        }

    return kg.memo.table(_HEALTH).get_or_compute(None, build)


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
