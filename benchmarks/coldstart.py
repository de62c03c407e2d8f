"""Measurement 1b: cold start of ``kg serve`` on the bundled data, to the first successful ``/health``.

The clock starts just before the process is created and stops at the first
200 answer of ``GET /health`` on 127.0.0.1 (polled every 10 ms), so it
includes interpreter start-up, imports, loading the corpus, building the
graph and starting uvicorn. Two cases, each a median of several runs:

* **cold cache** — ``EVIDENCE_KG_CACHE`` points at a new empty directory:
  the curated data is validated and the CIViC release imported from scratch
  (and the SPARQL store starts building in a background thread);
* **warm cache** — the same directory again, after the last cold run was
  left running until its SPARQL store was built: the validated corpus is
  read from :mod:`kg.curation.cache`'s pickle and the store is reused, as on a
  researcher's second ``kg serve``.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.config import Config
from benchmarks.server import wait_until_up
from benchmarks.stats import summarize

__all__ = ["measure_cold_start", "serve_command"]


def serve_command(port: int, civic: bool) -> list[str]:
    """The ``kg serve`` command line of this environment."""
    script = Path(sys.executable).with_name("kg")
    launcher = [str(script)] if script.is_file() else [sys.executable, "-c", "from kg.cli import main; main()"]
    return [*launcher, "serve", "--host", "127.0.0.1", "--port", str(port), "--civic" if civic else "--no-civic"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sparql_state(port: int) -> str | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/health")
        return json.loads(connection.getresponse().read()).get("sparql", {}).get("state")
    except (OSError, ValueError):
        return None
    finally:
        connection.close()


def _start_once(cache_dir: Path, civic: bool, settle: bool = False) -> float:
    """Seconds to the first /health; ``settle`` keeps the server until its SPARQL store is built."""
    port = _free_port()
    env = {**os.environ, "EVIDENCE_KG_CACHE": str(cache_dir)}
    started = time.perf_counter()
    process = subprocess.Popen(
        serve_command(port, civic), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, "/health", timeout=300, process=process)
        seconds = time.perf_counter() - started
        deadline = time.perf_counter() + 600
        while settle and _sparql_state(port) == "building" and time.perf_counter() < deadline:
            time.sleep(0.2)
        return seconds
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure_cold_start(config: Config) -> dict[str, Any]:
    """Median seconds to the first /health answer, with a cold and with a warm corpus cache."""
    cold: list[float] = []
    warm: list[float] = []
    root = Path(tempfile.mkdtemp(prefix="kg-bench-serve-"))
    try:
        for run in range(config.cold_runs):
            cache_dir = root / f"cache{run}"
            cache_dir.mkdir()
            last = run == config.cold_runs - 1
            cold.append(_start_once(cache_dir, config.serve_civic, settle=last and config.settle_store))
            if last:
                for _ in range(config.warm_runs):
                    warm.append(_start_once(cache_dir, config.serve_civic))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "command": " ".join(serve_command(0, config.serve_civic)).replace("--port 0", "--port <free port>"),
        "cold_cache_s": summarize(cold).as_dict(3),
        "warm_cache_s": summarize(warm).as_dict(3),
        "cold_runs": [round(x, 3) for x in cold],
        "warm_runs": [round(x, 3) for x in warm],
    }
