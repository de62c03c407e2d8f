"""Every figure of the seed paper is carried by a curated record.

The seed paper is Pan and Zhou, Front. Oncol. 2024 (``data/texts/pan-zhou-2024-front-oncol.txt``).
:data:`FIGURES` below was written BY HAND, reading the paper sentence by sentence from the
first line to the last, figure legends included. It was NOT generated from ``data/`` and must
never be: the point of this test is to be an independent check of the curation.

Each entry gives the figure as the paper writes it, a short verbatim context phrase that pins the
sentence, and the normalised value(s) a record must hold. A figure is *carried* when some record
(top-level or nested: evidence item, outcome, study, arm, population, patient case, case event,
biomarker definition, entity) both

(a) has a quote that contains the context phrase (its own ``quote``, its ``provenance`` quotes, or
    for a nested model such as an outcome or a case event, the quotes of the records enclosing it),
    the quote being taken from the seed paper; and
(b) holds every normalised value in a STRUCTURED field of itself or of its nested models: numbers
    in Decimal/int fields, dates in ISO partial-date fields, short strings in short structured
    string fields (dose, stage, phase, timepoint, ...). Free-text fields (:data:`FREE_TEXT_FIELDS`)
    never count: a number written only in a statement, a label or a note is not curated.

A Source has no quote of its own; its structured fields (year, registry ids) count for the records
that reference it (an evidence item's ``cites``, a study's ``sources``).

What is deliberately not listed: in-text reference numbers "(17)", figure numbers ("Figure 1A",
"FIGURE 2"), page furniture (the DOI header "10.3389/fonc.2024.1397238", "03", "frontiersin.org",
the URLs), and the digit-bearing names and ordinals of :data:`SKIPPED`, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel

from kg.core.text import normalize_space, number_text
from kg.core.vocab import NodeType
from kg.model import Corpus, EvidenceItem, Outcome, Quote, Source, Xref
from kg.model.cases import CaseEvent, PatientCase
from kg.model.studies import Study
from kg.model.walk import iter_references

PAPER_TEXT_FILE = "texts/pan-zhou-2024-front-oncol.txt"
PAPER_PATH = Path(__file__).resolve().parent.parent / "data" / PAPER_TEXT_FILE

#: Fields whose content is prose (or a name, or a citation), never a structured value.
FREE_TEXT_FIELDS = frozenset(
    {
        "statement",
        "label",
        "name",  # a study's display name ("PHILA", "ChiCTR1800020262")
        "expression",  # a molecular profile as its source writes it
        "description",
        "title",
        "text",  # a quote's text
        "corrected",  # a quote's corrected text
        "curator_note",
        "curator_notes",
        "finding",
        "level_rationale",
        "summary",
        "limitations",
        "synonyms",
        "short_citation",
        "journal",
        "authors",
        "url",
        "locator",
        "source",  # an Xref's "where the identifier was seen" (Ref fields are excluded anyway)
        "reference_numbers",  # in-text citation numbers, not facts
        "text_file",
    }
)


# ---------------------------------------------------------------------------------------------
# Value kinds
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A short string that must appear, as a whole token, in a structured string field.

    Matching ignores case and whitespace runs, reads '-' and '–' as spaces, '×' as 'x', number
    words as digits ('one year' = '1 year') and tolerates a plural 's' ('6 month' ~ '6 months').
    The token boundaries keep 'II' from matching inside 'III' or 'I/II'.
    """

    value: str

    def __str__(self) -> str:
        return f"text {self.value!r}"


@dataclass(frozen=True)
class Date:
    """An ISO partial date (YYYY, YYYY-MM or YYYY-MM-DD) that a date field must equal exactly."""

    value: str

    def __str__(self) -> str:
        return f"date {self.value!r}"


@dataclass(frozen=True)
class AnyOf:
    """Any one of several acceptable normalisations."""

    options: tuple[Decimal | int | Text | Date, ...]

    def __str__(self) -> str:
        return "one of (" + ", ".join(_describe(option) for option in self.options) + ")"


Value = Decimal | int | Text | Date | AnyOf


@dataclass(frozen=True)
class Figure:
    """One figure of the paper: as written, its verbatim context, and what a record must hold."""

    id: str
    figure: str
    context: str
    values: tuple[Value, ...]


def F(figure_id: str, figure: str, context: str, *values: Value) -> Figure:
    return Figure(figure_id, figure, context, values)


def T(value: str) -> Text:
    return Text(value)


def D(value: str) -> Date:
    return Date(value)


def N(value: str) -> Decimal:
    return Decimal(value)


# ---------------------------------------------------------------------------------------------
# The figures of the paper, in reading order. Written by hand from the paper text.
# ---------------------------------------------------------------------------------------------
CI95 = N("95")

