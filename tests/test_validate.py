"""Every validation rule rejects a broken copy of a tiny valid data directory, with the promised message.

Each case copies ``tests/fixtures/mini_data`` to ``tmp_path``, makes one
edit (an exact text replacement in one YAML file), and checks that loading
fails with a :class:`~kg.core.errors.DataError` naming the file, the record, the
field and what was expected. Cases tied to a cross-record rule also run
that rule alone on the broken data, to prove the rule itself catches it
(and not some other check by accident); cases of a rule about one record
alone (a model validator, :mod:`kg.model.rules`) build that record alone
with its model, to prove the record refuses itself, whoever builds it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.core.errors import CorpusError, DataError
from kg.curation.datafiles import read_data_file
from kg.curation.load import curated_files, load_curated, parse_raw_records
from kg.curation.validate import RULES, Located, ValidationContext
from kg.model import PatientCase, Source, Study

FIXTURE = Path(__file__).parent / "fixtures" / "mini_data"
PAPER = "papers/mini.yaml"
ENTITIES = "registry/entities.yaml"
DRUGS = "registry/drugs.yaml"


@dataclass(frozen=True)
class Case:
    """One broken fixture: where to edit, and the error that must follow."""

    name: str
    file: str
    old: str
    new: str
    record: str
    field: str
    expected: str  # substring of DataError.expected
    rule: str | None = None  # the cross-record rule that must catch it on its own
    model_rule: bool = False  # a rule of the record alone (a model validator): building the record must fail


CASES = [
    # --- check_references / schema-level reference typing
    Case(
        "dangling reference",
        PAPER,
        "    disease: disease:subcancer\n    study: study:trial\n",
        "    disease: disease:nowhere\n    study: study:trial\n",
        "ev:mini-trial",
        "disease",
        "none has this id",
        "check_references",
    ),
    Case(
        "reference of the wrong type",
        PAPER,
        "    disease: disease:subcancer\n    study: study:trial\n",
        "    disease: drug:drugx\n    study: study:trial\n",
        "ev:mini-trial",
        "disease",
        "an id of a disease",
    ),
    # --- check_source_links
    Case(
        "source reported in itself",
        PAPER,
        "    reported_in: src:mini\n",
        "    reported_in: src:mini-ref-1\n",
        "src:mini-ref-1",
        "reported_in",
        "another source than the source itself",
        "check_source_links",
    ),
    Case(
        "reference numbers without reporting source",
        PAPER,
        "    reported_in: src:mini\n",
        "",
        "src:mini-ref-1",
        "reported_in",
        "whose reference list",
        "check_source_links",
    ),
    Case(
        "text file missing",
        PAPER,
        "text_file: texts/mini.txt",
        "text_file: texts/missing.txt",
        "src:mini",
        "text_file",
        "a file under data/",
        "check_source_links",
    ),
    Case(
        "unidentified reference with a guessed title",
        PAPER,
        "    short_citation: Mini 2024, ref. 1\n",
        "    short_citation: Mini 2024, ref. 1\n    title: A guessed title\n",
        "src:mini-ref-1",
        "title",
        "no bibliographic data on an unidentified reference",
        "check_source_links",
    ),
    # --- check_population_links
    Case(
        "subgroup in another study than its parent",
        PAPER,
        "    study: study:trial\n    parent: pop:trial-all\n",
        "    study: study:other\n    parent: pop:trial-all\n",
        "pop:trial-amplified",
        "study",
        "the study of the parent population",
        "check_population_links",
    ),
    Case(
        "item population from another study",
        PAPER,
        "    population: pop:trial-all\n",
        "    population: pop:other-all\n",
        "ev:mini-trial",
        "population",
        "a population of the item's study",
        "check_population_links",
    ),
    Case(
        "outcome population outside the item's population",
        PAPER,
        "        population: pop:trial-amplified\n",
        "        population: pop:other-all\n",
        "ev:mini-trial",
        "outcomes[0].population",
        "one of its subgroups",
        "check_population_links",
    ),
    Case(
        "subgroup outcome without its subgroup",
        PAPER,
        "    population: pop:trial-all\n",
        "    population: pop:trial-amplified\n",
        "ev:mini-trial",
        "outcomes[1].population",
        "named explicitly",
        "check_population_links",
    ),
    # --- check_case_events
    Case(
        "age not in the quotes",
        PAPER,
        "    age: 50\n",
        "    age: 51\n",
        "case:mini",
        "age",
        "appears in one of the case's provenance quotes",
        "check_case_events",
    ),
    Case(
        "cycles not in the quote",
        PAPER,
        "cycles: 4\n",
        "cycles: 5\n",
        "case:mini",
        "events[0].cycles",
        "number of cycles stated in the event's quote",
        "check_case_events",
    ),
    Case(
        "dose not in the quote",
        PAPER,
        "dose: 30 Gy in 10 fractions\n",
        "dose: 35 Gy in 10 fractions\n",
        "case:mini",
        "events[0].dose",
        "(35 does not)",
        "check_case_events",
    ),
    Case(
        "drug therapy without drugs",
        PAPER,
        "        drugs:\n          - drug:drugx\n          - drug:drugy\n        dose:",
        "        dose:",
        "case:mini",
        "events[0].drugs",
        "the drugs given",
        "check_case_events",
    ),
    Case(
        "assessment of a later event",
        PAPER,
        "assesses: event:mini-therapy",
        "assesses: event:mini-response",
        "case:mini",
        "events[1].assesses",
        "an earlier event of the same case",
        "check_case_events",
    ),
    # --- check_quotes
    Case(
        "quote not verbatim",
        PAPER,
        "text: About 50% of cases carry the amplification.",
        "text: About 50% of all cases carry the amplification.",
        "ev:mini-prevalence",
        "quote.text",
        "a verbatim span of data/texts/mini.txt",
        "check_quotes",
    ),
    Case(
        "continuation before the quote",
        PAPER,
        "      text: The three forms are\n      continuation:\n        - gene amplification and mutation.\n",
        "      text: gene amplification and mutation.\n      continuation:\n        - The three forms are\n",
        "ev:mini-forms",
        "quote.continuation[0]",
        "comes after the quote's previous span",
        "check_quotes",
    ),
    Case(
        "quote of a source without text or locator",
        PAPER,
        "      text: Amplification is defined as ratio > 2.0 (1).\n      source: src:mini\n",
        "      text: Amplification is defined as ratio > 2.0 (1).\n      source: src:mini-ref-1\n",
        "biomarker:abc1-amplification",
        "quote.source",
        "a source with a text_file",
        "check_quotes",
    ),
    Case(
        "correction identical to the quote",
        PAPER,
        "      text: About 50% of cases carry the amplification.\n",
        "      text: About 50% of cases carry the amplification.\n      corrected: About 50% of cases carry the amplification.\n",
        "ev:mini-prevalence",
        "quote.corrected",
        "a corrected reading that differs",
        "check_quotes",
    ),
    # --- check_outcome_numbers (30 is not 30.0)
    Case(
        "outcome number not as published",
        PAPER,
        "        value: 30.0\n",
        "        value: 30\n",
        "ev:mini-trial",
        "outcomes[0].value",
        "appears in the quote exactly as published",
        "check_outcome_numbers",
    ),
    Case(
        "ci level not in the quote",
        PAPER,
        "        value: 50\n        value_comparator: '~'\n        unit: percent\n",
        "        value: 50\n        value_comparator: '~'\n        unit: percent\n        ci_level: 90\n        ci_lower: 50\n        ci_upper: 50\n",
        "ev:mini-prevalence",
        "outcomes[0].ci_level",
        "appears in the quote",
        "check_outcome_numbers",
    ),
    # --- outcome_consistency (a model validator)
    Case(
        "one-sided confidence interval",
        PAPER,
        "        ci_upper: 43.2\n",
        "",
        "ev:mini-trial",
        "outcomes[0].ci_lower",
        "both ci_lower and ci_upper",
        model_rule=True,
    ),
    Case(
        "ci level without an interval",
        PAPER,
        "        ci_lower: 0.32\n        ci_upper: 0.53\n",
        "",
        "ev:mini-trial",
        "outcomes[2].ci_level",
        "only together with ci_lower",
        model_rule=True,
    ),
    Case(
        "reversed confidence interval",
        PAPER,
        "        ci_lower: 0.32\n        ci_upper: 0.53\n",
        "        ci_lower: 0.53\n        ci_upper: 0.32\n",
        "ev:mini-trial",
        "outcomes[2].ci_lower",
        "ci_lower ≤ ci_upper",
        model_rule=True,
    ),
    Case(
        "value outside its interval",
        PAPER,
        "        value: 30.0\n",
        "        value: 0.41\n",
        "ev:mini-trial",
        "outcomes[0].value",
        "inside its confidence interval",
        model_rule=True,
    ),
    Case(
        "one-sided range",
        PAPER,
        "        value_comparator: '~'\n",
        "        value_comparator: '~'\n        range_low: 50\n",
        "ev:mini-prevalence",
        "outcomes[0].range_low",
        "both range_low and range_high",
        model_rule=True,
    ),
    Case(
        "reversed range",
        PAPER,
        "      - measure: orr\n        value: 30.0\n",
        "      - measure: orr\n        value: 30.0\n        range_low: 43.2\n        range_high: 18.8\n",
        "ev:mini-trial",
        "outcomes[0].range_low",
        "range_low ≤ range_high",
        model_rule=True,
    ),
    Case(
        "numerator without denominator",
        PAPER,
        "        value_comparator: '~'\n",
        "        value_comparator: '~'\n        numerator: 50\n",
        "ev:mini-prevalence",
        "outcomes[0].numerator",
        "both numerator and denominator",
        model_rule=True,
    ),
    Case(
        "k greater than n",
        PAPER,
        "      - measure: orr\n        value: 30.0\n",
        "      - measure: orr\n        value: 30.0\n        numerator: 95\n        denominator: 1\n",
        "ev:mini-trial",
        "outcomes[0].numerator",
        "k ≤ n",
        model_rule=True,
    ),
    Case(
        "best response without a category",
        PAPER,
        "      - measure: proportion\n",
        "      - measure: best_response\n",
        "ev:mini-prevalence",
        "outcomes[0].response",
        "a RECIST response category",
        model_rule=True,
    ),
    Case(
        "outcome without a number",
        PAPER,
        "        value: 50\n        value_comparator: '~'\n",
        "",
        "ev:mini-prevalence",
        "outcomes[0].value",
        "a value, a range or k of n",
        model_rule=True,
    ),
    Case(
        "count without k of n",
        PAPER,
        "      - measure: proportion\n",
        "      - measure: count\n",
        "ev:mini-prevalence",
        "outcomes[0].numerator",
        "k of n",
        model_rule=True,
    ),
    Case(
        "arm outside the item's study",
        PAPER,
        "    study: study:trial\n    population: pop:trial-all\n",
        "    population: pop:trial-all\n",
        "ev:mini-trial",
        "outcomes[1].arm",
        "an arm of the evidence item's study",
        "check_outcome_arms",
    ),
    # --- therapy_interaction (a model validator)
    Case(
        "several drugs without interaction",
        PAPER,
        "    therapy_interaction: combination\n",
        "",
        "ev:mini-trial",
        "therapy_interaction",
        "combination, substitutes or sequential",
        model_rule=True,
    ),
    Case(
        "combination of one drug",
        PAPER,
        "      - drug:drugy\n    therapy_interaction",
        "    therapy_interaction",
        "ev:mini-trial",
        "therapy_interaction",
        "no interaction type",
        model_rule=True,
    ),
    Case(
        "drug listed twice",
        PAPER,
        "      - drug:drugy\n    therapy_interaction",
        "      - drug:drugx\n    therapy_interaction",
        "ev:mini-trial",
        "therapy",
        "each drug once",
        model_rule=True,
    ),
    Case(
        "drug and drug class without interaction",
        PAPER,
        "    level_rationale: cohort\n",
        "    level_rationale: cohort\n    therapy:\n      - drug:drugx\n    therapy_classes:\n      - drugclass:kinase-inhibitor\n",
        "ev:mini-prevalence",
        "therapy_interaction",
        "several drugs or drug classes",
        model_rule=True,
    ),
    Case(
        "drug class listed twice",
        PAPER,
        "    level_rationale: cohort\n",
        "    level_rationale: cohort\n    therapy_classes:\n      - drugclass:kinase-inhibitor\n      - drugclass:kinase-inhibitor\n"
        "    therapy_interaction: substitutes\n",
        "ev:mini-prevalence",
        "therapy_classes",
        "each drug class once",
        model_rule=True,
    ),
    # --- event_order (a model validator)
    Case(
        "therapy ends before it starts",
        PAPER,
        "end_date: '2019-08-01'",
        "end_date: '2019-05-01'",
        "case:mini",
        "events[0].end_date",
        "an end date on or after the start",
        model_rule=True,
    ),
    Case(
        "events out of date order",
        PAPER,
        "date: 2020-03\n",
        "date: 2019-01\n",
        "case:mini",
        "events[1].date",
        "events in date order",
        model_rule=True,
    ),
    # --- check_hierarchy_cycles
    Case(
        "is_a cycle",
        ENTITIES,
        "  - id: disease:cancer\n    label: cancer\n",
        "  - id: disease:cancer\n    label: cancer\n    parents:\n      - disease:subcancer\n",
        "disease:",
        "parents",
        "without cycles",
        "check_hierarchy_cycles",
    ),
    Case(
        "subgroup cycle",
        PAPER,
        "    study: study:trial\n    disease: disease:subcancer\n",
        "    study: study:trial\n    parent: pop:trial-amplified\n    disease: disease:subcancer\n",
        "pop:trial-",
        "parent",
        "without cycles",
        "check_hierarchy_cycles",
    ),
    # --- check_biomarker_threshold (2 is not 2.0)
    Case(
        "threshold not as published",
        PAPER,
        "    threshold: 2.0\n",
        "    threshold: 2\n",
        "biomarker:abc1-amplification",
        "threshold",
        "a threshold that appears in the quote",
        model_rule=True,
    ),
    # --- loader: schema, ids, YAML
    Case(
        "unknown field",
        PAPER,
        "    level_rationale: cohort\n",
        "    level_rationale: cohort\n    levl: B\n",
        "ev:mini-prevalence",
        "levl",
        "no such field",
    ),
    Case(
        "duplicate id",
        PAPER,
        "  - id: ev:mini-forms\n",
        "  - id: ev:mini-prevalence\n",
        "ev:mini-prevalence",
        "id",
        "a unique id",
    ),
    Case(
        "external id that breaks its pattern",
        DRUGS,
        "  - id: drug:drugy\n    label: drugy\n",
        "  - id: drug:drugy\n    label: drugy\n    xrefs:\n      - id: DOID:39O8\n        status: verified\n        source: here\n",
        "drug:drugy",
        "xrefs[0].id",
        "a DOID local id matching",
    ),
    Case(
        "unknown enum value",
        PAPER,
        "    level: E\n",
        "    level: F\n",
        "ev:mini-forms",
        "level",
        "'A', 'B', 'C', 'D' or 'E'",
    ),
    Case(
        "duplicate YAML key",
        PAPER,
        "    level: E\n",
        "    level: E\n    level: E\n",
        "line ",
        "(file)",
        "well-formed YAML",
    ),
    # --- molecular_profiles (a model validator)
    Case(
        "molecular profile naming no alteration",
        PAPER,
        "    alterations:\n      - alt:ABC1-amplification\n    negated:\n      - alt:ABC1-alteration\n",
        "",
        "mp:abc1-amplification-not-alteration",
        "alterations",
        "at least one alteration",
        model_rule=True,
    ),
    Case(
        "molecular profile naming an alteration both ways",
        PAPER,
        "    negated:\n      - alt:ABC1-alteration\n",
        "    negated:\n      - alt:ABC1-amplification\n",
        "mp:abc1-amplification-not-alteration",
        "negated",
        "not also named positively",
        model_rule=True,
    ),
]


def broken_copy(tmp_path: Path, case: Case) -> Path:
    """A copy of the fixture with the case's one edit applied (the edit must match exactly once)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    path = data / case.file
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) == 1, f"case {case.name!r}: edit target must occur exactly once in {case.file}"
    path.write_text(text.replace(case.old, case.new), encoding="utf-8")
    return data


