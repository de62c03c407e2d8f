"""The same corpus as RDF: our exporter writes it, pyoxigraph and rdflib load it.

Every engine is compared on the RDF export of the very corpus the
knowledge graph was built from: :func:`write_ntriples` streams our
N-Triples export to a file, :func:`oxigraph_bulk_load` loads that file into
a fresh on-disk store (as ``kg.sparql.store`` does for the SPARQL
endpoint) and :func:`rdflib_load` parses it into rdflib's in-memory graph.
Exports go through :mod:`kg.export` (``serialize``/``write_export``), whose
format table names the RDF syntaxes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "export_formats",
    "open_oxigraph",
    "oxigraph_bulk_load",
    "oxigraph_optimize",
    "rdf_export_formats",
    "rdflib_load",
    "serialize",
    "write_ntriples",
]


def export_formats() -> tuple[str, ...]:
    """Every export format (RDF, kgx, csv), from the one table of :mod:`kg.export.formats`."""
    from kg.export import EXPORT_FORMATS

    return tuple(EXPORT_FORMATS)


def rdf_export_formats() -> tuple[str, ...]:
    """The RDF syntaxes among them (triples/s is meaningful for these)."""
    from kg.export import EXPORT_FORMATS

    return tuple(name for name, spec in EXPORT_FORMATS.items() if spec.rdf_syntax is not None)


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The export of ``kg`` in ``fmt`` as bytes: ``kg.export.serialize`` (what the API sends)."""
    from kg.export import serialize as export

    return export(kg, fmt)


def write_ntriples(kg: KnowledgeGraph, path: Path) -> dict[str, Any]:
    """Stream the N-Triples export of ``kg`` to ``path``: triples, bytes, seconds."""
    import pyoxigraph

    from kg.rdf.serialize import RdfWrite

    started = time.perf_counter()
    write = RdfWrite(kg.corpus, pyoxigraph.RdfFormat.N_TRIPLES)
    size = 0
    with path.open("wb") as handle:
        for data in write.byte_chunks():
            size += len(data)
            handle.write(data)
    seconds = time.perf_counter() - started
    return {"triples": write.triples, "bytes": size, "seconds": seconds}


def oxigraph_bulk_load(ntriples: Path, directory: Path) -> dict[str, Any]:
    """Bulk-load an N-Triples file into a new on-disk pyoxigraph store at ``directory``: triples, seconds."""
    import pyoxigraph

    if directory.exists():
        shutil.rmtree(directory)
    started = time.perf_counter()
    store = pyoxigraph.Store(str(directory))
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.flush()
    seconds = time.perf_counter() - started
    triples = len(store)
    del store
    return {"triples": triples, "seconds": seconds}


def oxigraph_optimize(directory: Path) -> dict[str, Any]:
    """Compact a bulk-loaded store (``Store.optimize``): seconds. Bulk loading leaves many unsorted
    files behind, and a store opened read-only never compacts them itself."""
    import pyoxigraph

    started = time.perf_counter()
    store = pyoxigraph.Store(str(directory))
    store.optimize()
    store.flush()
    seconds = time.perf_counter() - started
    del store
    return {"seconds": seconds}


def open_oxigraph(directory: Path) -> pyoxigraph.Store:
    """The store at ``directory``, read-only (as the SPARQL endpoint's workers open it)."""
    import pyoxigraph

    return pyoxigraph.Store.read_only(str(directory))


def rdflib_load(ntriples: Path) -> rdflib.Graph:
    """rdflib's in-memory graph of an N-Triples file."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(source=str(ntriples), format="nt")
    return graph
