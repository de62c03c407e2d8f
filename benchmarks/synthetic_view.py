"""Synthetic knowledge graphs of a chosen size, for scale tests and benchmarks of the view.

The bundled data is small, and the CIViC release is one fixed size; to
know how the view behaves at 200, 2,000 or 20,000 nodes we need graphs of
those sizes with the shape of the real one: entities shared by many
evidence items, one outcome per item, sources quoted by many items. The
graphs are built from validated records through
:meth:`KnowledgeGraph.from_corpus`, the same path as real data, and they
contain the seed question's entities (pyrotinib, ERBB2 amplification,
NSCLC) so the default view has something to show.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING

from kg.model import Alteration, Corpus, Disease, Drug, EvidenceItem, Gene, Outcome, Source
from kg.model.base import Quote
from kg.model.terms import (
    AlterationKind,
    Direction,
    EvidenceLevel,
    EvidenceType,
    OutcomeMeasure,
    Section,
    Significance,
    SourceKind,
    Unit,
)

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["synthetic_corpus", "synthetic_knowledge_graph"]

_EVIDENCE_TYPES = (EvidenceType.PREDICTIVE, EvidenceType.PROGNOSTIC, EvidenceType.DIAGNOSTIC, EvidenceType.SAFETY)
_DIRECTIONS = (Direction.SUPPORTS, Direction.SUPPORTS, Direction.DOES_NOT_SUPPORT)


def synthetic_corpus(nodes: int, seed: int = 0) -> Corpus:
    """Records whose graph has about ``nodes`` nodes (at least 12): 80% evidence items and outcomes."""
    rng = random.Random(seed)
    target = max(nodes, 12)
    items = max(1, int(target * 0.4))  # each item adds two nodes: itself and one outcome
    rest = target - 2 * items
    n_genes = max(1, rest * 15 // 100)
    n_alterations = max(1, rest * 30 // 100)
    n_drugs = max(1, rest * 20 // 100)
    n_diseases = max(1, rest * 10 // 100)
    n_sources = max(1, rest - n_genes - n_alterations - n_drugs - n_diseases)

    genes = [Gene(id="gene:ERBB2", label="ERBB2", symbol="ERBB2", synonyms=("HER2",))]
    genes += [Gene(id=f"gene:G{i}", label=f"GENE{i}", symbol=f"GENE{i}") for i in range(1, n_genes)]
    alterations = [
        Alteration(
            id="alt:ERBB2-amplification",
            label="ERBB2 amplification",
            synonyms=("HER2 amplification",),
            gene="gene:ERBB2",
            kind=AlterationKind.AMPLIFICATION,
        )
    ]
    alterations += [
        Alteration(
            id=f"alt:A{i}",
            label=f"{genes[i % len(genes)].label} V{i}",
            gene=genes[i % len(genes)].id,
            kind=AlterationKind.POINT_MUTATION,
        )
        for i in range(1, n_alterations)
    ]
    drugs = [Drug(id="drug:pyrotinib", label="pyrotinib", targets=("gene:ERBB2",))]
    drugs += [Drug(id=f"drug:d{i}", label=f"drugamab-{i}", targets=(rng.choice(genes).id,)) for i in range(1, n_drugs)]
    diseases = [Disease(id="disease:nsclc", label="non-small cell lung carcinoma", synonyms=("NSCLC",))]
    diseases += [
        Disease(id=f"disease:x{i}", label=f"cancer type {i}", parents=(rng.choice(diseases).id,))
        for i in range(1, n_diseases)
    ]
    sources = [
        Source(id=f"src:s{i}", kind=SourceKind.JOURNAL_ARTICLE, short_citation=f"Author {i}, {2000 + i % 25}")
        for i in range(n_sources)
    ]

    seed_items = max(3, items // 100)  # items answering the seed question, so the default view is not empty
    evidence = []
    for i in range(items):
        if i < seed_items:
            drug, alteration, disease = drugs[0], alterations[0], diseases[0]
        else:
            drug, alteration, disease = rng.choice(drugs), rng.choice(alterations), rng.choice(diseases)
        source = rng.choice(sources)
        value = Decimal(rng.randint(50, 900)) / 10
        evidence.append(
            EvidenceItem(
                id=f"ev:syn-{i}",
                statement=f"{drug.label} gave an ORR of {value}% in {alteration.label} {disease.label}.",
                evidence_type=rng.choice(_EVIDENCE_TYPES),
                direction=rng.choice(_DIRECTIONS),
                significance=Significance.SENSITIVITY_RESPONSE,
                level=rng.choice(tuple(EvidenceLevel)),
                level_rationale="synthetic",
                therapy=(drug.id,),
                alterations=(alteration.id,),
                disease=disease.id,
                outcomes=(
                    Outcome(
                        measure=OutcomeMeasure.ORR,
                        value=value,
                        unit=Unit.PERCENT,
                        ci_level=Decimal(95),
                        ci_lower=value - 5,
                        ci_upper=value + 5,
                    ),
                ),
                quote=Quote(
                    text=f"the ORR was {value}% (95% CI {value - 5}-{value + 5}%)",
                    source=source.id,
                    section=Section.ABSTRACT,
                ),
            )
        )
    return Corpus.from_records(
        [*sources, *genes, *alterations, *drugs, *diseases, *evidence], version=f"synthetic-{target}-{seed}"
    )


def synthetic_knowledge_graph(nodes: int, seed: int = 0) -> KnowledgeGraph:
    """A knowledge graph of about ``nodes`` nodes (see :func:`synthetic_corpus`)."""
    from kg.runtime.knowledge_graph import KnowledgeGraph

    return KnowledgeGraph.from_corpus(synthetic_corpus(nodes, seed))
