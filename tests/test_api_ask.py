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


def test_broader_terms_on_two_facets_are_the_nearest_evidence_not_direct(client) -> None:
    """A drug class in cancer in general bears on "panitumumab in KRAS-mutant lung cancer" but is not evidence for it."""
    body = _ask(client, "panitumumab for KRAS mutant lung cancer", limit=20)
    assert body["direct"] == 0
    widened = [step["description"] for step in body["relaxations"]]
    assert "therapy Panitumumab widened to a broader term" in widened
    assert any(step.startswith("disease ") and step.endswith("widened to a broader term") for step in widened)
    for result in body["results"]:
        broader = [match["facet"] for match in result["match"] if match["match"] == "broader"]
        assert not result["direct"], (result["id"], broader)
    first = body["results"][0]
    assert sorted(m["facet"] for m in first["match"] if m["match"] == "broader") == ["disease", "therapy"]


def test_one_broader_facet_is_still_direct(client) -> None:
    body = _ask(client, "trastuzumab emtansine HER2 mutant lung cancer", limit=50)
    assert body["direct"] > 0
    kinds = {r["id"]: [m["match"] for m in r["match"]] for r in body["results"]}
    one_broader = [
        r
        for r in body["results"]
        if kinds[r["id"]].count("broader") == 1 and set(kinds[r["id"]]) <= {"exact", "narrower", "broader"}
    ]
    assert one_broader and all(r["direct"] for r in one_broader)


@pytest.mark.parametrize(
    "question",
    [
        "imatinib BCR-ABL chronic myeloid leukemia",
        "vemurafenib BRAF V600E melanoma",
        "osimertinib EGFR T790M NSCLC",
        "trastuzumab HER2-positive breast cancer",
        "crizotinib ALK fusion lung cancer",
    ],
)
def test_within_a_tier_validated_evidence_and_outcomes_come_before_narratives(client, kg_full, question) -> None:
    """The static order: level A and items reporting outcomes first, then by level, then outcomes before narratives."""
    body = _ask(client, question, limit=100)
    levels = "ABCDE"
    keys = []
    for result in body["results"]:
        if len(result["ranked"]) != 2:  # a preference of the question met: ordered by it first
            continue
        item = kg_full.corpus.evidence[result["id"]]
        first = bool(item.outcomes) or item.level.value == "A"
        keys.append((result["ranked"][0], 0 if first else 1, levels.index(item.level.value), 0 if item.outcomes else 1))
    assert len(keys) >= 5, question
    by_tier: dict[str, list[tuple[int, int, int]]] = {}
    for tier, *key in keys:
        by_tier.setdefault(tier, []).append(tuple(key))
    for tier, tier_keys in by_tier.items():
        assert tier_keys == sorted(tier_keys), (question, tier, tier_keys)
