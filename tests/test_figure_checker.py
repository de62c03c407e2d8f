"""The figure checker of ``tests/fixtures/figures.py`` on a small hand-built corpus: it accepts and refuses rightly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.model import Corpus, EvidenceItem, Outcome, Quote, Source
from kg.model.cases import CaseEvent, PatientCase
from kg.model.studies import Study
from tests.fixtures.figures import PAPER_TEXT_FILE, AnyOf, Date, Figure, FigureIndex, Text, Value, text_matches


def F(figure_id: str, figure: str, context: str, *values: Value) -> Figure:
    return Figure(figure_id, figure, context, values)


def T(value: str) -> Text:
    return Text(value)


def D(value: str) -> Date:
    return Date(value)


def N(value: str) -> Decimal:
    return Decimal(value)


CI95 = N("95")


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
    assert text_matches(needle, haystack) is expected
