"""Records → one networkx ``MultiDiGraph`` that every consumer reads.

Nodes are keyed by record id and carry three attributes: ``type`` (a
:class:`~kg.core.vocab.NodeType` value), ``label`` (for display) and ``record``
(the frozen pydantic record itself, shared, not copied, so the graph costs
little more memory than the records). Edges are keyed by their predicate
(a :class:`~kg.core.vocab.Predicate` value): ``G[u][v]`` maps predicate → data.

Each evidence item is a node of its own, because one result links several
things at once (drug, alteration, disease, study, outcomes, source).
Outcomes become nodes ``outcome:<evidence-local-id>-<n>`` so that numbers
can be linked, filtered and drawn. Nodes and edges are written straight
into networkx's adjacency dicts: ``add_edge`` and even ``add_edges_from``
are several times slower at scale.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import networkx as nx
from pydantic import BaseModel

from kg.core.identifiers import local_id
from kg.core.vocab import NodeType, Predicate
from kg.model import (
    Alteration,
    Assertion,
    BiomarkerDefinition,
    Corpus,
    Disease,
    Drug,
    DrugClass,
    EvidenceItem,
    MolecularProfile,
    Outcome,
    PatientCase,
    Population,
    Record,
    ResistanceMechanism,
    Source,
    Study,
)
from kg.model.base import Quote
from kg.model.walk import iter_quotes
from kg.present.labels import outcome_label, record_label

__all__ = ["Edge", "build_graph", "iter_edges", "outcome_id"]

#: (subject, object, predicate, attributes)
Edge = tuple[str, str, Predicate, dict[str, Any]]

_NO_ATTRS: dict[str, Any] = {}


def outcome_id(evidence_id: str, index: int) -> str:
    """Id of the ``index``-th (0-based) outcome node of an evidence item."""
    return f"outcome:{local_id(evidence_id)}-{index + 1}"


def _many(subject: str, predicate: Predicate, objects: tuple[str, ...]) -> Iterator[Edge]:
    for target in objects:
        yield subject, target, predicate, _NO_ATTRS


def _drug_class(record: DrugClass) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.IS_A, record.parents)


def _drug(record: Drug) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.IN_DRUG_CLASS, record.classes)
    yield from _many(record.id, Predicate.TARGETS, record.targets)


def _alteration(record: Alteration) -> Iterator[Edge]:
    yield record.id, record.gene, Predicate.ALTERATION_OF, _NO_ATTRS
    yield from _many(record.id, Predicate.IS_A, record.parents)


def _profile(record: MolecularProfile) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.HAS_COMPONENT, record.alterations)
    for target in record.negated:
        yield record.id, target, Predicate.HAS_COMPONENT, {"negated": True}


def _disease(record: Disease) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.IS_A, record.parents)


def _mechanism(record: ResistanceMechanism) -> Iterator[Edge]:
    if record.alteration:
        yield record.id, record.alteration, Predicate.INVOLVES, _NO_ATTRS
    yield from _many(record.id, Predicate.CONFERS_RESISTANCE_TO, record.confers_resistance_to)
    yield from _many(record.id, Predicate.IS_A, record.parents)


def _biomarker(record: BiomarkerDefinition) -> Iterator[Edge]:
    yield record.id, record.biomarker, Predicate.DEFINES, _NO_ATTRS
    if record.guideline:
        yield record.id, record.guideline, Predicate.DESCRIBED_IN, _NO_ATTRS


def _source(record: Source) -> Iterator[Edge]:
    if record.reported_in:
        attrs = {"reference_numbers": record.reference_numbers} if record.reference_numbers else _NO_ATTRS
        yield record.id, record.reported_in, Predicate.REPORTED_BY, attrs


def _study(record: Study) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.DESCRIBED_IN, record.sources)
    for arm in record.arms:
        yield record.id, arm.id, Predicate.HAS_ARM, {"role": arm.role.value}
        yield from _many(arm.id, Predicate.RECEIVES, arm.drugs)


def _population(record: Population) -> Iterator[Edge]:
    if record.study:
        yield record.study, record.id, Predicate.HAS_POPULATION, _NO_ATTRS
    if record.parent:
        yield record.id, record.parent, Predicate.SUBGROUP_OF, _NO_ATTRS
    if record.disease:
        yield record.id, record.disease, Predicate.HAS_DISEASE, _NO_ATTRS
    yield from _many(record.id, Predicate.REQUIRES_ALTERATION, record.alterations)
    yield from _many(record.id, Predicate.PRIOR_THERAPY, record.prior_therapies)
    yield from _many(record.id, Predicate.METASTASIS_SITE, record.metastasis_sites)


def _case(record: PatientCase) -> Iterator[Edge]:
    yield record.id, record.source, Predicate.DESCRIBED_IN, _NO_ATTRS
    yield record.id, record.disease, Predicate.HAS_DISEASE, _NO_ATTRS
    yield from _many(record.id, Predicate.CARRIES, record.alterations)
    previous: str | None = None
    for order, event in enumerate(record.events, start=1):
        yield record.id, event.id, Predicate.HAS_EVENT, {"order": order}
        if previous is not None:
            yield previous, event.id, Predicate.FOLLOWED_BY, _NO_ATTRS
        previous = event.id
        yield from _many(event.id, Predicate.ADMINISTERED, event.drugs)
        yield from _many(event.id, Predicate.DETECTED, event.alterations)
        yield from _many(event.id, Predicate.METASTASIS_SITE, event.sites)
        if event.assesses:
            yield event.id, event.assesses, Predicate.ASSESSES, _NO_ATTRS
        for occurrence in event.adverse_events:
            yield event.id, occurrence.term, Predicate.HAD_ADVERSE_EVENT, _grade_attrs(occurrence)


def _grade_attrs(occurrence: Any) -> dict[str, Any]:
    if occurrence.grade is None:
        return _NO_ATTRS
    return {"grade": occurrence.grade, "grade_comparator": occurrence.grade_comparator.value}


def _outcome(evidence_id: str, index: int, outcome: Outcome) -> Iterator[Edge]:
    node = outcome_id(evidence_id, index)
    yield evidence_id, node, Predicate.HAS_OUTCOME, {"order": index + 1}
    if outcome.arm:
        yield node, outcome.arm, Predicate.FOR_ARM, _NO_ATTRS
    if outcome.comparator_arm:
        yield node, outcome.comparator_arm, Predicate.COMPARED_WITH, _NO_ATTRS
    if outcome.population:
        yield node, outcome.population, Predicate.IN_POPULATION, _NO_ATTRS


def _evidence(record: EvidenceItem) -> Iterator[Edge]:
    for subject, target, value, attrs in _evidence_edges(record):
        yield subject, target, _PREDICATES[value], attrs


_V = {predicate: predicate.value for predicate in Predicate}
_PREDICATES = {value: predicate for predicate, value in _V.items()}
_ABOUT_THERAPY = _V[Predicate.ABOUT_THERAPY]
_ABOUT_ALTERATION = _V[Predicate.ABOUT_ALTERATION]
_ABOUT_MOLECULAR_PROFILE = _V[Predicate.ABOUT_MOLECULAR_PROFILE]
_ABOUT_GENE = _V[Predicate.ABOUT_GENE]
_ABOUT_DISEASE = _V[Predicate.ABOUT_DISEASE]
_FROM_STUDY = _V[Predicate.FROM_STUDY]
_IN_POPULATION = _V[Predicate.IN_POPULATION]
_HAS_OUTCOME = _V[Predicate.HAS_OUTCOME]
_FOR_ARM = _V[Predicate.FOR_ARM]
_COMPARED_WITH = _V[Predicate.COMPARED_WITH]
_ABOUT_ADVERSE_EVENT = _V[Predicate.ABOUT_ADVERSE_EVENT]
_ABOUT_MECHANISM = _V[Predicate.ABOUT_MECHANISM]
_ABOUT_PATHWAY = _V[Predicate.ABOUT_PATHWAY]
_ABOUT_SITE = _V[Predicate.ABOUT_SITE]
_ABOUT_BIOMARKER = _V[Predicate.ABOUT_BIOMARKER]
_ABOUT_CASE = _V[Predicate.ABOUT_CASE]
_QUOTED_FROM = _V[Predicate.QUOTED_FROM]
_CITES = _V[Predicate.CITES]


def _evidence_edges(record: EvidenceItem) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The edges of an evidence item, with predicate values, as one list (:func:`_evidence` yields them).

    Evidence items are most of the records (440,000 at 100×); a generator
    per item and per ``_many`` would cost more than the edges themselves.
    """
    subject = record.id
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    add = edges.append
    if record.therapy or record.therapy_classes:
        interaction = record.therapy_interaction
        attrs = {"combination": record.is_combination(), "interaction": interaction.value if interaction else "single"}
        for drug in (*record.therapy, *record.therapy_classes):
            add((subject, drug, _ABOUT_THERAPY, attrs))
    for target in record.alterations:
        add((subject, target, _ABOUT_ALTERATION, _NO_ATTRS))
    if record.molecular_profile:
        add((subject, record.molecular_profile, _ABOUT_MOLECULAR_PROFILE, _NO_ATTRS))
    for target in record.genes:
        add((subject, target, _ABOUT_GENE, _NO_ATTRS))
    if record.disease:
        add((subject, record.disease, _ABOUT_DISEASE, _NO_ATTRS))
    if record.study:
        add((subject, record.study, _FROM_STUDY, _NO_ATTRS))
    if record.population:
        add((subject, record.population, _IN_POPULATION, _NO_ATTRS))
    for index, outcome in enumerate(record.outcomes):
        node = outcome_id(subject, index)
        add((subject, node, _HAS_OUTCOME, {"order": index + 1}))
        if outcome.arm:
            add((node, outcome.arm, _FOR_ARM, _NO_ATTRS))
        if outcome.comparator_arm:
            add((node, outcome.comparator_arm, _COMPARED_WITH, _NO_ATTRS))
        if outcome.population:
            add((node, outcome.population, _IN_POPULATION, _NO_ATTRS))
    for occurrence in record.adverse_events:
        add((subject, occurrence.term, _ABOUT_ADVERSE_EVENT, _grade_attrs(occurrence)))
    if record.mechanism:
        add((subject, record.mechanism, _ABOUT_MECHANISM, _NO_ATTRS))
    for target in record.pathways:
        add((subject, target, _ABOUT_PATHWAY, _NO_ATTRS))
    for target in record.sites:
        add((subject, target, _ABOUT_SITE, _NO_ATTRS))
    if record.biomarker:
        add((subject, record.biomarker, _ABOUT_BIOMARKER, _NO_ATTRS))
    if record.case:
        add((subject, record.case, _ABOUT_CASE, _NO_ATTRS))
    add((subject, record.quote.source, _QUOTED_FROM, _NO_ATTRS))
    for target in record.cites:
        add((subject, target, _CITES, _NO_ATTRS))
    return edges


