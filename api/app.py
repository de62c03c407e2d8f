"""The app factory: one FastAPI app per knowledge graph.

``create_app(kg)`` serves a given graph (tests pass one); ``create_app()``
loads the bundled data once at start-up. Routers are one per resource.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.routers import ask, entities, evidence, export, graph, health, sources, sparql
from kg.knowledge_graph import KnowledgeGraph, load_knowledge_graph

__all__ = ["create_app"]


def create_app(kg: KnowledgeGraph | None = None) -> FastAPI:
    """Build the API app serving ``kg`` (default: the bundled data)."""
    app = FastAPI(title="evidence-kg", version="0.1.0")
    app.state.kg = kg if kg is not None else load_knowledge_graph()
    for module in (health, evidence, ask, entities, sources, export, sparql, graph):
        app.include_router(module.router)
    return app
