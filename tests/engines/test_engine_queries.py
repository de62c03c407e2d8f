"""/sparql on an external engine behaves like the embedded store: guard, formats, row cap, headers.

Each test runs against Oxigraph's server and Virtuoso (the ``engine``
fixture), both holding the seed + CIViC graph that ``kg publish`` loaded,
and compares with the embedded pyoxigraph store built from the same export:
the same query gives the same bytes in every result format, whichever store
answers. The guard is checked where it matters for an external engine: a
refused query never reaches it, which a recording proxy in front of the
engine proves (and a permitted query through the same proxy shows the proxy
sees what is sent).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

import httpx
import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.sparql import EndpointSpec, ForbiddenQueryError, SparqlService
from tests.engines.conftest import ENGINES_GROUP, Engine, wait_ready

pytestmark = [ENGINES_GROUP, pytest.mark.server]

ROW_CAP = 100
PREFIXES = (
    "PREFIX ekg: <https://w3id.org/evidence-kg/vocab#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)
#: Outcomes of the seed's evidence, ordered completely (no ties between distinct rows).
OUTCOMES = (
    PREFIXES
    + "SELECT ?item ?measure ?value WHERE { ?item ekg:hasOutcome ?o . ?o ekg:measure ?measure ; ekg:value ?value }"
    " ORDER BY ?item ?measure STR(?value)"
)
#: xsd:boolean values (Virtuoso gives them back as 1/0 unless put right).
PLACEBO = PREFIXES + "SELECT ?arm ?placebo WHERE { ?arm ekg:placebo ?placebo } ORDER BY ?arm"
DRUG_LABELS = (
    PREFIXES + "CONSTRUCT { ?d skos:prefLabel ?l } WHERE { ?d a ekg:Drug ; skos:prefLabel ?l } ORDER BY ?d LIMIT 60"
)
SELECT_ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, full_export, kg_full) -> Iterator[SparqlService]:
    """The embedded store built from the same export: what every engine's answer is compared with."""
    root = tmp_path_factory.mktemp("embedded-store")
    with SparqlService.from_ntriples(
        root, "full", Path(full_export), max_rows=ROW_CAP, workers=1, expected_version=kg_full.version
    ) as service:
        yield service


@pytest.fixture(scope="module")
def services(kg_full) -> Iterator[dict[str, SparqlService]]:
    """One service per engine, opened on first use and closed with the module."""
    opened: dict[str, SparqlService] = {}
    yield opened
    for service in opened.values():
        service.close()


@pytest.fixture
def remote(engine: Engine, services, kg_full) -> SparqlService:
    if engine.name not in services:
        services[engine.name] = SparqlService(
            engine.spec(), timeout_s=30, max_rows=ROW_CAP, workers=2, expected_version=kg_full.version
        )
    return services[engine.name]


def test_the_engine_is_recognised_and_declares_the_data_version(remote, engine, kg_full) -> None:
    described = remote.describe()
    assert described.engine == engine.name
    assert described.engine_version  # from the Server header, e.g. 0.5.13 or 07.20.3229
    assert described.endpoint == engine.url
    assert described.data_version == kg_full.version


@pytest.mark.parametrize("accept", SELECT_ACCEPTS)
def test_select_answers_equal_the_embedded_store_byte_for_byte(remote, embedded, accept) -> None:
    for query in (OUTCOMES, PLACEBO):
        ours, theirs = embedded.query(query, accept), remote.query(query, accept)
        assert theirs.body == ours.body
        assert theirs.media_type == ours.media_type
        assert theirs.headers() == ours.headers()
    assert b"22.2" in remote.query(OUTCOMES, "text/csv").body  # the headline ORR, exactly as published


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_is_a_boolean_on_every_engine(remote, embedded, accept) -> None:
    for query in (PREFIXES + "ASK { ?d a ekg:Drug }", PREFIXES + "ASK { ?d a ekg:NoSuchClass }"):
        assert remote.query(query, accept).body == embedded.query(query, accept).body


@pytest.mark.parametrize(("accept", "rdf_format"), [("text/turtle", "TURTLE"), ("application/n-triples", "N_TRIPLES")])
def test_construct_gives_the_same_triples(remote, embedded, accept, rdf_format) -> None:
    def triples(body: bytes, fmt: str) -> set[str]:
        return {str(quad.triple) for quad in pyoxigraph.parse(body, format=getattr(pyoxigraph.RdfFormat, fmt))}

    ours = triples(embedded.query(DRUG_LABELS, accept).body, rdf_format)
    answer = remote.query(DRUG_LABELS, accept)
    assert answer.media_type.startswith(accept)
    assert triples(answer.body, rdf_format) == ours
    assert answer.row_count == len(ours) == 60 and not answer.truncated


