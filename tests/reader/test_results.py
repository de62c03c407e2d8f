"""The results grammar, kind by kind: each sentence and exactly the figures a curator reads in it.

Sentences are written from the kinds of issue 15 (paraphrased) and from
CIViC statements outside the labelled sample (verbatim, CC0). Each case
lists every figure the sentence states with the fields that matter; a
figure not listed is a false alarm and fails the case.
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.results import extract_figures

CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    # -- one value, its CI and p ---------------------------------------------------------------------
    ("orr-ci", "The ORR was 22.2% (95% CI 10.6-40.8).",
     [{"measure": "orr", "value": "22.2", "unit": "percent", "ci_level": "95", "ci_lower": "10.6", "ci_upper": "40.8"}]),
    ("hr-ci-colon", "The hazard ratio was 0.55 (confidence interval: 0.31-0.72; P<0.001).",
     [{"measure": "hazard_ratio", "value": "0.55", "ci_lower": "0.31", "ci_upper": "0.72", "p_value": "0.001",
       "p_comparator": "<"}]),
    ("hr-middle-dot", "Overall survival favoured the combination (HR 0·62, 95% CI [0.41; 0.88]).",
     [{"measure": "hazard_ratio", "value": "0·62", "ci_lower": "0.41", "ci_upper": "0.88", "ci_level": "95"}]),
    ("hr-comma-ci", "The HR for death was 2.1 (95% CI 1.8, 14.2).",
     [{"measure": "hazard_ratio", "value": "2.1", "ci_lower": "1.8", "ci_upper": "14.2"}]),
    ("pfs-90-ci", "A PFS of 7.3 weeks (90% CI; 3.9 - 7.9) and OS of 11.1 weeks (90% CI; 5.1 - 14) were noted.",
     [{"measure": "pfs_median", "value": "7.3", "unit": "weeks", "ci_level": "90", "ci_lower": "3.9"},
      {"measure": "os_median", "value": "11.1", "unit": "weeks", "ci_level": "90", "ci_upper": "14"}]),
    ("or-99-ci", "Carriers had a higher risk (OR: 1.98, 99% CI: 1.16-3.37).",
     [{"measure": "odds_ratio", "value": "1.98", "ci_level": "99"}]),
    ("rr", "The relative risk of relapse was 1.4 (95% CI 1.1-1.9).",
     [{"measure": "risk_ratio", "value": "1.4"}]),
    ("hr-bare-brackets", "Olaparib was better than either drug (PFS HR 0.49 [0.38, 0.63]).",
     [{"measure": "hazard_ratio", "value": "0.49", "ci_lower": "0.38", "ci_upper": "0.63", "ci_level": None}]),
    ("median-no-median-word", "The patient had a PFS of 7.4 weeks.",
     [{"measure": "pfs_median", "value": "7.4", "unit": "weeks"}]),
    ("median-days", "Patients with exon 11 mutations had longer event free survival (median: 687 days).",
     [{"measure": "efs_median", "value": "687", "unit": "days"}]),
    ("median-range", "Median progression-free survival was 6.6 months (range=6.2-10.5).",
     [{"measure": "pfs_median", "value": "6.6", "range_low": "6.2", "range_high": "10.5", "ci_lower": None}]),
    # -- rates at a timepoint ----------------------------------------------------------------------------
    ("os-rate", "The trial reported a 3-year OS rate of 64%.",
     [{"measure": "os_rate", "value": "64", "timepoint": "3 years"}]),
    ("dfs-rate", "The 2-year DFS of 71.3% was unchanged.", [{"measure": "dfs_rate", "value": "71.3", "timepoint": "2 years"}]),
    ("os-rate-below", "The 5-year overall survival (OS) rate of NSCLC patients is still below 20% (2).",
     [{"measure": "os_rate", "value": "20", "value_comparator": "<", "timepoint": "5 years"}]),
    ("rate-at-timepoint-arms",
     "Freedom from progression or death at 3 years was 69% in the olaparib arm compared with 35% in the placebo arm.",
     []),  # no measure word: PFS is not named
    ("pfs-rate-at", "PFS at 3 years was 69% in the olaparib arm compared with 35% in the placebo arm.",
     [{"measure": "pfs_rate", "value": "69", "timepoint": "3 years", "arm": "olaparib arm"},
      {"measure": "pfs_rate", "value": "35", "timepoint": "3 years", "arm": "placebo arm"}]),
    ("efs-rate-bare-ci", "For these patients the 5-year event-free survival was 68.6% (54.5-86.3).",
     [{"measure": "efs_rate", "value": "68.6", "ci_lower": "54.5", "ci_upper": "86.3"}]),
    # -- comparisons and arms -----------------------------------------------------------------------------
    ("versus-medians-hr", "Median PFS was 14.2 versus 8.1 months; HR = 0.51, 95% CI 0.38-0.69.",
     [{"measure": "pfs_median", "value": "14.2", "unit": "months"},
      {"measure": "pfs_median", "value": "8.1", "unit": "months"},
      {"measure": "hazard_ratio", "value": "0.51", "ci_lower": "0.38", "ci_upper": "0.69"}]),
    ("versus-rates-p", "The response rate was higher with the combination (61.0% versus 38.5%; p = 0.004).",
     [{"measure": "orr", "value": "61.0"}, {"measure": "orr", "value": "38.5", "p_value": "0.004"}]),
    ("in-the-arm", "Median progression-free survival was 2.8 months (95% CI 2.8-3.6) in the binimetinib group and "
     "1.5 months (1.5-1.7) in the dacarbazine group.",
     [{"measure": "pfs_median", "value": "2.8", "arm": "binimetinib group", "ci_lower": "2.8"},
      {"measure": "pfs_median", "value": "1.5", "arm": "dacarbazine group", "ci_lower": "1.5", "ci_upper": "1.7"}]),
    ("respectively-arms", "The mPFS in the pyrotinib plus capecitabine group and the placebo plus capecitabine group "
     "is 11.1 months and 4.1 months (HR=0.18, 95%CI 0.13-0.26; P<0.001), respectively (18).",
     [{"measure": "pfs_median", "value": "11.1", "arm": "pyrotinib plus capecitabine group"},
      {"measure": "pfs_median", "value": "4.1", "arm": "placebo plus capecitabine group"},
      {"measure": "hazard_ratio", "value": "0.18", "p_value": "0.001", "p_comparator": "<"}]),
    ("orr-and-dcr", "ORR was 31.5% and DCR 77.0%.",
     [{"measure": "orr", "value": "31.5"}, {"measure": "dcr", "value": "77.0"}]),
    ("measure-list", "In patients with EGFR mutation, ORR and DCR were 40% and 80%, respectively.",
     [{"measure": "orr", "value": "40"}, {"measure": "dcr", "value": "80"}]),
    ("unit-once", "Median PFS was 8.1 weeks for lapatinib and 12.0 for combination therapy (P=0.008).",
     [{"measure": "pfs_median", "value": "8.1", "unit": "weeks", "arm": "lapatinib"},
      {"measure": "pfs_median", "value": "12.0", "unit": "weeks", "arm": "combination therapy"}]),
    ("subgroups", "The ORR was 18% (4 PR in 22 patients) in KRAS wild-type versus 24% (six PR in 25 patients) in "
     "KRAS-mutant NSCLC.",
     [{"measure": "orr", "value": "18", "numerator": "4", "denominator": "22", "arm": "KRAS wild-type"},
      {"measure": "orr", "value": "24", "numerator": "six", "denominator": "25", "arm": "KRAS-mutant NSCLC"}]),
    ("colon-table", "Median PFS and OS (months) for the three groups: 5.0 and 15.0 uncommon, 8.5 and 19.6 common.",
     [{"measure": "pfs_median", "value": "5.0", "arm": "uncommon"}, {"measure": "os_median", "value": "15.0"},
      {"measure": "pfs_median", "value": "8.5", "arm": "common"}, {"measure": "os_median", "value": "19.6"}]),
    ("label-equals", "It correlated with time to progression (high = 275 days vs. low = 92.5 days; p = 0.07).",
     [{"measure": "ttp_median", "value": "275"}, {"measure": "ttp_median", "value": "92.5", "p_value": "0.07"}]),
    # -- responders, counts -----------------------------------------------------------------------------------
    ("k-of-n-responded", "9 of 26 patients responded.",
     [{"measure": "orr", "numerator": "9", "denominator": "26", "unit": "patients", "value": None}]),
    ("k-pct-of-n", "31 (62%) of 50 patients achieved a major response.",
     [{"measure": "proportion", "value": "62", "numerator": "31", "denominator": "50", "label": "major response"}]),
    ("slash-count", "Of these, 12/13 had a partial response, and 1 had stable disease.",
     [{"measure": "pr_rate", "numerator": "12", "denominator": "13"}, {"measure": "count", "numerator": "1"}]),
    ("responses-observed", "Objective responses were observed in 9 patients (35%; 95% CI, 17% to 56%).",
     [{"measure": "orr", "value": "35", "numerator": "9", "ci_level": "95", "ci_lower": "17", "ci_upper": "56"}]),
    ("number-words", "Of eleven patients accrued, nine had favorable responses to imatinib.",
     [{"measure": "orr", "numerator": "nine", "denominator": "eleven"}]),
    ("pct-then-pr", "Of the 42 patients treated with trametinib/pemetrexed, 14% (6/42) had a PR.",
     [{"measure": "pr_rate", "value": "14", "numerator": "6", "denominator": "42"}]),
    ("respective-counts", "Of 60 patients with G250E mutations, 20, 29, and 56 achieved a CCyR, MCyR, and CHR with "
     "dasatinib, respectively.",
     [{"measure": "cr_rate", "numerator": "20", "denominator": "60"},
      {"measure": "count", "numerator": "29", "denominator": "60"},
      {"measure": "cr_rate", "numerator": "56", "denominator": "60"}]),
    ("opener-count", "In a retrospective study of 439 patients with multiple myeloma, 28 had mutations in KRAS.",
     [{"measure": "count", "numerator": "28", "denominator": "439", "unit": "patients"}]),
    ("of-the-opener", "Of the 49 lung cancer patients included in this study, six had both HER2 amplification and "
     "EGFR mutations.", [{"measure": "count", "numerator": "six", "denominator": "49"}]),
    # -- shares -------------------------------------------------------------------------------------------------
    ("prevalence-of", "HER2 amplification was observed in 14.3% of lung adenocarcinoma patients.",
     [{"measure": "proportion", "value": "14.3"}]),
    ("prevalence-k-of-n", "HER2 amplification was detected in 5 out of 175 lung adenocarcinoma patients (3%).",
     [{"measure": "proportion", "value": "3", "numerator": "5", "denominator": "175"}]),
    ("prevalence-range", "Exon 19 deletion and L858R mutation account for 80-90% of cases.",
     [{"measure": "proportion", "range_low": "80", "range_high": "90", "value": None}]),
    ("share-subject", "However, only 10-20% exhibit EGFR-dependent resistance.",
     [{"measure": "proportion", "range_low": "10", "range_high": "20"}]),
    ("share-list", "Resection showed adenocarcinoma (solid type 90%, micropapillary 5%).",
     [{"measure": "proportion", "value": "90", "label": "solid type"},
      {"measure": "proportion", "value": "5", "label": "micropapillary"}]),
    ("adverse-event", "Grade ≥3 diarrhea occurred in 12% of patients receiving the adverse-event prone regimen.",
     [{"measure": "adverse_event_rate", "value": "12", "grade": "≥3"}]),
    ("shrinkage", "Entrectinib led to a partial response with 30% tumor shrinkage.",
     [{"measure": "proportion", "value": "30"}]),
    # -- adverse events named without the word "adverse" -------------------------------------------------------
    ("ae-graded-event", "Grade 3 or higher diarrhoea was reported in 17% of patients on neratinib.",
     [{"measure": "adverse_event_rate", "value": "17", "grade": "3 or higher"}]),
    ("ae-ungraded-list", "Common toxicities included rash (40%), stomatitis (28%), fatigue (19%).",
     [{"measure": "adverse_event_rate", "value": "40"}, {"measure": "adverse_event_rate", "value": "28"},
      {"measure": "adverse_event_rate", "value": "19"}]),
    ("ae-k-of-n", "Dose-limiting toxicities occurred in 2 of 12 patients at the highest dose.",
     [{"measure": "adverse_event_rate", "numerator": "2", "denominator": "12", "unit": "patients"}]),
    ("shrinkage-beside-side-effects-is-no-ae", "Larotrectinib led to a 40% reduction in tumor burden with mild "
     "side effects.",
     [{"measure": "proportion", "value": "40"}]),
    ("ae-k-of-n-graded", "Grade 3 or 4 adverse effects were reported in six out of the thirty patients.",
     [{"measure": "adverse_event_rate", "numerator": "six", "denominator": "thirty", "grade": "3 or 4"}]),
    ("tumour-grade-is-no-ae", "In grade 3 follicular lymphoma, EZH2 mutations were detected in 22% of tumors.",
     [{"measure": "proportion", "value": "22"}]),
    # -- "OR" defined as a response, not an odds ratio --------------------------------------------------------
    ("or-defined-as-response", "Objective response (OR) was seen in 6 of 24 patients (25%). The OR was 40% in "
     "carriers.",
     [{"measure": "orr", "value": "25", "numerator": "6", "denominator": "24"}, {"measure": "orr", "value": "40"}]),
    ("or-as-odds-ratio", "Carriers had more responses (OR 2.9, 95% CI 1.2-7.0).",
     [{"measure": "odds_ratio", "value": "2.9", "ci_lower": "1.2", "ci_upper": "7.0"}]),
    # -- durations --------------------------------------------------------------------------------------------
    ("time-to-event-respectively", "A female patient developed bone and brain metastases 14 and 42 months after "
     "radical surgery, respectively.",
     [{"measure": "time_to_event", "value": "14", "unit": "months"},
      {"measure": "time_to_event", "value": "42", "unit": "months"}]),
    ("response-duration", "Everolimus led to a partial response for 9 months.",
     [{"measure": "dor_median", "value": "9", "unit": "months"}]),
    ("within", "Within two months, she experienced near complete resolution of the mass.",
     [{"measure": "time_to_event", "value": "two", "value_comparator": "<="}]),
    # -- 1.5.0: kinds of wording of issue 15's closing note ---------------------------------------------------
    ("tens-units-apart", "Twenty eight out of 94 patients (~30%) were found to harbor IKZF1 deletions.",
     [{"measure": "proportion", "value": "30", "numerator": "Twenty eight", "denominator": "94"}]),
    ("share-of-group", "15 patients (37% of 41) had stable disease and 19 (46% of 41) achieved clinical benefit.",
     [{"measure": "proportion", "value": "37", "numerator": "15", "denominator": "41"},
      {"measure": "cbr", "value": "46", "numerator": "19", "denominator": "41"}]),
    ("group-not-a-count", "Of 964 patients, 803 patients had wildtype PIK3CA (aspirin use: 337/803) and 161 had "
     "mutated PIK3CA.",
     [{"measure": "count", "numerator": "803", "denominator": "964"},
      {"measure": "count", "numerator": "161", "denominator": "964"}]),
    ("mixed-measure-list", "The ORR, DCR and mPFS were 30%, 70% and 5.1 months, respectively.",
     [{"measure": "orr", "value": "30"}, {"measure": "dcr", "value": "70"},
      {"measure": "pfs_median", "value": "5.1", "unit": "months"}]),
    ("ci-header", "Median PFS (95% CI) was 4.9 (2.9-8.1) months in mutant and 10.5 (7.3-12.9) months in wild-type "
     "patients.",
     [{"measure": "pfs_median", "value": "4.9", "ci_level": "95", "ci_lower": "2.9", "ci_upper": "8.1"},
      {"measure": "pfs_median", "value": "10.5", "ci_level": "95", "ci_lower": "7.3", "ci_upper": "12.9"}]),
    ("ci-header-bracketed", "Mutant patients had shorter PFS (median [95% CI] 4.9 [2.9 - 8.1] vs 10.5 [7.3 - 12.9] mo).",
     [{"measure": "pfs_median", "value": "4.9", "ci_lower": "2.9", "ci_upper": "8.1", "unit": "months"},
      {"measure": "pfs_median", "value": "10.5", "ci_lower": "7.3", "ci_upper": "12.9", "unit": "months"}]),
    ("qualifier-with-bracketed-name", "Nine of 12 patients with non-small cell lung cancer (NSCLC) had a partial "
     "response.",
     [{"measure": "pr_rate", "numerator": "Nine", "denominator": "12"}]),
    ("count-written-twice", "The fusion was detected in nine patients with cholangiocarcinoma (9/102).",
     [{"measure": "count", "numerator": "9", "denominator": "102"}]),
    ("event-then-later", "A partial response was achieved 5 months later, with regrowth occurring 2 months later.",
     [{"measure": "time_to_event", "value": "5", "unit": "months"},
      {"measure": "time_to_event", "value": "2", "unit": "months"}]),
    ("dated-death", "At 10 months, the patient died.",
     [{"measure": "os_median", "value": "10", "unit": "months"}]),
    ("passed-away", "The patient passed away (14 months after diagnosis) before being enrolled.",
     [{"measure": "os_median", "value": "14", "unit": "months"}]),
    ("survival-time", "They had a shorter survival time (31.1 mo, 41.6 mo; p=0.001).",
     [{"measure": "os_median", "value": "31.1", "unit": "months"},
      {"measure": "os_median", "value": "41.6", "p_value": "0.001"}]),
    ("label-before-each-value", "The median PFS was different between genotypes (TT 130 months; TC 100 months; CC "
     "31 months; P = 0.0066).",
     [{"measure": "pfs_median", "value": "130", "arm": "TT"}, {"measure": "pfs_median", "value": "100", "arm": "TC"},
      {"measure": "pfs_median", "value": "31", "arm": "CC", "p_value": "0.0066"}]),
    ("count-share-after-aside", "In all, 23 of 90 patients who did not use aspirin after diagnosis (26%) died "
     "within 5 years.",
     [{"measure": "proportion", "value": "26", "numerator": "23", "denominator": "90"}]),
    ("than-group", "High levels were associated with worse 5-year disease free survival (71.1%) than low levels "
     "(88.5 %; P = 0.020).",
     [{"measure": "dfs_rate", "value": "71.1", "timepoint": "5 years"},
      {"measure": "dfs_rate", "value": "88.5", "arm": "low levels", "p_value": "0.020"}]),
    ("free-for", "The patient continued entrectinib and has been recurrence free for 7 months.",
     [{"measure": "time_to_event", "value": "7", "unit": "months"}]),
    ("for-the-subsequent", "The disease remained stable for the subsequent 15 months.",
     [{"measure": "time_to_event", "value": "15", "unit": "months"}]),
    ("comparative-arm-then-than", "Objective response rate was significantly better with osimertinib (71%; 95% CI, "
     "65 to 76) than with chemotherapy (31%; 95% CI, 24 to 40).",
     [{"measure": "orr", "value": "71", "arm": "osimertinib", "ci_lower": "65"},
      {"measure": "orr", "value": "31", "arm": "chemotherapy", "ci_upper": "40"}]),
    ("than-in-group", "Median OS was longer in mutant patients (20 months) than in wild-type patients (12 months).",
     [{"measure": "os_median", "value": "20", "arm": "mutant patients"},
      {"measure": "os_median", "value": "12", "arm": "wild-type patients"}]),
    ("at-time-event", "At 40 weeks CT imaging revealed unequivocal disease progression.",
     [{"measure": "time_to_event", "value": "40", "unit": "weeks"}]),
    ("within-time-of-therapy", "Within 5 weeks of crizotinib therapy, a partial response was observed.",
     [{"measure": "time_to_event", "value": "5", "value_comparator": "<="}]),
    ("decimal-after-at-is-a-value", "Progression free survival was significantly different at 5.6 months for "
     "lapatinib + pacitaxel vs. 4.2 months for pacitaxel alone.",
     [{"measure": "pfs_median", "value": "5.6", "arm": "lapatinib + pacitaxel"},
      {"measure": "pfs_median", "value": "4.2", "arm": "pacitaxel alone"}]),
    ("numbered-day", "By day 106 of Larotrectinib treatment, disease progression was evident.",
     [{"measure": "time_to_event", "value": "106", "unit": "days"}]),
    ("numbered-month-death", "The patient died in accelerated phase at month 14.",
     [{"measure": "os_median", "value": "14", "unit": "months"}]),
    # -- noise -------------------------------------------------------------------------------------------------
    ("garbled-abbreviation", "Chemotherapy is preferred, with a mPES for 5-6 months (32).",
     [{"measure": "pfs_median", "range_low": "5", "range_high": "6", "label": "mPES read as mPFS"}]),
]  # fmt: skip


def _measures(text: str) -> list[OutcomeMeasure]:
    """The measures of the figures read from ``text``, in order."""
    return [f.measure for f in extract_figures(text).figures]


def _check(text: str, expected: list[dict[str, Any]]) -> None:
    figures = extract_figures(text).figures
    for figure in figures:
        assert text[figure.start : figure.end] == figure.text, "a figure's span is its text"
    shown = [(figure.measure.value, figure.shown_value(), figure.text) for figure in figures]
    assert len(figures) == len(expected), f"expected {len(expected)} figures, read {shown}"
    for figure, want in zip(figures, expected, strict=True):
        got = figure.to_dict()
        for key, value in want.items():
            assert got.get(key) == value, f"{key} of {figure.text!r}: expected {value!r}, read {got.get(key)!r}"


@pytest.mark.parametrize(
    ("text", "expected"), [(text, expected) for _, text, expected in CASES], ids=[c[0] for c in CASES]
)
def test_figures_of_each_kind(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


NOT_FIGURES = [
    "Samples were drawn on day 15 of cycle 1.",
    "At 21 months of followup a complete remission was observed.",
    "At 12 months, responses were ongoing in most patients.",
    "She died, and 3 months later her brother was diagnosed.",
    "The 10 1/2 year old patient was diagnosed with adrenal incidentaloma.",
    "The trial enrolled 387 men with castration-resistant prostate cancer (mCRPC) who had disease progression.",
    "A 50-year-old woman was admitted on 28 May 2019.",
    "She received 30 Gy in 10 fractions to the bone metastases.",
    "Patients were treated with 400mg or 800mg of imatinib per day.",
    "The median follow-up was 31 months (IQR 24-40).",
    "The G250E clone was recovered in 2 μM imatinib (3 clones recovered, ~2%).",
    "BT-474 had an IC50 of 0.23 uM.",
    "In 2016, data from 175 patients were published (26).",
    "Twenty-nine patients were treated with palbociclib.",
    "EGFR exons 18-21 were sequenced in 31 patients.",
    "Resection was performed on patients with >50% size reduction of the lesion.",
    "The EML4-ALK variant 3 with F1245C was found with allele frequency of 2% and tumor purity 13%.",
    "HER2 amplification is defined as a HER2/CEP17 ratio > 2.0 (22).",
    "The tumour was staged as pT1cN2MO, Stage IIIA, 6th edition, CTCAE 5.0, RECIST version 1.1.",
    "The patient received 4 cycles of pemetrexed and cisplatin every 3 weeks.",
    "M229 cells were more resistant (50% vs 20% survival at the highest concentration, p <.0001).",
    "A 4-year-old female presented with relapsed B-cell precursor ALL.",
    "This was a phase II multinational study of 100 patients.",
    "No differences in relapse-free or overall survival were identified between young (16-60) patients.",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_numbers_that_are_not_figures(text: str) -> None:
    figures = extract_figures(text).figures
    assert not figures, [(f.measure.value, f.shown_value(), f.text) for f in figures]


def test_two_values_for_three_measures_are_dropped_and_reported() -> None:
    extraction = extract_figures("ORR, DCR and CBR were 40% and 80%.")
    assert extraction.figures == ()
    assert len(extraction.dropped) == 1
    assert "3 measures and 2 values" in extraction.dropped[0].reason


def test_a_value_outside_its_ci_is_dropped_not_shown() -> None:
    extraction = extract_figures("The HR was 2.1 (95% CI 4.1-9.9).")
    assert extraction.figures == ()
    assert "outside its CI" in extraction.dropped[0].reason


def test_a_count_that_disagrees_with_its_percentage_is_not_kept() -> None:
    assert extract_figures("The frequency was 36.4% (16/42).").figures == ()


def test_offsets_are_offsets_into_the_whole_text() -> None:
    text = "Background. Nothing here. The ORR was 30% (95% CI 20-40). The mPFS was 5 months."
    figures = extract_figures(text).figures
    assert [text[f.start : f.end] for f in figures] == [f.text for f in figures]
    assert [f.measure.value for f in figures] == ["orr", "pfs_median"]


@pytest.mark.parametrize(
    ("text", "numerator", "denominator"),
    [
        ("The inhibitor induced rapid tumor regression in 2 of 4 patients with BRD4-NUTM1 fusions.", "2", "4"),
        ("Relapse was predicted in 62/93 patients by a rise in transcript levels.", "62", "93"),
        ("Persistent disease was seen more often with co-mutations (9 of 12 vs. 3 of 40, P=0.002).", "9", "12"),
        ("Xenografts regressed in 5/5 mice given the drug.", "5", "5"),
    ],
)
def test_a_written_fraction_is_a_count_without_a_finding_verb(text: str, numerator: str, denominator: str) -> None:
    counts = [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT]
    assert counts, text
    assert (counts[0].numerator, counts[0].denominator) == (numerator, denominator)


@pytest.mark.parametrize(
    "text",
    [
        "The variant was present in 9/10 bacterial clones from the relapse sample.",
        "Responses were durable and ongoing at the last visit (03/21) with no new toxicity.",
        "Cells were sensitive to a JAK 1/2 inhibitor.",
        "Of 80 patients, 40/80 were randomized to the combination and 40/80 to placebo.",
        "Marker levels were measured in plasma samples of 30/41 patients and 12/20 healthy controls.",
    ],
)
def test_a_fraction_that_is_not_a_finding_is_not_a_count(text: str) -> None:
    assert [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT] == [], text


@pytest.mark.parametrize(
    ("text", "arms"),
    [
        (
            "Median PFS was 7.0 mo vs 4.2 mo for the combination and monotherapy, respectively.",
            ["combination", "monotherapy"],
        ),
        (
            "The objective response rates were 38% and 11% for the combination and control arms, respectively.",
            ["combination arm", "control arm"],
        ),
        (
            "Median OS was 20.1, 14.3 and 9.8 months in the high, intermediate, and low expression groups, respectively.",
            ["high expression group", "intermediate expression group", "low expression group"],
        ),
        (
            "Hazard ratios were 0.41 and 0.33 in the high- and low-dose cohorts, respectively.",
            ["high-dose cohort", "low-dose cohort"],
        ),
        (
            "Complete response rates were 83% and 80% for 165 and 280 mg/m2 dose groups, respectively.",
            ["165 mg/m2 dose group", "280 mg/m2 dose group"],
        ),
    ],
)
def test_respectively_gives_each_value_its_own_arm(text: str, arms: list[str]) -> None:
    assert [figure.arm for figure in extract_figures(text).figures] == arms


def test_a_respectively_list_that_cannot_be_split_gives_no_value_another_values_arm() -> None:
    figures = extract_figures("Median OS was 20.1 and 9.8 months in the overall population, respectively.").figures
    assert [figure.value for figure in figures] == ["20.1", "9.8"]
    assert [figure.arm for figure in figures] == [None, None]


def test_a_count_with_its_percentage_in_brackets_is_a_proportion() -> None:
    text = "The fusion was more common in infantile tumors (12/20, 60%) than in adult tumors (2/30; 7%)."
    figures = extract_figures(text).figures
    assert [(f.measure, f.value, f.numerator, f.denominator) for f in figures] == [
        (OutcomeMeasure.PROPORTION, "60", "12", "20"),
        (OutcomeMeasure.PROPORTION, "7", "2", "30"),
    ]
    assert [text[f.start : f.end] for f in figures] == ["12/20, 60%", "2/30; 7%"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The disease control rate (31/44; 70.5%) favoured the combination.", ("dcr", "70.5", "31", "44")),
        ("Responses were more frequent with the doublet (response rate 9/30, 30%).", ("orr", "30", "9", "30")),
        ("Loss of PTEN was found in 57%, or 16 of the 28 tumours tested.", ("proportion", "57", "16", "28")),
    ],
)  # fmt: skip
def test_a_count_and_its_share_written_after_it_are_one_figure(text: str, expected: tuple[str, str, str, str]) -> None:
    assert [(f.measure.value, f.value, f.numerator, f.denominator) for f in extract_figures(text).figures] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The disease control rate (31/44; 52%) favoured the combination.",  # 31 of 44 is not 52%
        "Loss of PTEN was found in 40%, or 16 of the 28 tumours tested.",
    ],
)
def test_a_share_that_is_not_the_counts_is_not_attached_to_it(text: str) -> None:
    assert not any(f.value is not None and f.numerator is not None for f in extract_figures(text).figures), text


def test_a_bracketed_count_and_percentage_of_responses_is_not_called_a_proportion() -> None:
    figures = extract_figures("Partial responses were seen in GIST (5/10; 50%).").figures
    assert OutcomeMeasure.PROPORTION not in [f.measure for f in figures]
    assert [(f.measure, f.value, f.numerator, f.denominator) for f in figures] == [
        (OutcomeMeasure.PR_RATE, "50", "5", "10")
    ]


def test_a_bracket_after_a_word_that_is_not_a_link_opens_no_count_without_an_observation() -> None:
    figures = extract_figures("Partial responses were linked to GIST (5/10; 50%).").figures
    assert OutcomeMeasure.PR_RATE not in [f.measure for f in figures]


@pytest.mark.parametrize(
    "text",
    [
        "Median event-free survival was not reached after a median follow-up of 24 months.",
        "Median OS was not reached at a median follow-up of 18.5 months.",
        "Median PFS has not yet reached; follow-up continues.",
        "Median PFS was not reached in the combination arm versus 8.3 months in the control arm.",
    ],
)
def test_a_median_not_reached_takes_no_other_number_as_its_value(text: str) -> None:
    assert [f for f in extract_figures(text).figures if f.measure.value.endswith("_median")] == [], text


def test_a_follow_up_time_between_a_median_and_its_value_is_skipped() -> None:
    figures = extract_figures("Median PFS, after a median follow-up of 30 months, was 14.2 months.").figures
    assert [(f.measure, f.value) for f in figures] == [(OutcomeMeasure.PFS_MEDIAN, "14.2")]


def test_a_count_of_adverse_events_carries_the_arm_named_after_it() -> None:
    text = (
        "Grade 3/4 adverse events were reported in 159 of 221 patients in the ramucirumab plus erlotinib group "
        "versus 121 of 225 in the placebo plus erlotinib group."
    )
    figures = extract_figures(text).figures
    assert [(f.measure, f.numerator, f.denominator, f.arm) for f in figures] == [
        (OutcomeMeasure.ADVERSE_EVENT_RATE, "159", "221", "ramucirumab plus erlotinib group"),
        (OutcomeMeasure.ADVERSE_EVENT_RATE, "121", "225", "placebo plus erlotinib group"),
    ]


def test_each_adverse_event_in_a_bracketed_list_keeps_its_name() -> None:
    text = "The most common grade 3 or 4 adverse events were rash (12%), grade 3 diarrhea (9%) and fatigue (5%)."
    figures = extract_figures(text).figures
    assert [(f.measure, f.value, f.label) for f in figures] == [
        (OutcomeMeasure.ADVERSE_EVENT_RATE, "12", "rash"),
        (OutcomeMeasure.ADVERSE_EVENT_RATE, "9", "grade 3 diarrhea"),
        (OutcomeMeasure.ADVERSE_EVENT_RATE, "5", "fatigue"),
    ]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The combination significantly prolonged PFS (median 4.5 vs 3.0 months; HR 0.79).", ["4.5", "3.0"]),
        ("Overall survival was longer with the drug (median 12.1 vs 9.4 months, p=0.01).", ["12.1", "9.4"]),
    ],
)
def test_median_then_its_values_in_brackets_after_the_endpoint(text: str, values: list[str]) -> None:
    medians = [f for f in extract_figures(text).figures if f.measure.value.endswith("_median")]
    assert [f.value for f in medians] == values


def test_two_measures_with_two_values_compared_between_arms_are_not_paired_one_each() -> None:
    text = "Mutant patients had shorter PFS and OS (median 26 vs 54 weeks, HR: 3.03, p<0.0001)."
    extraction = extract_figures(text)
    assert [f.measure for f in extraction.figures] == [OutcomeMeasure.HAZARD_RATIO]
    assert any("compared between arms" in dropped.reason for dropped in extraction.dropped)


def test_an_age_is_never_the_value_of_a_median() -> None:
    assert extract_figures("PFS was assessed in patients with a median age of 62 years.").figures == ()
    figures = extract_figures("Median OS in patients aged 70 or older was 9.1 months.").figures
    assert [(f.measure, f.value) for f in figures] == [(OutcomeMeasure.OS_MEDIAN, "9.1")]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The mPFS was 5.6 m and the mOS was 14.3 m.", ["5.6", "14.3"]),
        ("Median OS was 29.9m vs. 25.9m.", ["29.9", "25.9"]),
        ("The combination did not improve PFS (3,91m vs 3,55 m).", ["3,91", "3,55"]),
    ],
)
def test_a_bare_m_after_a_survival_value_is_months(text: str, values: list[str]) -> None:
    figures = extract_figures(text).figures
    assert [(f.value, f.unit) for f in figures] == [(value, Unit.MONTHS) for value in values]


def test_an_m_that_is_not_months_is_not_read_as_one() -> None:
    assert extract_figures("Docetaxel 75 mg/m2 was given every 3 weeks; PFS was assessed at 6 m/s.").figures == ()


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("PIK3CA mutations were identified in 19 cases of the cohort.", "19"),
        ("The p210 fusion transcript was detected in 10 cases.", "10"),
        ("Six GISTs harbored PDGFRA mutations.", "Six"),
    ],
)
def test_carriers_found_in_a_cohort_are_a_count(text: str, count: str) -> None:
    counts = [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT]
    assert [f.numerator for f in counts] == [count]


@pytest.mark.parametrize(
    "text",
    [
        "This missense mutation was found in 3 family members with VHL type 1 phenotype.",
        "The missense mutation (c.481C>T (p.Arg161Ter)) was found in 8 patients.",
        "The variant was found in one patient with hemangioblastoma.",
        "The mutations were not found in 200 unaffected control individuals.",
    ],
)
def test_where_a_variant_was_seen_is_not_a_count(text: str) -> None:
    assert [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT] == [], text


def test_arms_named_after_respectively_go_one_to_each_value() -> None:
    text = "Median PFS was 11.0 and 5.6 months, respectively, in the osimertinib and standard EGFR-TKI groups."
    assert [(f.value, f.arm) for f in extract_figures(text).figures] == [
        ("11.0", "osimertinib group"),
        ("5.6", "standard EGFR-TKI group"),
    ]


def test_the_timepoint_of_a_rate_is_not_a_time_to_an_event() -> None:
    text = "Major molecular response at 12 months was 45% with nilotinib versus 22% with imatinib."
    assert OutcomeMeasure.TIME_TO_EVENT not in _measures(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The response rate (RR) was 54.8% in the gefitinib group.", [{"measure": "orr", "value": "54.8"}]),
        ("The overall response rate (RR) was 54.8% (95% CI 40.1-68.9%). The RR in wild-type patients was 12%.",
         [{"measure": "orr", "value": "54.8", "ci_lower": "40.1", "ci_upper": "68.9"},
          {"measure": "orr", "value": "12"}]),
        ("The pooled response rates (RR) for mutant versus wild-type patients were 31.2 and 48.3 %, respectively.",
         [{"measure": "orr", "value": "31.2", "arm": "mutant"}, {"measure": "orr", "value": "48.3"}]),
        # without the definition, RR is the relative risk
        ("Carriers had a higher risk of death (RR 2.3, 95% CI 1.4-3.8).",
         [{"measure": "risk_ratio", "value": "2.3", "ci_lower": "1.4", "ci_upper": "3.8"}]),
        # defined as the response rate, RR names no ratio in that text: "RR 2.3" is no figure, never a wrong one
        ("The response rate (RR) was 40%. Carriers had a higher risk of death (RR 2.3, 95% CI 1.4-3.8).",
         [{"measure": "orr", "value": "40"}]),
    ],
)  # fmt: skip
def test_rr_defined_as_the_response_rate_is_the_response_rate(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The overall response rates (ORR) were 15/21 in treatment-naive patients.",
         [{"measure": "orr", "numerator": "15", "denominator": "21", "text": "overall response rates (ORR) were 15/21 "
           "in treatment-naive patients"}]),
        ("Disease control rates (DCR) were 62% and 40%, respectively.",
         [{"measure": "dcr", "value": "62", "text": "Disease control rates (DCR) were 62%"},
          {"measure": "dcr", "value": "40"}]),
    ],
)  # fmt: skip
def test_a_rates_plural_and_its_abbreviation_are_one_name(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


def test_or_in_a_list_headed_by_response_rates_is_never_an_odds_ratio() -> None:
    text = "Response rates by gene: BRCA1/2 germline (n=88, OR 53.4); BRCA1/2 somatic (n=18, OR 55.6)."
    assert OutcomeMeasure.ODDS_RATIO not in _measures(text)
    kept = extract_figures("Carriers had lower response rates (6/21 vs 115/317; OR: 0.70; p = 0.47).").figures
    assert [(f.measure, f.value) for f in kept if f.measure is OutcomeMeasure.ODDS_RATIO] == [
        (OutcomeMeasure.ODDS_RATIO, "0.70")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Another patient had a complete hematologic response with the M351T variant present in ~25% of transcripts.",
        "Complete remission was achieved with a bone marrow MRD of 0.059% by flow cytometry.",
        "Rates of complete remission were not different in patients with WT1 mutations (69% exon 7, 15% exon 9).",
    ],
)
def test_a_share_of_a_sample_is_not_a_response_rate(text: str) -> None:
    assert OutcomeMeasure.CR_RATE not in _measures(text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sequencing found NRAS (n=7), KRAS (n=3) and HRAS (n=1) mutations in the cohort.",
         [("NRAS", "7"), ("KRAS", "3"), ("HRAS", "1")]),
        ("The most frequent substitutions were at codons V600E (12 cases) and K601E (2 cases).",
         [("V600E", "12"), ("K601E", "2")]),
        ("Common fusions were EML4-ALK (14), KIF5B-RET (5), and CD74-ROS1 (3).",
         [("EML4-ALK", "14"), ("KIF5B-RET", "5"), ("CD74-ROS1", "3")]),
        ("Remaining tumours had alterations involving PIK3CA (n = 6), ERBB2/3 (n = 2), and others (n = 4).",
         [("PIK3CA", "6"), ("ERBB2/3", "2"), ("others", "4")]),
    ],
)  # fmt: skip
def test_a_list_of_alterations_each_with_its_count_is_counts(text: str, expected: list[tuple[str, str]]) -> None:
    counts = [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT]
    assert [(f.label, f.numerator) for f in counts] == expected
    assert all(text[f.start : f.end] == f.text and f.text.endswith(")") for f in counts)


@pytest.mark.parametrize(
    "text",
    [
        "Patients with mutations in TP53 (n=21) had shorter overall survival.",
        "Samples were tested by IHC (n=40), NGS (n=22) and FISH (n=18).",
        "Tumours were classed as MET high (n=61) or low (n=33).",
        "Patients with NSCLC (n=20), CRC (n=11) and GIST (n=4) were included.",
        "Patients were randomised to FOLFOX (n=120) or FOLFIRI (n=118).",
        "Patients enrolled in the FLAME1 (n = 70) and FLAME2 (n = 95) trials were analysed for KRAS mutations.",
        "KRAS (12), NRAS (13) and BRAF (14) mutations were described before.",
    ],
)
def test_group_sizes_of_a_cohort_are_not_counts(text: str) -> None:
    assert [f.text for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Among responders, two had a complete response and five a partial response.",
         [("cr_rate", "two", None), ("pr_rate", "five", None)]),
        ("Of 30 evaluable patients, 4 achieved a CR, and 7 a PR.",
         [("cr_rate", "4", "30"), ("pr_rate", "7", "30")]),
        ("Three patients had a complete response and four patients a partial response.",
         [("cr_rate", "Three", None), ("pr_rate", "four", None)]),
    ],
)  # fmt: skip
def test_a_list_that_leaves_out_the_verb_keeps_one_count_per_response(
    text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert [(f.measure.value, f.numerator, f.denominator) for f in extract_figures(text).figures] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Two had a complete response to imatinib and 3 to nilotinib.",  # "3 to nilotinib": no measure after it
        "Two patients had a partial response; and 5 a decade later were alive.",  # another clause
        "One patient had a complete response and 12 weeks of therapy were given.",  # a time, not a count
    ],
)
def test_a_number_after_a_response_count_without_a_measure_is_no_response_count(text: str) -> None:
    responses = {OutcomeMeasure.CR_RATE, OutcomeMeasure.PR_RATE, OutcomeMeasure.ORR}
    assert len([f for f in extract_figures(text).figures if f.measure in responses]) == 1, text


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The patient died 18 months after diagnosis.", "18", Unit.MONTHS),
        ("He died of sepsis 3 weeks after surgery.", "3", Unit.WEEKS),
        ("She succumbed to the disease 2 years after starting erlotinib.", "2", Unit.YEARS),
    ],
)
def test_the_time_to_a_patients_death_is_their_overall_survival(text: str, value: str, unit: Unit) -> None:
    assert [(f.measure, f.value, f.unit) for f in extract_figures(text).figures] == [
        (OutcomeMeasure.OS_MEDIAN, value, unit)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The patient progressed 7 months after starting treatment and died.",
        "Her father died, and 3 months later she was diagnosed with the same tumour.",
        "The tumour recurred 14 months after surgery although no patient died.",
    ],
)
def test_a_time_not_tied_to_a_death_is_no_overall_survival(text: str) -> None:
    assert OutcomeMeasure.OS_MEDIAN not in _measures(text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9/30 of the patients with BRAF mutations (30%) responded to therapy.", ("orr", "30", "9", "30")),
        ("Overall, 12 of 40 patients with KRAS wild-type tumours (30%) achieved a response.", ("orr", "30", "12", "40")),
        ("Overall, 12 of 40 patients with KRAS wild-type tumours responded.", ("orr", None, "12", "40")),
        ("Responses were seen in 11 of 20 patients treated with dabrafenib (55%).", ("orr", "55", "11", "20")),
        ("Partial responses occurred in 6 of 14 patients with BRAF V600E mutant tumors (43%).",
         ("pr_rate", "43", "6", "14")),
        ("Of 19 patients, 8 had an objective response to vemurafenib (42%).", ("orr", "42", "8", "19")),
    ],
)  # fmt: skip
def test_a_response_counts_share_written_apart_from_it_is_its_value(
    text: str, expected: tuple[str, str | None, str, str]
) -> None:
    assert [(f.measure.value, f.value, f.numerator, f.denominator) for f in extract_figures(text).figures] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Overall, 12 of 40 patients with KRAS wild-type tumours (55%) achieved a response.",  # 55% is not 12/40
        "Of 19 patients, 8 had an objective response to vemurafenib (60%).",
        "None of the 6 patients with wild-type HRAS responded.",  # 6 is the group
    ],
)
def test_a_share_that_is_not_the_counts_is_never_its_value(text: str) -> None:
    figures = extract_figures(text).figures
    assert all(f.value is None for f in figures if f.measure is OutcomeMeasure.ORR), text
    assert all(f.numerator != "6" for f in figures), text


def test_a_share_written_apart_that_is_not_the_counts_is_reported_as_dropped() -> None:
    extraction = extract_figures("Overall, 12 of 40 patients with KRAS wild-type tumours (55%) achieved a response.")
    assert [d.reason for d in extraction.dropped] == ["12 of 40 is not 55%"]


def test_a_ci_written_after_an_arm_is_that_arms_ci() -> None:
    text = "Median PFS was 6.1 months in the A arm (95% CI 5.0-7.2) and 3.0 months in the B arm (95% CI 2.1-3.9)."
    assert [(f.value, f.arm, f.ci_lower, f.ci_upper) for f in extract_figures(text).figures] == [
        ("6.1", "A arm", "5.0", "7.2"),
        ("3.0", "B arm", "2.1", "3.9"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patients treated with the combination had an ORR of 45%, while the control group had 10%.",
         [("orr", "45", None), ("orr", "10", None)]),
        ("The ORR was 45%, as opposed to 10% with docetaxel alone.",
         [("orr", "45", None), ("orr", "10", "docetaxel alone")]),
        ("ORR: 38% in the erlotinib arm; 9% in the placebo arm.",
         [("orr", "38", "erlotinib arm"), ("orr", "9", "placebo arm")]),
        ("Median PFS was 8.1 months with the combination, compared with 4.0 months in the control group.",
         [("pfs_median", "8.1", "combination"), ("pfs_median", "4.0", "control group")]),
    ],
)  # fmt: skip
def test_another_arms_value_set_against_a_figure_is_of_the_same_measure(
    text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert [(f.measure.value, f.value, f.arm) for f in extract_figures(text).figures] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The ORR was 45%, while 10% had grade 3 rash.",  # the value starts its own clause
        "The ORR was 45%; 20% of patients had stable disease.",  # no arm, no contrast
        "The ORR was 45%, whereas in the control arm 62% of patients had progressive disease.",  # a share of patients
        "The ORR was 45% and 30 patients (10%) were in the control arm.",  # no word of contrast
    ],
)
def test_a_later_value_that_is_not_another_arms_is_no_second_rate(text: str) -> None:
    assert len([f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.ORR]) == 1, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The median duration of response was 11.2 months (range, 2.1 to 25.0).", ("dor_median", "11.2", "2.1", "25.0")),
        ("Median OS was 14 months (range 3 to 40 months).", ("os_median", "14", "3", "40")),
        ("PFS was 8.3 months (median; range 2-14).", ("pfs_median", "8.3", "2", "14")),
        ("Median time to response was 1.8 months (range 1.6-3.7).", ("time_to_event", "1.8", "1.6", "3.7")),
        ("Median duration of treatment was 6.2 months (range 0.5-18).", ("time_to_event", "6.2", "0.5", "18")),
    ],
)  # fmt: skip
def test_a_median_keeps_its_range(text: str, expected: tuple[str, str, str, str]) -> None:
    assert [(f.measure.value, f.value, f.range_low, f.range_high) for f in extract_figures(text).figures] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Median OS was 14 months (range 40 to 3).",  # the ends the wrong way round: no range
        "PFS was 8.3 months (median, 95% CI 6.0-10.1).",  # a CI, not a range
    ],
)
def test_a_range_note_that_is_not_a_range_gives_none(text: str) -> None:
    figures = extract_figures(text).figures
    assert len(figures) == 1 and figures[0].range_low is None, text


def test_a_time_to_response_is_no_response_rate() -> None:
    text = "The median time to objective response was 8 weeks and the ORR was 40%."
    assert [(f.measure.value, f.value) for f in extract_figures(text).figures] == [
        ("time_to_event", "8"),
        ("orr", "40"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Six patients had partial response or stable disease for ≥16 weeks.",  # a threshold of benefit
        "Six patients had partial response or stable disease for at least 16 weeks.",
        "Biopsies were collected 2 weeks after the start of treatment.",  # when a sample was taken
        "Plasma was drawn at baseline and 8 weeks after initiation of therapy.",
        "Response was assessed 8 weeks after the first dose.",  # an assessment schedule
        "Patients who progressed within 6 months after adjuvant therapy had worse survival.",  # a subgroup
        "Survival 5 years after diagnosis was 60% in carriers.",  # the timepoint of a share
        "Relapse within 2 years after transplant occurred in 30% of patients.",
    ],
)
def test_a_time_that_is_no_event_of_a_patient_is_no_time_to_event(text: str) -> None:
    measures = _measures(text)
    assert OutcomeMeasure.TIME_TO_EVENT not in measures and OutcomeMeasure.DOR_MEDIAN not in measures, text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He had stable disease for 16 weeks.", "16"),
        ("A patient who relapsed 6 months after transplant received dasatinib.", "6"),  # one patient, not a group
        ("She achieved a PR within one month with 34% tumour shrinkage.", "one"),  # the share is the shrinkage's
    ],
)
def test_a_case_reports_time_to_an_event_is_kept(text: str, value: str) -> None:
    assert [f.value for f in extract_figures(text).figures if f.measure is OutcomeMeasure.TIME_TO_EVENT] == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Complete or partial responses were observed in 5 of 12 patients.", ("orr", None, "5")),
        ("The rate of CR or PR was 42%.", ("orr", "42", None)),
        ("CR/PR was achieved in 42% of patients.", ("orr", "42", None)),
        ("CR + PR rate was 42%.", ("orr", "42", None)),
        ("Two patients achieved a partial response or better.", ("orr", None, "Two")),
        ("Partial or complete responses were noted in 9 of 31 evaluable patients.", ("orr", None, "9")),
        ("A partial or complete remission occurred in 35% of the cohort.", ("orr", "35", None)),
        ("Partial and/or complete response: 12 of 40.", ("orr", None, "12")),
    ],
)
def test_a_complete_or_partial_response_is_an_objective_response(
    text: str, expected: tuple[str, str | None, str | None]
) -> None:
    assert [(f.measure.value, f.value, f.numerator) for f in extract_figures(text).figures] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Three patients had CR and 4 had PR.",  # two measures
        "The rate of CR, PR or SD was 60%.",  # disease control, not an objective response
        "CR or PR or SD was seen in 60%.",
        "Partial response was seen in 4 patients and complete response in 2 of 30 patients.",  # each its own
        "A partial, or complete response in 30% of patients.",  # not joined as either
    ],
)
def test_responses_that_are_not_joined_as_either_are_no_objective_response(text: str) -> None:
    assert OutcomeMeasure.ORR not in _measures(text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The study included 20 patients, five of whom had BRAF V600E.", ("five", "20")),
        ("We sequenced 373 high-risk patients of which 29 demonstrated kinase fusions.", ("29", "373")),
        ("Of 30 tumours with FGFR2 fusions, 8 of which had concomitant TP53 mutations, most were intrahepatic.",
         ("8", "30")),
    ],
)  # fmt: skip
def test_a_relative_count_is_out_of_the_group_before_it(text: str, expected: tuple[str, str]) -> None:
    counts = [f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT]
    assert [(f.numerator, f.denominator) for f in counts] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Twelve patients were tested, 4 of whom were treated with imatinib.",  # a design word, not a finding
        "The cohort of 40 patients, 3 of which were lost to follow-up, was analysed.",
        "Nine samples contained the fusion, one of which was a novel variant.",  # one case described
    ],
)
def test_a_relative_count_without_a_finding_is_no_count(text: str) -> None:
    assert [f.text for f in extract_figures(text).figures if f.measure is OutcomeMeasure.COUNT] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The HR for relapse 1.45 (95% CI 1.02-2.06) favoured the control arm.", ("hazard_ratio", "1.45", "1.02")),
        ("Odds ratio for complete remission, 3.10; 95% CI, 1.40 to 6.86.", ("odds_ratio", "3.10", "1.40")),
        ("Survival was shorter (hazard ratio [HR] for death 1·9, 90% CI 1·2-3·1).", ("hazard_ratio", "1·9", "1·2")),
        ("The HR for PFS 0.61 (0.44-0.85) was in favour of the doublet.", ("hazard_ratio", "0.61", "0.44")),
    ],
)  # fmt: skip
def test_a_ratio_for_an_endpoint_then_its_value(text: str, expected: tuple[str, str, str]) -> None:
    assert [(f.measure.value, f.value, f.ci_lower) for f in extract_figures(text).figures] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The HR for patients older than 65 was not reported.",  # a whole number with no decimal: an age
        "An HR for stage 2.5 cm tumours could not be computed.",  # a size, followed by its unit word
        "The HR for the 2 groups was not estimable.",  # an article and a whole number
        "The HR for women with more than 3.5 years of therapy was not given.",  # too many words between
    ],
)
def test_a_number_after_what_a_ratio_is_for_is_not_always_its_value(text: str) -> None:
    assert OutcomeMeasure.HAZARD_RATIO not in _measures(text), text


def test_an_abbreviation_in_square_brackets_is_part_of_the_ratio() -> None:
    (figure,) = extract_figures("The hazard ratio [HR] was 0.52 (95% CI 0.40-0.68).").figures
    assert figure.text.startswith("hazard ratio [HR]")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Carriers did no worse (adjusted HR = 1.08 vs 1, P = 0.6).", ["1.08"]),
        ("Relative to wild type, the odds ratio was 2.4 versus 1.00 (reference).", ["2.4"]),
        ("The HR was 0.62 vs 1.0 in the two strata.", ["0.62"]),
    ],
)
def test_the_reference_ratio_of_one_is_not_a_figure(text: str, values: list[str]) -> None:
    assert [f.value for f in extract_figures(text).figures] == values


def test_a_ratio_of_one_with_its_own_ci_is_a_figure() -> None:
    text = "The HR was 0.62 in men versus 1.00 (95% CI 0.71-1.40) in women."
    assert [f.value for f in extract_figures(text).figures] == ["0.62", "1.00"]


def test_the_p_value_written_after_a_reference_ratio_is_the_ratios() -> None:
    (figure,) = extract_figures("Carriers did no worse (adjusted HR = 1.08 vs 1, P = 0.6).").figures
    assert (figure.value, figure.p_value, figure.text) == ("1.08", "0.6", "HR = 1.08 vs 1, P = 0.6")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Median OS favoured the doublet in women (14.1 vs. 9.0 months, P=0.01) and in men (12.2 vs. 8.8 months, "
         "P=0.03).", [("14.1", None), ("9.0", None), ("12.2", None), ("8.8", None)]),
        ("Median PFS was 8.4 vs. 4.0 months in the PD-L1-high cohort (HR 0.41; 95% CI 0.30-0.57) and 5.1 months "
         "vs. 4.2 months in the PD-L1-low cohort (HR 0.90).",
         [("8.4", None), ("4.0", "PD-L1-high cohort"), ("5.1", None), ("4.2", "PD-L1-low cohort")]),
    ],
)  # fmt: skip
def test_a_comparison_repeated_for_another_subgroup_is_the_same_measure(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    medians = [f for f in extract_figures(text).figures if f.measure.value.endswith("_median")]
    assert [(f.value, f.arm) for f in medians] == expected


@pytest.mark.parametrize(
    "text",
    [
        # a second pair of another unit, or values that are no comparison, are not the measure's
        "Median OS was 14.1 vs. 9.0 months; 12 vs. 8 patients had grade 3 events.",
        "Median OS was 14.1 vs. 9.0 months, and doses were 50 vs. 100 mg.",
        "Median OS was 14.1 vs. 9.0 months, and the ORR was 30 vs. 20%.",
    ],
)
def test_values_after_a_comparison_that_are_not_a_comparison_of_its_measure_are_not_read_as_one(text: str) -> None:
    assert len([f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.OS_MEDIAN]) == 2, text


def test_a_whole_number_glued_to_a_unit_of_time_is_a_duration() -> None:
    figures = extract_figures("Median OS was 60mo in carriers and 49mo in non-carriers.").figures
    assert [(f.value, f.unit) for f in figures] == [("60", Unit.MONTHS), ("49", Unit.MONTHS)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The 2-year OS rate was lower in carriers than in non-carriers (41%, 68%; p=0.002).", ["41", "68"]),
        ("Median PFS was shorter with the mutation compared with wild type (4.1, 9.3 months; P<0.01).",
         ["4.1", "9.3"]),
    ],
)  # fmt: skip
def test_two_values_after_a_comparison_of_groups_are_one_per_group(text: str, values: list[str]) -> None:
    assert [f.value for f in extract_figures(text).figures] == values


@pytest.mark.parametrize(
    "text",
    [
        "The 2-year OS rate was recorded in a subgroup (41%, 68%; p=0.002).",  # no groups set against each other
        "The 2-year OS rate was reported for 80 patients (41%, 68%).",  # 41% not the rate's, so neither is 68%
    ],
)
def test_a_value_after_a_comma_that_follows_a_value_not_taken_is_not_the_measures(text: str) -> None:
    assert OutcomeMeasure.OS_RATE not in _measures(text), text


@pytest.mark.parametrize(
    "text",
    ["Responses lasted a median of 7.5 months.", "The responses were durable, lasting for a median of 7.5 months."],
)
def test_a_response_that_lasted_a_median_of_is_its_duration(text: str) -> None:
    assert [(f.measure, f.value) for f in extract_figures(text).figures] == [(OutcomeMeasure.DOR_MEDIAN, "7.5")]


def test_a_median_follow_up_is_no_duration_of_response() -> None:
    assert OutcomeMeasure.DOR_MEDIAN not in _measures("Responders were followed for a median of 7.5 months.")


def test_a_response_counts_share_written_later_keeps_its_ci() -> None:
    text = "Responses were seen in 12 of 30 patients given the doublet (40%; 95% CI, 23 to 59)."
    (figure,) = extract_figures(text).figures
    assert (figure.measure, figure.value, figure.numerator, figure.ci_lower, figure.ci_upper) == (
        OutcomeMeasure.ORR,
        "40",
        "12",
        "23",
        "59",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A response occurred in 21 of 40 patients in the combination arm (52.5%) and in 8 of 41 patients in the "
         "control arm (19.5%).", [("21", "52.5", "combination arm"), ("8", "19.5", "control arm")]),
        ("Complete responses were seen in 6 of 25 patients with the fusion, compared with 1 of 30 without it.",
         [("6", None, "fusion"), ("1", None, None)]),
    ],
)  # fmt: skip
def test_another_arms_count_of_responders_is_the_same_measure(
    text: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    figures = extract_figures(text).figures
    assert len({f.measure for f in figures}) == 1 and figures[0].measure is not OutcomeMeasure.COUNT
    assert [(f.numerator, f.value, f.arm) for f in figures] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Responses occurred in 7 of 20 patients with the mutation, and 3 of 10 patients had grade 3 rash.",
        "Responses occurred in 7 of 20 patients; 3 of 10 samples were not evaluable.",
    ],
)
def test_a_count_that_starts_its_own_clause_is_not_another_arms_response(text: str) -> None:
    assert [f.measure for f in extract_figures(text).figures].count(OutcomeMeasure.ORR) == 1, text


def test_values_in_a_bracket_after_different_are_the_compared_values() -> None:
    text = "The 2-year OS rates were significantly different (70% and 40%, P=0.03)."
    assert [(f.measure, f.value) for f in extract_figures(text).figures] == [
        (OutcomeMeasure.OS_RATE, "70"),
        (OutcomeMeasure.OS_RATE, "40"),
    ]


def test_figures_of_their_own_inside_a_values_bracket_are_read() -> None:
    text = "The ORR was 48% (95% CI, 39 to 57; 9% with a complete response and 39% with a partial response)."
    figures = extract_figures(text).figures
    assert [(f.measure, f.value, f.ci_lower) for f in figures] == [
        (OutcomeMeasure.ORR, "48", "39"),
        (OutcomeMeasure.CR_RATE, "9", None),
        (OutcomeMeasure.PR_RATE, "39", None),
    ]
    assert figures[0].text == "ORR was 48% (95% CI, 39 to 57"


def test_a_bracket_that_holds_only_the_values_attachments_is_the_values() -> None:
    (figure,) = extract_figures("The ORR was 48% (95% CI, 39 to 57; P = 0.01).").figures
    assert (figure.p_value, figure.text) == ("0.01", "ORR was 48% (95% CI, 39 to 57; P = 0.01)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The disease control rate (CR, PR or SD for at least 12 weeks) was 58% (95% CI 41-74).",
         [("dcr", "58", "41")]),
        ("Clinical benefit rate (complete response, partial response or stable disease) was 44%.",
         [("cbr", "44", None)]),
    ],
)  # fmt: skip
def test_a_response_measure_defined_in_brackets_by_other_responses_takes_the_value_after(
    text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert [(f.measure.value, f.value, f.ci_lower) for f in extract_figures(text).figures] == expected


def test_a_bracket_of_figures_after_a_measure_is_no_definition() -> None:
    assert OutcomeMeasure.CBR not in _measures("The clinical benefit rate (CR 10%, PR 20%) was not reported.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Median time to progression was 5.6 months, range 1.2-14.0.", ("5.6", "1.2", "14.0")),
        ("The median OS was 10 months, ranging from 3 to 25 months, in the cohort.", ("10", "3", "25")),
        ("Median PFS: 7 months; range: 2-19 months.", ("7", "2", "19")),
    ],
)
def test_a_median_with_its_range_written_after_a_comma(text: str, expected: tuple[str, str, str]) -> None:
    (figure,) = extract_figures(text).figures
    assert (figure.value, figure.range_low, figure.range_high) == expected


def test_a_range_of_something_else_after_a_median_is_not_its_range() -> None:
    (figure,) = extract_figures("Median OS was 10 months, range of doses 3-25 mg.").figures
    assert (figure.value, figure.range_low) == ("10", None)


def test_values_by_group_parted_by_semicolons_after_a_median() -> None:
    text = "OS favoured carriers (median OS: BRCA2 carriers: 41.0 months; non-carriers: 29.5 months; P = 0.01)."
    figures = extract_figures(text).figures
    assert [(f.measure, f.value, f.arm) for f in figures] == [
        (OutcomeMeasure.OS_MEDIAN, "41.0", None),
        (OutcomeMeasure.OS_MEDIAN, "29.5", "non-carriers"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Median OS was 12 months; grade 3 events: 14%.",  # another unit: not the median's
        "Median OS was 12 months; follow-up: 30 months.",  # a follow-up is never a value
    ],
)
def test_a_semicolon_then_a_label_and_another_value_is_not_always_another_group(text: str) -> None:
    assert len([f for f in extract_figures(text).figures if f.measure is OutcomeMeasure.OS_MEDIAN]) == 1, text


@pytest.mark.parametrize(
    "text",
    [
        "Imaging was repeated at 8, 16 and 24 weeks after the start of therapy.",
        "Scans were read by 6, 12, and 18 months after surgery.",
    ],
)
def test_the_later_times_of_a_list_of_timepoints_are_no_times_to_an_event(text: str) -> None:
    assert OutcomeMeasure.TIME_TO_EVENT not in _measures(text), text


def test_times_listed_after_an_event_are_each_a_time_to_it() -> None:
    text = "The two patients relapsed 9 and 14 months after transplant, respectively."
    assert [f.value for f in extract_figures(text).figures if f.measure is OutcomeMeasure.TIME_TO_EVENT] == ["9", "14"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The response rate was 40% for patients with the mutation and only 8% for wild-type patients.",
         [("40", "patients with the mutation"), ("8", "wild-type patients")]),
        ("Median PFS was 9.1 months in the lapatinib arm and also 8.0 months in the control arm.",
         [("9.1", "lapatinib arm"), ("8.0", "control arm")]),
    ],
)  # fmt: skip
def test_an_adverb_after_and_starts_the_next_arms_value(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.value, f.arm) for f in extract_figures(text).figures] == expected


def test_and_joining_two_words_of_one_arm_stays_in_the_arm() -> None:
    (figure,) = extract_figures("The ORR was 40% in patients with BRAF and NRAS mutations.").figures
    assert figure.arm == "patients with BRAF and NRAS mutations"
