"""CIViC outcomes, read from each evidence statement by the one results grammar (:mod:`kg.reader.results`).

CIViC statements are free text written by curators ("the objective
response rate was 53% (95% CI 44-62%)", "median PFS 14.2 versus 8.1
months; HR = 0.51, 95% CI 0.38-0.69"). The grammar that reads new papers
for ``kg propose`` reads them too, so there is one extractor and one set
of rules: figures with every number as written, their span, CI level,
p-value and comparator, the arm as written, a rate's timepoint and an
adverse event's grade. Places the grammar cannot read without guessing are
dropped there, never guessed.

Each figure becomes an :class:`~kg.model.Outcome` marked
``machine_extracted`` with an :class:`~kg.model.outcomes.OutcomeExtraction`
naming the extractor, its version and the span of the statement. A figure
is not kept when one of its numbers is not written in plain digits
("0·62", "eleven"), except a p-value ("P=2.61E-7", "P = .013"), which is
left out of the outcome instead: the corpus check
``kg.curation.validate.check_outcome_numbers`` requires every stored
number to appear in the quote exactly as stored, and a converted number
would not; such figures are counted, not silently lost: every figure read
but not kept, and every p-value left out, is a :class:`NotKept` with its
reason, and the import report counts them by reason
(:attr:`~kg.civic.report.CivicReport.outcomes_not_kept`).

Only measures the grammar reads in CIViC's prose with a precision of at
least 0.95 on the hand-labelled tuning statements become outcomes in the
import (:data:`IMPORTED_MEASURES`): a wrong number shown in the graph is
worse than a missing one. The others (ORR, counts, proportions, PR rate,
DOR, OS rate, time to an event: 0.75-0.95 there) are read, counted in
``not_kept`` with that reason, and still proposed by ``kg propose``, where a
curator checks every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kg.core.text import number_text, numbers_in_text
from kg.curation.cache import KeptValues, fingerprint, kept_values
from kg.model import Outcome
from kg.model.outcomes import ExtractionMethod, OutcomeExtraction
from kg.model.terms import OutcomeMeasure
from kg.reader.figures import EXTRACTOR, EXTRACTOR_VERSION, Figure
from kg.reader.results import extract_figures

__all__ = [
    "IMPORTED_MEASURES",
    "NOT_KEPT_REASONS",
    "NotKept",
    "StatementOutcomes",
    "extract_outcomes",
    "outcomes_by_statement",
    "read_outcomes",
]

#: Measures kept as CIViC outcomes: precision >= 0.95 over the tuning statements of tests/data/civic_figures.yaml
#: (split tune) and tests/data/civic_figures_extra.yaml together, as `kg eval figures` measured them for extractor
#: 2026-12-03 (HR 44/44 figures right, mPFS 65/66, mOS 43/44, CR rate 14/14, PFS rate 11/11, TTP 10/10, OR 6/6, ...).
#: Extractor 1.1.0 reads adverse-event rates named without "adverse" too: 1/1 right on the tune half, no false alarm
#: on the extra set, 13/13 on tests/data/civic_figures_written.yaml (15 labelled), so the measure stays imported.
IMPORTED_MEASURES = frozenset(
    {
        OutcomeMeasure.HAZARD_RATIO,
        OutcomeMeasure.ODDS_RATIO,
        OutcomeMeasure.RISK_RATIO,
        OutcomeMeasure.PFS_MEDIAN,
        OutcomeMeasure.OS_MEDIAN,
        OutcomeMeasure.TTP_MEDIAN,
        OutcomeMeasure.PFS_RATE,
        OutcomeMeasure.EFS_RATE,
        OutcomeMeasure.RFS_RATE,
        OutcomeMeasure.CR_RATE,
        OutcomeMeasure.CBR,
        OutcomeMeasure.DCR,
        OutcomeMeasure.ADVERSE_EVENT_RATE,
    }
)

_DECIMALS = ("value", "range_low", "range_high", "ci_level", "ci_lower", "ci_upper", "p_value")


BELOW_BAR = "measure below the import's precision bar"
NOT_PLAIN = "a number not written in plain digits"
NO_GROUP_SIZE = "a count without its group size"
INVALID = "not a valid outcome"
P_LEFT_OUT = "p-value left out of a kept outcome (not storable as written)"
#: Why a figure read from a statement is not (or not wholly) kept as an outcome: the keys of the report's counts.
NOT_KEPT_REASONS = (BELOW_BAR, NOT_PLAIN, NO_GROUP_SIZE, INVALID, P_LEFT_OUT)


@dataclass(frozen=True)
class NotKept:
    """A figure read but not kept as an outcome (or kept without its p-value): the reason, and the note saying so.

    ``reason`` is one of :data:`NOT_KEPT_REASONS`, what the import report
    counts; ``note`` names the figure, as written, for a curator.
    """

    reason: str
    note: str

    def __str__(self) -> str:
        return self.note


@dataclass(frozen=True)
class StatementOutcomes:
    """The outcomes read from one statement, and how many figures were dropped or not kept, and why."""

    outcomes: tuple[Outcome, ...]
    dropped: int  # places the grammar refused to read (ambiguous)
    not_kept: tuple[NotKept, ...]  # figures read but not storable as outcomes, each with the reason


def _outcome(figure: Figure, stated: set[str]) -> tuple[Outcome | None, NotKept | None]:
    """The figure as a machine-extracted Outcome (or None), and what was not kept of it, and why.

    A p-value that cannot be stored as written ("P=2.61E-7", "P = 1.2 x 10-5",
    "P = .013", whose stored form would be 0.013) is left out of an outcome that
    is otherwise as written, rather than losing the figure, and the note says so.
    """
    found = {name: figure.number(name) for name in _DECIMALS}
    numbers = {name: value for name, value in found.items() if value is not None}
    counts = {name: figure.number(name) for name in ("numerator", "denominator")}
    written = {**numbers, **{name: value for name, value in counts.items() if value is not None}}
    hidden = [name for name, value in written.items() if number_text(value) not in stated]
    p_left_out = hidden == ["p_value"]
    if p_left_out:  # "P=2.61E-7": the figure stands without its p-value, which stays in the quote
        del numbers["p_value"]
    elif hidden:
        return None, NotKept(NOT_PLAIN, f"{', '.join(hidden)} not written in plain digits in {figure.text!r}")
    fields: dict[str, Any] = {
        "measure": figure.measure,
        "unit": figure.unit,
        "value_comparator": figure.value_comparator,
        "timepoint": figure.timepoint,
        "arm_as_written": figure.arm,
        "grade_as_written": figure.grade,
        "label": figure.label,
        "machine_extracted": True,
        "extraction": OutcomeExtraction(
            method=ExtractionMethod.MACHINE_EXTRACTED,
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            span_start=figure.start,
            span_end=figure.end,
            span_text=figure.text,
        ),
        **numbers,
    }
    if figure.p_comparator is not None and not p_left_out:
        fields["p_comparator"] = figure.p_comparator
    k, n = counts["numerator"], counts["denominator"]
    if k is not None and n is not None:
        fields["numerator"], fields["denominator"] = int(k), int(n)
    elif k is not None:
        return None, NotKept(NO_GROUP_SIZE, f"a count without its group size in {figure.text!r}")
    try:
        outcome = Outcome(**fields)
    except ValidationError as error:
        return None, NotKept(INVALID, f"{error.errors()[0]['msg']} in {figure.text!r}")
    if p_left_out:
        return outcome, NotKept(
            P_LEFT_OUT,
            f"p_value left out of the outcome: not storable as written (a power of ten, no leading zero) in {figure.text!r}",
        )
    return outcome, None


def read_outcomes(statement: str) -> StatementOutcomes:
    """Outcomes of ``statement`` (each machine-extracted, with its span) and what was left out."""
    extraction = extract_figures(statement)
    stated = numbers_in_text(statement)
    outcomes: list[Outcome] = []
    not_kept: list[NotKept] = []
    for figure in extraction.figures:
        if figure.measure not in IMPORTED_MEASURES:
            note = f"{figure.measure} is below the import's precision bar (IMPORTED_MEASURES): {figure.text!r}"
            not_kept.append(NotKept(BELOW_BAR, note))
            continue
        outcome, left_out = _outcome(figure, stated)
        if outcome is not None:
            outcomes.append(outcome)
        if left_out is not None:
            not_kept.append(left_out)
    return StatementOutcomes(tuple(outcomes), len(extraction.dropped), tuple(not_kept))


def extract_outcomes(statement: str) -> tuple[Outcome, ...]:
    """Outcomes stated in ``statement`` (possibly none), each machine-extracted with its span."""
    return read_outcomes(statement).outcomes


def outcomes_by_statement(statements: Iterable[str]) -> KeptValues[str, StatementOutcomes]:
    """:func:`read_outcomes` of each statement, kept between imports in the corpus cache.

    The grammar is nearly all of an import's time (benchmarks/RESULTS.md,
    "CIViC import"), and what it reads depends on the statement and on the
    code alone, so each statement's reading (its outcomes and what was not
    kept of its figures, which the import report counts) is kept under a
    :func:`~kg.curation.cache.fingerprint` of evidence-kg's source (which
    holds the grammar and ``EXTRACTOR_VERSION``): importing the same release
    again, or a release that changes a few statements, parses only the
    statements not seen by this code before. A statement whose outcomes fail
    their own checks is not kept: the importer reads it again under its row
    and reports the error there. The importer saves what was new
    (:meth:`~kg.curation.cache.KeptValues.save`) only once the import has
    succeeded: a refused import writes nothing.
    """

    def reading(statement: str) -> StatementOutcomes | None:
        try:
            return read_outcomes(statement)
        except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError: reported by the importer
            return None

    key = fingerprint((), salt=EXTRACTOR_VERSION)
    return kept_values("civic-outcomes", key, dict.fromkeys(statements), reading)