def matching(errors: list[DataError], case: Case) -> list[DataError]:
    return [
        error
        for error in errors
        if error.file.endswith(case.file)
        and error.record.startswith(case.record)
        and error.field == case.field
        and case.expected in error.expected
    ]


def run_rule_alone(data_dir: Path, rule_name: str) -> list[DataError]:
    """Parse the data, build the validation context, and run one rule: no other check can produce its errors."""
    raw = []
    for path in curated_files(data_dir):
        raw += read_data_file(path, path.relative_to(data_dir.parent).as_posix())
    located, schema_errors = parse_raw_records(raw)
    assert not schema_errors, schema_errors
    by_id: dict[str, Located] = {}
    texts: dict[str, str] = {}
    names: dict[str, str] = {}
    for entry in located:
        by_id.setdefault(entry.record.id, entry)  # type: ignore[attr-defined]
        children = entry.record.arms if isinstance(entry.record, Study) else ()
        children = entry.record.events if isinstance(entry.record, PatientCase) else children
        for child in children:
            by_id[child.id] = Located(child, entry.file, entry.label)
        if isinstance(entry.record, Source) and entry.record.text_file:
            names[entry.record.id] = f"data/{entry.record.text_file}"
            if (data_dir / entry.record.text_file).is_file():
                texts[entry.record.id] = (data_dir / entry.record.text_file).read_text(encoding="utf-8")
    rule = {r.__name__: r for r in RULES}[rule_name]
    return list(rule(located, ValidationContext(by_id=by_id, texts=texts, text_files=names)))


