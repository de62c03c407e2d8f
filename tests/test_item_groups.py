"""Item groups (:mod:`kg.runtime.groups`) answer exactly as the items do, byte for byte.

* The groups are a partition the engine cannot see through: every name and
  filter posting set is a union of whole groups, members are sorted, groups
  are numbered by their first member, and a group's members share one
  summary code.
* Answers on groups (:mod:`kg.query.grouped`) against answers on items
  (``find_evidence(..., groups=False)``): the whole distinct-question
  workload, hypothesis-generated questions (names, filters, pages), and the
  question set through ``/ask`` with the groups switched on and off (at 1× the
  engine runs on items by default: :attr:`kg.runtime.groups.ItemGroups.preferred`).
* The summary's counts from the groups' sizes (:func:`kg.query.grouped.summary_counts`)
  against a count over every match in rank order.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.runtime.index
from benchmarks.workload import distinct_questions
from kg.core.errors import EvidenceKGError
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, StudyDesign
from kg.query.answer import answer_json
from kg.query.ask import ask_json
from kg.query.engine import find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.query.grouped import summary_counts
from kg.query.serialize import dumps
from kg.query.synthesis import synthesize
from kg.runtime.groups import GROUP_TABLES
from tests.test_fast_path import _query

QUESTIONS = Path(__file__).parent / "data" / "questions.yaml"


def test_every_posting_set_is_a_union_of_whole_groups(kg_full) -> None:
    index = kg_full.index
    groups = index.groups
    assert groups is not None and 0 < len(groups) <= len(index)
    assert sorted(p for found in groups.members for p in found) == list(range(len(index)))
    firsts = [found[0] for found in groups.members]
    assert firsts == sorted(firsts)  # numbered by first member
    for number, found in enumerate(groups.members):
        assert found == sorted(found)
        assert {groups.group_of[p] for p in found} == {number}
        assert {index.summary_codes[p] for p in found} == {groups.codes[number]}
        assert {bool(index.items[p].outcomes) for p in found} == {groups.reports[number]}
    tables = [(getattr(index, t), groups.tables[t]) for t in GROUP_TABLES] + [(index.filters, groups.filters)]
    for items_table, groups_table in tables:
        assert items_table.keys() == groups_table.keys()
        for key, items in items_table.items():
            assert frozenset(p for g in groups_table[key] for p in groups.members[g]) == items, key


def _both(kg: Any, query: EvidenceQuery) -> tuple[bytes, bytes, Any]:
    grouped = find_evidence(kg, query, groups=True)
    return answer_json(grouped), answer_json(find_evidence(kg, query, groups=False)), grouped


def test_the_workload_answers_the_same_on_groups_and_on_items(kg_full) -> None:
    queries = [_query(q.path) for q in distinct_questions(kg_full)]
    queries += [EvidenceQuery(), EvidenceQuery(disease="NSCLC", limit=100, offset=40)]
    on_groups = 0
    for query in queries:
        mine, theirs, answer = _both(kg_full, query)
        assert mine == theirs, query
        on_groups += answer.groups is not None
    assert on_groups == len(queries)  # none of them has records or preferences: all on groups


def _names(kg: Any, table: str) -> list[str]:
    return sorted(kg.resolver.label(key) for key in getattr(kg.index, table) if kg.resolver.node_type(key))


@pytest.fixture(scope="module")
def vocabulary(kg_full) -> dict[str, list[str]]:
    return {table: _names(kg_full, table) for table in ("therapy", "alteration", "gene", "disease")}


def _questions(vocabulary: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    def some(table: str, most: int) -> st.SearchStrategy[tuple[str, ...]]:
        return st.lists(st.sampled_from(vocabulary[table]), max_size=most, unique=True).map(tuple)

    def values(kind: Any) -> st.SearchStrategy[tuple[Any, ...]]:
        return st.lists(st.sampled_from(list(kind)), max_size=2, unique=True).map(tuple)

    return st.fixed_dictionaries(
        {
            "therapy": some("therapy", 2),
            "alteration": some("alteration", 2),
            "gene": some("gene", 1),
            "disease": st.none() | st.sampled_from(vocabulary["disease"]),
            "direction": values(Direction),
            "evidence_type": values(EvidenceType),
            "level": values(EvidenceLevel),
            "design": values(StudyDesign),
            "include_related": st.booleans(),
            "offset": st.sampled_from([0, 0, 3, 20, 250]),
            "limit": st.sampled_from([1, 5, 20, 100]),
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_questions_answer_the_same_on_groups_and_on_items(kg_full, vocabulary, data) -> None:
    fields = data.draw(_questions(vocabulary))
    try:
        query = EvidenceQuery(**fields)
        mine, theirs, answer = _both(kg_full, query)
    except EvidenceKGError as error:  # an ambiguous or contradictory question fails alike on both paths
        with pytest.raises(type(error)):
            find_evidence(kg_full, EvidenceQuery(**fields), groups=False)
        return
    assert mine == theirs, fields
    if answer.groups is not None:
        assert list(summary_counts(answer.groups)) == _counted(kg_full, answer), fields


def _counted(kg: Any, answer: Any) -> list[tuple[int, int]]:
    """(summary code, count) over every match in rank order (tiers best first, then item number)."""
    codes = kg.index.summary_codes
    return list(Counter(codes[p] for _, items in answer.tiers for p in sorted(items)).items())


def test_the_question_set_asks_the_same_with_groups_on_and_off(kg_full, monkeypatch) -> None:
    questions = [entry["question"] for entry in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]
    index = kg_full.index
    groups = index.groups
    assert groups is not None and index.default_groups() is None  # at 1× questions run on items by default

    def answers() -> list[bytes | str]:
        found: list[bytes | str] = []
        for question in questions:
            try:
                found.append(ask_json(kg_full, question))
            except EvidenceKGError as error:
                found.append(type(error).__name__)
        return found

    on_items = answers()
    monkeypatch.setattr(kg.runtime.index, "GROUPS_WITH_INDEX_FROM", 0)
    monkeypatch.setattr(groups, "preferred", True)
    assert index.default_groups() is groups  # every question that can, on groups
    assert answers() == on_items


def test_synthesis_is_the_same_on_groups_and_on_items(kg_full, monkeypatch) -> None:
    queries = [_query(q.path) for q in distinct_questions(kg_full)[:150]] + [EvidenceQuery(disease="NSCLC")]
    on_items = [dumps(synthesize(kg_full, query)) for query in queries]
    monkeypatch.setattr(kg.runtime.index, "GROUPS_WITH_INDEX_FROM", 0)
    monkeypatch.setattr(kg_full.index.groups, "preferred", True)
    assert find_evidence(kg_full, queries[0]).groups is not None
    assert [dumps(synthesize(kg_full, query)) for query in queries] == on_items
