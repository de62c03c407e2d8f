"""The fast path of first-time answers gives exactly the answers of the plain path, byte for byte.

Three layers are checked, each against a reference that shares nothing
with the part it checks:

* **Reading the query string** (:class:`api.query_route.QueryRoute`): the
  real app against the same app whose routes are FastAPI's own ``APIRoute``
  (FastAPI reads and validates each declared parameter; same endpoint
  functions), on the distinct-question workload, the question set, a list
  of malformed query strings and hypothesis-generated ones: same status,
  same bytes (422 messages included).
* **Assembling the answer** (:func:`kg.query.answer.answer_json`, fragments
  kept per item and per term): against ``orjson`` over the plain dict answer
  (:func:`~kg.query.answer.answer_payload`, which keeps its own dicts), on
  every question, with the memo warm and after clearing it.
* **The summary's counts** (tiers ordered once, numpy's ``bincount`` for large
  answers): against a ``Counter`` over the items' own records in rank order,
  written here; both the small and the large path are exercised.

The workload is :func:`benchmarks.workload.distinct_questions` (1,000
questions read off the graph, fixed seed); the question set is
``tests/data/questions.yaml`` (through ``/ask``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import yaml
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.query_route import QueryRoute
from api.settings import ApiSettings
from benchmarks.workload import ENDPOINTS, distinct_questions
from kg.query.answer import answer_json, answer_payload
from kg.query.ask import ask, ask_json
from kg.query.engine import NUMPY_ORDER_FROM, find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.query.serialize import dumps
from kg.runtime.index import FILTERS

QUESTIONS = Path(__file__).parent / "data" / "questions.yaml"

MALFORMED = [
    "limit=0",
    "limit=abc",
    "limit=501",
    "offset=-1",
    "offset=100001",
    "limit=",
    "offset=",
    "limit=-0",
    "limit=1e3",
    "limit=%2B5&therapy=pyrotinib",
    "limit=05&therapy=pyrotinib",
    "limit=5.0&therapy=pyrotinib",
    "limit=5&limit=7&therapy=pyrotinib",
    "limit= 5",
    "therapy=",
    "therapy=%20",
    "therapy",
    "therapy=a&therapy=&therapy=b",
    "therapy=" + "x" * 201,
    "&".join(["therapy=pyrotinib"] * 11),
    "therapy=pyrotinb",
    "therapy=pyro%ZZtinib",
    "therapy=%E2%82",
    "therapy=pyrotinib;disease=NSCLC",
    "therapy=pyrotinib&&disease=NSCLC",
    "=x&therapy=pyrotinib",
    "therapy=pyrotinib+",
    "disease=",
    "disease=%20%09",
    "disease=" + "y" * 201,
    "disease=NSCLC&disease=lung%20cancer",
    "disease&disease=NSCLC",
    "dis%65ase=NSCLC&disease=lung%20cancer",
    "direction=bogus",
    "direction=",
    "direction=supports&direction=nope",
    "level=A&level=Z",
    "measure=orr&measure=ORR",
    "design=",
    "include_related=maybe",
    "include_related=FALSE&therapy=pyrotinib",
    "include_related=off&therapy=pyrotinib",
    "summary=no&therapy=pyrotinib",
    "summary=0&therapy=pyrotinib",
    "summary=yes&summary=maybe",
    "unknown=1&therapy=pyrotinib",
    "gene=HER2&molecular_profile=nope",
    "",
    "therapy=%C3%A9rlotinib",
    "therapy=\xe9rlotinib",
    "limit=0&offset=-1&direction=x&include_related=2",
]
ASK_MALFORMED = ["", "q=", "q=%20", "q=pyrotinib&limit=0", "q=pyrotinib&include_related=no", "q=" + "a" * 1001,
                 "q=pyrotinib&q=osimertinib", "q=pyrotinib&offset=abc&limit=x"]  # fmt: skip


def _query_routes(routes: list[Any]) -> Iterator[QueryRoute]:
    for route in routes:
        if isinstance(route, QueryRoute):
            yield route
        inner = getattr(route, "original_router", None)  # FastAPI keeps an included router whole
        if inner is not None:
            yield from _query_routes(inner.routes)


def _plain(app: Any) -> Any:
    """``app`` answering every QueryRoute's path by FastAPI's own APIRoute for the same endpoint (ahead of it)."""
    plain = [
        APIRoute(route.path, route.endpoint, methods=list(route.methods), name=route.name)
        for route in _query_routes(app.router.routes)
    ]
    assert {route.path for route in plain} >= {"/evidence", "/ask"}
    app.router.routes[:0] = plain
    return app


def _settings() -> ApiSettings:
    return ApiSettings(response_cache_size=0, sparql_enabled=False)


@pytest.fixture(scope="module")
def clients(kg_full) -> Iterator[tuple[TestClient, TestClient]]:
    fast = create_app(kg_full, settings=_settings())
    assert {route.path for route in _query_routes(fast.router.routes)} >= {"/evidence", "/ask"}
    with TestClient(fast) as fast_client, TestClient(_plain(create_app(kg_full, settings=_settings()))) as plain:
        yield fast_client, plain


@pytest.fixture(scope="module")
def workload(kg_full) -> list[str]:
    paths = [question.path for question in distinct_questions(kg_full)]
    assert len(paths) == len(set(paths)) >= 1000
    return paths


@pytest.fixture(scope="module")
def question_set() -> list[str]:
    return [entry["question"] for entry in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]


def _same(clients: tuple[TestClient, TestClient], target: str) -> int:
    fast, plain = clients
    mine, theirs = fast.get(target), plain.get(target)
    assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content), target
    return mine.status_code


# -- reading the query string ------------------------------------------------------------


def test_only_the_fast_app_reads_with_the_query_reader(clients, monkeypatch):
    """The comparison means something: the plain app's requests never go through a QueryReader."""
    from api.query_route import QueryReader

    reads: list[bytes] = []
    original = QueryReader.read

    def counting(self: QueryReader, query_string: bytes, given: Any = None) -> dict[str, Any]:
        reads.append(query_string)
        return original(self, query_string, given)

    monkeypatch.setattr(QueryReader, "read", counting)
    fast, plain = clients
    assert plain.get(ENDPOINTS["evidence"]).status_code == 200 and not reads
    assert fast.get(ENDPOINTS["evidence"]).status_code == 200 and len(reads) == 1


