"""Measurement 2: latency of each question shape on the engine, pyoxigraph and rdflib, rows checked.

Each shape is first answered once by every engine and the rows compared
(a benchmark of different answers would mean nothing); then the engines are
timed in interleaved rounds (engine, pyoxigraph, rdflib, engine, ...), each
round with an equal share of a per-engine time budget, so a burst of load
from other processes on the machine hits all of them alike.

SPARQL answers are materialised as Python strings (the engine's answer is a
Python structure too): ``list(store.query(text))`` for pyoxigraph, the same
for rdflib. Each SPARQL call includes parsing the query text, as an
endpoint would. The headline shape is also timed with the engine's caches
(hierarchy posting unions, per-item payloads, explanations) cleared before
every call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from benchmarks.config import Config
from benchmarks.shapes import Shape, shapes, sparql_values
from benchmarks.stats import ratio, summarize

__all__ = ["clear_engine_caches", "measure_shapes"]


def clear_engine_caches(kg: Any) -> None:
    """Forget every memoised result of the graph (posting-set unions, evidence payloads, explanations, ...)."""
    kg.memo.clear()


def _timed_round(action: Callable[[], object], budget: float, minimum: int, maximum: int, before=None) -> list[float]:
    times: list[float] = []
    deadline = time.perf_counter() + budget
    clock = time.perf_counter
    while len(times) < minimum or (clock() < deadline and len(times) < maximum):
        if before is not None:
            before()
        started = clock()
        action()
        times.append(clock() - started)
    return times


def _ms(samples: list[float]) -> dict[str, Any]:
    return summarize(samples).scaled(1000).as_dict(3)


def measure_shapes(kg: Any, store: Any, rdflib_graph: Any, config: Config) -> dict[str, Any]:
    """Per shape: rows agreement and latency summaries (ms) for each engine, and the ratios."""
    results: dict[str, Any] = {}
    rounds = max(1, config.rounds)
    per_round_min = math.ceil(config.min_samples / rounds)
    for shape in shapes(kg):
        results[shape.name] = _measure_shape(shape, kg, store, rdflib_graph, config, rounds, per_round_min)
    return results


def _measure_shape(
    shape: Shape, kg: Any, store: Any, rdflib_graph: Any, config: Config, rounds: int, per_round_min: int
) -> dict[str, Any]:
    engines: dict[str, Callable[[], Any]] = {
        "engine": shape.engine,
        "oxigraph": lambda: sparql_values(list(store.query(shape.sparql))),
    }
    if rdflib_graph is not None:
        engines["rdflib"] = lambda: sparql_values(list(rdflib_graph.query(shape.sparql)))

    answer = shape.engine()
    expected = shape.engine_rows(answer)
    check: dict[str, Any] = {"engine_rows": len(expected)}
    for name, run in engines.items():
        if name == "engine":
            continue
        started = time.perf_counter()
        rows = shape.sparql_rows(run())
        check[f"{name}_first_ms"] = round((time.perf_counter() - started) * 1000, 3)
        check[f"{name}_rows"] = len(rows)
        check[f"{name}_agrees"] = rows == expected
    if shape.count_sparql and shape.engine_total is not None:
        total = shape.engine_total(answer)
        check["engine_total"] = total
        check["oxigraph_total"] = int(sparql_values(list(store.query(shape.count_sparql)))[0][0])
        if rdflib_graph is not None:
            check["rdflib_total"] = int(sparql_values(list(rdflib_graph.query(shape.count_sparql)))[0][0])

    budgets = {"engine": config.engine_budget_s, "oxigraph": config.oxigraph_budget_s, "rdflib": config.rdflib_budget_s}
    samples: dict[str, list[float]] = {name: [] for name in engines}
    cold: list[float] = []
    for _ in range(rounds):
        for name, run in engines.items():
            maximum = config.max_engine_samples if name == "engine" else 10_000
            samples[name] += _timed_round(run, budgets[name] / rounds, per_round_min, maximum)
        if shape.name == "headline":
            cold += _timed_round(
                shape.engine,
                budgets["engine"] / rounds / 2,
                per_round_min,
                config.max_engine_samples,
                before=lambda: clear_engine_caches(kg),
            )
    latency = {name: _ms(times) for name, times in samples.items()}
    if cold:
        latency["engine_cold_caches"] = _ms(cold)
    engine_p50 = latency["engine"]["median"]
    ratios = {
        f"{name}_p50_over_engine_p50": _round(ratio(latency[name]["median"], engine_p50))
        for name in engines
        if name != "engine"
    }
    return {"description": shape.description, "rows": check, "latency_ms": latency, "ratios": ratios}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
