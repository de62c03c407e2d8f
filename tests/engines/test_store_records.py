"""Every record survives a SPARQL store exactly: export, load, read back, compare with the original.

A store keeps the *value* of a typed literal, not its digits (Oxigraph answers
``"10.0"^^xsd:decimal`` as ``"10"``), and an RDF graph is a set, so nothing
in a store remembers the order of repeated triples. The export therefore
carries both explicitly (``docs/rdf.md``, *Order and published digits*): an
``ekg:order`` on nested nodes and parts, an ``rdf:List`` beside every
set-valued field with several values, and each decimal's digits as a string
(``ekg:valueAsPublished``). These tests load the seed + CIViC export into
pyoxigraph in this process and into a real Oxigraph server (published with
``kg publish oxigraph``, see ``conftest.py``), read everything back with the
RDF reader (:mod:`kg.rdf.read`) and require each record to be *the same
record*: equal models, the same ``repr`` (so ``Decimal("10.0")`` is not
``Decimal("10")``, and every tuple is in its original order) and the same
JSON.
"""

from __future__ import annotations

import time
from decimal import Decimal

import httpx
import pyoxigraph
import pytest

from kg.model import Corpus
from kg.rdf.read import read_corpus_triples
from kg.rdf.statistics import STATISTICS_QUERY, corpus_statistics, read_statistics
from kg.rdf.vocabulary import EKG
from tests.engines.conftest import ENGINES_GROUP

pytestmark = [ENGINES_GROUP, pytest.mark.server]

EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def assert_same_records(back: Corpus, original: Corpus) -> None:
    assert back.version == original.version
    assert back.counts() == original.counts()
    ids = [record.id for record in original]
    assert sorted(record.id for record in back) == sorted(ids)
    different = [
        record.id
        for record in original
        if (copy := back.get(record.id)) != record
        or repr(copy) != repr(record)
        or copy.model_dump_json() != record.model_dump_json()
    ]
    assert not different, f"{len(different)} of {len(ids)} records differ, first: {different[:5]}"


def _rewritten_decimal(store_answer: list[pyoxigraph.Triple], kg_full) -> tuple[str, str, str]:
    """An outcome whose ekg:value the store rewrote: (outcome IRI, digits published, digits the store gives)."""
    published = {}
    for record in kg_full.corpus.evidence.values():
        for index, outcome in enumerate(record.outcomes, start=1):
            if outcome.value is not None and str(outcome.value) != str(outcome.value.normalize()):
                published[f"https://w3id.org/evidence-kg/outcome/{record.id.split(':', 1)[1]}-{index}"] = str(
                    outcome.value
                )
    for triple in store_answer:
        iri = triple.subject.value
        if triple.predicate.value == str(EKG.value) and iri in published and triple.object.value != published[iri]:
            return iri, published[iri], triple.object.value
    pytest.fail("no outcome whose decimal value the store rewrote: the test would prove nothing about digits")


@pytest.fixture(scope="module")
def full_ntriples(full_export) -> bytes:
    return full_export.read_bytes()


def test_records_read_back_from_pyoxigraph_in_process_are_the_records(full_ntriples, kg_full) -> None:
    store = pyoxigraph.Store()
    started = time.perf_counter()
    store.bulk_load(full_ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    loaded = time.perf_counter() - started
    answer = list(store.query(EVERYTHING))
    iri, written, stored = _rewritten_decimal(answer, kg_full)
    assert written != stored  # the store did rewrite a decimal (e.g. "10.0" -> "10") ...
    back = read_corpus_triples(answer)
    assert_same_records(back, kg_full.corpus)  # ... and the record still has its digits
    print(f"pyoxigraph: {len(store):,} triples loaded in {loaded:.2f} s; {iri}: {written!r} stored as {stored!r}")


def test_records_read_back_from_an_oxigraph_server_are_the_records(oxigraph, kg_full) -> None:
    started = time.perf_counter()
    response = httpx.post(
        oxigraph.url,
        data={"query": EVERYTHING},
        headers={"Accept": "application/n-triples"},
        timeout=300,
    )
    fetched = time.perf_counter() - started
    assert response.status_code == 200, response.text[:500]
    answer = list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    _, written, stored = _rewritten_decimal(answer, kg_full)
    assert written != stored
    assert_same_records(read_corpus_triples(answer), kg_full.corpus)
    print(f"oxigraph server: {len(answer):,} triples fetched in {fetched:.2f} s")


def test_the_store_answers_the_published_digits_as_written(oxigraph) -> None:
    query = """
        PREFIX ekg: <https://w3id.org/evidence-kg/vocab#>
        SELECT ?value ?digits WHERE { ?o ekg:value ?value ; ekg:valueAsPublished ?digits }"""
    response = httpx.post(
        oxigraph.url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    rows = response.json()["results"]["bindings"]
    assert rows
    rewritten = [row for row in rows if row["value"]["value"] != row["digits"]["value"]]
    assert rewritten, "the store rewrote no decimal: nothing shown"
    assert all(Decimal(row["value"]["value"]) == Decimal(row["digits"]["value"]) for row in rows)


def test_the_corpus_statistics_come_back_from_an_oxigraph_server(oxigraph, kg_full) -> None:
    # What ranking needs of the whole corpus (kg/rdf/statistics.py), from the store alone.
    response = httpx.post(
        oxigraph.url, data={"query": STATISTICS_QUERY}, headers={"Accept": "application/n-triples"}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    stats = read_statistics(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert stats == corpus_statistics(kg_full.corpus)
    assert stats is not None and stats.items == len(kg_full.index)
