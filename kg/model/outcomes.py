"""Outcomes: published numbers kept as numbers, with CI, p-value, arm and population.

Numbers are :class:`~decimal.Decimal`, read from the data file's text, so
"30.0" stays "30.0" and "0.0001" never becomes 9.999e-05. A number written
with a qualifier keeps it: ``P<0.0001`` is ``p_value=0.0001,
p_comparator="<"``; "below 20%" is ``value=20, value_comparator="<"``; a
published range ("80-90%") is ``range_low``/``range_high``, never a CI.

An outcome a program read from free text (the CIViC import, through the
results grammar of :mod:`kg.reader.results`) carries an
:class:`OutcomeExtraction`: method ``machine_extracted``, the extractor's
name and version, and the span of the statement it rests on, so a reader
can tell it from a curated outcome (no extraction record, or method
``curated``) in the API, the RDF and the graph view, and check the span.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from kg.core.vocab import NodeType
from kg.model.base import Record, Ref
from kg.model.rules import Violations
from kg.model.terms import OUTCOME_MEASURE_LABELS, Comparator, OutcomeMeasure, ResponseCategory, Unit

__all__ = ["ExtractionMethod", "Outcome", "OutcomeExtraction"]


class ExtractionMethod(StrEnum):
    """How an outcome's numbers were read from its text."""

    CURATED = "curated"  # typed by a curator from the source
    MACHINE_EXTRACTED = "machine_extracted"  # read by a program (the results grammar) from free text


class OutcomeExtraction(Record):
    """Where an outcome's numbers come from: by whom or what, and the span of the text they rest on.

    ``span_start``/``span_end`` are character offsets into the evidence
    item's quote text, and ``span_text`` is exactly ``quote[span_start:span_end]``, so the span can be
    checked and shown highlighted.
    """

    method: ExtractionMethod = Field(description="curated (by a person) or machine_extracted (by a program).")
    extractor: str | None = Field(default=None, description="Program that read the outcome ('kg.reader.results').")
    extractor_version: str | None = Field(default=None, description="Version of that program ('1.1.0').")
    span_start: int | None = Field(default=None, ge=0, description="Start offset of the span in the quote text.")
    span_end: int | None = Field(
        default=None, ge=0, description="End offset (exclusive) of the span in the quote text."
    )
    span_text: str | None = Field(default=None, description="The span's text, verbatim: quote[span_start:span_end].")

    @model_validator(mode="after")
    def _check_span(self) -> OutcomeExtraction:
        """A machine extraction names its extractor and version and its span; a span has start ≤ end."""
        problems = Violations()
        if self.method is ExtractionMethod.MACHINE_EXTRACTED:
            for name in ("extractor", "extractor_version", "span_start", "span_end", "span_text"):
                if getattr(self, name) is None:
                    problems.add(name, f"a {name} for a machine_extracted outcome")
        start, end, text = self.span_start, self.span_end, self.span_text
        if (start is None) != (end is None):
            problems.add("span_start", "both span_start and span_end, or neither")
        elif start is not None and end is not None:
            if start > end:
                problems.add("span_start", f"span_start ≤ span_end ({end})", start)
            elif text is not None and len(text) != end - start:
                problems.add("span_text", f"a text of span_end - span_start = {end - start} characters", text)
        problems.raise_if_any(type(self).__name__)
        return self


