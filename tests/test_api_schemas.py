"""The documentation does not lie: real answers validate against the documented types.

Endpoints return orjson bytes and never go through their ``response_model``,
so nothing else would notice a payload drifting from the OpenAPI document.
The documented types are the types the answers are built as (TypedDicts of
``kg.query`` and the routers, record payloads derived from the models);
every one forbids unknown keys and requires its keys, so a key added to or
missing from an answer without its type saying so fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from api.app import create_app
from api.docs import HEADLINE_QUESTION, ErrorBody
from api.routers.entities import EntityPage, NeighbourhoodAnswer
from api.routers.health import Health, Ping
from api.routers.sources import SourceDetail, SourcePage
from api.settings import ApiSettings
from kg.query.answer import AnswerPayload
from kg.query.ask import AskAnswer
from kg.query.entity import EntityDetail
from kg.query.payload import EvidencePayload


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


OK_CASES: list[tuple[str, dict[str, Any], Any]] = [
    (
        "/evidence",
        {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC", "limit": 100},
        AnswerPayload,
    ),
    ("/evidence", {"therapy": "trastuzumab", "disease": "NSCLC", "limit": 200}, AnswerPayload),
    ("/evidence", {"gene": "EGFR", "limit": 500, "summary": "false"}, AnswerPayload),
    ("/evidence", {"measure": "hazard_ratio", "limit": 200}, AnswerPayload),
    ("/ask", {"q": HEADLINE_QUESTION, "limit": 100}, AskAnswer),
    ("/ask", {"q": "pyrotinib for MET amplification"}, AskAnswer),
    ("/ask", {"q": "aumolertinib with pyrotinib for EGFR L858R lung cancer in the brain"}, AskAnswer),
    ("/entities", {"q": "pyro"}, EntityPage),
    ("/entities/drug:pyrotinib", {}, EntityDetail),
    ("/entities/DOID:3908", {}, EntityDetail),
    ("/entities/ev:civic-1041", {}, EntityDetail),
    ("/entities/study:chictr1800020262", {}, EntityDetail),
    ("/entities/src:pan-zhou-2024", {}, EntityDetail),
    ("/entities/drug:pyrotinib/neighbors", {"depth": 2}, NeighbourhoodAnswer),
    ("/sources", {"limit": 500}, SourcePage),
    ("/sources/src:pan-zhou-2024", {}, SourceDetail),
    ("/health", {}, Health),
    ("/health/ping", {}, Ping),
]


@pytest.mark.parametrize(("path", "params", "documented"), OK_CASES, ids=[f"{p}?{q}" for p, q, _ in OK_CASES])
def test_answers_validate_against_their_documented_type(client, path, params, documented) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    TypeAdapter(documented).validate_python(response.json())


def test_every_evidence_item_validates(client, kg_full) -> None:
    """Every item's payload (curated and CIViC) fits EvidencePayload."""
    adapter = TypeAdapter(EvidencePayload)
    total = len(kg_full.corpus.evidence)
    for offset in range(0, total, 500):
        body = client.get("/evidence", params={"offset": offset, "limit": 500, "summary": "false"}).json()
        for result in body["results"]:
            adapter.validate_python(result["evidence"])


def test_a_payload_missing_a_key_or_with_an_extra_one_does_not_validate(client) -> None:
    """The check above can fail: the documented type requires every key and forbids others."""
    body = client.get("/evidence", params={"therapy": "pyrotinib", "limit": 1}).json()
    evidence = body["results"][0]["evidence"]
    adapter = TypeAdapter(EvidencePayload)
    with pytest.raises(ValueError, match="statement"):
        adapter.validate_python({key: value for key, value in evidence.items() if key != "statement"})
    with pytest.raises(ValueError, match="undocumented"):
        adapter.validate_python({**evidence, "undocumented": 1})


ERROR_CASES = [
    ("/evidence", {"therapy": "pyrotinb"}),
    ("/evidence", {"limit": 0}),
    ("/ask", {"q": "nothing known here"}),
    ("/entities/drug:nope", {}),
    ("/sources/src:nope", {}),
    ("/no-such-route", {}),
]


@pytest.mark.parametrize(("path", "params"), ERROR_CASES)
def test_errors_validate_against_the_error_shape(client, path, params) -> None:
    response = client.get(path, params=params)
    assert response.status_code >= 400
    ErrorBody.model_validate(response.json())


def test_openapi_documents_the_headline_question_and_the_error_shape(client) -> None:
    spec = client.get("/openapi.json").json()
    evidence = spec["paths"]["/evidence"]["get"]
    names = {p["name"] for p in evidence["parameters"]}
    assert {
        "therapy", "alteration", "gene", "molecular_profile", "disease", "evidence_type", "direction",
        "significance", "level", "design", "measure", "include_related", "offset", "limit",
    } <= names  # fmt: skip
    examples = {p["name"]: p.get("examples", {}) for p in evidence["parameters"]}
    assert examples["therapy"]["headline"]["value"] == ["pyrotinib"]
    assert examples["disease"]["headline"]["value"] == "NSCLC"
    ask = spec["paths"]["/ask"]["get"]
    assert ask["parameters"][0]["examples"]["headline"]["value"] == HEADLINE_QUESTION
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")) and "application/json" in answer.get("content", {}):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (path, method, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
