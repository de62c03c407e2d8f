"""Named things evidence is about: drugs, genes, alterations, diseases and the rest.

Hierarchies are stated once, child → parent, in ``parents`` (an ``is_a``
link): lung adenocarcinoma → NSCLC → lung cancer; EGFR L858R → EGFR
activating mutation → EGFR mutation. The graph computes closures from them;
data files never repeat ancestors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from kg.core.text import number_text, numbers_in_text
from kg.core.vocab import NodeType
from kg.model.base import Entity, Node, OwnId, Quote, Ref
from kg.model.rules import Violations
from kg.model.terms import (
    AlterationKind,
    AlterationLogic,
    Comparator,
    DrugModality,
    MechanismCategory,
)

__all__ = [
    "AdverseEventTerm",
    "Alteration",
    "AnatomicalSite",
    "BiomarkerDefinition",
    "Disease",
    "Drug",
    "DrugClass",
    "Gene",
    "MolecularProfile",
    "Pathway",
    "ResistanceMechanism",
]


class DrugClass(Entity):
    """A class of drugs (third-generation EGFR-TKI, pan-ErbB TKI, antibody–drug conjugate)."""

    node_type: ClassVar[NodeType] = NodeType.DRUG_CLASS
    id: Annotated[str, OwnId(NodeType.DRUG_CLASS)] = Field(description="Stable id, e.g. drugclass:egfr-tki.")
    parents: tuple[Annotated[str, Ref(NodeType.DRUG_CLASS)], ...] = Field(
        default=(), description="Broader drug classes (is_a)."
    )


class Drug(Entity):
    """A drug, with its classes and molecular targets."""

    node_type: ClassVar[NodeType] = NodeType.DRUG
    id: Annotated[str, OwnId(NodeType.DRUG)] = Field(
        description="Stable id, e.g. drug:pyrotinib (the moiety, not a salt)."
    )
    modality: DrugModality = Field(default=DrugModality.UNKNOWN, description="Small molecule, antibody, ADC, ...")
    classes: tuple[Annotated[str, Ref(NodeType.DRUG_CLASS)], ...] = Field(
        default=(), description="Drug classes it belongs to."
    )
    targets: tuple[Annotated[str, Ref(NodeType.GENE)], ...] = Field(
        default=(), description="Genes whose products it targets."
    )


class Gene(Entity):
    """A gene, named by its HGNC symbol (ERBB2, with synonym HER2)."""

    node_type: ClassVar[NodeType] = NodeType.GENE
    id: Annotated[str, OwnId(NodeType.GENE)] = Field(
        description="Stable id: gene: plus the HGNC symbol, e.g. gene:ERBB2."
    )
    symbol: str = Field(min_length=1, description="HGNC symbol.")


class Alteration(Entity):
    """A genetic alteration of one gene, specific (EGFR L858R) or generic (HER2 alteration)."""

    node_type: ClassVar[NodeType] = NodeType.ALTERATION
    id: Annotated[str, OwnId(NodeType.ALTERATION)] = Field(
        description="Stable id: alt:GENE-variant, e.g. alt:EGFR-L858R."
    )
    gene: Annotated[str, Ref(NodeType.GENE)] = Field(description="The altered gene.")
    kind: AlterationKind = Field(description="Kind of alteration.")
    variant: str | None = Field(default=None, description="Variant name within the gene (L858R, exon 19 deletion).")
    parents: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Broader alterations (is_a)."
    )
    hgvs: tuple[str, ...] = Field(default=(), description="HGVS expressions, as given by the source (CIViC).")


class MolecularProfile(Entity):
    """One or more alterations that must co-occur (or alternatives), as CIViC's molecular profiles."""

    node_type: ClassVar[NodeType] = NodeType.MOLECULAR_PROFILE
    id: Annotated[str, OwnId(NodeType.MOLECULAR_PROFILE)] = Field(
        description="Stable id, e.g. mp:erbb2-amplification-without-egfr-t790m."
    )
    alterations: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations named positively in the profile (empty for 'NOT X' alone)."
    )
    negated: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations the profile requires to be absent (NOT)."
    )
    logic: AlterationLogic = Field(default=AlterationLogic.ALL, description="How the alterations combine.")
    expression: str = Field(
        min_length=1, description="The profile as written by its source, e.g. 'EGFR L858R AND EGFR T790M'."
    )

    @model_validator(mode="after")
    def _check_alterations(self) -> MolecularProfile:
        """A profile names at least one alteration, positively or as NOT, and none both ways."""
        problems = Violations()
        if not self.alterations and not self.negated:
            problems.add("alterations", "at least one alteration in 'alterations' or 'negated'")
        both = set(self.alterations) & set(self.negated)
        if both:
            problems.add("negated", "alterations that are not also named positively", sorted(both))
        problems.raise_if_any(type(self).__name__)
        return self