def test_the_row_cap_cuts_and_says_so(remote, embedded) -> None:
    # LIMIT 1000: ten times the cap, and no engine spends long computing the rows nobody reads.
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000"
    cut = remote.query(query, "text/csv")
    assert cut.truncated and cut.row_count == ROW_CAP
    assert cut.headers()["X-SPARQL-Truncated"] == "true"
    assert cut.headers()["X-SPARQL-Row-Limit"] == str(ROW_CAP)
    assert len(cut.body.splitlines()) == ROW_CAP + 1  # header line + rows
    whole = remote.query(query.replace("1000", str(ROW_CAP)), "text/csv")
    assert not whole.truncated and whole.row_count == ROW_CAP and "X-SPARQL-Truncated" not in whole.headers()
    constructed = remote.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1000", "application/n-triples")
    assert constructed.truncated and constructed.row_count == ROW_CAP


# -- the guard: nothing refused reaches the engine ----------------------------------------------


class _Forwarder(http.server.BaseHTTPRequestHandler):
    """Records each request's SPARQL query, then forwards it to the engine and relays the answer."""

    target = ""
    seen: ClassVar[list[str]] = []
    engine_server = ""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.seen.append(parse_qs(body.decode())["query"][0])
        headers = {key: value for key, value in self.headers.items() if key.lower() in ("content-type", "accept")}
        answer = httpx.post(self.target, content=body, headers=headers, timeout=60)
        self.engine_server = answer.headers.get("server", "")
        self.send_response(answer.status_code)
        for key in ("content-type", "x-sql-state", "x-sparql-maxrows"):
            if key in answer.headers:
                self.send_header(key, answer.headers[key])
        self.send_header("content-length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def version_string(self) -> str:
        return self.engine_server  # the engine's own Server header, which names it

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def proxy(engine: Engine) -> Iterator[tuple[Engine, list[str]]]:
    seen: ClassVar[list[str]] = []
    handler = type("Forwarder", (_Forwarder,), {"target": engine.url, "seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield Engine(engine.name, f"http://127.0.0.1:{server.server_address[1]}/sparql", engine.graph), seen
    finally:
        server.shutdown()
        server.server_close()


FORBIDDEN = [
    PREFIXES + 'INSERT DATA { <urn:x> skos:prefLabel "x" }',
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.nt>",
    "CLEAR ALL",
    "SELECT * FROM <http://127.0.0.1:9/data.nt> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/named.nt> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/x> { ?s ?p ?x } } } LIMIT 1",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
]


def test_refused_queries_never_reach_the_engine(proxy, kg_full) -> None:
    through, seen = proxy
    with SparqlService(through.spec(), timeout_s=30, max_rows=ROW_CAP, workers=1) as service:
        seen.clear()  # the start-up checks went through the proxy
        for query in FORBIDDEN:
            with pytest.raises(ForbiddenQueryError):
                service.query(query)
        assert seen == []
        assert service.query("ASK { ?s ?p ?o }").body  # the control: a permitted query does go through
        assert seen == ["ASK { ?s ?p ?o }"]


def test_the_http_api_refuses_before_sending_too(proxy, kg_full) -> None:
    through, seen = proxy
    settings = ApiSettings(
        sparql_endpoint=through.url, sparql_graph=through.graph, sparql_workers=1, sparql_max_rows=ROW_CAP
    )
    with TestClient(create_app(kg_full, settings=settings)) as client:
        wait_ready(client)
        seen.clear()
        refusals = [
            client.post("/sparql", data={"update": "CLEAR ALL"}),
            client.post("/sparql", content="CLEAR ALL", headers={"content-type": "application/sparql-update"}),
            client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/g"}),
            client.get("/sparql", params={"query": FORBIDDEN[6]}),
            client.post("/sparql", content=FORBIDDEN[4], headers={"content-type": "application/sparql-query"}),
        ]
        assert [response.status_code for response in refusals] == [400] * len(refusals)
        assert {response.json()["error"]["code"] for response in refusals} == {"forbidden_query"}
        assert seen == []
        everything = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000"
        answer = client.get("/sparql", params={"query": everything}, headers={"accept": "text/csv"})
        assert answer.status_code == 200 and answer.headers["x-sparql-truncated"] == "true"
        assert answer.headers["x-sparql-row-limit"] == str(ROW_CAP)
        assert len(seen) == 1


def test_an_unreachable_engine_is_a_clear_error(kg_full) -> None:
    from kg.sparql import StoreError
    from tests.test_server import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
        SparqlService(EndpointSpec(url), workers=1)
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_endpoint=url, sparql_workers=1))) as client:
        sparql = client.get("/sparql", params={"query": "ASK {}"})  # waits for the check to end
        assert sparql.status_code == 503 and url in sparql.json()["error"]["message"]
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["error"]["code"] == "store_unavailable"
