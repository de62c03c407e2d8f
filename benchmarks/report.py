"""Results → ``RESULTS.md`` (tables, targets met or missed) next to the machine-readable JSON."""

from __future__ import annotations

from typing import Any

from benchmarks.before_after import before_after_section
from benchmarks.targets import TARGETS, evaluate_targets

__all__ = ["TARGETS", "evaluate_targets", "main", "render_markdown"]


def _f(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def _spread(summary: dict[str, Any] | None, digits: int = 1) -> str:
    if not summary:
        return "—"
    if summary.get("n", 0) <= 1:
        return f"{summary['median']:,.{digits}f}"
    return f"{summary['median']:,.{digits}f} ({summary['p10']:,.{digits}f}–{summary['p90']:,.{digits}f})"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
    dirty = " (with uncommitted changes in kg/ or api/)" if m.get("uncommitted_changes_in_kg_or_api") else ""
    return [
        f"- **Date:** {m['date']}",
        f"- **Command:** `{results['command']}` ({results['elapsed_s']:.0f} s)",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, {m['os']}; "
        f"load average at start {m['load_average_at_start']} (shared machine: other test suites were running)",
        f"- **Software:** Python {m['python']}; {libs}; {m.get('wrk') or 'no wrk'}",
        f"- **Code:** commit {m['commit']}{dirty}",
        "",
    ]


def _build_section(results: dict[str, Any]) -> list[str]:
    rows = []
    for r in results["scales"]:
        nx_, ox, rd = r["networkx"], r["oxigraph"], r["rdflib"]
        rdflib_cell = (
            f"{_spread(rd['wall_s'])} s, +{rd['rss_growth_mib']:,.0f} MiB" if "wall_s" in rd else "infeasible (not run)"
        )
        ratio_ox = ox["wall_s"]["median"] / nx_["wall_s"]["median"]
        ratio_rd = f"{rd['wall_s']['median'] / nx_['wall_s']['median']:.1f}×" if "wall_s" in rd else "—"
        rows.append(
            [
                f"{r['scale']}×",
                f"{r['counts']['evidence']:,}",
                f"{nx_['nodes']:,} / {nx_['edges']:,}",
                f"{r['ntriples']['triples']:,}",
                f"{_spread(nx_['wall_s'], 2)} s (CPU {nx_['cpu_s']['median']:.2f})",
                f"{nx_['peak_rss_mib']:,.0f} MiB (records {nx_['records_rss_mib']:,.0f}, +{nx_['build_growth_mib']:,.0f})",
                f"{_spread(ox['wall_s'], 2)} s + optimize {ox.get('optimize_s', float('nan')):,.1f} s, "
                f"peak {ox['peak_rss_mib']:,.0f} MiB",
                rdflib_cell,
                f"{ratio_ox:.1f}× / {ratio_rd}",
            ]
        )
    lines = [
        "## 1. Build: records → graph + indexes, next to pyoxigraph and rdflib",
        "",
        "networkx: `KnowledgeGraph.from_corpus(corpus)` then `kg.index` (median wall seconds, p10–p90 in brackets; "
        "peak RSS of a fresh process that first generated the records). pyoxigraph: `Store.bulk_load` of our "
        "N-Triples export of the same corpus into a new on-disk store (own process; peak RSS of that process), "
        "then `Store.optimize()` (compaction; own process). "
        "rdflib: `Graph.parse` of the same file (RSS growth of the measuring process).",
        "",
    ]
    lines += _table(
        [
            "scale",
            "evidence items",
            "graph nodes / edges",
            "RDF triples",
            "networkx build",
            "networkx peak RSS",
            "pyoxigraph load",
            "rdflib parse",
            "pyoxigraph / rdflib ÷ networkx",
        ],
        rows,
    )
    measured = [r for r in results["scales"] if "wall_s" in r["rdflib"]]
    for r in (r for r in results["scales"] if "skipped" in r["rdflib"]):
        note = f"- rdflib at {r['scale']}×: not run ({r['rdflib']['skipped']})"
        if measured:
            at = max(measured, key=lambda m: m["scale"])
            factor = r["ntriples"]["triples"] / at["ntriples"]["triples"]
            note += (
                f"; by the {at['scale']}× run ({at['rdflib']['wall_s']['median']:.1f} s, "
                f"+{at['rdflib']['rss_growth_mib']:,.0f} MiB for {at['ntriples']['triples']:,} triples) its "
                f"{r['ntriples']['triples']:,} triples would take ~{at['rdflib']['wall_s']['median'] * factor / 60:,.0f} min "
                f"and ~{at['rdflib']['rss_growth_mib'] * factor / 1024:,.1f} GiB to load"
            )
        lines.append(note + ".")
    for r in results["scales"]:
        as_loaded = r["oxigraph"].get("headline_ms_as_loaded")
        if as_loaded:
            compacted = r["queries"]["headline"]["latency_ms"]["oxigraph"]["median"]
            lines.append(
                f"- {r['scale']}×: pyoxigraph headline SPARQL on the store as `bulk_load` leaves it "
                f"{as_loaded['median']:,.1f} ms, after `optimize()` {compacted:,.1f} ms "
                f"({as_loaded['median'] / compacted:.1f}×); the latency tables use the compacted store."
            )
    for r in results["scales"]:
        phases = r["networkx"]["phases"][0]
        lines.append(
            f"- {r['scale']}×: records generated in {r['generate_s']:.1f} s; first build: graph {phases['graph_s']:.2f} s, "
            f"index {phases['index_s']:.2f} s; N-Triples export {r['ntriples']['seconds']:.1f} s "
            f"({r['ntriples']['triples_per_s']:,} triples/s)."
        )
    lines.append("")
    cold = results.get("cold_start")
    if cold:
        lines += [
            "### `kg serve` cold start (process start → first 200 on /health)",
            "",
            f"Command: `{cold['command']}`",
            "",
        ]
        lines += _table(
            ["corpus cache", "median s (p10–p90)", "runs"],
            [
                [
                    "cold (empty cache dir)",
                    _spread(cold["cold_cache_s"], 2),
                    ", ".join(f"{x:.2f}" for x in cold["cold_runs"]),
                ],
                [
                    "warm (second start)",
                    _spread(cold["warm_cache_s"], 2),
                    ", ".join(f"{x:.2f}" for x in cold["warm_runs"]),
                ],
            ],
        )
    return lines


def _query_section(results: dict[str, Any]) -> list[str]:
    lines = [
        "## 2. Question latency: in-process engine vs SPARQL on pyoxigraph and rdflib (same rows)",
        "",
        "Milliseconds, p50 and p99 over interleaved rounds. SPARQL times include parsing the query and "
        "materialising the rows as Python strings; the engine's include name resolution and, for the "
        "headline and ask, the JSON-ready answer (results, explanations, summary). “rows” is the number of "
        "rows and whether every engine returned exactly the engine's rows (and the same total).",
        "",
    ]
    for r in results["scales"]:
        rows = []
        for name, q in r["queries"].items():
            lat, check = q["latency_ms"], q["rows"]
            agrees = all(v for k, v in check.items() if k.endswith("_agrees"))
            totals = [v for k, v in check.items() if k.endswith("_total")]
            total_ok = len(set(totals)) <= 1
            rows.append(
                [
                    name,
                    f"{check['engine_rows']} {'✓' if agrees and total_ok else '✗ DIFFER'}"
                    + (f" (total {check['engine_total']:,})" if "engine_total" in check else ""),
                    f"{lat['engine']['median']:.3f} / {lat['engine']['p99']:.3f}",
                    f"{lat['oxigraph']['median']:.2f} / {lat['oxigraph']['p99']:.2f}",
                    f"{lat['rdflib']['median']:.1f} / {lat['rdflib']['max']:.1f}" if "rdflib" in lat else "—",
                    _f(q["ratios"].get("oxigraph_p50_over_engine_p50"), 1, "×"),
                    _f(q["ratios"].get("rdflib_p50_over_engine_p50"), 0, "×"),
                ]
            )
        lines.append(f"### {r['scale']}× ({r['counts']['evidence']:,} evidence items)")
        lines.append("")
        lines += _table(
            [
                "shape",
                "rows",
                "engine p50 / p99",
                "pyoxigraph p50 / p99",
                "rdflib p50 / max",
                "pyoxigraph ÷ engine",
                "rdflib ÷ engine",
            ],
            rows,
        )
        cold = r["queries"]["headline"]["latency_ms"].get("engine_cold_caches")
        if cold:
            lines.append(
                f"Headline with the engine's caches cleared before every call: p50 {cold['median']:.3f} ms, "
                f"p99 {cold['p99']:.3f} ms."
            )
            lines.append("")
    if results["scales"]:
        shapes = results["scales"][0]["queries"]
        lines.append("Shapes: " + "; ".join(f"**{name}** — {q['description']}" for name, q in shapes.items()) + ".")
        lines.append("")
    return lines


def _http_section(http: dict[str, Any]) -> list[str]:
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
                    _bytes(e["response_bytes"]),
                    f"{e['requests_per_s']['median']:,.0f} ({e['requests_per_s']['min']:,.0f}–{e['requests_per_s']['max']:,.0f})",
                    f"{e['p50_ms']['median']:.2f}",
                    f"{e['p99_ms']['median']:.2f}",
                    f"{e['share_of_ping']['median']:.0%}" if e["share_of_ping"] else "(ceiling)",
                    str(e["non_2xx"]),
                ]
            )
    lines += _table(
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


def _bytes(size: int | dict[str, Any]) -> str:
    """A body size, or the median size of a workload's answers."""
    return f"{size:,}" if isinstance(size, int) else f"{size['median']:,.0f} (median)"


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
    lines += _table(
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


def _export_section(exports: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## 4. Export throughput, next to rdflib's and pyoxigraph's serializers (same triples)",
        "",
    ]
    for export in exports:
        rows = []
        for fmt, ours in export["ours"].items():
            rd = export["rdflib"].get(fmt)
            ox = export["pyoxigraph"].get(fmt)
            rows.append(
                [
                    fmt,
                    f"{ours['seconds']['median']:.3f}",
                    f"{ours['bytes'] / 1e6:,.1f}",
                    _f(ours.get("triples_per_s"), 0),
                    _f(rd["triples_per_s"], 0) if rd else "—",
                    _f(ox["triples_per_s"], 0) if ox else "—",
                    _f(export["ours_over_rdflib"].get(fmt), 1, "×"),
                ]
            )
        lines.append(f"### {export['scale']}× ({export['triples']:,} triples)")
        lines.append("")
        lines += _table(
            ["format", "ours s", "MB", "ours triples/s", "rdflib triples/s", "pyoxigraph triples/s", "ours ÷ rdflib"],
            rows,
        )
    return lines


def _view_section(views: dict[str, Any]) -> list[str]:
    lines = ["## 5. Graph view: generation time and page size", ""]
    if "skipped" in views:
        return [*lines, views["skipped"], ""]
    rows = [
        [
            f"{row['nodes']:,}",
            f"{row['edges']:,}",
            row["mode"],
            f"{row['median_s']:.3f}",
            f"{row['warm_s']:.3f}",
            f"{row['mb']:.2f}",
        ]
        for row in views["rows"]
    ]
    lines.append(
        f"`benchmarks.view_size.measure_view`: full view of synthetic graphs, cold cache, median of {views['repeats']}; "
        "standalone = assets inlined and every node's details embedded; served = the API's /graph page."
    )
    lines.append("")
    lines += _table(["nodes", "edges", "page", "median s (cold)", "warm s", "MB"], rows)
    return lines


def _civic_section(civic: dict[str, Any]) -> list[str]:
    lines = ["## 6. CIViC import (`kg import civic`), next to reading the same files with `csv`", ""]
    if "skipped" in civic:
        return [*lines, civic["skipped"], ""]
    imported, read = civic["import_s"], civic["csv_read_s"]
    lines.append(
        f"`kg.civic.import_civic` on the bundled release ({civic['release']}): {civic['rows']:,} TSV rows, "
        f"{civic['evidence_items']:,} evidence items; every row checked, mapped and reconciled with the curated "
        f"corpus ({civic['merges']} entities merged, {civic['outcomes_extracted']} outcomes extracted), then the "
        f"corpus rules. Baseline: `csv.DictReader` over the same files. Median of {imported['n']}, own process."
    )
    lines.append("")
    lines += _table(
        ["work", "median s (p10–p90)", "evidence items/s", "÷ csv read"],
        [
            [
                "import_civic",
                _spread(imported, 3),
                f"{civic['evidence_items_per_s']:,}",
                f"{civic['import_over_csv']:.1f}×",
            ],
            ["csv.DictReader only", _spread(read, 3), "—", "1.0×"],
            *(
                [
                    [
                        f"results grammar alone ({civic['statements']:,} statements)",
                        _spread(civic["extract_s"], 3),
                        f"{round(civic['statements'] / civic['extract_s']['median']):,}",
                        f"{civic['extract_s']['median'] / read['median']:.1f}×",
                    ]
                ]
                if "extract_s" in civic
                else []
            ),
        ],
    )
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    """The whole report."""
    lines = ["# evidence-kg benchmarks", ""]
    lines += _machine(results)
    lines += ["## Targets", ""]
    target_rows = [
        [
            t["target"],
            _f(t["measured"], 2 if (t["measured"] or 0) < 100 else 0),
            f"{'≤' if t['lower_is_better'] else '≥'} {t['target_value']:,}",
            t["baseline"] + (f" — {t['note']}" if t["note"] else ""),
            t["verdict"],
        ]
        for t in results["targets"]
    ]
    lines += _table(["target", "measured", "target", "baseline / context", "verdict"], target_rows)
    if results.get("scales"):
        lines += _build_section(results)
        lines += _query_section(results)
    if results.get("http"):
        lines += _http_section(results["http"])
        lines += before_after_section(results)
    if results.get("exports"):
        lines += _export_section(results["exports"])
    if results.get("views"):
        lines += _view_section(results["views"])
    if results.get("civic_import"):
        lines += _civic_section(results["civic_import"])
    if results.get("errors"):
        lines += ["## Errors", ""]
        lines += [
            f"- **{name}**: {message.splitlines()[-1] if message else ''}"
            for name, message in results["errors"].items()
        ]
        lines.append("")
    lines += ["## Method", "", *[f"- {note}" for note in METHOD_NOTES], ""]
    return "\n".join(lines)


METHOD_NOTES = (
    "Synthetic scale: the bundled corpus (curated seed paper + CIViC 2024-08-01, via `load_corpus`) plus "
    "n−1 replicas of every evidence item, source, study, population, outcome and assertion under fresh ids, "
    "with varied numbers (CI lower ≤ value ≤ upper kept); drugs, genes, alterations and diseases are shared, so "
    "each question matches n× more items (`benchmarks/synth.py`).",
    "Every comparison runs in the same run; latencies interleave the engines round by round; each build "
    "(networkx, pyoxigraph) runs in a fresh process so its peak RSS is its own.",
    "SPARQL twins of the engine's questions (`benchmarks/sparql_text.py`) reproduce its ranking (match "
    "tiers through the is_a closure, then level, design, rating, outcomes, id); row agreement is checked "
    "at every scale before timing.",
    "The machine is shared with other engineers' test runs: absolute times are noisy; ratios measured in "
    "the same process and round are the reliable numbers.",
)


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.report RESULTS.json``: render the Markdown again from stored results.

    For a change in the report's wording or targets, without measuring again.
    """
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description="Render the report again.")
    parser.add_argument("results", type=Path, help="RESULTS.json written by python -m benchmarks")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    results["targets"] = evaluate_targets(results)
    output = args.results.with_suffix(".md")
    output.write_text(render_markdown(results), encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
