"""Evidence items: one claim, what it is about, how strong it is, its numbers and its words.

An evidence item is a nanopublication in miniature: the *assertion*
(therapy, alterations, disease, type, direction, significance), its
*support* (outcomes, study, population) and its *provenance* (a verbatim
quote from a source, the sources it cites, the level and why). Combination
therapies are one intervention of several drugs (``therapy`` with
``therapy_interaction="combination"``); CIViC's "substitutes" are several
drugs each claimed separately. A review often speaks of a class
("EGFR-TKIs", "chemotherapy"): ``therapy_classes`` holds it, so the claim
is not forced onto an arbitrary member drug.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from kg.core.vocab import NodeType
from kg.model.base import Node, OwnId, Quote, Record, Ref, Xref
from kg.model.outcomes import Outcome
from kg.model.rules import Violations
from kg.model.terms import (
    AlterationLogic,
    Comparator,
    Direction,
    EvidenceLevel,
    EvidenceType,
    Significance,
    TherapyInteraction,
    VariantOrigin,
)

__all__ = ["AdverseEventOccurrence", "Assertion", "EvidenceItem"]


class AdverseEventOccurrence(Record):
    """An adverse event as observed: the term and the grade it reached."""

    term: Annotated[str, Ref(NodeType.ADVERSE_EVENT)] = Field(description="The adverse event term.")
    grade: int | None = Field(default=None, ge=1, le=5, description="CTCAE grade, when stated.")
    grade_comparator: Comparator = Field(default=Comparator.EQ, description="'>=' for 'grade three or higher'.")
    ctcae_version: str | None = Field(default=None, description="CTCAE version used for grading ('5.0').")


class EvidenceItem(Node):
    """One claim drawn from one source, with its outcomes and verbatim quote."""

    node_type: ClassVar[NodeType] = NodeType.EVIDENCE
    id: Annotated[str, OwnId(NodeType.EVIDENCE)] = Field(description="Stable id, e.g. ev:pan-zhou-2024-phila-mpfs.")
    statement: str = Field(min_length=1, description="The claim in one plain sentence, as a curator states it.")
    evidence_type: EvidenceType = Field(description="Predictive, prognostic, prevalence, mechanistic, safety, ...")
    direction: Direction = Field(description="Whether the evidence supports the claim.")
    significance: Significance = Field(description="Clinical significance claimed.")
    level: EvidenceLevel = Field(description="CIViC evidence level A–E.")
    level_rationale: str = Field(min_length=1, description="One line: why this level.")
    rating: int | None = Field(default=None, ge=1, le=5, description="CIViC's 1–5 star rating, when imported.")

    therapy: tuple[Annotated[str, Ref(NodeType.DRUG)], ...] = Field(
        default=(), description="Drugs of the intervention."
    )
    therapy_classes: tuple[Annotated[str, Ref(NodeType.DRUG_CLASS)], ...] = Field(
        default=(),
        description="Drug classes of the intervention when the source names a class, not drugs "
        "('EGFR-TKIs', 'chemotherapy', 'third-generation EGFR-TKIs and pyrotinib'); counted with therapy.",
    )
    therapy_interaction: TherapyInteraction | None = Field(
        default=None,
        description="How several drugs (or classes) relate; required when therapy and therapy_classes "
        "name more than one.",
    )
    alterations: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations the claim is about."
    )
    alteration_logic: AlterationLogic = Field(
        default=AlterationLogic.ALL, description="Whether all alterations co-occur, or any one suffices."
    )
    molecular_profile: Annotated[str, Ref(NodeType.MOLECULAR_PROFILE)] | None = Field(
        default=None, description="The molecular profile, for imported CIViC items."
    )
    genes: tuple[Annotated[str, Ref(NodeType.GENE)], ...] = Field(
        default=(), description="Genes the claim is about when no specific alteration is named."
    )
    disease: Annotated[str, Ref(NodeType.DISEASE)] | None = Field(
        default=None, description="Disease the claim applies to."
    )
    line_of_therapy: str | None = Field(
        default=None,
        description="Line of therapy the claim concerns, as the source states it ('first-line', "
        "'first-line and second-line'), when no study or population of the item records it.",
    )

    study: Annotated[str, Ref(NodeType.STUDY)] | None = Field(
        default=None, description="Study the evidence comes from."
    )
    population: Annotated[str, Ref(NodeType.POPULATION)] | None = Field(
        default=None, description="Population or subgroup the claim applies to."
    )
    study_count: int | None = Field(
        default=None,
        ge=1,
        description="Number of studies the claim rests on, when the source states it but does not identify "
        "them ('Two clinical trials ... did not achieve satisfactory clinical outcomes').",
    )
    outcomes: tuple[Outcome, ...] = Field(default=(), description="Measured results supporting the claim.")
    adverse_events: tuple[AdverseEventOccurrence, ...] = Field(default=(), description="Adverse events reported.")
    mechanism: Annotated[str, Ref(NodeType.RESISTANCE_MECHANISM)] | None = Field(
        default=None, description="Resistance mechanism the claim is about."
    )
    pathways: tuple[Annotated[str, Ref(NodeType.PATHWAY)], ...] = Field(
        default=(), description="Pathways the claim involves."
    )
    sites: tuple[Annotated[str, Ref(NodeType.ANATOMICAL_SITE)], ...] = Field(
        default=(), description="Anatomical sites the claim involves (brain metastases)."
    )
    biomarker: Annotated[str, Ref(NodeType.BIOMARKER_DEFINITION)] | None = Field(
        default=None, description="Biomarker definition the claim relies on or states."
    )
    case: Annotated[str, Ref(NodeType.PATIENT_CASE)] | None = Field(
        default=None, description="Patient case the claim is drawn from."
    )

    quote: Quote = Field(description="Verbatim text the claim rests on.")
    cites: tuple[Annotated[str, Ref(NodeType.SOURCE)], ...] = Field(
        default=(), description="Primary sources the quoting source cites for this claim."
    )
    variant_origin: VariantOrigin | None = Field(
        default=None, description="Somatic or germline origin of the alterations, when the source states it (CIViC)."
    )
    flagged: bool = Field(
        default=False, description="True when the source database flags the item as questioned (CIViC is_flagged)."
    )
    xrefs: tuple[Xref, ...] = Field(default=(), description="Ids of this item elsewhere (civic.eid:1041).")
    curator_notes: tuple[str, ...] = Field(default=(), description="Caveats, disagreements with other sources.")

    def is_combination(self) -> bool:
        """Whether the drugs are given together as one intervention."""
        return self.therapy_interaction is TherapyInteraction.COMBINATION

    @model_validator(mode="after")
    def _check_therapy_interaction(self) -> EvidenceItem:
        """Several drugs (or drug classes) need an interaction type; a combination needs several of them."""
        problems = Violations()
        parts = len(self.therapy) + len(self.therapy_classes)
        if parts > 1 and self.therapy_interaction in (None, TherapyInteraction.SINGLE):
            problems.add(
                "therapy_interaction", "combination, substitutes or sequential for several drugs or drug classes"
            )
        if parts < 2 and self.therapy_interaction not in (None, TherapyInteraction.SINGLE):
            problems.add(
                "therapy_interaction",
                "no interaction type (or single) for fewer than two drugs or drug classes",
                self.therapy_interaction.value,
            )
        if len(set(self.therapy)) != len(self.therapy):
            problems.add("therapy", "each drug once", list(self.therapy))
        if len(set(self.therapy_classes)) != len(self.therapy_classes):
            problems.add("therapy_classes", "each drug class once", list(self.therapy_classes))
        problems.raise_if_any(type(self).__name__)
        return self


class Assertion(Node):
    """A CIViC assertion: a summary claim backed by several evidence items."""

    node_type: ClassVar[NodeType] = NodeType.ASSERTION
    id: Annotated[str, OwnId(NodeType.ASSERTION)] = Field(description="Stable id, e.g. assertion:civic-aid-2.")
    summary: str = Field(min_length=1, description="One-line summary of the assertion.")
    description: str | None = Field(default=None, description="Full description, as published.")
    evidence_type: EvidenceType = Field(description="Type of the assertion.")
    direction: Direction = Field(description="Whether the assertion supports its claim.")
    significance: Significance = Field(description="Clinical significance claimed.")
    amp_category: str | None = Field(default=None, description="AMP/ASCO/CAP tier, as published.")
    acmg_codes: tuple[str, ...] = Field(default=(), description="ACMG/AMP criteria codes, for germline assertions.")
    nccn_guideline: str | None = Field(default=None, description="NCCN guideline the assertion cites.")
    nccn_guideline_version: str | None = Field(default=None, description="Version of that NCCN guideline.")
    regulatory_approval: bool | None = Field(default=None, description="Whether a regulatory approval backs it.")
    fda_companion_test: bool | None = Field(default=None, description="Whether an FDA companion test exists.")
    therapy: tuple[Annotated[str, Ref(NodeType.DRUG)], ...] = Field(default=(), description="Drugs of the assertion.")
    therapy_interaction: TherapyInteraction | None = Field(default=None, description="How the drugs relate.")
    molecular_profile: Annotated[str, Ref(NodeType.MOLECULAR_PROFILE)] | None = Field(
        default=None, description="Molecular profile."
    )
    disease: Annotated[str, Ref(NodeType.DISEASE)] | None = Field(default=None, description="Disease.")
    evidence_items: tuple[Annotated[str, Ref(NodeType.EVIDENCE)], ...] = Field(
        default=(), description="Supporting evidence items."
    )
    source: Annotated[str, Ref(NodeType.SOURCE)] = Field(description="Database the assertion comes from.")
    xrefs: tuple[Xref, ...] = Field(default=(), description="Ids of the assertion (civic.aid:…).")
    flagged: bool = Field(default=False, description="True when the source database flags the assertion as questioned.")
    curator_notes: tuple[str, ...] = Field(default=(), description="Caveats: links dropped, profiles not imported.")
