"""/sources: listing with filters and pagination; one source with the evidence drawn from it."""

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


def test_list_pages_through_every_source(client, kg_full) -> None:
    first = client.get("/sources", params={"limit": 10}).json()
    second = client.get("/sources", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == len(kg_full.corpus.sources)
    ids = [s["id"] for s in first["results"] + second["results"]]
    assert ids == sorted(kg_full.corpus.sources)[:20]


def test_kind_filter(client) -> None:
    body = client.get("/sources", params={"kind": "journal_article", "limit": 100}).json()
    assert body["total"] > 0 and {s["kind"] for s in body["results"]} == {"journal_article"}


def test_word_filter_finds_the_trial_publication(client) -> None:
    body = client.get("/sources", params={"q": "ChiCTR1800020262"}).json()
    assert body["total"] >= 1
    assert all(
        "ChiCTR1800020262" in " ".join([*s["registry_ids"], s["citation"], s["title"] or ""]) for s in body["results"]
    )


def test_one_source_lists_its_evidence(client, kg_full) -> None:
    body = client.get("/sources/src:pan-zhou-2024").json()
    assert body["citation"] == "Pan and Zhou, 2024"
    assert body["doi"] == "10.3389/fonc.2024.1397238"
    assert body["evidence_total"] >= 1
    for evidence_id in body["evidence"]:
        item = kg_full.corpus.evidence[evidence_id]
        assert item.quote.source == "src:pan-zhou-2024" or "src:pan-zhou-2024" in item.cites


def test_evidence_of_a_source_is_paginated(client) -> None:
    whole = client.get("/sources/src:pan-zhou-2024", params={"limit": 500}).json()
    assert whole["evidence_total"] >= 3
    page = client.get("/sources/src:pan-zhou-2024", params={"offset": 1, "limit": 2}).json()
    assert page["evidence"] == whole["evidence"][1:3]


def test_unknown_source_is_404_with_suggestions(client) -> None:
    response = client.get("/sources/src:pan-zhou-2042")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_source" and error["parameter"] == "source_id"
    assert "src:pan-zhou-2024" in [s["id"] for s in error["suggestions"]]


@pytest.mark.parametrize(
    ("params", "parameter"), [({"limit": 0}, "limit"), ({"offset": -5}, "offset"), ({"kind": "blog"}, "kind")]
)
def test_list_errors_name_the_parameter(client, params, parameter) -> None:
    response = client.get("/sources", params=params)
    assert response.status_code == 422 and response.json()["error"]["parameter"] == parameter
