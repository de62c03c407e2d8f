"""The record model: strict, immutable, documented, and exact about numbers and ids."""

from __future__ import annotations

import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import kg.model as model
from kg.core.vocab import NodeType
from kg.curation.datafiles import read_data_file
from kg.model import (
    SECTIONS,
    CaseEvent,
    Drug,
    Entity,
    EvidenceItem,
    Outcome,
    Population,
    Quote,
    Source,
    Xref,
)
from kg.model.cases import date_bounds, date_sort_key
from kg.model.terms import OUTCOME_MEASURE_LABELS, OutcomeMeasure, Verification
from kg.model.walk import iter_quotes, iter_references

RECORD_CLASSES = [getattr(model, name) for name in model.__all__ if isinstance(getattr(model, name), type)]
RECORD_CLASSES = [cls for cls in RECORD_CLASSES if issubclass(cls, BaseModel)]

QUOTE = {"text": "About 50% of cases.", "source": "src:x", "section": "introduction"}
ITEM = {
    "id": "ev:x",
    "statement": "A claim.",
    "evidence_type": "prevalence",
    "direction": "supports",
    "significance": "not_applicable",
    "level": "B",
    "level_rationale": "cohort",
    "quote": QUOTE,
}


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_is_documented(cls: type[BaseModel]) -> None:
    undocumented = [name for name, info in cls.model_fields.items() if not info.description]
    assert not undocumented, f"{cls.__name__}: fields without a description: {undocumented}"


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda cls: cls.__name__)
def test_records_are_frozen_and_forbid_unknown_keys(cls: type[BaseModel]) -> None:
    assert cls.model_config.get("frozen") is True
    assert cls.model_config.get("extra") == "forbid"


def test_unknown_key_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValidationError, match="ci_lowr"):
        Outcome.model_validate({"measure": "orr", "unit": "percent", "value": "1", "ci_lowr": "0"})


def test_frozen_record_cannot_be_changed() -> None:
    item = EvidenceItem.model_validate(ITEM)
    with pytest.raises(ValidationError):
        item.level = "A"  # type: ignore[misc]


def test_sections_cover_every_top_level_record_type_once() -> None:
    node_types = [cls.node_type for cls in SECTIONS.values()]  # type: ignore[attr-defined]
    assert len(node_types) == len(set(node_types))
    nested = {NodeType.ARM, NodeType.CASE_EVENT, NodeType.OUTCOME}
    assert set(node_types) | nested == set(NodeType)


def test_numbers_are_read_exactly_from_data_files(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("evidence:\n  - outcomes:\n      - value: 30.0\n        p_value: 0.0001\n", encoding="utf-8")
    raw = read_data_file(path, "x.yaml")[0].data["outcomes"][0]
    outcome = Outcome.model_validate({"measure": "orr", "unit": "percent", **raw})
    assert str(outcome.value) == "30.0"
    assert str(outcome.p_value) == "0.0001"
    assert outcome.numbers() == {"value": Decimal("30.0"), "p_value": Decimal("0.0001")}


def test_every_outcome_measure_has_a_label() -> None:
    assert set(OUTCOME_MEASURE_LABELS) == set(OutcomeMeasure)
    assert (
        Outcome(measure=OutcomeMeasure.TIME_TO_EVENT, unit="months", value=Decimal(14)).measure_label()
        == "time to event"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("disease", "drug:pyrotinib", "an id of a disease (disease:…)"),
        ("therapy", ["disease:nsclc"], "an id of a drug (drug:…)"),
        ("therapy_classes", ["drug:pyrotinib"], "an id of a drug class (drugclass:…)"),
        ("cites", ["PMID:123"], "an id of a source (src:…)"),
    ],
)
def test_references_are_typed_by_prefix(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        EvidenceItem.model_validate({**ITEM, field: value})
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("curie", "ok"),
    [("DOID:3908", True), ("DOID:39O8", False), ("doid:3908", False), ("NCIT:C2926", True), ("RXNORM:2555", False)],
)
def test_external_ids_are_checked(curie: str, ok: bool) -> None:
    data = {"id": curie, "status": "verified", "source": "here"}
    if ok:
        assert Xref.model_validate(data).id == curie
    else:
        with pytest.raises(ValidationError):
            Xref.model_validate(data)


def test_verified_xrefs_leave_out_unverified_ones() -> None:
    drug = Drug.model_validate(
        {
            "id": "drug:x",
            "label": "x",
            "xrefs": [
                {"id": "DRUGBANK:DB00001", "status": "verified", "source": "a"},
                {"id": "CHEMBL.COMPOUND:CHEMBL1", "status": "verified_secondary", "source": "b"},
                {"id": "NCIT:C1", "status": "unverified", "source": "memory"},
            ],
        }
    )
    assert [x.status for x in drug.verified_xrefs()] == [Verification.VERIFIED, Verification.VERIFIED_SECONDARY]


