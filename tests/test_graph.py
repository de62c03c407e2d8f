"""Graph build, hierarchy reasoning, name resolution and neighbourhoods."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.core.errors import UnknownEntityError
from kg.core.vocab import NodeType, Predicate
from kg.graph.build import outcome_id
from kg.graph.hierarchy import Hierarchy, Relation
from kg.graph.neighbourhood import neighbourhood
from kg.model.walk import iter_references
from kg.runtime.resolve import name_key
from tests.fixtures.mini_kg import mini_kg


def test_node_counts_per_type_match_the_records(kg_curated) -> None:
    corpus = kg_curated.corpus
    counts = Counter(kind for _, kind in kg_curated.graph.nodes(data="type"))
    expected: Counter[str] = Counter()
    for record in corpus:
        expected[record.node_type.value] += 1
    expected[NodeType.ARM.value] += sum(1 for _ in corpus.arms())
    expected[NodeType.CASE_EVENT.value] += sum(1 for _ in corpus.case_events())
    expected[NodeType.OUTCOME.value] += sum(len(item.outcomes) for item in corpus.evidence.values())
    assert counts == +expected


def test_every_reference_of_every_record_is_an_edge(kg_curated) -> None:
    """Each id a record points at is reachable in one hop (no reference lost in the build)."""
    graph = kg_curated.graph
    for record in kg_curated.corpus:
        neighbours = set(graph.successors(record.id)) | set(graph.predecessors(record.id))
        for field, target, _ in iter_references(record):
            if field.startswith(("arms[", "events[", "outcomes[")):
                continue  # nested records are linked from their own node
            assert target in neighbours, f"{record.id}.{field} → {target} has no edge"


def test_edges_use_only_vocabulary_predicates(kg_curated) -> None:
    predicates = {key for _, _, key in kg_curated.graph.edges(keys=True)}
    assert predicates <= {p.value for p in Predicate}
    assert all(kind in {t.value for t in NodeType} for _, kind in kg_curated.graph.nodes(data="type"))


def test_outcomes_are_nodes_linked_to_their_evidence() -> None:
    kg = mini_kg()
    node = outcome_id("ev:exact", 0)
    assert kg.graph.nodes[node]["label"] == "ORR 22.2% (95% CI 10.6–40.8)"
    assert kg.graph.has_edge("ev:exact", node, key=Predicate.HAS_OUTCOME.value)


def test_combination_edges_are_marked() -> None:
    kg = mini_kg()
    data = kg.graph.get_edge_data("ev:combo-case", "drug:pyrotinib", key=Predicate.ABOUT_THERAPY.value)
    assert data == {"combination": True, "interaction": "combination"}


def test_hierarchy_descendants_and_relations_on_curated_data(kg_curated) -> None:
    hierarchy = kg_curated.hierarchy
    assert "disease:lung-adenocarcinoma" in hierarchy.descendants("disease:nsclc")
    assert "disease:nsclc" in hierarchy.descendants("disease:lung-cancer")
    her2 = hierarchy.descendants("alt:ERBB2-alteration")
    assert {"alt:ERBB2-amplification", "alt:ERBB2-mutation"} <= her2
    assert "alt:EGFR-activating-mutation" in hierarchy.ancestors("alt:EGFR-L858R")
    assert hierarchy.relation("disease:nsclc", "disease:lung-adenocarcinoma") is Relation.NARROWER
    assert hierarchy.relation("disease:lung-adenocarcinoma", "disease:nsclc") is Relation.BROADER
    assert hierarchy.relation("disease:nsclc", "disease:breast-cancer") is None


def test_hierarchy_tolerates_cycles_without_looping() -> None:
    hierarchy = Hierarchy({"a": ["b"], "b": ["a"], "c": ["a"]})
    assert hierarchy.ancestors("c") >= {"a", "b"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("aumolertinib", "drug:almonertinib"),
        ("HS-10296", "drug:almonertinib"),
        ("T-DM1", "drug:trastuzumab-emtansine"),
        ("ado-trastuzumab emtansine", "drug:trastuzumab-emtansine"),
        ("T-DXd", "drug:trastuzumab-deruxtecan"),
        ("albumin-bound paclitaxel", "drug:nab-paclitaxel"),
        ("HER2", "gene:ERBB2"),
        ("her-2", "gene:ERBB2"),
        ("NSCLC", "disease:nsclc"),
        ("non-small cell lung cancers", "disease:nsclc"),
        ("DOID:3908", "disease:nsclc"),
        ("HGNC:3430", "gene:ERBB2"),
    ],
)
def test_names_resolve_through_synonyms(kg_curated, name: str, expected: str) -> None:
    assert expected in kg_curated.resolver.resolve(name)


def test_unknown_name_suggests_close_names(kg_curated) -> None:
    with pytest.raises(UnknownEntityError) as error:
        kg_curated.resolver.resolve_one("pyrotnib", (NodeType.DRUG,), "therapy")
    assert "pyrotinib" in error.value.suggestions


def test_suggested_names_become_followable_references(kg_curated) -> None:
    refs = kg_curated.resolver.references(["pyrotinib", "Pyrotinib", "no such name", "HER2"])
    assert refs == [
        {"id": "drug:pyrotinib", "label": "pyrotinib", "type": "drug"},
        {"id": "gene:ERBB2", "label": "ERBB2", "type": "gene"},
    ]  # a name repeated in another spelling is listed once; an unknown one is left out


def test_autocomplete_prefix_and_fuzzy(kg_curated) -> None:
    found = dict(kg_curated.resolver.search("pyro"))
    assert found["drug:pyrotinib"] == "prefix"
    assert "drug:trastuzumab" in dict(kg_curated.resolver.search("trastuzmab"))


def test_name_keys_fold_case_hyphens_plurals_and_word_forms() -> None:
    assert name_key("HER2-amplified") == name_key("her2 amplification") == "her2amplification"
    assert name_key("EGFR mutations") == name_key("EGFR-mutant") == "egfrmutation"
    assert name_key("KRAS") == "kras"
    assert name_key("brain metastases") == "brainmetastasis"


def test_neighbourhood_is_bounded_and_walks_both_directions() -> None:
    kg = mini_kg()
    around = neighbourhood(kg.graph, "drug:pyrotinib", depth=1)
    assert around.distances["drug:pyrotinib"] == 0
    assert {"ev:exact", "gene:ERBB2"} <= set(around.nodes)
    assert all(distance <= 1 for distance in around.distances.values())
    capped = neighbourhood(kg.graph, "drug:pyrotinib", depth=3, max_nodes=4)
    assert len(capped.nodes) == 4
    assert capped.truncated
    with pytest.raises(KeyError):
        neighbourhood(kg.graph, "drug:unknown")
