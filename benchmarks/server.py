"""A real uvicorn (one worker) serving the API over a synthetic corpus, for the HTTP benchmark.

``python -m benchmarks.server --scale 1 --port 8765 [--cache-size 0]``
builds the knowledge graph of the scaled corpus and serves
``api.app.create_app`` on 127.0.0.1 with the API's default settings, except:
the SPARQL store is not warmed in the background (it would compete for the
CPU with the requests being measured; /sparql is not benchmarked here),
``--cache-size`` sets the response cache (0 = every request computes), and
uvicorn's access log is off (``kg serve`` logs each request at ``info``).
"""

from __future__ import annotations

import argparse
import http.client
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.isolate import child_env

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["ServerProcess", "benchmark_app", "main"]


class ServerProcess:
    """The benchmark server as a child process: start, wait until it answers, stop."""

    def __init__(self, scale: int, base: str, port: int, cache_size: int) -> None:
        self.port = port
        self.command = [
            sys.executable,
            "-m",
            "benchmarks.server",
            "--scale",
            str(scale),
            "--base",
            base,
            "--port",
            str(port),
            "--cache-size",
            str(cache_size),
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, env=child_env())
        wait_until_up(self.port, "/health/ping", timeout=600, process=self.process)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until_up(
    port: int, path: str, timeout: float, process: subprocess.Popen[bytes] | None = None, interval: float = 0.01
) -> float:
    """Seconds until ``GET path`` on 127.0.0.1:``port`` answers 200 (polling every ``interval``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(interval)
    raise TimeoutError(f"nothing answered 200 on 127.0.0.1:{port}{path} within {timeout} s")


def benchmark_app(kg: KnowledgeGraph, cache_size: int, store_tag: str) -> FastAPI:
    """The API's app with its default settings, except those in the module docstring."""
    from api.app import create_app
    from api.settings import ApiSettings

    settings = ApiSettings(
        response_cache_size=cache_size,
        sparql_warm_start=False,
        sparql_store_dir=Path(f"/tmp/kg-bench-sparql-{store_tag}"),
    )
    return create_app(kg, settings=settings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--base", default="full")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cache-size", type=int, default=2048)
    args = parser.parse_args(argv)

    import uvicorn

    from benchmarks.synth import synthetic_corpus
    from kg.core.bulk import freeze_heap
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(args.scale, args.base))
    kg.index  # noqa: B018 - built before serving, not by the first measured request
    freeze_heap()  # as `kg serve` does
    uvicorn.run(
        benchmark_app(kg, args.cache_size, str(args.port)),
        host="127.0.0.1",
        port=args.port,
        workers=1,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
