"""Pydantic models of every answer, for the OpenAPI document only.

Endpoints return orjson bytes built from :mod:`kg.query.payload` (see
:mod:`api.responses`), so these models are never instantiated on the hot
path; they exist so that ``/docs`` shows the real shapes with examples. To
keep the documentation honest, every model forbids unknown fields and
``tests/test_api_schemas.py`` validates real answers against them: a field
added to a payload without being documented here fails the tests.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kg.model.terms import (
    AlterationLogic,
    ArmRole,
    Blinding,
    Comparator,
    Direction,
    EvidenceLevel,
    EvidenceType,
    OutcomeMeasure,
    ResponseCategory,
    Section,
    Significance,
    SourceKind,
    StudyDesign,
    TherapyInteraction,
    Unit,
    VariantOrigin,
    Verification,
)

__all__ = [
    "AskAnswer",
    "EntityDetail",
    "EntityPage",
    "ErrorBody",
    "EvidenceAnswer",
    "EvidencePayload",
    "Health",
    "NeighbourhoodAnswer",
    "Ping",
    "SourceDetail",
    "SourcePage",
    "SourcePayload",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- errors ----------------------------------------------------------------------


class Suggestion(_Strict):
    """An entity the unknown name may have meant."""

    id: str = Field(examples=["drug:pyrotinib"])
    label: str = Field(examples=["pyrotinib"])
    type: str = Field(examples=["drug"])


class ErrorDetail(BaseModel):
    """What went wrong; ``parameter`` names the culprit, ``suggestions`` offer "did you mean"."""

    model_config = ConfigDict(extra="allow")  # a few code-specific fields (expected, supported, timeout_s, ...)

    code: str = Field(description="Stable machine-readable code.", examples=["unknown_entity"])
    message: str = Field(
        description="What to change, in plain words.", examples=["unknown therapy 'pyrotinb'; did you mean: pyrotinib?"]
    )
    parameter: str | None = Field(default=None, description="The parameter at fault.", examples=["therapy"])
    suggestions: list[Suggestion] | None = Field(default=None, description="Entities the value may have meant.")


class ErrorBody(_Strict):
    """The one error shape of this API."""

    error: ErrorDetail


# -- shared pieces ----------------------------------------------------------------


class Ref(_Strict):
    """A node of the graph, by id, with its label and type."""

    id: str
    label: str
    type: str


class Named(_Strict):
    id: str
    label: str


class Xref(_Strict):
    """An external identifier (only verified ones are shown) with its IRI."""

    id: str = Field(examples=["DOID:3908"])
    iri: str
    status: Verification


class SourcePayload(_Strict):
    """Where evidence comes from: citation, verified ids, and the paper through which it is cited."""

    id: str = Field(examples=["src:pan-zhou-2024"])
    kind: SourceKind | None = None
    citation: str = Field(examples=["Pan and Zhou, 2024"])
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    registry_ids: list[str] = Field(default_factory=list)
    url: str | None = None
    reported_in: Ref | None = None
    reference_numbers: list[str] = Field(default_factory=list)
    curator_note: str | None = None


class ArmPayload(_Strict):
    id: str
    label: str
    role: ArmRole
    drugs: list[Ref | None]
    placebo: bool


class StudyPayload(_Strict):
    """Design, phase, size and arms of a study."""

    id: str = Field(examples=["study:chictr1800020262"])
    name: str = Field(examples=["ChiCTR1800020262"])
    design: StudyDesign
    phase: str | None
    blinding: Blinding | None
    randomized: bool | None
    multicenter: bool | None
    sample_size: int | None
    arms: list[ArmPayload]
    line_of_therapy: str | None
    setting: str | None
    registry_ids: list[str]
    sources: list[Ref | None]


class PopulationPayload(_Strict):
    id: str
    label: str
    subgroup_of: Ref | None
    is_subgroup: bool
    disease: Ref | None
    stage: str | None
    alterations: list[Ref | None]
    prior_therapies: list[Ref | None]
    prior_therapy_text: str | None
    size: int | None


class OutcomePayload(_Strict):
    """A measured result: numbers for computation, ``text`` exactly as published."""

    measure: OutcomeMeasure
    measure_label: str = Field(examples=["ORR"])
    text: str = Field(examples=["ORR 22.2% (95% CI 10.6–40.8)"])
    value: float | None
    value_comparator: Comparator
    range_low: float | None
    range_high: float | None
    unit: Unit
    ci_level: float | None
    ci_lower: float | None
    ci_upper: float | None
    p_value: float | None
    p_comparator: Comparator
    numerator: int | None
    denominator: int | None
    response: ResponseCategory | None
    timepoint: str | None
    arm: Ref | None
    comparator_arm: Ref | None
    population: Ref | None
    label: str | None
    machine_extracted: bool
    published: dict[str, str] = Field(
        description="Each number of the outcome exactly as published (JSON numbers drop trailing zeros: '34.0')."
    )


class AdverseEventPayload(_Strict):
    term: Ref | None
    grade: int | None
    grade_comparator: Comparator
    ctcae_version: str | None


class QuotePayload(_Strict):
    """The verbatim text the claim rests on, and its source."""

    text: str
    continuation: list[str]
    section: Section
    corrected: str | None
    locator: str | None
    source: SourcePayload


class EvidencePayload(_Strict):
    """One evidence item: claim, classification, therapy, molecular and disease context, outcomes, quote, source."""

    id: str = Field(examples=["ev:chictr-orr"])
    statement: str
    evidence_type: EvidenceType
    direction: Direction
    significance: Significance
    level: EvidenceLevel
    level_rationale: str
    rating: int | None
    variant_origin: VariantOrigin | None = Field(description="Somatic or germline (CIViC variant origin).")
    flagged: bool = Field(description="The source database flags the item as questioned (CIViC is_flagged).")
    therapy: list[Ref | None]
    therapy_classes: list[Ref | None]
    therapy_interaction: TherapyInteraction | None
    alterations: list[Ref | None]
    alteration_logic: AlterationLogic
    molecular_profile: Ref | None
    genes: list[Ref | None]
    disease: Ref | None
    study: StudyPayload | None
    population: PopulationPayload | None
    outcomes: list[OutcomePayload]
    adverse_events: list[AdverseEventPayload]
    mechanism: Ref | None
    pathways: list[Ref | None]
    sites: list[Ref | None]
    biomarker: Ref | None
    case: Ref | None
    quote: QuotePayload
    cites: list[SourcePayload]
    xrefs: list[Xref]
    url: str | None = Field(description="CIViC page of an imported item.")
    curator_notes: list[str]


# -- evidence answers -------------------------------------------------------------------


class ResolvedTerm(_Strict):
    """How one asked name was read."""

    facet: str = Field(examples=["therapy"])
    asked: str = Field(examples=["pyrotinib"])
    id: str = Field(examples=["drug:pyrotinib"])
    label: str = Field(examples=["pyrotinib"])
    type: str = Field(examples=["drug"])


class QueryReading(_Strict):
    resolved: list[ResolvedTerm]
    filters: dict[str, list[str]]
    include_related: bool


class MatchExplanation(_Strict):
    """Why a result matched one asked term: the tier and a sentence."""

    facet: str = Field(examples=["disease"])
    asked: Named
    match: str = Field(description="exact, narrower, broader, related or unmatched", examples=["exact"])
    matched: Named | None
    note: str = Field(examples=["lung adenocarcinoma is a subtype of non-small cell lung carcinoma"])


class Result(_Strict):
    """One ranked evidence item with its explanation."""

    rank: int = Field(examples=[1])
    id: str = Field(examples=["ev:chictr-orr"])
    direct: bool = Field(description="Every asked term matched exactly, narrower or broader, without relaxation.")
    distance: int = Field(description="0 is an exact match on every facet; larger is further from the question.")
    match: list[MatchExplanation]
    evidence: EvidencePayload


class Relaxation(_Strict):
    """A widening of the question taken because the narrower question found nothing."""

    step: int
    description: str = Field(examples=["alteration ERBB2 amplification dropped"])
    found: int


class HeadlineOutcome(_Strict):
    """The numbers of one direct item, with the subgroup they apply to when it is not the whole study."""

    evidence: str
    subgroup: str | None = Field(description="Population label when the numbers are for a subgroup.")
    study: str
    design: str
    sample_size: int | None
    direction: str
    outcomes: list[str]


class Summary(_Strict):
    """Counts over all matching items and the headline outcomes of the best direct evidence."""

    total: int
    direct: int
    by_design: dict[str, int]
    by_direction: dict[str, int]
    by_evidence_type: dict[str, int]
    by_level: dict[str, int]
    headline_outcomes: list[HeadlineOutcome]
    text: str


class EvidenceAnswer(_Strict):
    """Every relevant evidence item, ranked (one page of it), explained and sourced."""

    query: QueryReading
    total: int = Field(description="Matching items over all tiers.")
    direct: int = Field(description="Items matching every asked term directly.")
    offset: int
    limit: int
    relaxations: list[Relaxation] = Field(description="Empty unless the question had to be widened to find anything.")
    results: list[Result]
    summary: Summary | None = None


class Mention(_Strict):
    """A span of the question recognised as an entity."""

    text: str = Field(examples=["HER2-amplified"])
    start: int
    end: int
    id: str = Field(examples=["alt:ERBB2-amplification"])
    label: str
    type: str
    facet: str | None


class IgnoredMention(Mention):
    reason: str


class AskAnswer(EvidenceAnswer):
    """A free-text question, how it was read, and the evidence answer."""

    question: str = Field(examples=["what evidence supports pyrotinib in HER2-amplified NSCLC?"])
    recognised: list[Mention]
    ignored: list[IgnoredMention]
    interpretation: str = Field(
        examples=["therapy: pyrotinib; alteration: ERBB2 amplification; disease: non-small cell lung carcinoma"]
    )


# -- entities -------------------------------------------------------------------------


class EntityHit(_Strict):
    """An autocomplete suggestion."""

    id: str = Field(examples=["drug:pyrotinib"])
    label: str = Field(examples=["pyrotinib"])
    type: str = Field(examples=["drug"])
    match: str = Field(description="exact, prefix, word prefix or fuzzy", examples=["prefix"])
    synonyms: list[str]


class EntityPage(_Strict):
    query: str = Field(examples=["pyro"])
    types: list[str]
    results: list[EntityHit]


class EntityDetail(_Strict):
    """Any node: label, type, synonyms, verified identifiers, hierarchy, and its record when it has one."""

    id: str = Field(examples=["drug:pyrotinib"])
    type: str
    label: str
    synonyms: list[str]
    description: str | None
    xrefs: list[Xref]
    curator_note: str | None
    parents: list[Ref | None]
    children: list[Ref | None]
    evidence: EvidencePayload | None = None
    source: SourcePayload | None = None
    study: StudyPayload | None = None
    resolved_from: str | None = Field(
        default=None, description="The id or name asked, when it was not this entity's own id (DOID:3908, a synonym)."
    )


class NeighbourNode(_Strict):
    id: str
    label: str
    type: str
    distance: int = Field(description="Hops from the centre.")


class NeighbourEdge(_Strict):
    subject: str
    predicate: str
    object: str


class NeighbourhoodAnswer(_Strict):
    """Nodes within ``depth`` hops of an entity, nearest first, and the edges among them."""

    center: str = Field(examples=["drug:pyrotinib"])
    depth: int
    max_nodes: int
    truncated: bool = Field(description="The walk stopped at max_nodes; nearer nodes always come first.")
    nodes: list[NeighbourNode]
    edges: list[NeighbourEdge]


# -- sources -----------------------------------------------------------------------------


class SourcePage(_Strict):
    total: int
    offset: int
    limit: int
    results: list[SourcePayload]


class SourceDetail(SourcePayload):
    """A source, and the evidence items quoting or citing it (a page of their ids)."""

    evidence_total: int
    evidence: list[str]
    evidence_offset: int
    evidence_limit: int


# -- health --------------------------------------------------------------------------------


class SparqlStatus(_Strict):
    state: str = Field(description="disabled, idle, building, ready or failed", examples=["ready"])
    message: str | None = None
    triples: int | None = None
    timeout_s: float | None = None
    max_rows: int | None = None


class Health(_Strict):
    """Liveness, the data release served, and what it holds."""

    status: str = Field(examples=["ok"])
    data_version: str = Field(examples=["curated-a2bc485c10ff"])
    api_version: str
    counts: dict[str, int] = Field(description="Records per section of the corpus.")
    graph: dict[str, dict[str, int]] = Field(description="Nodes by type and edges by predicate.")
    sparql: SparqlStatus


class Ping(_Strict):
    status: str = Field(examples=["ok"])
