"""Measurement 3b: where one uncached /evidence request's time goes, without sockets.

The HTTP numbers say *how fast*; this says *why*. In one process, the app
of :mod:`benchmarks.server` (response cache off) is called directly as an
ASGI application, so neither HTTP parsing nor the client's CPU is counted:

* ``ping``: the pre-serialized endpoint: routing and middleware, the floor;
* ``evidence``: the whole /evidence request of the HTTP benchmark;
* ``engine``: :func:`kg.query.engine.find_evidence` alone (resolve, match, rank, page);
* ``answer``: its JSON form, :func:`kg.query.answer.answer_payload` (explanations, payloads, summary);
* ``serialize``: orjson over that dict, as the endpoint does.

``evidence − ping − engine − answer − serialize`` is then FastAPI's share:
reading and validating the endpoint's 15 query parameters, dependencies and
the handler's own checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from benchmarks.stats import sample, summarize
from benchmarks.workload import ENDPOINTS

__all__ = ["measure_request_cost"]


def _asgi_get(app: Any, target: str) -> Callable[[], Any]:
    parts = urlsplit(target)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    async def call() -> None:
        status.clear()
        await app(dict(scope), receive, send)
        if status != [200]:
            raise RuntimeError(f"{target} answered {status}")

    return call


def measure_request_cost(scale: int, base: str, runs: int = 2000) -> dict[str, Any]:
    """Median milliseconds of each part of an uncached /evidence request at ``scale``."""
    from api.responses import dump
    from benchmarks.server import benchmark_app
    from benchmarks.synth import synthetic_corpus
    from kg.core.bulk import freeze_heap
    from kg.query.answer import answer_payload
    from kg.query.engine import EvidenceQuery, find_evidence
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(scale, base))
    kg.index  # noqa: B018 - built before timing
    freeze_heap()
    app = benchmark_app(kg, cache_size=0, store_tag=f"cost-{scale}")
    query = EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2 amplification",), disease="NSCLC")
    answer = answer_payload(find_evidence(kg, query))
    loop = asyncio.new_event_loop()
    try:
        ping, evidence = (_asgi_get(app, ENDPOINTS[name]) for name in ("ping", "evidence"))
        parts: dict[str, Callable[[], Any]] = {
            "ping": lambda: loop.run_until_complete(ping()),
            "evidence": lambda: loop.run_until_complete(evidence()),
            "engine": lambda: find_evidence(kg, query),
            "engine_and_answer": lambda: answer_payload(find_evidence(kg, query)),
            "serialize": lambda: dump(answer),
        }
        for action in parts.values():  # warm every cache the measured calls will use
            sample(action, runs=0, warmup=50)
        samples: dict[str, list[float]] = {name: [] for name in parts}
        for _ in range(5):  # interleaved rounds
            for name, action in parts.items():
                samples[name] += [seconds * 1000 for seconds in sample(action, runs // 5, warmup=0)]
    finally:
        loop.close()
    median = {name: summarize(values).median for name, values in samples.items()}
    engine = median["engine"]
    answer_ms = max(median["engine_and_answer"] - engine, 0.0)
    framework = median["evidence"] - median["ping"] - median["engine_and_answer"] - median["serialize"]
    return {
        "scale": scale,
        "runs": runs,
        "response_bytes": len(dump(answer)),
        "median_ms": {
            "ping": round(median["ping"], 4),
            "evidence": round(median["evidence"], 4),
            "engine": round(engine, 4),
            "answer": round(answer_ms, 4),
            "serialize": round(median["serialize"], 4),
            "parameters_and_handler": round(max(framework, 0.0), 4),
        },
    }