def _assertion(record: Assertion) -> Iterator[Edge]:
    yield from _many(record.id, Predicate.SUPPORTED_BY, record.evidence_items)
    yield from _many(record.id, Predicate.ABOUT_THERAPY, record.therapy)
    if record.molecular_profile:
        yield record.id, record.molecular_profile, Predicate.ABOUT_MOLECULAR_PROFILE, _NO_ATTRS
    if record.disease:
        yield record.id, record.disease, Predicate.ABOUT_DISEASE, _NO_ATTRS
    yield record.id, record.source, Predicate.DESCRIBED_IN, _NO_ATTRS


_EDGE_MAKERS: dict[type[Record], Callable[[Any], Iterator[Edge]]] = {
    DrugClass: _drug_class,
    Drug: _drug,
    Alteration: _alteration,
    MolecularProfile: _profile,
    Disease: _disease,
    ResistanceMechanism: _mechanism,
    BiomarkerDefinition: _biomarker,
    Source: _source,
    Study: _study,
    Population: _population,
    PatientCase: _case,
    EvidenceItem: _evidence,
    Assertion: _assertion,
}


def _provenance(record: Record) -> Iterator[Edge]:
    """``quoted_from`` edges for the quotes of records other than evidence items (provenance, events)."""
    owned: dict[str, set[str]] = {}
    for path, quote in iter_quotes(record):
        owner = record.id  # type: ignore[attr-defined]
        if isinstance(record, PatientCase) and path.startswith("events["):
            owner = record.events[int(path[7 : path.index("]")])].id
        owned.setdefault(owner, set()).add(quote.source)
    for owner, sources in owned.items():
        for source in sorted(sources):
            yield owner, source, Predicate.QUOTED_FROM, _NO_ATTRS


