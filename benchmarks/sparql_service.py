"""Measure the SPARQL service on a synthetic evidence graph: store build time and query latency.

Run ``python -m benchmarks.sparql_service --evidence 10000`` (about 100k triples). It
prints medians over ``--runs`` repetitions of: the store build (bulk load into
a fresh directory), the service start (worker processes ready), and each
query end to end through :class:`~kg.sparql.service.SparqlService` (guard in
the worker, evaluation, serialization, IPC), next to pyoxigraph alone
in-process and, with ``--rdflib``, the rdflib baseline. ``service_ms`` repeats
one text (the worker's guard cache hits); ``service_new_text_ms`` makes every
text new, so it includes parsing and guarding. The graph is
shaped like ours (evidence items about drugs, diseases, genes, with levels
and labels) and uses the evidence-kg vocabulary, so the query shapes are realistic.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from kg.core.vocab import EKG_BASE, EKG_VOCAB
from kg.sparql.execute import execute
from kg.sparql.formats import negotiate
from kg.sparql.guard import guard_query
from kg.sparql.service import SparqlService
from kg.sparql.store import build_store, open_read_only

__all__ = ["QUERIES", "main", "synthetic_evidence_graph"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"

_PREFIXES = f"PREFIX ekg: <{EKG_VOCAB}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
QUERIES: dict[str, str] = {
    "lookup (drug x disease, LIMIT 20)": _PREFIXES
    + f"SELECT ?ev ?label ?level WHERE {{ ?ev ekg:aboutTherapy <{EKG_BASE}drug/d7> ; "
    f"ekg:aboutDisease <{EKG_BASE}disease/x3> ; rdfs:label ?label ; ekg:level ?level }} ORDER BY ?ev LIMIT 20",
    "aggregate (top drugs by evidence)": _PREFIXES
    + "SELECT ?drug (COUNT(?ev) AS ?n) WHERE { ?ev ekg:aboutTherapy ?drug } GROUP BY ?drug ORDER BY DESC(?n) LIMIT 10",
    "filter + join (level A, ORR > 0.5)": _PREFIXES
    + 'SELECT ?ev ?gene ?orr WHERE { ?ev ekg:level "A" ; ekg:aboutGene ?gene ; ekg:orr ?orr FILTER(?orr > 0.5) } LIMIT 100',
    "ASK": _PREFIXES + f"ASK {{ ?ev ekg:aboutTherapy <{EKG_BASE}drug/d1> ; ekg:aboutGene <{EKG_BASE}gene/g2> }}",
    "DESCRIBE one item": f"DESCRIBE <{EKG_BASE}ev/e42>",
    "cross product, row cap 1000": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
}


def synthetic_evidence_graph(evidence: int, seed: int = 7) -> bytes:
    """N-Triples of ``evidence`` items, ~10 triples each, over 200 drugs, 100 diseases, 300 genes."""
    rng = random.Random(seed)
    vocab = EKG_VOCAB
    lines: list[str] = []
    add = lines.append
    for kind, prefix, count in (("Drug", "drug/d", 200), ("Disease", "disease/x", 100), ("Gene", "gene/g", 300)):
        for i in range(count):
            add(f"<{EKG_BASE}{prefix}{i}> <{_RDF_TYPE}> <{vocab}{kind}> .")
            add(f'<{EKG_BASE}{prefix}{i}> <{_RDFS_LABEL}> "{kind.lower()} {i}" .')
    for i in range(evidence):
        ev = f"<{EKG_BASE}ev/e{i}>"
        add(f"{ev} <{_RDF_TYPE}> <{vocab}EvidenceItem> .")
        add(f'{ev} <{_RDFS_LABEL}> "evidence item {i}" .')
        add(f"{ev} <{vocab}aboutTherapy> <{EKG_BASE}drug/d{rng.randrange(200) if i % 3 else i % 10}> .")
        add(f"{ev} <{vocab}aboutDisease> <{EKG_BASE}disease/x{rng.randrange(100) if i % 4 else i % 5}> .")
        add(f"{ev} <{vocab}aboutGene> <{EKG_BASE}gene/g{rng.randrange(300)}> .")
        add(f'{ev} <{vocab}level> "{rng.choice("ABCDE")}" .')
        add(f'{ev} <{vocab}orr> "{rng.random():.3f}"^^<{_XSD_DECIMAL}> .')
        add(f"{ev} <{vocab}quotedFrom> <{EKG_BASE}src/s{i // 20}> .")
        add(f"{ev} <{vocab}fromStudy> <{EKG_BASE}study/t{i // 10}> .")
        add(f'{ev} <{vocab}statement> "Patients with alteration {i % 97} responded to therapy {i % 200}." .')
    return ("\n".join(lines) + "\n").encode()


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
    parser.add_argument("--evidence", type=int, default=10_000, help="evidence items (~10 triples each)")
    parser.add_argument("--runs", type=int, default=15, help="repetitions per measurement (median reported)")
    parser.add_argument("--builds", type=int, default=3, help="store builds to time")
    parser.add_argument("--rdflib", action="store_true", help="also time the in-process rdflib baseline")
    args = parser.parse_args(argv)

    ntriples = synthetic_evidence_graph(args.evidence)
    report: dict[str, object] = {"evidence_items": args.evidence, "ntriples_bytes": len(ntriples)}
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
