"""Measurements 1 and 2 at one scale, in one child process: build, then query latency, with baselines.

:func:`measure_scale` runs in a fresh interpreter (``run_isolated``) so its
peak RSS is the build's own:

1. generate the synthetic corpus (records: not part of the build);
2. build the knowledge graph and its evidence index, several times
   (wall and CPU seconds; RSS before, peak after the first build);
3. stream the RDF export (N-Triples) of the same corpus to a file;
4. bulk-load that file into a fresh on-disk pyoxigraph store, each load in
   its own child (time, peak RSS); time the headline SPARQL on the store as
   loaded, compact it (``Store.optimize``, timed), and open it read-only;
5. parse it into rdflib's in-memory graph (at scales where that is feasible);
6. time the four question shapes on all engines, interleaved, checking that
   every engine returns the same rows;
7. at the scales of ``Config.export_scales``, time every export format next
   to pyoxigraph's and rdflib's serializers (measurement 4) on the loaded data.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import rdfdata
from benchmarks.config import Config
from benchmarks.exports import measure_exports
from benchmarks.isolate import RssSampler, current_rss_mib, peak_rss_mib, run_isolated
from benchmarks.latency import measure_shapes
from benchmarks.stats import sample, summarize

__all__ = ["load_store", "measure_scale"]


def load_store(ntriples: str, directory: str) -> dict[str, Any]:
    """One pyoxigraph bulk load (run in its own child for its peak RSS)."""
    return rdfdata.oxigraph_bulk_load(Path(ntriples), Path(directory))


def optimize_store(directory: str) -> dict[str, Any]:
    """Compact the store (its own child, like the load)."""
    return rdfdata.oxigraph_optimize(Path(directory))


def _headline_on(store: Any, kg: Any, runs: int) -> dict[str, Any]:
    """Headline SPARQL latency (ms) on ``store`` (to show what compaction changes)."""
    from benchmarks.shapes import shapes, sparql_values

    text = next(shape for shape in shapes(kg) if shape.name == "headline").sparql
    return summarize(sample(lambda: sparql_values(list(store.query(text))), runs, warmup=0)).scaled(1000).as_dict(3)


def _build(corpus: Any, repeats: int) -> tuple[Any, dict[str, Any]]:
    from kg.runtime.knowledge_graph import KnowledgeGraph

    gc.collect()
    records_rss = current_rss_mib()
    wall: list[float] = []
    cpu: list[float] = []
    phases: list[dict[str, float]] = []
    peak = rss_after = 0.0
    kg = None
    for number in range(repeats):
        if kg is not None:
            del kg
            gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        kg = KnowledgeGraph.from_corpus(corpus)
        graph_done = time.perf_counter()
        kg.index  # noqa: B018 - built on first use: part of the build
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        phases.append({"graph_s": graph_done - started, "index_s": time.perf_counter() - graph_done})
        if number == 0:
            peak, rss_after = peak_rss_mib(), current_rss_mib()
    assert kg is not None
    result = {
        "wall_s": summarize(wall).as_dict(),
        "cpu_s": summarize(cpu).as_dict(),
        "phases": phases,
        "records_rss_mib": round(records_rss, 1),
        "rss_after_first_build_mib": round(rss_after, 1),
        "peak_rss_mib": round(peak, 1),
        "build_growth_mib": round(peak - records_rss, 1),
        "nodes": kg.graph.number_of_nodes(),
        "edges": kg.graph.number_of_edges(),
        "evidence_indexed": len(kg.index),
    }
    return kg, result


def measure_scale(scale: int, config: Config, workdir: str, with_exports: bool = False) -> dict[str, Any]:
    """Every build and query measurement at ``scale`` (see the module docstring)."""
    from benchmarks.synth import synthetic_corpus

    work = Path(workdir)
    result: dict[str, Any] = {"scale": scale}
    started = time.perf_counter()
    corpus = synthetic_corpus(scale, config.base)
    result["generate_s"] = round(time.perf_counter() - started, 3)
    result["counts"] = corpus.counts()

    kg, result["networkx"] = _build(corpus, config.builds(scale))

    nt_path = work / f"x{scale}.nt"
    result["ntriples"] = rdfdata.write_ntriples(kg, nt_path)
    result["ntriples"]["triples_per_s"] = round(result["ntriples"]["triples"] / result["ntriples"]["seconds"])

    loads: list[dict[str, Any]] = []
    store_dir = work / f"x{scale}.oxigraph"
    for number in range(config.stores(scale)):
        target = store_dir if number == config.stores(scale) - 1 else work / f"x{scale}.oxigraph.{number}"
        load, peak = run_isolated(load_store, str(nt_path), str(target))
        loads.append({**load, "peak_rss_mib": round(peak, 1)})
        if target != store_dir:
            shutil.rmtree(target, ignore_errors=True)
    result["oxigraph"] = {
        "wall_s": summarize([load["seconds"] for load in loads]).as_dict(),
        "peak_rss_mib": max(load["peak_rss_mib"] for load in loads),
        "triples": loads[-1]["triples"],
        "runs": loads,
    }
    # As bulk_load leaves it (what kg.sparql.store builds today), then compacted (what the queries use).
    unoptimized = rdfdata.open_oxigraph(store_dir)
    result["oxigraph"]["headline_ms_as_loaded"] = _headline_on(unoptimized, kg, max(1, config.min_samples))
    del unoptimized
    optimized, peak = run_isolated(optimize_store, str(store_dir))
    result["oxigraph"]["optimize_s"] = round(optimized["seconds"], 3)
    result["oxigraph"]["optimize_peak_rss_mib"] = round(peak, 1)

    rdflib_graph = None
    if scale <= config.rdflib_max_scale:
        with RssSampler() as sampler:
            started = time.perf_counter()
            rdflib_graph = rdfdata.rdflib_load(nt_path)
            seconds = time.perf_counter() - started
        result["rdflib"] = {
            "wall_s": summarize([seconds]).as_dict(),
            "rss_growth_mib": round(sampler.growth_mib, 1),
            "triples": len(rdflib_graph),
            "runs": 1,
        }
    else:
        result["rdflib"] = {"skipped": f"rdflib is loaded up to {config.rdflib_max_scale}× only", "runs": 0}

    store = rdfdata.open_oxigraph(store_dir)
    result["queries"] = measure_shapes(kg, store, rdflib_graph, config)
    if with_exports:
        result["exports"] = measure_exports(kg, config, result["ntriples"]["triples"], nt_path, rdflib_graph)
        result["exports"]["scale"] = scale
    del store, rdflib_graph
    nt_path.unlink(missing_ok=True)
    shutil.rmtree(store_dir, ignore_errors=True)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return result


def run_scale(scale: int, config: Config, with_exports: bool = False) -> dict[str, Any]:
    """:func:`measure_scale` in a fresh child process, in a temporary working directory."""
    with tempfile.TemporaryDirectory(prefix=f"kg-bench-x{scale}-") as workdir:
        result, _ = run_isolated(measure_scale, scale, config, workdir, with_exports)
    return result
