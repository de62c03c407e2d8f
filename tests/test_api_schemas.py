"""The documentation does not lie: real answers validate against the documented models.

Endpoints return orjson bytes and never go through their ``response_model``,
so nothing else would notice a payload drifting from the OpenAPI document.
Every model forbids unknown fields, so a field added to a payload without
being documented fails here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import schemas
from api.app import create_app
from api.docs import HEADLINE_QUESTION
from api.settings import ApiSettings


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


OK_CASES: list[tuple[str, dict[str, Any], type[BaseModel]]] = [
    (
        "/evidence",
        {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC", "limit": 100},
        schemas.EvidenceAnswer,
    ),
    ("/evidence", {"therapy": "trastuzumab", "disease": "NSCLC", "limit": 200}, schemas.EvidenceAnswer),
    ("/evidence", {"gene": "EGFR", "limit": 500, "summary": "false"}, schemas.EvidenceAnswer),
    ("/evidence", {"measure": "hazard_ratio", "limit": 200}, schemas.EvidenceAnswer),
    ("/ask", {"q": HEADLINE_QUESTION, "limit": 100}, schemas.AskAnswer),
    ("/ask", {"q": "pyrotinib for MET amplification"}, schemas.AskAnswer),
    ("/ask", {"q": "aumolertinib with pyrotinib for EGFR L858R lung cancer in the brain"}, schemas.AskAnswer),
    ("/entities", {"q": "pyro"}, schemas.EntityPage),
    ("/entities/drug:pyrotinib", {}, schemas.EntityDetail),
    ("/entities/DOID:3908", {}, schemas.EntityDetail),
    ("/entities/ev:civic-1041", {}, schemas.EntityDetail),
    ("/entities/study:chictr1800020262", {}, schemas.EntityDetail),
    ("/entities/src:pan-zhou-2024", {}, schemas.EntityDetail),
    ("/entities/drug:pyrotinib/neighbors", {"depth": 2}, schemas.NeighbourhoodAnswer),
    ("/sources", {"limit": 500}, schemas.SourcePage),
    ("/sources/src:pan-zhou-2024", {}, schemas.SourceDetail),
    ("/health", {}, schemas.Health),
    ("/health/ping", {}, schemas.Ping),
]


@pytest.mark.parametrize(("path", "params", "model"), OK_CASES, ids=[f"{p}?{q}" for p, q, _ in OK_CASES])
def test_answers_validate_against_their_documented_model(client, path, params, model) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    model.model_validate(response.json())


def test_every_evidence_item_validates(client, kg_full) -> None:
    """Every item's payload (curated and CIViC) fits EvidencePayload."""
    total = len(kg_full.corpus.evidence)
    for offset in range(0, total, 500):
        body = client.get("/evidence", params={"offset": offset, "limit": 500, "summary": "false"}).json()
        for result in body["results"]:
            schemas.EvidencePayload.model_validate(result["evidence"])


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
    schemas.ErrorBody.model_validate(response.json())


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
