"""Settings of one API app: limits, SPARQL sandbox, caches, network exposure.

Every limit the server enforces lives here, in one validated model, so a
deployment can loosen or tighten it and tests can make it small (a 2 s SPARQL
time limit instead of 10 s) without monkeypatching. Defaults are safe for a
researcher running ``kg serve`` on a laptop: loopback only, CORS off,
bounded pages, bounded query strings, bounded SPARQL.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from kg.curation.cache import artefact_dir
from kg.query.evidence_query import MAX_LIMIT, QueryLimits
from kg.sparql.endpoint import EndpointSpec

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_LIMIT",
    "DEFAULT_SOURCES_LIMIT",
    "MAX_QUERY_STRING",
    "SERVER_REQUEST_LINE_LIMIT",
    "ApiSettings",
]

#: Where ``kg serve`` binds unless told otherwise: never the whole network by accident.
DEFAULT_HOST = "127.0.0.1"
#: Page size of /evidence and /ask when none is asked (the maximum may not go below it).
DEFAULT_LIMIT = 20
#: Page size of /sources when none is asked.
DEFAULT_SOURCES_LIMIT = 50
#: Longest URL query string the app accepts (bytes): below uvicorn's 64 KiB request-line limit.
MAX_QUERY_STRING = 32 * 1024
#: The request-line length (bytes) past which uvicorn itself answers a plain-text 400, before any app code.
SERVER_REQUEST_LINE_LIMIT = 64 * 1024


class ApiSettings(BaseModel):
    """Limits and switches of the HTTP API (``create_app(settings=ApiSettings(...))``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # -- pages and inputs ------------------------------------------------------
    max_limit: int = Field(
        default=MAX_LIMIT, ge=DEFAULT_LIMIT, le=MAX_LIMIT, description="Largest page of /evidence and /ask."
    )
    max_offset: int = Field(default=100_000, ge=0, description="Deepest offset a request may ask.")
    max_terms: int = Field(default=10, ge=1, le=50, description="Most values of one repeatable parameter.")
    max_term_length: int = Field(default=200, ge=8, description="Longest single name or id in a parameter.")
    max_question_length: int = Field(default=1000, ge=16, description="Longest free-text question (/ask).")
    max_query_string: int = Field(
        default=MAX_QUERY_STRING,
        ge=256,
        le=MAX_QUERY_STRING,
        description=(
            "Longest URL query string in bytes; longer requests get the JSON 414 of api.middleware. At most 32 KiB, "
            "well below the HTTP server's own limit on a request line (uvicorn refuses lines over 64 KiB with a "
            "plain-text 400 before the app sees them), so every over-long query string the app receives gets the "
            "documented 414; longer SPARQL queries go in a POST body."
        ),
    )
    max_search_limit: int = Field(default=50, ge=1, le=500, description="Most autocomplete suggestions.")
    max_neighbour_depth: int = Field(default=3, ge=1, le=10, description="Deepest /entities/{id}/neighbors walk.")
    max_neighbour_nodes: int = Field(default=2000, ge=1, description="Most nodes in one neighbourhood.")
    max_sources_page: int = Field(
        default=500, ge=DEFAULT_SOURCES_LIMIT, le=500, description="Largest page of /sources."
    )

    # -- start-up ----------------------------------------------------------------
    graph_load_wait_s: float = Field(
        default=30.0,
        gt=0,
        description="How long a request waits for a graph still loading in the background before answering 503.",
    )

    # -- caches ----------------------------------------------------------------
    response_cache_size: int = Field(
        default=2048,
        ge=0,
        description=(
            "Serialized answers of /evidence and /ask kept per app (LRU, keyed by the exact query string); "
            "the data is immutable per version, so a repeated question costs a dict lookup. 0 turns it off."
        ),
    )

    # -- SPARQL sandbox ----------------------------------------------------------
    sparql_enabled: bool = Field(default=True, description="Serve /sparql at all.")
    sparql_timeout_s: float = Field(default=10.0, gt=0, le=600, description="Hard wall-clock limit per query.")
    sparql_max_rows: int = Field(default=10_000, ge=1, description="Row cap; a cut answer says so in headers.")
    sparql_workers: int = Field(default=2, ge=1, le=16, description="Queries that can run at once (processes).")
    sparql_queue_timeout_s: float | None = Field(
        default=None, gt=0, description="How long a query waits for a free worker (default: the time limit)."
    )
    sparql_max_query_bytes: int = Field(default=64 * 1024, ge=64, description="Longest SPARQL query text.")
    sparql_store_dir: Path | None = Field(
        default=None,
        description="Where the pyoxigraph store is built (default: <cache dir>/sparql; a temporary directory when $EVIDENCE_KG_CACHE is off).",
    )
    sparql_warm_start: bool = Field(
        default=True,
        description=(
            "Build the SPARQL store in a background thread when the app starts (never delaying start-up); "
            "off: build on the first /sparql request."
        ),
    )
    sparql_build_wait_s: float = Field(
        default=60.0,
        gt=0,
        description="How long a /sparql request waits for a store still being built before answering 503.",
    )
    sparql_endpoint: str | None = Field(
        default=None,
        description=(
            "An external SPARQL 1.1 query endpoint (Oxigraph server, Virtuoso, QLever) to answer /sparql instead "
            "of the embedded store, e.g. http://127.0.0.1:7878/query; see docs/deploy.md."
        ),
    )
    sparql_graph: str | None = Field(
        default=None, description="Graph of the data on the external endpoint, sent as default-graph-uri."
    )
    sparql_engine_timeout_s: float | None = Field(
        default=None,
        gt=0,
        description=(
            "The external engine's own time limit, if it has one (Oxigraph's serve-read-only --timeout-s): an "
            "answer that ends after it is a 504, since Oxigraph can end a cancelled query with a well-formed, "
            "shorter answer. Best set the engine's limit above sparql_timeout_s; see docs/deploy.md."
        ),
    )
    sparql_allow_version_mismatch: bool = Field(
        default=False, description="Serve from an external store that declares another data version."
    )

    # -- exposure ----------------------------------------------------------------
    cors_origins: tuple[str, ...] = Field(
        default=(), description="Origins allowed by CORS; empty (the default) sends no CORS headers at all."
    )
    docs_enabled: bool = Field(default=True, description="Serve /docs, /redoc and /openapi.json.")

    @cached_property
    def query_limits(self) -> QueryLimits:
        """The bounds an evidence question must keep in this app: made once, since the settings are frozen."""
        return QueryLimits(
            max_limit=self.max_limit,
            max_offset=self.max_offset,
            max_terms=self.max_terms,
            max_term_length=self.max_term_length,
        )

    def endpoint_spec(self) -> EndpointSpec:
        """The external endpoint these settings name (a bad URL is a ``ValueError`` naming it)."""
        if self.sparql_endpoint is None:
            raise ValueError("no external SPARQL endpoint is set (sparql_endpoint)")
        return EndpointSpec(self.sparql_endpoint, self.sparql_graph, engine_timeout_s=self.sparql_engine_timeout_s)

    def store_root(self) -> Path:
        """Directory under which SPARQL stores are built, one per data version.

        ``sparql_store_dir``, else ``sparql/`` in evidence-kg's one cache directory
        (:func:`kg.curation.cache.artefact_dir`: a temporary directory when the cache is off).
        """
        return self.sparql_store_dir or artefact_dir("sparql")
