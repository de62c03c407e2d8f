"""The four question shapes, each answered in-process and as SPARQL, with rows that must agree.

* ``headline`` — pyrotinib × HER2 amplification × NSCLC, top 20 ranked,
  including the JSON-ready answer (:func:`kg.query.engine.find_evidence`
  then :func:`kg.query.answer.answer_payload`, as ``/evidence`` serves it);
* ``neighbourhood`` — every node one hop from a hub entity (``gene:EGFR``),
  as ``/entities/{id}/neighbors`` walks it (:func:`kg.graph.neighbourhood.neighbourhood`);
* ``drug_diseases`` — all diseases with evidence for erlotinib, with item
  counts, from the evidence index's posting set;
* ``ask`` — a free-text question through :func:`kg.query.ask.ask`; its
  SPARQL twin is the ranked query of the terms ``ask`` recognised.

``engine`` is the timed in-process call; ``engine_rows`` and ``sparql_rows``
reduce both answers to the same comparable rows (ids in rank order, sets,
or (disease, count) pairs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks import sparql_text as sq

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["HEADLINE", "Shape", "disease_counts", "shapes", "sparql_values"]

#: The headline question of the project.
HEADLINE = {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}
HUB = "gene:EGFR"
DRUG = "erlotinib"
QUESTION = "Is osimertinib effective in EGFR T790M NSCLC?"
TOP = 20

Rows = list[tuple[str, ...]]


@dataclass(frozen=True)
class Shape:
    """One question: the in-process call, its SPARQL twin, and how to compare their rows."""

    name: str
    description: str
    engine: Callable[[], Any]
    engine_rows: Callable[[Any], list[Any]]
    sparql: str
    sparql_rows: Callable[[Rows], list[Any]]
    count_sparql: str | None = None  # a second query whose one value must equal engine_total
    engine_total: Callable[[Any], int] | None = None


def disease_counts(kg: KnowledgeGraph, drug_name: str) -> list[tuple[str, int]]:
    """(disease id, items) for every disease with evidence about the drug, most items first.

    The items are the evidence index's posting set of the drug (items about
    it, alone or in combination, or about a mechanism of resistance to it),
    counted over the index's per-item disease column.
    """
    from kg.core.vocab import NodeType

    drug = kg.resolver.resolve_one(drug_name, (NodeType.DRUG, NodeType.DRUG_CLASS), "therapy")
    index = kg.index
    counts = Counter(map(index.diseases.__getitem__, index.therapy.get(drug, ())))
    counts.pop(None, None)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def sparql_values(solutions: Sequence[Sequence[Any]]) -> Rows:
    """SPARQL solutions (pyoxigraph's or rdflib's) as tuples of plain strings (None when unbound)."""
    rows: Rows = []
    for solution in solutions:
        row = []
        for term in solution:
            if term is None:
                row.append(None)
            else:
                value = getattr(term, "value", None)
                row.append(str(value) if value is not None and not isinstance(value, int | float) else str(term))
        rows.append(tuple(row))  # type: ignore[arg-type]
    return rows


def _first_ids(rows: Rows) -> list[str]:
    return [sq.curie(row[0]) for row in rows]


def _ranked_sparql(kg: KnowledgeGraph, terms: list[Any], limit: int) -> tuple[str, str]:
    """The ranked SPARQL query and its count query for resolved engine terms (one per facet)."""
    from kg.core.vocab import NodeType
    from kg.query.facets import Slot

    by_slot: dict[Slot, Any] = {}
    for term in terms:
        if term.slot in by_slot:
            raise ValueError(f"the SPARQL twin takes one term per facet, not several {term.slot.value} terms")
        by_slot[term.slot] = term
    therapy = by_slot.get(Slot.THERAPY)
    alteration = by_slot.get(Slot.ALTERATION)
    disease = by_slot.get(Slot.DISEASE)
    gene = None
    is_gene = False
    if alteration is not None:
        is_gene = alteration.node_type is NodeType.GENE
        record = kg.corpus.alterations.get(alteration.entity)
        gene = alteration.entity if is_gene else (record.gene if record is not None else None)
    facets = {
        "therapy": therapy.entity if therapy else None,
        "alteration": alteration.entity if alteration else None,
        "gene": gene,
        "alteration_is_gene": is_gene,
    }
    ranked = sq.ranked_evidence_query(**facets, disease=disease.entity if disease else None, limit=limit)
    return ranked, sq.ranked_count_query(**facets)


def shapes(kg: KnowledgeGraph) -> list[Shape]:
    """The four shapes over ``kg`` (names resolved once here; the engine calls resolve again, as served)."""
    from kg.graph.neighbourhood import neighbourhood
    from kg.query.answer import evidence_answer
    from kg.query.ask import ask
    from kg.query.engine import find_evidence
    from kg.query.evidence_query import EvidenceQuery

    headline_query = EvidenceQuery(
        therapy=(HEADLINE["therapy"],), alteration=(HEADLINE["alteration"],), disease=HEADLINE["disease"], limit=TOP
    )
    headline_terms = find_evidence(kg, headline_query).terms
    headline_sparql, headline_count = _ranked_sparql(kg, headline_terms, TOP)

    def headline() -> Any:
        return evidence_answer(kg, headline_query)

    ask_answer = find_evidence(kg, _ask_query(kg, QUESTION))
    ask_sparql, ask_count = _ranked_sparql(kg, ask_answer.terms, TOP)
    everything = kg.graph.number_of_nodes() + 1

    drug_id = _drug_id(kg, DRUG)
    return [
        Shape(
            "headline",
            f"therapy={HEADLINE['therapy']}, alteration={HEADLINE['alteration']}, disease={HEADLINE['disease']}; "
            f"top {TOP} ranked, JSON-ready answer",
            headline,
            lambda answer: [row["id"] for row in answer["results"]],
            headline_sparql,
            _first_ids,
            headline_count,
            lambda answer: answer["total"],
        ),
        Shape(
            "neighbourhood",
            f"one-hop neighbourhood of {HUB} (every node, both directions)",
            lambda: neighbourhood(kg.graph, HUB, depth=1, max_nodes=everything),
            lambda hood: sorted(node for node in hood.nodes if node != HUB),
            sq.neighbour_query(HUB),
            lambda rows: sorted(sq.curie(row[0]) for row in rows),
        ),
        Shape(
            "drug_diseases",
            f"diseases with evidence for {DRUG}, with item counts",
            lambda: disease_counts(kg, DRUG),
            sorted,
            sq.disease_counts_query(drug_id),
            lambda rows: sorted((sq.curie(row[0]), int(row[1])) for row in rows),
        ),
        Shape(
            "ask",
            f"free text: {QUESTION!r} (top {TOP})",
            lambda: ask(kg, QUESTION, limit=TOP),
            lambda answer: [row["id"] for row in answer["results"]],
            ask_sparql,
            _first_ids,
            ask_count,
            lambda answer: answer["total"],
        ),
    ]


def _drug_id(kg: KnowledgeGraph, name: str) -> str:
    from kg.core.vocab import NodeType

    return kg.resolver.resolve_one(name, (NodeType.DRUG, NodeType.DRUG_CLASS), "therapy")


def _ask_query(kg: KnowledgeGraph, question: str) -> Any:
    """The structured query ``ask`` builds for ``question`` (to write its SPARQL twin)."""
    from kg.query.evidence_query import EvidenceQuery
    from kg.reader.names import recognise

    used = [m for m in recognise(kg, question) if m.facet]
    pick: dict[str, list[str]] = {"therapy": [], "alteration": [], "disease": []}
    for mention in used:
        if mention.entity not in pick[mention.facet]:  # type: ignore[index]
            pick[mention.facet].append(mention.entity)  # type: ignore[index]
    if len(pick["disease"]) > 1:
        raise ValueError(f"pick a benchmark question naming one disease, not {pick['disease']}")
    return EvidenceQuery(
        therapy=tuple(pick["therapy"]),
        alteration=tuple(pick["alteration"]),
        disease=pick["disease"][0] if pick["disease"] else None,
        limit=TOP,
    )
