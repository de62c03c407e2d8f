"""How records read to a person: labels and one-line outcomes.

One place decides that an outcome reads "mPFS 24.3 months (95% CI …)"
or "HR 0.41 (95% CI 0.32–0.53; p<0.0001)", so the CLI, the API summary,
the graph view and the notebook all show numbers the same way, and always
exactly as published.
"""

from __future__ import annotations

from decimal import Decimal

from kg.core.text import number_text
from kg.model import Outcome, Record
from kg.model.terms import Comparator, Unit

__all__ = ["format_ci", "format_p", "format_value", "outcome_label", "record_label"]

_UNIT_SUFFIX = {
    Unit.PERCENT: "%",
    Unit.DAYS: " days",
    Unit.WEEKS: " weeks",
    Unit.MONTHS: " months",
    Unit.YEARS: " years",
    Unit.RATIO: "",
    Unit.PATIENTS: " patients",
    Unit.NONE: "",
}


def record_label(record: Record) -> str:
    """Display label of any record."""
    for attribute in ("label", "name", "short_citation", "summary"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    statement = getattr(record, "statement", None)
    if isinstance(statement, str) and statement:
        return statement if len(statement) <= 90 else statement[:89] + "…"
    return str(getattr(record, "id", "?"))


def _comparator_prefix(comparator: Comparator) -> str:
    return "" if comparator is Comparator.EQ else comparator.value


def format_value(outcome: Outcome) -> str:
    """The value part of an outcome: '24.3 months', '<20%', '80–90%', '5/175 (3%)'."""
    suffix = _UNIT_SUFFIX[outcome.unit]
    parts: list[str] = []
    if outcome.value is not None:
        parts.append(f"{_comparator_prefix(outcome.value_comparator)}{number_text(outcome.value)}{suffix}")
    elif outcome.range_low is not None and outcome.range_high is not None:
        prefix = _comparator_prefix(outcome.value_comparator)
        parts.append(f"{prefix}{number_text(outcome.range_low)}–{number_text(outcome.range_high)}{suffix}")
    if outcome.numerator is not None and outcome.denominator is not None:
        count = f"{outcome.numerator}/{outcome.denominator}"
        parts = [f"{count} ({parts[0]})"] if parts else [count]
    if outcome.response is not None:
        parts.append(outcome.response.value.replace("_", " "))
    return " ".join(parts)


def format_ci(outcome: Outcome) -> str | None:
    """'95% CI 0.32–0.53', or None when there is no interval."""
    if outcome.ci_lower is None or outcome.ci_upper is None:
        return None
    level = f"{number_text(outcome.ci_level)}% CI" if outcome.ci_level is not None else "CI"
    return f"{level} {number_text(outcome.ci_lower)}–{number_text(outcome.ci_upper)}"


def format_p(p_value: Decimal | None, comparator: Comparator) -> str | None:
    """'p<0.0001', or None when there is no p-value."""
    if p_value is None:
        return None
    sign = "=" if comparator is Comparator.EQ else comparator.value
    return f"p{sign}{number_text(p_value)}"


def outcome_label(outcome: Outcome) -> str:
    """One line: measure, value, CI and p-value, e.g. 'HR 0.41 (95% CI 0.32–0.53; p<0.0001)'."""
    name = outcome.measure_label()
    if outcome.timepoint:
        name = f"{name} at {outcome.timepoint}"
    details = [part for part in (format_ci(outcome), format_p(outcome.p_value, outcome.p_comparator)) if part]
    text = f"{name} {format_value(outcome)}".strip()
    return f"{text} ({'; '.join(details)})" if details else text
