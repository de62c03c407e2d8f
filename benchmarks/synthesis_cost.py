"""What one uncached ``/synthesis`` request costs, next to ``/evidence`` for the same question.

``python -m benchmarks.synthesis_cost --scales 1 100`` (``--runs`` per
request; default 1000, a tenth of that at scales above 10).

The app of :mod:`benchmarks.server` (response cache off, so every request
computes) is called directly as an ASGI application, as
:mod:`benchmarks.request_cost` does, so HTTP parsing and the client's CPU are
not counted. For the headline question
(``therapy=pyrotinib&alteration=HER2 amplification&disease=NSCLC``):

* ``evidence``: ``/evidence`` as a client asks it (its default page of 20);
* ``synthesis``: ``/synthesis`` as a client asks it (its default of 100
  items: a synthesis compares every item it can, so it synthesises more items
  than /evidence pages);
* ``synthesis_20``: ``/synthesis`` with ``limit=20``, the same items as ``/evidence``;
* in process, without the framework: :func:`~kg.query.answer.answer_payload`
  against :func:`~kg.query.synthesis.synthesis_payload` over the same
  :func:`~kg.query.engine.find_evidence` answer.

The first ``/synthesis`` call on a fresh graph (after one ``/evidence``
call, which pays the app's and the engine's first-request costs) is timed
on its own: it fills the per-item row memo (:data:`kg.query.synthesis.ROWS`) that later calls read.
The Markdown section is appended to ``benchmarks/RESULTS.md`` (or replaces
the section this module wrote before), leaving the other sections alone.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.request_cost import _asgi_get
from benchmarks.stats import sample, summarize
from benchmarks.workload import ENDPOINTS

__all__ = ["measure_synthesis_cost", "render_section"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## 7. /synthesis next to /evidence (one uncached request, in process)"
_QUESTION = ENDPOINTS["evidence"].split("?", 1)[1]
REQUESTS = {
    "evidence": ENDPOINTS["evidence"],
    "synthesis": f"/synthesis?{_QUESTION}",
    "synthesis_20": f"/synthesis?{_QUESTION}&limit=20",
}


def _bytes(app: Any, target: str) -> int:
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get(target)
        response.raise_for_status()
        return len(response.content)


def _blocking(loop: asyncio.AbstractEventLoop, call: Callable[[], Any]) -> Callable[[], Any]:
    return lambda: loop.run_until_complete(call())


def measure_synthesis_cost(scale: int, runs: int, base: str = "full") -> dict[str, Any]:
    """Median (and p90) milliseconds of each request at ``scale``, with response sizes and rows."""
    from benchmarks.server import benchmark_app
    from benchmarks.synth import synthetic_corpus
    from kg.core.bulk import freeze_heap
    from kg.query.answer import answer_payload
    from kg.query.engine import find_evidence
    from kg.query.evidence_query import EvidenceQuery
    from kg.query.synthesis import synthesis_payload
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(scale, base))
    kg.index  # noqa: B018 - built before timing
    freeze_heap()
    app = benchmark_app(kg, cache_size=0, store_tag=f"synthesis-{scale}")
    loop = asyncio.new_event_loop()
    try:
        calls = {name: _asgi_get(app, target) for name, target in REQUESTS.items()}
        loop.run_until_complete(calls["evidence"]())  # the app's own first-request costs, and the engine's memo
        started = time.perf_counter()
        loop.run_until_complete(calls["synthesis"]())
        first_ms = (time.perf_counter() - started) * 1000
        parts: dict[str, Callable[[], Any]] = {name: _blocking(loop, call) for name, call in calls.items()}
        q20, q100 = (
            EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2 amplification",), disease="NSCLC", limit=limit)
            for limit in (20, 100)
        )
        parts["answer_payload_20"] = lambda: answer_payload(find_evidence(kg, q20))
        parts["synthesis_payload_20"] = lambda: synthesis_payload(find_evidence(kg, q20))
        parts["synthesis_payload_100"] = lambda: synthesis_payload(find_evidence(kg, q100))
        for action in parts.values():  # warm every cache the measured calls will use
            sample(action, runs=0, warmup=20)
        samples: dict[str, list[float]] = {name: [] for name in parts}
        for _ in range(5):  # interleaved rounds
            for name, action in parts.items():
                samples[name] += [seconds * 1000 for seconds in sample(action, max(runs // 5, 1), warmup=0)]
        payload = synthesis_payload(find_evidence(kg, q100))
    finally:
        loop.close()
    stats = {name: summarize(values) for name, values in samples.items()}
    return {
        "scale": scale,
        "runs": runs,
        "evidence_items": len(kg.index.items),
        "matches": payload["total"],
        "synthesis_items": payload["items"],
        "synthesis_rows": payload["rows"],
        "bytes": {name: _bytes(app, target) for name, target in REQUESTS.items()},
        "first_synthesis_ms": round(first_ms, 2),
        "median_ms": {name: round(s.median, 3) for name, s in stats.items()},
        "p90_ms": {name: round(s.p90, 3) for name, s in stats.items()},
    }


def _ratio(result: dict[str, Any], name: str) -> str:
    return f"{result['median_ms'][name] / result['median_ms']['evidence']:.2f}×"


def render_section(results: Sequence[dict[str, Any]], command: str) -> str:
    """The Markdown section for RESULTS.md."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    lines = [
        HEADING,
        "",
        f"- **Date:** {datetime.now(UTC).isoformat(timespec='seconds')}; **command:** `{command}`; "
        f"**code:** commit {commit.stdout.strip() or '?'} (branch synthesis); {platform.python_version()}; "
        "2 shared cores (other engineers' test suites were running).",
        "- `benchmarks.synthesis_cost`: the app of `benchmarks.server` with the response cache off, called as ASGI "
        "(no sockets); median ms (p90) over 5 interleaved rounds. The question is the headline "
        "(`therapy=pyrotinib&alteration=HER2 amplification&disease=NSCLC`). Target: /synthesis ≤ 2× /evidence.",
        "",
        "| scale | matches | /evidence (20 items) | /synthesis, limit=20 | /synthesis, default 100 items | "
        "first /synthesis on a fresh graph | bytes /evidence · /synthesis 20 · 100 | items · rows synthesised |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m, p, b = r["median_ms"], r["p90_ms"], r["bytes"]
        lines.append(
            f"| {r['scale']}× | {r['matches']:,} | {m['evidence']:.2f} ({p['evidence']:.2f}) | "
            f"{m['synthesis_20']:.2f} ({p['synthesis_20']:.2f}), {_ratio(r, 'synthesis_20')} | "
            f"{m['synthesis']:.2f} ({p['synthesis']:.2f}), {_ratio(r, 'synthesis')} | {r['first_synthesis_ms']:.1f} | "
            f"{b['evidence']:,} · {b['synthesis_20']:,} · {b['synthesis']:,} | {r['synthesis_items']} · {r['synthesis_rows']} |"
        )
    lines += [
        "",
        "In process, without the framework: `find_evidence` then the answer's JSON-ready dict (median ms):",
        "",
        "| scale | + answer_payload, 20 items | + synthesis_payload, 20 items | + synthesis_payload, 100 items |",
        "|---|---|---|---|",
    ]
    for r in results:
        m = r["median_ms"]
        lines.append(
            f"| {r['scale']}× | {m['answer_payload_20']:.3f} | {m['synthesis_payload_20']:.3f} | "
            f"{m['synthesis_payload_100']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def write_section(section: str, output: Path = RESULTS) -> None:
    """Append ``section`` to ``output``, or replace the section with the same heading (up to the next ``## ``)."""
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    output.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthesis_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = []
    for scale in args.scales:
        runs = args.runs if scale <= 10 else max(args.runs // 10, 25)
        results.append(measure_synthesis_cost(scale, runs))
        print(results[-1], flush=True)
    command = "python -m benchmarks.synthesis_cost " + " ".join(argv if argv is not None else sys.argv[1:])
    write_section(render_section(results, command), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
