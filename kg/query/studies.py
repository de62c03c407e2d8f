"""Studies as a resource: each trial or cohort with its arms, populations and subgroups, outcomes and limitations.

A researcher who has found "ChiCTR1800020262" in an answer wants the trial
itself: its design and size, who was in it (the 27 patients, the subgroup
that had failed EGFR-TKIs, the brain-metastasis subgroup), every outcome
the graph holds from it (by population, with each number's published
text), and what the source says limits it. Everything here is read from
the records; the payloads reuse :mod:`kg.query.payload` for the parts an
evidence result shows too, so a study looks the same in both places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.core.vocab import NodeType
from kg.model import Population, Study
from kg.model.terms import StudyDesign
from kg.query.payload import outcome_payload, record_payload, ref, study_payload
from kg.runtime.memo import MemoSpec
from kg.runtime.resolve import name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "EVIDENCE_BY_STUDY",
    "design_text",
    "evidence_of_study",
    "find_study",
    "select_studies",
    "study_detail",
    "study_summary",
]

#: Study id → ids of its evidence items (one value per graph).
EVIDENCE_BY_STUDY: MemoSpec[None, dict[str, list[str]]] = MemoSpec("evidence by study", max_entries=1)


def evidence_of_study(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Study id → ids of its evidence items (built once per graph, in its memo)."""

    def build() -> dict[str, list[str]]:
        mapping: dict[str, list[str]] = {}
        for item in kg.corpus.evidence.values():
            if item.study:
                mapping.setdefault(item.study, []).append(item.id)
        return mapping

    return kg.memo.table(EVIDENCE_BY_STUDY).compute_once(None, build)


def design_text(study: Study | None, design: StudyDesign | None = None) -> str:
    """The design in words, with the phase when it is stored: "phase II, design not stated", "single arm trial".

    A phase is a design fact the source states even when it says nothing
    else about the design (NCT02675829: "Phase II clinical study"), so it is
    never hidden behind "design not stated".
    """
    chosen = design or (study.design if study is not None else StudyDesign.UNSPECIFIED)
    words = "design not stated" if chosen is StudyDesign.UNSPECIFIED else chosen.value.replace("_", " ")
    phase = study.phase if study is not None else None
    return f"phase {phase}, {words}" if phase and f"phase {phase}".lower() not in words else words


def find_study(kg: KnowledgeGraph, text: str) -> str | None:
    """The study an id, name, acronym or registry id names (``study:phila``, ``PHILA``, ``NCT03863223``), or None."""
    if text in kg.corpus.studies:
        return text
    from kg.reader.lexicon import lexicon
    from kg.runtime.resolve import name_key

    for entry in lexicon(kg).lookup(name_key(text)):
        if entry.node_type is NodeType.STUDY:
            return entry.entity_id
    return None


def study_summary(kg: KnowledgeGraph, study: Study) -> dict[str, Any]:
    """What a list of studies shows."""
    return {
        "id": study.id,
        "name": study.name,
        "design": study.design.value,
        "design_text": design_text(study),
        "phase": study.phase,
        "sample_size": study.sample_size,
        "registry_ids": list(study.registry_ids),
        "line_of_therapy": study.line_of_therapy,
        "setting": study.setting,
        "evidence_count": len(evidence_of_study(kg).get(study.id, [])),
    }


def _population(kg: KnowledgeGraph, population: Population, subgroups: dict[str, list[str]]) -> dict[str, Any]:
    return {
        **record_payload(kg, population),
        "subgroups": [ref(kg, child) for child in subgroups.get(population.id, [])],
        "provenance": [record_payload(kg, quote) for quote in population.provenance],
    }


def study_detail(kg: KnowledgeGraph, study: Study) -> dict[str, Any]:
    """One study: design, arms, populations with subgroups, outcomes by evidence item, limitations, provenance."""
    evidence_ids = evidence_of_study(kg).get(study.id, [])
    items = [kg.corpus.evidence[i] for i in evidence_ids]
    populations = [
        p
        for p in kg.corpus.populations.values()
        if isinstance(p, Population) and (p.study == study.id or p.id in {i.population for i in items})
    ]
    subgroups: dict[str, list[str]] = {}
    for population in populations:
        if population.parent:
            subgroups.setdefault(population.parent, []).append(population.id)
    outcomes = [
        {
            "evidence": item.id,
            "statement": item.statement,
            "population": ref(kg, item.population),
            "outcomes": [outcome_payload(kg, outcome) for outcome in item.outcomes],
        }
        for item in items
        if item.outcomes
    ]
    return {
        **study_payload(kg, study.id),
        "design_text": design_text(study),
        "provenance": [record_payload(kg, quote) for quote in study.provenance],
        "populations": [_population(kg, p, subgroups) for p in populations],
        "outcomes": outcomes,
        "evidence": evidence_ids,
    }


def select_studies(kg: KnowledgeGraph, words: str | None, designs: set[str]) -> list[Study]:
    """Studies whose name, registry ids, setting or sources' citations contain every word, of the given designs."""
    wanted = name_tokens(words) if words else []
    selected = []
    for study_id in sorted(kg.corpus.studies):
        study = kg.corpus.studies[study_id]
        if not isinstance(study, Study) or (designs and study.design.value not in designs):
            continue
        if wanted:
            citations = [getattr(kg.corpus.sources.get(s), "short_citation", "") for s in study.sources]
            haystack = " ".join(
                name_tokens(" ".join([study.name, *study.registry_ids, study.setting or "", *citations]))
            )
            if not all(word in haystack for word in wanted):
                continue
        selected.append(study)
    return selected
