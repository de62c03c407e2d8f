"""Measure the SPARQL service on the project's synthetic corpus: store build time and query latency.

Run ``python -m benchmarks.sparql_service --scale 1`` (the bundled corpus,
about 170k triples; ``--scale 10`` replicates it, :mod:`benchmarks.synth`).
It prints medians over ``--runs`` repetitions of: the store build (bulk
load of our N-Triples export into a fresh directory), the service start
(worker processes ready), and each query end to end through
:class:`~kg.sparql.service.SparqlService` (guard in the worker, evaluation,
serialization, IPC), next to pyoxigraph alone in-process and, with
``--rdflib``, the rdflib baseline. ``service_ms`` repeats one text (the
worker's guard cache hits); ``service_new_text_ms`` makes every text new,
so it includes parsing and guarding. The queries use the evidence-kg
vocabulary and the seed question's entities, so their shapes are the real ones.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from benchmarks.rdfdata import serialize
from benchmarks.synth import BASES, synthetic_corpus
from kg.core.identifiers import expand
from kg.core.vocab import EKG_VOCAB
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.sparql.execute import execute
from kg.sparql.formats import negotiate
from kg.sparql.guard import guard_query
from kg.sparql.service import SparqlService
from kg.sparql.store import build_store, open_read_only

__all__ = ["QUERIES", "main", "synthetic_ntriples"]

_PREFIXES = f"PREFIX ekg: <{EKG_VOCAB}> "
_DRUG, _DISEASE, _ALTERATION = (
    expand(curie) for curie in ("drug:pyrotinib", "disease:nsclc", "alt:ERBB2-amplification")
)
QUERIES: dict[str, str] = {
    "lookup (drug x disease, LIMIT 20)": _PREFIXES
    + f"SELECT ?ev ?statement ?level WHERE {{ ?ev ekg:aboutTherapy <{_DRUG}> ; ekg:aboutDisease <{_DISEASE}> ; "
    "ekg:statement ?statement ; ekg:level ?level } ORDER BY ?ev LIMIT 20",
    "aggregate (top drugs by evidence)": _PREFIXES
    + "SELECT ?drug (COUNT(?ev) AS ?n) WHERE { ?ev ekg:aboutTherapy ?drug } GROUP BY ?drug ORDER BY DESC(?n) LIMIT 10",
    "filter + join (level B, ORR > 20)": _PREFIXES
    + 'SELECT ?ev ?alteration ?orr WHERE { ?ev ekg:level "B" ; ekg:aboutAlteration ?alteration ; ekg:hasOutcome ?o . '
    '?o ekg:measure "orr" ; ekg:value ?orr FILTER(?orr > 20) } LIMIT 100',
    "ASK": _PREFIXES + f"ASK {{ ?ev ekg:aboutTherapy <{_DRUG}> ; ekg:aboutAlteration <{_ALTERATION}> }}",
    "DESCRIBE one item": f"DESCRIBE <{expand('ev:chictr-orr')}>",
    "cross product, row cap 1000": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
}


def synthetic_ntriples(scale: int, base: str = "full") -> bytes:
    """Our N-Triples export of the synthetic corpus at ``scale`` (:func:`benchmarks.synth.synthetic_corpus`)."""
    return serialize(KnowledgeGraph.from_corpus(synthetic_corpus(scale, base)), "nt")


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Build, start, query, and print a JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the base corpus (1: the bundled data itself)")
    parser.add_argument("--base", choices=BASES, default="full", help="base corpus: full (curated + CIViC) or curated")
    parser.add_argument("--runs", type=int, default=15, help="repetitions per measurement (median reported)")
    parser.add_argument("--builds", type=int, default=3, help="store builds to time")
    parser.add_argument("--rdflib", action="store_true", help="also time the in-process rdflib baseline")
    args = parser.parse_args(argv)

    ntriples = synthetic_ntriples(args.scale, args.base)
    report: dict[str, object] = {"scale": args.scale, "base": args.base, "ntriples_bytes": len(ntriples)}
    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as tmp:
        builds = []
        for n in range(args.builds):
            started = time.perf_counter()
            info = build_store(Path(tmp) / f"build{n}", "bench", ntriples)
            builds.append(time.perf_counter() - started)
        report["triples"] = info.triples
        report["build_s_median"] = round(statistics.median(builds), 3)
        started = time.perf_counter()
        reused = build_store(Path(tmp) / "build0", "bench", ntriples)
        report["reuse_ms"] = round((time.perf_counter() - started) * 1000, 2)
        assert reused.reused

        started = time.perf_counter()
        service = SparqlService(info.path, timeout_s=30, max_rows=1000, workers=2)
        report["service_start_s"] = round(time.perf_counter() - started, 3)
        store = open_read_only(info.path)
        rdflib_graph = None
        if args.rdflib:
            from benchmarks.rdflib_baseline import load_rdflib_graph

            started = time.perf_counter()
            rdflib_graph = load_rdflib_graph(ntriples)
            report["rdflib_load_s"] = round(time.perf_counter() - started, 3)
        rows: dict[str, dict[str, object]] = {}
        with service:
            for name, text in QUERIES.items():
                first = service.query(text)
                guarded = guard_query(text)
                fmt = negotiate(None, guarded.form)
                row: dict[str, object] = {
                    "rows": first.row_count,
                    "truncated": first.truncated,
                    "service_ms": round(_median_ms(lambda text=text: service.query(text), args.runs), 2),
                    # A new comment each run defeats the worker's guard cache: a never-seen query.
                    "service_new_text_ms": round(
                        _median_ms(lambda text=text: service.query(f"{text}\n# {time.perf_counter_ns()}"), args.runs),
                        2,
                    ),
                    "engine_only_ms": round(
                        _median_ms(lambda g=guarded, f=fmt, st=store: execute(st, g, f, 1000), args.runs), 2
                    ),
                    "guard_ms": round(_median_ms(lambda text=text: guard_query(text), args.runs), 2),
                }
                if rdflib_graph is not None and "cross product" not in name:
                    from benchmarks.rdflib_baseline import run_rdflib_baseline

                    row["rdflib_ms"] = round(
                        _median_ms(lambda text=text: run_rdflib_baseline(rdflib_graph, text), max(3, args.runs // 5)),
                        2,
                    )
                rows[name] = row
        report["queries"] = rows
    report["pyoxigraph"] = pyoxigraph.__version__
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
