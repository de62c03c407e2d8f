"""Publishing records the data version in the store; a replica checks it and refuses another one.

The stores were published by the real ``kg publish`` (see ``conftest.py``):
Oxigraph holds the seed + CIViC graph, Virtuoso holds it and the curated-only
graph side by side, as two data versions are during a switch. ``kg serve``
itself is run to show that a replica refuses to start against a store of
another version, and starts when told to allow it.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.sparql import DataVersionMismatchError, EndpointSpec, SparqlService, StoreError
from kg.sparql.publish import publish_oxigraph, publish_virtuoso
from tests.conftest import DATA_DIR, REPO
from tests.engines.conftest import ENGINES_GROUP, VIRTUOSO_MAX_ROWS, wait_ready
from tests.test_server import free_port

pytestmark = [ENGINES_GROUP, pytest.mark.server]


def test_each_store_declares_the_version_it_was_published_with(engine, kg_full) -> None:
    with SparqlService(engine.spec(), workers=1, expected_version=kg_full.version) as service:
        assert service.describe().data_versions == (kg_full.version,)


def test_a_store_of_another_version_is_refused_unless_allowed(engine, kg_curated, kg_full) -> None:
    with pytest.raises(DataVersionMismatchError) as caught:
        SparqlService(engine.spec(), workers=1, expected_version=kg_curated.version)
    assert caught.value.found == [kg_full.version] and caught.value.expected == kg_curated.version
    assert caught.value.http_status == 503 and engine.url in caught.value.message
    with SparqlService(
        engine.spec(), workers=1, expected_version=kg_curated.version, allow_version_mismatch=True
    ) as service:
        assert service.describe().data_version == kg_full.version


def test_two_versions_side_by_side_in_one_virtuoso(virtuoso, kg_curated, kg_full) -> None:
    old_spec, new_spec = virtuoso.spec(virtuoso.curated_graph), virtuoso.spec()
    with (
        SparqlService(old_spec, workers=1, expected_version=kg_curated.version) as old,
        SparqlService(new_spec, workers=1, expected_version=kg_full.version) as new,
    ):
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert old.query(count, "text/csv").body != new.query(count, "text/csv").body
    # Without a graph, Virtuoso's default dataset is every graph it holds: refused, with the reason.
    with pytest.raises(StoreError, match="union of all its graphs"):
        SparqlService(EndpointSpec(virtuoso.url), workers=1)


def test_an_engine_row_cap_below_ours_is_refused(virtuoso) -> None:
    with pytest.raises(StoreError, match=f"caps answers at {VIRTUOSO_MAX_ROWS} rows"):
        # A generous limit: Virtuoso computes its whole capped answer before it sends a byte.
        SparqlService(virtuoso.spec(), workers=1, max_rows=VIRTUOSO_MAX_ROWS + 5, timeout_s=60)


def test_publishing_refuses_what_would_mix_versions(tmp_path, oxigraph_store, curated_export, virtuoso) -> None:
    with pytest.raises(StoreError, match="already exists"):
        publish_oxigraph(curated_export, oxigraph_store)
    not_an_export = tmp_path / "other.nt"
    not_an_export.write_text("<urn:a> <urn:b> <urn:c> .\n")
    with pytest.raises(StoreError, match="no data version"):
        publish_oxigraph(not_an_export, tmp_path / "new-store")
    assert not (tmp_path / "new-store").exists()
    options = {"address": virtuoso.sql, "load_dir": virtuoso.load_dir, "user": "dba", "password": "dba"}
    with pytest.raises(StoreError, match="already holds"):
        publish_virtuoso(curated_export, graph=virtuoso.curated_graph, **options)
    report = publish_virtuoso(curated_export, graph=virtuoso.curated_graph, replace=True, **options)
    assert report.location.startswith(f"<{virtuoso.curated_graph}>")
    with pytest.raises(StoreError, match="Bad login"):
        publish_virtuoso(curated_export, graph="urn:evidence-kg:nowhere", **{**options, "password": "wrong"})


def test_health_reports_the_engine_the_endpoint_and_the_data_version(engine, kg_full) -> None:
    settings = ApiSettings(sparql_endpoint=engine.url, sparql_graph=engine.graph, sparql_workers=1)
    with TestClient(create_app(kg_full, settings=settings)) as client:
        body = wait_ready(client)
        sparql = body["sparql"]
        assert sparql["state"] == "ready"
        assert sparql["engine"] == engine.name and sparql["engine_version"]
        assert sparql["endpoint"] == engine.url and sparql["graph"] == engine.graph
        assert sparql["data_version"] == body["data_version"] == kg_full.version


def test_an_app_of_another_version_answers_503_and_names_both(oxigraph, kg_curated, kg_full) -> None:
    settings = ApiSettings(sparql_endpoint=oxigraph.url, sparql_workers=1)
    with TestClient(create_app(kg_curated, settings=settings)) as client:
        sparql = client.get("/sparql", params={"query": "ASK {}"})
        assert sparql.status_code == 503
        error = sparql.json()["error"]
        assert error["code"] == "data_version_mismatch"
        assert error["expected"] == kg_curated.version and error["found"] == [kg_full.version]
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["error"]["code"] == "data_version_mismatch"


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--data", str(DATA_DIR), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_kg_serve_refuses_to_start_against_another_version(oxigraph, kg_full) -> None:
    port = free_port()
    refused = _serve("--no-civic", "--port", str(port), "--sparql-endpoint", oxigraph.url)
    output, _ = refused.communicate(timeout=180)
    assert refused.returncode == 1, output
    assert f"holds {kg_full.version!r}" in output and "--allow-version-mismatch" in output
    assert "Traceback" not in output

    allowed = _serve("--no-civic", "--port", str(port), "--sparql-endpoint", oxigraph.url, "--allow-version-mismatch")
    try:
        deadline = time.monotonic() + 180
        while True:
            assert allowed.poll() is None, allowed.communicate()[0]
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                if health.status_code == 200 and health.json()["sparql"]["state"] == "ready":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "kg serve did not become ready"
            time.sleep(0.25)
        body = health.json()
        assert body["sparql"]["data_version"] == kg_full.version != body["data_version"]
    finally:
        allowed.terminate()
        allowed.wait(timeout=30)


def test_kg_serve_checks_the_endpoint_url(oxigraph) -> None:
    bad = _serve("--sparql-endpoint", "ftp://127.0.0.1/query")
    output, _ = bad.communicate(timeout=180)
    assert bad.returncode == 2 and "not an http(s) URL" in output and "Traceback" not in output
