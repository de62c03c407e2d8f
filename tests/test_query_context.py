"""The answer's context: the records a question is about, ranked, each with why (kg.query.context)."""

from __future__ import annotations

import pytest

from kg.core.vocab import NodeType
from kg.model.terms import EventKind
from kg.query.context import answer_context
from kg.reader.question import read_question


def _context(kg, question: str) -> list[dict]:
    return answer_context(kg, read_question(kg, question))


def _case(kg):
    return next(iter(kg.corpus.table(NodeType.PATIENT_CASE).values()))


def test_a_treatment_question_lists_the_lines_of_therapy_first(kg_full) -> None:
    case = _case(kg_full)
    lines = [e.id for e in case.events if e.kind is EventKind.DRUG_THERAPY and e.line_of_therapy]
    context = _context(kg_full, "Which treatments did the patient receive, and when?")
    assert context[0]["id"] == case.id
    assert [entry["id"] for entry in context[1 : 1 + len(lines)]][:3] == lines[:3]
    assert all(entry["why"] for entry in context)


@pytest.mark.parametrize("site", ["site:brain", "site:bone"])
def test_a_metastasis_question_puts_the_progression_at_that_site_first(kg_full, site: str) -> None:
    case = _case(kg_full)
    progression = next(e.id for e in case.events if e.kind is EventKind.PROGRESSION and site in e.sites)
    label = kg_full.resolver.label(site)
    context = _context(kg_full, f"When did this patient develop {label} metastases?")
    assert [entry["id"] for entry in context[:2]] == [case.id, progression]
    assert context[1]["date"] == kg_full.corpus.get(progression).date


def test_a_response_question_lists_the_assessments_of_that_treatment(kg_full) -> None:
    case = _case(kg_full)
    therapy = next(e for e in case.events if e.kind is EventKind.DRUG_THERAPY and len(e.drugs) >= 2)
    names = " plus ".join(kg_full.resolver.label(d) for d in therapy.drugs)
    context = [entry["id"] for entry in _context(kg_full, f"How did she respond to {names}?")[:5]]
    assessed = [e.id for e in case.events if e.assesses == therapy.id]
    assert therapy.id in context and set(assessed) <= set(context)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("What did the PHENIX trial report?", "study:phenix"),
        ("what HER2/CEP17 ratio defines amplification?", "biomarker:her2-amplification-asco-cap"),
        ("What is Enhertu?", "drug:trastuzumab-deruxtecan"),
    ],
)
def test_a_question_about_a_record_starts_with_it(kg_full, question: str, first: str) -> None:
    context = _context(kg_full, question)
    assert context[0]["id"] == first
    assert not any(entry["type"] == "case_event" for entry in context)
