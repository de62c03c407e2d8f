"""What the results grammar finds: figures with every number as written, and what it refused to guess.

A :class:`Figure` is one reported result ("ORR was 22.2% (95% CI
10.6-40.8)") with its measure, its numbers as the text writes them
(strings: "0·62" stays "0·62", "eleven" stays "eleven"), and its span in
the text, so a curator sees exactly what it rests on and a test can check
that ``text[start:end] == figure.text``. A :class:`Dropped` is a place
where figures were stated but could not be read without guessing (two
values for three measures, a value outside its own CI): precision matters
more than recall, and the count of dropped figures is reported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from kg.reader.tokens import number_value

__all__ = ["EXTRACTOR", "EXTRACTOR_VERSION", "Dropped", "Extraction", "Figure", "check_figure"]

#: Name and version of the results grammar, recorded with every machine-extracted outcome.
EXTRACTOR = "kg.reader.results"
#: 1.1.0: adverse-event rates named without the word "adverse" and "OR" defined as the objective response
#: (outputs of 1.0.0 otherwise unchanged on every CIViC statement).
#: 1.2.0: counts written as k/n or "k of n" with no finding verb ("tumor regression in 2 of 4 patients"); k/n that
#: are dates, protein names, lab clones or allocations are never counts (one more CIViC outcome imported: a
#: control arm's adverse-event rate, "121 of 225 in the placebo plus erlotinib group").
#: 1.3.0: lists of alterations with bracketed counts ("MYB (n=44) or MYBL1 (n=2) alterations"), elliptic response
#: lists ("two had a CR and five a PR"), a response count's share written apart, other arms' values set against a
#: figure ("while the control group had 10%"), a CI after an arm, ranges joined by "to", time to response and
#: duration of treatment, a patient's death as their OS, "CR or PR" as the objective response; no time to an event
#: for thresholds, sampling times, subgroup definitions or a share's timepoint; relative counts ("five of whom had").
#: 1.4.0 (wording of a fresh sample, tests/data/civic_figures_extra2.yaml): "partial or complete response" is the
#: objective response, as "complete or partial response" was; a count's share written after it ("(17/253; 6.7%)",
#: "79%, or 31 out of the 39"), later with its CI, or bracketed after where responses were seen; ratios "for" an
#: endpoint ("HR for OS 1.72"), "hazard ratio [HR]", no figure for a reference ratio "vs 1"; a comparison repeated
#: for another subgroup, "60mo"; no value linked by a comma after a value passed over, commas between compared
#: values after "compared to"; another arm's count of responders; figures inside a value's bracket ("6% with a
#: complete response"); response measures defined in brackets ("DCR (CR, PR or SD) was 62%"); values by group
#: after semicolons ("KRAS mutant: 17.7 months; KRAS WT: 10.8 months"); a median's range after a comma; lists of
#: timepoints are no times to an event; an adverb after "and" starts the next arm's value.
#: 1.5.0 (issue 15's closing note; tuned on the tuning sets, measured on the held-out civic_figures_extra3.yaml): lists
#: of response rates and endpoints closed by "and" ("ORR, DCR and mPFS were 30%, 70% and 5.1 months"); a "(95% CI)"
#: header before the values; a bracket of values each after its group's name ("(TT 130 months; TC 100 months)");
#: a count's "(37% of 41)"; "Twenty eight" as one number; a count written twice ("nine patients ... (9/102)"); a
#: group size is never a subject count ("..., 803 patients had ..."); qualifiers with a bracketed name, not a
#: "who" clause; "N months later" after an event, "At N months, the patient died", "passed away", "at month 14",
#: "By day 106"; "survival time", leukemia-free survival as DFS; another group's value after "than" or "better
#: with X (71%"; a count's share after an aside; "at 5.6 months" is a value, not a timepoint; "free for 7 months".
#: 1.5.1: a response rate's plural names it ("response rates (ORR) were 15/21", "disease control rates were 70%"), and
#: "response rate (RR)" defines RR as the response rate for the whole text, never a relative risk there.
EXTRACTOR_VERSION = "1.5.1"

_NUMBER_FIELDS = ("value", "range_low", "range_high", "ci_level", "ci_lower", "ci_upper", "p_value")


@dataclass(frozen=True)
class Figure:
    """One reported result; every number is a string exactly as written in ``text``."""

    measure: OutcomeMeasure
    text: str
    start: int
    end: int
    unit: Unit
    value: str | None = None
    value_comparator: Comparator = Comparator.EQ
    range_low: str | None = None
    range_high: str | None = None
    ci_level: str | None = None
    ci_lower: str | None = None
    ci_upper: str | None = None
    p_value: str | None = None
    p_comparator: Comparator | None = None
    numerator: str | None = None
    denominator: str | None = None
    timepoint: str | None = None
    arm: str | None = None
    grade: str | None = None
    label: str | None = None

    def number(self, name: str) -> Decimal | None:
        """A number field as a Decimal ("0·62" → 0.62, "eleven" → 11), for checks and comparisons."""
        text = getattr(self, name)
        return None if text is None else number_value(text)

    def numbers(self) -> dict[str, Decimal]:
        """Every number of the figure as a Decimal, by field name."""
        found = {name: self.number(name) for name in (*_NUMBER_FIELDS, "numerator", "denominator")}
        return {name: value for name, value in found.items() if value is not None}

    def shown_value(self) -> str | None:
        """The value as one string: the value, else the range ("80-90"), else the count's k."""
        if self.value is not None:
            return self.value
        if self.range_low is not None and self.range_high is not None:
            return f"{self.range_low}-{self.range_high}"
        return self.numerator

    def to_outcome_json(self) -> dict[str, Any]:
        """The outcome as ``kg propose --json`` prints it (values as strings, as written)."""
        return {
            "measure": self.measure.value,
            "value": self.shown_value(),
            "unit": self.unit.value,
            "ci_lower": self.ci_lower,
            "ci_upper": self.ci_upper,
            "ci_level": self.ci_level,
            "p_value": self.p_value,
            "p_comparator": self.p_comparator.value if self.p_comparator is not None else None,
            "arm": self.arm,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }

    def to_dict(self) -> dict[str, Any]:
        """Every field, enums as their values, unset fields left out."""
        data = asdict(self)
        for key, value in list(data.items()):
            if hasattr(value, "value"):
                data[key] = value.value
        return {
            key: value
            for key, value in data.items()
            if value is not None and not (key == "value_comparator" and value == "=")
        }


