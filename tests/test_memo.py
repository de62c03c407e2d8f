"""The knowledge graph's one memo: bounded, cleared at once, per graph, and never keeping a dead graph alive."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import orjson
import pytest

from kg.query.answer import EXPLANATIONS, PAYLOADS, answer_payload, evidence_answer
from kg.query.engine import find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.runtime.groups import GROUP_UNIONS
from kg.runtime.index import UNIONS
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.memo import Memo, MemoSpec

HEADLINE = EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2 amplification",), disease="NSCLC", limit=50)


def test_a_table_is_a_bounded_lru() -> None:
    table = Memo().table(MemoSpec[str, int]("numbers", max_entries=2))
    table.put("a", 1)
    table.put("b", 2)
    assert table.get("a") == 1  # "a" is now the most recently used
    table.put("c", 3)
    assert table.get("b") is None and table.get("a") == 1 and table.get("c") == 3
    assert len(table) == 2


def test_get_or_compute_computes_once_per_key() -> None:
    table = Memo().table(MemoSpec[str, list[int]]("lists", max_entries=10))
    calls: list[str] = []
    first = table.get_or_compute("k", lambda: calls.append("k") or [1])
    again = table.get_or_compute("k", lambda: calls.append("k") or [2])
    assert first is again and calls == ["k"]


def test_concurrent_misses_of_one_key_wait_for_one_computation() -> None:
    table = Memo().table(MemoSpec[str, str]("slow", max_entries=10))
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.05)
        return "value"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(table.compute_once("k", compute))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["value"] * 4
    assert calls == [1]


def test_a_name_is_declared_once() -> None:
    memo = Memo()
    memo.table(MemoSpec[str, int]("name", max_entries=2))
    with pytest.raises(ValueError, match="declared twice"):
        memo.table(MemoSpec[str, int]("name", max_entries=3))
    with pytest.raises(ValueError, match="max_entries"):
        MemoSpec[str, int]("empty", max_entries=0)


def test_answers_fill_the_graphs_memo_and_are_the_same_after_clearing_it(curated_corpus) -> None:
    kg = KnowledgeGraph.from_corpus(curated_corpus)
    warm_up = orjson.dumps(evidence_answer(kg, HEADLINE))
    described = kg.memo.describe()
    for spec in (PAYLOADS, EXPLANATIONS, UNIONS):
        assert described[spec.name]["entries"] > 0, spec.name
    assert orjson.dumps(answer_payload(find_evidence(kg, HEADLINE, groups=True))) == warm_up
    assert kg.memo.describe()[GROUP_UNIONS.name]["entries"] > 0  # answered on item groups: their unions
    assert orjson.dumps(evidence_answer(kg, HEADLINE)) == warm_up  # answered from the memo
    kg.memo.clear()
    assert all(table["entries"] == 0 for table in kg.memo.describe().values())
    assert orjson.dumps(evidence_answer(kg, HEADLINE)) == warm_up  # recomputed: the same bytes


def test_a_graph_and_its_memo_die_together(curated_corpus) -> None:
    """Nothing global (an lru_cache keyed by the index, a module-level table) keeps a dead graph alive."""
    kg = KnowledgeGraph.from_corpus(curated_corpus)
    evidence_answer(kg, HEADLINE)
    dead = weakref.ref(kg)
    index = weakref.ref(kg.index)
    del kg
    gc.collect()
    assert dead() is None
    assert index() is None
