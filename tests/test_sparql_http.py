"""The SPARQL 1.1 Protocol endpoint on a real uvicorn, queried by a client nobody here wrote.

SPARQLWrapper speaks the protocol as third-party tools do (GET and POST,
its own Accept headers, its own error mapping), so if it works, the endpoint
is a SPARQL endpoint and not just something our own tests agree with. The
server serves the curated data (the store over the full data is checked by
``tests/test_server.py``) with a 2 s time limit and a 500-row cap, so a runaway query is
stopped quickly and a capped answer is easy to provoke; while a runaway
query runs, other requests must still be answered promptly.

Queries that need the store (built from ``kg.export.serialize(kg, "nt")``)
are skipped, with that reason, while the exporter is not installed; the
refusals (updates, LOAD, SERVICE, FROM, bad Accept, malformed requests) are
decided before any store is involved and always run.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from api.settings import ApiSettings
from tests.test_server import running_server, server_log

# One worker per module under xdist (--dist loadgroup), so its server starts once.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("sparql-server")]

TIME_LIMIT_S = 2.0
ROW_CAP = 500
PYROTINIB = """
SELECT ?entity WHERE {
  ?entity ?predicate ?label .
  FILTER(isLiteral(?label) && LCASE(STR(?label)) = "pyrotinib")
}"""
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    settings = ApiSettings(
        sparql_store_dir=Path(tmp_path_factory.mktemp("sparql-store")),
        sparql_timeout_s=TIME_LIMIT_S,
        sparql_max_rows=ROW_CAP,
        sparql_workers=2,
        max_query_string=16 * 1024,
    )
    with running_server(settings, civic=False) as url:
        yield url


@pytest.fixture(scope="module")
def http(base_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def endpoint(base_url, http) -> str:
    """The /sparql URL, once the background build has made the store ready."""
    deadline = time.monotonic() + 180
    while True:
        health = http.get("/health")  # 503 while the graph itself is still loading
        state = health.json()["sparql"] if health.status_code == 200 else {"state": "loading"}
        if state["state"] == "ready":
            return f"{base_url}/sparql"
        if state["state"] == "failed":
            pytest.fail(f"the SPARQL store could not be built: {state.get('message')}")
        if time.monotonic() > deadline:
            pytest.fail(f"the SPARQL store was not ready in time: {state}")
        time.sleep(0.25)


def _wrapper(endpoint: str, query: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    client.setTimeout(30)
    return client


# -- a third-party client ---------------------------------------------------------------


def test_sparqlwrapper_select_json(endpoint) -> None:
    result = _wrapper(endpoint, COUNT_ALL).queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) > 1000
    found = _wrapper(endpoint, PYROTINIB).queryAndConvert()
    assert found["results"]["bindings"], "pyrotinib must be labelled in the RDF graph"


def test_sparqlwrapper_post_and_other_result_formats(endpoint) -> None:
    xml = _wrapper(endpoint, PYROTINIB, XML, POST).queryAndConvert()
    assert xml.getElementsByTagName("result")
    csv = _wrapper(endpoint, PYROTINIB, CSV).queryAndConvert()
    assert csv.decode().splitlines()[0].strip() == "entity"
    tsv = _wrapper(endpoint, PYROTINIB, TSV).queryAndConvert()
    assert tsv.decode().splitlines()[0].strip() == "?entity"


def test_sparqlwrapper_ask_and_construct(endpoint) -> None:
    assert _wrapper(endpoint, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True
    turtle = _wrapper(endpoint, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", TURTLE).queryAndConvert()
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == 5


def test_sparqlwrapper_sees_an_update_as_a_bad_request(base_url) -> None:
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed):
        client.query()


# -- protocol details ----------------------------------------------------------------------


def test_post_sparql_query_body_and_accept_negotiation(endpoint, http) -> None:
    response = http.post(
        "/sparql", content=PYROTINIB, headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    ntriples = http.get(
        "/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"},
        headers={"Accept": "application/n-triples"},
    )
    assert ntriples.status_code == 200 and ntriples.headers["content-type"] == "application/n-triples"
    assert len(ntriples.text.strip().splitlines()) == 3
    default = http.get("/sparql", params={"query": PYROTINIB})
    assert default.headers["content-type"] == "application/sparql-results+json"


def test_row_cap_is_a_200_that_says_so(endpoint, http) -> None:
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == "true"
    assert response.headers["x-sparql-row-limit"] == str(ROW_CAP)
    assert len(response.json()["results"]["bindings"]) == ROW_CAP
    complete = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert "x-sparql-truncated" not in complete.headers


def test_runaway_query_is_stopped_at_the_limit_and_others_are_served_meanwhile(endpoint, base_url, http) -> None:
    def runaway() -> tuple[httpx.Response, float]:
        started = time.monotonic()
        with httpx.Client(base_url=base_url, timeout=60) as client:
            response = client.get("/sparql", params={"query": RUNAWAY})
        return response, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(runaway)
        time.sleep(0.3)  # the runaway query is now running in a worker
        started = time.monotonic()
        other = http.get(
            "/evidence", params={"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}
        )
        sparql = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        waited = time.monotonic() - started
        assert not pending.done(), "the runaway query should still be running"
        response, elapsed = pending.result(timeout=30)
    assert other.status_code == 200, (other.text, server_log(base_url))
    assert sparql.status_code == 200, (sparql.text, server_log(base_url))
    assert waited < 1.0, f"other requests waited {waited:.2f} s behind the runaway query"
    assert response.status_code == 504
    error = response.json()["error"]
    assert error["code"] == "query_timeout"
    assert "time limit" in error["message"] and error["timeout_s"] == TIME_LIMIT_S
    assert TIME_LIMIT_S <= elapsed < TIME_LIMIT_S + 3
    # The killed worker was replaced: the endpoint still answers.
    assert http.get("/sparql", params={"query": COUNT_ALL}).status_code == 200


# -- refusals (decided before any store is involved) -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/graph> WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_updates_load_service_and_from_are_refused_with_400(http, query: str, feature: str) -> None:
    for response in (
        http.get("/sparql", params={"query": query}),
        http.post("/sparql", data={"query": query}),
        http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "forbidden_query"
        assert feature in error["message"]


def test_update_requests_are_refused(http) -> None:
    form = http.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert form.status_code == 400 and form.json()["error"]["parameter"] == "update"
    direct = http.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert direct.status_code == 400 and "read-only" in direct.json()["error"]["message"]


def test_dataset_parameters_are_refused(http) -> None:
    response = http.get("/sparql", params={"query": COUNT_ALL, "default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "default-graph-uri"


def test_unacceptable_accept_is_406(http) -> None:
    response = http.get("/sparql", params={"query": COUNT_ALL}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert "application/sparql-results+json" in error["supported"]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"method": "GET"}, 400, "missing_query"),
        ({"method": "POST", "data": {"other": "x"}}, 400, "missing_query"),
        (
            {"method": "POST", "content": "SELECT", "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        (
            {"method": "POST", "content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "bad_request",
        ),
        (
            {"method": "POST", "content": "x" * 300_000, "headers": {"Content-Type": "application/sparql-query"}},
            413,
            "payload_too_large",
        ),
        ({"method": "GET", "params": {"query": "x" * 10_000}}, 400, "query_too_long"),  # over maxLength
        ({"method": "GET", "params": {"query": "x" * 20_000}}, 414, "uri_too_long"),  # over the server's URL limit
    ],
)
def test_malformed_requests_get_clear_errors(http, request_kwargs, status: int, code: str) -> None:
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method")
    response = http.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_syntax_error_is_400_with_position(endpoint, http) -> None:
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "syntax_error" and error["line"] == 1
    json.dumps(error)  # plain JSON, no server internals


def test_the_service_survives_repeated_app_lifespans(kg_curated, tmp_path) -> None:
    """An app started, stopped and started again (as test clients do) serves SPARQL each time."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(kg_curated, settings=ApiSettings(sparql_store_dir=tmp_path, sparql_workers=1))
    for _ in range(2):
        with TestClient(app) as client:
            response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 200, response.text
            assert response.json()["boolean"] is True
    stopped = TestClient(app).get("/health").json()["sparql"]
    assert stopped["state"] in {"idle", "ready"}
