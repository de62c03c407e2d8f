"""How long a view takes to generate and how big the page is, at chosen graph sizes.

The benchmark harness (written separately) calls :func:`measure_view`;
``python -m benchmarks.view_size`` prints the same numbers. Graphs are the
project's synthetic corpus (:func:`benchmarks.synth.synthetic_knowledge_graph`:
the curated data replicated to at least the size asked), drawn with
``max_nodes`` set to the size, so each view has exactly that many nodes;
every timed run starts from a cold cache (selection, layout, panel details
and HTML all included); the warm time is what a second request for the
same view costs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from typing import Any

from benchmarks.synth import base_corpus, synthetic_knowledge_graph
from kg.view.model import clear_cache
from kg.view.page import render_view, view_data

__all__ = ["main", "measure_view"]


def measure_view(
    sizes: Sequence[int] = (200, 2000, 20000),
    repeats: int = 3,
    modes: Sequence[str] = ("standalone", "served"),
    base: str = "curated",
) -> list[dict[str, Any]]:
    """Median cold generation time and page size of full views of ``sizes`` nodes of synthetic graphs.

    ``standalone`` is :func:`~kg.view.write_view`'s page (assets inlined,
    details of every node embedded); ``served`` is the API's ``/graph?full=1``
    page (assets linked, details fetched on click). One row per size and mode.
    """
    rows: list[dict[str, Any]] = []
    corpus = base_corpus(base)
    for size in sizes:
        kg = synthetic_knowledge_graph(size, corpus)
        for mode in modes:
            inline = mode == "standalone"
            runs: list[float] = []
            html = ""
            for _ in range(repeats):
                clear_cache(kg)
                start = time.perf_counter()
                html = render_view(kg, full=True, max_nodes=size, inline_assets=inline)
                runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_view(kg, full=True, max_nodes=size, inline_assets=inline)
            warm = time.perf_counter() - start
            drawn = view_data(kg, full=True, max_nodes=size)
            rows.append(
                {
                    "nodes": len(drawn["nodes"]),
                    "edges": len(drawn["edges"]),
                    "graph_nodes": kg.graph.number_of_nodes(),
                    "mode": mode,
                    "median_s": round(statistics.median(runs), 3),
                    "runs_s": [round(run, 3) for run in runs],
                    "warm_s": round(warm, 3),
                    "bytes": len(html.encode()),
                }
            )
        clear_cache(kg)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m benchmarks.view_size [--sizes 200 2000 20000] [--repeats 3]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'nodes':>7} {'edges':>7} {'mode':<11} {'median s':>9} {'warm s':>7} {'page MB':>8}")
    for row in measure_view(args.sizes, args.repeats):
        print(
            f"{row['nodes']:>7} {row['edges']:>7} {row['mode']:<11} {row['median_s']:>9.3f} "
            f"{row['warm_s']:>7.3f} {row['bytes'] / 1e6:>8.2f}"
        )


if __name__ == "__main__":
    main()
