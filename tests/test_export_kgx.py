"""KGX TSV: the zip holds nodes.tsv and edges.tsv with the required columns and valid Biolink terms."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from kg.core.vocab import NodeType, Predicate
from kg.export import serialize
from kg.export.biolink import biolink_terms
from kg.export.kgx import EDGE_COLUMNS, NODE_COLUMNS
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import tiny_corpus

REQUIRED_NODE = {"id", "category", "name"}
REQUIRED_EDGE = {"subject", "predicate", "object", "knowledge_level", "agent_type", "primary_knowledge_source"}


def _read(data: bytes) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["edges.tsv", "nodes.tsv"]
        tables = []
        for name in ("nodes.tsv", "edges.tsv"):
            text = archive.read(name).decode("utf-8")
            tables.append(list(csv.DictReader(io.StringIO(text), delimiter="\t")))
    return tables[0], tables[1]


@pytest.fixture(scope="module")
def curated_tables(kg_curated):
    return _read(serialize(kg_curated, "kgx"))


def test_columns(curated_tables):
    nodes, edges = curated_tables
    assert set(nodes[0]) >= REQUIRED_NODE and tuple(nodes[0]) == NODE_COLUMNS
    assert set(edges[0]) >= REQUIRED_EDGE and tuple(edges[0]) == EDGE_COLUMNS
    assert all(row["id"] and row["category"] and row["name"] for row in nodes)
    assert all(all(row[c] for c in REQUIRED_EDGE) for row in edges)


def test_every_graph_node_and_edge_is_exported(kg_curated, curated_tables):
    nodes, edges = curated_tables
    assert {row["id"] for row in nodes} == set(kg_curated.graph.nodes)
    assert len(edges) == kg_curated.graph.number_of_edges()
    exported = {(r["subject"], r["ekg_predicate"], r["object"]) for r in edges}
    for subject, obj, key in kg_curated.graph.edges(keys=True):
        assert (subject, f"ekg:{Predicate(key).info.rdf_property}", obj) in exported


def test_terms_are_valid_biolink(curated_tables):
    terms = biolink_terms()
    nodes, edges = curated_tables
    for row in nodes:
        for category in row["category"].split("|"):
            assert terms.is_category(category), category
    for row in edges:
        assert terms.is_predicate(row["predicate"]), row["predicate"]
        assert row["knowledge_level"] in terms.knowledge_levels
        assert row["agent_type"] in terms.agent_types
        assert row["primary_knowledge_source"].startswith("infores:")


def test_vocabulary_mappings_are_valid_biolink():
    terms = biolink_terms()
    for node_type in NodeType:
        assert terms.is_category(node_type.info.biolink), node_type
    for predicate in Predicate:
        assert predicate.info.biolink is None or terms.is_predicate(predicate.info.biolink), predicate


def test_snapshot_matches_the_installed_biolink_model():
    from kg.export.biolink import offline_toolkit  # bmt and biolink-model are test dependencies

    toolkit = offline_toolkit()  # the network guard would fail this test if bmt tried to download
    terms = biolink_terms()
    assert toolkit.get_model_version() == terms.version
    assert set(toolkit.get_descendants("named thing", formatted=True, mixin=True)) == set(terms.categories)
    assert set(toolkit.get_descendants("related to", formatted=True, mixin=True)) == set(terms.predicates)
    for node_type in NodeType:
        assert toolkit.is_category(node_type.info.biolink)
    for predicate in Predicate:
        if predicate.info.biolink:
            assert toolkit.is_predicate(predicate.info.biolink)


def test_extras_multi_values_and_negation():
    nodes, edges = _read(serialize(KnowledgeGraph.from_corpus(tiny_corpus()), "kgx"))
    by_id = {row["id"]: row for row in nodes}
    assert by_id["drug:pyrotinib"]["xref"] == "DRUGBANK:DB14993"  # the unverified CHEBI id is left out
    assert set(by_id["src:tiny-paper"]["xref"].split("|")) == {"doi:10.1000/tiny.2021.1", "PMID:12345678"}
    assert by_id["gene:ERBB2"]["synonym"] == "HER2"
    negated = [e for e in edges if e["negated"] == "true"]
    assert [(e["subject"], e["object"]) for e in negated] == [("mp:erbb2-amp-not-alteration", "alt:ERBB2-alteration")]
    text_mined = [e for e in edges if e["agent_type"] == "text_mining_agent"]
    assert [e["object"] for e in text_mined] == ["outcome:tiny-pfs-3"]
    orders = [json.loads(e["ekg_edge_attributes"]) for e in edges if e["ekg_predicate"] == "ekg:hasOutcome"]
    assert sorted(o["order"] for o in orders) == [1, 2, 3, 4, 5]
