"""``python -m benchmarks --scales 1 10 [100] [--quick] [--output benchmarks/RESULTS.md]``.

Runs the six measurements (build and cold start, question latency, HTTP,
exports, graph view, CIViC import), each next to its baseline, and writes the report
(Markdown) and the raw results (JSON, same name with ``.json``).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.config import Config, full, quick
from benchmarks.machine import describe_machine
from benchmarks.report import evaluate_targets, render_markdown

__all__ = ["MEASUREMENTS", "main", "run"]

MEASUREMENTS = ("scales", "cold_start", "http", "exports", "views", "civic_import")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "RESULTS.md"


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    scales: Sequence[int],
    config: Config,
    only: Sequence[str] = MEASUREMENTS,
    command: str = "",
    log: Callable[[str], None] = _log,
) -> dict[str, Any]:
    """Every selected measurement; a failing one is recorded under ``errors`` and the others still run."""
    from benchmarks.civic_import import measure_civic_import
    from benchmarks.coldstart import measure_cold_start
    from benchmarks.http_load import measure_http
    from benchmarks.isolate import run_isolated
    from benchmarks.scale import run_scale
    from benchmarks.views import measure_views

    started = time.perf_counter()
    results: dict[str, Any] = {
        "command": command,
        "machine": describe_machine(),
        "config": config.as_dict(),
        "scales": [],
        "exports": [],
        "errors": {},
    }

    def attempt(name: str, action: Callable[[], Any]) -> Any:
        log(f"{name} …")
        step = time.perf_counter()
        try:
            value = action()
        except Exception:
            results["errors"][name] = traceback.format_exc()
            log(f"{name} FAILED:\n{results['errors'][name]}")
            return None
        log(f"{name} done in {time.perf_counter() - step:.0f} s")
        return value

    if "scales" in only or "exports" in only:
        chosen = scales if "scales" in only else tuple(s for s in scales if s in config.export_scales)
        for scale in chosen:
            exports = "exports" in only and scale in config.export_scales
            value = attempt(
                f"build and questions at {scale}×" + (" (and exports)" if exports else ""),
                lambda scale=scale, exports=exports: run_scale(scale, config, exports),
            )
            if value is not None:
                export = value.pop("exports", None)
                if export is not None:
                    results["exports"].append(export)
                if "scales" in only:
                    results["scales"].append(value)
    if "cold_start" in only:
        results["cold_start"] = attempt("kg serve cold start", lambda: measure_cold_start(config))
    if "http" in only:
        results["http"] = attempt("HTTP load", lambda: measure_http(config))
    if "views" in only:
        views = attempt("graph views", lambda: run_isolated(measure_views, config)[0])
        results["views"] = views
    if "civic_import" in only:
        results["civic_import"] = attempt("CIViC import", lambda: run_isolated(measure_civic_import, config)[0])
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = evaluate_targets(results)
    return results


def write_results(results: dict[str, Any], output: Path) -> tuple[Path, Path]:
    """Write ``output`` (Markdown) and the same name with ``.json``; return both paths."""
    output.parent.mkdir(parents=True, exist_ok=True)
    data = output.with_suffix(".json")
    data.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    output.write_text(render_markdown(results), encoding="utf-8")
    return output, data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Speed, memory and scale of evidence-kg, each next to the stack's own baseline "
        "(make bench: --scales 1 10; make bench-full: --scales 1 10 100).",
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="replication factors (1 = bundled data)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and shorter runs")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown report (JSON next to it)")
    parser.add_argument(
        "--only", nargs="+", choices=MEASUREMENTS, default=list(MEASUREMENTS), help="measurements to run"
    )
    args = parser.parse_args(argv)
    if any(scale < 1 for scale in args.scales):
        parser.error("scales are replication factors ≥ 1")
    scales = tuple(sorted(set(args.scales)))
    config = quick(scales) if args.quick else full(scales)
    command = "python -m benchmarks " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    results = run(scales, config, args.only, command=command)
    markdown, data = write_results(results, args.output)
    _log(f"wrote {markdown} and {data}")
    for target in results["targets"]:
        _log(f"{target['verdict']:>28} | {target['target']}: {target['measured']}")
    return 1 if results["errors"] else 0
