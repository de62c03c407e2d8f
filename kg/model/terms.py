"""Closed value sets used by the record model.

Values follow CIViC where CIViC has a term (evidence type, direction,
significance, level, therapy interaction) so that imported CIViC items and
curated items speak one language; the extra values (prevalence,
mechanistic, safety, study designs, outcome measures) cover what papers
report and CIViC does not store. Every enum value is a lowercase snake-case
string: that is what appears in data files, JSON and RDF.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DESIGN_RANK",
    "OUTCOME_MEASURE_LABELS",
    "AlterationKind",
    "AlterationLogic",
    "ArmRole",
    "Blinding",
    "Comparator",
    "Direction",
    "DrugModality",
    "EventKind",
    "EvidenceLevel",
    "EvidenceType",
    "MechanismCategory",
    "OutcomeMeasure",
    "ResponseCategory",
    "Section",
    "Significance",
    "SourceKind",
    "StudyDesign",
    "TherapyInteraction",
    "Unit",
    "VariantOrigin",
    "Verification",
]


class EvidenceType(StrEnum):
    """What kind of claim an evidence item makes (CIViC's types plus three of ours)."""

    PREDICTIVE = "predictive"  # therapy response given a molecular profile (CIViC Predictive)
    PROGNOSTIC = "prognostic"
    DIAGNOSTIC = "diagnostic"
    PREDISPOSING = "predisposing"
    ONCOGENIC = "oncogenic"
    FUNCTIONAL = "functional"
    PREVALENCE = "prevalence"  # how often an alteration occurs in a population
    MECHANISTIC = "mechanistic"  # how an alteration or drug acts (pathways, resistance)
    SAFETY = "safety"  # adverse events of a therapy
    # Added for review papers, whose claims are not all about a variant and a therapy:
    CLINICAL_PRACTICE = "clinical_practice"  # standard of care, approval, recommendation, or their absence
    METHODOLOGICAL = "methodological"  # how an alteration is detected or defined; how methods affect findings
    CLINICAL_COURSE = "clinical_course"  # what happened over time to a patient or population (no comparison)
    CHARACTERISTIC = "characteristic"  # features of a tumour or subgroup (histology, nodes, TMB, PD-L1, smoking)


class Direction(StrEnum):
    """Whether the evidence supports or refutes its claim (CIViC evidence direction)."""

    SUPPORTS = "supports"
    DOES_NOT_SUPPORT = "does_not_support"
    NOT_APPLICABLE = "not_applicable"


class Significance(StrEnum):
    """The clinical significance claimed (CIViC significance values)."""

    SENSITIVITY_RESPONSE = "sensitivity_response"
    REDUCED_SENSITIVITY = "reduced_sensitivity"
    RESISTANCE = "resistance"
    ADVERSE_RESPONSE = "adverse_response"
    POOR_OUTCOME = "poor_outcome"
    BETTER_OUTCOME = "better_outcome"
    POSITIVE = "positive"
    NEGATIVE = "negative"
    PREDISPOSITION = "predisposition"
    PROTECTIVENESS = "protectiveness"
    ONCOGENICITY = "oncogenicity"
    UNCERTAIN_SIGNIFICANCE = "uncertain_significance"
    GAIN_OF_FUNCTION = "gain_of_function"
    LOSS_OF_FUNCTION = "loss_of_function"
    DOMINANT_NEGATIVE = "dominant_negative"
    NEOMORPHIC = "neomorphic"
    PATHOGENIC = "pathogenic"
    LIKELY_PATHOGENIC = "likely_pathogenic"
    BENIGN = "benign"
    LIKELY_BENIGN = "likely_benign"
    LIKELY_ONCOGENIC = "likely_oncogenic"
    NOT_APPLICABLE = "not_applicable"


class VariantOrigin(StrEnum):
    """Whether the alteration is somatic or germline (CIViC variant origin)."""

    SOMATIC = "somatic"
    RARE_GERMLINE = "rare_germline"
    COMMON_GERMLINE = "common_germline"
    COMBINED = "combined"  # both somatic and germline
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class EvidenceLevel(StrEnum):
    """CIViC's evidence level: A validated, B clinical, C case study, D preclinical, E inferential."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class TherapyInteraction(StrEnum):
    """How the drugs of one evidence item relate (CIViC therapy interaction type)."""

    SINGLE = "single"
    COMBINATION = "combination"  # given together: one intervention of several drugs
    SUBSTITUTES = "substitutes"  # any one of them: several separate single-drug claims
    SEQUENTIAL = "sequential"


class StudyDesign(StrEnum):
    """Design of the study an evidence item comes from, best first."""

    META_ANALYSIS = "meta_analysis"
    RANDOMIZED_CONTROLLED_TRIAL = "randomized_controlled_trial"
    SINGLE_ARM_TRIAL = "single_arm_trial"
    PROSPECTIVE_COHORT = "prospective_cohort"
    RETROSPECTIVE_COHORT = "retrospective_cohort"
    CASE_SERIES = "case_series"
    CASE_REPORT = "case_report"
    IN_VIVO_STUDY = "in_vivo_study"
    IN_VITRO_STUDY = "in_vitro_study"
    GUIDELINE = "guideline"
    REVIEW = "review"
    UNSPECIFIED = "unspecified"


#: Rank of a design in result ordering (lower is stronger evidence).
DESIGN_RANK: dict[StudyDesign, int] = {
    StudyDesign.META_ANALYSIS: 0,
    StudyDesign.RANDOMIZED_CONTROLLED_TRIAL: 1,
    StudyDesign.SINGLE_ARM_TRIAL: 2,
    StudyDesign.PROSPECTIVE_COHORT: 3,
    StudyDesign.RETROSPECTIVE_COHORT: 4,
    StudyDesign.GUIDELINE: 4,
    StudyDesign.CASE_SERIES: 5,
    StudyDesign.UNSPECIFIED: 5,
    StudyDesign.CASE_REPORT: 6,
    StudyDesign.IN_VIVO_STUDY: 7,
    StudyDesign.IN_VITRO_STUDY: 8,
    StudyDesign.REVIEW: 9,
}


class Blinding(StrEnum):
    DOUBLE_BLIND = "double_blind"
    SINGLE_BLIND = "single_blind"
    OPEN_LABEL = "open_label"
    NOT_APPLICABLE = "not_applicable"


class ArmRole(StrEnum):
    INTERVENTION = "intervention"
    COMPARATOR = "comparator"


class OutcomeMeasure(StrEnum):
    """What an outcome measures.

    Names, abbreviations and spellings of each measure (the words that
    questions and papers use for it) live in :mod:`kg.reader.measures`.
    """

    ORR = "orr"  # objective (overall) response rate
    DCR = "dcr"  # disease control rate
    CBR = "cbr"  # clinical benefit rate
    CR_RATE = "cr_rate"  # complete response rate
    PR_RATE = "pr_rate"  # partial response rate
    PCR_RATE = "pcr_rate"  # pathological complete response rate (neoadjuvant)
    PFS_MEDIAN = "pfs_median"  # median progression-free survival (mPFS)
    OS_MEDIAN = "os_median"  # median overall survival (mOS)
    DFS_MEDIAN = "dfs_median"  # median disease-free survival
    RFS_MEDIAN = "rfs_median"  # median relapse- or recurrence-free survival
    EFS_MEDIAN = "efs_median"  # median event-free survival
    TTP_MEDIAN = "ttp_median"  # median time to progression
    TTF_MEDIAN = "ttf_median"  # median time to treatment failure
    DOR_MEDIAN = "dor_median"  # median duration of response
    PFS_RATE = "pfs_rate"  # share progression-free at a timepoint
    OS_RATE = "os_rate"  # share alive at a timepoint
    DFS_RATE = "dfs_rate"  # share disease-free at a timepoint
    RFS_RATE = "rfs_rate"  # share relapse-free at a timepoint
    EFS_RATE = "efs_rate"  # share event-free at a timepoint
    HAZARD_RATIO = "hazard_ratio"
    ODDS_RATIO = "odds_ratio"
    RISK_RATIO = "risk_ratio"  # relative risk
    BEST_RESPONSE = "best_response"  # RECIST category of one patient or arm
    PROPORTION = "proportion"  # prevalence or share, in percent
    ADVERSE_EVENT_RATE = "adverse_event_rate"  # share of patients with an adverse event (of a grade)
    COUNT = "count"  # k of n
    TIME_TO_EVENT = "time_to_event"  # an interval in one patient or cohort (months from surgery to metastasis)


OUTCOME_MEASURE_LABELS: dict[OutcomeMeasure, str] = {
    OutcomeMeasure.ORR: "ORR",
    OutcomeMeasure.DCR: "DCR",
    OutcomeMeasure.CBR: "CBR",
    OutcomeMeasure.CR_RATE: "CR rate",
    OutcomeMeasure.PR_RATE: "PR rate",
    OutcomeMeasure.PCR_RATE: "pCR rate",
    OutcomeMeasure.PFS_MEDIAN: "mPFS",
    OutcomeMeasure.OS_MEDIAN: "mOS",
    OutcomeMeasure.DFS_MEDIAN: "mDFS",
    OutcomeMeasure.RFS_MEDIAN: "mRFS",
    OutcomeMeasure.EFS_MEDIAN: "mEFS",
    OutcomeMeasure.TTP_MEDIAN: "mTTP",
    OutcomeMeasure.TTF_MEDIAN: "mTTF",
    OutcomeMeasure.DOR_MEDIAN: "mDOR",
    OutcomeMeasure.PFS_RATE: "PFS rate",
    OutcomeMeasure.OS_RATE: "OS rate",
    OutcomeMeasure.DFS_RATE: "DFS rate",
    OutcomeMeasure.RFS_RATE: "RFS rate",
    OutcomeMeasure.EFS_RATE: "EFS rate",
    OutcomeMeasure.HAZARD_RATIO: "HR",
    OutcomeMeasure.ODDS_RATIO: "OR",
    OutcomeMeasure.RISK_RATIO: "RR",
    OutcomeMeasure.BEST_RESPONSE: "best response",
    OutcomeMeasure.PROPORTION: "proportion",
    OutcomeMeasure.ADVERSE_EVENT_RATE: "AE rate",
    OutcomeMeasure.COUNT: "count",
    OutcomeMeasure.TIME_TO_EVENT: "time to event",
}


class Unit(StrEnum):
    PERCENT = "percent"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    RATIO = "ratio"
    PATIENTS = "patients"
    NONE = "none"


class Comparator(StrEnum):
    """Qualifier of a published number: ``P<0.0001``, ``below 20%``, ``up to 10%``."""

    EQ = "="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    APPROX = "~"


class ResponseCategory(StrEnum):
    """RECIST 1.1 response categories."""

    COMPLETE_RESPONSE = "complete_response"
    PARTIAL_RESPONSE = "partial_response"
    STABLE_DISEASE = "stable_disease"
    PROGRESSIVE_DISEASE = "progressive_disease"


class AlterationKind(StrEnum):
    """Kind of genetic alteration; the generic kinds head ``is_a`` hierarchies."""

    ANY = "any"  # any alteration of the gene (HER2 alteration)
    MUTATION = "mutation"  # any sequence mutation
    ACTIVATING_MUTATION = "activating_mutation"
    POINT_MUTATION = "point_mutation"
    DELETION = "deletion"
    INSERTION = "insertion"
    DUPLICATION = "duplication"
    DELINS = "delins"
    FRAMESHIFT = "frameshift"
    AMPLIFICATION = "amplification"
    OVEREXPRESSION = "overexpression"
    EXPRESSION = "expression"
    LOSS = "loss"
    FUSION = "fusion"
    WILD_TYPE = "wild_type"
    OTHER = "other"


class DrugModality(StrEnum):
    SMALL_MOLECULE = "small_molecule"
    ANTIBODY = "antibody"
    ANTIBODY_DRUG_CONJUGATE = "antibody_drug_conjugate"
    CHEMOTHERAPY = "chemotherapy"
    OTHER = "other"
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    JOURNAL_ARTICLE = "journal_article"
    CONFERENCE_ABSTRACT = "conference_abstract"
    GUIDELINE = "guideline"
    DATABASE = "database"
    DATABASE_RECORD = "database_record"
    UNIDENTIFIED_REFERENCE = "unidentified_reference"  # cited by number; publication not identified


class Verification(StrEnum):
    """How an external identifier was checked (see data/README.md)."""

    VERIFIED = "verified"  # seen with its label in an authoritative file or page
    VERIFIED_SECONDARY = "verified_secondary"  # seen as a cross-reference or in agreeing third-party files
    UNVERIFIED = "unverified"  # from memory only: never presented as fact


class MechanismCategory(StrEnum):
    """Kind of resistance mechanism; umbrella terms of a hierarchy use ``general`` or ``egfr_independent``."""

    EGFR_DEPENDENT = "egfr_dependent"  # secondary EGFR mutations (T790M, C797S)
    BYPASS_PATHWAY = "bypass_pathway"  # EGFR-independent: alternative bypass or downstream pathways
    HISTOLOGICAL_TRANSFORMATION = "histological_transformation"
    EGFR_INDEPENDENT = "egfr_independent"  # umbrella of bypass pathways and histological transformation
    GENERAL = "general"  # umbrella terms: resistance to a drug class, primary vs acquired resistance


class Section(StrEnum):
    """Section of a source text a quote comes from."""

    TITLE = "title"
    ABSTRACT = "abstract"
    INTRODUCTION = "introduction"
    CASE_PRESENTATION = "case_presentation"
    LITERATURE_REVIEW = "literature_review"
    DISCUSSION = "discussion"
    FIGURE_LEGEND = "figure_legend"
    DATABASE_STATEMENT = "database_statement"


class EventKind(StrEnum):
    """Kinds of dated event in a patient case."""

    PRESENTATION = "presentation"
    IMAGING = "imaging"
    SURGERY = "surgery"
    PATHOLOGY = "pathology"
    GENETIC_TEST = "genetic_test"
    DRUG_THERAPY = "drug_therapy"
    RADIOTHERAPY = "radiotherapy"
    RESPONSE_ASSESSMENT = "response_assessment"
    PROGRESSION = "progression"
    ADVERSE_EVENT = "adverse_event"
    SYMPTOM = "symptom"
    TREATMENT_CHANGE = "treatment_change"


class AlterationLogic(StrEnum):
    """How the alterations of one evidence item or profile combine."""

    ALL = "all"  # co-alteration profile: every one present
    ANY = "any"  # any one of them
    EXPRESSION = "expression"  # a CIViC expression with NOT or nesting: see the profile's text
