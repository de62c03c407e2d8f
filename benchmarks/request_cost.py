"""Measurement 3b: where an uncached /evidence request's time goes, without sockets.

The HTTP numbers say *how fast*; this says *why*. In one process, the app
of :mod:`benchmarks.server` (response cache off) is called directly as an
ASGI application, so neither HTTP parsing nor the client's CPU is counted.
For the headline question (the one-question workload):

* ``ping``: the pre-serialized endpoint: routing and middleware, the floor;
* ``evidence``: the whole /evidence request of the HTTP benchmark;
* ``engine``: :func:`kg.query.engine.find_evidence` alone (resolve, match, rank, page);
* ``answer``: its JSON bytes as the endpoint makes them (explanations, payloads, summary, serialization);

``evidence − ping − engine − answer`` is then the share of reading the
query string into a question, the dependencies and the handler.

The same split is taken over the distinct-question workload
(:func:`benchmarks.workload.distinct_questions`): per question, median over
the workload, after a first pass (``first_pass``: every memo of the graph
cleared before it, so each item's payload and each explanation is built
the first time it is shown). ``headline_cold_ms`` is the headline answer
with every memo cleared before each call.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from benchmarks.stats import sample, summarize
from benchmarks.workload import ENDPOINTS, distinct_questions

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


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_request_cost(scale: int, base: str, runs: int = 2000) -> dict[str, Any]:
    """Median milliseconds of each part of an uncached /evidence request at ``scale``, one question and many."""
    from benchmarks.server import benchmark_app
    from benchmarks.synth import synthetic_corpus
    from kg.core.bulk import freeze_heap
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(scale, base))
    kg.index  # noqa: B018 - built before timing
    freeze_heap()
    app = benchmark_app(kg, cache_size=0, store_tag=f"cost-{scale}")
    engine, answer = _parts(kg)
    query = _query(ENDPOINTS["evidence"])
    loop = asyncio.new_event_loop()
    try:
        ping, evidence = (_asgi_get(app, ENDPOINTS[name]) for name in ("ping", "evidence"))
        parts: dict[str, Callable[[], Any]] = {
            "ping": lambda: loop.run_until_complete(ping()),
            "evidence": lambda: loop.run_until_complete(evidence()),
            "engine": lambda: engine(query),
            "engine_and_answer": lambda: answer(engine(query)),
        }
        for action in parts.values():  # warm every cache the measured calls will use
            sample(action, runs=0, warmup=50)
        samples: dict[str, list[float]] = {name: [] for name in parts}
        for _ in range(5):  # interleaved rounds
            for name, action in parts.items():
                samples[name] += [seconds * 1000 for seconds in sample(action, runs // 5, warmup=0)]

        def cold_answer() -> bytes:
            kg.memo.clear()
            return answer(engine(query))

        cold = [_timed(cold_answer) for _ in range(max(5, runs // 20))]
        distinct = _distinct(kg, app, loop, engine, answer)
    finally:
        loop.close()
    median = {name: summarize(values).median for name, values in samples.items()}
    return {
        "scale": scale,
        "runs": runs,
        "response_bytes": len(answer(engine(query))),
        "median_ms": _split(median),
        "headline_cold_ms": summarize(cold).as_dict(4),
        "distinct": distinct,
    }


def _split(median: dict[str, float]) -> dict[str, float]:
    engine = median["engine"]
    answer_ms = max(median["engine_and_answer"] - engine, 0.0)
    rest = median["evidence"] - median["ping"] - median["engine_and_answer"]
    return {
        "ping": round(median["ping"], 4),
        "evidence": round(median["evidence"], 4),
        "engine": round(engine, 4),
        "answer": round(answer_ms, 4),
        "parameters_and_handler": round(max(rest, 0.0), 4),
    }


def _distinct(kg: Any, app: Any, loop: Any, engine: Any, answer: Any) -> dict[str, Any]:
    """The split over the distinct questions: a first pass from cleared memos, then two warm passes."""
    questions = [question.path for question in distinct_questions(kg)]
    queries = [_query(path) for path in questions]
    ping = _asgi_get(app, ENDPOINTS["ping"])
    requests = [_asgi_get(app, path) for path in questions]

    def run(call: Callable[[], Any]) -> Callable[[], Any]:
        return lambda: loop.run_until_complete(call())

    def engine_of(query: Any) -> Callable[[], Any]:
        return lambda: engine(query)

    def answer_of(query: Any) -> Callable[[], Any]:
        return lambda: answer(engine(query))

    kg.memo.clear()
    first = [_timed(run(request)) for request in requests]
    per_part: dict[str, list[float]] = {"ping": [], "evidence": [], "engine": [], "engine_and_answer": []}
    for _ in range(2):
        for request, query in zip(requests, queries, strict=True):
            # One untimed answer first: at 100x the memos hold fewer answers than there are questions, so without
            # it the request, timed first, would pay the memo misses the engine and answer calls after it do not,
            # and that cost would show as "parameters and handler".
            answer_of(query)()
            per_part["ping"].append(_timed(run(ping)))
            per_part["evidence"].append(_timed(run(request)))
            per_part["engine"].append(_timed(engine_of(query)))
            per_part["engine_and_answer"].append(_timed(answer_of(query)))
    median = {name: summarize(values).median for name, values in per_part.items()}
    return {
        "questions": len(questions),
        "first_pass_ms": summarize(first).as_dict(4),
        "evidence_ms": summarize(per_part["evidence"]).as_dict(4),
        "median_ms": _split(median),
    }


def _parts(kg: Any) -> tuple[Callable[[Any], Any], Callable[[Any], bytes]]:
    """The engine and the answer's bytes as the /evidence endpoint makes them."""
    from kg.query.engine import find_evidence

    try:
        from kg.query.answer import answer_json  # the fast path: assembled from pre-serialized parts

        return (lambda query: find_evidence(kg, query)), answer_json
    except ImportError:  # the code before the fast path: a dict, then orjson
        from api.responses import dump
        from kg.query.answer import answer_payload

        return (lambda query: find_evidence(kg, query)), (lambda found: dump(answer_payload(found)))


def _query(path: str) -> Any:
    """The question of an /evidence path, as the endpoint reads it."""
    from urllib.parse import parse_qsl

    from kg.query.evidence_query import EvidenceQuery
    from kg.runtime.index import FILTERS

    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(path).query, keep_blank_values=True):
        values.setdefault(name, []).append(value)
    fields: dict[str, Any] = {}
    for name in ("therapy", "alteration", "gene", "molecular_profile"):
        if name in values:
            fields[name] = tuple(values[name])
    if "disease" in values:
        fields["disease"] = values["disease"][-1]
    for spec in FILTERS:
        if spec.name in values:
            fields[spec.name] = tuple(spec.values(value) for value in values[spec.name])
    for name in ("offset", "limit"):
        if name in values:
            fields[name] = int(values[name][-1])
    return EvidenceQuery(**fields)