def _model_classes(annotation: object) -> Iterator[type[BaseModel]]:
    """Model classes named anywhere in a field annotation (inside Optional, tuple, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _model_classes(argument)


@cache
def _can_hold_quotes(model: type[BaseModel], _seen: frozenset[type[BaseModel]] = frozenset()) -> bool:
    """Whether a record of ``model`` can contain a :class:`~kg.model.Quote` at any depth (a source cannot)."""
    if issubclass(model, Quote):
        return True
    seen = _seen | {model}
    return any(
        _can_hold_quotes(nested, seen)
        for info in model.model_fields.values()
        for nested in _model_classes(info.annotation)
        if nested not in seen
    )


def iter_edges(record: Record) -> Iterator[Edge]:
    """The edges a record contributes to the graph (its outgoing links)."""
    maker = _EDGE_MAKERS.get(type(record))
    yield from maker(record) if maker else ()
    # an evidence item's one quote is linked by _evidence, cheaply; a source holds no quote to walk to
    if not isinstance(record, EvidenceItem) and _can_hold_quotes(type(record)):
        yield from _provenance(record)


def _record_edges(record: Record) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``iter_edges(record)`` with predicate values, as a list (fast path for evidence items)."""
    if type(record) is EvidenceItem:
        return _evidence_edges(record)
    values = _PREDICATE_VALUES
    return [(s, o, values[p], a) for s, o, p, a in iter_edges(record)]


