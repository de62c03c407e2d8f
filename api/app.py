"""The app factory: one FastAPI app per knowledge graph.

``create_app(kg)`` serves a given graph (tests pass one); ``create_app()``
loads the bundled data once. ``settings`` (:class:`~api.settings.ApiSettings`)
carries every limit, so tests can tighten them (a 2 s SPARQL time limit).
Routers are one per resource; errors share one JSON shape (:mod:`api.errors`).

Start-up does no heavy work: with a ``loader`` the graph itself loads in a
background thread (:mod:`api.graph_source`), the evidence index is built by
the first question (tens of milliseconds), and the SPARQL store in another
background thread (:mod:`api.sparql_provider`), so ``kg serve`` answers its
first request within a couple of seconds whatever the data size. CORS is off unless origins are
configured; binding to loopback is ``kg serve``'s default
(:data:`api.settings.DEFAULT_HOST`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.cache import ResponseCache
from api.docs_pages import install_docs
from api.errors import install_error_handlers
from api.export_cache import ExportCache
from api.graph_source import GraphSource
from api.middleware import QueryStringLimit, with_security_headers
from api.openapi import install_openapi
from api.routers import ask, cases, entities, evidence, export, graph, health, sources, sparql, studies, synthesis
from api.routers.health import API_VERSION
from api.settings import ApiSettings
from api.sparql_provider import SparqlProvider
from kg.runtime.knowledge_graph import KnowledgeGraph, load_knowledge_graph

__all__ = ["create_app"]

_DESCRIPTION = """\
Literature evidence for precision oncology, ranked, explained and sourced.

Ask **"what evidence supports pyrotinib in HER2-amplified NSCLC?"** as
`GET /ask?q=...` or as `GET /evidence?therapy=pyrotinib&alteration=HER2 amplification&disease=NSCLC`:
every relevant evidence item comes back ranked (exact matches first, then narrower, broader and
related ones), each with a sentence saying why it matched, its outcomes, the verbatim quote and its source.

Names may be labels, synonyms or ids (`aumolertinib`, `T-DM1`, `HER2`, `DOID:3908`). Errors have one
shape, `{"error": {"code", "message", "parameter"?, "suggestions"?}}`; unknown names give 404 with
suggestions. The whole graph is available as RDF (`/export`) and through a read-only SPARQL endpoint (`/sparql`).
"""

_TAGS = [
    {"name": "evidence", "description": "Evidence questions: structured (`/evidence`) and free text (`/ask`)."},
    {"name": "synthesis", "description": "The outcomes of a question's evidence side by side: table, forest plots."},
    {"name": "entities", "description": "Drugs, genes, alterations, diseases and every other node: search and lookup."},
    {"name": "sources", "description": "Publications and databases the evidence is drawn from."},
    {"name": "studies", "description": "Trials and cohorts: arms, populations and subgroups, outcomes, limitations."},
    {"name": "cases", "description": "Patient cases and their timelines: dated events, lines of therapy, responses."},
    {"name": "export", "description": "The whole graph as RDF, CSV or KGX."},
    {"name": "sparql", "description": "Read-only SPARQL 1.1 Protocol endpoint (time-limited, row-capped)."},
    {"name": "health", "description": "Liveness and the data release served."},
]


def create_app(
    kg: KnowledgeGraph | None = None,
    *,
    settings: ApiSettings | None = None,
    loader: Callable[[], KnowledgeGraph] | None = None,
) -> FastAPI:
    """Build the API app serving ``kg`` under ``settings`` (default limits).

    Without ``kg``: with a ``loader`` the graph loads in a background thread and
    the app is ready at once (what ``kg serve`` wants: ``create_app(loader=lambda:
    load_knowledge_graph(data_dir))``); without one, the bundled data is loaded
    here, before returning.
    """
    settings = settings or ApiSettings()
    if kg is None and loader is None:
        kg = load_knowledge_graph()
    source = GraphSource(kg, loader)
    exports = ExportCache(source)
    provider = SparqlProvider(exports, settings) if settings.sparql_enabled else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if provider is not None:
            provider.open()
            if settings.sparql_warm_start:
                provider.start()  # background thread: start-up is not delayed
        try:
            yield
        finally:
            if provider is not None:
                provider.close()

    app = FastAPI(
        title="evidence-kg",
        version=API_VERSION,
        description=_DESCRIPTION,
        openapi_tags=_TAGS,
        lifespan=lifespan,
        docs_url=None,  # served offline by api.docs_pages, not from FastAPI's CDN pages
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
    )
    app.state.kg = kg  # None while a background load runs; set by it when done
    app.state.graph_source = source
    app.state.settings = settings
    app.state.exports = exports
    app.state.sparql = provider
    app.state.response_cache = ResponseCache(settings.response_cache_size) if settings.response_cache_size else None
    install_error_handlers(app)
    install_openapi(app)
    if settings.docs_enabled:
        install_docs(app)
    for module in (health, evidence, ask, synthesis, entities, sources, studies, cases, export, sparql, graph):
        app.include_router(module.router)
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    app.add_middleware(QueryStringLimit, max_bytes=settings.max_query_string)
    with_security_headers(app)  # outermost: every response, a 500 included, carries the security headers
    source.start(on_loaded=lambda loaded: setattr(app.state, "kg", loaded))
    return app
