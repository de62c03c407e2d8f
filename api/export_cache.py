"""Exports serialized once per data version and kept as bytes.

``kg.export.serialize(kg, fmt) -> bytes`` walks the whole graph (seconds on a
large one); an app serves one immutable graph, so each format is produced
at most once, under a per-format lock (two simultaneous first requests do
not both serialize), and every later request sends the same bytes. The
SPARQL store is built from the N-Triples held here too.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from api.graph_source import GraphSource
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["ExportCache", "Serialized"]

#: How long an export waits for a graph still loading in the background.
_LOAD_WAIT_S = 600.0


@dataclass(frozen=True, slots=True)
class Serialized:
    """One export: its bytes and a strong ETag (data version + content hash)."""

    body: bytes
    etag: str


class ExportCache:
    """Serialize each format of one knowledge graph once; thread-safe, blocking (call from a threadpool)."""

    def __init__(self, source: GraphSource) -> None:
        self.source = source
        self._done: dict[str, Serialized] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @property
    def kg(self) -> KnowledgeGraph:
        """The graph (blocks while it is still loading in the background)."""
        return self.source.wait(_LOAD_WAIT_S)

    def cached(self, fmt: str) -> Serialized | None:
        """The export if it was already produced (never blocks)."""
        return self._done.get(fmt)

    def get(self, fmt: str) -> Serialized:
        """The export of ``fmt``, serializing it on first use.

        Raises whatever :func:`kg.export.serialize` raises (``ImportError`` while
        the exporter is not installed, ``ValueError``/``ExportError`` for a format
        it does not know).
        """
        done = self._done.get(fmt)
        if done is not None:
            return done
        with self._guard:
            lock = self._locks.setdefault(fmt, threading.Lock())
        with lock:
            done = self._done.get(fmt)
            if done is None:
                from kg.export import serialize

                kg = self.kg
                body = serialize(kg, fmt)
                digest = hashlib.sha256(body).hexdigest()[:16]
                done = Serialized(body=body, etag=f'"{kg.version}-{fmt}-{digest}"')
                self._done[fmt] = done
            return done
