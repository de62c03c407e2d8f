"""The sources, read from an external SPARQL store alone: a first piece of answering the API from a store.

``GET /sources`` lists publications, databases and cited references,
filtered by kind and words and paged. Everything it shows is in the source
records themselves (and the label of the source a reference is reported
in, another source), so a replica can answer it from the sources alone:
:func:`store_sources` fetches every ``ekg:Source`` with its parts (its
cross-references, the cells of its author and registry-id lists) in one
CONSTRUCT, reads them back with the RDF reader (:mod:`kg.rdf.read`, which
restores the order of every multi-valued field) and builds a
:class:`~kg.runtime.knowledge_graph.KnowledgeGraph` of those records only.
The unchanged router (``api.routers.sources.list_sources``) then gives the
same bytes as over the in-memory graph: ``tests/engines/test_store_sources.py``
compares them against a real Oxigraph server.

What this does not do: ``GET /sources/{id}`` lists the evidence items
quoting or citing the source in the corpus's load order, which no store
keeps (records come back in IRI order), and every other endpoint needs the
evidence. No ``kg serve --engine sparql`` uses this yet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
import pyoxigraph

from kg.model import Corpus
from kg.rdf.read import read_corpus_triples
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.errors import StoreError

__all__ = ["SOURCES_QUERY", "StoreSources", "store_sources"]

#: Every source's own triples, and those of the blank nodes it holds (cross-references, list cells).
SOURCES_QUERY = """\
PREFIX ekg: <https://w3id.org/evidence-kg/vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?source ?p ?o . ?part ?partP ?partO }
WHERE {
  ?source a ekg:Source .
  { ?source ?p ?o }
  UNION
  { ?source ?link ?head . FILTER (isBlank(?head)) ?head rdf:rest* ?part . ?part ?partP ?partO }
}"""


@dataclass(frozen=True)
class StoreSources:
    """The sources of a store as a knowledge graph of those records only, and what reading them cost."""

    kg: KnowledgeGraph
    triples: int
    seconds: float


def store_sources(endpoint: EndpointSpec, *, timeout_s: float = 60.0) -> StoreSources:
    """Fetch every source of the store at ``endpoint`` and build the graph ``/sources`` answers from.

    Raises :class:`~kg.sparql.errors.StoreError` (503) when the store does not answer.
    """
    started = time.perf_counter()
    data = {"query": SOURCES_QUERY}
    if endpoint.default_graph:
        data["default-graph-uri"] = endpoint.default_graph
    response = httpx.post(endpoint.url, data=data, headers={"Accept": "application/n-triples"}, timeout=timeout_s)
    if response.status_code != 200:
        raise StoreError(f"the store at {endpoint.url} answered {response.status_code}: {response.text[:300]}")
    triples = list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    corpus: Corpus = read_corpus_triples(triples)
    kg = KnowledgeGraph.from_corpus(corpus)
    return StoreSources(kg, len(triples), time.perf_counter() - started)