def test_workload_and_question_set_answer_the_same_bytes_as_fastapi_reads_them(clients, workload, question_set):
    statuses = Counter(_same(clients, path) for path in workload)
    assert statuses == {200: len(workload)}  # questions read off the graph all find something
    statuses = Counter(_same(clients, "/ask?q=" + quote(question)) for question in question_set)
    assert statuses[200] >= len(question_set) // 2
    for path in ENDPOINTS.values():
        assert _same(clients, path) == 200


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_evidence_query_strings_give_fastapis_answers(clients, query):
    _same(clients, "/evidence?" + query)


@pytest.mark.parametrize("query", ASK_MALFORMED)
def test_malformed_ask_query_strings_give_fastapis_answers(clients, query):
    _same(clients, "/ask?" + query)


_NAMES = st.sampled_from(
    ["therapy", "alteration", "gene", "molecular_profile", "disease", "limit", "offset", "include_related",
     "summary", *(spec.name for spec in FILTERS), "q", "x", "", "dis%65ase"]
)  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(
        ["pyrotinib", "HER2 amplification", "NSCLC", "erlotinib", "EGFR", "supports", "A", "orr", "0", "1", "20",
         "-1", "501", "true", "no", "", " ", "\t", "%", "%2", "%41", "+", "a&b", "é", "\u2028", "x" * 201]
    ),
    st.text(max_size=12),
)  # fmt: skip


