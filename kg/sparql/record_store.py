"""Records read from an external SPARQL store alone: a first piece of answering the API from a store.

Two endpoints only need records that are few and small, never the evidence:

* ``GET /sources`` lists publications, databases and cited references
  (filtered by kind and words, paged); all it shows is in the source
  records (and the label of the source a reference is reported in);
* ``GET /entities?q=`` (autocomplete) searches the labels, synonyms and
  verified ids of the named records (drugs, genes, alterations, diseases, ...).

:func:`store_records` fetches every record of the given node types with its
parts (cross-references, quotes, the cells of its lists) in one CONSTRUCT,
reads them back with the RDF reader (:mod:`kg.rdf.read`, which restores the
order of every multi-valued field and the digits of every decimal) and
builds a :class:`~kg.runtime.knowledge_graph.KnowledgeGraph` of those records
only. The unchanged routers then give the same bytes as over the in-memory
graph: ``tests/engines/test_store_endpoints.py`` compares them against a real
Oxigraph server.

What this does not do: ``GET /sources/{id}`` lists the evidence items
quoting or citing the source in the corpus's load order, which no store
keeps (records come back in IRI order); ``GET /entities/{id}`` and
``/neighbors`` show evidence and the graph around an entity; and every
other endpoint needs the evidence. No ``kg serve --engine sparql`` uses this yet.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from kg.core.vocab import EKG_VOCAB, NodeType
from kg.model import Corpus
from kg.model.walk import is_node_model
from kg.rdf.mapping import Kind, field_maps, mapped_models
from kg.rdf.read import read_corpus_triples
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.resolve import NAMED_TYPES
from kg.sparql.client import EndpointClient
from kg.sparql.endpoint import EndpointSpec

__all__ = ["StoreRecords", "records_query", "store_entities", "store_records", "store_sources"]


def _child_properties() -> list[str]:
    """Properties linking a record to nested nodes with IRIs of their own (study arms, case events, outcomes)."""
    found = {
        str(fm.prop)
        for model in mapped_models()
        for fm in field_maps(model)
        if fm.kind is Kind.NESTED and fm.target is not None and is_node_model(fm.target)
    }
    return sorted(found)


def records_query(node_types: Iterable[NodeType]) -> str:
    """A CONSTRUCT of every record of ``node_types`` with everything the RDF reader needs to rebuild it.

    That is the record's own triples, those of its nested nodes with IRIs (arms, events, outcomes), and those
    of the blank nodes either holds, two levels deep (a quote, then its continuation list; cross-references;
    list cells through ``rdf:rest*``): the deepest nesting the mapping writes. Each branch of the UNION starts
    from the records' class (SPARQL evaluates a group on its own: a branch not anchored there would walk every
    blank node of the store).
    """
    classes = " ".join(f"<{EKG_VOCAB}{node_type.info.rdf_class}>" for node_type in sorted(node_types))
    children = "|".join(f"<{prop}>" for prop in _child_properties())
    anchor = f"VALUES ?class {{ {classes} }} ?record a ?class ."
    holders = (("?record", ""), ("?child", f"?record {children} ?child ."))
    branches: list[str] = []
    for holder, reach in holders:
        own = "?record ?p ?o ." if holder == "?record" else "?child ?cp ?co ."
        one = f"{holder} ?l1 ?b1 . FILTER (isBlank(?b1)) ?b1 rdf:rest* ?x1 . ?x1 ?p1 ?o1 ."
        two = (
            f"{holder} ?l1 ?b1 . FILTER (isBlank(?b1)) ?b1 ?l2 ?b2 . FILTER (isBlank(?b2)) "
            "?b2 rdf:rest* ?x2 . ?x2 ?p2 ?o2 ."
        )
        branches += [f"{{ {anchor} {reach} {pattern} }}" for pattern in (own, one, two)]
    union = "\n  UNION\n  ".join(branches)
    return f"""\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT {{ ?record ?p ?o . ?child ?cp ?co . ?x1 ?p1 ?o1 . ?x2 ?p2 ?o2 }}
WHERE {{
  {union}
}}"""


@dataclass(frozen=True)
class StoreRecords:
    """Records of a store as a knowledge graph of those records only, and what reading them cost."""

    kg: KnowledgeGraph
    triples: int
    seconds: float


def store_records(endpoint: EndpointSpec, node_types: Iterable[NodeType], *, timeout_s: float = 60.0) -> StoreRecords:
    """Fetch every record of ``node_types`` from the store at ``endpoint`` and build a graph of them.

    The query goes through :class:`~kg.sparql.client.EndpointClient`, so an unreachable store is a
    :class:`~kg.sparql.errors.StoreError` and an answer the engine cut short, cancelled or sent unreadable raises
    (:mod:`kg.sparql.errors`): a partial set of records is never built into a graph.
    """
    started = time.perf_counter()
    with EndpointClient(endpoint, max_connections=1) as client:
        triples = client.construct(records_query(node_types), timeout_s=timeout_s)
    corpus: Corpus = read_corpus_triples(triples)
    return StoreRecords(KnowledgeGraph.from_corpus(corpus), len(triples), time.perf_counter() - started)


def store_sources(endpoint: EndpointSpec, *, timeout_s: float = 60.0) -> StoreRecords:
    """Every source of the store: what ``GET /sources`` answers from."""
    return store_records(endpoint, (NodeType.SOURCE,), timeout_s=timeout_s)


def store_entities(endpoint: EndpointSpec, *, timeout_s: float = 60.0) -> StoreRecords:
    """Every named record of the store (:data:`~kg.runtime.resolve.NAMED_TYPES`): what ``GET /entities?q=`` searches."""
    return store_records(endpoint, NAMED_TYPES, timeout_s=timeout_s)
