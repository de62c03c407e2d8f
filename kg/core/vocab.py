"""The one vocabulary of evidence-kg: node types and edge predicates.

Every consumer (graph build, query engine, RDF, KGX, graph view, API) names
nodes and edges through these enums, so a term is spelled once and its RDF
and Biolink renderings cannot drift apart. Closed value sets of record
fields (evidence type, level, outcome measure, ...) live in
:mod:`kg.model.terms`; this module is only about the graph's shape.

:data:`FIELD_PREDICATES` is the one table that says which predicate each
reference field of the record models stands for. The graph's edges
(:mod:`kg.graph.build`) and the RDF object properties (:mod:`kg.rdf.mapping`)
are both derived from it and from the fields' own ``Ref`` metadata
(:mod:`kg.model.walk`), so a link is named in one place only.

Biolink mappings are the closest Biolink Model 4.x category or predicate; a
``None`` mapping means no Biolink term fits and KGX falls back to
``biolink:NamedThing`` / ``biolink:related_to``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "EKG_BASE",
    "EKG_VOCAB",
    "FIELD_PREDICATES",
    "FieldEdge",
    "NodeType",
    "NodeTypeInfo",
    "Predicate",
    "PredicateInfo",
]

#: Base IRI of evidence-kg's own records (drugs, evidence items, ...).
EKG_BASE = "https://w3id.org/evidence-kg/"
#: Namespace of evidence-kg's own classes and properties (see ``kg/rdf/ontology.ttl``).
EKG_VOCAB = "https://w3id.org/evidence-kg/vocab#"


class NodeTypeInfo(NamedTuple):
    """How one node type is named in each rendering."""

    label: str
    rdf_class: str  # local name in EKG_VOCAB
    biolink: str  # Biolink category CURIE
    id_prefix: str  # CURIE prefix of our ids for this type


class PredicateInfo(NamedTuple):
    """How one predicate is named in each rendering."""

    label: str
    rdf_property: str  # local name in EKG_VOCAB
    biolink: str | None  # Biolink predicate CURIE, if one fits


class NodeType(StrEnum):
    """Kinds of node in the knowledge graph."""

    DRUG = "drug"
    DRUG_CLASS = "drug_class"
    GENE = "gene"
    ALTERATION = "alteration"
    MOLECULAR_PROFILE = "molecular_profile"
    DISEASE = "disease"
    ANATOMICAL_SITE = "anatomical_site"
    PATHWAY = "pathway"
    ADVERSE_EVENT = "adverse_event"
    RESISTANCE_MECHANISM = "resistance_mechanism"
    BIOMARKER_DEFINITION = "biomarker_definition"
    SOURCE = "source"
    STUDY = "study"
    ARM = "arm"
    POPULATION = "population"
    EVIDENCE = "evidence"
    OUTCOME = "outcome"
    ASSERTION = "assertion"
    PATIENT_CASE = "patient_case"
    CASE_EVENT = "case_event"

    @property
    def info(self) -> NodeTypeInfo:
        return _NODE_INFO[self]


_NODE_INFO: dict[NodeType, NodeTypeInfo] = {
    NodeType.DRUG: NodeTypeInfo("drug", "Drug", "biolink:Drug", "drug"),
    NodeType.DRUG_CLASS: NodeTypeInfo("drug class", "DrugClass", "biolink:ChemicalEntity", "drugclass"),
    NodeType.GENE: NodeTypeInfo("gene", "Gene", "biolink:Gene", "gene"),
    NodeType.ALTERATION: NodeTypeInfo("alteration", "Alteration", "biolink:SequenceVariant", "alt"),
    NodeType.MOLECULAR_PROFILE: NodeTypeInfo("molecular profile", "MolecularProfile", "biolink:Genotype", "mp"),
    NodeType.DISEASE: NodeTypeInfo("disease", "Disease", "biolink:Disease", "disease"),
    NodeType.ANATOMICAL_SITE: NodeTypeInfo("anatomical site", "AnatomicalSite", "biolink:AnatomicalEntity", "site"),
    NodeType.PATHWAY: NodeTypeInfo("pathway", "Pathway", "biolink:Pathway", "pathway"),
    NodeType.ADVERSE_EVENT: NodeTypeInfo("adverse event", "AdverseEventTerm", "biolink:PhenotypicFeature", "ae"),
    NodeType.RESISTANCE_MECHANISM: NodeTypeInfo(
        "resistance mechanism", "ResistanceMechanism", "biolink:BiologicalProcess", "mech"
    ),
    NodeType.BIOMARKER_DEFINITION: NodeTypeInfo(
        "biomarker definition", "BiomarkerDefinition", "biolink:InformationContentEntity", "biomarker"
    ),
    NodeType.SOURCE: NodeTypeInfo("source", "Source", "biolink:Publication", "src"),
    NodeType.STUDY: NodeTypeInfo("study", "Study", "biolink:Study", "study"),
    NodeType.ARM: NodeTypeInfo("study arm", "StudyArm", "biolink:Cohort", "arm"),
    NodeType.POPULATION: NodeTypeInfo("population", "Population", "biolink:Cohort", "pop"),
    NodeType.EVIDENCE: NodeTypeInfo("evidence item", "EvidenceItem", "biolink:InformationContentEntity", "ev"),
    NodeType.OUTCOME: NodeTypeInfo("outcome", "Outcome", "biolink:StudyResult", "outcome"),
    NodeType.ASSERTION: NodeTypeInfo("assertion", "Assertion", "biolink:InformationContentEntity", "assertion"),
    NodeType.PATIENT_CASE: NodeTypeInfo("patient case", "PatientCase", "biolink:Case", "case"),
    NodeType.CASE_EVENT: NodeTypeInfo("case event", "CaseEvent", "biolink:ClinicalIntervention", "event"),
}


class Predicate(StrEnum):
    """Kinds of edge in the knowledge graph (subject → object)."""

    # hierarchy and entity structure
    IS_A = "is_a"
    IN_DRUG_CLASS = "in_drug_class"
    TARGETS = "targets"
    ALTERATION_OF = "alteration_of"
    HAS_COMPONENT = "has_component"
    CONFERS_RESISTANCE_TO = "confers_resistance_to"
    INVOLVES = "involves"
    DEFINES = "defines"
    # evidence item → what it is about
    ABOUT_THERAPY = "about_therapy"
    ABOUT_ALTERATION = "about_alteration"
    ABOUT_MOLECULAR_PROFILE = "about_molecular_profile"
    ABOUT_GENE = "about_gene"
    ABOUT_DISEASE = "about_disease"
    ABOUT_MECHANISM = "about_mechanism"
    ABOUT_PATHWAY = "about_pathway"
    ABOUT_ADVERSE_EVENT = "about_adverse_event"
    ABOUT_SITE = "about_site"
    ABOUT_BIOMARKER = "about_biomarker"
    ABOUT_CASE = "about_case"
    # evidence item → provenance and context
    FROM_STUDY = "from_study"
    IN_POPULATION = "in_population"
    HAS_OUTCOME = "has_outcome"
    QUOTED_FROM = "quoted_from"
    CITES = "cites"
    SUPPORTED_BY = "supported_by"
    # outcomes, studies, populations
    FOR_ARM = "for_arm"
    COMPARED_WITH = "compared_with"
    HAS_ARM = "has_arm"
    RECEIVES = "receives"
    HAS_POPULATION = "has_population"
    SUBGROUP_OF = "subgroup_of"
    HAS_DISEASE = "has_disease"
    REQUIRES_ALTERATION = "requires_alteration"
    PRIOR_THERAPY = "prior_therapy"
    METASTASIS_SITE = "metastasis_site"
    DESCRIBED_IN = "described_in"
    REPORTED_BY = "reported_by"
    # patient case
    HAS_EVENT = "has_event"
    FOLLOWED_BY = "followed_by"
    ADMINISTERED = "administered"
    DETECTED = "detected"
    HAD_ADVERSE_EVENT = "had_adverse_event"
    ASSESSES = "assesses"
    CARRIES = "carries"

    @property
    def info(self) -> PredicateInfo:
        return _PREDICATE_INFO[self]


_PREDICATE_INFO: dict[Predicate, PredicateInfo] = {
    Predicate.IS_A: PredicateInfo("is a", "isA", "biolink:subclass_of"),
    Predicate.IN_DRUG_CLASS: PredicateInfo("in drug class", "inDrugClass", "biolink:member_of"),
    Predicate.TARGETS: PredicateInfo("targets", "targets", "biolink:directly_physically_interacts_with"),
    Predicate.ALTERATION_OF: PredicateInfo("alteration of", "alterationOf", "biolink:is_sequence_variant_of"),
    Predicate.HAS_COMPONENT: PredicateInfo("has component", "hasComponent", "biolink:has_part"),
    Predicate.CONFERS_RESISTANCE_TO: PredicateInfo(
        "confers resistance to", "confersResistanceTo", "biolink:contributes_to"
    ),
    Predicate.INVOLVES: PredicateInfo("involves", "involves", "biolink:has_participant"),
    Predicate.DEFINES: PredicateInfo("defines", "defines", "biolink:related_to"),
    Predicate.ABOUT_THERAPY: PredicateInfo("about therapy", "aboutTherapy", "biolink:mentions"),
    Predicate.ABOUT_ALTERATION: PredicateInfo("about alteration", "aboutAlteration", "biolink:mentions"),
    Predicate.ABOUT_MOLECULAR_PROFILE: PredicateInfo(
        "about molecular profile", "aboutMolecularProfile", "biolink:mentions"
    ),
    Predicate.ABOUT_GENE: PredicateInfo("about gene", "aboutGene", "biolink:mentions"),
    Predicate.ABOUT_DISEASE: PredicateInfo("about disease", "aboutDisease", "biolink:mentions"),
    Predicate.ABOUT_MECHANISM: PredicateInfo("about mechanism", "aboutMechanism", "biolink:mentions"),
    Predicate.ABOUT_PATHWAY: PredicateInfo("about pathway", "aboutPathway", "biolink:mentions"),
    Predicate.ABOUT_ADVERSE_EVENT: PredicateInfo("about adverse event", "aboutAdverseEvent", "biolink:mentions"),
    Predicate.ABOUT_SITE: PredicateInfo("about site", "aboutSite", "biolink:mentions"),
    Predicate.ABOUT_BIOMARKER: PredicateInfo("about biomarker", "aboutBiomarker", "biolink:mentions"),
    Predicate.ABOUT_CASE: PredicateInfo("about case", "aboutCase", "biolink:mentions"),
    Predicate.FROM_STUDY: PredicateInfo("from study", "fromStudy", "biolink:related_to"),
    Predicate.IN_POPULATION: PredicateInfo("in population", "inPopulation", "biolink:related_to"),
    Predicate.HAS_OUTCOME: PredicateInfo("has outcome", "hasOutcome", "biolink:has_output"),
    Predicate.QUOTED_FROM: PredicateInfo("quoted from", "quotedFrom", "biolink:related_to"),
    Predicate.CITES: PredicateInfo("cites", "cites", "biolink:related_to"),
    Predicate.SUPPORTED_BY: PredicateInfo("supported by", "supportedBy", "biolink:related_to"),
    Predicate.FOR_ARM: PredicateInfo("for arm", "forArm", "biolink:related_to"),
    Predicate.COMPARED_WITH: PredicateInfo("compared with", "comparedWith", "biolink:related_to"),
    Predicate.HAS_ARM: PredicateInfo("has arm", "hasArm", "biolink:has_part"),
    Predicate.RECEIVES: PredicateInfo("receives", "receives", "biolink:related_to"),
    Predicate.HAS_POPULATION: PredicateInfo("has population", "hasPopulation", "biolink:has_participant"),
    Predicate.SUBGROUP_OF: PredicateInfo("subgroup of", "subgroupOf", "biolink:part_of"),
    Predicate.HAS_DISEASE: PredicateInfo("has disease", "hasDisease", "biolink:has_phenotype"),
    Predicate.REQUIRES_ALTERATION: PredicateInfo("requires alteration", "requiresAlteration", "biolink:related_to"),
    Predicate.PRIOR_THERAPY: PredicateInfo("prior therapy", "priorTherapy", "biolink:related_to"),
    Predicate.METASTASIS_SITE: PredicateInfo("metastasis site", "metastasisSite", "biolink:related_to"),
    Predicate.DESCRIBED_IN: PredicateInfo("described in", "describedIn", "biolink:related_to"),
    Predicate.REPORTED_BY: PredicateInfo("reported by", "reportedBy", "biolink:related_to"),
    Predicate.HAS_EVENT: PredicateInfo("has event", "hasEvent", "biolink:has_part"),
    Predicate.FOLLOWED_BY: PredicateInfo("followed by", "followedBy", "biolink:precedes"),
    Predicate.ADMINISTERED: PredicateInfo("administered", "administered", "biolink:related_to"),
    Predicate.DETECTED: PredicateInfo("detected", "detected", "biolink:related_to"),
    Predicate.HAD_ADVERSE_EVENT: PredicateInfo("had adverse event", "hadAdverseEvent", "biolink:has_phenotype"),
    Predicate.ASSESSES: PredicateInfo("assesses", "assesses", "biolink:related_to"),
    Predicate.CARRIES: PredicateInfo("carries", "carries", "biolink:related_to"),
}


class FieldEdge(NamedTuple):
    """A field's edge when it is more than a plain ``subject → object`` link (see :data:`FIELD_PREDICATES`)."""

    predicate: Predicate
    #: The edge runs from the referenced record to the field's record (``study has_population population``).
    inverse: bool = False
    #: Consecutive items of an ordered field of nested nodes are also linked by this predicate (case events).
    sequence: Predicate | None = None