def _asgi(app: Any, path: str, query: bytes) -> tuple[int, bytes]:
    """One GET straight to the ASGI app, the query string exactly as given (no client re-encodes it)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}  # fmt: skip
    status: list[int] = []
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    asyncio.run(app(scope, receive, send))
    return status[0], b"".join(body)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(_NAMES, _VALUES), max_size=6), raw=st.booleans(), ask_it=st.booleans())
def test_generated_query_strings_give_fastapis_answers(clients, pairs, raw, ask_it):
    """Any query string: raw bytes (percent signs, '+', non-ASCII and all) or percent-encoded."""
    if raw:
        query = "&".join(f"{name}={value}" for name, value in pairs).encode("utf-8")
    else:
        query = "&".join(f"{quote(name, safe='%')}={quote(value)}" for name, value in pairs).encode("ascii")
    path = "/ask" if ask_it else "/evidence"
    fast, plain = clients
    assert _asgi(fast.app, path, query) == _asgi(plain.app, path, query), query


@settings(max_examples=300, deadline=None)
@given(query=st.binary(max_size=40) | st.text(alphabet="ab=&+%2541éx ;", max_size=30).map(str.encode))
def test_the_query_string_is_split_as_starlette_splits_it(query):
    from starlette.datastructures import QueryParams

    from api.query_route import _pairs

    assert _pairs(query) == QueryParams(query).multi_items()


# -- assembling the answer ---------------------------------------------------------------


def _query(path: str) -> EvidenceQuery:
    """The question of a workload path (its parameters are valid by construction)."""
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(path).query):
        values.setdefault(name, []).append(value)
    fields: dict[str, Any] = {name: tuple(values[name]) for name in ("therapy", "alteration", "gene") if name in values}
    if "disease" in values:
        fields["disease"] = values["disease"][0]
    for spec in FILTERS:
        if spec.name in values:
            fields[spec.name] = tuple(spec.values(value) for value in values[spec.name])
    fields.update({name: int(values[name][0]) for name in ("offset", "limit") if name in values})
    return EvidenceQuery(**fields)


def test_assembled_answers_are_the_plain_answers_serialized(kg_full, workload, question_set):
    queries = [_query(path) for path in workload] + [EvidenceQuery(), EvidenceQuery(disease="NSCLC", limit=100)]
    for passes in range(2):  # the first pass after clearing every memo: fragments built; the second: kept
        kg_full.memo.clear()
        for query in queries[passes::2] + queries[: 40 if passes else 0]:
            assert answer_json(find_evidence(kg_full, query)) == dumps(answer_payload(find_evidence(kg_full, query)))
            assert answer_json(find_evidence(kg_full, query), summary=False) == dumps(
                answer_payload(find_evidence(kg_full, query), summary=False)
            )
    for question in question_set:
        try:
            expected = dumps(ask(kg_full, question))
        except Exception as error:  # a question naming nothing known is an error on both paths
            with pytest.raises(type(error)):
                ask_json(kg_full, question)
            continue
        assert ask_json(kg_full, question) == expected, question


# -- the summary's counts ---------------------------------------------------------------


def _reference_counts(kg: Any, answer: Any) -> dict[str, dict[str, int]]:
    """The four counts from the items' records, in rank order, ties by first appearance (Counter.most_common)."""
    studies = kg.corpus.studies
    counts: dict[str, Counter[str]] = {key: Counter() for key in ("design", "direction", "type", "level")}
    for _, items in answer.tiers:
        for position in sorted(items):
            item = kg.index.items[position]
            study = studies.get(item.study) if item.study else None
            counts["design"][study.design.value if study is not None else "unspecified"] += 1
            counts["direction"][item.direction.value] += 1
            counts["type"][item.evidence_type.value] += 1
            counts["level"][item.level.value] += 1
    return {
        "by_design": dict(counts["design"].most_common()),
        "by_direction": dict(counts["direction"].most_common()),
        "by_evidence_type": dict(counts["type"].most_common()),
        "by_level": dict(sorted(counts["level"].items())),
    }


def test_summary_counts_match_a_count_over_the_records(kg_full, workload):
    queries = [_query(path) for path in workload[:300]] + [EvidenceQuery(), EvidenceQuery(disease="NSCLC")]
    sizes = Counter()
    for query in queries:
        answer = find_evidence(kg_full, query)
        summary = answer_payload(answer)["summary"]
        reference = _reference_counts(kg_full, answer)
        for key, expected in reference.items():
            assert list(summary[key].items()) == list(expected.items()), (query, key)  # order too
        sizes["large" if answer.total >= NUMPY_ORDER_FROM else "small"] += 1
    assert sizes["large"] and sizes["small"]  # both ways of counting were checked
