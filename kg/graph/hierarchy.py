"""``is_a`` reasoning: ancestors, descendants and how two terms relate.

A question about NSCLC must find lung-adenocarcinoma evidence, and a
question about HER2 alterations must find amplification and mutation
evidence. The hierarchies (diseases, alterations, drug classes, resistance
mechanisms, and drug → drug class membership) are read off the graph's
``is_a`` and ``in_drug_class`` edges once, and their transitive closures
are kept as frozensets, so a lookup during a query is one dict access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from kg.core.vocab import Predicate
from kg.graph.internals import EvidenceGraph, successors

__all__ = ["Hierarchy", "Relation"]

_HIERARCHY_PREDICATES = (Predicate.IS_A.value, Predicate.IN_DRUG_CLASS.value)


class Relation(StrEnum):
    """How an item's term relates to the term asked about."""

    EXACT = "exact"
    NARROWER = "narrower"  # the item is about a descendant (lung adenocarcinoma for NSCLC)
    BROADER = "broader"  # the item is about an ancestor (lung cancer for NSCLC)


class Hierarchy:
    """Transitive ``is_a`` closures over every hierarchical term of the graph."""

    def __init__(self, parents: Mapping[str, Iterable[str]]) -> None:
        self._parents: dict[str, tuple[str, ...]] = {node: tuple(ps) for node, ps in parents.items()}
        self._ancestors: dict[str, frozenset[str]] = {}
        for node in list(self._parents):
            self._closure(node, ())
        children: dict[str, set[str]] = {}
        for node, ancestors in self._ancestors.items():
            for ancestor in ancestors:
                children.setdefault(ancestor, set()).add(node)
        self._descendants: dict[str, frozenset[str]] = {node: frozenset(kids) for node, kids in children.items()}

    @classmethod
    def from_graph(cls, graph: EvidenceGraph) -> Hierarchy:
        """Read ``is_a`` and ``in_drug_class`` edges (child → parent) off the graph."""
        parents: dict[str, list[str]] = {}
        wanted = _HIERARCHY_PREDICATES
        # networkx's own adjacency dicts, in graph.edges(keys=True) order, without the views' per-item wrappers.
        for child, targets in successors(graph).items():
            for parent, keyed in targets.items():
                for predicate in keyed:
                    if predicate in wanted:
                        parents.setdefault(child, []).append(parent)
        return cls(parents)

    def _closure(self, node: str, path: tuple[str, ...]) -> frozenset[str]:
        known = self._ancestors.get(node)
        if known is not None:
            return known
        if node in path:  # a cycle: validation reports it; never loop here
            return frozenset()
        found: set[str] = set()
        for parent in self._parents.get(node, ()):
            found.add(parent)
            found |= self._closure(parent, (*path, node))
        result = frozenset(found - {node})
        self._ancestors[node] = result
        return result

    def parents(self, node: str) -> tuple[str, ...]:
        """Direct parents of a term."""
        return self._parents.get(node, ())

    def ancestors(self, node: str) -> frozenset[str]:
        """Every broader term (excluding the term itself)."""
        return self._ancestors.get(node, frozenset())

    def descendants(self, node: str) -> frozenset[str]:
        """Every narrower term (excluding the term itself)."""
        return self._descendants.get(node, frozenset())

    def relation(self, asked: str, found: str) -> Relation | None:
        """How ``found`` relates to ``asked``: exact, narrower, broader, or None."""
        if asked == found:
            return Relation.EXACT
        if asked in self.ancestors(found):
            return Relation.NARROWER
        if found in self.ancestors(asked):
            return Relation.BROADER
        return None

    def __contains__(self, node: object) -> bool:
        return node in self._parents or node in self._descendants
