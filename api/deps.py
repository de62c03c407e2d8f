"""Dependencies declared once: every router gets the graph and the settings the same way.

The app factory puts the knowledge graph on ``app.state.kg`` (a graph passed
in by a test, or the bundled data; ``None`` while it loads in the background,
see :mod:`api.graph_source`) and the :class:`~api.settings.ApiSettings` on
``app.state.settings``. Routers declare ``kg: KG`` and ``settings: Settings``
and never reach into ``app.state`` themselves.

Both are ``async def``: FastAPI runs a plain ``def`` dependency in the
threadpool, which would cost every request a thread hop for an attribute
lookup.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import ApiSettings
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["KG", "KGNow", "Settings", "get_kg", "get_kg_now", "get_settings"]


async def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph this app serves (waiting for a background load; 503 if it does not finish in time)."""
    state = request.app.state
    kg: KnowledgeGraph | None = state.kg
    if kg is not None:
        return kg
    loaded: KnowledgeGraph = await state.graph_source.get(state.settings.graph_load_wait_s)
    return loaded


async def get_kg_now(request: Request) -> KnowledgeGraph:
    """The knowledge graph, or at once a 503 while it is still loading (for health checks, which must not wait)."""
    kg: KnowledgeGraph | None = request.app.state.kg
    if kg is not None:
        return kg
    loaded: KnowledgeGraph = await request.app.state.graph_source.get(0.001)
    return loaded


async def get_settings(request: Request) -> ApiSettings:
    """The limits and switches of this app."""
    settings: ApiSettings = request.app.state.settings
    return settings


#: ``kg: KG`` in an endpoint signature gives the served knowledge graph.
KG = Annotated[KnowledgeGraph, Depends(get_kg)]
#: ``kg: KGNow`` gives the graph without waiting for a background load (503 meanwhile).
KGNow = Annotated[KnowledgeGraph, Depends(get_kg_now)]
#: ``settings: Settings`` gives the app's :class:`ApiSettings`.
Settings = Annotated[ApiSettings, Depends(get_settings)]
