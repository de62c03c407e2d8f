"""Export throughput: our writers vs rdflib's (and pyoxigraph's) serializers on the same triples.

Run::

    python -m benchmarks.export_throughput                 # curated + CIViC graph (when present)
    python -m benchmarks.export_throughput --scale 4       # also the graph copied 4 times (~1M triples)
    python -m benchmarks.export_throughput --json out.json # machine-readable results

For each format it reports the median wall time of ``--runs`` runs of
:func:`kg.export.serialize` (records → bytes, everything included) and
triples per second (per wall and per CPU second); then the median time rdflib
takes to serialize the very same triples from an already-built rdflib graph
(parsing not counted, which favours rdflib), how many times faster ours is
(``ours/rdflib``), and pyoxigraph's serializer alone on already-parsed triples.
Scaled corpora copy every record with every own id suffixed ``-x<n>``, so
the copies are distinct records with the same shape as the real data.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib

from kg.export import export_format, serialize
from kg.model import Corpus
from kg.runtime.knowledge_graph import KnowledgeGraph, load_knowledge_graph

__all__ = ["main", "scaled_corpus", "time_median"]

_RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def _syntax(fmt: str) -> pyoxigraph.RdfFormat:
    """pyoxigraph's syntax for an RDF export format, from the one format table."""
    syntax = export_format(fmt).rdf_syntax
    if syntax is None:
        raise ValueError(f"{fmt} is not an RDF format")
    return syntax


def time_median(function: Callable[[], Any], runs: int) -> tuple[float, Any, float]:
    """Median wall time and median CPU time of ``runs`` calls (collected before each), and the last result.

    CPU time (``time.process_time``) is reported next to wall time because
    on a shared 2-core machine other processes stretch wall time; CPU time
    is what the export itself costs.
    """
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return statistics.median(walls), result, statistics.median(cpus)


def scaled_corpus(corpus: Corpus, copies: int) -> Corpus:
    """``copies`` copies of every record, own ids suffixed ``-x<n>`` (copy 0 is the original)."""
    ids = {record.id for record in corpus} | set(corpus.nested)

    def rename(value: Any, suffix: str) -> Any:
        if isinstance(value, str):
            return value + suffix if value in ids else value
        if isinstance(value, list):
            return [rename(item, suffix) for item in value]
        if isinstance(value, dict):
            return {key: rename(item, suffix) for key, item in value.items()}
        return value

    records = list(corpus)
    for copy in range(1, copies):
        suffix = f"-x{copy}"
        records += [type(r).model_validate(rename(r.model_dump(), suffix)) for r in corpus]
    return Corpus.from_records(records, version=f"{corpus.version}x{copies}")


def bench_graph(
    name: str, kg: KnowledgeGraph, runs: int, rdflib_runs: int, formats: list[str], rdflib_formats: list[str]
) -> list[dict[str, Any]]:
    """Benchmark one knowledge graph; print and return one row per format."""
    rows: list[dict[str, Any]] = []
    ntriples = serialize(kg, "nt")
    quads = list(pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    triples = len(quads)
    graph = rdflib.Graph().parse(data=ntriples, format="nt") if rdflib_runs and rdflib_formats else None
    print(f"\n{name}: {triples:,} triples, {len(kg.corpus):,} records")
    print(
        f"{'format':8} {'ours s':>8} {'ours t/s':>11} {'ours cpu t/s':>12} "
        f"{'rdflib s':>9} {'rdflib t/s':>10} {'rdflib cpu t/s':>14} {'ours/rdflib':>11} {'oxigraph t/s':>12} {'MB':>6}"
    )
    for fmt in formats:
        ours, data, ours_cpu = time_median(functools.partial(serialize, kg, fmt), runs)
        row: dict[str, Any] = {
            "graph": name,
            "format": fmt,
            "triples": triples,
            "bytes": len(data),
            "ours_seconds": round(ours, 4),
            "ours_triples_per_second": round(triples / ours),
            "ours_cpu_seconds": round(ours_cpu, 4),
            "ours_triples_per_cpu_second": round(triples / ours_cpu),
        }
        if graph is not None and fmt in rdflib_formats:
            theirs, _, theirs_cpu = time_median(
                functools.partial(graph.serialize, format=_RDFLIB_NAMES[fmt], encoding="utf-8"), rdflib_runs
            )
            row.update(
                rdflib_seconds=round(theirs, 4),
                rdflib_triples_per_second=round(triples / theirs),
                rdflib_triples_per_cpu_second=round(triples / theirs_cpu),
                ours_over_rdflib=round(theirs / ours, 1),
            )
        oxigraph, _, _ = time_median(functools.partial(pyoxigraph.serialize, quads, format=_syntax(fmt)), runs)
        row.update(oxigraph_seconds=round(oxigraph, 4), oxigraph_triples_per_second=round(triples / oxigraph))
        rows.append(row)
        print(
            f"{fmt:8} {ours:8.3f} {row['ours_triples_per_second']:>11,} {row['ours_triples_per_cpu_second']:>12,} "
            f"{row.get('rdflib_seconds', float('nan')):9.3f} {row.get('rdflib_triples_per_second', 0):>10,} "
            f"{row.get('rdflib_triples_per_cpu_second', 0):>14,} {row.get('ours_over_rdflib', float('nan')):>10.1f}x "
            f"{row['oxigraph_triples_per_second']:>12,} "
            f"{len(data) / 1e6:6.1f}"
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory (default: the bundled data)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement of our writers (median)")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="runs of rdflib's serializers (0 to skip)")
    parser.add_argument("--scale", type=int, default=0, help="also benchmark the full graph copied N times")
    parser.add_argument("--formats", default="nt,turtle,jsonld,xml")
    parser.add_argument(
        "--rdflib-formats", default=None, help="formats to time rdflib on (default: all; on the scaled graph nt,turtle)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    rows = []
    curated = load_knowledge_graph(args.data, include_civic=False)
    rdflib_formats = args.rdflib_formats.split(",") if args.rdflib_formats else formats
    rows += bench_graph("curated", curated, args.runs, args.rdflib_runs, formats, rdflib_formats)
    try:
        full = load_knowledge_graph(args.data, include_civic=True)
    except Exception as error:
        print(f"\nfull graph not available: {error}")
        full = None
    if full is not None and len(full.corpus) > len(curated.corpus):
        rows += bench_graph("curated+civic", full, args.runs, args.rdflib_runs, formats, rdflib_formats)
    if args.scale > 1:
        base = full or curated
        big = KnowledgeGraph.from_corpus(scaled_corpus(base.corpus, args.scale))
        scaled_rdflib = args.rdflib_formats.split(",") if args.rdflib_formats else ["nt", "turtle"]
        runs = max(3, args.runs // 2)
        rows += bench_graph(f"x{args.scale}", big, runs, min(args.rdflib_runs, 1), formats, scaled_rdflib)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
