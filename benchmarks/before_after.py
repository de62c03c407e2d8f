"""Issue 18 (every answer fast the first time): the HTTP results before the fast path next to this run's.

``benchmarks/baseline-issue18.json`` is the raw result of ``python -m benchmarks
--scales 1 100 --only http`` run on the code just before the fast path
(its ``machine`` block names the commit and the load of the machine then);
:func:`before_after_section` renders it next to the current run's HTTP
results, row by row (response cache off: first-time answers), with the
request-cost split of both. The baseline is data, kept as measured; a later
change of the fast path is compared with the same file.

On a shared machine the wall-clock rates move with everyone else's load, so
the section also shows the CPU share of ping (:mod:`benchmarks.cpu_share`,
CPU time per request in one process) of the code before and after, when the
results carry it under ``http.cpu_share``. ``python -m benchmarks.merge_http_run
RESULTS.json after.json [--cpu-share before.json after.json]`` merges a run
of ``--only http`` (and those CPU shares) into a full run's results and
renders the report again, so the other sections stay as they were measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["BASELINE", "before_after_section", "load_baseline", "merge_http"]

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
    run = results["http"].get("measured_by")
    after_text = (
        f"`{run['command']}` at commit {run['commit']}, measured {run['date']} "
        f"(load average at start {run['load_average_at_start']})"
        if run
        else "this run"
    )
    lines = [
        "## Issue 18: first-time answers before and after the fast path",
        "",
        f"Before: `{baseline['command']}`, {machine.get('note') or 'commit ' + str(machine.get('commit'))}, "
        f"measured {machine['date']} (load average at start {machine['load_average_at_start']}). "
        f"After: {after_text}. Response cache off "
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
    lines += _cpu_share_lines((results["http"] or {}).get("cpu_share"))
    notes = (results["http"] or {}).get("notes") or []
    return [*lines, *(f"- {note}" for note in notes), *([""] if notes else [])]


def _cpu_share_lines(shares: dict[str, Any] | None) -> list[str]:
    """The CPU share of ping before and after (``benchmarks.cpu_share``), per scale, when measured.

    Keys other than ``before`` and ``after`` are later measurements (e.g. after a merge), rendered as labelled.
    """
    if not shares or not shares.get("after"):
        return []
    lines = [
        "CPU share of ping (`benchmarks.cpu_share`: CPU ms per request in one process, ASGI, response cache off, "
        "the 1,000 distinct questions after one warm-up pass, then ping as many times, interleaved rounds; "
        "robust to the other load on the machine, which moves wall-clock rates but much less a process's CPU time):",
        "",
        "| scale | code | /evidence CPU ms per request | ping CPU ms per request | ping ÷ evidence (median of rounds) |",
        "|---|---|---|---|---|",
    ]
    later = [when for when in shares if when not in ("before", "after")]  # later measurements, as labelled
    for when in ("before", "after", *later):
        for share in shares.get(when) or []:
            rounds = share["rounds"]
            evidence = sorted(row["evidence_ms"] for row in rounds)[len(rounds) // 2]
            ping = sorted(row["ping_ms"] for row in rounds)[len(rounds) // 2]
            ratio = sorted(share["ping_over_evidence"])[len(rounds) // 2]
            lines.append(f"| {share['scale']}× | {when} | {evidence:.3f} | {ping:.3f} | {ratio:.0%} |")
    return [*lines, ""]


def merge_http(
    results: dict[str, Any],
    http_run: dict[str, Any],
    cpu_share: dict[str, Any] | None = None,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """``results`` with the HTTP section of ``http_run`` (a later ``--only http`` run), saying which run measured it."""
    from benchmarks.targets import evaluate_targets

    machine = http_run["machine"]
    http = dict(http_run["http"])
    http["measured_by"] = {
        "command": http_run["command"],
        "date": machine["date"],
        "commit": machine["commit"],
        "load_average_at_start": machine["load_average_at_start"],
    }
    if cpu_share:
        http["cpu_share"] = cpu_share
    if notes:
        http["notes"] = notes  # what the measurer saw (other load, how to read the numbers), rendered as bullets
    merged = {**results, "http": http}
    merged["errors"] = {**results.get("errors", {}), **http_run.get("errors", {})}
    merged["targets"] = evaluate_targets(merged)
    return merged
