"""GET /ask through the real app: how a free-text question is read, paginated, and refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings

HEADLINE = "what evidence supports pyrotinib in HER2-amplified NSCLC?"


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _ask(client: TestClient, q: str, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.get("/ask", params={"q": q, **params})
    assert response.status_code == status, response.text
    return response.json()


def test_headline_question_is_read_and_answered(client) -> None:
    body = _ask(client, HEADLINE)
    assert body["question"] == HEADLINE
    assert [(m["id"], m["facet"]) for m in body["recognised"]] == [
        ("drug:pyrotinib", "therapy"),
        ("alt:ERBB2-amplification", "alteration"),
        ("disease:nsclc", "disease"),
    ]
    assert body["recognised"][1]["text"] == "HER2-amplified"
    assert "pyrotinib" in body["interpretation"] and "ERBB2 amplification" in body["interpretation"]
    assert body["total"] >= 1 and body["results"][0]["direct"] is True


def test_ask_and_evidence_give_the_same_ranking(client) -> None:
    asked = _ask(client, HEADLINE, limit=50)
    structured = client.get(
        "/evidence",
        params={"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC", "limit": 50},
    ).json()
    assert [r["id"] for r in asked["results"]] == [r["id"] for r in structured["results"]]


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("aumolertinib in EGFR L858R NSCLC", "drug:almonertinib"),
        ("T-DM1 in HER2-mutant lung cancer", "drug:trastuzumab-emtansine"),
        ("HER2 in NSCLC", "gene:ERBB2"),
    ],
)
def test_synonyms_are_recognised(client, question: str, entity: str) -> None:
    body = _ask(client, question)
    assert entity in [m["id"] for m in body["recognised"]]


def test_cue_words_order_the_answer(client) -> None:
    body = _ask(client, "prognosis of EGFR mutation in NSCLC")
    assert body["reading"]["evidence_type"] == ["prognostic"]
    assert not body["query"]["filters"]  # preferred, not required: a cue word never empties the answer
    assert any("prognostic" in step for step in body["query"]["ordering"]), body["query"]["ordering"]
    assert "prognosis" not in body["keywords"]  # spent on the cue, not also a content word
    assert body["results"][0]["evidence"]["evidence_type"] == "prognostic"


def test_pagination(client) -> None:
    whole = _ask(client, "EGFR in NSCLC", limit=30)
    page = _ask(client, "EGFR in NSCLC", offset=10, limit=10)
    assert [r["id"] for r in page["results"]] == [r["id"] for r in whole["results"][10:20]]
    assert page["results"][0]["rank"] == 11


@pytest.mark.parametrize("question", ["", "x" * 1001])
def test_empty_or_overlong_question_is_422_on_q(client, question: str) -> None:
    error = _ask(client, question, 422)["error"]
    assert error["code"] == "invalid_parameter" and error["parameter"] == "q"


def test_missing_question_is_422_on_q(client) -> None:
    response = client.get("/ask")
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "q"


def test_question_naming_nothing_known_is_422_with_a_hint(client) -> None:
    error = _ask(client, "what about pyrotinxyz for it?", 422)["error"]
    assert error["parameter"] == "q"
    assert "did you mean" in error["message"] or "naming a drug" in error["message"]


def test_a_near_misspelling_is_read_with_a_note_not_refused(client) -> None:
    body = _ask(client, "what about pyrotinb in lung?")
    assert body["reading"]["therapy"] == ["drug:pyrotinib"]
    assert "read 'pyrotinb' as pyrotinib" in body["interpretation"]


def test_whitespace_question_is_422(client) -> None:
    assert _ask(client, "   ", 422)["error"]["parameter"] == "q"