FIGURES: tuple[Figure, ...] = (
    # --- Abstract ---------------------------------------------------------------------------
    # "14 and 42 months after radical surgery": either written as an interval (e.g. a case
    # event's date_text) or carried by the event dates the interval rests on (surgery
    # 01 June 2019; bone metastases found 05 August 2020; brain metastases December 2022).
    F(
        "abstract-bone-mets-14-months",
        "14",
        "metastases 14 and 42 months after radical surgery",
        AnyOf((T("14 months"), D("2020-08-05"))),
    ),
    F(
        "abstract-brain-mets-42-months",
        "42 months",
        "metastases 14 and 42 months after radical surgery",
        AnyOf((T("42 months"), D("2022-12"))),
    ),
    # --- Introduction -------------------------------------------------------------------------
    F(
        "intro-egfr-activating-50pct",
        "50%",
        "About 50% of Asian nonsmoking NSCLC patients have EGFR activating mutations",
        N("50"),
    ),
    F("intro-ex19del-l858r-80-90pct", "80-90%", "accounting for 80-90% of cases", N("80"), N("90")),
    F("intro-l858r-40pct", "40%", "representing 40% of all mutations", N("40")),
    F(
        "intro-egfr-tki-first-line",
        "first- line",
        "commonly used as the first- line treatment for advanced NSCLC",
        T("first line"),
    ),
    F("intro-os-5-year", "5-year", "The 5-year overall survival (OS) rate of NSCLC patients", T("5 year")),
    F("intro-os-below-20pct", "20%", "rate of NSCLC patients is still below 20%", N("20")),
    F("intro-t790m-50-60pct", "50-60%", "accounting for approximately 50-60% of all cases", N("50"), N("60")),
    F(
        "intro-third-gen-egfr-dependent-10-20pct",
        "10-20%",
        "only 10-20% exhibit EGFR-dependent resistance",
        N("10"),
        N("20"),
    ),
    F("intro-phila-phase-iii", "phase III", "multi-center phase III clinical trial", T("III")),
    F("intro-phila-first-line", "first-line", "has promising efficacy as first-line treatment", T("first line")),
    F("intro-phila-mpfs-24.3", "24.3 months", "pyHT treatment group lasted for 24.3 months", N("24.3")),
    F("intro-phila-hr-0.41", "HR=0.41", "(HR=0.41, 95% CI 0.32-0.53; P<0.0001)", N("0.41")),
    F("intro-phila-hr-ci", "95% CI 0.32-0.53", "(HR=0.41, 95% CI 0.32-0.53; P<0.0001)", CI95, N("0.32"), N("0.53")),
    F("intro-phila-p", "P<0.0001", "(HR=0.41, 95% CI 0.32-0.53; P<0.0001)", N("0.0001")),
    F(
        "intro-phila-first-line-pattern",
        "first-line",
        "creating a new pattern of first-line treatment",
        T("first line"),
    ),
    F(
        "intro-pyrotinib-second-line-breast",
        "second-line",
        "In the second-line treatment for HER2-positive advanced breast cancer, pyrotinib showed",
        T("second line"),
    ),
    F("intro-phenix-mpfs-11.1", "11.1", "group is 11.1 months and 4.1 months", N("11.1")),
    F("intro-phenix-mpfs-4.1", "4.1 months", "group is 11.1 months and 4.1 months", N("4.1")),
    F("intro-phenix-hr-0.18", "HR=0.18", "(HR=0.18, 95%CI 0.13-0.26; P<0.001)", N("0.18")),
    F("intro-phenix-hr-ci", "95%CI 0.13-0.26", "(HR=0.18, 95%CI 0.13-0.26; P<0.001)", CI95, N("0.13"), N("0.26")),
    F("intro-phenix-p", "P<0.001", "(HR=0.18, 95%CI 0.13-0.26; P<0.001)", N("0.001")),
    F(
        "intro-pyrotinib-capecitabine-approved-second-line",
        "second-line",
        "approved as the second-line treatment for HER2-positive advanced breast cancer",
        T("second line"),
    ),
    F(
        "intro-ref19-stage-iiib-or-iv",
        "IIIB or IV",
        "For stage IIIB or IV HER2-mutant lung adenocarcinoma patients",
        T("IIIB"),
        T("IV"),
    ),
    F("intro-ref19-orr-30.0", "30.0%", "objective effective rate (ORR) of pyrotinib therapy is 30.0%", N("30.0")),
    F("intro-ref19-orr-ci", "95%CI 18.8%-43.2%", "(95%CI 18.8%-43.2%)", CI95, N("18.8"), N("43.2")),
    F("intro-ref19-mpfs-6.9", "6.9 months", "the mPEFS is 6.9 months", N("6.9")),
    F("intro-ref19-mpfs-ci", "95%CI 5.5-8.3", "the mPEFS is 6.9 months (95%CI 5.5-8.3)", CI95, N("5.5"), N("8.3")),
    F("intro-ref19-mos-14.4", "14.4 months", "the mOS is 14.4 months", N("14.4")),
    F("intro-ref19-mos-ci", "95%CI 12.3- 21.3", "14.4 months (95%CI 12.3- 21.3)", CI95, N("12.3"), N("21.3")),
    F(
        "intro-chictr-registry-id",
        "ChiCTR1800020262",
        "ChiCTR1800020262 trial suggested that the 6-month incidence of PFS",
        T("ChiCTR1800020262"),
    ),
    F("intro-chictr-pfs-6-month", "6-month", "the 6-month incidence of PFS", T("6 month")),
    F("intro-chictr-pfs-6m-51.9", "51.9%", "treated with pyrotinib is 51.9%", N("51.9")),
    F("intro-chictr-pfs-6m-ci", "95%CI 34.0%- 69.3%", "(95%CI 34.0%- 69.3%)", CI95, N("34.0"), N("69.3")),
    F("intro-chictr-mpfs-6.3", "6.3 months", "the mPFS of 6.3 months", N("6.3")),
    F("intro-chictr-mpfs-ci", "95% CI 3.0-9.6", "6.3 months (95% CI 3.0-9.6)", CI95, N("3.0"), N("9.6")),
    F("intro-chictr-mos-12.5", "12.5 months", "the mOS of 12.5 months", N("12.5")),
    F("intro-chictr-mos-ci", "95% CI 8.2- 16.8", "12.5 months (95% CI 8.2- 16.8)", CI95, N("8.2"), N("16.8")),
    F("intro-chictr-orr-22.2", "22.2%", "the ORR of 22.2%", N("22.2")),
    F("intro-chictr-orr-ci", "95% CI 10.6-40.8%", "22.2% (95% CI 10.6-40.8%)", CI95, N("10.6"), N("40.8")),
    F(
        "intro-her2-amp-up-to-10pct-of-resistance",
        "10%",
        "HER2 amplification represents up to 10% of acquired resistance to EGFR-TKIs",
        N("10"),
    ),
    F(
        "intro-her2-amp-3pct-without-tki",
        "3%",
        "only accounts for 3% in NSCLC patients without EGFR-TKI therapy",
        N("3"),
    ),
    # --- Case presentation ----------------------------------------------------------------------
    F("case-age-50", "50-year-old", "The patient was a 50-year-old woman", 50),
    F("case-physical-exam-date", "28 May 2019", "routine physical examination on 28 May 2019", D("2019-05-28")),
    F(
        "case-mass-size",
        "2.5 cm x 3 cm",
        "a soft tissue mass of approximately 2.5 cm x 3 cm",
        AnyOf((T("2.5 cm x 3 cm"), T("2.5 x 3 cm"))),
    ),
    F(
        "case-lobectomy-date",
        "01 June 2019",
        "lobectomy was performed in the local hospital on 01 June 2019",
        D("2019-06-01"),
    ),
    F("case-pathology-solid-90pct", "90%", "solid type 90%", N("90")),
    F("case-pathology-micropapillary-5pct", "5%", "micropapillary 5%", N("5")),
    F("case-ln-parabronchial-0-of-3", "(0/3)", "no parbronchial lymph node invasion (0/3)", 0, 3),
    F("case-ln-station-6-1-of-7", "(1/7)", "station 6 lymph nodes (1/7)", 1, 7),
    F("case-ln-station-7-0-of-12", "(0/12)", "station 7 lymph nodes (0/12)", 0, 12),
    F("case-ln-station-10-0-of-1", "(0/1)", "station 10 lymph nodes (0/1)", 0, 1),
    F("case-ln-station-11-0-of-4", "(0/4)", "station 11 lymph nodes (0/4)", 0, 4),
    # "pT1cN2MO": the paper's "MO" is text-extraction noise for M0 (no distant metastasis).
    F("case-tnm", "pT1cN2MO", "classified as pT1cN2MO", T("pT1cN2M0")),
    F("case-stage-iiia", "Stage IIIA", "pT1cN2MO, Stage IIIA", T("IIIA")),
    F("case-uicc-6th-edition", "6th", "(UICC), 6th edition", T("6th")),
    F("case-chemo-four-cycles", "four", "pemetrexed and cisplatin for four cycles", 4),
    F("case-chemo-start", "25 August 2019", "for four cycles from 25 August 2019", D("2019-08-25")),
    F("case-chemo-end", "08 November 2019", "to 08 November 2019", D("2019-11-08")),
    F("case-imrt-50-gy", "50 Gy", "(IMRT) with 50 Gy to the clinical tumor volume", T("50 Gy")),
    F(
        "case-buttock-pain-half-a-year",
        "half a year",
        "pain and discomfort in the right buttock half a year later",
        AnyOf((T("half a year"), T("6 months"))),
    ),
    F(
        "case-admission-date",
        "05 August 2020",
        "further diagnosis and treatment on 05 August 2020",
        D("2020-08-05"),
    ),
    F(
        "case-palliative-rt-dose",
        "30 Gy in 10 fractions",
        "palliative radiotherapy (30 Gy in 10 fractions)",
        T("30 Gy"),
        T("10 fractions"),
    ),
    F("case-nab-paclitaxel-start", "29 August 2020", "Beginning in 29 August 2020", D("2020-08-29")),
    F(
        "case-nab-paclitaxel-one-year",
        "one year",
        "received albumin-bound paclitaxel for one year",
        AnyOf((T("1 year"), T("12 months"))),
    ),
    F("case-recist-1.1-stable-disease", "1.1", "(RECIST) version 1.1, she experienced stable disease", T("1.1")),
    F(
        "case-anlotinib-start",
        "December 2021",
        "changed to anlotinib (a multi-targeting TKI) in December 2021",
        D("2021-12"),
    ),
    F("case-dizziness-start", "December 2022", "started to experience dizziness in December 2022", D("2022-12")),
    F(
        "case-brain-imrt-dose",
        "45 Gy in 10 fractions",
        "IMRT for the brain tumor (45 Gy in 10 fractions)",
        T("45 Gy"),
        T("10 fractions"),
    ),
    F("case-brain-imrt-date", "20 December 2022", "(45 Gy in 10 fractions) on 20 December 2022", D("2022-12-20")),
    F(
        "case-almonertinib-pyrotinib-start",
        "January 2023",
        "pyrotinib (a pan-ErbB receptor TKI) was administered in January 2023",
        D("2023-01"),
    ),
    # "Two months later" than January 2023: March 2023, as the legends of Figures 2B and 3C say.
    F(
        "case-two-months-later",
        "Two months",
        "Two months later, the CT scan of the chest showed",
        AnyOf((D("2023-03"), T("2 months"))),
    ),
    F("case-diarrhea-grade-ii", "grade II", "The main adverse event was grade II diarrhea", 2),
    F("case-ctcae-5.0", "CTCAE 5.0", "Institute of the United States, CTCAE 5.0", T("5.0")),
    F("case-last-review", "November 2023", "As of the last review in November 2023", D("2023-11")),
    F("case-recist-1.1-partial-response", "1.1", "partial response according to the RECIST version 1.1", T("1.1")),
    # --- Figure legends -------------------------------------------------------------------------
    F(
        "fig1a-before-rt",
        "August 2020",
        "iliac bone metastases (A) before radiotherapy in August 2020",
        D("2020-08"),
    ),
    F("fig1b-after-rt", "September 2020", "(B) after radiotherapy in September 2020", D("2020-09")),
    F(
        "fig1c-nab-paclitaxel",
        "September 2021",
        "(C) during the albumin-bound paclitaxel treatment in September 2021",
        D("2021-09"),
    ),
    F(
        "fig1d-bone-scan-before-rt",
        "August 2020",
        "bone scan images (D) before radiotherapy in August 2020",
        D("2020-08"),
    ),
    F(
        "fig1e-bone-scan-nab-paclitaxel",
        "September 2021",
        "(E) during the albumin- bound paclitaxel treatment in September 2021",
        D("2021-09"),
    ),
    F(
        "fig2a-before-almonertinib-pyrotinib",
        "December 2022",
        "lung metastases (A) before Almonertinib + Pyrotinib treatment in December 2022",
        D("2022-12"),
    ),
    F("fig2b-march-2023", "March 2023", "Pyrotinib treatment (B) in March 2023", D("2023-03")),
    F("fig2c-november-2023", "November 2023", "and (C) in November 2023", D("2023-11")),
    F(
        "fig3a-before-brain-rt",
        "December 2022",
        "brain metastases (A) before radiotherapy in December 2022",
        D("2022-12"),
    ),
    F("fig3b-after-brain-rt", "January 2023", "(B) after radiotherapy in January 2023", D("2023-01")),
    F("fig3c-march-2023", "March 2023", "treatment (C) in March 2023", D("2023-03")),
    F("fig3d-november-2023", "November 2023", "and (D) in November 2023", D("2023-11")),
    # Figure 4 ("Summary of the treatment timeline of this case") states no figure.
    # --- Literature review: prevalence ----------------------------------------------------------
    F("lit-her2-cep17-ratio-2.0", "> 2.0", "[CEP17] ratio > 2.0", N("2.0")),
    # The sentence "The current reported proportion of HER2 amplification in NSCLC is ... 3%-19%"
    # is cut in two by the legends of Figures 2 and 3 in the text; the context is its second half.
    F("lit-her2-amp-prevalence-3-19pct", "3%-19%", "3%-19% (23-25)", N("3"), N("19")),
    F("lit-her2-amp-luad-14.3pct", "14.3%", "observed in 14.3% of lung adenocarcinoma patients", N("14.3")),
    F("lit-mskcc-colorado-2016", "2016", "University of Colorado in 2016", 2016),
    F("lit-mskcc-amp-5-of-175", "5 out of 175", "detected in 5 out of 175 lung adenocarcinoma patients", 5, 175),
    F("lit-mskcc-amp-3pct", "(3%)", "5 out of 175 lung adenocarcinoma patients (3%)", N("3")),
    F("lit-mskcc-mut-4-of-148", "4 out of 148", "HER2 mutations were detected in 4 out of 148 patients", 4, 148),
    F("lit-mskcc-mut-3pct", "(3%)", "4 out of 148 patients (3%)", N("3")),
    F("lit-suzuki-222-of-1170", "out of 1170 ... 222 cases", "out of 1170 NSCLC patients, 222 cases", 222, 1170),
    F("lit-suzuki-19.0pct", "19.0%", "222 cases (19.0%)", N("19.0")),
    # --- Literature review: effect of HER2 amplification on EGFR-targeted therapy --------------
    F("effect-egfr-common-mutations-80pct", "80%", "At least 80% of EGFR mutations occurring in NSCLC", N("80")),
    F(
        "effect-egfr-tki-first-and-second-line",
        "first- and second-line",
        "EGFR-TKIs as first- and second-line treatment",
        T("first line"),
        T("second line"),
    ),
    F(
        "effect-osimertinib-first-line-2pct",
        "2%",
        "HER2 amplification accounts for 2% and 5% of drug-resistant mutations",
        N("2"),
    ),
    F(
        "effect-osimertinib-second-line-5pct",
        "5%",
        "HER2 amplification accounts for 2% and 5% of drug-resistant mutations",
        N("5"),
    ),
    F(
        "effect-osimertinib-first-line",
        "first-line",
        "after first-line and second-line treatment with Osimertinib",
        T("first line"),
    ),
    F(
        "effect-osimertinib-second-line",
        "second-line",
        "after first-line and second-line treatment with Osimertinib",
        T("second line"),
    ),
    F(
        "effect-first-second-gen-tki-10pct",
        "10%",
        "the proportion of HER2 amplification is relatively high, at 10%",
        N("10"),
    ),
    # --- Literature review: treatment trend -----------------------------------------------------
    F("treat-chemo-mpfs-5-6-months", "5-6 months", "with a mPES for 5-6 months", N("5"), N("6")),
    F("treat-trastuzumab-phase-ii", "Phase II", "The Phase II study of trastuzumab", T("II")),
    F(
        "treat-chictr-registry-id",
        "ChiCTR1800020262",
        "ChiCTR1800020262 is a prospective, multicenter, single-arm trial",
        T("ChiCTR1800020262"),
    ),
    F("treat-chictr-27-patients", "27", "pyrotinib in 27 NSCLC patients with HER2-amplified", 27),
    F("treat-chictr-tki-failed-orr-30.8", "30.8%", "objective response rate (ORR) of 30.8%", N("30.8")),
    F("treat-chictr-tki-failed-mpfs-7.2", "7.2 months", "and mPFS of 7.2 months", N("7.2")),
    F(
        "treat-ae-level-three-or-higher",
        "level three or higher",
        "The most common level three or higher adverse events",
        3,
    ),
    F("treat-case-report-2021", "2021", "A case report in 2021", 2021),
    F("treat-two-adc-trials", "Two", "Two clinical trials exploring the efficacy of ADCs", 2),
    F(
        "treat-nct02675829-registry-id",
        "NCT02675829",
        "The result of the NCT02675829 Phase II clinical study",
        T("NCT02675829"),
    ),
    F("treat-nct02675829-phase-ii", "Phase II", "NCT02675829 Phase II clinical study", T("II")),
    F("treat-tdm1-49-patients", "49", "T-DMI for 49 lung cancer patients", 49),
    F("treat-tdm1-orr-51pct", "51%", "amplification and/or mutation was 51%", N("51")),
    F("treat-tdm1-mpfs-5-months", "5 months", "and the mPFS was 5 months", N("5")),
    F("treat-tdm1-49-patients-included", "49", "Of the 49 lung cancer patients included in this study", 49),
    F("treat-tdm1-six-egfr-comutated", "six", "six had both HER2 amplification and EGFR mutations", 6),
    F("treat-tdm1-two-responded", "two", "two of them responded to T-DMI1", 2),
    F("treat-tdxd-second-line", "second-line", "T-DXd is recommended as the second-line treatment", T("second line")),
    # --- Discussion -----------------------------------------------------------------------------
    F("disc-chemo-first-line", "first-line", "its mPES as first-line therapy is 6 months", T("first line")),
    F("disc-chemo-mpfs-6-months", "6 months", "its mPES as first-line therapy is 6 months", N("6")),
)