class Disease(Entity):
    """A disease, with its broader diseases."""

    node_type: ClassVar[NodeType] = NodeType.DISEASE
    id: Annotated[str, OwnId(NodeType.DISEASE)] = Field(description="Stable id, e.g. disease:nsclc.")
    parents: tuple[Annotated[str, Ref(NodeType.DISEASE)], ...] = Field(
        default=(), description="Broader diseases (is_a)."
    )


class AnatomicalSite(Entity):
    """A body site, used for sites of metastasis (DOID has no metastasis terms)."""

    node_type: ClassVar[NodeType] = NodeType.ANATOMICAL_SITE
    id: Annotated[str, OwnId(NodeType.ANATOMICAL_SITE)] = Field(description="Stable id, e.g. site:brain.")


class Pathway(Entity):
    """A signalling pathway (PI3K–AKT, MEK–ERK/MAPK)."""

    node_type: ClassVar[NodeType] = NodeType.PATHWAY
    id: Annotated[str, OwnId(NodeType.PATHWAY)] = Field(description="Stable id, e.g. pathway:pi3k-akt.")


class AdverseEventTerm(Entity):
    """An adverse event term; the grade belongs to each occurrence, not to the term."""

    node_type: ClassVar[NodeType] = NodeType.ADVERSE_EVENT
    id: Annotated[str, OwnId(NodeType.ADVERSE_EVENT)] = Field(description="Stable id, e.g. ae:diarrhea.")
    ctcae_term: str | None = Field(default=None, description="CTCAE v5.0 term, when one applies.")


class ResistanceMechanism(Entity):
    """A mechanism of acquired resistance, linked to the drug classes it defeats."""

    node_type: ClassVar[NodeType] = NodeType.RESISTANCE_MECHANISM
    id: Annotated[str, OwnId(NodeType.RESISTANCE_MECHANISM)] = Field(description="Stable id, e.g. mech:egfr-t790m.")
    category: MechanismCategory = Field(description="EGFR-dependent, bypass pathway, or histological transformation.")
    alteration: Annotated[str, Ref(NodeType.ALTERATION)] | None = Field(
        default=None, description="The alteration that constitutes the mechanism, when there is one."
    )
    confers_resistance_to: tuple[Annotated[str, Ref(NodeType.DRUG_CLASS, NodeType.DRUG)], ...] = Field(
        default=(), description="Drug classes (or drugs) the mechanism confers resistance to."
    )
    parents: tuple[Annotated[str, Ref(NodeType.RESISTANCE_MECHANISM)], ...] = Field(
        default=(), description="Broader mechanisms (is_a)."
    )


class BiomarkerDefinition(Node):
    """How a biomarker is called positive: assay, measurement, threshold, as the source writes it."""

    node_type: ClassVar[NodeType] = NodeType.BIOMARKER_DEFINITION
    id: Annotated[str, OwnId(NodeType.BIOMARKER_DEFINITION)] = Field(
        description="Stable id, e.g. biomarker:her2-amplification-asco-cap."
    )
    label: str = Field(min_length=1, description="Name for display.")
    biomarker: Annotated[str, Ref(NodeType.ALTERATION)] = Field(description="The alteration being defined.")
    measurement: str = Field(min_length=1, description="What is measured, e.g. 'HER2/CEP17 ratio'.")
    comparator: Comparator = Field(description="How the measurement is compared with the threshold.")
    threshold: Decimal = Field(description="Threshold, exactly as published.")
    assay: str | None = Field(default=None, description="Assay, when the source names one (FISH).")
    guideline: Annotated[str, Ref(NodeType.SOURCE)] | None = Field(
        default=None, description="The guideline that sets the rule."
    )
    quote: Quote = Field(description="Verbatim sentence stating the definition.")
    curator_note: str | None = Field(default=None, description="Caveats, e.g. where other sources differ.")

    @model_validator(mode="after")
    def _check_threshold(self) -> BiomarkerDefinition:
        """The threshold appears, as written, in the quote (a number curated from its own sentence)."""
        if number_text(self.threshold) not in numbers_in_text(self.quote.full_text()):
            problems = Violations()
            problems.add("threshold", "a threshold that appears in the quote exactly as published", str(self.threshold))
            problems.raise_if_any(type(self).__name__)
        return self