def build_record_alone(data_dir: Path, record: str) -> list[DataError]:
    """Build one record from its raw data with its model, no other record in sight: only its own rules can fail."""
    raw = []
    for path in curated_files(data_dir):
        raw += read_data_file(path, path.relative_to(data_dir.parent).as_posix())
    mine = [entry for entry in raw if entry.label.startswith(record)]
    assert len(mine) == 1, mine
    _, errors = parse_raw_records(mine)
    return errors


def test_fixture_is_valid() -> None:
    corpus = load_curated(FIXTURE)
    assert len(corpus.evidence) == 3
    assert corpus.get("event:mini-response") is not None


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_fixture_is_rejected_with_a_precise_message(tmp_path: Path, case: Case) -> None:
    data = broken_copy(tmp_path, case)
    with pytest.raises(CorpusError) as raised:
        load_curated(data)
    errors = raised.value.errors
    found = matching(errors, case)
    assert found, f"no error for {case.record} / {case.field} / {case.expected!r}; got:\n" + "\n".join(
        e.describe() for e in errors
    )
    message = found[0].describe()
    assert case.file in message and case.field in message  # the message names file and field for the curator
    if case.rule is not None:
        assert matching(run_rule_alone(data, case.rule), case), f"{case.rule} alone does not catch {case.name!r}"
    if case.model_rule:
        assert matching(build_record_alone(data, case.record), case), f"the record alone does not fail: {case.name!r}"