#: Counts of categories, carried as structure rather than as a number field:
#: (figure id, figure as written, verbatim context, count, how the structure carries it).
#: "children": records whose ``parents`` name a record quoting the context;
#: "alterations": the alterations of an evidence item quoting the context.
STRUCTURAL: tuple[tuple[str, str, str, int, str], ...] = (
    (
        "intro-two-resistance-mechanisms",
        "two",
        "There are two mechanisms for acquired resistance to EGFR-TKIs",
        2,
        "children",
    ),
    ("lit-three-forms-of-her2-activation", "three", "The three main forms of HER2 activation", 3, "alterations"),
)

#: Digits and number words the reading met and deliberately did not list, each with its reason.
#: (figure as written, verbatim context, why it is not a figure to carry)
SKIPPED: tuple[tuple[str, str, str], ...] = (
    ("2", "Human epithelial growth factor receptor 2 (HER2)", "part of the gene name HER2"),
    (
        "second",
        "The second genetic sequencing detected",
        "ordinal of an event; carried by the order of the case's genetic-test events, no quantity",
    ),
    ("19", "exon 19 deletion and L858R mutation", "part of the variant name (EGFR exon 19 deletion)"),
    (
        "21",
        "arginine in exon 21 of EGFR",
        "defines the variant L858R (its exon); carried by the alteration entity, not a measured figure",
    ),
    ("first- and second-", "For the first- and second- generation EGFR TKISs", "drug-class names"),
    ("third", "for patients treated with the third-generation EGFR TKIs", "drug-class name"),
    ("1/2/4", "targeting HER1/2/4", "gene names HER1, HER2, HER4"),
    ("first", "this is the first description of the combined use", "novelty claim, not a quantity"),
    ("third", "the combination of the third-generation EGFR-TKIs and pyrotinib", "drug-class name"),
    ("6", "station 6 lymph nodes", "lymph-node station name (anatomical label); its count (1/7) is listed"),
    ("7", "station 7 lymph nodes", "lymph-node station name; its count (0/12) is listed"),
    ("10", "station 10 lymph nodes", "lymph-node station name; its count (0/1) is listed"),
    ("11", "station 11 lymph nodes", "lymph-node station name; its count (0/4) is listed"),
    ("1", "ALK (-), and ROS1 (-)", "part of the gene name ROS1"),
    ("HS-10296", "almonertinib (HS-10296; a third-generation EGFR-TKI)", "drug code name and drug-class name"),
    ("17", "HER2/chromosome enumeration probe 17 [CEP17]", "probe name (chromosome 17); the ratio 2.0 is listed"),
    (
        "E746-A750 / 858",
        "the deletion of the conserved sequence E746-A750 in exon 19 and the substitution of leucine to arginine at position 858",
        "variant names/definitions (exon 19 deletion, L858R); carried by the alteration entities",
    ),
    ("T790M", "lacking EGFR T790M mutation", "variant name"),
    (
        "two",
        "no difference in PD-L1 expression was observed between the two subgroups",
        "anaphora: the two groups just named, no new quantity",
    ),
    ("one", "HER2 amplification is considered one of the oncogenic driving factors", "idiom 'one of', no quantity"),
    ("first", "This is the first prospective clinical study", "novelty claim, not a quantity"),
    ("first", "This is the first description of the clinical efficacy of osimertinib", "novelty claim, not a quantity"),
    ("T-DM1 / T-DMI1", "two of them responded to T-DMI1", "drug name (T-DMI1 is extraction noise for T-DM1)"),
    ("double", "PHILA is a randomized, double-blind", "blinding category (Study.blinding), not a quantity"),
    ("C797S", "the C797S mutation symbolizes the main mechanism", "variant name"),
    ("PI3K / PD-L1", "downstream PI3K- AKT and MEK-ERK/MAPK pathways", "pathway and gene names"),
    (
        "first- and second-",
        "the drug-resistant mutations after first- and second-generation EGFR-TKIs",
        "drug-class names (the 10% of that sentence is listed)",
    ),
    ("a few", "Currently, a few completed and ongoing clinical research", "vague quantity, no figure"),
    ("few", "There are few reports on the efficacy and safety of pyrotinib", "vague quantity, no figure"),
)


