"""The HTTP section of the benchmark report: /evidence and /ask under load, and where an uncached request's time goes."""

from __future__ import annotations

from typing import Any

from benchmarks.markdown import body_size, table
from benchmarks.targets import TARGETS

__all__ = ["http_section"]


def http_section(http: dict[str, Any]) -> list[str]:
    lines = [
        "## 3. HTTP: /evidence and /ask under load, next to pre-serialized bytes (/health/ping)",
        "",
        f"One uvicorn worker on 127.0.0.1, client `{http['client']}`, {http['connections']} connections, "
        f"{http['duration_s']:.0f} s per run, {http['rounds']} interleaved rounds; medians over rounds "
        "(share of ping: median of per-round ratios).",
        "",
    ]
    if http.get("measured_by"):  # a later run of this section alone, merged into a full run's results
        run = http["measured_by"]
        lines[-1:-1] = [
            "",
            f"This section was measured by `{run['command']}` on {run['date']} at commit {run['commit']} "
            f"(load average at start {run['load_average_at_start']}), after the sections above and below.",
        ]
    rows = []
    for server in http["servers"]:
        label = f"{server['scale']}×, cache {'on' if server['response_cache_size'] else 'off'}"
        for name, e in server["endpoints"].items():
            rows.append(
                [
                    label,
                    name,
                    body_size(e["response_bytes"]),
                    f"{e['requests_per_s']['median']:,.0f} ({e['requests_per_s']['min']:,.0f}–{e['requests_per_s']['max']:,.0f})",
                    f"{e['p50_ms']['median']:.2f}",
                    f"{e['p99_ms']['median']:.2f}",
                    f"{e['share_of_ping']['median']:.0%}" if e["share_of_ping"] else "(ceiling)",
                    str(e["non_2xx"]),
                ]
            )
    lines += table(
        ["server", "endpoint", "bytes", "req/s (min–max)", "p50 ms", "p99 ms", "share of ping", "non-2xx"], rows
    )
    lines.append(
        "“cache on” is the API as configured by default: the response cache (`api/cache.py`) answers every repeat "
        "of a question from memory, so under a load of one repeated question all requests but the first are hits. "
        "“cache off” (`response_cache_size=0`) resolves, ranks, explains, summarises and serializes every request: "
        "the cost of a question asked for the first time."
    )
    lines.append("")
    lines += [f"- server failed: {error}" for error in http.get("errors", [])]
    if http.get("request_cost"):
        lines += _request_cost_section(http)
    return lines


def _request_cost_section(http: dict[str, Any]) -> list[str]:
    """Where an uncached request's time goes, and the budget the ≥ 60 % target leaves."""
    lines = [
        "### Where an uncached /evidence request's time goes",
        "",
        "`benchmarks.request_cost`: the same app called directly as ASGI (no sockets, no HTTP parsing), median ms "
        "over interleaved rounds, for the headline question and over the 1,000 distinct questions (after a first "
        "pass). “parameters + handler” is the whole request minus ping and the engine and the answer: reading the "
        "query string into a question, the dependencies, the handler's checks. “answer” is the answer's bytes as "
        "the endpoint makes them (explanations, payloads, summary, serialization).",
        "",
    ]
    rows = []
    for cost in http["request_cost"]:
        workloads = [("headline", cost["median_ms"])]
        if "distinct" in cost:
            workloads.append((f"{cost['distinct']['questions']:,} distinct", cost["distinct"]["median_ms"]))
        for workload, ms in workloads:
            rows.append(
                [
                    f"{cost['scale']}×",
                    workload,
                    f"{ms['ping']:.3f}",
                    f"{ms['evidence']:.3f}",
                    f"{ms['parameters_and_handler']:.3f}",
                    f"{ms['engine']:.3f}",
                    f"{ms['answer']:.3f}",
                ]
            )
    lines += table(
        [
            "scale",
            "questions",
            "ping",
            "/evidence (all)",
            "parameters + handler",
            "engine (find_evidence)",
            "answer (bytes)",
        ],
        rows,
    )
    for cost in http["request_cost"]:
        if "distinct" in cost:
            first, cold = cost["distinct"]["first_pass_ms"], cost["headline_cold_ms"]
            lines.append(
                f"- {cost['scale']}×: the first pass over the distinct questions (every memo cleared before it) took "
                f"p50 {first['median']:.3f} ms, p90 {first['p90']:.3f} ms per request; the headline answer with "
                f"every memo cleared before each call p50 {cold['median']:.3f} ms, p90 {cold['p90']:.3f} ms."
            )
    lines.append("")
    for server in http["servers"]:
        if server["response_cache_size"]:
            continue
        ping_rps = server["endpoints"]["ping"]["requests_per_s"]["median"]
        evidence = server["endpoints"]["evidence"]
        evidence_rps = evidence["requests_per_s"]["median"]
        budget = 1000 / (TARGETS["evidence_share_of_ping"] * ping_rps)
        connections = http["connections"]
        lines.append(
            f"- {server['scale']}×, cache off: one request costs the server's core {1000 / evidence_rps:.2f} ms "
            f"against {1000 / ping_rps:.2f} ms for ping; {TARGETS['evidence_share_of_ping']:.0%} of ping's "
            f"throughput would leave {budget:.2f} ms per request for everything. The worker is saturated, so "
            f"latency is queueing: p50 {evidence['p50_ms']['median']:.1f} ms ≈ {connections} connections ÷ "
            f"{evidence_rps:,.0f} req/s = {connections * 1000 / evidence_rps:.1f} ms, and a p99 under "
            f"{TARGETS['evidence_p99_ms']:.0f} ms needs well over {connections * 1000 / TARGETS['evidence_p99_ms']:,.0f} req/s."
        )
    lines.append("")
    lines += [
        "**What bounds what is left.** With the response cache off, a first-time answer costs, on top of ping's "
        "routing and middleware: reading the query string (one split, one pydantic validation of the given "
        "values: `api/query_route.py`), the engine (resolving names and building facets are kept per term; "
        "what remains is the question's own set work: intersecting its facets and filters, splitting the matches "
        "into tiers, ordering the tiers it shows, which grows with the number of matches: 29 for the headline at "
        "1×, 2,900 at 100×), and the answer (each item's payload and each explanation are kept as serialized "
        "fragments; what remains is the page's assembly, the summary's counts over every match and one orjson "
        "call copying ~30–100 KB). The first time an item is shown its payload is built and serialized (tens of "
        "microseconds per item). More uvicorn workers raise throughput on more cores but not the share of ping, "
        "since the ceiling scales too.",
        "",
    ]
    return lines
