"""kg.reader.question on the bundled graph: how researchers' questions are read, facet by facet.

Questions are written in varied wording about what the graph holds; each test
states the reading a researcher would expect, in terms of the data's ids.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from kg.core.errors import InvalidQueryError
from kg.core.vocab import NodeType
from kg.reader import cues
from kg.reader.measures import find_measure_terms
from kg.reader.names import looks_like_a_name
from kg.reader.question import FACETS, read_question


def _read(kg, question: str) -> dict[str, list[str]]:
    return read_question(kg, question).facets()


# -- comparisons and combinations ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Is osimertinib better than gefitinib in EGFR-mutant NSCLC?",
        "osimertinib versus gefitinib for EGFR mutation positive lung cancer",
        "How does osimertinib compare with gefitinib? (compared with)",
        "gefitinib vs. osimertinib",
    ],
)
def test_a_comparison_asks_for_either_arm_never_a_combination(kg_full, question: str) -> None:
    reading = read_question(kg_full, question)
    assert sorted(reading.facets()["comparison"]) == ["drug:gefitinib", "drug:osimertinib"]
    assert set(reading.therapy) == {"drug:gefitinib", "drug:osimertinib"}
    assert reading.combination == ()
    assert "head-to-head" in reading.interpretation


def test_arms_of_combinations_stay_together_on_each_side(kg_full) -> None:
    reading = read_question(
        kg_full, "trastuzumab plus docetaxel compared to pertuzumab plus trastuzumab plus docetaxel"
    )
    left, right = reading.comparison
    assert set(left) == {"drug:trastuzumab", "drug:docetaxel"}
    assert set(right) == {"drug:pertuzumab", "drug:trastuzumab", "drug:docetaxel"}


def test_drugs_given_together_are_a_combination(kg_full) -> None:
    reading = read_question(kg_full, "dabrafenib plus trametinib in BRAF V600E melanoma")
    assert reading.combination == (("drug:dabrafenib", "drug:trametinib"),)
    assert reading.comparison == ()


# -- setting and prior therapy ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "prior", "therapy"),
    [
        ("patients who progressed on osimertinib with MET amplification", ["drug:osimertinib"], []),
        ("platinum-pretreated HER2-mutant lung adenocarcinoma", ["drugclass:platinum-chemotherapy"], []),
        (
            "following failure of trastuzumab: pyrotinib plus capecitabine",
            ["drug:trastuzumab"],
            ["drug:pyrotinib", "drug:capecitabine"],
        ),
        ("T-DM1 after prior EGFR inhibitors", ["drugclass:egfr-targeted-therapy"], ["drug:trastuzumab-emtansine"]),
        ("erlotinib-refractory disease treated with afatinib", ["drug:erlotinib"], ["drug:afatinib"]),
    ],
)
def test_setting_phrases_are_prior_therapies_never_co_drugs(
    kg_full, question: str, prior: list[str], therapy: list[str]
) -> None:
    facets = _read(kg_full, question)
    assert facets["prior_therapy"] == prior
    assert facets["therapy"] == therapy
    assert not set(prior) & set(facets["therapy"])


@pytest.mark.parametrize(
    ("question", "line"),
    [("second-line treatment options", "second-line"), ("1L therapy for EGFR-mutant NSCLC", "first-line"),
     ("treatment-naive patients with ALK fusion", "first-line"), ("adjuvant osimertinib", "adjuvant")],
)  # fmt: skip
def test_lines_of_therapy_are_read(kg_full, question: str, line: str) -> None:
    assert _read(kg_full, question)["line"] == [line]


def test_resistance_to_a_therapy_keeps_the_therapy_asked(kg_full) -> None:
    facets = _read(kg_full, "What drives resistance to third-generation EGFR-TKIs?")
    assert facets["therapy"] == ["drugclass:third-generation-egfr-tki"]
    assert facets["significance"] == ["resistance"] and facets["prior_therapy"] == []


# -- negation --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "absent", "present"),
    [
        ("ALK-negative NSCLC lacking EGFR T790M", ["gene:ALK", "alt:EGFR-T790M"], []),
        ("HER2 amplification without an EGFR mutation", ["alt:EGFR-mutation"], ["alt:ERBB2-amplification"]),
        ("lung cancer with no EGFR T790M but MET amplification", ["alt:EGFR-T790M"], ["alt:MET-amplification"]),
        ("EGFR (-) and ROS1 (-) adenocarcinoma", ["gene:EGFR", "gene:ROS1"], []),
        ("non-T790M resistance", ["alt:EGFR-T790M"], []),
    ],
)
def test_negation_reads_an_alteration_as_absent(kg_full, question: str, absent: list[str], present: list[str]) -> None:
    facets = _read(kg_full, question)
    assert facets["negated"] == absent
    assert facets["alteration"] == present


def test_a_wild_type_alteration_is_read_as_its_gene_absent(kg_full) -> None:
    facets = _read(kg_full, "cetuximab in KRAS wild-type colorectal cancer")
    assert facets["alteration"] == []  # not also required as present: CIViC states KRAS status as mutation items
    assert facets["negated"] == ["gene:KRAS", "alt:KRAS-mutation"]  # wild-type: the gene unaltered, no mutation


# -- outcome measures ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "measures"),
    [
        ("median overall survival and 3-year PFS rate with erlotinib", ["os_median", "pfs_rate"]),
        ("objective response and disease control with pyrotinib", ["orr", "dcr"]),
        ("hazard ratio for progression", ["hazard_ratio"]),
        ("what is the 5-year survival of stage IIIA NSCLC", ["os_rate"]),
        ("PFS with T-DM1", ["pfs_median", "pfs_rate"]),
        ("mOS and mPFS of pyrotinib", ["os_median", "pfs_median"]),
    ],
)
def test_outcome_measures_are_read_in_order(kg_full, question: str, measures: list[str]) -> None:
    reading = read_question(kg_full, question)
    assert reading.facets()["measure"] == measures
    assert "ordered by" in reading.interpretation


# -- case, study, and the other facets -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("How old was the patient at diagnosis?", ["presentation"]),
        ("Which adverse events did she have on the combination?", ["adverse_event"]),
        ("How long was this patient on albumin-bound paclitaxel?", ["dates"]),
        ("In the case report, what genetic testing was done and what did it find?", ["test"]),
        ("When did our patient get IMRT?", ["dates", "radiotherapy"]),
    ],
)
def test_case_questions_name_the_case_and_what_is_asked(kg_full, question: str, topics: list[str]) -> None:
    reading = read_question(kg_full, question)
    assert list(reading.case) == list(kg_full.corpus.table(NodeType.PATIENT_CASE))
    assert set(topics) <= set(reading.case_topics)
    assert reading.facets()["evidence_type"] != ["diagnostic"]


@pytest.mark.parametrize(
    ("question", "facet", "expected"),
    [
        ("results of the ChiCTR1800020262 trial", "study", ["study:chictr1800020262"]),
        ("what did Li et al., 2016 report about HER2?", "study", ["study:li-2016-mskcc-colorado"]),
        ("patients with bone metastases", "site", ["site:bone"]),
        ("leukopenia and diarrhoea on pyrotinib", "adverse_event", ["ae:leukopenia", "ae:diarrhea"]),
        ("bypass pathway activation after EGFR-TKIs", "mechanism", ["mech:bypass-pathway-activation"]),
        ("role of the PI3K-AKT pathway", "pathway", ["pathway:pi3k-akt"]),
        ("what HER2/CEP17 ratio counts as amplified?", "biomarker", ["biomarker:her2-amplification-asco-cap"]),
        ("what threshold defines ERBB2 amplification?", "biomarker", ["biomarker:her2-amplification-asco-cap"]),
    ],
)
def test_every_kind_of_record_is_a_facet(kg_full, question: str, facet: str, expected: list[str]) -> None:
    assert _read(kg_full, question)[facet] == expected


def test_a_resistance_question_about_an_alteration_reads_its_mechanism(kg_full) -> None:
    facets = _read(kg_full, "Is MET amplification a resistance mechanism?")
    assert facets["alteration"] == ["alt:MET-amplification"]
    assert facets["mechanism"] == ["mech:met-amplification"]


def test_one_disease_is_read_and_the_others_are_ignored_with_the_reason(kg_full) -> None:
    reading = read_question(kg_full, "HER2 mutations in lung adenocarcinoma and NSCLC")
    assert reading.disease == "disease:lung-adenocarcinoma"
    assert [(i.text, i.reason) for i in reading.ignored] == [
        ("NSCLC", "one disease per question: the most specific named one is used")
    ]


# -- honesty ---------------------------------------------------------------------------------------------------
QUESTIONS = [
    "Does zanidatamab or XQZ-771 help HER2-positive gastric cancer after trastuzumab?",
    "Efficacy of aumolertinib plus pyrotinib in EGFR L858R / HER2-amplified NSCLC (HS-10296)",
    "What is the ORR of T-DXd in HER2-mutant NSCLC vs docetaxel, per RECIST?",
    "Which PD-L1 and TMB findings differ between HER2-amplified and HER2-mutant tumours?",
    "CTCAE grade 3 diarrhoea with neratinib in ExteNET",
    "KRAS G12C sotorasib CodeBreaK 100 NCT03600883 mPFS",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_name_like_word_is_dropped_without_a_reason(kg_full, question: str) -> None:
    reading = read_question(kg_full, question)
    covered = [(m.start, m.end) for m, _ in reading.recognised] + [(i.start, i.end) for i in reading.ignored]
    covered += [(m.start, m.end) for m in find_measure_terms(question)]
    covered += [(c.start, c.end) for c in cues.clinical_terms(question)]
    for match in re.finditer(r"[0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)*", question):
        parts = re.split(r"[-/]", match.group())
        if any(looks_like_a_name(p) for p in parts):
            inside = any(a <= match.start() < b or a < match.end() <= b for a, b in covered)
            assert inside, f"{match.group()!r} was neither read nor listed in ignored"
    for item in reading.ignored:
        assert item.reason and f"ignored '{item.text}'" in reading.interpretation


def test_a_fuzzy_reading_is_uncertain_and_says_what_it_read(kg_full) -> None:
    reading = read_question(kg_full, "Is dacomitnib active in EGFR exon 19 deletion?")
    assert reading.therapy == ("drug:dacomitinib",)
    assert reading.uncertain and reading.interpretation.startswith("uncertain reading")
    assert "read 'dacomitnib' as dacomitinib" in reading.interpretation


def test_the_interpretation_names_every_facet_read(kg_full) -> None:
    reading = read_question(
        kg_full, "afatinib vs erlotinib after chemotherapy in EGFR-mutant NSCLC with brain metastases: OS"
    )
    for label in ("afatinib", "erlotinib", "chemotherapy", "EGFR mutation", "non-small cell lung carcinoma", "brain"):
        assert label in reading.interpretation
    assert set(reading.to_dict()["reading"]) >= set(FACETS)


def test_a_reading_is_frozen(kg_full) -> None:
    reading = read_question(kg_full, "pyrotinib")
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.therapy = ()  # type: ignore[misc]


@pytest.mark.parametrize("question", ["", "   ", "x" * 1001])
def test_empty_or_overlong_questions_are_refused_on_q(kg_full, question: str) -> None:
    with pytest.raises(InvalidQueryError) as raised:
        read_question(kg_full, question)
    assert raised.value.parameter == "q"


# -- names researchers write that no record lists ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "facet", "expected"),
    [
        ("gilteritinib for relapsed AML with FLT3 mutation", "disease", ["disease:doid-9119"]),
        ("imatinib in KIT-mutant GIST", "disease", ["disease:doid-9253"]),
        (
            "pyrotinib in HER2-positive locally advanced breast cancer",
            "disease",
            ["disease:her2-positive-breast-cancer"],
        ),
        ("PD-L1 expression with pembrolizumab", "alteration", ["alt:CD274-expression"]),
        ("ponatinib after T315I", "alteration", ["alt:ABL1-T315I"]),
        ("HGNC:3236 L858R and osimertinib", "alteration", ["alt:EGFR-L858R"]),
        ("what did the MSKCC series find?", "study", ["study:li-2016-mskcc-colorado"]),
        ("Suzuki 1170 patients HER2", "study", ["study:suzuki-her2-amplification-nsclc"]),
        ("olaparib BRCA2 prostate", "disease", ["disease:doid-10283"]),
        ("pertuzumab for CNS metastases", "site", ["site:brain"]),
    ],
)
def test_abbreviations_qualifiers_aliases_and_bare_variants_are_read(kg_full, question, facet, expected) -> None:
    assert _read(kg_full, question)[facet] == expected


def test_an_organ_word_alone_is_read_as_its_cancer_and_says_so(kg_full) -> None:
    reading = read_question(kg_full, "olaparib BRCA2 prostate")
    assert "read 'prostate' as Prostate Cancer" in reading.interpretation


def test_evidence_and_assertion_numbers_are_read(kg_full) -> None:
    item = next(e for e in kg_full.corpus.evidence.values() if any(x.id.startswith("civic.eid:") for x in e.xrefs))
    number = next(x.id for x in item.xrefs if x.id.startswith("civic.eid:")).split(":")[1]
    assert _read(kg_full, f"what does CIViC EID {number} report?")["evidence"] == [item.id]


def test_an_arm_label_stands_for_its_drugs_and_its_study(kg_full) -> None:
    arm = next(a for s in kg_full.corpus.studies.values() for a in s.arms if "(" in a.label)
    short = arm.label.split(" (")[0]
    facets = _read(kg_full, f"{short} versus placebo")
    assert set(arm.drugs) <= set(facets["comparison"])
    assert any(arm.id.split(":")[1].startswith(s.split(":")[1]) for s in facets["study"])


def test_a_comparison_with_an_arm_outside_the_graph_asks_for_the_known_arm(kg_full) -> None:
    assert not kg_full.resolver.resolve("qwzxtinib")
    reading = read_question(kg_full, "erlotinib versus qwzxtinib in EGFR-mutant NSCLC")
    assert reading.comparison == (("drug:erlotinib",),) and reading.uncertain
    assert [i.text for i in reading.ignored] == ["qwzxtinib"]


def test_a_gene_mutation_with_one_mutation_record_reads_that_record(kg_full) -> None:
    genes = {}
    for alteration in kg_full.corpus.alterations.values():
        genes.setdefault(alteration.gene, []).append(alteration)
    gene, records = next(
        (g, r)
        for g, r in sorted(genes.items())
        if sum(a.kind.value == "mutation" for a in r) == 1
        and all(a.variant and a.variant.lower() not in ("mutation", "mutations") for a in r)
        and g.startswith("gene:N")
    )
    symbol = gene.split(":")[1]
    reading = read_question(kg_full, f"prognosis of {symbol} mutation in leukemia")
    only = next(a.id for a in records if a.kind.value == "mutation")
    assert reading.alteration == (only,) and reading.uncertain


def test_a_question_about_surgery_or_pathology_alone_is_read_as_about_the_case(kg_full) -> None:
    case = next(iter(kg_full.corpus.table(NodeType.PATIENT_CASE)))
    reading = read_question(kg_full, "What was found at the lobectomy, and at what stage?")
    assert reading.case == (case,) and reading.uncertain and "patient case" in reading.interpretation
    assert read_question(kg_full, "surgery for stage IIIA NSCLC").case == ()


def test_prevalence_words_ask_for_proportions(kg_full) -> None:
    assert "proportion" in _read(kg_full, "How common is MET amplification after osimertinib?")["measure"]


def test_a_resistant_setting_with_other_drugs_is_a_prior_therapy(kg_full) -> None:
    facets = _read(kg_full, "erlotinib-resistant NSCLC: osimertinib or afatinib?")
    assert facets["prior_therapy"] == ["drug:erlotinib"]
    assert set(facets["therapy"]) == {"drug:osimertinib", "drug:afatinib"}
    alone = _read(kg_full, "is EGFR T790M erlotinib-resistant?")
    assert alone["therapy"] == ["drug:erlotinib"] and alone["significance"] == ["resistance"]
