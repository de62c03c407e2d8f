"""A pure-rdflib SPARQL runner, in-process and without a time limit: for benchmarks only.

It exists to compare engines on the same queries (``NOTES.md``: rdflib is
550–1,900× slower than an index and only usable to ~44k evidence items).
It is never used to serve requests: rdflib cannot be stopped mid-query, and
it fetches remote data for ``SERVICE``, ``FROM <url>`` and ``LOAD``. Every
query still goes through :func:`kg.sparql.guard.guard_query` first, so a
benchmark cannot make it reach the network either.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rdflib import Graph

from kg.sparql.errors import NotAcceptableError
from kg.sparql.formats import ResultFormat, negotiate
from kg.sparql.guard import DEFAULT_MAX_QUERY_BYTES, guard_query
from kg.sparql.service import SparqlResult

__all__ = ["load_rdflib_graph", "run_rdflib_baseline"]

# rdflib has no SPARQL TSV results serializer.
_RDFLIB_FORMATS = {
    ResultFormat.JSON: "json",
    ResultFormat.XML: "xml",
    ResultFormat.CSV: "csv",
    ResultFormat.TURTLE: "turtle",
    ResultFormat.N_TRIPLES: "nt",
}


def load_rdflib_graph(ntriples: bytes | os.PathLike[str]) -> Graph:
    """An in-memory rdflib graph from N-Triples bytes or an ``.nt`` file (never RDF/XML)."""
    graph = Graph()
    if isinstance(ntriples, bytes | bytearray):
        graph.parse(data=bytes(ntriples), format="nt")
    else:
        graph.parse(source=str(Path(ntriples)), format="nt")
    return graph


def run_rdflib_baseline(
    graph: Graph,
    text: str,
    accept: str | None = None,
    *,
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
) -> SparqlResult:
    """Guard ``text``, run it with rdflib on ``graph`` and serialize it like the service would.

    No time limit and no row cap: the caller chooses queries that end.
    ``row_count`` and ``truncated`` are filled in as the service does.
    """
    started = time.perf_counter()
    query = guard_query(text, max_bytes=max_query_bytes)
    result_format = negotiate(accept, query.form)
    if result_format not in _RDFLIB_FORMATS:
        supported = [fmt.value for fmt in _RDFLIB_FORMATS if fmt.for_graphs == query.form.returns_graph]
        raise NotAcceptableError(accept or "", supported, str(query.form))
    result = graph.query(query.text)
    if query.form.returns_graph:
        triples = Graph()
        for prefix, namespace in query.prefixes:
            triples.bind(prefix, namespace)
        for triple in result:
            triples.add(triple)  # type: ignore[arg-type]
        body = triples.serialize(format=_RDFLIB_FORMATS[result_format], encoding="utf-8")
        row_count: int | None = len(triples)
    else:
        body = result.serialize(format=_RDFLIB_FORMATS[result_format]) or b""
        row_count = None if result.type == "ASK" else len(result)
    return SparqlResult(
        body=body,
        media_type=result_format.media_type,
        truncated=False,
        row_count=row_count,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        row_limit=-1,
        query_form=query.form,
    )