# ---------------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------------
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")


def _normalize_token_text(text: str) -> str:
    text = text.lower().replace("×", "x").replace("–", " ").replace("-", " ")
    text = _NUMBER_WORD.sub(lambda match: _NUMBER_WORDS[match.group(1)], text)
    return normalize_space(text)


def _text_matches(needle: str, haystack: str) -> bool:
    pattern = r"(?<![\w./])" + re.escape(_normalize_token_text(needle)) + r"s?(?![\w/]|\.\d)"
    return re.search(pattern, _normalize_token_text(haystack)) is not None


def _describe(value: Value) -> str:
    if isinstance(value, bool):
        raise TypeError("booleans are not figures")
    if isinstance(value, Decimal | int):
        return f"number {number_text(value)}"
    return str(value)


@dataclass
class Values:
    """Structured values of a model's subtree."""

    numbers: set[str] = field(default_factory=set)  # exact published text, "30.0"
    strings: list[str] = field(default_factory=list)  # short structured strings
    dates: set[str] = field(default_factory=set)  # ISO partial dates

    def update(self, other: Values) -> None:
        self.numbers |= other.numbers
        self.strings += other.strings
        self.dates |= other.dates

    def holds(self, value: Value) -> bool:
        if isinstance(value, AnyOf):
            return any(self.holds(option) for option in value.options)
        if isinstance(value, Date):
            return value.value in self.dates
        if isinstance(value, Text):
            return any(_text_matches(value.value, string) for string in self.strings)
        return number_text(value) in self.numbers