#: The edge each linking field of the record models stands for, by ``"Model.field"`` (the class that declares
#: the field). A *reference* field (``Annotated[str, Ref(...)]``) links its record to the record it names; a
#: field of nested *nodes* (study arms, case events, outcomes) links its record to each of them; for a field
#: of nested *parts* (quotes, adverse-event occurrences), which are no nodes, the predicate is that of the
#: edges the parts' references become on the record holding them. ``None``: the field is no edge of the
#: graph (the RDF still carries it). A field may instead name its predicate itself with
#: ``Ref(NodeType.X, predicate=Predicate.Y)``; a reference field that does neither is an error
#: (:func:`kg.model.walk.links`), never a silently missing edge.
FIELD_PREDICATES: dict[str, Predicate | FieldEdge | None] = {
    # entities
    "DrugClass.parents": Predicate.IS_A,
    "Drug.classes": Predicate.IN_DRUG_CLASS,
    "Drug.targets": Predicate.TARGETS,
    "Alteration.gene": Predicate.ALTERATION_OF,
    "Alteration.parents": Predicate.IS_A,
    "MolecularProfile.alterations": Predicate.HAS_COMPONENT,
    "MolecularProfile.negated": Predicate.HAS_COMPONENT,  # the graph marks the edge negated; RDF: negatedComponent
    "Disease.parents": Predicate.IS_A,
    "ResistanceMechanism.alteration": Predicate.INVOLVES,
    "ResistanceMechanism.confers_resistance_to": Predicate.CONFERS_RESISTANCE_TO,
    "ResistanceMechanism.parents": Predicate.IS_A,
    "BiomarkerDefinition.biomarker": Predicate.DEFINES,
    "BiomarkerDefinition.guideline": Predicate.DESCRIBED_IN,
    # sources, studies, populations
    "Source.reported_in": Predicate.REPORTED_BY,
    "Study.arms": Predicate.HAS_ARM,
    "Study.sources": Predicate.DESCRIBED_IN,
    "Arm.drugs": Predicate.RECEIVES,
    "Population.study": FieldEdge(Predicate.HAS_POPULATION, inverse=True),
    "Population.parent": Predicate.SUBGROUP_OF,
    "Population.disease": Predicate.HAS_DISEASE,
    "Population.alterations": Predicate.REQUIRES_ALTERATION,
    "Population.prior_therapies": Predicate.PRIOR_THERAPY,
    "Population.metastasis_sites": Predicate.METASTASIS_SITE,
    # patient cases
    "PatientCase.source": Predicate.DESCRIBED_IN,
    "PatientCase.disease": Predicate.HAS_DISEASE,
    "PatientCase.alterations": Predicate.CARRIES,
    "PatientCase.events": FieldEdge(Predicate.HAS_EVENT, sequence=Predicate.FOLLOWED_BY),
    "CaseEvent.drugs": Predicate.ADMINISTERED,
    "CaseEvent.assesses": Predicate.ASSESSES,
    "CaseEvent.alterations": Predicate.DETECTED,
    "CaseEvent.negative_genes": None,  # a gene tested negative is no link of the graph
    "CaseEvent.sites": Predicate.METASTASIS_SITE,
    "CaseEvent.adverse_events": Predicate.HAD_ADVERSE_EVENT,
    # evidence items and their outcomes
    "EvidenceItem.therapy": Predicate.ABOUT_THERAPY,
    "EvidenceItem.therapy_classes": Predicate.ABOUT_THERAPY,
    "EvidenceItem.alterations": Predicate.ABOUT_ALTERATION,
    "EvidenceItem.molecular_profile": Predicate.ABOUT_MOLECULAR_PROFILE,
    "EvidenceItem.genes": Predicate.ABOUT_GENE,
    "EvidenceItem.disease": Predicate.ABOUT_DISEASE,
    "EvidenceItem.study": Predicate.FROM_STUDY,
    "EvidenceItem.population": Predicate.IN_POPULATION,
    "EvidenceItem.outcomes": Predicate.HAS_OUTCOME,
    "EvidenceItem.adverse_events": Predicate.ABOUT_ADVERSE_EVENT,
    "EvidenceItem.mechanism": Predicate.ABOUT_MECHANISM,
    "EvidenceItem.pathways": Predicate.ABOUT_PATHWAY,
    "EvidenceItem.sites": Predicate.ABOUT_SITE,
    "EvidenceItem.biomarker": Predicate.ABOUT_BIOMARKER,
    "EvidenceItem.case": Predicate.ABOUT_CASE,
    "EvidenceItem.cites": Predicate.CITES,
    "Outcome.arm": Predicate.FOR_ARM,
    "Outcome.comparator_arm": Predicate.COMPARED_WITH,
    "Outcome.population": Predicate.IN_POPULATION,
    "Assertion.therapy": Predicate.ABOUT_THERAPY,
    "Assertion.molecular_profile": Predicate.ABOUT_MOLECULAR_PROFILE,
    "Assertion.disease": Predicate.ABOUT_DISEASE,
    "Assertion.evidence_items": Predicate.SUPPORTED_BY,
    "Assertion.source": Predicate.DESCRIBED_IN,
    # parts: their references become edges of the record that holds them
    "Quote.source": Predicate.QUOTED_FROM,
    "AdverseEventOccurrence.term": None,  # named by the holding field (EvidenceItem/CaseEvent.adverse_events)
}
