"""The corpus statistics in the export (kg/rdf/statistics.py) are the numbers the in-memory ranking computes.

``keyword_preference`` weighs a content word by the number of statements that
use its stem (``statement_mentions(kg, [stem], stems=True)``, a regular
expression over every statement) and normalises by the mean statement length
over ``len(kg.index)`` items. The export's statistics node must give the same
numbers from the table alone: checked for every word of every question in
tests/data/questions.yaml and for a spread of the table's own entries, on the
seed + CIViC graph, after the export has gone through a pyoxigraph store.
"""

from __future__ import annotations

import pyoxigraph
import pytest
import yaml

from kg.export import serialize
from kg.query.mentions import statement_mentions
from kg.query.ranking import MEAN_LENGTH
from kg.rdf.statistics import STATISTICS_QUERY, corpus_statistics, read_statistics, word_starts
from kg.reader.keywords import keywords, stem
from tests.conftest import REPO

QUESTIONS = REPO / "tests" / "data" / "questions.yaml"


@pytest.fixture(scope="module")
def stored(kg_full):
    store = pyoxigraph.Store()
    store.bulk_load(serialize(kg_full, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    stats = read_statistics(store.query(STATISTICS_QUERY))
    assert stats is not None
    return stats


def _question_stems() -> list[str]:
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    words = {word for q in questions for word in keywords(q["question"], [])}
    return sorted({stem(word) for word in words})


def test_the_stored_statistics_are_the_corpus_statistics(stored, kg_full):
    assert stored == corpus_statistics(kg_full.corpus)


def test_item_count_and_mean_length_are_the_rankings(stored, kg_full):
    index = kg_full.index
    assert stored.items == len(index)
    total = max(len(index), 1)
    expected = kg_full.memo.table(MEAN_LENGTH).compute_once(
        None, lambda: sum(len(item.statement) for item in index.items) / total
    )
    assert stored.mean_statement_length == expected


def test_document_frequency_of_every_question_word_is_the_rankings(stored, kg_full):
    stems = _question_stems()
    assert len(stems) > 100
    for word in stems:
        frequency = stored.document_frequency(word)
        if frequency is None:  # not letters only: the engine must scan (none in the question set today)
            continue
        assert frequency == len(statement_mentions(kg_full, [word], stems=True)), word


def test_document_frequency_of_the_tables_own_entries(stored, kg_full):
    entries = list(stored.starts)
    assert len(entries) > 10_000
    for start in entries[::40]:
        assert stored.document_frequency(start) == len(statement_mentions(kg_full, [start], stems=True)), start
    assert stored.document_frequency("zzzzqx") == 0 == len(statement_mentions(kg_full, ["zzzzqx"], stems=True))


def test_word_starts_follow_the_rankings_pattern():
    assert word_starts("EGFR-mutant NSCLC, 19del") == {"egfr", "muta", "mutan", "mutant", "nscl", "nsclc"}
    assert word_starts("T790M") == set()  # no run of four letters at a word's start
    assert word_starts("x\u212aras") == {"xkra", "xkras"}  # the Kelvin sign is a 'k' to re.I's [a-z]
    assert word_starts("é-kras and ékras") == {"kras"}  # 'é' is no word character: 'kras' starts a word
