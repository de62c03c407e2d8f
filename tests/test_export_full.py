"""Exports of the full graph (curated data + CIViC release), checked with pyoxigraph.

rdflib would take minutes to parse and compare ~250k triples, so these tests
parse with pyoxigraph and compare triples directly; the exact isomorphism
checks (rdflib.compare / RDFC-1.0) run on the curated graph and the fixtures.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph
import pytest

from kg.core.identifiers import expand
from kg.core.vocab import EKG_VOCAB, NodeType, Predicate
from kg.export import serialize
from kg.model.terms import Verification
from kg.rdf.iris import record_iri
from kg.rdf.mapping import CLASS_OF_MODEL
from tests.fixtures.rdf.helpers import normalized

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"


@pytest.fixture(scope="module")
def full(kg_full):
    assert any(record.id.startswith("ev:civic-") for record in kg_full.corpus.evidence.values()), "no CIViC release"
    return kg_full


@pytest.fixture(scope="module")
def full_ntriples(full) -> bytes:
    return serialize(full, "nt")


@pytest.fixture(scope="module")
def full_triples(full_ntriples) -> list:
    return list(pyoxigraph.parse(full_ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))


def _lines_without_blank_labels(triples: list) -> list[bytes]:
    """The triples as canonical N-Triples lines (pyoxigraph), blank node labels blanked, sorted."""
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:", text).splitlines())


def test_turtle_says_what_ntriples_says(full, full_triples):
    turtle = list(pyoxigraph.parse(serialize(full, "turtle"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(turtle) == len(full_triples) > 100_000
    assert _lines_without_blank_labels(turtle) == _lines_without_blank_labels(full_triples)


def test_no_duplicate_triples(full_ntriples, full_triples):
    assert len(set(full_ntriples.splitlines())) == len(full_triples)


def test_counts_per_type_match_the_records(full, full_triples):
    typed = Counter(t.object.value for t in full_triples if t.predicate.value == RDF_TYPE)
    for model, class_iri in CLASS_OF_MODEL.items():
        node_type = getattr(model, "node_type", None)
        if node_type is None or node_type in (NodeType.ARM, NodeType.CASE_EVENT, NodeType.OUTCOME):
            continue
        assert typed[str(class_iri)] == len(full.corpus.table(node_type)), class_iri
    assert typed[EKG_VOCAB + "Outcome"] == full.corpus.counts()["outcomes"]


def test_every_graph_edge_is_a_triple(full, full_triples):
    links = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in full_triples
        if isinstance(t.object, pyoxigraph.NamedNode)
    }
    for subject, obj, key, data in full.graph.edges(keys=True, data=True):
        prop = "negatedComponent" if data.get("negated") else Predicate(key).info.rdf_property
        assert (record_iri(subject), EKG_VOCAB + prop, record_iri(obj)) in links, (subject, key, obj)


def test_only_verified_ids_become_iris(full, full_triples):
    iris = {t.object.value for t in full_triples if isinstance(t.object, pyoxigraph.NamedNode)}
    matches = {(t.subject.value, t.object.value) for t in full_triples if t.predicate.value == EXACT_MATCH}
    for record in full.corpus:
        for xref in getattr(record, "xrefs", ()):
            target = expand(xref.id)
            if xref.status is Verification.UNVERIFIED:
                assert target not in iris, xref
            else:
                assert (record_iri(record.id), target) in matches, xref


@pytest.mark.slow
def test_full_round_trip_gives_the_same_records(full, full_ntriples):
    from kg.rdf.read import read_corpus_bytes

    back = read_corpus_bytes(full_ntriples, pyoxigraph.RdfFormat.N_TRIPLES)
    assert back.counts() == full.corpus.counts()
    for record in full.corpus:
        assert normalized(back.get(record.id)) == normalized(record), record.id
