"""A real uvicorn on 127.0.0.1, queried over HTTP with httpx.

TestClient calls the ASGI app in-process; this starts the server the way
``kg serve`` does (a separate process running uvicorn on a free loopback
port) so the HTTP layer itself (parsing, headers, keep-alive, the
lifespan with its background SPARQL build) is exercised too.
:func:`running_server` is shared with the SPARQL-over-HTTP tests.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.settings import ApiSettings
from tests.conftest import DATA_DIR, REPO

# One worker per module under xdist (--dist loadgroup), so its server starts once.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("uvicorn-server")]

# How ``kg serve`` should start: the graph loads in the background, the server answers at once.
_LAUNCHER = """
import sys
import time
import uvicorn
from pathlib import Path
from api.app import create_app
from api.settings import ApiSettings
from kg.runtime.knowledge_graph import load_knowledge_graph

data, civic, settings_json, port, delay = sys.argv[1:6]


def load():
    time.sleep(float(delay))  # tests: a slow load must not delay the first answer
    return load_knowledge_graph(Path(data), include_civic=civic == "civic")


app = create_app(loader=load, settings=ApiSettings.model_validate_json(settings_json))
uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")
"""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: Base URL of a running server → the file its stderr goes to (for failure messages).
SERVER_LOGS: dict[str, Path] = {}


def server_log(base: str, tail: int = 4000) -> str:
    """The end of what the server at ``base`` wrote to stderr."""
    path = SERVER_LOGS.get(base)
    return path.read_text(errors="replace")[-tail:] if path and path.exists() else ""


@contextmanager
def running_server(
    settings: ApiSettings, *, civic: bool = True, startup_timeout: float = 90.0, load_delay: float = 0.0
) -> Iterator[str]:
    """Start uvicorn serving the bundled data in a subprocess; yield its base URL; stop it.

    The server's stderr goes to a file (a pipe nobody reads would block it once full).
    """
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="evidence-kg-server-")) / "stderr.log"
    log_file = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _LAUNCHER,
            str(DATA_DIR),
            "civic" if civic else "curated",
            settings.model_dump_json(),
            str(port),
            str(load_delay),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    base = f"http://127.0.0.1:{port}"
    SERVER_LOGS[base] = log
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {server_log(base)}")
            try:
                if httpx.get(f"{base}/health/ping", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer within the start-up timeout")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log_file.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("server-store")
    settings = ApiSettings(sparql_store_dir=Path(store), sparql_timeout_s=2, max_query_string=8192)
    with running_server(settings) as url:
        yield url


def wait_until_loaded(client: httpx.Client, timeout_s: float = 180.0) -> None:
    """Wait for ``/health`` to stop answering 503 ``loading``: the data loads in the background after start-up.

    The tests below are about answers, not about how long a load takes on a
    busy machine (``test_first_request_does_not_wait_for_the_data`` is about
    that), so they start once the graph is in.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        response = client.get("/health")
        if response.status_code != 503 or response.json()["error"]["code"] != "loading":
            return
        if time.monotonic() > deadline:
            log = server_log(str(client.base_url).rstrip("/"))
            raise RuntimeError(f"the data did not load within {timeout_s:g} s: {log}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def http(base_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        wait_until_loaded(client)
        yield client


def test_first_request_does_not_wait_for_the_data(tmp_path) -> None:
    """``kg serve`` must answer within 2 s of starting, so the graph loads in the background.

    The loader here is made 60 s slow: the server still answers at once, and
    says the data is loading. (Measured by hand at about 1.0 s from process
    start to first answer on the full data, most of it Python imports; the
    bound below only guards against start-up waiting for the data.)
    """
    started = time.monotonic()
    with running_server(ApiSettings(sparql_store_dir=tmp_path), startup_timeout=30, load_delay=60) as url:
        elapsed = time.monotonic() - started
        health = httpx.get(f"{url}/health", timeout=5)
        assert health.status_code == 503 and health.json()["error"]["code"] == "loading"
        assert health.headers["retry-after"]
    assert elapsed < 20, f"first answer after {elapsed:.2f} s"


def test_server_listens_on_loopback_and_pings(base_url, http) -> None:
    assert base_url.startswith("http://127.0.0.1:")
    response = http.get("/health/ping")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_headline_question_over_http(http) -> None:
    response = http.get("/ask", params={"q": "what evidence supports pyrotinib in HER2-amplified NSCLC?"})
    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body["recognised"]] == ["drug:pyrotinib", "alt:ERBB2-amplification", "disease:nsclc"]
    assert body["results"][0]["direct"] is True


def test_structured_question_and_cache_over_http(http) -> None:
    params = {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}
    first = http.get("/evidence", params=params)
    second = http.get("/evidence", params=params)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second.headers["x-cache"] == "hit"
    assert int(second.headers["content-length"]) == len(second.content)


def test_errors_over_http(http) -> None:
    unknown = http.get("/evidence", params={"therapy": "pyrotinb"})
    assert unknown.status_code == 404 and unknown.json()["error"]["suggestions"][0]["id"] == "drug:pyrotinib"
    invalid = http.get("/evidence", params={"limit": "many"})
    assert invalid.status_code == 422 and invalid.json()["error"]["parameter"] == "limit"
    too_long = http.get("/evidence?" + "therapy=x&" * 1000)
    assert too_long.status_code == 414


def test_health_over_http_reports_the_background_sparql_build(http) -> None:
    assert http.get("/evidence", params={"therapy": "pyrotinib"}).status_code == 200  # waits for the graph
    body = http.get("/health").json()
    assert body["status"] == "ok"
    assert body["sparql"]["state"] in {"building", "ready", "failed"}


def test_sparql_store_over_the_full_data_becomes_ready(http) -> None:
    """The background build (export to N-Triples, bulk load, workers) finishes and the endpoint answers."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        health = http.get("/health")  # 503 while the graph itself is still loading
        state = health.json()["sparql"] if health.status_code == 200 else {"state": "loading"}
        if state["state"] not in {"loading", "building", "idle"}:
            break
        time.sleep(0.5)
    assert state["state"] == "ready", state.get("message")
    assert state["triples"] > 10_000
    response = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_openapi_and_docs_are_served(http) -> None:
    assert http.get("/openapi.json").json()["info"]["title"] == "evidence-kg"
    assert http.get("/docs").status_code == 200


def test_concurrent_requests(http, base_url) -> None:
    """Thirty-two requests in flight at once all complete."""
    import concurrent.futures

    def one(index: int) -> int:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return client.get("/evidence", params={"gene": "EGFR", "offset": index, "limit": 5}).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        assert set(pool.map(one, range(32))) == {200}
