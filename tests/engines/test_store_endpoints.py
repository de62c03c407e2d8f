"""``GET /sources`` and ``GET /entities?q=`` answered from an external store alone give the in-memory answers.

The records are fetched from a real Oxigraph server (the seed + CIViC store
``kg publish oxigraph`` made, see ``conftest.py``) by
:mod:`kg.sparql.record_store`, and the unchanged API serves them; each
answer is compared byte for byte with the in-memory app's for the same
request. ``/sources``: every page of the whole list, each kind, and as word
filters every other content word of the questions in tests/data/questions.yaml
and every source's registry ids. ``/entities``: every third of the questions of
tests/data/questions.yaml and their content words, and the first four letters
of every seventh named record's label, with and without a type filter.
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
from kg.runtime.resolve import NAMED_TYPES
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.record_store import store_entities, store_sources
from tests.conftest import REPO
from tests.engines.conftest import ENGINES_GROUP

pytestmark = [ENGINES_GROUP, pytest.mark.server]

SETTINGS = ApiSettings(sparql_enabled=False)


def _questions() -> list[str]:
    questions = yaml.safe_load((REPO / "tests" / "data" / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    return [q["question"] for q in questions]


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


def _same(clients: tuple[TestClient, TestClient], params: dict, path: str = "/sources") -> bytes:
    memory, store = clients
    expected = memory.get(path, params=params)
    answered = store.get(path, params=params)
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
    words = sorted({word for question in _questions() for word in keywords(question, [])})
    assert len(words) > 100
    found = 0
    for word in words[::2]:  # every other word: each is answered by both apps (suite time)
        found += b'"total":0' not in _same(clients, {"q": word, "limit": 500})
    assert found > 10  # some words do find sources: the comparison is not only of empty pages


def test_registry_ids_as_filters(clients, kg_full) -> None:
    ids = sorted({rid for source in kg_full.corpus.sources.values() for rid in source.registry_ids})
    assert ids
    for registry_id in ids:
        assert b'"total":0' not in _same(clients, {"q": registry_id})


@pytest.fixture(scope="module")
def entity_clients(oxigraph, kg_full) -> Iterator[tuple[TestClient, TestClient]]:
    entities = store_entities(EndpointSpec(oxigraph.url))
    named = {
        node for node, data in kg_full.graph.nodes(data=True) if data.get("type") in {t.value for t in NAMED_TYPES}
    }
    kept = {t.value for t in NAMED_TYPES}
    assert {node for node, data in entities.kg.graph.nodes(data=True) if data.get("type") in kept} == named
    assert not entities.kg.corpus.evidence and not entities.kg.corpus.sources
    print(f"{len(named):,} named records, {entities.triples:,} triples in {entities.seconds:.2f} s")
    with (
        TestClient(create_app(kg_full, settings=SETTINGS)) as memory,
        TestClient(create_app(entities.kg, settings=SETTINGS)) as store,
    ):
        yield memory, store


def test_entity_search_for_every_question_and_its_words(entity_clients) -> None:
    questions = _questions()
    texts = sorted({*(q[:200] for q in questions), *(w for q in questions for w in keywords(q, []))})
    found = 0
    for text in texts[::3]:  # every third of ~1,000 (each entity search is answered by both apps; suite time)
        found += b'"results":[]' not in _same(entity_clients, {"q": text, "limit": 25}, "/entities")
    assert found > 50


def test_entity_search_by_label_prefix_with_and_without_types(entity_clients, kg_full) -> None:
    prefixes = sorted(
        {
            data["label"][:4]
            for _, data in kg_full.graph.nodes(data=True)
            if data.get("type") in {t.value for t in NAMED_TYPES}
        }
    )
    for prefix in prefixes[::7]:
        _same(entity_clients, {"q": prefix, "limit": 25}, "/entities")
    for node_type in sorted(NAMED_TYPES):
        _same(entity_clients, {"q": "egfr", "type": node_type.value, "limit": 50}, "/entities")
