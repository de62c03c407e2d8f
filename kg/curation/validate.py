"""Cross-record validation rules, run by ``kg validate`` and on every load.

Schema errors (unknown keys, wrong types, bad CURIE prefixes) and the rules
about one record alone (a confidence interval that contains its value,
k ≤ n, an interaction type for several drugs, events in date order, a
profile with an alteration, a biomarker threshold stated in its quote) are
caught by the pydantic models (their model validators, see
:mod:`kg.model.rules`), so records built in code are held to them too. The
rules here need more than one record or the source texts: dangling
references, quotes that are not verbatim, outcome numbers missing from
their quote, outcome arms outside the item's study, cycles in ``is_a``
hierarchies, subgroups and outcomes attached to the wrong study or
population, unidentified references that carry guessed bibliographic data.

Each rule yields :class:`~kg.core.errors.DataError` values naming the file, the
record, the field and what was expected, phrased so the curator knows how
to fix the record. :func:`validate_records` runs them all and returns every
error, so one run shows everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kg.core.errors import DataError
from kg.core.text import contains_verbatim, normalize_space, number_text, numbers_in_text
from kg.core.vocab import NodeType
from kg.model import (
    Alteration,
    Disease,
    DrugClass,
    EvidenceItem,
    Node,
    PatientCase,
    Population,
    Quote,
    ResistanceMechanism,
    Source,
    Study,
)
from kg.model.terms import EventKind, SourceKind
from kg.model.walk import iter_quotes, iter_references

__all__ = ["RULES", "Located", "ValidationContext", "validate_records"]


@dataclass(frozen=True)
class Located:
    """A validated record and where it was read from."""

    record: Node
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
    #: Ids of records that failed their own validation: they exist, broken, and their error is reported
    #: already, so references to them are not reported as dangling as well.
    refused: frozenset[str] = frozenset()

    def node_type(self, record_id: str) -> NodeType | None:
        located = self.by_id.get(record_id)
        return None if located is None else located.record.node_type


Rule = Callable[[Sequence[Located], ValidationContext], Iterator[DataError]]


def check_references(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """Every reference points at an existing record of an allowed type."""
    for located in records:
        for field, target, node_types in iter_references(located.record):
            found = context.node_type(target)
            if found is None and target in context.refused:
                continue
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


def _quote_span_errors(quote: Quote, text: str, name: str) -> Iterator[tuple[str, str, str]]:
    """(field suffix, expected, got) for each span of ``quote`` that is not verbatim, or out of order."""
    haystack = normalize_space(text)
    position = 0
    for index, span in enumerate(quote.spans()):
        suffix = "text" if index == 0 else f"continuation[{index - 1}]"
        if not contains_verbatim(text, span):
            matched = _divergence(text, span)
            yield (
                suffix,
                f"a verbatim span of {name} (copy it exactly, noise such as 'HER?2' included; put corrections "
                f"in 'corrected'); the text matches up to …{matched!r} and then differs",
                span,
            )
            return
        found = haystack.find(normalize_space(span), position)
        if found < 0:
            yield suffix, f"a span of {name} that comes after the quote's previous span (reading order)", span
            return
        position = found + len(normalize_space(span))


def check_quotes(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """Every quote is verbatim in its source's text (whitespace runs aside); continuations follow in order."""
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
            name = context.text_files.get(quote.source, quote.source)
            for suffix, expected, got in _quote_span_errors(quote, text, name):
                yield located.error(f"{field}.{suffix}", expected, got)
            if quote.corrected is not None and normalize_space(quote.corrected) == normalize_space(
                " ".join(quote.spans())
            ):
                yield located.error(
                    f"{field}.corrected", "a corrected reading that differs from the quote, or no 'corrected' at all"
                )


def check_outcome_numbers(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """Every number of an outcome appears, as written, in its evidence item's quote."""
    for located in records:
        item = located.record
        if not isinstance(item, EvidenceItem) or not item.outcomes:
            continue
        stated = numbers_in_text(item.quote.full_text())
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


def check_outcome_arms(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """An outcome's arm and comparator arm are arms of its evidence item's study.

    The outcome's own consistency (CI, range, k of n, what each measure needs)
    is a model validator on :class:`~kg.model.Outcome`; this part needs the study.
    """
    for located in records:
        item = located.record
        if not isinstance(item, EvidenceItem):
            continue
        study_arms: set[str] = set()
        if item.study is not None and item.study in context.by_id:
            study = context.by_id[item.study].record
            if isinstance(study, Study):
                study_arms = {arm.id for arm in study.arms}
        for index, outcome in enumerate(item.outcomes):
            for name in ("arm", "comparator_arm"):
                arm = getattr(outcome, name)
                if arm is not None and arm not in study_arms:
                    yield located.error(
                        f"outcomes[{index}].{name}",
                        f"an arm of the evidence item's study {item.study or '(none given)'}",
                        arm,
                    )


_HIERARCHIES: dict[type[Node], str] = {
    Disease: "parents",
    Alteration: "parents",
    DrugClass: "parents",
    ResistanceMechanism: "parents",
    Population: "parent",
}


def check_hierarchy_cycles(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """``is_a`` hierarchies (and subgroup chains of populations) have no cycles."""
    parents: dict[str, tuple[str, ...]] = {}
    fields: dict[str, str] = {}
    located_by_id: dict[str, Located] = {}
    for located in records:
        field = _HIERARCHIES.get(type(located.record))
        if field:
            record_id = located.record.id
            value = getattr(located.record, field)
            parents[record_id] = value if isinstance(value, tuple) else (() if value is None else (value,))
            fields[record_id] = field
            located_by_id[record_id] = located
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> Iterator[DataError]:
        state[node] = 1
        for parent in parents.get(node, ()):
            if state.get(parent) == 1:
                cycle = [*path[path.index(parent) :], node, parent] if parent in path else [node, parent]
                yield located_by_id[node].error(
                    fields[node], "an is_a hierarchy (or subgroup chain) without cycles", " → ".join(cycle)
                )
            elif state.get(parent) is None and parent in parents:
                yield from visit(parent, [*path, node])
        state[node] = 2

    for node in parents:
        if node not in state:
            yield from visit(node, [])


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
        if source.kind is SourceKind.UNIDENTIFIED_REFERENCE:
            if source.reported_in is None or not source.reference_numbers:
                yield located.error(
                    "reference_numbers",
                    "an unidentified reference to name the source that cites it (reported_in) and its "
                    "reference number(s)",
                )
            for name in ("title", "journal", "authors", "xrefs"):
                if getattr(source, name):
                    yield located.error(
                        name,
                        "no bibliographic data on an unidentified reference (that would be a guess): identify "
                        "the publication and change kind to journal_article, or move candidates to curator_note",
                        getattr(source, name),
                    )


def _ancestors(population_id: str, context: ValidationContext) -> list[str]:
    """The population, then its parent, grandparent, ... (stops at a cycle or a dangling id)."""
    chain: list[str] = []
    current: str | None = population_id
    while current is not None and current not in chain:
        chain.append(current)
        located = context.by_id.get(current)
        record = located.record if located else None
        current = record.parent if isinstance(record, Population) else None
    return chain


def check_population_links(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:
    """Subgroups stay in their parent's study; items and their outcomes use populations of their own study.

    An outcome of an item whose population is a subgroup must name that subgroup itself.

    An outcome measured in a subgroup must point at that subgroup, and the
    subgroup must lie inside the item's population: this keeps the ORR of a
    trial's EGFR-TKI-pretreated patients from being read as the whole trial's.
    """

    def study_of(population_id: str | None) -> str | None:
        located = context.by_id.get(population_id or "")
        record = located.record if located else None
        return record.study if isinstance(record, Population) else None

    for located in records:
        record = located.record
        if isinstance(record, Population) and record.parent is not None:
            parent_study = study_of(record.parent)
            if record.study != parent_study and parent_study is not None:
                yield located.error(
                    "study", f"the study of the parent population {record.parent} ({parent_study})", record.study
                )
        if not isinstance(record, EvidenceItem):
            continue
        if record.population is not None and record.study is not None:
            population_study = study_of(record.population)
            if population_study is not None and population_study != record.study:
                yield located.error(
                    "population",
                    f"a population of the item's study {record.study} (this one belongs to {population_study})",
                    record.population,
                )
        population = context.by_id.get(record.population or "")
        item_is_subgroup = population is not None and getattr(population.record, "parent", None) is not None
        for index, outcome in enumerate(record.outcomes):
            if outcome.population is None and item_is_subgroup:
                yield located.error(
                    f"outcomes[{index}].population",
                    f"the subgroup the number was measured in, named explicitly ({record.population} is a subgroup), "
                    "so the number is never read as the parent population's",
                )
            if outcome.population is None or record.population is None:
                continue
            if record.population not in _ancestors(outcome.population, context):
                yield located.error(
                    f"outcomes[{index}].population",
                    f"the item's population {record.population} or one of its subgroups (parent chain); "
                    "otherwise give the item no population or split it",
                    outcome.population,
                )


def _numbers_of(text: str) -> list[str]:
    """Numbers a free-text field states, as written ('45 Gy in 10 fractions' → 45, 10)."""
    return sorted(numbers_in_text(text), key=float)


def check_case_events(records: Sequence[Located], context: ValidationContext) -> Iterator[DataError]:  # noqa: ARG001
    """Case numbers (age, cycles, doses) appear in their quotes; therapies name drugs; assessments look back."""
    for located in records:
        case = located.record
        if not isinstance(case, PatientCase):
            continue
        if case.age is not None:
            stated = (
                set().union(*(numbers_in_text(q.full_text()) for q in case.provenance)) if case.provenance else set()
            )
            if str(case.age) not in stated:
                yield located.error("age", "an age that appears in one of the case's provenance quotes", case.age)
        seen: set[str] = set()
        for index, event in enumerate(case.events):
            at = f"events[{index}]"
            quoted = numbers_in_text(" … ".join(q.full_text() for q in (event.quote, *event.provenance)))
            if event.cycles is not None and str(event.cycles) not in quoted:
                yield located.error(
                    f"{at}.cycles", "a number of cycles stated in the event's quote (number words count)", event.cycles
                )
            if event.dose is not None:
                for number in _numbers_of(event.dose):
                    if number not in quoted:
                        yield located.error(
                            f"{at}.dose",
                            f"a dose whose numbers appear in the event's quote ({number} does not)",
                            event.dose,
                        )
            if event.kind is EventKind.DRUG_THERAPY and not event.drugs:
                yield located.error(f"{at}.drugs", "the drugs given, for an event of kind drug_therapy")
            if event.assesses is not None and event.assesses not in seen:
                yield located.error(
                    f"{at}.assesses", "an earlier event of the same case (the therapy being assessed)", event.assesses
                )
            seen.add(event.id)


#: Every cross-record rule, in the order their errors are reported.
RULES: tuple[Rule, ...] = (
    check_references,
    check_source_links,
    check_population_links,
    check_case_events,
    check_quotes,
    check_outcome_numbers,
    check_outcome_arms,
    check_hierarchy_cycles,
)


def validate_records(records: Sequence[Located], context: ValidationContext) -> list[DataError]:
    """Run every rule; return all errors found (empty when the records are valid)."""
    errors: list[DataError] = []
    for rule in RULES:
        errors.extend(rule(records, context))
    return errors
