"""Studies, their arms, and the populations and subgroups evidence is measured in.

A subgroup is a Population with a ``parent``: ChiCTR1800020262 enrolled 27
patients with HER2-amplified NSCLC, and the patients among them who had
failed an EGFR-TKI (ORR 30.8 %) are a subgroup, not the whole trial. An
outcome points at the population it was measured in, so the two ORRs of
that trial (22.2 % overall, 30.8 % in the subgroup) cannot be confused.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from kg.core.vocab import NodeType
from kg.model.base import Node, OwnId, Quote, Ref
from kg.model.terms import ArmRole, Blinding, StudyDesign

__all__ = ["Arm", "Population", "Study"]


class Arm(Node):
    """One arm of a study: what its patients received."""

    node_type: ClassVar[NodeType] = NodeType.ARM
    id: Annotated[str, OwnId(NodeType.ARM)] = Field(description="Stable id, e.g. arm:phila-pyht.")
    label: str = Field(min_length=1, description="Arm name as published ('pyHT', 'placebo plus capecitabine').")
    role: ArmRole = Field(description="Intervention or comparator.")
    drugs: tuple[Annotated[str, Ref(NodeType.DRUG)], ...] = Field(default=(), description="Drugs given in this arm.")
    placebo: bool = Field(default=False, description="Whether the arm includes a placebo.")


class Study(Node):
    """A trial, cohort, case report or laboratory study."""

    node_type: ClassVar[NodeType] = NodeType.STUDY
    id: Annotated[str, OwnId(NodeType.STUDY)] = Field(description="Stable id, e.g. study:phila.")
    name: str = Field(min_length=1, description="Name for display ('PHILA', 'ChiCTR1800020262').")
    design: StudyDesign = Field(description="Study design.")
    phase: str | None = Field(default=None, pattern=r"^(0|I|II|III|IV|I/II|II/III)$", description="Trial phase.")
    blinding: Blinding | None = Field(default=None, description="Blinding, when stated.")
    randomized: bool | None = Field(default=None, description="Whether allocation was randomised.")
    multicenter: bool | None = Field(default=None, description="Whether the study ran at several centres.")
    prospective: bool | None = Field(default=None, description="Whether the study was prospective.")
    sample_size: int | None = Field(default=None, ge=1, description="Patients (or cases) enrolled, when stated.")
    arms: tuple[Arm, ...] = Field(default=(), description="Arms, intervention first.")
    line_of_therapy: str | None = Field(default=None, description="Line of therapy ('first-line', 'second-line').")
    setting: str | None = Field(default=None, description="Clinical setting ('after trastuzumab failure').")
    registry_ids: tuple[str, ...] = Field(default=(), description="Trial registry ids (NCT…, ChiCTR…).")
    sources: tuple[Annotated[str, Ref(NodeType.SOURCE)], ...] = Field(
        min_length=1, description="Sources that describe the study."
    )
    provenance: tuple[Quote, ...] = Field(default=(), description="Quotes stating the design facts above.")
    limitations: tuple[str, ...] = Field(default=(), description="Limitations stated by the source.")
    curator_note: str | None = Field(default=None, description="Caveats and discrepancies.")


class Population(Node):
    """Who a result applies to: disease, required alterations, prior therapy, size."""

    node_type: ClassVar[NodeType] = NodeType.POPULATION
    id: Annotated[str, OwnId(NodeType.POPULATION)] = Field(
        description="Stable id, e.g. pop:chictr1800020262-egfr-tki-failed."
    )
    label: str = Field(min_length=1, description="Description for display.")
    study: Annotated[str, Ref(NodeType.STUDY)] | None = Field(
        default=None, description="Study the population belongs to."
    )
    parent: Annotated[str, Ref(NodeType.POPULATION)] | None = Field(
        default=None, description="The population this one is a subgroup of."
    )
    disease: Annotated[str, Ref(NodeType.DISEASE)] | None = Field(
        default=None, description="Disease of the population."
    )
    stage: str | None = Field(default=None, description="Stage or extent ('advanced', 'stage IIIB or IV').")
    alterations: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations every member has (a co-alteration profile)."
    )
    prior_therapies: tuple[Annotated[str, Ref(NodeType.DRUG, NodeType.DRUG_CLASS)], ...] = Field(
        default=(), description="Drugs or drug classes the members received before."
    )
    prior_therapy_text: str | None = Field(default=None, description="Prior therapy as the source states it.")
    metastasis_sites: tuple[Annotated[str, Ref(NodeType.ANATOMICAL_SITE)], ...] = Field(
        default=(), description="Sites of metastasis that define the population."
    )
    size: int | None = Field(default=None, ge=1, description="Number of patients, when stated.")
    provenance: tuple[Quote, ...] = Field(default=(), description="Quotes that define the population.")
    curator_note: str | None = Field(default=None, description="Caveats, e.g. how the population was inferred.")