@dataclass(frozen=True)
class Candidate:
    """A record (top-level or nested) with the paper quotes it may rely on and its values."""

    name: str
    quotes: tuple[str, ...]  # whitespace-normalised texts of quotes from the seed paper
    values: Values


def _reference_fields(model: BaseModel) -> set[str]:
    """Names of the fields of ``model`` itself that hold references to other records."""
    return {path.split("[")[0] for path, _, _ in iter_references(model) if "." not in path}


def _own_values(model: BaseModel) -> Values:
    """Structured values of ``model``'s own scalar fields (not those of nested models)."""
    values = Values()
    own_id = set() if isinstance(model, Xref) else {"id"}  # an Xref's id is an external id: a value
    skip = FREE_TEXT_FIELDS | own_id | _reference_fields(model)
    for name in type(model).model_fields:
        if name in skip:
            continue
        raw = getattr(model, name)
        for item in raw if isinstance(raw, tuple) else (raw,):
            if item is None or isinstance(item, bool | BaseModel):
                continue
            if isinstance(item, Decimal | int):
                values.numbers.add(number_text(item))
            elif isinstance(item, Enum):
                values.strings.append(str(item.value))
            elif isinstance(item, str):
                values.strings.append(item)
                if _PARTIAL_DATE.match(item):
                    values.dates.add(item)
    return values


