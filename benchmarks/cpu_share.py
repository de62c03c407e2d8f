"""CPU time per request of /evidence over the distinct questions, next to ping's: a share of ping that load does not move.

On a shared machine, wall-clock rates move with everyone else's load; the
CPU time this process spends per request moves much less. In one process,
the app of :mod:`benchmarks.server` (response cache off) is called as ASGI
(:func:`benchmarks.request_cost._asgi_get`) for every question of
:func:`benchmarks.workload.distinct_questions` (after one warm-up pass),
then ``/health/ping`` as many times, in interleaved rounds; the result is
the CPU milliseconds per request of each and their ratio (ping ÷ evidence,
the in-process analogue of the HTTP benchmark's share of ping).

Run it in a checkout, or against another one (the code on ``PYTHONPATH``
is measured, this file only drives it)::

    python -m benchmarks.cpu_share --scale 1
    cd /tmp/other-checkout && PYTHONPATH=$PWD python /path/to/benchmarks/cpu_share.py --scale 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

__all__ = ["measure_cpu_share"]


def measure_cpu_share(scale: int = 1, base: str = "full", rounds: int = 3) -> dict[str, Any]:
    """CPU ms per request (evidence over the distinct questions, and ping) per round, and their ratio."""
    from benchmarks.request_cost import _asgi_get
    from benchmarks.server import benchmark_app
    from benchmarks.synth import synthetic_corpus
    from benchmarks.workload import ENDPOINTS, distinct_questions
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(scale, base))
    kg.index  # noqa: B018 - built before timing
    app = benchmark_app(kg, cache_size=0, store_tag=f"cpu-{scale}")
    loop = asyncio.new_event_loop()
    try:
        requests = [_asgi_get(app, question.path) for question in distinct_questions(kg)]
        ping = _asgi_get(app, ENDPOINTS["ping"])
        for request in requests:  # warm-up pass: the memos hold what a long-running server's would
            loop.run_until_complete(request())
        per_round = []
        for _ in range(rounds):
            started = time.process_time()
            for request in requests:
                loop.run_until_complete(request())
            evidence = (time.process_time() - started) * 1000 / len(requests)
            started = time.process_time()
            for _ in requests:
                loop.run_until_complete(ping())
            ping_ms = (time.process_time() - started) * 1000 / len(requests)
            per_round.append({"evidence_ms": round(evidence, 4), "ping_ms": round(ping_ms, 4)})
    finally:
        loop.close()
    ratios = sorted(row["ping_ms"] / row["evidence_ms"] for row in per_round)
    return {"scale": scale, "questions": len(requests), "rounds": per_round, "ping_over_evidence": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--base", default="full")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure_cpu_share(args.scale, args.base, args.rounds)))


if __name__ == "__main__":
    main()
