"""JSON-ready views of records: evidence items, sources, studies, outcomes, entities.

The API, the CLI's ``--json`` and the notebook show the same shapes, built
here. An evidence item's payload does not depend on the question, so it is
built once per item and cached; an answer page is then a list of cached
dicts plus each item's match explanation, and serialises in microseconds.

Numbers appear twice: as JSON numbers for computation (``value``,
``ci_lower``, ...) and, in ``text``, exactly as published.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kg.core.text import number_text
from kg.core.vocab import NodeType
from kg.model import (
    EvidenceItem,
    Outcome,
    Population,
    Source,
    Study,
)
from kg.model.base import Xref
from kg.model.terms import Verification
from kg.present.labels import outcome_label

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "entity_payload",
    "evidence_payload",
    "number",
    "outcome_payload",
    "population_payload",
    "ref",
    "source_payload",
    "study_payload",
    "xref_payload",
]


def number(value: Decimal | int | None) -> float | int | None:
    """A published number as a JSON number (integral decimals as ints)."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def ref(kg: KnowledgeGraph, node_id: str | None) -> dict[str, str] | None:
    """``{"id", "label", "type"}`` of a node, or None."""
    if node_id is None:
        return None
    data = kg.graph.nodes.get(node_id)
    if data is None:
        return {"id": node_id, "label": node_id, "type": "unknown"}
    return {"id": node_id, "label": data["label"], "type": data["type"]}


def xref_payload(xref: Xref) -> dict[str, str]:
    """An external id with its IRI and how it was verified."""
    from kg.core.identifiers import expand

    return {"id": xref.id, "iri": expand(xref.id), "status": xref.status.value}


def _ids(xrefs: tuple[Xref, ...], prefix: str) -> str | None:
    for xref in xrefs:
        if xref.id.startswith(f"{prefix}:") and xref.status is not Verification.UNVERIFIED:
            return xref.id.split(":", 1)[1]
    return None


def source_payload(kg: KnowledgeGraph, source_id: str) -> dict[str, Any]:
    """Citation, ids (only verified ones) and how the source was reached."""
    source = kg.corpus.sources.get(source_id)
    if not isinstance(source, Source):
        return {"id": source_id, "citation": source_id}
    return {
        "id": source.id,
        "kind": source.kind.value,
        "citation": source.short_citation,
        "title": source.title,
        "journal": source.journal,
        "year": source.year,
        "doi": _ids(source.xrefs, "doi"),
        "pmid": _ids(source.xrefs, "PMID"),
        "registry_ids": list(source.registry_ids),
        "url": source.url,
        "reported_in": ref(kg, source.reported_in),
        "reference_numbers": list(source.reference_numbers),
        "curator_note": source.curator_note,
    }


def study_payload(kg: KnowledgeGraph, study_id: str | None) -> dict[str, Any] | None:
    """Design, phase, size, arms, line and setting of a study."""
    study = kg.corpus.studies.get(study_id) if study_id else None
    if not isinstance(study, Study):
        return None
    return {
        "id": study.id,
        "name": study.name,
        "design": study.design.value,
        "phase": study.phase,
        "blinding": study.blinding.value if study.blinding else None,
        "randomized": study.randomized,
        "multicenter": study.multicenter,
        "sample_size": study.sample_size,
        "arms": [
            {
                "id": arm.id,
                "label": arm.label,
                "role": arm.role.value,
                "drugs": [ref(kg, drug) for drug in arm.drugs],
                "placebo": arm.placebo,
            }
            for arm in study.arms
        ],
        "line_of_therapy": study.line_of_therapy,
        "setting": study.setting,
        "registry_ids": list(study.registry_ids),
        "sources": [ref(kg, source) for source in study.sources],
    }


def population_payload(kg: KnowledgeGraph, population_id: str | None) -> dict[str, Any] | None:
    """Who the result applies to; a subgroup names its parent population."""
    population = kg.corpus.populations.get(population_id) if population_id else None
    if not isinstance(population, Population):
        return None
    return {
        "id": population.id,
        "label": population.label,
        "subgroup_of": ref(kg, population.parent),
        "is_subgroup": population.parent is not None,
        "disease": ref(kg, population.disease),
        "stage": population.stage,
        "alterations": [ref(kg, alteration) for alteration in population.alterations],
        "prior_therapies": [ref(kg, therapy) for therapy in population.prior_therapies],
        "prior_therapy_text": population.prior_therapy_text,
        "size": population.size,
    }


