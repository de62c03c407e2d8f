"""GET /evidence through the real app and the real knowledge graph (curated data plus CIViC).

Each parameter, each filter, pagination, the cache, and every error the
endpoint can give (404 with suggestions, 422 naming the parameter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings

HEADLINE = {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _get(client: TestClient, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.get("/evidence", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _error(client: TestClient, status: int, **params: Any) -> dict[str, Any]:
    body = _get(client, status, **params)
    assert set(body) == {"error"}
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


# -- answers ---------------------------------------------------------------------------


def test_headline_question_resolves_every_term(client) -> None:
    body = _get(client, **HEADLINE)
    assert [(t["facet"], t["id"]) for t in body["query"]["resolved"]] == [
        ("therapy", "drug:pyrotinib"),
        ("alteration", "alt:ERBB2-amplification"),
        ("disease", "disease:nsclc"),
    ]
    assert body["total"] >= 1 and body["direct"] >= 1
    first = body["results"][0]
    assert first["rank"] == 1 and first["direct"] is True and first["distance"] == 0
    assert {m["facet"]: m["match"] for m in first["match"]} == {
        "therapy": "exact",
        "alteration": "exact",
        "disease": "exact",
    }
    assert first["evidence"]["quote"]["source"]["citation"]
    assert body["summary"]["text"]


def test_ids_synonyms_and_external_ids_are_accepted(client) -> None:
    by_name = _get(client, **HEADLINE)
    by_id = _get(client, therapy="drug:pyrotinib", alteration="alt:ERBB2-amplification", disease="DOID:3908")
    assert [r["id"] for r in by_id["results"]] == [r["id"] for r in by_name["results"]]
    assert by_id["total"] == by_name["total"]


def test_gene_parameter_asks_for_any_alteration_of_the_gene(client) -> None:
    body = _get(client, gene="HER2", disease="NSCLC", limit=50)
    assert [(t["asked"], t["id"]) for t in body["query"]["resolved"] if t["facet"] == "alteration"] == [
        ("HER2", "gene:ERBB2")
    ]
    assert body["total"] > 0
    genes = {g["id"] for r in body["results"] for g in r["evidence"]["genes"]}
    alterations = {a["id"] for r in body["results"] for a in r["evidence"]["alterations"]}
    assert "gene:ERBB2" in genes or any(a.startswith("alt:ERBB2") for a in alterations)


def test_gene_parameter_refuses_a_non_gene(client) -> None:
    error = _error(client, 404, gene="pyrotinib")
    assert error["code"] == "unknown_entity"
    assert error["parameter"] == "gene"


def test_molecular_profile_parameter_asks_for_its_alterations(client) -> None:
    body = _get(client, molecular_profile="mp:erbb2-amplification-without-egfr-t790m")
    assert "alt:ERBB2-amplification" in [t["id"] for t in body["query"]["resolved"]]


def test_repeated_therapy_matches_any_of_them(client) -> None:
    one = _get(client, therapy="trastuzumab", disease="NSCLC", include_related="false", limit=1)
    other = _get(client, therapy="pyrotinib", disease="NSCLC", include_related="false", limit=1)
    both = _get(client, therapy=["trastuzumab", "pyrotinib"], disease="NSCLC", include_related="false", limit=1)
    assert [t["id"] for t in both["query"]["resolved"] if t["facet"] == "therapy"] == [
        "drug:trastuzumab",
        "drug:pyrotinib",
    ]
    assert both["total"] >= max(one["total"], other["total"])


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("evidence_type", "prognostic", "evidence_type"),
        ("direction", "does_not_support", "direction"),
        ("significance", "resistance", "significance"),
        ("level", "A", "level"),
    ],
)
def test_each_filter_keeps_only_matching_items(client, name: str, value: str, field: str) -> None:
    body = _get(client, gene="EGFR", limit=100, **{name: value})
    assert body["total"] > 0, f"EGFR evidence should include {name}={value}"
    assert body["query"]["filters"] == {name: [value]}
    assert {r["evidence"][field] for r in body["results"]} == {value}
    unfiltered = _get(client, gene="EGFR", limit=1)
    assert body["total"] < unfiltered["total"]


def test_design_filter(client) -> None:
    body = _get(client, design="single_arm_trial", limit=100)
    assert body["total"] > 0
    assert {r["evidence"]["study"]["design"] for r in body["results"]} == {"single_arm_trial"}


def test_measure_filter(client) -> None:
    body = _get(client, measure="hazard_ratio", limit=100)
    assert body["total"] > 0
    for result in body["results"]:
        assert "hazard_ratio" in {o["measure"] for o in result["evidence"]["outcomes"]}


def test_repeated_filter_values_are_alternatives(client) -> None:
    a = _get(client, level="A", limit=1)["total"]
    b = _get(client, level="B", limit=1)["total"]
    assert _get(client, level=["A", "B"], limit=1)["total"] == a + b


def test_include_related_false_drops_related_matches(client) -> None:
    related = _get(client, **HEADLINE, limit=200)
    strict = _get(client, **HEADLINE, include_related="false", limit=200)
    assert strict["query"]["include_related"] is False
    assert strict["total"] <= related["total"]
    assert all(m["match"] != "related" for r in strict["results"] for m in r["match"])


def test_summary_can_be_left_out(client) -> None:
    assert "summary" not in _get(client, **HEADLINE, summary="false")


def test_no_question_browses_everything_in_rank_order(client, kg_full) -> None:
    body = _get(client, limit=5)
    assert body["total"] == len(kg_full.corpus.evidence)
    assert [r["rank"] for r in body["results"]] == [1, 2, 3, 4, 5]


# -- pagination -------------------------------------------------------------------------


def test_pages_are_consecutive_slices_of_one_ranking(client) -> None:
    everything = _get(client, gene="EGFR", disease="NSCLC", limit=60)
    assert everything["total"] > 30
    first = _get(client, gene="EGFR", disease="NSCLC", limit=20)
    second = _get(client, gene="EGFR", disease="NSCLC", offset=20, limit=20)
    assert [r["id"] for r in first["results"] + second["results"]] == [r["id"] for r in everything["results"][:40]]
    assert [r["rank"] for r in second["results"]] == list(range(21, 41))
    assert second["offset"] == 20 and second["limit"] == 20
    assert first["total"] == second["total"] == everything["total"]


def test_a_page_past_the_end_is_empty_not_an_error(client) -> None:
    body = _get(client, **HEADLINE, offset=10_000)
    assert body["results"] == [] and body["total"] >= 1


def test_large_pages_are_answered_too(client, kg_full) -> None:
    body = _get(client, limit=500, summary="false")
    assert len(body["results"]) == min(500, len(kg_full.corpus.evidence))


# -- cache --------------------------------------------------------------------------------


def test_a_repeated_question_is_served_from_the_cache_with_identical_bytes(client) -> None:
    params = {"therapy": "osimertinib", "disease": "NSCLC", "limit": 7}
    first = client.get("/evidence", params=params)
    second = client.get("/evidence", params=params)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-cache"] == "miss" and second.headers["x-cache"] == "hit"
    assert first.content == second.content


def test_errors_are_not_cached(client) -> None:
    for _ in range(2):
        response = client.get("/evidence", params={"therapy": "pyrotinb"})
        assert response.status_code == 404
        assert "x-cache" not in response.headers


def test_the_cache_can_be_turned_off(kg_full) -> None:
    app = create_app(kg_full, settings=ApiSettings(sparql_enabled=False, response_cache_size=0))
    client = TestClient(app)
    for _ in range(2):
        response = client.get("/evidence", params=HEADLINE)
        assert response.status_code == 200 and "x-cache" not in response.headers


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "value", "meant"),
    [
        ("therapy", "pyrotinb", "drug:pyrotinib"),
        ("alteration", "ERBB2 amplificaton", "alt:ERBB2-amplification"),
        ("disease", "non-small cell lung carcinom", "disease:nsclc"),
    ],
)
def test_unknown_name_is_404_with_suggestions(client, parameter: str, value: str, meant: str) -> None:
    error = _error(client, 404, **{parameter: value})
    assert error["code"] == "unknown_entity"
    assert error["parameter"] == parameter
    assert error["value"] == value
    assert meant in [s["id"] for s in error["suggestions"]]
    assert all(set(s) == {"id", "label", "type"} for s in error["suggestions"])
    assert "did you mean" in error["message"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"level": "Z"}, "level"),
        ({"evidence_type": "anecdotal"}, "evidence_type"),
        ({"direction": "maybe"}, "direction"),
        ({"significance": "great"}, "significance"),
        ({"design": "vibes"}, "design"),
        ({"measure": "mood"}, "measure"),
        ({"include_related": "perhaps"}, "include_related"),
        ({"therapy": ""}, "therapy"),
        ({"therapy": "   "}, "therapy"),
        ({"therapy": "x" * 201}, "therapy"),
        ({"therapy": [f"drug{i}" for i in range(11)]}, "therapy"),
        ({"disease": ["NSCLC", "breast cancer"]}, "disease"),
    ],
)
def test_bad_parameter_is_422_naming_it(client, params: dict[str, Any], parameter: str) -> None:
    error = _error(client, 422, **params)
    assert error["code"] == "invalid_parameter"
    assert error["parameter"] == parameter
    assert parameter in error["message"]


def test_enum_error_lists_the_allowed_values(client) -> None:
    error = _error(client, 422, level="Z")
    assert all(letter in error["message"] for letter in "ABCDE")
    assert error["errors"][0]["input"] == "Z"


def test_tighter_settings_are_enforced_with_the_same_shape(kg_full) -> None:
    client = TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False, max_limit=25, max_terms=1)))
    limit = client.get("/evidence", params={"limit": 26})
    assert limit.status_code == 422 and limit.json()["error"]["parameter"] == "limit"
    terms = client.get("/evidence", params={"therapy": ["pyrotinib", "trastuzumab"]})
    assert terms.status_code == 422 and terms.json()["error"]["parameter"] == "therapy"


@pytest.mark.parametrize("blank", [" ", "\t", " \n\r "])
def test_a_blank_name_is_refused_in_words(client, blank: str) -> None:
    error = _get(client, 422, therapy=blank)["error"]
    assert error["parameter"] == "therapy"
    assert "something other than spaces, tabs and line breaks" in error["message"]


@pytest.mark.parametrize("name", ["\x1c", "\u3000", "\x85"])
def test_a_name_the_documented_pattern_accepts_is_looked_up_not_refused(client, name: str) -> None:
    """Python's str.strip() blanks these, but the OpenAPI pattern accepts them (schemathesis found it)."""
    error = _get(client, 404, therapy=name)["error"]
    assert error["code"] == "unknown_entity" and error["parameter"] == "therapy"