_LABEL_ATTRIBUTES = ("label", "name", "short_citation", "summary", "statement")


def _label_attributes(model: type[Record]) -> tuple[str, ...]:
    """The attributes :func:`~kg.present.record_label` can read on ``model``, in its order.

    ``record_label`` tries ``label``, ``name``, ``short_citation``, ``summary``
    then ``statement`` with ``getattr(record, name, None)``; on a pydantic
    model a missing attribute costs a raised and caught ``AttributeError``
    (about 2 µs, four times per evidence item). Only attributes the model has
    can give a value, so the others are skipped; the result is the same.
    """
    return tuple(name for name in _LABEL_ATTRIBUTES if name in model.model_fields or hasattr(model, name))


_LABEL_PLANS: dict[type[Record], tuple[str, ...]] = {}


def _label(record: Record) -> str:
    """``record_label(record)``, without probing attributes the record's model does not have."""
    model = type(record)
    plan = _LABEL_PLANS.get(model)
    if plan is None:
        plan = _LABEL_PLANS[model] = _label_attributes(model)
    for attribute in plan:
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            if attribute == "statement":
                return value if len(value) <= 90 else value[:89] + "…"
            return value
    return record_label(record)


def _nodes(record: Record) -> Iterator[tuple[str, dict[str, Any]]]:
    node_type = record.node_type.value  # type: ignore[attr-defined]
    yield record.id, {"type": node_type, "label": _label(record), "record": record}  # type: ignore[attr-defined]
    if isinstance(record, Study):
        for arm in record.arms:
            yield arm.id, {"type": NodeType.ARM.value, "label": arm.label, "record": arm}
    elif isinstance(record, PatientCase):
        for event in record.events:
            yield event.id, {"type": NodeType.CASE_EVENT.value, "label": event.label, "record": event}
    elif isinstance(record, EvidenceItem):
        for index, outcome in enumerate(record.outcomes):
            node = outcome_id(record.id, index)
            yield (
                node,
                {
                    "type": NodeType.OUTCOME.value,
                    "label": outcome_label(outcome),
                    "record": outcome,
                    "evidence": record.id,
                },
            )


def build_graph(corpus: Corpus, progress: Callable[[int, int], None] | None = None) -> nx.MultiDiGraph:
    """Build the knowledge graph of a corpus.

    ``progress(done, total)`` is called every 50,000 records when given, so
    long builds (hundreds of thousands of evidence items) can report progress.

    Two passes over the records, writing networkx's own dicts (see
    :func:`_add_nodes`, :func:`_add_edges`): every node first, then every
    edge, record by record, which is what ``add_nodes_from`` of all nodes
    followed by ``add_edges_from`` of all edges builds, without holding
    millions of node and edge tuples in lists meanwhile.
    """
    graph = nx.MultiDiGraph(version=corpus.version)
    for record in corpus:
        _add_nodes(graph, _nodes(record))
    total = len(corpus)
    for done, record in enumerate(corpus, start=1):
        _add_edges(graph, _record_edges(record))
        if progress is not None and done % 50_000 == 0:
            progress(done, total)
    nx._clear_cache(graph)
    if progress is not None:
        progress(total, total)
    return graph


#: Predicate → its string value (``Predicate.X.value`` is a descriptor call; this is a dict lookup).
_PREDICATE_VALUES: dict[Predicate, str] = {predicate: predicate.value for predicate in Predicate}


def _add_nodes(graph: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """``graph.add_nodes_from(nodes)`` for ``(node, attributes)`` pairs, writing networkx's dicts directly.

    networkx tests each pair for membership first (hashing a tuple that holds
    a dict raises ``TypeError``, caught, per node); the structure built here
    is the same: a fresh attribute dict per node, updated when a node repeats.
    The caller clears networkx's cache once it has added everything.
    """
    node_table, succ, pred = graph._node, graph._succ, graph._pred
    for node, attributes in nodes:
        data = node_table.get(node)
        if data is None:
            succ[node] = {}
            pred[node] = {}
            node_table[node] = dict(attributes)
        else:
            data.update(attributes)


def _add_edges(graph: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict[str, Any]]]) -> None:
    """``graph.add_edges_from(edges)`` for keyed ``(u, v, key, data)`` edges, writing networkx's dicts directly.

    Same structure as networkx builds, in the same order: unknown endpoints
    become attribute-less nodes (``u`` first), ``succ[u][v]`` and
    ``pred[v][u]`` share one key dict, each edge gets its own data dict (a
    copy of ``data``), and a repeated ``(u, v, key)`` updates that edge's data.
    About 5× faster than ``add_edges_from``, which runs ``add_edge`` and
    three view lookups per edge. The caller clears networkx's cache once it
    has added everything.
    """
    node_table, succ, pred = graph._node, graph._succ, graph._pred
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
