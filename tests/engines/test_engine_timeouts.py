"""At the time limit every engine gives a 504, including the engines' own half-answers sent with 200.

Each pitfall is first provoked for real against the engine directly (so the
test shows the engine really does it here), then the same query goes through
the service and the HTTP API, which must answer 504 and nothing else:

* Oxigraph's ``--timeout-s`` sends ``200``, the start of the results, then
  "The SPARQL operation has been cancelled";
* Oxigraph ends a query it cancelled while skipping an ``OFFSET`` with a
  well-formed answer with no rows (a COUNT over it says 0): nothing in the
  answer says it was cut, so an answer that ends after the engine's declared
  limit is refused;
* Oxigraph does not cancel a sort at all: only our own deadline stops the wait;
* Virtuoso's per-request ``timeout`` sends ``200`` with a well-formed, partial
  answer and ``X-SQL-State: S1TAT`` (a COUNT that looks like a number).
"""

from __future__ import annotations

import dataclasses
import time

import httpx
import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.sparql import EngineCancelledError, QueryTimeoutError, SparqlService
from kg.sparql.engines import OXIGRAPH_CANCELLED
from tests.engines.conftest import ENGINES_GROUP, wait_ready

pytestmark = [ENGINES_GROUP, pytest.mark.server, pytest.mark.slow]

#: Sorts every triple by a computed key: about 10 s of Oxigraph's time, during which it never checks its cancel flag.
COSTLY_SORT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(STR(?o)) LIMIT 1"
#: A join on the predicate: Virtuoso's cost estimate lets it start, and it runs into the time limit.
PREDICATE_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?b ?f }"
#: Rows that stream out slowly (a filter no pair passes): Oxigraph cancels it mid-answer and says so in the body.
SLOW_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) > 100000) }"
#: Two rows after skipping 30 million of the store's pairs of triples (it holds over 250,000 triples, so there
#: are 60,000 million pairs): about 15 s of Oxigraph's time.
DEEP_OFFSET = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 2 OFFSET 30000000"
JSON = "application/sparql-results+json"


def test_oxigraph_really_answers_a_cancelled_query_with_200(oxigraph_cancelling) -> None:
    try:
        raw = httpx.post(oxigraph_cancelling.url, data={"query": SLOW_ROWS}, headers={"Accept": JSON}, timeout=8)
    except httpx.ReadTimeout:
        # Oxigraph reads its cancel flag as it makes rows (a COUNT over a cross product is never cancelled). Should it
        # run on here too, there is no half-answer to provoke; tests/test_sparql_client.py replays the recorded one.
        # (Eight times the engine's limit is enough: a cancel that comes at all comes within a second or two of it.)
        pytest.skip("this Oxigraph did not cancel the query within 8 s, so it sent no cancelled-with-200 answer")
    assert raw.status_code == 200
    assert raw.text.endswith(OXIGRAPH_CANCELLED) or OXIGRAPH_CANCELLED in raw.text
    with pytest.raises(SyntaxError):  # the body is no answer
        list(pyoxigraph.parse_query_results(raw.content, format=pyoxigraph.QueryResultsFormat.JSON))


def test_oxigraph_cancel_becomes_a_504(oxigraph_cancelling, kg_full) -> None:
    # A small row cap keeps the start-up probe (cap + 1 rows) well inside the engine's 1 s.
    # Whichever stops the query first, Oxigraph's own cancel (a 200 whose body ends in its message) or our deadline
    # (an engine that ran on), the caller gets the same 504 and never a half-answer.
    with SparqlService(oxigraph_cancelling.spec(), timeout_s=6, max_rows=100, workers=1) as service:
        with pytest.raises(QueryTimeoutError) as caught:
            service.query(SLOW_ROWS)
        assert caught.value.http_status == 504 and caught.value.code == "query_timeout"
        if isinstance(caught.value, EngineCancelledError):
            assert "cancelled" in caught.value.engine_signal  # the engine's signal, read off its body
        else:
            assert caught.value.timeout_s == 6
        assert service.query("ASK { ?s ?p ?o }").body  # the service still answers afterwards


