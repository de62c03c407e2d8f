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

from kg.core.errors import DataError
from kg.core.vocab import EKG_VOCAB
from kg.export import serialize
from kg.query.mentions import statement_mentions
from kg.query.ranking import MEAN_LENGTH
from kg.rdf.statistics import STATISTICS_QUERY, CorpusStatistics, corpus_statistics, read_statistics, word_starts
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


def _statistics_node(items: str, characters: str, starts: str) -> list[pyoxigraph.Triple]:
    """The statistics node's triples, as a store's CONSTRUCT answers them (a list: pyoxigraph's query iterators are
    bound to their thread, and a failing test's traceback would keep one alive until another thread collects it)."""
    store = pyoxigraph.Store()
    ekg = EKG_VOCAB
    node = pyoxigraph.NamedNode("https://w3id.org/evidence-kg/statistics")
    for prop, value in (("evidenceItemCount", items), ("statementCharacterCount", characters)):
        typed = pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#string"))
        store.add(pyoxigraph.Quad(node, pyoxigraph.NamedNode(ekg + prop), typed))
    store.add(pyoxigraph.Quad(node, pyoxigraph.NamedNode(ekg + "wordStartFrequencies"), pyoxigraph.Literal(starts)))
    return list(store.query(STATISTICS_QUERY))


@pytest.mark.parametrize(
    ("items", "characters", "starts", "field"),
    [
        ("many", "10", "{}", "evidenceItemCount"),
        ("3", "-10", "{}", "statementCharacterCount"),
        ("3", "10", '{"aacr": "x"}', "wordStartFrequencies"),
        ("3", "10", "[1, 2]", "wordStartFrequencies"),
        ("3", "10", "{not json", "wordStartFrequencies"),
    ],
)
def test_a_malformed_statistics_node_is_a_data_error_naming_the_field(items, characters, starts, field) -> None:
    with pytest.raises(DataError, match=field) as caught:
        read_statistics(_statistics_node(items, characters, starts))
    assert "statistics" in caught.value.record


def test_an_export_without_a_statistics_node_has_none() -> None:
    assert read_statistics(list(pyoxigraph.Store().query(STATISTICS_QUERY))) is None
    read = read_statistics(_statistics_node("3", "10", '{"aacr": 2}'))
    assert read == CorpusStatistics(3, 10, {"aacr": 2}) and read.document_frequency("AACR") == 2
