"""Dependencies declared once: every router gets the graph and the settings the same way.

The app factory puts the knowledge graph on ``app.state.kg`` (a graph passed
in by a test, or the bundled data loaded once at start-up) and the
:class:`~api.settings.ApiSettings` on ``app.state.settings``. Routers
declare ``kg: KG`` and ``settings: Settings`` and never reach into
``app.state`` themselves.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import ApiSettings
from kg.knowledge_graph import KnowledgeGraph

__all__ = ["KG", "Settings", "get_kg", "get_settings"]


def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph this app serves."""
    return request.app.state.kg


def get_settings(request: Request) -> ApiSettings:
    """The limits and switches of this app."""
    return request.app.state.settings


#: ``kg: KG`` in an endpoint signature gives the served knowledge graph.
KG = Annotated[KnowledgeGraph, Depends(get_kg)]
#: ``settings: Settings`` gives the app's :class:`ApiSettings`.
Settings = Annotated[ApiSettings, Depends(get_settings)]
