"""The guard on writing into networkx's internals: the fast build is exactly what networkx's own API builds.

:func:`kg.graph.build.build_graph` writes ``_node``, ``_succ`` and ``_pred``
directly and clears networkx's cached views (``nx._clear_cache``), because
``add_edges_from`` is about 5× slower at scale; :class:`kg.graph.hierarchy.Hierarchy`
reads ``_succ``. These tests compare both with networkx's public API on the
real bundled corpus (curated data + the CIViC release), so a networkx release
that changes its internals fails here, not in a query. ``pyproject.toml`` pins
networkx's major version for the same reason.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import networkx as nx
import pytest
from packaging.requirements import Requirement

from kg.core.vocab import Predicate
from kg.graph.build import build_graph, iter_edges, iter_nodes
from kg.graph.hierarchy import Hierarchy


@pytest.fixture(scope="module")
def corpus(kg_full):
    assert any(record.id.startswith("ev:civic-") for record in kg_full.corpus.evidence.values()), "no CIViC release"
    return kg_full.corpus


@pytest.fixture(scope="module")
def fast(corpus) -> nx.MultiDiGraph:
    return build_graph(corpus)


@pytest.fixture(scope="module")
def slow(corpus) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(version=corpus.version)
    graph.add_nodes_from(node for record in corpus for node in iter_nodes(record))
    graph.add_edges_from(
        (subject, target, predicate.value, data)
        for record in corpus
        for subject, target, predicate, data in iter_edges(record)
    )
    return graph


def test_same_nodes_with_the_same_attributes_in_the_same_order(fast, slow):
    assert fast.number_of_nodes() == slow.number_of_nodes() > 10_000
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert fast.graph == slow.graph


def test_same_edges_keys_and_data_in_the_same_order(fast, slow):
    assert fast.number_of_edges() == slow.number_of_edges() > 30_000
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))


def test_same_adjacency_both_ways(fast, slow):
    # succ[u][v] and pred[v][u] share one key dict in networkx; the fast build must keep that.
    assert fast.succ == slow.succ and fast.pred == slow.pred
    assert [list(neighbours) for neighbours in fast.pred.values()] == [list(n) for n in slow.pred.values()]
    for u, neighbours in list(fast._succ.items())[:2_000]:
        for v, keyed in neighbours.items():
            assert fast._pred[v][u] is keyed


def test_cached_views_see_the_whole_graph(fast):
    # nx._clear_cache after the direct writes: views built before the writes would be stale.
    edge = next(iter(fast.edges(keys=True)))
    assert fast.has_edge(*edge)
    assert len(fast.adj) == len(fast.nodes) == fast.number_of_nodes()


def test_hierarchy_read_from_internals_equals_one_read_through_the_api(fast):
    wanted = {Predicate.IS_A.value, Predicate.IN_DRUG_CLASS.value}
    parents: dict[str, list[str]] = {}
    for child, parent, key in fast.edges(keys=True):
        if key in wanted:
            parents.setdefault(child, []).append(parent)
    through_api = Hierarchy(parents)
    through_internals = Hierarchy.from_graph(fast)
    assert len(parents) > 1_000
    for node in parents:
        assert through_internals.parents(node) == through_api.parents(node)
        assert through_internals.ancestors(node) == through_api.ancestors(node)
        assert through_internals.descendants(node) == through_api.descendants(node)


def test_installed_networkx_is_within_the_pinned_major_version():
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [Requirement(dep) for dep in project["project"]["dependencies"] if dep.startswith("networkx")]
    assert pin.specifier.contains(nx.__version__)
    assert any(spec.operator == "<" for spec in pin.specifier), "networkx's major version must be capped"
