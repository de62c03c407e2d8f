"""Dependencies declared once: every router gets the knowledge graph the same way.

The graph lives on ``app.state.kg``; the app factory puts it there (a graph
passed in by a test, or the bundled data loaded once at start-up).
"""

from __future__ import annotations

from fastapi import Request

from kg.knowledge_graph import KnowledgeGraph

__all__ = ["get_kg"]


def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph this app serves."""
    return request.app.state.kg
