"""Records → one networkx ``MultiDiGraph`` that every consumer reads.

Nodes are keyed by record id and carry three attributes: ``type`` (a
:class:`~kg.core.vocab.NodeType` value), ``label`` (for display) and ``record``
(the frozen pydantic record itself, shared, not copied, so the graph costs
little more memory than the records). Edges are keyed by their predicate
(a :class:`~kg.core.vocab.Predicate` value): ``G[u][v]`` maps predicate → data.

Which edges a record has is not written here: it is read off the models
(:func:`kg.model.walk.links`: every reference field, nested node and part,
with the predicate of :data:`kg.core.vocab.FIELD_PREDICATES` or of the
field's own ``Ref``), the same description the RDF export follows, so a
field added to a model is an edge with no edit here. Per node, edges come
in field order: a reference links the record to the id it names (or the
other way round for an *inverse* field); a field of nested nodes (study
arms, case events, outcomes) links the record to each child, then the
child's own edges follow (and consecutive children of a *sequence* field
are linked, case events ``followed_by``); the references inside parts
(a quote's source, an adverse event's term) become edges of the node
holding them, at the part field's place. The only thing this module adds
is the edge attributes some links carry (:data:`_QUALIFIERS`).

Each evidence item is a node of its own, because one result links several
things at once (drug, alteration, disease, study, outcomes, source).
Outcomes become nodes ``outcome:<evidence-local-id>-<n>`` so that numbers
can be linked, filtered and drawn. Nodes and edges are written straight
into networkx's adjacency dicts: ``add_edge`` and even ``add_edges_from``
are several times slower at scale; ``tests/test_graph_internals.py`` checks
that the result equals what ``add_nodes_from`` + ``add_edges_from`` build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
from pydantic import BaseModel

from kg.core.vocab import NodeType, Predicate
from kg.graph import internals
from kg.graph.internals import EvidenceGraph
from kg.model import Corpus, EvidenceItem, Outcome, Record
from kg.model.walk import Link, LinkKind, child_id, has_own_id, links, nested_node_id
from kg.present.labels import outcome_label, record_label

__all__ = ["Edge", "build_graph", "iter_edges", "iter_nodes", "outcome_id"]

#: (subject, object, predicate, attributes)
Edge = tuple[str, str, Predicate, dict[str, Any]]
#: The same with the predicate's string value (what the graph stores as the edge key).
_RawEdge = tuple[str, str, str, dict[str, Any]]

_NO_ATTRS: dict[str, Any] = {}


def outcome_id(evidence_id: str, index: int) -> str:
    """Id of the ``index``-th (0-based) outcome node of an evidence item."""
    return nested_node_id(evidence_id, NodeType.OUTCOME, index)


# -- edge attributes ------------------------------------------------------------------------------------------
#: Qualifier(holder record, item, index) → attributes of the edge; the item is the referenced id, the child or
#: the part. Keyed by "Model.field" as kg.core.vocab.FIELD_PREDICATES is.
Qualifier = Callable[[Any, Any, int], dict[str, Any]]


def _therapy(record: EvidenceItem, _item: object, _index: int) -> dict[str, Any]:
    interaction = record.therapy_interaction
    return {"combination": record.is_combination(), "interaction": interaction.value if interaction else "single"}


def _grade(_record: object, occurrence: Any, _index: int) -> dict[str, Any]:
    if occurrence.grade is None:
        return _NO_ATTRS
    return {"grade": occurrence.grade, "grade_comparator": occurrence.grade_comparator.value}


def _order(_record: object, _child: object, index: int) -> dict[str, Any]:
    return {"order": index + 1}


def _reference_numbers(record: Any, _item: object, _index: int) -> dict[str, Any]:
    return {"reference_numbers": record.reference_numbers} if record.reference_numbers else _NO_ATTRS


_NEGATED = {"negated": True}

_QUALIFIERS: dict[str, Qualifier] = {
    "EvidenceItem.therapy": _therapy,
    "EvidenceItem.therapy_classes": _therapy,
    "EvidenceItem.outcomes": _order,
    "EvidenceItem.adverse_events": _grade,
    "CaseEvent.adverse_events": _grade,
    "PatientCase.events": _order,
    "Study.arms": lambda _study, arm, _index: {"role": arm.role.value},
    "MolecularProfile.negated": lambda *_: _NEGATED,
    "Source.reported_in": _reference_numbers,
}


# -- the per-model plan -----------------------------------------------------------------------------------------
_REF, _CHILD, _PART = 0, 1, 2


@dataclass(frozen=True)
class _Step:
    kind: int
    name: str
    predicate: str  # the predicate's value (the edge key)
    many: bool
    inverse: bool = False
    qualify: Qualifier | None = None
    sequence: str | None = None  # CHILD: predicate value linking consecutive children
    lifts: tuple[tuple[str, bool, str], ...] = ()  # PART: (reference field, many, predicate value)


def _step(link: Link) -> _Step | None:
    qualify = _QUALIFIERS.get(link.key)
    if link.kind is LinkKind.PART:
        lifts = tuple((lift.name, lift.many, lift.predicate.value) for lift in link.lifts)
        return _Step(_PART, link.name, "", link.many, qualify=qualify, lifts=lifts) if lifts else None
    if link.predicate is None:
        return None
    kind = _REF if link.kind is LinkKind.REFERENCE else _CHILD
    sequence = link.sequence.value if link.sequence is not None else None
    return _Step(kind, link.name, link.predicate.value, link.many, link.inverse, qualify, sequence)


@cache
def _plan(model: type[BaseModel]) -> tuple[_Step, ...]:
    return tuple(step for link in links(model) if (step := _step(link)) is not None)


def _node_edges(record: Any, node: str, out: list[_RawEdge]) -> None:
    """Append the edges of one node (and of its children) to ``out``, in field order."""
    model: type[BaseModel] = type(record)
    for step in _plan(model):
        value = getattr(record, step.name)
        if not value:
            continue
        kind = step.kind
        if kind == _REF:
            qualify = step.qualify
            for index, target in enumerate(value if step.many else (value,)):
                attrs = qualify(record, target, index) if qualify is not None else _NO_ATTRS
                out.append(
                    (target, node, step.predicate, attrs) if step.inverse else (node, target, step.predicate, attrs)
                )
        elif kind == _CHILD:
            previous: str | None = None
            for index, child in enumerate(value if step.many else (value,)):
                child_node = child_id(node, child, index)
                attrs = step.qualify(record, child, index) if step.qualify is not None else _NO_ATTRS
                out.append((node, child_node, step.predicate, attrs))
                if step.sequence is not None and previous is not None:
                    out.append((previous, child_node, step.sequence, _NO_ATTRS))
                previous = child_node
                _node_edges(child, child_node, out)
        else:
            for index, part in enumerate(value if step.many else (value,)):
                attrs = step.qualify(record, part, index) if step.qualify is not None else _NO_ATTRS
                for name, many, predicate in step.lifts:
                    targets = getattr(part, name)
                    for target in (targets if many else (targets,)) if targets else ():
                        out.append((node, target, predicate, attrs))


def _record_edges(record: Record) -> list[_RawEdge]:
    """The edges of a top-level record, with predicate values (what :func:`build_graph` writes)."""
    out: list[_RawEdge] = []
    _node_edges(record, record.id, out)  # type: ignore[attr-defined]
    return out


def iter_edges(record: Record) -> Iterator[Edge]:
    """The edges a record contributes to the graph (its outgoing links, and its children's)."""
    for subject, target, predicate, attrs in _record_edges(record):
        yield subject, target, Predicate(predicate), attrs


# -- nodes --------------------------------------------------------------------------------------------------------
_LABEL_ATTRIBUTES = ("label", "name", "short_citation", "summary", "statement")


@cache
def _label_attributes(model: type[BaseModel]) -> tuple[str, ...]:
    """The attributes :func:`~kg.present.record_label` can read on ``model``, in its order.

    ``record_label`` tries ``label``, ``name``, ``short_citation``, ``summary``
    then ``statement`` with ``getattr(record, name, None)``; on a pydantic
    model a missing attribute costs a raised and caught ``AttributeError``
    (about 2 µs, four times per evidence item). Only attributes the model has
    can give a value, so the others are skipped; the result is the same.
    """
    return tuple(name for name in _LABEL_ATTRIBUTES if name in model.model_fields or hasattr(model, name))


def _label(record: BaseModel) -> str:
    """The node's display label: ``record_label(record)`` (``outcome_label`` for outcomes), without probing."""
    if isinstance(record, Outcome):
        return outcome_label(record)
    for attribute in _label_attributes(type(record)):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            if attribute == "statement":
                return value if len(value) <= 90 else value[:89] + "…"
            return value
    return record_label(record)  # type: ignore[arg-type]


@cache
def _child_fields(model: type[BaseModel]) -> tuple[Link, ...]:
    return tuple(link for link in links(model) if link.kind is LinkKind.CHILD)


def _child_nodes(record: Any, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Nodes of the children of ``record`` (arms, case events, outcomes), recursively.

    A child without an id of its own (an outcome) also names its holder, under
    the holder's node type (``"evidence": "ev:…"``), so its node leads back.
    """
    model: type[BaseModel] = type(record)
    for link in _child_fields(model):
        value = getattr(record, link.name)
        for index, child in enumerate((value if link.many else (value,)) if value else ()):
            child_node = child_id(node, child, index)
            child_model: type[BaseModel] = type(child)
            attributes = {"type": child.node_type.value, "label": _label(child), "record": child}
            if not has_own_id(child_model):
                attributes[record.node_type.value] = node
            yield child_node, attributes
            yield from _child_nodes(child, child_node)


def iter_nodes(record: Record) -> Iterator[tuple[str, dict[str, Any]]]:
    """The nodes a top-level record contributes: itself, then its children, with their attributes."""
    node_type = record.node_type.value  # type: ignore[attr-defined]
    yield record.id, {"type": node_type, "label": _label(record), "record": record}  # type: ignore[attr-defined]
    if _child_fields(type(record)):
        yield from _child_nodes(record, record.id)  # type: ignore[attr-defined]


def build_graph(corpus: Corpus, progress: Callable[[int, int], None] | None = None) -> EvidenceGraph:
    """Build the knowledge graph of a corpus.

    ``progress(done, total)`` is called every 50,000 records when given, so
    long builds (hundreds of thousands of evidence items) can report progress.

    Two passes over the records, writing networkx's own dicts (see
    :func:`_add_nodes`, :func:`_add_edges`): every node first, then every
    edge, record by record, which is what ``add_nodes_from`` of all nodes
    followed by ``add_edges_from`` of all edges builds, without holding
    millions of node and edge tuples in lists meanwhile.
    """
    graph: EvidenceGraph = nx.MultiDiGraph(version=corpus.version)
    for record in corpus:
        _add_nodes(graph, iter_nodes(record))
    total = len(corpus)
    for done, record in enumerate(corpus, start=1):
        _add_edges(graph, _record_edges(record))
        if progress is not None and done % 50_000 == 0:
            progress(done, total)
    nx._clear_cache(graph)
    if progress is not None:
        progress(total, total)
    return graph


def _add_nodes(graph: EvidenceGraph, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """``graph.add_nodes_from(nodes)`` for ``(node, attributes)`` pairs, writing networkx's dicts directly.

    networkx tests each pair for membership first (hashing a tuple that holds
    a dict raises ``TypeError``, caught, per node); the structure built here
    is the same: a fresh attribute dict per node, updated when a node repeats.
    The caller clears networkx's cache once it has added everything.
    """
    node_table, succ, pred = internals.node_table(graph), internals.successors(graph), internals.predecessors(graph)
    for node, attributes in nodes:
        data = node_table.get(node)
        if data is None:
            succ[node] = {}
            pred[node] = {}
            node_table[node] = dict(attributes)
        else:
            data.update(attributes)


def _add_edges(graph: EvidenceGraph, edges: Iterable[_RawEdge]) -> None:
    """``graph.add_edges_from(edges)`` for keyed ``(u, v, key, data)`` edges, writing networkx's dicts directly.

    Same structure as networkx builds, in the same order: unknown endpoints
    become attribute-less nodes (``u`` first), ``succ[u][v]`` and
    ``pred[v][u]`` share one key dict, each edge gets its own data dict (a
    copy of ``data``), and a repeated ``(u, v, key)`` updates that edge's data.
    About 5× faster than ``add_edges_from``, which runs ``add_edge`` and
    three view lookups per edge. The caller clears networkx's cache once it
    has added everything.
    """
    node_table, succ, pred = internals.node_table(graph), internals.successors(graph), internals.predecessors(graph)
    for u, v, key, data in edges:
        out = succ.get(u)
        if out is None:
            out = succ[u] = {}
            pred[u] = {}
            node_table[u] = {}
        if v not in succ:
            succ[v] = {}
            pred[v] = {}
            node_table[v] = {}
        keydict = out.get(v)
        if keydict is None:
            keydict = out[v] = {key: dict(data) if data else {}}
            pred[v][u] = keydict
        else:
            existing = keydict.get(key)
            if existing is None:
                keydict[key] = dict(data) if data else {}
            else:
                existing.update(data)
