"""Issue 18 (every answer fast the first time): the HTTP results before the fast path next to this run's.

``benchmarks/baseline-issue18.json`` is the raw result of ``python -m benchmarks
--scales 1 100 --only http`` run on the code just before the fast path
(its ``machine`` block names the commit and the load of the machine then);
:func:`before_after_section` renders it next to the current run's HTTP
results, row by row (response cache off: first-time answers), with the
request-cost split of both. The baseline is data, kept as measured; a later
change of the fast path is compared with the same file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["BASELINE", "before_after_section", "load_baseline"]

#: The results measured before the fast path (see the module docstring).
BASELINE = Path(__file__).resolve().parent / "baseline-issue18.json"

_WORKLOADS = (("evidence_distinct", "1,000 distinct questions"), ("evidence", "one question (headline)"))


def load_baseline(path: Path = BASELINE) -> dict[str, Any] | None:
    """The baseline's results, or None when the file is absent."""
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _uncached(http: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    if not http:
        return {}
    return {server["scale"]: server["endpoints"] for server in http["servers"] if not server["response_cache_size"]}


def _costs(http: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    return {cost["scale"]: cost for cost in (http or {}).get("request_cost", [])}


def _cell(endpoint: dict[str, Any] | None) -> str:
    if endpoint is None:
        return "—"
    share = endpoint["share_of_ping"]["median"] if endpoint.get("share_of_ping") else None
    share_text = f"{share:.0%}" if share is not None else "—"
    return (
        f"{endpoint['requests_per_s']['median']:,.0f} req/s, {share_text} of ping; "
        f"p50 {endpoint['p50_ms']['median']:.1f} / p99 {endpoint['p99_ms']['median']:.1f} ms"
    )


def _split(cost: dict[str, Any] | None, workload: str) -> str:
    if cost is None:
        return "—"
    ms = cost["median_ms"] if workload == "evidence" else cost.get("distinct", {}).get("median_ms")
    if not ms:
        return "—"
    return (
        f"all {ms['evidence']:.3f} = ping {ms['ping']:.3f} + reading and handler {ms['parameters_and_handler']:.3f} "
        f"+ engine {ms['engine']:.3f} + answer {ms['answer']:.3f}"
    )


def before_after_section(results: dict[str, Any], baseline: dict[str, Any] | None = None) -> list[str]:
    """Markdown lines: issue 18's rows before (the baseline file) and after (this run); empty without a baseline."""
    baseline = baseline if baseline is not None else load_baseline()
    if baseline is None or not results.get("http"):
        return []
    before, after = _uncached(baseline.get("http")), _uncached(results["http"])
    costs_before, costs_after = _costs(baseline.get("http")), _costs(results["http"])
    machine = baseline["machine"]
    lines = [
        "## Issue 18: first-time answers before and after the fast path",
        "",
        f"Before: {machine.get('note') or 'commit ' + str(machine.get('commit'))}, measured {machine['date']} "
        f"(load average at start {machine['load_average_at_start']}). After: this run. Response cache off "
        "(every request computed); the same workloads, client and connections. The machine is shared: compare "
        "the shares of ping (each measured against ping in the same round) more than the absolute rates.",
        "",
        "| scale | workload | before | after |",
        "|---|---|---|---|",
    ]
    for scale in sorted(set(before) | set(after)):
        for name, label in _WORKLOADS:
            lines.append(
                f"| {scale}× | {label} | {_cell(before.get(scale, {}).get(name))} | "
                f"{_cell(after.get(scale, {}).get(name))} |"
            )
    lines += ["", "Request-cost split (in-process ASGI, median ms):", "", "| scale | workload | before | after |"]
    lines.append("|---|---|---|---|")
    for scale in sorted(set(costs_before) | set(costs_after)):
        for name, label in _WORKLOADS:
            lines.append(
                f"| {scale}× | {label} | {_split(costs_before.get(scale), name)} | "
                f"{_split(costs_after.get(scale), name)} |"
            )
        cold_before = costs_before.get(scale, {}).get("headline_cold_ms")
        cold_after = costs_after.get(scale, {}).get("headline_cold_ms")
        if cold_before or cold_after:
            lines.append(
                f"| {scale}× | headline, every memo cleared before each call (p50) | "
                f"{cold_before['median']:.3f} | {cold_after['median']:.3f} |"
                if cold_before and cold_after
                else f"| {scale}× | headline, every memo cleared (p50) | — | — |"
            )
    lines.append("")
    return lines
