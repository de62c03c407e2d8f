"""The project's targets, and which of them a run of the benchmarks met.

:func:`evaluate_targets` reads the results of :mod:`benchmarks.cli` (the JSON
of ``RESULTS.json``) and says, per target, what was measured, against which
baseline, and whether it is met; :mod:`benchmarks.report` renders the rows.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TARGETS", "evaluate_targets"]

#: The project's targets (2-core machine; ratios from one run).
TARGETS: dict[str, Any] = {
    "headline_p50_ms": 2.0,
    "headline_over_oxigraph": 15.0,
    "headline_over_rdflib": 250.0,
    "build_s": 30.0,
    "build_peak_gib": 4.0,
    "first_request_s": 2.0,
    "evidence_share_of_ping": 0.60,
    "evidence_p99_ms": 25.0,
    # issue 18: first-time answers (response cache off, the distinct-question workload), by scale
    "distinct_share_of_ping": {1: 0.40, 100: 0.20},
    "distinct_p99_ms": {1: 25.0, 100: 60.0},
    "headline_cold_p50_ms": 2.0,
    "export_triples_per_s": 1_000_000,
}


def _verdict(ok: bool | None, measured: float | None, target: float, lower_is_better: bool) -> str:
    if ok is None or measured is None:
        return "not measured"
    if ok:
        return "met"
    if lower_is_better:
        return f"missed by {measured / target:.2f}× ({measured - target:+,.2f})"
    return f"missed: {measured / target:.0%} of target"


def _by_scale(targets: dict[int, float], scale: int) -> float:
    """The target of the largest scale not above ``scale`` (1× targets hold below 100×)."""
    return targets[max((at for at in targets if at <= scale), default=min(targets))]


def _largest(results: dict[str, Any]) -> dict[str, Any] | None:
    scales = results.get("scales") or []
    return max(scales, key=lambda r: r["scale"]) if scales else None


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: what was measured, against what, and whether it is met."""
    rows: list[dict[str, Any]] = []
    largest = _largest(results)

    def add(name: str, measured: float | None, target: float, lower: bool, baseline: str, note: str = "") -> None:
        ok = None if measured is None else (measured <= target if lower else measured >= target)
        rows.append(
            {
                "target": name,
                "measured": measured,
                "target_value": target,
                "lower_is_better": lower,
                "baseline": baseline,
                "met": ok,
                "verdict": _verdict(ok, measured, target, lower),
                "note": note,
            }
        )

    if largest:
        scale = largest["scale"]
        headline = largest["queries"]["headline"]
        engine = headline["latency_ms"]["engine"]
        oxigraph = headline["latency_ms"]["oxigraph"]
        add(
            f"headline top-20 p50 in-process at {scale}× (ms)",
            engine["median"],
            TARGETS["headline_p50_ms"],
            True,
            f"p99 {engine['p99']:.2f} ms; caches cleared each call: "
            f"{headline['latency_ms'].get('engine_cold_caches', {}).get('median', float('nan')):.2f} ms",
        )
        add(
            f"headline: pyoxigraph SPARQL p50 / engine p50 at {scale}×",
            headline["ratios"].get("oxigraph_p50_over_engine_p50"),
            TARGETS["headline_over_oxigraph"],
            False,
            f"pyoxigraph p50 {oxigraph['median']:.1f} ms",
        )
        rdflib_scales = [r for r in results["scales"] if "rdflib" in r["queries"]["headline"]["latency_ms"]]
        if rdflib_scales:
            at = max(rdflib_scales, key=lambda r: r["scale"])
            add(
                f"headline: rdflib SPARQL p50 / engine p50 at {at['scale']}×",
                at["queries"]["headline"]["ratios"].get("rdflib_p50_over_engine_p50"),
                TARGETS["headline_over_rdflib"],
                False,
                f"rdflib p50 {at['queries']['headline']['latency_ms']['rdflib']['median']:.0f} ms",
                ""
                if at["scale"] == scale
                else f"rdflib is infeasible at {scale}× (see build table); measured at {at['scale']}×",
            )
        build = largest["networkx"]
        add(
            f"build at {scale}×: records → graph + index (s, median wall)",
            build["wall_s"]["median"],
            TARGETS["build_s"],
            True,
            f"CPU {build['cpu_s']['median']:.1f} s; pyoxigraph bulk load {largest['oxigraph']['wall_s']['median']:.1f} s",
        )
        add(
            f"build at {scale}×: peak RSS (GiB)",
            build["peak_rss_mib"] / 1024,
            TARGETS["build_peak_gib"],
            True,
            f"records alone {build['records_rss_mib'] / 1024:.2f} GiB; build's growth {build['build_growth_mib'] / 1024:.2f} GiB",
        )
    cold = results.get("cold_start")
    if cold and "warm_cache_s" in cold:
        add(
            "`kg serve` first /health answer, warm corpus cache (s)",
            cold["warm_cache_s"]["median"],
            TARGETS["first_request_s"],
            True,
            f"cold cache {cold['cold_cache_s']['median']:.2f} s",
        )
    http = results.get("http")
    if http:
        for server in http["servers"]:
            scale = server["scale"]
            if server["response_cache_size"]:
                row, label = server["endpoints"]["evidence"], f"{scale}×, response cache on"
                share_target, p99_target = TARGETS["evidence_share_of_ping"], TARGETS["evidence_p99_ms"]
            elif "evidence_distinct" in server["endpoints"]:
                row, label = server["endpoints"]["evidence_distinct"], f"{scale}×, distinct questions, cache off"
                share_target = _by_scale(TARGETS["distinct_share_of_ping"], scale)
                p99_target = _by_scale(TARGETS["distinct_p99_ms"], scale)
            else:
                continue
            share = row["share_of_ping"]["median"] if row["share_of_ping"] else None
            add(
                f"/evidence share of ping throughput ({label})",
                share,
                share_target,
                False,
                f"{row['requests_per_s']['median']:,.0f} vs {server['endpoints']['ping']['requests_per_s']['median']:,.0f} req/s",
            )
            add(
                f"/evidence p99 at {http['connections']} connections ({label}, ms)",
                row["p99_ms"]["median"],
                p99_target,
                True,
                f"p50 {row['p50_ms']['median']:.2f} ms",
            )
        costs = [cost for cost in http.get("request_cost", []) if "headline_cold_ms" in cost]
        if costs:
            cost = max(costs, key=lambda c: c["scale"])
            add(
                f"headline answer in-process at {cost['scale']}×, every memo cleared before each call (ms, p50)",
                cost["headline_cold_ms"]["median"],
                TARGETS["headline_cold_p50_ms"],
                True,
                f"memos warm: {cost['median_ms']['engine'] + cost['median_ms']['answer']:.3f} ms",
            )
    for export in results.get("exports", []):
        for fmt in ("turtle", "nt"):
            ours = export["ours"].get(fmt, {})
            add(
                f"{fmt} export at {export['scale']}× (triples/s)",
                ours.get("triples_per_s"),
                TARGETS["export_triples_per_s"],
                False,
                f"rdflib {export['rdflib'][fmt]['triples_per_s']:,}/s; pyoxigraph {export['pyoxigraph'][fmt]['triples_per_s']:,}/s",
            )
    return rows
