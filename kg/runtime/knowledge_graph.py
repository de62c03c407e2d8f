"""The knowledge graph as every consumer receives it: records, graph, hierarchy, names, index, memo.

:func:`load_knowledge_graph` loads the bundled data (curated corpus plus the
CIViC release when present), builds the graph once per process and caches
it; the API, the CLI, the notebook and the benchmarks all go through it, so
they all answer from the same graph. The evidence index is built lazily on
first use, because an export or a ``kg validate`` never needs it. Whatever
is computed from the graph and kept (payloads, explanations, views, counts)
lives in its one :class:`~kg.runtime.memo.Memo`, ``kg.memo``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kg.core.bulk import FREEZE_AT_RECORDS, gc_paused
from kg.graph.build import build_graph
from kg.graph.hierarchy import Hierarchy
from kg.graph.internals import EvidenceGraph
from kg.model import Corpus
from kg.runtime.index import EvidenceIndex
from kg.runtime.memo import Memo
from kg.runtime.resolve import Resolver

__all__ = ["KnowledgeGraph", "clear_cache", "load_knowledge_graph"]

ProgressCallback = Callable[[int, int], None]


@dataclass
class KnowledgeGraph:
    """One loaded knowledge base: the corpus, its graph, and the lookups built on it."""

    corpus: Corpus
    graph: EvidenceGraph
    hierarchy: Hierarchy
    resolver: Resolver
    #: Every per-graph cache (see :mod:`kg.runtime.memo`).
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_corpus(cls, corpus: Corpus, progress: ProgressCallback | None = None) -> KnowledgeGraph:
        """Build the graph and its lookups from a validated corpus.

        The cyclic garbage collector is paused meanwhile (:func:`kg.core.bulk.gc_paused`):
        the build allocates millions of long-lived dicts and tuples, and the
        collector's full passes over them, which free nothing, took about 70 %
        of the build time at 45,000 evidence items. A large build's objects are then
        frozen out of the collector's reach (see :func:`kg.core.bulk.gc_paused`).
        """
        with gc_paused(freeze=len(corpus) >= FREEZE_AT_RECORDS):
            graph = build_graph(corpus, progress=progress)
            return cls(
                corpus=corpus, graph=graph, hierarchy=Hierarchy.from_graph(graph), resolver=Resolver.from_graph(graph)
            )

    @property
    def version(self) -> str:
        """Data version of the corpus (content hash of curated data plus imported releases)."""
        return self.corpus.version

    @cached_property
    def index(self) -> EvidenceIndex:
        """The evidence index (built on first use, once)."""
        with self._lock, gc_paused(freeze=len(self.corpus.evidence) >= FREEZE_AT_RECORDS):
            return EvidenceIndex.from_knowledge_graph(self)

    def node(self, node_id: str) -> dict[str, Any] | None:
        """Attributes of a node (type, label, record), or None."""
        data: dict[str, Any] | None = self.graph.nodes.get(node_id)
        return data

    def stats(self) -> dict[str, dict[str, int]]:
        """Node counts by type and edge counts by predicate."""
        nodes = Counter(data for _, data in self.graph.nodes(data="type"))
        edges = Counter(key for _, _, key in self.graph.edges(keys=True))
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


_cache: dict[tuple[str, bool], KnowledgeGraph] = {}
_cache_lock = threading.Lock()


def load_knowledge_graph(
    data_dir: Path | None = None,
    *,
    include_civic: bool = True,
    progress: ProgressCallback | None = None,
) -> KnowledgeGraph:
    """Load the data directory and build its knowledge graph, once per process.

    ``include_civic`` adds the CIViC release from ``data/civic/`` when it is
    present. Raises :class:`~kg.core.errors.CorpusError` when the data is invalid.
    """
    from kg.curation.assemble import load_corpus
    from kg.curation.load import default_data_dir

    data_dir = (data_dir or default_data_dir()).resolve()
    key = (str(data_dir), include_civic)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is None:
            corpus = load_corpus(data_dir, include_civic=include_civic)
            cached = KnowledgeGraph.from_corpus(corpus, progress=progress)
            _cache[key] = cached
        return cached


def clear_cache() -> None:
    """Forget loaded graphs (tests that change data directories use this)."""
    with _cache_lock:
        _cache.clear()