class Outcome(Record):
    """One measured result: a rate, a median, a hazard ratio, a proportion, a count or a response."""

    node_type: ClassVar[NodeType] = NodeType.OUTCOME
    measure: OutcomeMeasure = Field(description="What is measured (closed vocabulary).")
    value: Decimal | None = Field(default=None, description="Point value exactly as published.")
    value_comparator: Comparator = Field(
        default=Comparator.EQ,
        description="Qualifier of the value, or of the range when there is no value "
        "('<' for 'below 20%', '~' for 'approximately 50-60%').",
    )
    range_low: Decimal | None = Field(default=None, description="Lower end of a published range ('80' of '80-90%').")
    range_high: Decimal | None = Field(default=None, description="Upper end of a published range.")
    unit: Unit = Field(description="Unit of value, range and CI.")
    ci_level: Decimal | None = Field(default=None, description="Confidence level of the interval, in percent (95).")
    ci_lower: Decimal | None = Field(default=None, description="Lower bound of the confidence interval.")
    ci_upper: Decimal | None = Field(default=None, description="Upper bound of the confidence interval.")
    p_value: Decimal | None = Field(default=None, ge=0, le=1, description="p-value, as published.")
    p_comparator: Comparator = Field(default=Comparator.EQ, description="Qualifier of the p-value ('<' in P<0.0001).")
    numerator: int | None = Field(default=None, ge=0, description="k of a published 'k of n'.")
    denominator: int | None = Field(default=None, ge=1, description="n of a published 'k of n'.")
    response: ResponseCategory | None = Field(default=None, description="RECIST category, for best_response.")
    timepoint: str | None = Field(default=None, description="Timepoint of a rate ('6 months', '5 years').")
    arm: Annotated[str, Ref(NodeType.ARM)] | None = Field(default=None, description="Arm the outcome was measured in.")
    comparator_arm: Annotated[str, Ref(NodeType.ARM)] | None = Field(
        default=None, description="Arm compared against (for hazard ratios and p-values)."
    )
    arm_as_written: str | None = Field(
        default=None,
        description="The arm or group as the text names it ('in the dacarbazine group'), "
        "when no arm record exists (CIViC statements).",
    )
    population: Annotated[str, Ref(NodeType.POPULATION)] | None = Field(
        default=None, description="Population or subgroup the outcome was measured in."
    )
    grade_as_written: str | None = Field(
        default=None, description="Adverse-event grade as written, for the rate of an adverse event ('≥3')."
    )
    label: str | None = Field(
        default=None, description="What exactly the number is of, when the measure alone is vague."
    )
    machine_extracted: bool = Field(
        default=False, description="True when the outcome was extracted by a program from free text (CIViC)."
    )
    extraction: OutcomeExtraction | None = Field(
        default=None,
        description="How the numbers were read: machine_extracted (extractor, version, span) or curated.",
    )

    def measure_label(self) -> str:
        """Short display name of the measure ('mPFS', 'HR')."""
        return OUTCOME_MEASURE_LABELS[self.measure]

    def numbers(self) -> dict[str, Decimal | int]:
        """Every number of this outcome by field name, for checks and display."""
        fields = ("value", "range_low", "range_high", "ci_lower", "ci_upper", "p_value", "numerator", "denominator")
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}

    @model_validator(mode="after")
    def _check_consistency(self) -> Outcome:
        """CI lower ≤ value ≤ CI upper, ranges ordered, k ≤ n, and each measure has what it needs.

        A rule of the outcome alone, so an outcome built in code (the CIViC
        extractor) is held to it as one read from a data file is.
        """
        problems = Violations()
        if (self.ci_lower is None) != (self.ci_upper is None):
            problems.add("ci_lower", "both ci_lower and ci_upper, or neither")
        if self.ci_level is not None and self.ci_lower is None:
            problems.add("ci_level", "a ci_level only together with ci_lower and ci_upper")
        if self.ci_lower is not None and self.ci_upper is not None:
            if self.ci_lower > self.ci_upper:
                problems.add("ci_lower", f"ci_lower ≤ ci_upper ({self.ci_upper})", self.ci_lower)
            if self.value is not None and not self.ci_lower <= self.value <= self.ci_upper:
                problems.add(
                    "value", f"a value inside its confidence interval [{self.ci_lower}, {self.ci_upper}]", self.value
                )
        if (self.range_low is None) != (self.range_high is None):
            problems.add("range_low", "both range_low and range_high, or neither")
        elif self.range_low is not None and self.range_high is not None and self.range_low > self.range_high:
            problems.add("range_low", f"range_low ≤ range_high ({self.range_high})", self.range_low)
        if (self.numerator is None) != (self.denominator is None):
            problems.add("numerator", "both numerator and denominator (k of n), or neither")
        elif self.numerator is not None and self.denominator is not None and self.numerator > self.denominator:
            problems.add("numerator", f"k ≤ n (n = {self.denominator})", self.numerator)
        if self.measure is OutcomeMeasure.BEST_RESPONSE:
            if self.response is None:
                problems.add("response", "a RECIST response category for measure best_response")
        elif self.value is None and self.range_low is None and self.numerator is None:
            problems.add("value", f"a value, a range or k of n for measure {self.measure.value}")
        if self.extraction is not None:
            machine = self.extraction.method is ExtractionMethod.MACHINE_EXTRACTED
            if machine != self.machine_extracted:
                problems.add("machine_extracted", f"{machine} for an extraction of method {self.extraction.method}")
        if self.measure is OutcomeMeasure.COUNT and self.numerator is None:
            problems.add("numerator", "k of n (numerator and denominator) for measure count")
        problems.raise_if_any(type(self).__name__)
        return self