@dataclass(frozen=True)
class Dropped:
    """A place where figures are stated but could not be read without guessing, and why."""

    reason: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """The figures of a text, left to right, and the ambiguous places that were dropped."""

    figures: tuple[Figure, ...]
    dropped: tuple[Dropped, ...]


def check_figure(figure: Figure) -> str | None:
    """Why a figure cannot be right (a share above 100%, a value outside its CI, k above n), or None."""
    numbers = figure.numbers()
    value = numbers.get("value")
    if figure.unit is Unit.PERCENT and any(numbers[name] > 100 for name in ("value", "range_high") if name in numbers):
        return "a percentage above 100"
    if figure.unit is Unit.RATIO and value is not None and value <= 0:
        return "a ratio that is not positive"
    lower, upper = numbers.get("ci_lower"), numbers.get("ci_upper")
    exact = figure.value_comparator is Comparator.EQ
    if value is not None and lower is not None and upper is not None and exact and not lower <= value <= upper:
        return f"the value {figure.value} lies outside its CI {figure.ci_lower}-{figure.ci_upper}"
    k, n = numbers.get("numerator"), numbers.get("denominator")
    if k is not None and n is not None:
        if k > n:
            return f"{figure.numerator} of {figure.denominator}: more than all"
        if value is not None and figure.unit is Unit.PERCENT and n > 0 and abs(k * 100 / n - value) > 1:
            return f"{figure.numerator} of {figure.denominator} is not {figure.value}%"
    return None
