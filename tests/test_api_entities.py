"""/entities: autocomplete (prefix and fuzzy), lookup by id / external id / name, neighbourhoods."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


# -- search ------------------------------------------------------------------------------


def test_prefix_search_offers_pyrotinib_after_four_letters(client) -> None:
    body = client.get("/entities", params={"q": "pyro"}).json()
    assert body["results"][0]["id"] == "drug:pyrotinib"
    assert body["results"][0]["match"] == "prefix"
    assert body["query"] == "pyro"


def test_fuzzy_search_survives_a_typo(client) -> None:
    body = client.get("/entities", params={"q": "pyrotinb"}).json()
    hit = next(r for r in body["results"] if r["id"] == "drug:pyrotinib")
    assert hit["match"] == "fuzzy"


def test_synonym_search_finds_the_entity(client) -> None:
    body = client.get("/entities", params={"q": "aumolertinib"}).json()
    assert body["results"][0] == {**body["results"][0], "id": "drug:almonertinib", "match": "exact"}
    assert "aumolertinib" in [s.lower() for s in body["results"][0]["synonyms"]]


def test_type_filter_restricts_results(client) -> None:
    body = client.get("/entities", params={"q": "ERBB2", "type": "gene"}).json()
    assert body["types"] == ["gene"]
    assert body["results"] and {r["type"] for r in body["results"]} == {"gene"}
    several = client.get("/entities", params={"q": "ERBB2", "type": ["gene", "alteration"], "limit": 20}).json()
    assert {r["type"] for r in several["results"]} <= {"gene", "alteration"}
    assert "alteration" in {r["type"] for r in several["results"]}


def test_limit_bounds_the_suggestions(client) -> None:
    assert len(client.get("/entities", params={"q": "EGFR", "limit": 3}).json()["results"]) == 3


def test_nothing_matching_is_an_empty_list(client) -> None:
    body = client.get("/entities", params={"q": "zzzzqqqqxxxx"}).json()
    assert body["results"] == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "a", "type": "evidence"}, "type"), ({"q": "a", "limit": 51}, "limit")],
)
def test_search_errors_name_the_parameter(client, params, parameter) -> None:
    response = client.get("/entities", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


# -- one entity ------------------------------------------------------------------------------


def test_entity_by_curie(client) -> None:
    body = client.get("/entities/drug:pyrotinib").json()
    assert body["id"] == "drug:pyrotinib" and body["type"] == "drug" and body["label"] == "pyrotinib"
    assert "resolved_from" not in body


def test_entity_by_external_id_resolves_to_ours(client) -> None:
    body = client.get("/entities/DOID:3908").json()
    assert body["id"] == "disease:nsclc"
    assert body["resolved_from"] == "DOID:3908"
    assert "DOID:3908" in [x["id"] for x in body["xrefs"]]
    assert "disease:lung-adenocarcinoma" in [c["id"] for c in body["children"]]


def test_entity_by_name_or_synonym(client) -> None:
    assert client.get("/entities/T-DM1").json()["id"] == "drug:trastuzumab-emtansine"
    assert client.get("/entities/HER2").json()["id"] == "gene:ERBB2"


def test_evidence_study_and_source_entities_carry_their_record(client) -> None:
    evidence = client.get("/entities/ev:civic-1041").json()
    assert evidence["type"] == "evidence" and evidence["evidence"]["id"] == "ev:civic-1041"
    study = client.get("/entities/study:chictr1800020262").json()
    assert study["study"]["name"] == "ChiCTR1800020262"
    source = client.get("/entities/src:pan-zhou-2024").json()
    assert source["source"]["citation"]


def test_unknown_entity_is_404_with_suggestions(client) -> None:
    response = client.get("/entities/drug:pyrotinb")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_entity" and error["parameter"] == "entity_id"
    assert "drug:pyrotinib" in [s["id"] for s in error["suggestions"]]
    assert "did you mean" in error["message"]


def test_every_node_of_the_curated_graph_can_be_fetched(kg_curated) -> None:
    client = TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False)))
    for node in kg_curated.graph.nodes:
        response = client.get(f"/entities/{node}")
        assert response.status_code == 200, (node, response.text)
        assert response.json()["id"] == node


# -- neighbourhoods ------------------------------------------------------------------------


def test_neighbors_of_pyrotinib(client) -> None:
    body = client.get("/entities/drug:pyrotinib/neighbors").json()
    assert body["center"] == "drug:pyrotinib" and body["depth"] == 1
    distances = {n["id"]: n["distance"] for n in body["nodes"]}
    assert distances["drug:pyrotinib"] == 0
    assert set(distances.values()) == {0, 1}
    ids = set(distances)
    assert all(e["subject"] in ids and e["object"] in ids for e in body["edges"])
    assert any(n["type"] == "evidence" for n in body["nodes"])


def test_deeper_neighbourhood_is_larger_and_can_be_capped(client) -> None:
    one = client.get("/entities/drug:pyrotinib/neighbors", params={"depth": 1}).json()
    two = client.get("/entities/drug:pyrotinib/neighbors", params={"depth": 2, "max_nodes": 2000}).json()
    assert len(two["nodes"]) > len(one["nodes"])
    capped = client.get("/entities/drug:pyrotinib/neighbors", params={"depth": 2, "max_nodes": 5}).json()
    assert len(capped["nodes"]) == 5 and capped["truncated"] is True
    assert capped["nodes"][0]["id"] == "drug:pyrotinib"


def test_neighbors_resolve_names_and_refuse_unknowns(client) -> None:
    assert client.get("/entities/pyrotinib/neighbors").json()["center"] == "drug:pyrotinib"
    response = client.get("/entities/drug:nothing-like-this/neighbors")
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_entity"


@pytest.mark.parametrize(
    ("params", "parameter"), [({"depth": 0}, "depth"), ({"depth": 4}, "depth"), ({"max_nodes": 0}, "max_nodes")]
)
def test_neighbors_bounds(client, params, parameter) -> None:
    response = client.get("/entities/drug:pyrotinib/neighbors", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter
