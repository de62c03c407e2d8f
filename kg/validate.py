"""Cross-record validation rules, run by ``kg validate`` and on every load.

Schema errors (unknown keys, wrong types, bad CURIE prefixes) are caught by
the pydantic models; the rules here need more than one record or the source
texts: dangling references, quotes that are not verbatim, outcome numbers
missing from their quote, confidence intervals that do not contain their
value, events out of date order, cycles in ``is_a`` hierarchies.

Each rule yields :class:`~kg.errors.DataError` values naming the file, the
record, the field and what was expected, phrased so the curator knows how
to fix the record. :func:`validate_records` runs them all and returns every
error, so one run shows everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kg.errors import DataError
from kg.model import (
    Alteration,
    BiomarkerDefinition,
    Disease,
    DrugClass,
    EvidenceItem,
    PatientCase,
    Record,
    ResistanceMechanism,
    Source,
    Study,
)
from kg.model.cases import date_sort_key
from kg.model.terms import OutcomeMeasure, TherapyInteraction
from kg.model.walk import iter_quotes, iter_references
from kg.text import contains_verbatim, normalize_space, number_text, numbers_in_text
from kg.vocab import NodeType

__all__ = ["RULES", "Located", "ValidationContext", "validate_records"]


@dataclass(frozen=True)
class Located:
    """A validated record and where it was read from."""

    record: Record
    file: str
    label: str

    def error(self, field: str, expected: str, got: object | None = None) -> DataError:
        return DataError(self.file, self.label, field, expected, got)


@dataclass(frozen=True)
class ValidationContext:
    """What rules may consult: every record by id, and source texts by source id."""

    by_id: Mapping[str, Located]
    texts: Mapping[str, str]
    text_files: Mapping[str, str]  # source id → text file name, for messages

    def node_type(self, record_id: str) -> NodeType | None:
        located = self.by_id.get(record_id)
        return None if located is None else located.record.node_type  # type: ignore[attr-defined]


Rule = Callable[[Sequence[Located], ValidationContext], Iterator[DataError]]


def check_references(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """Every reference points at an existing record of an allowed type."""
    for located in records:
        for field, target, node_types in iter_references(located.record):
            found = context.node_type(target)
            if found is None:
                kinds = " or ".join(t.info.label for t in node_types)
                yield located.error(
                    field, f"the id of an existing {kinds}; none has this id (add it or fix the id)", target
                )
            elif found not in node_types:
                kinds = " or ".join(t.info.label for t in node_types)
                yield located.error(field, f"the id of a {kinds}, not of a {found.info.label}", target)


def _divergence(text: str, quote: str) -> str:
    """The longest start of ``quote`` found in ``text``, to show the curator where they differ."""
    haystack, needle = normalize_space(text), normalize_space(quote)
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if needle[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    return needle[max(0, low - 40) : low]


def check_quotes(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """Every quote is a verbatim span of its source's text (whitespace runs aside)."""
    for located in records:
        for field, quote in iter_quotes(located.record):
            text = context.texts.get(quote.source)
            if text is None:
                if quote.locator is None:
                    yield located.error(
                        f"{field}.source",
                        "a source with a text_file (so the quote can be checked) or a quote with a locator",
                        quote.source,
                    )
                continue
            if not contains_verbatim(text, quote.text):
                matched = _divergence(text, quote.text)
                yield located.error(
                    f"{field}.text",
                    f"a verbatim span of {context.text_files.get(quote.source, quote.source)} (copy it exactly, "
                    f"noise such as 'HER?2' included; put corrections in 'corrected'); "
                    f"the text matches up to …{matched!r} and then differs",
                    quote.text,
                )
            if quote.corrected is not None and normalize_space(quote.corrected) == normalize_space(quote.text):
                yield located.error(
                    f"{field}.corrected", "a corrected reading that differs from the quote, or no 'corrected' at all"
                )


