"""One record shape: a field added to a record model reaches the graph and the RDF with no other edit.

The fixture model below adds two fields to :class:`~kg.model.EvidenceItem`,
the way a curator would add them to ``kg/model/evidence.py``: a literal
(``follow_up_months``, a ``Decimal``) and a reference (``reviewed_in``, a
source, whose edge is named on the field itself with
``Ref(..., predicate=...)``). Nothing else is edited: no table in
``kg/graph``, ``kg/rdf`` or ``kg/core/vocab.py``. The graph gets the edge and
keeps the record; the RDF gets ``ekg:followUpMonths`` (the documented
default: the field name in lower camel case) as an ``xsd:decimal`` and
``ekg:describedIn`` (the predicate's own RDF property).

Hook for the other derived views (the API payload): :func:`knowledge_graph_with`
builds a :class:`~kg.runtime.knowledge_graph.KnowledgeGraph` whose records are
re-validated as a fixture model, and :data:`FIELD_VALUES` holds what the
fixture records carry, so a payload test can assert on the same values
(``extended_kg`` fixture).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pyoxigraph
import pytest
import rdflib
from pydantic import Field

from kg.core.vocab import NodeType, Predicate
from kg.model import Corpus, EvidenceItem, Node
from kg.model.base import Ref
from kg.rdf.iris import record_iri
from kg.rdf.mapping import default_property
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import export_text, parse, tiny_corpus


class ReviewedEvidenceItem(EvidenceItem):
    """An evidence item with two fields the real model does not have (yet)."""

    follow_up_months: Decimal | None = Field(default=None, description="Median follow-up, in months.")
    reviewed_in: Annotated[str, Ref(NodeType.SOURCE, predicate=Predicate.DESCRIBED_IN)] | None = Field(
        default=None, description="A review that discusses this evidence."
    )


#: What the fixture records of the extended corpus carry in the new fields.
FIELD_VALUES: dict[str, dict[str, Any]] = {
    "ev:tiny-pfs": {"follow_up_months": Decimal("18.50"), "reviewed_in": "src:tiny-guideline"},
}


def knowledge_graph_with(model: type[Node], values: dict[str, dict[str, Any]]) -> KnowledgeGraph:
    """The tiny fixture corpus with the records named in ``values`` re-validated as ``model`` plus those values.

    The records go through ``model.model_validate`` (every validator of the
    model runs), then the ordinary build: ``KnowledgeGraph.from_corpus``.
    """
    records = [
        model.model_validate({**record.model_dump(), **values[record.id]}) if record.id in values else record
        for record in tiny_corpus()
    ]
    return KnowledgeGraph.from_corpus(Corpus.from_records(records, version="tiny-extended"))


@pytest.fixture(scope="module")
def extended_kg() -> KnowledgeGraph:
    return knowledge_graph_with(ReviewedEvidenceItem, FIELD_VALUES)


def test_the_graph_keeps_the_new_literal_on_the_node_record(extended_kg):
    record = extended_kg.graph.nodes["ev:tiny-pfs"]["record"]
    assert isinstance(record, ReviewedEvidenceItem)
    assert record.follow_up_months == Decimal("18.50")


def test_the_new_reference_is_an_edge_with_its_predicate(extended_kg):
    graph = extended_kg.graph
    assert graph.has_edge("ev:tiny-pfs", "src:tiny-guideline", key=Predicate.DESCRIBED_IN.value)
    # Only the record that holds a value gets the edge.
    assert not graph.has_edge("ev:tiny-no-outcome", "src:tiny-guideline", key=Predicate.DESCRIBED_IN.value)


def test_the_rdf_carries_both_fields(extended_kg):
    graph = parse(export_text(extended_kg.corpus, "nt"), "nt")
    item = rdflib.URIRef(record_iri("ev:tiny-pfs"))
    months = graph.value(item, rdflib.URIRef("https://w3id.org/evidence-kg/vocab#followUpMonths"))
    assert months == rdflib.Literal("18.50", datatype=rdflib.XSD.decimal)  # digits as published
    assert str(months) == "18.50"
    digits = graph.value(item, rdflib.URIRef("https://w3id.org/evidence-kg/vocab#followUpMonthsAsPublished"))
    assert digits == rdflib.Literal("18.50")  # a string: a store keeps it as written
    described_in = rdflib.URIRef(f"https://w3id.org/evidence-kg/vocab#{Predicate.DESCRIBED_IN.info.rdf_property}")
    assert (item, described_in, rdflib.URIRef(record_iri("src:tiny-guideline"))) in graph


def test_the_new_property_follows_the_documented_default():
    assert str(default_property("follow_up_months", many=False)).endswith("#followUpMonths")
    assert str(default_property("registry_ids", many=True)).endswith("#registryId")


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "xml"])
def test_every_syntax_says_the_same_about_the_new_fields(extended_kg, fmt):
    reference = {str(t) for t in pyoxigraph.parse(export_text(extended_kg.corpus, "nt"), format=_SYNTAX["nt"])}
    said = {str(t) for t in pyoxigraph.parse(export_text(extended_kg.corpus, fmt), format=_SYNTAX[fmt])}
    new = {t for t in reference if "followUpMonths" in t or ("ev/tiny-pfs>" in t and "describedIn" in t)}
    assert len(new) == 3 and new <= said  # the decimal, its published digits (followUpMonthsAsPublished), the link


_SYNTAX = {
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


class UnlinkedEvidenceItem(EvidenceItem):
    """A reference field that names no predicate, and is not in kg.core.vocab.FIELD_PREDICATES."""

    reviewer_drug: Annotated[str, Ref(NodeType.DRUG)] | None = None


def test_a_reference_without_a_predicate_is_a_clear_error_not_a_missing_edge():
    values = {"ev:tiny-pfs": {"reviewer_drug": "drug:pyrotinib"}}
    with pytest.raises(TypeError) as caught:
        knowledge_graph_with(UnlinkedEvidenceItem, values)
    message = str(caught.value)
    assert "UnlinkedEvidenceItem.reviewer_drug" in message
    assert "Ref(..., predicate=Predicate.X)" in message and "kg.core.vocab.FIELD_PREDICATES" in message
