"""Measurement 4: export throughput (triples/s) per format, next to rdflib's and pyoxigraph's serializers.

Our exports are timed through ``kg.export.serialize`` (the bytes the API
sends). The baselines serialize the *same triples* (our N-Triples export,
loaded by each library in :mod:`benchmarks.scale`, which calls this at the
scales in ``Config.export_scales``): rdflib's ``Graph.serialize`` and
pyoxigraph's ``Store.dump``. Throughput is triples of the RDF export divided by
seconds; the non-RDF formats (KGX, CSV) are reported in seconds and bytes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks import rdfdata
from benchmarks.config import Config
from benchmarks.stats import summarize

__all__ = ["measure_exports"]

_RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def _timed(action: Any, repeats: int) -> tuple[list[float], Any]:
    times: list[float] = []
    value = None
    for _ in range(repeats):
        started = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - started)
    return times, value


def _row(times: list[float], size: int, triples: int | None) -> dict[str, Any]:
    seconds = summarize(times)
    row: dict[str, Any] = {"seconds": seconds.as_dict(4), "bytes": size}
    if triples:
        row["triples_per_s"] = round(triples / seconds.median)
        row["triples_per_s_spread"] = [round(triples / seconds.max), round(triples / seconds.min)]
    return row


def _oxigraph_dumps(ntriples: Path, triples: int, repeats: int) -> dict[str, Any]:
    """pyoxigraph's own Turtle and N-Triples writers on the same triples, from an in-memory store.

    In memory, as our exporter works from memory (the on-disk store the
    SPARQL endpoint reads dumps at a fifth of this speed: RocksDB reads).
    """
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows: dict[str, Any] = {}
    for fmt, oxi_format in (("turtle", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES)):
        times, data = _timed(lambda f=oxi_format: store.dump(format=f, from_graph=pyoxigraph.DefaultGraph()), repeats)
        rows[fmt] = _row(times, len(data), triples)
    return rows


def measure_exports(kg: Any, config: Config, triples: int, ntriples: Path, rdflib_graph: Any | None) -> dict[str, Any]:
    """Every export format of ``kg``, and pyoxigraph's and rdflib's serializers on the same ``triples``.

    ``ntriples`` is our N-Triples export of the same corpus and
    ``rdflib_graph`` its parse (:mod:`benchmarks.scale` made both); without
    an rdflib graph its serializers are not measured.
    """
    import pyoxigraph
    import rdflib

    ours: dict[str, Any] = {}
    rdf_formats = rdfdata.rdf_export_formats()
    for fmt in rdfdata.export_formats():
        times, data = _timed(lambda fmt=fmt: rdfdata.serialize(kg, fmt), config.export_repeats)
        ours[fmt] = _row(times, len(data), triples if fmt in rdf_formats else None)
    oxigraph = _oxigraph_dumps(ntriples, triples, config.export_repeats)
    baseline: dict[str, Any] = {}
    if rdflib_graph is not None:
        for fmt, name in _RDFLIB_FORMATS.items():
            times, data = _timed(
                lambda name=name: rdflib_graph.serialize(format=name, encoding="utf-8"), config.rdflib_export_repeats
            )
            baseline[fmt] = _row(times, len(data), triples)
    ratios = {
        fmt: round(ours[fmt]["triples_per_s"] / baseline[fmt]["triples_per_s"], 2)
        for fmt in _RDFLIB_FORMATS
        if fmt in baseline and "triples_per_s" in ours.get(fmt, {})
    }
    return {
        "scale": None,
        "triples": triples,
        "ours": ours,
        "pyoxigraph": oxigraph,
        "rdflib": baseline,
        "ours_over_rdflib": ratios,
        "versions": {"rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__},
    }