def test_every_rule_has_a_case() -> None:
    covered = {case.rule for case in CASES if case.rule}
    assert covered == {rule.__name__ for rule in RULES}


def test_all_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    first, second = CASES[0], next(case for case in CASES if case.name == "age not in the quotes")
    data = broken_copy(tmp_path, first)
    path = data / second.file
    path.write_text(path.read_text(encoding="utf-8").replace(second.old, second.new), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        load_curated(data)
    assert matching(raised.value.errors, first) and matching(raised.value.errors, second)
    assert "nothing was loaded" in str(raised.value)


def test_a_month_may_follow_a_day_inside_it(tmp_path: Path) -> None:
    # "2019-06" (a figure legend's month) covers 2019-06-01 onwards: listed after 2019-06-01 it is not out of order.
    ok = Case("x", PAPER, "date: 2020-03\n", "date: 2019-06\n", "case:mini", "events[1].date", "events in date order")
    load_curated(broken_copy(tmp_path / "ok", ok))
    # A month that ends before the previous event starts is out of order.
    bad = Case("x", PAPER, "date: 2020-03\n", "date: 2019-05\n", "case:mini", "events[1].date", "events in date order")
    with pytest.raises(CorpusError) as raised:
        load_curated(broken_copy(tmp_path / "bad", bad))
    assert matching(raised.value.errors, bad)


def test_whitespace_runs_do_not_matter_but_characters_do(tmp_path: Path) -> None:
    # The quote spans a line break in the text ("CI\n18.8"); a quote with one space matches...
    load_curated(FIXTURE)
    # ...while one changed character does not.
    case = Case("x", PAPER, "(95% CI 18.8-43.2)", "(95% CI 18.8–43.2)", "ev:mini-trial", "quote.text", "verbatim span")
    with pytest.raises(CorpusError) as raised:
        load_curated(broken_copy(tmp_path, case))
    assert matching(raised.value.errors, case)


def test_records_built_in_code_are_held_to_their_own_rules() -> None:
    # What the CIViC importer and tests do: no data file, no kg.curation.validate.
    from decimal import Decimal

    from pydantic import ValidationError

    from kg.model import EvidenceItem, MolecularProfile, Outcome, Quote
    from kg.model.terms import OutcomeMeasure, Section, Unit

    with pytest.raises(ValidationError) as raised:
        Outcome(
            measure=OutcomeMeasure.ORR, unit=Unit.PERCENT, value=Decimal(5), ci_lower=Decimal(1), ci_upper=Decimal(2)
        )
    (error,) = raised.value.errors()
    assert error["loc"] == ("value",) and "inside its confidence interval [1, 2]" in error["msg"]
    with pytest.raises(ValidationError) as raised:
        MolecularProfile(id="mp:x", label="x", expression="x")
    assert raised.value.errors()[0]["loc"] == ("alterations",)
    quote = Quote(text="x", source="src:x", section=Section.ABSTRACT)
    with pytest.raises(ValidationError) as raised:
        EvidenceItem(
            id="ev:x",
            statement="x",
            evidence_type="predictive",
            direction="supports",
            significance="sensitivity_response",
            level="B",
            level_rationale="x",
            therapy=("drug:a", "drug:b"),
            quote=quote,
        )
    assert [e["loc"] for e in raised.value.errors()] == [("therapy_interaction",)]
