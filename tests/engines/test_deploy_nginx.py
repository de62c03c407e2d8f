"""Many machines in miniature: two stateless API replicas, one read-only Oxigraph, nginx in front.

As ``docs/deploy.md`` describes: the replicas hold no SPARQL store of their
own, both point at the same immutable, versioned Oxigraph store, and
Debian's nginx balances between them (its own config, pid, logs and temp
files in a temporary directory; no root needed). Both replicas must answer
every request identically, directly and through the balancer, and when one
replica dies the balancer keeps answering from the other.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import ApiSettings
from tests.engines.conftest import (
    ENGINES_GROUP,
    Engine,
    Replica,
    engine_binary,
    start_replica,
    stop,
    wait_until_serving,
)
from tests.test_server import free_port

pytestmark = [ENGINES_GROUP, pytest.mark.server, pytest.mark.slow]

PREFIXES = "PREFIX ekg: <https://w3id.org/evidence-kg/vocab#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
REQUESTS: list[tuple[str, dict[str, str], dict[str, str]]] = [
    (
        "/sparql",
        {
            "query": PREFIXES
            + "SELECT ?item ?measure ?value WHERE { ?item ekg:hasOutcome ?o . ?o ekg:measure ?measure ; "
            "ekg:value ?value } ORDER BY ?item ?measure STR(?value)"
        },
        {"accept": "text/csv"},
    ),
    ("/sparql", {"query": PREFIXES + "SELECT ?d ?l WHERE { ?d a ekg:Drug ; skos:prefLabel ?l } ORDER BY ?d"}, {}),
    ("/sparql", {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}, {"accept": "text/tab-separated-values"}),
    ("/evidence", {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}, {}),
    ("/ask", {"q": "what evidence supports pyrotinib in HER2-amplified NSCLC?"}, {}),
]

_NGINX_CONF = """\
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 128; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    upstream api {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://api;
            # A dead replica (refused connection) or one not ready (503) is skipped for the next one.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def _nginx_binary() -> str:
    for candidate in ("/usr/sbin/nginx", "/usr/local/sbin/nginx"):
        if Path(candidate).is_file():
            return candidate
    return engine_binary("nginx")


@pytest.fixture(scope="module")
def replicas(oxigraph: Engine, tmp_path_factory) -> Iterator[list[Replica]]:
    settings = ApiSettings(sparql_endpoint=oxigraph.url, sparql_workers=1, sparql_max_rows=500).model_dump_json()
    logs = tmp_path_factory.mktemp("replicas")
    started: list[Replica] = []
    try:
        started.extend(start_replica(settings, logs) for _ in range(2))
        for replica in started:
            wait_until_serving(replica)
        yield started
    finally:
        for replica in started:
            stop(replica.process)


@pytest.fixture(scope="module")
def balancer(replicas: list[Replica], tmp_path_factory) -> Iterator[str]:
    binary = _nginx_binary()
    root = tmp_path_factory.mktemp("nginx")
    port = free_port()
    servers = "\n".join(
        f"        server {replica.url.removeprefix('http://')} max_fails=1 fail_timeout=60s;" for replica in replicas
    )
    conf = root / "nginx.conf"
    conf.write_text(_NGINX_CONF.format(root=root, servers=servers, port=port))
    command = [binary, "-p", str(root), "-e", str(root / "error.log"), "-c", str(conf), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}"
            try:
                if httpx.get(f"{url}/health/ping", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (root / "error.log").read_text()
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)


def _get(base: str, path: str, params: dict[str, str], headers: dict[str, str]) -> httpx.Response:
    response = httpx.get(f"{base}{path}", params=params, headers=headers, timeout=60)
    assert response.status_code == 200, f"{base}{path}: {response.status_code} {response.text[:300]}"
    return response


def test_both_replicas_answer_identically_directly_and_through_the_balancer(replicas, balancer) -> None:
    first, second = replicas
    health = [httpx.get(f"{replica.url}/health", timeout=30).json() for replica in replicas]
    assert health[0] == health[1]
    assert health[0]["sparql"]["data_version"] == health[0]["data_version"]
    served_by: set[str] = set()
    for path, params, headers in REQUESTS:
        expected = _get(first.url, path, params, headers).content
        assert _get(second.url, path, params, headers).content == expected
        for _ in range(4):
            through = _get(balancer, path, params, headers)
            assert through.content == expected
            served_by.add(through.headers["x-upstream"])
    assert served_by == {replica.url.removeprefix("http://") for replica in replicas}


def test_the_loss_of_a_replica_is_survived(replicas, balancer) -> None:
    expected = [_get(replicas[1].url, path, params, headers).content for path, params, headers in REQUESTS]
    lost = replicas[0]
    lost.process.kill()  # a crash, not a graceful stop
    lost.process.wait(timeout=10)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{lost.url}/health/ping", timeout=2)
    for _ in range(3):
        for (path, params, headers), body in zip(REQUESTS, expected, strict=True):
            through = _get(balancer, path, params, headers)
            assert through.content == body
            assert through.headers["x-upstream"].endswith(replicas[1].url.removeprefix("http://"))
