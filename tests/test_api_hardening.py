"""The API's edges (issue 12, items 4, 8, 9, 11): the spec tells the truth, odd requests get clear errors,
no XML answer is malformed, and every response carries the security headers.

The real app over a tiny curated corpus (``tests/fixtures/mini_data``), in
process through TestClient, with a real SPARQL store (pyoxigraph, worker
processes) built in a temporary directory. A second app serves a graph
built in code with a control character in a statement: the loaders refuse
such data, so this is the defence in depth of the XML answers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.app import create_app
from api.middleware import DEFAULT_CSP, HTML_CSP
from api.routers.sparql import MAX_GET_QUERY_CHARS
from api.settings import ApiSettings
from kg.curation.load import load_curated
from kg.model import Corpus
from kg.runtime.knowledge_graph import KnowledgeGraph

MINI = Path(__file__).parent / "fixtures" / "mini_data"
ASK = "ASK { ?s ?p ?o }"
BEL = "\x07"

pytestmark = pytest.mark.xdist_group("api-hardening")


@pytest.fixture(scope="module")
def mini_kg() -> KnowledgeGraph:
    return KnowledgeGraph.from_corpus(load_curated(MINI))


@pytest.fixture(scope="module")
def client(mini_kg, tmp_path_factory) -> Iterator[TestClient]:
    settings = ApiSettings(sparql_store_dir=tmp_path_factory.mktemp("store"), sparql_workers=1, sparql_timeout_s=5)
    app = create_app(mini_kg, settings=settings)
    broken = APIRouter()

    @broken.get("/broken", include_in_schema=False)
    async def fail() -> None:
        raise RuntimeError("secret internals")

    app.include_router(broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def spec(client) -> dict:
    return client.get("/openapi.json").json()


def error_of(response) -> dict:
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return response.json()["error"]


# -- item 8: the OpenAPI document and the server agree -----------------------------------------


def test_get_sparql_documents_query_as_required_and_a_bare_request_is_its_documented_400(client, spec) -> None:
    operation = spec["paths"]["/sparql"]["get"]
    (query,) = [p for p in operation["parameters"] if p["name"] == "query"]
    assert query["required"] is True
    assert query["schema"]["minLength"] == 1 and query["schema"]["maxLength"] == MAX_GET_QUERY_CHARS
    assert "400" in operation["responses"]
    for url in ("/sparql", "/sparql?query=", "/sparql?query=%20%0A"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert error_of(response)["code"] == "missing_query"


def test_post_sparql_documents_a_non_empty_query_and_an_empty_one_is_its_documented_400(client, spec) -> None:
    operation = spec["paths"]["/sparql"]["post"]
    content = operation["requestBody"]["content"]
    form = content["application/x-www-form-urlencoded"]["schema"]
    assert form["required"] == ["query"] and form["properties"]["query"]["minLength"] == 1
    assert content["application/sparql-query"]["schema"]["minLength"] == 1
    assert "400" in operation["responses"]
    for response in (
        client.post("/sparql", data={"query": ""}),
        client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 400
        assert error_of(response)["code"] == "missing_query"


def test_ask_documents_the_422_it_gives_to_a_question_that_names_nothing(client, spec) -> None:
    assert "422" in spec["paths"]["/ask"]["get"]["responses"]
    response = client.get("/ask", params={"q": "0"})
    assert response.status_code == 422
    assert error_of(response)["parameter"] == "q"


def test_every_operation_documents_the_414_the_middleware_gives(spec) -> None:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            described = operation["responses"]["414"]
            assert "64 KiB" in described["description"], (method, path)  # and what happens beyond that
            assert described["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_an_overlong_query_string_is_a_json_414(client) -> None:
    response = client.get("/evidence?" + "therapy=x&" * 4000)  # 40 kB, over the 32 KiB default
    assert response.status_code == 414
    assert error_of(response)["code"] == "uri_too_long"
    # a GET query over its declared maxLength, in a URL the server reads, is a parameter out of bounds: a 400
    long_get = client.get("/sparql", params={"query": "ASK {} #" + "x" * MAX_GET_QUERY_CHARS})
    assert long_get.status_code == 400 and error_of(long_get)["code"] == "query_too_long"
    assert "POST" in error_of(long_get)["message"]


# -- item 9: GET update refused like POST; bytes that are not UTF-8 refused, not replaced ---------------


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql", "params": {"query": ASK, "update": "INSERT DATA { <a:a> <a:b> <a:c> }"}},
        {"method": "POST", "url": "/sparql", "data": {"query": ASK, "update": "CLEAR ALL"}},
        {"method": "POST", "url": "/sparql?update=CLEAR%20ALL", "data": {"query": ASK}},
        {
            "method": "POST",
            "url": "/sparql?update=CLEAR%20ALL",
            "content": ASK,
            "headers": {"Content-Type": "application/sparql-query"},
        },
    ],
    ids=["get", "post-form", "post-url", "post-direct-url"],
)
def test_update_is_refused_on_get_as_on_post(client, request_kwargs) -> None:
    kwargs = dict(request_kwargs)
    response = client.request(kwargs.pop("method"), kwargs.pop("url"), **kwargs)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "forbidden_query" and error["parameter"] == "update"


@pytest.mark.parametrize("encoded", ["%FF", "ASK%20%7B%7D%C3", "%ED%A0%80", "SELECT%20%C0%AF"])
def test_percent_encoded_bytes_that_are_not_utf8_are_refused(client, encoded: str) -> None:
    for response in (
        client.get(f"/sparql?query={encoded}"),
        client.post(
            "/sparql", content=f"query={encoded}", headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
    ):
        assert response.status_code == 400, response.text
        error = error_of(response)
        assert error["code"] == "bad_request" and error["parameter"] == "query"
        assert "not UTF-8" in error["message"] and "\ufffd" not in response.text


def test_percent_encoded_utf8_still_works(client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%C3%A9%22%20%7D")
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is False


# -- item 11: the security headers on every response ---------------------------------------------------


def _example_path(template: str, mini_kg: KnowledgeGraph) -> str:
    values = {
        "{entity_id}": "drug:drugx",
        "{source_id}": next(iter(mini_kg.corpus.sources)),
        "{format}": "turtle",
        "{study_id}": next(iter(mini_kg.corpus.studies), "study:none"),
        "{case_id}": "case:none",
    }
    for name, value in values.items():
        template = template.replace(name, value)
    assert "{" not in template, template
    return template


def _check_headers(response, what: str) -> None:
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("content-security-policy"), what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("x-frame-options") == "DENY", what
    if headers.get("content-type", "").startswith("text/html"):
        assert "default-src 'none'" in headers["content-security-policy"], what


def test_every_documented_route_sends_the_security_headers(client, spec, mini_kg) -> None:
    for template, operations in spec["paths"].items():
        for method in operations:
            path = _example_path(template, mini_kg)
            if method == "get":
                response = client.get(path, params={"q": "drugx", "id": "drug:drugx", "query": ASK})
            else:
                response = client.post(path, data={"query": ASK})
            assert response.status_code < 500, (method, path, response.text[:200])
            _check_headers(response, f"{method} {path} → {response.status_code}")


@pytest.mark.parametrize(
    ("url", "accept", "status"),
    [
        ("/docs", None, 200),
        ("/redoc", None, 200),
        ("/docs/assets/swagger-ui-bundle.js", None, 200),
        ("/openapi.json", None, 200),
        ("/graph?focus=nothing-of-the-kind", "text/html", 404),  # the HTML 404 page
        ("/nowhere", None, 404),
        ("/nowhere", "text/html", 404),
        ("/docs/assets/nothing.js", None, 404),
        ("/entities/drug:nothing", None, 404),
        ("/evidence?limit=abc", None, 422),
        ("/broken", None, 500),  # answered by Starlette's outermost ServerErrorMiddleware
    ],
)
def test_pages_errors_and_files_send_the_security_headers(client, url: str, accept, status: int) -> None:
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == status, response.text[:300]
    _check_headers(response, url)
    if url in ("/nowhere", "/broken", "/evidence?limit=abc"):
        assert response.headers["content-security-policy"] == DEFAULT_CSP
    if url.startswith("/graph?"):  # the error page brings no policy: its inline style may apply, no script may run
        assert response.headers["content-security-policy"] == HTML_CSP and "script-src" not in HTML_CSP


def test_wrong_method_and_overlong_urls_send_the_security_headers(client) -> None:
    _check_headers(client.delete("/evidence"), "405")
    _check_headers(client.get("/evidence?" + "therapy=x&" * 4000), "414")
    _check_headers(client.head("/health/ping"), "HEAD")


# -- item 4, defence in depth: XML answers are never malformed ----------------------------------------


@pytest.fixture(scope="module")
def control_client(tmp_path_factory) -> Iterator[TestClient]:
    """A graph built in code (bypassing the loaders, which refuse it) whose statement holds U+0007."""
    corpus = load_curated(MINI)
    item = corpus.evidence["ev:mini-trial"]
    records = [r.model_copy(update={"statement": f"Bell {BEL} here"}) if r is item else r for r in corpus]
    kg = KnowledgeGraph.from_corpus(Corpus.from_records(records, texts=corpus.texts, version="control"))
    settings = ApiSettings(sparql_store_dir=tmp_path_factory.mktemp("store"), sparql_workers=1, sparql_timeout_s=5)
    with TestClient(create_app(kg, settings=settings), raise_server_exceptions=False) as test_client:
        yield test_client


SELECT_BELL = 'SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), "Bell")) }'


def test_sparql_xml_results_with_a_control_character_are_a_406_not_malformed_xml(control_client) -> None:
    response = control_client.get(
        "/sparql", params={"query": SELECT_BELL}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.status_code == 406, response.text[:300]
    error = error_of(response)
    assert "XML 1.0 cannot carry" in error["message"] and "application/sparql-results+json" in error["supported"]
    exact = control_client.get("/sparql", params={"query": SELECT_BELL})
    assert exact.status_code == 200
    assert [b["o"]["value"] for b in exact.json()["results"]["bindings"]] == [f"Bell {BEL} here"]


def test_sparql_xml_results_without_one_are_well_formed(control_client) -> None:
    response = control_client.get(
        "/sparql",
        params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.status_code == 200
    ET.fromstring(response.content)  # a conforming parser reads it


def test_rdf_xml_export_of_a_control_character_is_an_error_never_malformed_xml(control_client) -> None:
    response = control_client.get("/export/xml")
    if response.status_code == 200:  # a writer that can carry it must still write well-formed XML
        ET.fromstring(response.content)
    else:
        error = error_of(response)
        assert "ev:mini-trial" in error["message"] and "statement" in error["message"]
    assert control_client.get("/export/turtle").status_code == 200  # Turtle carries it exactly
