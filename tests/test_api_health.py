"""/health, the app-wide error shape (404, 405, 414, 500), CORS, settings, and start-up cost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from api.settings import DEFAULT_HOST, ApiSettings


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def test_health_reports_version_and_counts(client, kg_full) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["data_version"] == kg_full.version
    assert body["counts"]["evidence"] == len(kg_full.corpus.evidence)
    assert body["graph"]["nodes"]["drug"] == len(kg_full.corpus.drugs)
    assert body["sparql"] == {"state": "disabled"}


def test_ping_is_constant_bytes(client) -> None:
    response = client.get("/health/ping")
    assert response.status_code == 200
    assert response.content == b'{"status":"ok"}'
    assert response.headers["content-type"] == "application/json"


def test_unknown_route_is_404_in_the_error_shape(client) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": response.json()["error"]["message"]}}


def test_wrong_method_is_405_in_the_error_shape(client) -> None:
    response = client.delete("/evidence")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_overlong_query_string_is_414(kg_curated) -> None:
    client = TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False, max_query_string=4096)))
    response = client.get("/evidence?" + "therapy=x&" * 1000)
    assert response.status_code == 414
    assert response.json()["error"]["code"] == "uri_too_long"
    assert client.get("/evidence?" + "therapy=x&" * 300).status_code != 414


def test_unexpected_errors_become_a_clean_500(kg_curated) -> None:
    app = create_app(kg_curated, settings=ApiSettings(sparql_enabled=False))
    broken = APIRouter()

    @broken.get("/broken")
    async def fail() -> None:
        raise RuntimeError("secret internals")

    app.include_router(broken)
    response = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text


def test_cors_is_off_by_default(client) -> None:
    response = client.get("/health/ping", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/evidence", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_can_be_enabled_for_named_origins(kg_curated) -> None:
    app = create_app(kg_curated, settings=ApiSettings(sparql_enabled=False, cors_origins=("https://app.example",)))
    client = TestClient(app)
    allowed = client.get("/health/ping", headers={"Origin": "https://app.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    other = client.get("/health/ping", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_loopback_is_the_default_host() -> None:
    assert DEFAULT_HOST == "127.0.0.1"


def test_settings_are_validated() -> None:
    with pytest.raises(ValidationError):
        ApiSettings(sparql_timeout_s=0)
    with pytest.raises(ValidationError):
        ApiSettings(unknown_knob=1)


def test_docs_can_be_turned_off(kg_curated) -> None:
    client = TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False, docs_enabled=False)))
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404


def test_app_start_up_does_no_heavy_work(kg_full, tmp_path) -> None:
    """Creating the app and running its start-up (SPARQL warm start included) takes well under a second."""
    started = time.perf_counter()
    app = create_app(kg_full, settings=ApiSettings(sparql_store_dir=tmp_path))
    with TestClient(app) as client:
        assert client.get("/health/ping").status_code == 200
        elapsed = time.perf_counter() - started
        assert client.get("/health").json()["sparql"]["state"] in {"building", "ready", "failed"}
    assert elapsed < 1.0, f"start-up took {elapsed:.2f} s"


# -- the graph loading in the background -------------------------------------------------


def test_background_load_answers_at_once_and_serves_when_ready(kg_curated) -> None:
    release = threading.Event()

    def loader():
        release.wait(30)
        return kg_curated

    started = time.perf_counter()
    app = create_app(loader=loader, settings=ApiSettings(sparql_enabled=False, graph_load_wait_s=0.2))
    client = TestClient(app)
    assert client.get("/health/ping").status_code == 200
    assert time.perf_counter() - started < 1.0
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["error"]["code"] == "loading"
    waiting = client.get("/evidence", params={"therapy": "pyrotinib"})
    assert waiting.status_code == 503 and waiting.headers["retry-after"]
    release.set()
    deadline = time.monotonic() + 30
    while client.get("/health").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.get("/health").json()["data_version"] == kg_curated.version
    assert client.get("/evidence", params={"therapy": "pyrotinib"}).status_code == 200


def test_requests_wait_for_a_load_in_progress(kg_curated) -> None:
    def loader():
        time.sleep(0.5)
        return kg_curated

    client = TestClient(create_app(loader=loader, settings=ApiSettings(sparql_enabled=False)))
    response = client.get("/evidence", params={"therapy": "pyrotinib"})
    assert response.status_code == 200


def test_a_failed_load_is_a_503_naming_the_error() -> None:
    def loader():
        raise RuntimeError("data/registry/drugs.yaml is broken")

    client = TestClient(create_app(loader=loader, settings=ApiSettings(sparql_enabled=False)))
    response = client.get("/evidence", params={"therapy": "pyrotinib"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "data_unavailable" and "drugs.yaml is broken" in error["message"]
    assert client.get("/health").status_code == 503
    assert client.get("/health/ping").status_code == 200
