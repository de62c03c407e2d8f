"""SHACL: the exports conform to kg/rdf/shapes.ttl, and graphs broken in different ways do not."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from kg.core.identifiers import expand
from kg.rdf.iris import record_iri
from kg.rdf.namespace import PROV, SKOS
from kg.rdf.shacl import validate
from kg.rdf.vocabulary import EKG
from tests.fixtures.rdf.helpers import export_text, parse, tiny_corpus

ITEM = URIRef(record_iri("ev:tiny-pfs"))
HAZARD = URIRef(record_iri("outcome:tiny-pfs-2"))


@pytest.fixture
def fixture_graph() -> rdflib.Graph:
    return parse(export_text(tiny_corpus(), "nt"), "nt")


def test_curated_export_conforms(kg_curated):
    report = validate(parse(export_text(kg_curated.corpus, "nt"), "nt"))
    assert report.conforms, report.text[:3000]


def test_fixture_export_conforms(fixture_graph):
    report = validate(fixture_graph)
    assert report.conforms, report.text[:3000]


def _quote_of(graph: rdflib.Graph, item: URIRef) -> BNode:
    quote = graph.value(item, PROV.wasDerivedFrom)
    assert isinstance(quote, BNode)
    return quote


def _level_f(g: rdflib.Graph) -> None:
    g.set((ITEM, EKG.level, Literal("F")))


def _no_quote_text(g: rdflib.Graph) -> None:
    g.remove((_quote_of(g, ITEM), PROV.value, None))


def _quote_without_source(g: rdflib.Graph) -> None:
    g.remove((_quote_of(g, ITEM), PROV.wasQuotedFrom, None))


def _ci_reversed(g: rdflib.Graph) -> None:
    g.set((HAZARD, EKG.ciLower, Literal("0.30", datatype=rdflib.XSD.decimal)))


def _p_value_as_text(g: rdflib.Graph) -> None:
    g.set((HAZARD, EKG.pValue, Literal("<0.0001")))


def _p_value_above_one(g: rdflib.Graph) -> None:
    g.set((HAZARD, EKG.pValue, Literal("1.5", datatype=rdflib.XSD.decimal)))


def _outcome_without_measure(g: rdflib.Graph) -> None:
    g.remove((HAZARD, EKG.measure, None))


def _two_levels(g: rdflib.Graph) -> None:
    g.add((ITEM, EKG.level, Literal("A")))


def _unverified_id_asserted(g: rdflib.Graph) -> None:
    # Claim a match for the id the fixture marks unverified (PMID:87654321).
    g.add((URIRef(record_iri("src:tiny-paper")), SKOS.exactMatch, URIRef(expand("PMID:87654321"))))


def _unverified_xref_with_target(g: rdflib.Graph) -> None:
    for xref in g.subjects(EKG.verification, Literal("unverified")):
        g.add((xref, EKG.xrefTarget, URIRef(expand(str(g.value(xref, EKG.xrefId))))))


def _statement_missing(g: rdflib.Graph) -> None:
    g.remove((ITEM, EKG.statement, None))


def _numerator_above_denominator(g: rdflib.Graph) -> None:
    g.set((URIRef(record_iri("outcome:tiny-pfs-3")), EKG.numerator, Literal("7", datatype=rdflib.XSD.integer)))


def _digits_of_another_value(g: rdflib.Graph) -> None:
    g.set((HAZARD, EKG.valueAsPublished, Literal("0.19")))


def _decimal_without_digits(g: rdflib.Graph) -> None:
    g.remove((HAZARD, EKG.ciUpperAsPublished, None))


def _xref_without_position(g: rdflib.Graph) -> None:
    xref = next(iter(g.subjects(EKG.verification, Literal("unverified"))))
    g.remove((xref, EKG.order, None))


BREAKAGES = {
    "level outside A-E": (_level_f, "level"),
    "quote without text": (_no_quote_text, "value"),
    "quote without source": (_quote_without_source, "wasQuotedFrom"),
    "CI lower above upper": (_ci_reversed, "ciLower"),
    "p-value as text": (_p_value_as_text, "pValue"),
    "p-value above 1": (_p_value_above_one, "pValue"),
    "outcome without measure": (_outcome_without_measure, "measure"),
    "two levels": (_two_levels, "level"),
    "unverified id asserted as a match": (_unverified_id_asserted, "exactMatch"),
    "unverified xref given an IRI": (_unverified_xref_with_target, "xrefTarget"),
    "evidence item without statement": (_statement_missing, "statement"),
    "numerator above denominator": (_numerator_above_denominator, "numerator"),
    "published digits of another value": (_digits_of_another_value, "0.19"),
    "decimal without its published digits": (_decimal_without_digits, "0.26"),
    "cross-reference without its position": (_xref_without_position, "order"),
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_broken_graph_does_not_conform(fixture_graph, name):
    breaker, mentioned = BREAKAGES[name]
    breaker(fixture_graph)
    report = validate(fixture_graph)
    assert not report.conforms, name
    assert mentioned in report.text, report.text[:2000]
