"""``GET /sources`` answered from an external store alone gives the in-memory answer, byte for byte.

The sources are fetched from a real Oxigraph server (the seed + CIViC store
``kg publish oxigraph`` made, see ``conftest.py``) by
:func:`kg.sparql.source_store.store_sources`, and the unchanged API serves
them; each answer is compared with the in-memory app's for the same request:
every page of the whole list, each kind, and as word filters every content
word of every question in tests/data/questions.yaml and every source's
registry ids.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.model.terms import SourceKind
from kg.reader.keywords import keywords
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.source_store import store_sources
from tests.conftest import REPO
from tests.engines.conftest import ENGINES_GROUP

pytestmark = [ENGINES_GROUP, pytest.mark.server]

SETTINGS = ApiSettings(sparql_enabled=False)


@pytest.fixture(scope="module")
def clients(oxigraph, kg_full) -> Iterator[tuple[TestClient, TestClient]]:
    sources = store_sources(EndpointSpec(oxigraph.url))
    assert set(sources.kg.corpus.sources) == set(kg_full.corpus.sources)
    assert not sources.kg.corpus.evidence  # the sources only
    print(f"{len(sources.kg.corpus.sources):,} sources, {sources.triples:,} triples in {sources.seconds:.2f} s")
    with (
        TestClient(create_app(kg_full, settings=SETTINGS)) as memory,
        TestClient(create_app(sources.kg, settings=SETTINGS)) as store,
    ):
        yield memory, store


def _same(clients: tuple[TestClient, TestClient], params: dict) -> bytes:
    memory, store = clients
    expected = memory.get("/sources", params=params)
    answered = store.get("/sources", params=params)
    assert answered.status_code == expected.status_code == 200, params
    assert answered.content == expected.content, params
    return answered.content


def test_every_page_of_the_list(clients, kg_full) -> None:
    total = len(kg_full.corpus.sources)
    for offset in range(0, total, 500):
        _same(clients, {"offset": offset, "limit": 500})


def test_each_kind(clients) -> None:
    for kind in SourceKind:
        _same(clients, {"kind": kind.value, "limit": 500})


def test_the_question_words_as_filters(clients) -> None:
    questions = yaml.safe_load((REPO / "tests" / "data" / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    words = sorted({word for q in questions for word in keywords(q["question"], [])})
    assert len(words) > 100
    found = 0
    for word in words:
        found += b'"total":0' not in _same(clients, {"q": word, "limit": 500})
    assert found > 10  # some words do find sources: the comparison is not only of empty pages


def test_registry_ids_as_filters(clients, kg_full) -> None:
    ids = sorted({rid for source in kg_full.corpus.sources.values() for rid in source.registry_ids})
    assert ids
    for registry_id in ids:
        assert b'"total":0' not in _same(clients, {"q": registry_id})