def test_quote_spans_and_full_text() -> None:
    quote = Quote.model_validate({**QUOTE, "text": "is", "continuation": ["3%-19% (23-25)."]})
    assert quote.spans() == ("is", "3%-19% (23-25).")
    assert quote.full_text() == "is … 3%-19% (23-25)."


@pytest.mark.parametrize("date", ["2019", "2019-06", "2019-06-01"])
def test_partial_dates_keep_their_precision(date: str) -> None:
    event = CaseEvent.model_validate({"id": "event:x", "kind": "imaging", "label": "x", "date": date, "quote": QUOTE})
    assert event.date == date


@pytest.mark.parametrize("date", ["2019-13", "2019-06-32", "01 June 2019", "2019/06/01"])
def test_malformed_dates_are_rejected(date: str) -> None:
    with pytest.raises(ValidationError):
        CaseEvent.model_validate({"id": "event:x", "kind": "imaging", "label": "x", "date": date, "quote": QUOTE})


def test_partial_dates_sort_coarse_first() -> None:
    assert sorted(["2019-06-01", "2019", "2019-06"], key=date_sort_key) == ["2019", "2019-06", "2019-06-01"]


@pytest.mark.parametrize(
    ("date", "bounds"),
    [
        ("2020", ((2020, 1, 1), (2020, 12, 31))),
        ("2020-08", ((2020, 8, 1), (2020, 8, 31))),
        ("2020-08-05", ((2020, 8, 5), (2020, 8, 5))),
    ],
)
def test_partial_dates_are_intervals(date: str, bounds: tuple) -> None:
    assert date_bounds(date) == bounds


def test_walk_finds_references_and_quotes_in_nested_records() -> None:
    event = {
        "id": "event:x",
        "kind": "genetic_test",
        "label": "x",
        "negative_genes": ["gene:EGFR"],
        "quote": QUOTE,
        "provenance": [QUOTE],
    }
    case = model.PatientCase.model_validate(
        {"id": "case:x", "label": "x", "source": "src:x", "disease": "disease:nsclc", "events": [event]}
    )
    references = {(path, target) for path, target, _ in iter_references(case)}
    assert ("events[0].negative_genes[0]", "gene:EGFR") in references
    assert ("events[0].provenance[0].source", "src:x") in references
    assert {path for path, _ in iter_quotes(case)} == {"events[0].quote", "events[0].provenance[0]"}


def test_therapy_classes_are_references() -> None:
    item = EvidenceItem.model_validate(
        {
            **ITEM,
            "therapy_classes": ["drugclass:egfr-tki"],
            "therapy": ["drug:pyrotinib"],
            "therapy_interaction": "combination",
        }
    )
    assert item.is_combination()
    assert ("therapy_classes[0]", "drugclass:egfr-tki") in {(p, t) for p, t, _ in iter_references(item)}


def test_subgroup_population_points_at_its_parent() -> None:
    subgroup = Population.model_validate({"id": "pop:sub", "label": "sub", "parent": "pop:all", "size": 6})
    assert subgroup.parent == "pop:all"
    with pytest.raises(ValidationError):
        Population.model_validate({"id": "pop:sub", "label": "sub", "size": 0})


def test_entity_names_list_label_then_synonyms() -> None:
    entity = Entity(id="drug:x", label="almonertinib", synonyms=("aumolertinib", "HS-10296"))
    assert entity.all_names() == ("almonertinib", "aumolertinib", "HS-10296")


def test_source_year_is_bounded() -> None:
    with pytest.raises(ValidationError):
        Source.model_validate({"id": "src:x", "kind": "journal_article", "short_citation": "x", "year": 20024})


def test_optional_reference_annotations_are_found_through_unions() -> None:
    # ResistanceMechanism.confers_resistance_to accepts drugs or drug classes: both prefixes must be accepted.
    hints = typing.get_type_hints(model.ResistanceMechanism, include_extras=True)
    assert "confers_resistance_to" in hints
    mech = model.ResistanceMechanism.model_validate(
        {
            "id": "mech:x",
            "label": "x",
            "category": "bypass_pathway",
            "confers_resistance_to": ["drugclass:egfr-tki", "drug:osimertinib"],
        }
    )
    assert [t for _, t, _ in iter_references(mech)] == ["drugclass:egfr-tki", "drug:osimertinib"]