def test_oxigraph_really_cuts_a_deep_offset_without_saying_so_and_that_is_a_504(oxigraph_cancelling, kg_full) -> None:
    started = time.monotonic()
    raw = httpx.post(oxigraph_cancelling.url, data={"query": DEEP_OFFSET}, headers={"Accept": JSON}, timeout=30)
    took = time.monotonic() - started
    assert raw.status_code == 200 and OXIGRAPH_CANCELLED not in raw.text
    rows = list(pyoxigraph.parse_query_results(raw.content, format=pyoxigraph.QueryResultsFormat.JSON))
    if len(rows) == 2:
        pytest.skip(f"this Oxigraph finished the query ({took:.1f} s) instead of cancelling it at 1 s")
    assert rows == [] and took >= 1.0, "a well-formed answer with none of the two rows the store holds, after 1 s"

    # Declared, the engine's limit turns that answer into a 504 (the service, then the HTTP API).
    declared = dataclasses.replace(oxigraph_cancelling.spec(), engine_timeout_s=1.0)
    with SparqlService(declared, timeout_s=10, max_rows=100, workers=1) as service:
        with pytest.raises(EngineCancelledError, match="own time limit") as caught:
            service.query(DEEP_OFFSET)
        assert "own time limit of 1 s" in caught.value.engine_signal
        assert service.query("ASK { ?s ?p ?o }").body  # quick answers still pass under the limit
    settings = ApiSettings(
        sparql_endpoint=oxigraph_cancelling.url, sparql_engine_timeout_s=1, sparql_timeout_s=10, sparql_workers=1
    )
    with TestClient(create_app(kg_full, settings=settings)) as client:
        wait_ready(client)
        response = client.get("/sparql", params={"query": DEEP_OFFSET})
        assert response.status_code == 504 and response.json()["error"]["code"] == "query_timeout"


def test_a_sort_oxigraph_does_not_cancel_is_stopped_by_our_deadline(oxigraph_fresh) -> None:
    with SparqlService(oxigraph_fresh.spec(), timeout_s=2, workers=1) as service:
        with pytest.raises(QueryTimeoutError) as caught:
            service.query(COSTLY_SORT)
        assert not isinstance(caught.value, EngineCancelledError)
        assert caught.value.timeout_s == 2
        assert service.runner.idle_workers == 1  # the killed worker was replaced


def test_virtuoso_really_sends_partial_results_with_200(virtuoso) -> None:
    raw = httpx.post(
        virtuoso.url,
        data={"query": PREDICATE_JOIN_COUNT, "default-graph-uri": virtuoso.graph, "timeout": "1000"},
        headers={"Accept": JSON},
        timeout=60,
    )
    assert raw.status_code == 200
    assert raw.headers["x-sql-state"] == "S1TAT"
    # A well-formed answer: only the header says it is incomplete.
    results = pyoxigraph.parse_query_results(raw.content, format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    list(results)


def test_virtuoso_partial_results_become_a_504(virtuoso) -> None:
    with SparqlService(virtuoso.spec(), timeout_s=5, workers=1) as service:
        with pytest.raises(EngineCancelledError) as caught:
            service.query(PREDICATE_JOIN_COUNT)
        assert "S1TAT" in caught.value.engine_signal
        assert service.query("ASK { ?s ?p ?o }").body


def test_virtuoso_never_answers_a_deep_offset_short(virtuoso) -> None:
    # Where Oxigraph ends a cancelled OFFSET with a well-formed empty answer, Virtuoso gives both rows when it gets
    # there in time (about 0.7 s here), and when it does not, it flags its partial answer (S1TAT): a 504.
    with SparqlService(virtuoso.spec(), timeout_s=5, workers=1) as service:
        answer = service.query(DEEP_OFFSET, JSON)
        assert answer.row_count == 2 and not answer.truncated
        with pytest.raises(QueryTimeoutError):  # 30,000 million pairs to skip: minutes of Virtuoso's time
            service.query(DEEP_OFFSET.replace("OFFSET 30000000", "OFFSET 30000000000"), JSON)


def test_the_http_api_answers_504_for_each_engine(oxigraph_cancelling, virtuoso, kg_full) -> None:
    cases = [
        (
            ApiSettings(
                sparql_endpoint=oxigraph_cancelling.url, sparql_timeout_s=6, sparql_workers=1, sparql_max_rows=100
            ),
            SLOW_ROWS,
        ),
        (
            ApiSettings(
                sparql_endpoint=virtuoso.url, sparql_graph=virtuoso.graph, sparql_timeout_s=3, sparql_workers=1
            ),
            PREDICATE_JOIN_COUNT,
        ),
    ]
    for settings, query in cases:
        with TestClient(create_app(kg_full, settings=settings)) as client:
            wait_ready(client)
            for response in (
                client.get("/sparql", params={"query": query}),
                client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
            ):
                assert response.status_code == 504, response.text
                error = response.json()["error"]
                assert error["code"] == "query_timeout"
                assert "bindings" not in response.text  # nothing of the half-answer reaches the client