def outcome_payload(kg: KnowledgeGraph, outcome: Outcome) -> dict[str, Any]:
    """An outcome's numbers, its arm and population, and its one-line text."""
    return {
        "measure": outcome.measure.value,
        "measure_label": outcome.measure_label(),
        "text": outcome_label(outcome),
        "value": number(outcome.value),
        "value_comparator": outcome.value_comparator.value,
        "range_low": number(outcome.range_low),
        "range_high": number(outcome.range_high),
        "unit": outcome.unit.value,
        "ci_level": number(outcome.ci_level),
        "ci_lower": number(outcome.ci_lower),
        "ci_upper": number(outcome.ci_upper),
        "p_value": number(outcome.p_value),
        "p_comparator": outcome.p_comparator.value,
        "numerator": outcome.numerator,
        "denominator": outcome.denominator,
        "response": outcome.response.value if outcome.response else None,
        "timepoint": outcome.timepoint,
        "arm": ref(kg, outcome.arm),
        "comparator_arm": ref(kg, outcome.comparator_arm),
        "population": ref(kg, outcome.population),
        "label": outcome.label,
        "machine_extracted": outcome.machine_extracted,
        "published": {name: number_text(value) for name, value in outcome.numbers().items()},
    }


def evidence_payload(kg: KnowledgeGraph, item: EvidenceItem) -> dict[str, Any]:
    """Everything a researcher needs to judge one evidence item, independent of the question."""
    civic_url = next(
        (
            f"https://civicdb.org/links/evidence_items/{x.id.split(':', 1)[1]}"
            for x in item.xrefs
            if x.id.startswith("civic.eid:")
        ),
        None,
    )
    return {
        "id": item.id,
        "statement": item.statement,
        "evidence_type": item.evidence_type.value,
        "direction": item.direction.value,
        "significance": item.significance.value,
        "level": item.level.value,
        "level_rationale": item.level_rationale,
        "rating": item.rating,
        "variant_origin": item.variant_origin.value if item.variant_origin else None,
        "flagged": item.flagged,
        "therapy": [ref(kg, drug) for drug in item.therapy],
        "therapy_classes": [ref(kg, drug_class) for drug_class in item.therapy_classes],
        "therapy_interaction": item.therapy_interaction.value if item.therapy_interaction else None,
        "alterations": [ref(kg, alteration) for alteration in item.alterations],
        "alteration_logic": item.alteration_logic.value,
        "molecular_profile": ref(kg, item.molecular_profile),
        "genes": [ref(kg, gene) for gene in item.genes],
        "disease": ref(kg, item.disease),
        "study": study_payload(kg, item.study),
        "population": population_payload(kg, item.population),
        "outcomes": [outcome_payload(kg, outcome) for outcome in item.outcomes],
        "adverse_events": [
            {
                "term": ref(kg, occurrence.term),
                "grade": occurrence.grade,
                "grade_comparator": occurrence.grade_comparator.value,
                "ctcae_version": occurrence.ctcae_version,
            }
            for occurrence in item.adverse_events
        ],
        "mechanism": ref(kg, item.mechanism),
        "pathways": [ref(kg, pathway) for pathway in item.pathways],
        "sites": [ref(kg, site) for site in item.sites],
        "biomarker": ref(kg, item.biomarker),
        "case": ref(kg, item.case),
        "quote": {
            "text": item.quote.text,
            "continuation": list(item.quote.continuation),
            "section": item.quote.section.value,
            "corrected": item.quote.corrected,
            "locator": item.quote.locator,
            "source": source_payload(kg, item.quote.source),
        },
        "cites": [source_payload(kg, source) for source in item.cites],
        "xrefs": [xref_payload(x) for x in item.xrefs if x.status is not Verification.UNVERIFIED],
        "url": civic_url,
        "curator_notes": list(item.curator_notes),
    }


def entity_payload(kg: KnowledgeGraph, node_id: str) -> dict[str, Any]:
    """Any node: label, type, synonyms, verified identifiers, hierarchy and evidence count."""
    data = kg.graph.nodes[node_id]
    record = data["record"]
    payload: dict[str, Any] = {
        "id": node_id,
        "type": data["type"],
        "label": data["label"],
        "synonyms": list(getattr(record, "synonyms", ())),
        "description": getattr(record, "description", None),
        "xrefs": [xref_payload(x) for x in getattr(record, "xrefs", ()) if x.status is not Verification.UNVERIFIED],
        "curator_note": getattr(record, "curator_note", None),
        "parents": [ref(kg, parent) for parent in kg.hierarchy.parents(node_id)],
        "children": sorted(
            (ref(kg, child) for child in kg.graph.predecessors(node_id) if _is_child(kg, child, node_id)),
            key=lambda r: r["label"] if r else "",
        ),
    }
    if data["type"] == NodeType.EVIDENCE.value:
        payload["evidence"] = evidence_payload(kg, record)
    elif data["type"] == NodeType.SOURCE.value:
        payload["source"] = source_payload(kg, node_id)
    elif data["type"] == NodeType.STUDY.value:
        payload["study"] = study_payload(kg, node_id)
    return payload


def _is_child(kg: KnowledgeGraph, child: str, parent: str) -> bool:
    return parent in kg.hierarchy.parents(child)