def _children(model: BaseModel) -> Iterator[tuple[str, BaseModel]]:
    """Nested models of ``model`` (one level), quotes excluded."""
    for name in type(model).model_fields:
        raw = getattr(model, name)
        for index, item in enumerate(raw if isinstance(raw, tuple) else (raw,)):
            if isinstance(item, BaseModel) and not isinstance(item, Quote):
                yield (f"{name}[{index}]" if isinstance(raw, tuple) else name), item


def _own_quotes(model: BaseModel) -> list[Quote]:
    quotes: list[Quote] = []
    for name in type(model).model_fields:
        raw = getattr(model, name)
        quotes += [item for item in (raw if isinstance(raw, tuple) else (raw,)) if isinstance(item, Quote)]
    return quotes


class FigureIndex:
    """Every record of a corpus with the paper quotes it can rely on and its structured values."""

    def __init__(self, corpus: Corpus, text_file: str = PAPER_TEXT_FILE) -> None:
        self.paper_sources = {source.id for source in corpus.sources.values() if source.text_file == text_file}
        self.sources = corpus.sources
        self.candidates: list[Candidate] = []
        for record in corpus:
            self._visit(record, getattr(record, "id", "?"), ())

    def _cited_source_values(self, model: BaseModel) -> Values:
        """A Source has no quote: its year and ids count for the records that reference it."""
        values = Values()
        for path, ref, node_types in iter_references(model):
            if "." in path or NodeType.SOURCE not in node_types:
                continue  # nested models are visited on their own; quotes point at the paper
            source = self.sources.get(ref)
            if source is None or ref in self.paper_sources:
                continue
            values.update(_own_values(source))
            for _, child in _children(source):
                values.update(_own_values(child))
        return values

    def _visit(self, model: BaseModel, name: str, inherited: tuple[str, ...]) -> Values:
        quotes = inherited + tuple(
            normalize_space(" ".join(quote.spans()))
            for quote in _own_quotes(model)
            if quote.source in self.paper_sources
        )
        values = _own_values(model)
        values.update(self._cited_source_values(model))
        for child_path, child in _children(model):
            values.update(self._visit(child, f"{name}.{child_path}", quotes))
        self.candidates.append(Candidate(name, quotes, values))
        return values

    def check(self, figure: Figure) -> tuple[bool, str]:
        """Whether ``figure`` is carried; the witness record, or a report for the curator."""
        context = normalize_space(figure.context)
        quoting: list[tuple[Candidate, list[Value]]] = []
        for candidate in self.candidates:
            if not any(context in quote for quote in candidate.quotes):
                continue
            missing = [value for value in figure.values if not candidate.values.holds(value)]
            if not missing:
                return True, f"carried by {candidate.name}"
            quoting.append((candidate, missing))
        return False, self._report(figure, quoting)

    def _report(self, figure: Figure, quoting: list[tuple[Candidate, list[Value]]]) -> str:
        wanted = ", ".join(_describe(value) for value in figure.values)
        lines = [
            f"Figure {figure.figure!r} ({figure.id}) of Pan and Zhou 2024 is not carried by any record.",
            f"  context (verbatim in the paper): {figure.context!r}",
            f"  looked for: {wanted}",
        ]
        if quoting:
            lines.append("  records whose quotes contain the context, and what each lacks:")
            lines += [
                f"    - {candidate.name}: lacks {', '.join(_describe(value) for value in missing)}"
                for candidate, missing in quoting[:6]
            ]
        else:
            lines.append("  no record has a quote (quote / provenance) from the paper containing this context.")
        holders = [
            candidate.name
            for candidate in self.candidates
            if all(candidate.values.holds(value) for value in figure.values)
        ]
        if holders:
            lines.append(f"  records holding the value(s) but not quoting the context: {', '.join(holders[:6])}")
        lines.append(
            "  curator: on a record whose quote or provenance contains this context (an evidence item and its "
            "outcomes, a study, population, patient case or case event, a biomarker definition), put the value(s) in "
            "a structured field: numbers in numeric fields (outcome value / ci_level / ci_lower / ci_upper / p_value / "
            "numerator / denominator / range_low / range_high, sample_size, size, age, grade, cycles, threshold, "
            "year), dates as ISO partial dates in date / end_date, short strings in dose, stage, phase, timepoint, "
            "line_of_therapy, setting, prior_therapy_text, procedure, ctcae_version, registry_ids, date_text. "
            "Free-text fields (FREE_TEXT_FIELDS: statement, label, name, notes, finding, ...) do not count."
        )
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def paper_text() -> str:
    return normalize_space(PAPER_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figure_index(curated_corpus) -> FigureIndex:
    return FigureIndex(curated_corpus)


def test_figure_table_is_well_formed():
    ids = [figure.id for figure in FIGURES]
    assert len(ids) == len(set(ids)), "figure ids must be unique"
    for figure in FIGURES:
        assert figure.values, f"{figure.id}: no value to look for"
        assert normalize_space(figure.figure) in normalize_space(figure.context) or "..." in figure.figure, (
            f"{figure.id}: the figure {figure.figure!r} is not written in its context {figure.context!r}"
        )


def test_every_context_is_verbatim_and_unique_in_the_paper(paper_text):
    problems = []
    for figure in FIGURES:
        count = paper_text.count(normalize_space(figure.context))
        if count != 1:
            problems.append(f"{figure.id}: context {figure.context!r} occurs {count} times (want exactly 1)")
    assert not problems, "\n".join(problems)


def test_every_skipped_context_is_verbatim_in_the_paper(paper_text):
    problems = [
        f"{figure!r}: context {context!r} not in the paper"
        for figure, context, _ in SKIPPED
        if normalize_space(context) not in paper_text
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("figure", [pytest.param(figure, id=figure.id) for figure in FIGURES])
def test_paper_figure_is_carried_by_a_record(figure_index, figure):
    carried, report = figure_index.check(figure)
    if not carried:
        pytest.fail(report, pytrace=False)


def test_checker_rejects_a_fabricated_figure_in_a_real_context(figure_index):
    """The checker on the real corpus: a number the paper does not state in this context is not carried."""
    context = "22.2% (95% CI 10.6-40.8%)"
    for fabricated in (N("22.3"), N("40.9"), T("99 Gy"), D("2019-06-02")):
        carried, report = figure_index.check(F("fabricated", "22.2%", context, fabricated))
        assert not carried, f"checker accepted fabricated {fabricated}: {report}"
        assert "fabricated" in report
        assert context in report


# --- The checker on a small hand-built corpus ----------------------------------------------------
SRC = "src:figure-check-paper"


def _quote(text: str) -> Quote:
    return Quote(text=text, source=SRC, section="introduction")


def _toy_corpus() -> Corpus:
    source = Source(id=SRC, kind="journal_article", short_citation="Toy", text_file=PAPER_TEXT_FILE)
    cited = Source(id="src:figure-check-cited", kind="journal_article", short_citation="Cited", year=2016)
    other = Source(id="src:figure-check-other", kind="journal_article", short_citation="Other")
    item = EvidenceItem(
        id="ev:figure-check-orr",
        statement="ORR was 22.2% and the mOS 12.5 months; 51.9% were progression-free at 6 months.",
        evidence_type="predictive",
        direction="supports",
        significance="sensitivity_response",
        level="B",
        level_rationale="toy",
        outcomes=(
            Outcome(
                measure="orr",
                value=N("22.2"),
                unit="percent",
                ci_level=N("95"),
                ci_lower=N("10.6"),
                ci_upper=N("40.8"),
            ),
            Outcome(measure="pfs_median", value=N("30"), unit="months"),
        ),
        cites=("src:figure-check-cited",),
        quote=_quote("the ORR of 22.2% (95% CI 10.6-40.8%) (20). University of Colorado in 2016"),
    )
    unquoted = EvidenceItem(
        id="ev:figure-check-unquoted",
        statement="x",
        evidence_type="predictive",
        direction="supports",
        significance="sensitivity_response",
        level="B",
        level_rationale="toy",
        outcomes=(Outcome(measure="os_median", value=N("12.5"), unit="months"),),
        quote=_quote("an unrelated sentence"),
    )
    wrong_source = EvidenceItem(
        id="ev:figure-check-other-source",
        statement="x",
        evidence_type="predictive",
        direction="supports",
        significance="sensitivity_response",
        level="B",
        level_rationale="toy",
        outcomes=(Outcome(measure="orr", value=N("51.9"), unit="percent"),),
        quote=Quote(text="treated with pyrotinib is 51.9%", source="src:figure-check-other", section="abstract"),
    )
    study = Study(
        id="study:figure-check",
        name="NCT00000000",
        design="randomized_controlled_trial",
        phase="III",
        sources=(SRC,),
        provenance=(_quote("multi-center phase III clinical trial. The Phase II study of trastuzumab"),),
    )
    case = PatientCase(
        id="case:figure-check",
        label="50 year old woman, surgery 2019-06-01",
        source=SRC,
        disease="disease:nsclc",
        events=(
            CaseEvent(
                id="event:figure-check-surgery",
                kind="surgery",
                label="lobectomy",
                date="2019-06-01",
                quote=_quote("lobectomy was performed in the local hospital on 01 June 2019"),
            ),
            CaseEvent(
                id="event:figure-check-imrt",
                kind="radiotherapy",
                label="IMRT 45 Gy in 10 fractions on 2022-12-20",
                finding="45 Gy",
                date="2022-12",
                quote=_quote("IMRT for the brain tumor (45 Gy in 10 fractions) on 20 December 2022"),
            ),
        ),
    )
    return Corpus.from_records([source, cited, other, item, unquoted, wrong_source, study, case])


@pytest.fixture(scope="module")
def toy_index() -> FigureIndex:
    return FigureIndex(_toy_corpus())


@pytest.mark.parametrize(
    ("context", "values", "expected"),
    [
        pytest.param("the ORR of 22.2%", (N("22.2"),), True, id="outcome-value-under-enclosing-quote"),
        pytest.param("22.2% (95% CI 10.6-40.8%)", (CI95, N("10.6"), N("40.8")), True, id="ci-all-bounds"),
        pytest.param("22.2% (95% CI 10.6-40.8%)", (N("10.6"), N("40.7")), False, id="ci-one-bound-wrong"),
        pytest.param("the ORR of 22.2%", (N("22.3"),), False, id="fabricated-number"),
        pytest.param("the ORR of 22.2%", (N("22.20"),), False, id="number-text-must-match-exactly"),
        pytest.param("the ORR of 22.2%", (N("30.0"),), False, id="30-is-not-30.0"),
        pytest.param("the ORR of 22.2%", (N("12.5"),), False, id="number-only-in-statement-or-other-record"),
        pytest.param("treated with pyrotinib is 51.9%", (N("51.9"),), False, id="quote-from-another-source"),
        pytest.param("University of Colorado in 2016", (2016,), True, id="year-of-a-cited-source"),
        pytest.param("multi-center phase III clinical trial", (T("III"),), True, id="phase-iii"),
        pytest.param("The Phase II study of trastuzumab", (T("II"),), False, id="ii-does-not-match-iii"),
        pytest.param("multi-center phase III", (T("NCT00000000"),), False, id="study-name-is-a-label"),
        pytest.param("on 01 June 2019", (D("2019-06-01"),), True, id="event-date"),
        pytest.param("on 01 June 2019", (D("2019-06"),), False, id="date-precision-must-match"),
        pytest.param("(45 Gy in 10 fractions)", (T("45 Gy"),), False, id="dose-only-in-label-and-finding"),
        pytest.param("on 20 December 2022", (D("2022-12-20"),), False, id="date-only-in-label"),
        pytest.param("on 20 December 2022", (AnyOf((D("2022-12-20"), D("2022-12"))),), True, id="any-of"),
        pytest.param("a sentence no record quotes", (N("22.2"),), False, id="context-not-quoted"),
    ],
)
def test_checker_on_a_hand_built_corpus(toy_index, context, values, expected):
    carried, report = toy_index.check(Figure("toy", "toy", context, values))
    assert carried is expected, report


def test_failure_report_names_figure_context_and_fix(toy_index):
    carried, report = toy_index.check(F("toy-orr", "22.2%", "the ORR of 22.2%", N("22.3")))
    assert not carried
    assert "'22.2%' (toy-orr)" in report
    assert "'the ORR of 22.2%'" in report
    assert "number 22.3" in report
    assert "ev:figure-check-orr" in report  # the record that quotes the context but lacks the value
    assert "curator:" in report


@pytest.mark.parametrize(
    ("needle", "haystack", "expected"),
    [
        ("first line", "first-line", True),
        ("first line", "second-line", False),
        ("6 month", "6 months", True),
        ("1 year", "for one year", True),
        ("II", "III", False),
        ("II", "I/II", False),
        ("IV", "stage IIIB or IV", True),
        ("1.1", "RECIST 1.1", True),
        ("1.1", "11.1", False),
        ("5.0", "5.01", False),
        ("NCT02675829", "clinicaltrials:NCT02675829", True),
        ("2.5 cm x 3 cm", "2.5 cm × 3 cm", True),
    ],
)
def test_text_matching(needle, haystack, expected):
    assert _text_matches(needle, haystack) is expected


@pytest.mark.parametrize(
    ("figure_id", "figure", "context", "count", "rule"), STRUCTURAL, ids=[s[0] for s in STRUCTURAL]
)
def test_category_count_is_carried_by_structure(curated_corpus, paper_text, figure_id, figure, context, count, rule):
    assert normalize_space(context) in normalize_space(paper_text)
    quoting = [
        record
        for record in curated_corpus
        for quote in _own_quotes(record)
        if normalize_space(context) in normalize_space(" ".join(quote.spans()))
    ]
    assert quoting, f"{figure_id}: no record quotes {context!r}"
    if rule == "children":
        counts = [
            sum(1 for other in curated_corpus if record.id in getattr(other, "parents", ())) for record in quoting
        ]
    else:
        counts = [len(getattr(record, "alterations", ())) for record in quoting]
    assert count in counts, (
        f"{figure_id}: {figure!r} ({count}) should be carried as {rule} of a record quoting {context!r}; "
        f"found {counts} among {[r.id for r in quoting]}"
    )
