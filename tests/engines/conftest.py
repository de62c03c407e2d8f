"""Real SPARQL engines on 127.0.0.1 for the external-store tests: Oxigraph's server and Virtuoso.

One of each per test session (the engine test modules share one xdist group,
so they run in one worker process and these session fixtures start once):

* the seed + CIViC graph is exported to N-Triples (``kg.export``) and published
  with the real CLI (``kg publish oxigraph``, ``kg publish virtuoso``);
* ``oxigraph`` serves that store with no time limit of its own, and
  ``oxigraph_cancelling`` serves the same store (read-only, so two servers may
  share it) with ``--timeout-s 1``, to provoke its cancelled-with-200 answer;
* ``virtuoso`` is ``virtuoso-t`` with its own ini in a temporary directory (HTTP and SQL
  ports on 127.0.0.1), holding the full graph and the curated-only graph side
  by side in two named graphs, as two data versions would be during a switch.

An engine whose binary is missing is skipped, unless
``EVIDENCE_KG_REQUIRE_ENGINES`` is set (CI sets it): then it is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from kg.sparql.endpoint import EndpointSpec
from kg.sparql.publish import graph_for
from tests.conftest import DATA_DIR, REPO
from tests.test_server import free_port

REQUIRE_ENGINES = bool(os.environ.get("EVIDENCE_KG_REQUIRE_ENGINES"))
#: One worker process for every engine test module (``--dist loadgroup``): the servers start once.
ENGINES_GROUP = pytest.mark.xdist_group("sparql-engines")
#: Virtuoso's own row cap in the test ini: above the tests' caps, below the probe test's.
VIRTUOSO_MAX_ROWS = 20_000

_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = {load}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {www}
ServerThreads      = 6
[SPARQL]
ResultSetMaxRows   = {max_rows}
MaxQueryExecutionTime = 60
; 0: no refusal from the cost estimate, so a long query really runs into the time limit
MaxQueryCostEstimationTime = 0
"""


def engine_binary(*names: str) -> str:
    """The first of ``names`` installed (the venv's bin first); skip, or fail in CI, when none is."""
    here = Path(sys.executable).parent
    for name in names:
        candidate = here / name
        if candidate.is_file():
            return str(candidate)
        found = shutil.which(name)
        if found:
            return found
    message = f"engine binary not installed: {' or '.join(names)}"
    if REQUIRE_ENGINES:
        pytest.fail(f"{message} (EVIDENCE_KG_REQUIRE_ENGINES is set)")
    pytest.skip(message)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 120.0) -> None:
    """Block until ``url`` answers a SPARQL ASK; fail with the server's log when it dies or never does."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the engine exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the engine at {url} did not answer within {timeout_s:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this session started, by its own pid."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def kg_cli(*args: str) -> str:
    """Run the real ``kg`` command line in-process; its output, or a failure naming it."""
    from kg.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, f"kg {' '.join(args)} failed ({result.exit_code}): {result.output}"
    return result.output


@dataclass(frozen=True)
class Engine:
    """A running engine: its query URL and the graph that holds the published data (if named)."""

    name: str
    url: str
    graph: str | None = None

    def spec(self, graph: str | None = None) -> EndpointSpec:
        return EndpointSpec(self.url, graph or self.graph)


@pytest.fixture(scope="session")
def full_export(tmp_path_factory, kg_full) -> Path:
    """The seed + CIViC graph as N-Triples, as ``kg export --format nt`` writes it."""
    from kg.export import write_export

    path = tmp_path_factory.mktemp("export") / "kg-full.nt"
    write_export(kg_full, "nt", path)
    return path


@pytest.fixture(scope="session")
def curated_export(tmp_path_factory, kg_curated) -> Path:
    """The curated graph alone: another data version."""
    from kg.export import write_export

    path = tmp_path_factory.mktemp("export") / "kg-curated.nt"
    write_export(kg_curated, "nt", path)
    return path


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory, full_export) -> Path:
    engine_binary("oxigraph")
    store = tmp_path_factory.mktemp("oxigraph") / "store"
    kg_cli("publish", "oxigraph", str(store), "--input", str(full_export))
    return store


def _serve_oxigraph(store: Path, log_dir: Path, *extra: str) -> Iterator[Engine]:
    binary = engine_binary("oxigraph")
    port = free_port()
    log = log_dir / f"oxigraph-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}", *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(url, process, log)
        yield Engine("oxigraph", url)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph(oxigraph_store, tmp_path_factory) -> Iterator[Engine]:
    """Oxigraph's server over the published store, with no time limit of its own."""
    yield from _serve_oxigraph(oxigraph_store, tmp_path_factory.mktemp("oxigraph-log"))


