"""Measurement 3: HTTP throughput and latency of /evidence and /ask next to a pre-serialized ceiling.

A real uvicorn (one worker, :mod:`benchmarks.server`) serves the API on
127.0.0.1; ``wrk`` (Debian's, in C: it leaves the second core to the
server) keeps 32 connections busy for a fixed duration per endpoint, with
endpoints interleaved round by round. ``/health/ping`` returns constant
pre-serialized bytes from the same app: the ceiling of this machine and
stack, against which /evidence and /ask are compared *per round*.

Two workloads are loaded: the one headline question (every request the
same path) and :func:`benchmarks.workload.distinct_questions` (1,000
distinct questions read off the graph, sent in turn by a ``wrk`` Lua
script, :func:`benchmarks.workload.wrk_script`): researchers rarely ask the
same question twice. Two servers are measured: with the API's response cache
(a repeated question is served from memory, as in production) and with it
off (every request resolves, ranks, explains and serializes). After the
timed runs every distinct question is asked once more and must answer 200. Without ``wrk``, a
bounded asyncio + httpx client does the same (its own CPU use then caps the
numbers; the results say which client ran). Then :mod:`benchmarks.request_cost`
splits one uncached request's time into its parts, at each scale.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.config import Config
from benchmarks.isolate import run_isolated
from benchmarks.request_cost import measure_request_cost
from benchmarks.server import ServerProcess
from benchmarks.stats import ratio, summarize
from benchmarks.workload import ENDPOINTS, distinct_questions, wrk_script

__all__ = ["DISTINCT", "measure_http", "parse_wrk"]

#: Name of the distinct-question workload's row (next to the one-question rows of ``ENDPOINTS``).
DISTINCT = "evidence_distinct"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, latency percentiles (ms), request and error counts from ``wrk --latency`` output."""
    result: dict[str, Any] = {}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps:
        raise ValueError(f"no Requests/sec in wrk output:\n{output}")
    result["requests_per_s"] = float(rps.group(1))
    for percent, value in re.findall(r"^\s*(50|75|90|99)%\s+(\S+)\s*$", output, flags=re.MULTILINE):
        result[f"p{percent}_ms"] = round(_ms(value), 3)
    if "p99_ms" not in result:
        raise ValueError(f"no latency distribution in wrk output:\n{output}")
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", output)
    if total:
        result["requests"] = int(total.group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors: (.*)", output)
    result["socket_errors"] = socket_errors.group(1).strip() if socket_errors else None
    return result


def _wrk(url: str, connections: int, duration: float, script: Path | None = None) -> dict[str, Any]:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        "10s",
        *(["--script", str(script)] if script is not None else []),
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return parse_wrk(completed.stdout)
    except ValueError as error:
        raise RuntimeError(
            f"wrk {url} failed ({completed.returncode}): {completed.stdout}{completed.stderr}"
        ) from error


async def _httpx_load(base: str, paths: list[str], connections: int, duration: float) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        deadline = time.perf_counter() + duration
        turn = 0

        async def worker() -> None:
            nonlocal failures, turn
            while time.perf_counter() < deadline:
                path = paths[turn % len(paths)]
                turn += 1
                started = time.perf_counter()
                response = await client.get(base + path)
                latencies.append((time.perf_counter() - started) * 1000)
                failures += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    stats = summarize(latencies)
    ordered = sorted(latencies)
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(stats.median, 3),
        "p75_ms": round(ordered[int(0.75 * (len(ordered) - 1))], 3),
        "p90_ms": round(stats.p90, 3),
        "p99_ms": round(stats.p99, 3),
        "requests": len(latencies),
        "non_2xx": failures,
        "socket_errors": None,
    }


def _load(base: str, paths: list[str], connections: int, duration: float, script: Path | None) -> dict[str, Any]:
    """Load ``paths`` (one, or several sent in turn through ``script``) for ``duration`` seconds."""
    if shutil.which("wrk"):
        return _wrk(base + paths[0], connections, duration, script if len(paths) > 1 else None)
    return asyncio.run(_httpx_load(base, paths, connections, duration))