def check_outcome_numbers(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """Every number of an outcome appears, as written, in its evidence item's quote."""
    for located in records:
        item = located.record
        if not isinstance(item, EvidenceItem):
            continue
        stated = numbers_in_text(item.quote.text)
        for index, outcome in enumerate(item.outcomes):
            numbers = dict(outcome.numbers())
            if outcome.ci_level is not None:
                numbers["ci_level"] = outcome.ci_level
            for name, number in numbers.items():
                if number_text(number) not in stated:
                    yield located.error(
                        f"outcomes[{index}].{name}",
                        f"a number that appears in the quote exactly as published (the quote states "
                        f"{', '.join(sorted(stated, key=float)) or 'no numbers'})",
                        number_text(number),
                    )


def check_outcome_consistency(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """CI lower ≤ value ≤ CI upper, ranges ordered, k ≤ n, and each measure has what it needs."""
    for located in records:
        item = located.record
        if not isinstance(item, EvidenceItem):
            continue
        study_arms = set()
        if item.study is not None and item.study in context.by_id:
            study = context.by_id[item.study].record
            if isinstance(study, Study):
                study_arms = {arm.id for arm in study.arms}
        for index, outcome in enumerate(item.outcomes):
            at = f"outcomes[{index}]"
            if (outcome.ci_lower is None) != (outcome.ci_upper is None):
                yield located.error(f"{at}.ci_lower", "both ci_lower and ci_upper, or neither")
            if outcome.ci_level is not None and outcome.ci_lower is None:
                yield located.error(f"{at}.ci_level", "a ci_level only together with ci_lower and ci_upper")
            if outcome.ci_lower is not None and outcome.ci_upper is not None:
                if outcome.ci_lower > outcome.ci_upper:
                    yield located.error(f"{at}.ci_lower", f"ci_lower ≤ ci_upper ({outcome.ci_upper})", outcome.ci_lower)
                if outcome.value is not None and not outcome.ci_lower <= outcome.value <= outcome.ci_upper:
                    yield located.error(
                        f"{at}.value",
                        f"a value inside its confidence interval [{outcome.ci_lower}, {outcome.ci_upper}]",
                        outcome.value,
                    )
            if (outcome.range_low is None) != (outcome.range_high is None):
                yield located.error(f"{at}.range_low", "both range_low and range_high, or neither")
            elif (
                outcome.range_low is not None
                and outcome.range_high is not None
                and outcome.range_low > outcome.range_high
            ):
                yield located.error(
                    f"{at}.range_low", f"range_low ≤ range_high ({outcome.range_high})", outcome.range_low
                )
            if (outcome.numerator is None) != (outcome.denominator is None):
                yield located.error(f"{at}.numerator", "both numerator and denominator (k of n), or neither")
            elif (
                outcome.numerator is not None
                and outcome.denominator is not None
                and outcome.numerator > outcome.denominator
            ):
                yield located.error(f"{at}.numerator", f"k ≤ n (n = {outcome.denominator})", outcome.numerator)
            if outcome.measure is OutcomeMeasure.BEST_RESPONSE:
                if outcome.response is None:
                    yield located.error(f"{at}.response", "a RECIST response category for measure best_response")
            elif outcome.value is None and outcome.range_low is None and outcome.numerator is None:
                yield located.error(f"{at}.value", f"a value, a range or k of n for measure {outcome.measure.value}")
            if outcome.measure is OutcomeMeasure.COUNT and outcome.numerator is None:
                yield located.error(f"{at}.numerator", "k of n (numerator and denominator) for measure count")
            for name in ("arm", "comparator_arm"):
                arm = getattr(outcome, name)
                if arm is not None and arm not in study_arms:
                    yield located.error(
                        f"{at}.{name}", f"an arm of the evidence item's study {item.study or '(none given)'}", arm
                    )


def check_therapy_interaction(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """Several drugs need an interaction type; a combination needs several drugs."""
    for located in records:
        item = located.record
        if not isinstance(item, EvidenceItem):
            continue
        if len(item.therapy) > 1 and item.therapy_interaction in (None, TherapyInteraction.SINGLE):
            yield located.error("therapy_interaction", "combination, substitutes or sequential for several drugs")
        if len(item.therapy) < 2 and item.therapy_interaction not in (None, TherapyInteraction.SINGLE):
            yield located.error(
                "therapy_interaction",
                "no interaction type (or single) for fewer than two drugs",
                item.therapy_interaction.value,
            )
        if len(set(item.therapy)) != len(item.therapy):
            yield located.error("therapy", "each drug once", list(item.therapy))


def check_event_order(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """Dated events of a case are in date order, and no event ends before it starts."""
    for located in records:
        case = located.record
        if not isinstance(case, PatientCase):
            continue
        previous: tuple[str, str] | None = None
        for index, event in enumerate(case.events):
            if (
                event.date is not None
                and event.end_date is not None
                and date_sort_key(event.end_date) < date_sort_key(event.date)
            ):
                yield located.error(
                    f"events[{index}].end_date", f"an end date on or after the start {event.date}", event.end_date
                )
            if event.date is None:
                continue
            if previous is not None and date_sort_key(event.date) < date_sort_key(previous[1]):
                yield located.error(
                    f"events[{index}].date",
                    f"events in date order: this event ({event.id}) is dated before {previous[0]} ({previous[1]})",
                    event.date,
                )
            previous = (event.id, event.date)


_HIERARCHIES: dict[type[Record], str] = {
    Disease: "parents",
    Alteration: "parents",
    DrugClass: "parents",
    ResistanceMechanism: "parents",
}


def check_hierarchy_cycles(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """``is_a`` hierarchies have no cycles (a disease cannot be its own ancestor)."""
    parents: dict[str, tuple[str, ...]] = {}
    located_by_id: dict[str, Located] = {}
    for located in records:
        field = _HIERARCHIES.get(type(located.record))
        if field:
            record_id = located.record.id  # type: ignore[attr-defined]
            parents[record_id] = getattr(located.record, field)
            located_by_id[record_id] = located
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> Iterator[DataError]:
        state[node] = 1
        for parent in parents.get(node, ()):
            if state.get(parent) == 1:
                cycle = [*path[path.index(parent) :], node, parent] if parent in path else [node, parent]
                yield located_by_id[node].error("parents", "an is_a hierarchy without cycles", " → ".join(cycle))
            elif state.get(parent) is None and parent in parents:
                yield from visit(parent, [*path, node])
        state[node] = 2

    for node in parents:
        if node not in state:
            yield from visit(node, [])


def check_biomarker_threshold(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """A biomarker definition's threshold appears, as written, in its quote."""
    for located in records:
        definition = located.record
        if isinstance(definition, BiomarkerDefinition) and number_text(definition.threshold) not in numbers_in_text(
            definition.quote.text
        ):
            yield located.error(
                "threshold", "a threshold that appears in the quote exactly as published", str(definition.threshold)
            )


def check_source_links(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """A cited source names its reporting source and reference number together; no self-reports."""
    for located in records:
        source = located.record
        if not isinstance(source, Source):
            continue
        if source.reported_in == source.id:
            yield located.error("reported_in", "another source than the source itself", source.reported_in)
        if source.reference_numbers and source.reported_in is None:
            yield located.error("reported_in", "the source whose reference list these reference_numbers belong to")
        if source.text_file is not None and source.id not in context.texts:
            yield located.error("text_file", "a file under data/ holding the source's text", source.text_file)


#: Every cross-record rule, in the order their errors are reported.
RULES: tuple[Rule, ...] = (
    check_references,
    check_source_links,
    check_quotes,
    check_outcome_numbers,
    check_outcome_consistency,
    check_therapy_interaction,
    check_event_order,
    check_hierarchy_cycles,
    check_biomarker_threshold,
)


def validate_records(records: Sequence[Located], context: ValidationContext) -> list[DataError]:
    """Run every rule; return all errors found (empty when the records are valid)."""
    errors: list[DataError] = []
    for rule in RULES:
        errors.extend(rule(records, context))
    return errors
