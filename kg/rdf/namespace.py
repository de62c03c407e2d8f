# ruff: noqa: N815 - RDF local names are camelCase, as in every RDF vocabulary
"""Namespaces of the RDF export: evidence-kg's own closed vocabulary plus the standard ones reused.

``EKG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: asking for a
term that is not listed (``EKG.levl``) raises ``AttributeError`` at once, so a
typo in the writer, the reader or a test cannot mint an undeclared property.
The same terms are declared in ``kg/rdf/ontology.ttl``; a test checks both
lists agree in both directions, and that every term the writer emits is in
them.

Standard vocabularies are reused wherever one fits (PROV-O for quotes,
Dublin Core terms for sources, SKOS for labels, synonyms and verified
matches, BIBO for the ordered author list, VoID for the dataset node);
``ekg:`` only names what none of them says.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace

from kg.core.vocab import EKG_VOCAB

__all__ = [
    "BIBO",
    "BIOLINK",
    "DCTERMS",
    "EKG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "STANDARD_PREFIXES",
    "VOID",
    "XSD",
]

#: The Biolink Model's namespace (categories and predicates).
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
#: The Bibliographic Ontology (only ``bibo:authorList`` is used).
BIBO = Namespace("http://purl.org/ontology/bibo/")
#: schema.org (only ``schema:domainIncludes`` in the ontology).
SCHEMA = Namespace("https://schema.org/")
#: SHACL (shapes file).
SH = Namespace("http://www.w3.org/ns/shacl#")


class EKG(DefinedNamespace):
    """evidence-kg's own classes and properties (``https://w3id.org/evidence-kg/vocab#``)."""

    _NS = Namespace(EKG_VOCAB)
    _fail = True

    # -- classes: one per node type -------------------------------------------------
    Drug: URIRef
    DrugClass: URIRef
    Gene: URIRef
    Alteration: URIRef
    MolecularProfile: URIRef
    Disease: URIRef
    AnatomicalSite: URIRef
    Pathway: URIRef
    AdverseEventTerm: URIRef
    ResistanceMechanism: URIRef
    BiomarkerDefinition: URIRef
    Source: URIRef
    Study: URIRef
    StudyArm: URIRef
    Population: URIRef
    EvidenceItem: URIRef
    Outcome: URIRef
    Assertion: URIRef
    PatientCase: URIRef
    CaseEvent: URIRef
    # -- classes of nodes that are parts of a record (blank nodes) --------------------
    Quote: URIRef
    CrossReference: URIRef
    AdverseEventOccurrence: URIRef

    # -- object properties: one per graph predicate ------------------------------------
    isA: URIRef
    inDrugClass: URIRef
    targets: URIRef
    alterationOf: URIRef
    hasComponent: URIRef
    confersResistanceTo: URIRef
    involves: URIRef
    defines: URIRef
    aboutTherapy: URIRef
    aboutAlteration: URIRef
    aboutMolecularProfile: URIRef
    aboutGene: URIRef
    aboutDisease: URIRef
    aboutMechanism: URIRef
    aboutPathway: URIRef
    aboutAdverseEvent: URIRef
    aboutSite: URIRef
    aboutBiomarker: URIRef
    aboutCase: URIRef
    fromStudy: URIRef
    inPopulation: URIRef
    hasOutcome: URIRef
    quotedFrom: URIRef
    cites: URIRef
    supportedBy: URIRef
    forArm: URIRef
    comparedWith: URIRef
    hasArm: URIRef
    receives: URIRef
    hasPopulation: URIRef
    subgroupOf: URIRef
    hasDisease: URIRef
    requiresAlteration: URIRef
    priorTherapy: URIRef
    metastasisSite: URIRef
    describedIn: URIRef
    reportedBy: URIRef
    hasEvent: URIRef
    followedBy: URIRef
    administered: URIRef
    detected: URIRef
    hadAdverseEvent: URIRef
    assesses: URIRef
    carries: URIRef
    # -- further object properties -------------------------------------------------------
    negatedComponent: URIRef
    negativeGene: URIRef
    provenanceQuote: URIRef
    adverseEvent: URIRef
    adverseEventTerm: URIRef
    xref: URIRef
    xrefTarget: URIRef
    continuation: URIRef

    # -- datatype properties ---------------------------------------------------------------
    ageYears: URIRef
    alterationKind: URIRef
    alterationLogic: URIRef
    ampCategory: URIRef
    armRole: URIRef
    assay: URIRef
    blinding: URIRef
    ciLevel: URIRef
    ciLower: URIRef
    ciUpper: URIRef
    comparator: URIRef
    correctedText: URIRef
    ctcaeTerm: URIRef
    ctcaeVersion: URIRef
    cycles: URIRef
    dateText: URIRef
    denominator: URIRef
    direction: URIRef
    dose: URIRef
    endDate: URIRef
    eventKind: URIRef
    evidenceType: URIRef
    finding: URIRef
    geneSymbol: URIRef
    grade: URIRef
    gradeComparator: URIRef
    hgvs: URIRef
    journal: URIRef
    level: URIRef
    levelRationale: URIRef
    limitation: URIRef
    lineOfTherapy: URIRef
    locator: URIRef
    machineExtracted: URIRef
    measure: URIRef
    measurement: URIRef
    mechanismCategory: URIRef
    modality: URIRef
    multicenter: URIRef
    numerator: URIRef
    order: URIRef
    pComparator: URIRef
    pValue: URIRef
    phase: URIRef
    placebo: URIRef
    populationSize: URIRef
    priorTherapyText: URIRef
    procedure: URIRef
    profileExpression: URIRef
    prospective: URIRef
    randomized: URIRef
    rangeHigh: URIRef
    rangeLow: URIRef
    rating: URIRef
    referenceNumber: URIRef
    registryId: URIRef
    response: URIRef
    responseCriteria: URIRef
    sampleSize: URIRef
    section: URIRef
    seenIn: URIRef
    setting: URIRef
    sex: URIRef
    significance: URIRef
    sourceKind: URIRef
    stage: URIRef
    statement: URIRef
    studyCount: URIRef
    studyDesign: URIRef
    summary: URIRef
    textFile: URIRef
    therapyInteraction: URIRef
    therapyLine: URIRef
    threshold: URIRef
    timepoint: URIRef
    tumorSize: URIRef
    unit: URIRef
    url: URIRef
    value: URIRef
    variantName: URIRef
    valueComparator: URIRef
    verification: URIRef
    xrefId: URIRef
    fdaCompanionTest: URIRef
    regulatoryApproval: URIRef
    nccnGuidelineVersion: URIRef
    nccnGuideline: URIRef
    acmgCode: URIRef
    flagged: URIRef
    variantOrigin: URIRef


#: Prefixes written in Turtle, JSON-LD and RDF/XML (besides our own record prefixes).
STANDARD_PREFIXES: dict[str, str] = {
    "ekg": EKG_VOCAB,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "bibo": str(BIBO),
    "void": str(VOID),
    "biolink": str(BIOLINK),
}
