"""``/studies`` and ``/cases`` through the real app: studies with their populations and outcomes, cases and timelines.

Expectations come from the records (a study's populations, a case's dated
events), so the tests check that the API shows what the graph holds and
derives only what it says it derives.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from api.app import create_app
from api.resource_schemas import CaseDetail, CasePage, StudyDetail, StudyPage, Timeline
from api.settings import ApiSettings
from kg.core.vocab import NodeType
from kg.model.terms import EventKind


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _get(client: TestClient, path: str, status: int = 200, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


def _valid(documented: Any, body: Any) -> Any:
    """``body`` as it came, after checking that it is what the OpenAPI document says it is."""
    TypeAdapter(documented).validate_python(body)
    return body


# -- studies ---------------------------------------------------------------------------------------------------
def test_every_study_is_listed_and_filterable(client, kg_full) -> None:
    page = _valid(StudyPage, _get(client, "/studies"))
    assert page["total"] == len(kg_full.corpus.studies)
    assert [s["id"] for s in page["results"]] == sorted(kg_full.corpus.studies)
    by_registry = _get(client, "/studies", q="NCT02675829")["results"]
    assert [s["id"] for s in by_registry] == ["study:nct02675829"]
    trials = _get(client, "/studies", design="single_arm_trial")["results"]
    assert trials and all(s["design"] == "single_arm_trial" for s in trials)


def test_each_study_shows_its_populations_subgroups_outcomes_and_limitations(client, kg_full) -> None:
    for study in kg_full.corpus.studies.values():
        body = _valid(StudyDetail, _get(client, f"/studies/{study.id}"))
        assert body["limitations"] == list(study.limitations)
        assert [a["id"] for a in body["arms"]] == [a.id for a in study.arms]
        items = [e for e in kg_full.corpus.evidence.values() if e.study == study.id]
        assert sorted(body["evidence"]) == sorted(e.id for e in items)
        assert sum(len(o["outcomes"]) for o in body["outcomes"]) == sum(len(e.outcomes) for e in items)
        for population in body["populations"]:
            for subgroup in population["subgroups"]:
                assert kg_full.corpus.populations[subgroup["id"]].parent == population["id"]


def test_a_stored_phase_is_shown_when_the_design_is_not_stated(client, kg_full) -> None:
    for study in kg_full.corpus.studies.values():
        text = _get(client, f"/studies/{study.id}")["design_text"]
        if study.phase:
            assert text.startswith(f"phase {study.phase}, "), (study.id, text)
        if study.design.value == "unspecified":
            assert text.endswith("design not stated"), (study.id, text)


def test_a_subgroup_result_is_shown_with_its_subgroup(client, kg_full) -> None:
    subgroups = [p for p in kg_full.corpus.populations.values() if p.parent and p.study]
    assert subgroups
    population = subgroups[0]
    body = _get(client, f"/studies/{population.study}")
    parent = next(p for p in body["populations"] if p["id"] == population.parent)
    assert population.id in [s["id"] for s in parent["subgroups"]]


@pytest.mark.parametrize("name", ["PHILA", "NCT03863223", "phila"])
def test_a_study_is_found_by_name_or_registry_id(client, name: str) -> None:
    assert _get(client, f"/studies/{name}")["id"] == "study:phila"


def test_an_unknown_study_is_404_with_suggestions(client) -> None:
    error = _get(client, "/studies/PHILLA", 404)["error"]
    assert error["code"] == "unknown_study" and error["parameter"] == "study_id"
    assert "study:phila" in [s["id"] for s in error["suggestions"]]


# -- cases -----------------------------------------------------------------------------------------------------
def _case_id(kg) -> str:
    return next(iter(kg.corpus.table(NodeType.PATIENT_CASE)))


def test_cases_are_listed_and_shown_with_their_evidence(client, kg_full) -> None:
    page = _valid(CasePage, _get(client, "/cases"))
    assert [c["id"] for c in page["results"]] == sorted(kg_full.corpus.table(NodeType.PATIENT_CASE))
    case_id = _case_id(kg_full)
    body = _valid(CaseDetail, _get(client, f"/cases/{case_id}"))
    assert sorted(body["evidence"]) == sorted(e.id for e in kg_full.corpus.evidence.values() if e.case == case_id)
    assert body["events"] == len(kg_full.corpus.table(NodeType.PATIENT_CASE)[case_id].events)


def test_the_timeline_lists_every_event_in_order_and_every_line(client, kg_full) -> None:
    case_id = _case_id(kg_full)
    record = kg_full.corpus.table(NodeType.PATIENT_CASE)[case_id]
    body = _valid(Timeline, _get(client, f"/cases/{case_id}/timeline"))
    assert [e["id"] for e in body["events"]] == [e.id for e in record.events]
    assert [e["date"] for e in body["events"]] == [e.date for e in record.events]
    lines = [e for e in record.events if e.kind is EventKind.DRUG_THERAPY and e.line_of_therapy]
    assert [line["event"] for line in body["lines"]] == [e.id for e in lines]
    assert [line["line"] for line in body["lines"]] == [e.line_of_therapy for e in lines]
    local = [e.id for e in record.events if e.kind in (EventKind.RADIOTHERAPY, EventKind.SURGERY)]
    assert [t["event"] for t in body["local_treatments"]] == local


def test_each_line_says_how_its_end_duration_and_response_were_obtained(client, kg_full) -> None:
    case_id = _case_id(kg_full)
    record = kg_full.corpus.table(NodeType.PATIENT_CASE)[case_id]
    events = {e.id: e for e in record.events}
    body = _valid(Timeline, _get(client, f"/cases/{case_id}/timeline"))
    for line in body["lines"]:
        event = events[line["event"]]
        end, span = line["end"], line["duration"]
        if event.end_date:
            assert end and end["how"] == "stated" and end["date"] == event.end_date
        elif end and end["how"] == "inferred":
            source = events[end["from_event"]]
            assert source.date == end["date"] and source.kind in (EventKind.PROGRESSION, EventKind.DRUG_THERAPY)
            assert span is None or "inferred" in (span["note"] or "")
        if span is not None:
            assert span["how"] == "computed" and line["start"]["date"] and end
        assessed = [e for e in record.events if e.assesses == event.id]
        assert [a["event"] for a in line["assessments"]] == [e.id for e in assessed]
        graded = [e for e in assessed if e.response]
        assert (line["response"] is None) == (not graded)
        if line["response"]:
            assert line["response"]["category"] in {e.response.value for e in graded if e.response}
    assert body["lines"][-1]["end"] is None and body["lines"][-1]["ongoing_at_last_review"]
    assert any(line["end"] and line["end"]["how"] == "inferred" for line in body["lines"])


def test_an_unknown_case_is_404_with_suggestions(client, kg_full) -> None:
    for path in ("/cases/case:pan-zhou-2023", "/cases/case:pan-zhou-2023/timeline"):
        error = _get(client, path, 404)["error"]
        assert error["code"] == "unknown_case" and error["parameter"] == "case_id"
        assert _case_id(kg_full) in [s["id"] for s in error["suggestions"]]


# -- the OpenAPI document --------------------------------------------------------------------------------------
def test_the_new_resources_are_documented_with_examples(client) -> None:
    spec = _get(client, "/openapi.json")
    for path in ("/studies", "/studies/{study_id}", "/cases", "/cases/{case_id}", "/cases/{case_id}/timeline"):
        operation = spec["paths"][path]["get"]
        assert operation["summary"] and "200" in operation["responses"]
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["examples"], (path, parameter["name"])
        if "{" in path:
            assert "404" in operation["responses"]
