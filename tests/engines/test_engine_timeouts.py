"""At the time limit every engine gives a 504, including the engines' own half-answers sent with 200.

Each pitfall is first provoked for real against the engine directly (so the
test shows the engine really does it here), then the same query goes through
the service and the HTTP API, which must answer 504 and nothing else:

* Oxigraph's ``--timeout-s`` sends ``200``, the start of the results, then
  "The SPARQL operation has been cancelled";
* Oxigraph does not cancel a sort at all: only our own deadline stops the wait;
* Virtuoso's per-request ``timeout`` sends ``200`` with a well-formed, partial
  answer and ``X-SQL-State: S1TAT`` (a COUNT that looks like a number).
"""

from __future__ import annotations

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

#: A COUNT over a three-way cross product of 250,000 triples: no engine finishes it.
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Sorts every triple by a computed key: about 10 s of Oxigraph's time, during which it never checks its cancel flag.
COSTLY_SORT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(STR(?o)) LIMIT 1"
#: A join on the predicate: Virtuoso's cost estimate lets it start, and it runs into the time limit.
PREDICATE_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?b ?f }"
JSON = "application/sparql-results+json"


def test_oxigraph_really_answers_a_cancelled_query_with_200(oxigraph_cancelling) -> None:
    try:
        raw = httpx.post(oxigraph_cancelling.url, data={"query": CROSS_COUNT}, headers={"Accept": JSON}, timeout=20)
    except httpx.ReadTimeout:
        # Seen on a loaded CI machine: the COUNT ran on past --timeout-s 1 with no answer at all. Then there is no
        # half-answer to provoke here; tests/test_sparql_client.py replays the recorded one.
        pytest.skip("this Oxigraph did not cancel the COUNT within 20 s, so it sent no cancelled-with-200 answer")
    assert raw.status_code == 200
    assert raw.text.endswith(OXIGRAPH_CANCELLED) or OXIGRAPH_CANCELLED in raw.text
    with pytest.raises(SyntaxError):  # the body is no answer
        list(pyoxigraph.parse_query_results(raw.content, format=pyoxigraph.QueryResultsFormat.JSON))


def test_oxigraph_cancel_becomes_a_504(oxigraph_cancelling, kg_full) -> None:
    # A small row cap keeps the start-up probe (cap + 1 rows) well inside the engine's 1 s.
    # Whichever stops the query first, Oxigraph's own cancel (a 200 whose body ends in its message) or our deadline
    # (an engine that ran on), the caller gets the same 504 and never a half-answer.
    with SparqlService(oxigraph_cancelling.spec(), timeout_s=20, max_rows=100, workers=1) as service:
        with pytest.raises(QueryTimeoutError) as caught:
            service.query(CROSS_COUNT)
        assert caught.value.http_status == 504 and caught.value.code == "query_timeout"
        if isinstance(caught.value, EngineCancelledError):
            assert "cancelled" in caught.value.engine_signal  # the engine's signal, read off its body
        else:
            assert caught.value.timeout_s == 20
        assert service.query("ASK { ?s ?p ?o }").body  # the service still answers afterwards


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


def test_the_http_api_answers_504_for_each_engine(oxigraph_cancelling, virtuoso, kg_full) -> None:
    cases = [
        (
            ApiSettings(
                sparql_endpoint=oxigraph_cancelling.url, sparql_timeout_s=15, sparql_workers=1, sparql_max_rows=100
            ),
            CROSS_COUNT,
        ),
        (
            ApiSettings(
                sparql_endpoint=virtuoso.url, sparql_graph=virtuoso.graph, sparql_timeout_s=5, sparql_workers=1
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
