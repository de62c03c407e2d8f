"""Results → ``RESULTS.md`` (tables, targets met or missed) next to the machine-readable JSON."""

from __future__ import annotations

from typing import Any

from benchmarks.before_after import before_after_section
from benchmarks.markdown import number, spread, table
from benchmarks.report_http import http_section
from benchmarks.targets import TARGETS, evaluate_targets

__all__ = ["TARGETS", "evaluate_targets", "main", "render_markdown"]


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
            f"{spread(rd['wall_s'])} s, +{rd['rss_growth_mib']:,.0f} MiB" if "wall_s" in rd else "infeasible (not run)"
        )
        ratio_ox = ox["wall_s"]["median"] / nx_["wall_s"]["median"]
        ratio_rd = f"{rd['wall_s']['median'] / nx_['wall_s']['median']:.1f}×" if "wall_s" in rd else "—"
        rows.append(
            [
                f"{r['scale']}×",
                f"{r['counts']['evidence']:,}",
                f"{nx_['nodes']:,} / {nx_['edges']:,}",
                f"{r['ntriples']['triples']:,}",
                f"{spread(nx_['wall_s'], 2)} s (CPU {nx_['cpu_s']['median']:.2f})",
                f"{nx_['peak_rss_mib']:,.0f} MiB (records {nx_['records_rss_mib']:,.0f}, +{nx_['build_growth_mib']:,.0f})",
                f"{spread(ox['wall_s'], 2)} s + optimize {ox.get('optimize_s', float('nan')):,.1f} s, "
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
    lines += table(
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
        lines += table(
            ["corpus cache", "median s (p10–p90)", "runs"],
            [
                [
                    "cold (empty cache dir)",
                    spread(cold["cold_cache_s"], 2),
                    ", ".join(f"{x:.2f}" for x in cold["cold_runs"]),
                ],
                [
                    "warm (second start)",
                    spread(cold["warm_cache_s"], 2),
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
                    number(q["ratios"].get("oxigraph_p50_over_engine_p50"), 1, "×"),
                    number(q["ratios"].get("rdflib_p50_over_engine_p50"), 0, "×"),
                ]
            )
        lines.append(f"### {r['scale']}× ({r['counts']['evidence']:,} evidence items)")
        lines.append("")
        lines += table(
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
                    number(ours.get("triples_per_s"), 0),
                    number(rd["triples_per_s"], 0) if rd else "—",
                    number(ox["triples_per_s"], 0) if ox else "—",
                    number(export["ours_over_rdflib"].get(fmt), 1, "×"),
                ]
            )
        lines.append(f"### {export['scale']}× ({export['triples']:,} triples)")
        lines.append("")
        lines += table(
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
    lines += table(["nodes", "edges", "page", "median s (cold)", "warm s", "MB"], rows)
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
    lines += table(
        ["work", "median s (p10–p90)", "evidence items/s", "÷ csv read"],
        [
            [
                "import_civic, cold" if "import_warm_s" in civic else "import_civic",
                spread(imported, 3),
                f"{civic['evidence_items_per_s']:,}",
                f"{civic['import_over_csv']:.1f}×",
            ],
            *(
                [
                    [
                        "import_civic, warm (outcomes kept by an earlier import)",
                        spread(civic["import_warm_s"], 3),
                        f"{round(civic['evidence_items'] / civic['import_warm_s']['median']):,}",
                        f"{civic['import_warm_s']['median'] / read['median']:.1f}×",
                    ]
                ]
                if "import_warm_s" in civic
                else []
            ),
            ["csv.DictReader only", spread(read, 3), "—", "1.0×"],
            *(
                [
                    [
                        f"results grammar alone ({civic['statements']:,} statements)",
                        spread(civic["extract_s"], 3),
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
            number(t["measured"], 2 if (t["measured"] or 0) < 100 else 0),
            f"{'≤' if t['lower_is_better'] else '≥'} {t['target_value']:,}",
            t["baseline"] + (f" — {t['note']}" if t["note"] else ""),
            t["verdict"],
        ]
        for t in results["targets"]
    ]
    lines += table(["target", "measured", "target", "baseline / context", "verdict"], target_rows)
    if results.get("scales"):
        lines += _build_section(results)
        lines += _query_section(results)
    if results.get("http"):
        lines += http_section(results["http"])
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
