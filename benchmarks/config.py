"""How much to measure: repetitions, time budgets and durations, for a full run, ``--quick`` and the smoke test."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = ["Config", "full", "quick", "smoke"]


@dataclass(frozen=True)
class Config:
    """Every knob of a benchmark run (recorded in the results, so a run can be repeated exactly)."""

    base: str = "full"  # corpus to scale: "full" (curated + CIViC) or "curated" (smoke tests)
    build_repeats: dict[int, int] | None = None  # scale → builds (default: 5 at 1×, 3 at 10×, 2 beyond)
    store_repeats: dict[int, int] | None = None  # scale → pyoxigraph bulk loads
    rdflib_max_scale: int = 10  # rdflib loads and queries at scales up to this one
    # query latency: per shape and engine, seconds of sampling, split over rounds (engines interleaved)
    rounds: int = 5
    engine_budget_s: float = 1.0
    oxigraph_budget_s: float = 2.0
    rdflib_budget_s: float = 4.0
    min_samples: int = 3
    max_engine_samples: int = 2000
    # HTTP
    http_scales: tuple[int, ...] = (1,)
    http_cache_sizes: tuple[int, ...] = (2048, 0)  # response cache entries: the API default, and off
    http_duration_s: float = 4.0
    http_rounds: int = 2
    http_connections: int = 32
    request_cost_runs: int = 2000  # ASGI calls per part of an uncached /evidence request
    # cold start of `kg serve`
    cold_runs: int = 3
    warm_runs: int = 5
    serve_civic: bool = True
    settle_store: bool = True  # keep the last cold start running until its SPARQL store is built (warm = realistic)
    # exports
    export_scales: tuple[int, ...] = (1,)  # every format at 1×; the N-Triples export is timed at every scale
    export_repeats: int = 3
    rdflib_export_repeats: int = 2
    # graph view
    view_sizes: tuple[int, ...] = (200, 2000, 20000)
    view_repeats: int = 3
    # CIViC import
    civic_runs: int = 5
    #: An untimed cold import before the timed ones, and another to fill the cache the warm ones read. Off in the
    #: smoke run: there the one timed cold import is also the one that fills the cache (3 imports fewer).
    civic_warmup: bool = True
    #: The release directory to import; None: the bundled one (``data/civic``). The smoke test imports a small
    #: fixture release: the harness is what it checks, and the bundled release's import is timed by ``make bench``.
    civic_release: str | None = None

    def builds(self, scale: int) -> int:
        if self.build_repeats and scale in self.build_repeats:
            return self.build_repeats[scale]
        return 5 if scale <= 1 else 3 if scale <= 10 else 2

    def stores(self, scale: int) -> int:
        if self.store_repeats and scale in self.store_repeats:
            return self.store_repeats[scale]
        return 3 if scale <= 1 else 2 if scale <= 10 else 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def full(scales: tuple[int, ...]) -> Config:
    """The default run; with 100× (``make bench-full``) also rdflib at 10×, HTTP at 100×, longer HTTP runs."""
    largest = max(scales)
    if largest < 100:
        return Config(rdflib_max_scale=1, http_scales=(1,))
    return Config(
        rdflib_max_scale=10,
        http_scales=tuple(sorted({1, largest})),
        http_duration_s=5.0,
        http_rounds=3,
        engine_budget_s=1.5,
        oxigraph_budget_s=4.0,
        rdflib_budget_s=8.0,
    )


def quick(scales: tuple[int, ...]) -> Config:
    """Fewer repetitions and shorter budgets (``--quick``)."""
    return replace(
        full(scales),
        build_repeats={1: 3, 10: 2, 100: 1},
        store_repeats={1: 2, 10: 1, 100: 1},
        rounds=3,
        engine_budget_s=0.6,
        oxigraph_budget_s=1.2,
        rdflib_budget_s=3.0,
        http_duration_s=3.0,
        http_rounds=2,
        cold_runs=2,
        warm_runs=3,
        export_repeats=2,
        rdflib_export_repeats=1,
        view_repeats=2,
    )


def smoke() -> Config:
    """One iteration of everything on the curated corpus (the test suite's smoke run)."""
    return Config(
        base="curated",
        build_repeats={1: 1, 2: 1},
        store_repeats={1: 1, 2: 1},
        rdflib_max_scale=2,
        rounds=1,
        engine_budget_s=0.0,
        oxigraph_budget_s=0.0,
        rdflib_budget_s=0.0,
        min_samples=1,
        http_scales=(1,),
        http_cache_sizes=(2048,),
        http_duration_s=0.5,
        http_rounds=1,
        request_cost_runs=20,
        cold_runs=1,
        warm_runs=1,
        serve_civic=False,
        settle_store=False,
        export_scales=(2,),
        export_repeats=1,
        rdflib_export_repeats=1,
        view_sizes=(200,),
        view_repeats=1,
        civic_runs=1,
        civic_warmup=False,
    )