def _probe(port: int, path: str) -> dict[str, Any]:
    """One request: status, body size, cache header (checked before loading the endpoint)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return {"status": response.status, "bytes": len(body), "x_cache": response.getheader("X-Cache")}
    finally:
        connection.close()


def _server_runs(scale: int, cache_size: int, config: Config, distinct: list[str], script: Path) -> dict[str, Any]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    workloads: dict[str, list[str]] = {name: [path] for name, path in ENDPOINTS.items()}
    workloads[DISTINCT] = distinct
    with ServerProcess(scale, config.base, port, cache_size):
        probes = {name: _probe(port, paths[0]) for name, paths in workloads.items()}
        probes_again = {name: _probe(port, paths[0]) for name, paths in workloads.items()}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in workloads}
        for _ in range(config.http_rounds):
            for name, paths in workloads.items():
                runs[name].append(_load(base, paths, config.http_connections, config.http_duration_s, script))
        statuses: dict[int, int] = {}
        sizes: list[int] = []
        for path in distinct:  # every distinct question answers (a benchmark of errors would mean nothing)
            probe = _probe(port, path)
            statuses[probe["status"]] = statuses.get(probe["status"], 0) + 1
            sizes.append(probe["bytes"])
    endpoints: dict[str, Any] = {}
    for name, samples in runs.items():
        rps = [run["requests_per_s"] for run in samples]
        per_round = [
            ratio(run["requests_per_s"], ping["requests_per_s"])
            for run, ping in zip(samples, runs["ping"], strict=True)
        ]
        endpoints[name] = {
            "path": workloads[name][0] if len(workloads[name]) == 1 else f"{len(workloads[name])} distinct paths",
            "response_bytes": probes[name]["bytes"] if name != DISTINCT else summarize(sizes).as_dict(0),
            "status": probes[name]["status"] if name != DISTINCT else {str(k): v for k, v in sorted(statuses.items())},
            "x_cache_second_request": probes_again[name]["x_cache"],
            "requests_per_s": summarize(rps).as_dict(1),
            "p50_ms": summarize([run["p50_ms"] for run in samples]).as_dict(3),
            "p99_ms": summarize([run["p99_ms"] for run in samples]).as_dict(3),
            "share_of_ping": summarize([r for r in per_round if r is not None]).as_dict(3) if name != "ping" else None,
            "non_2xx": sum(run["non_2xx"] for run in samples),
            "runs": samples,
        }
    return {"scale": scale, "response_cache_size": cache_size, "endpoints": endpoints}


def _workload_graph(config: Config) -> Any:
    """The base corpus's graph: the distinct questions are read off it (the same at every scale)."""
    from benchmarks.synth import base_corpus
    from kg.runtime.knowledge_graph import KnowledgeGraph

    return KnowledgeGraph.from_corpus(base_corpus(config.base))


def measure_http(config: Config) -> dict[str, Any]:
    """Per scale in ``config.http_scales``: a server with the response cache, then one without."""
    result: dict[str, Any] = {
        "client": "wrk -t1" if shutil.which("wrk") else "asyncio + httpx",
        "connections": config.http_connections,
        "duration_s": config.http_duration_s,
        "rounds": config.http_rounds,
        "servers": [],
    }
    errors: list[str] = []
    distinct = [question.path for question in distinct_questions(_workload_graph(config))]
    result["distinct_questions"] = len(distinct)
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-wrk-"))
    try:
        script = scratch / "distinct.lua"
        script.write_text(wrk_script(distinct), encoding="utf-8")
        for scale in config.http_scales:
            for cache_size in config.http_cache_sizes:
                try:
                    result["servers"].append(_server_runs(scale, cache_size, config, distinct, script))
                except (RuntimeError, TimeoutError, OSError) as error:  # one server failing must not lose the others
                    errors.append(f"{scale}×, cache {cache_size}: {error}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if errors:
        result["errors"] = errors
        if not result["servers"]:
            raise RuntimeError("; ".join(errors))
    result["request_cost"] = [
        run_isolated(measure_request_cost, scale, config.base, config.request_cost_runs)[0]
        for scale in config.http_scales
    ]
    return result