@pytest.fixture
def oxigraph_cancelling(oxigraph_store, tmp_path) -> Iterator[Engine]:
    """The same store served with ``--timeout-s 1``: long queries get Oxigraph's cancelled-with-200.

    One server per test, stopped after it: a query Oxigraph does not cancel (a sort; sometimes a COUNT) keeps
    computing after its client has gone, and would burn a core for the rest of the session.
    """
    yield from _serve_oxigraph(oxigraph_store, tmp_path, "--timeout-s", "1")


@pytest.fixture
def oxigraph_fresh(oxigraph_store, tmp_path) -> Iterator[Engine]:
    """Oxigraph with no time limit, for one test that leaves it computing (stopped after the test)."""
    yield from _serve_oxigraph(oxigraph_store, tmp_path)


@dataclass(frozen=True)
class VirtuosoServer(Engine):
    """A running Virtuoso: also its SQL address and the graph of the curated-only version."""

    sql: str = ""
    load_dir: str = ""
    curated_graph: str = ""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, full_export, curated_export, kg_full, kg_curated) -> Iterator[VirtuosoServer]:
    """Virtuoso on loopback with the full graph and the curated graph published side by side."""
    binary = engine_binary("virtuoso-t")
    engine_binary("isql-vt", "isql")
    root = tmp_path_factory.mktemp("virtuoso")
    db, www, load = root / "db", root / "www", root / "load"
    for directory in (db, www, load):
        directory.mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(
            db=db, www=www, load=load, sql_port=sql_port, http_port=http_port, max_rows=VIRTUOSO_MAX_ROWS
        )
    )
    log = root / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+configfile", str(ini), "+foreground"], cwd=root, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_for(url, process, log)
        sql = f"127.0.0.1:{sql_port}"
        for export in (full_export, curated_export):
            kg_cli(
                "publish",
                "virtuoso",
                "--address",
                sql,
                "--load-dir",
                str(load),
                "--input",
                str(export),
                "--password",
                "dba",
            )
        yield VirtuosoServer(
            "virtuoso",
            url,
            graph_for(kg_full.version),
            sql=sql,
            load_dir=str(load),
            curated_graph=graph_for(kg_curated.version),
        )
    finally:
        stop(process)


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def engine(request) -> Engine:
    """Each engine in turn, holding the seed + CIViC graph."""
    return request.getfixturevalue(request.param)


@dataclass
class Replica:
    """An API server process (``create_app`` under uvicorn) on its own loopback port."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


_LAUNCHER = """
import sys
import uvicorn
from pathlib import Path
from api.app import create_app
from api.settings import ApiSettings
from kg.runtime.knowledge_graph import load_knowledge_graph

data, civic, settings_json, port = sys.argv[1:5]
app = create_app(
    loader=lambda: load_knowledge_graph(Path(data), include_civic=civic == "civic"),
    settings=ApiSettings.model_validate_json(settings_json),
)
uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")
"""


def start_replica(settings_json: str, log_dir: Path, *, civic: bool = True) -> Replica:
    """Start an API replica (without waiting for it: see :func:`wait_until_serving`)."""
    port = free_port()
    log = log_dir / f"replica-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(DATA_DIR), "civic" if civic else "curated", settings_json, str(port)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
    return Replica(f"http://127.0.0.1:{port}", process, log)


def wait_until_serving(replica: Replica, timeout_s: float = 180.0) -> None:
    """Wait until the replica's /health says the graph and the SPARQL store are ready."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            pytest.fail(f"replica exited: {replica.log.read_text(errors='replace')[-2000:]}")
        try:
            health = httpx.get(f"{replica.url}/health", timeout=5)
            if health.status_code == 200 and health.json()["sparql"]["state"] == "ready":
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail(f"replica not ready in time: {replica.log.read_text(errors='replace')[-2000:]}")


def wait_ready(client: Any, timeout_s: float = 120.0) -> dict[str, Any]:
    """Poll an app's /health (a TestClient or an httpx client) until it is 200; return the body.

    With an external engine, /health is 503 while the store is being checked;
    the last 503 is reported when it never turns 200.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        health = client.get("/health")
        if health.status_code == 200:
            body: dict[str, Any] = health.json()
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"/health stayed {health.status_code}: {health.text[:500]}")
        time.sleep(0.1)
