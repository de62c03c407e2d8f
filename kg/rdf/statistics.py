"""The corpus-wide statistics that ranking needs, written into the export so a store-backed engine can rank alike.

The keyword ranking (:func:`kg.query.ranking.keyword_preference`) weighs a
question's content word by how many evidence statements use it, relative to
all of them, and normalises by statement length (BM25). On a subset of the
items those numbers differ, so an engine that fetches only some items from a
store needs the whole corpus's numbers. They are one node of the export:

.. code-block:: turtle

    <https://w3id.org/evidence-kg/statistics> a ekg:CorpusStatistics ;
        ekg:statisticsOf <https://w3id.org/evidence-kg/> ;
        ekg:evidenceItemCount 4487 ;                  # len(kg.index)
        ekg:statementCharacterCount 2152634 ;         # sum of len(statement), in code points
        ekg:wordStartFrequencies "{\\"aacr\\":1,...}" .  # JSON: word start -> statements using it

A *word start* is the first four or more letters of a word of a statement,
exactly as the ranking's pattern finds a stem (``(?<![0-9A-Za-z])stem[a-z]*``,
case-insensitive): a word begins after any character that is not an ASCII
letter or digit, and its letters are the ASCII letters plus the four that
Python's case-insensitive ``[a-z]`` also matches (``İ ı ſ K``). The value is
the number of evidence items whose statement has the word start, so the
document frequency of any stem of four letters or more is one look-up
(0 when absent). A stem with anything but letters, or of fewer than four, is
not covered (:meth:`CorpusStatistics.document_frequency` answers ``None``).
The table is a JSON object in one string literal (keys sorted): 21,963
entries, read once, instead of some 44,000 triples.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.core.errors import DataError
from kg.model import Corpus
from kg.rdf.iris import DATASET_IRI
from kg.rdf.namespace import EKG_NS, RDF
from kg.rdf.terms import integer_term, iri_term, text_term

__all__ = ["STATISTICS_IRI", "CorpusStatistics", "corpus_statistics", "read_statistics", "statistics_statements"]

STATISTICS_IRI = "https://w3id.org/evidence-kg/statistics"
#: The shortest stem the table covers (every content word of a question has four letters or more).
MIN_START = 4

_CLASS = str(EKG_NS.CorpusStatistics)
_OF = str(EKG_NS.statisticsOf)
_ITEMS = str(EKG_NS.evidenceItemCount)
_CHARACTERS = str(EKG_NS.statementCharacterCount)
_STARTS = str(EKG_NS.wordStartFrequencies)
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: What Python's case-insensitive ``[a-z]`` matches besides ASCII letters, and the letter each stands for.
_EXTRA_LETTERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TO_ASCII = str.maketrans(_EXTRA_LETTERS)
#: A word of four letters or more, where the ranking's stem pattern can start (its letters as re.I sees them).
_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{" + str(MIN_START) + ",}", re.IGNORECASE)


def _letter(char: str) -> str | None:
    """The lower-case ASCII letter ``char`` matches case-insensitively, or ``None``."""
    if char.isascii() and char.isalpha():
        return char.lower()
    return _EXTRA_LETTERS.get(char)


def _starts_of(word: str) -> tuple[str, ...]:
    low = word.translate(_TO_ASCII).lower()
    return tuple(low[:end] for end in range(MIN_START, len(low) + 1))


def word_starts(statement: str, cache: dict[str, tuple[str, ...]] | None = None) -> set[str]:
    """Every word start of ``statement`` (see the module docstring), lower-case ASCII."""
    cache = {} if cache is None else cache
    found: set[str] = set()
    for word in set(_WORD.findall(statement)):
        starts = cache.get(word)
        if starts is None:
            starts = cache[word] = _starts_of(word)
        found.update(starts)
    return found


@dataclass(frozen=True)
class CorpusStatistics:
    """The numbers behind the keyword ranking, for the whole corpus."""

    items: int
    statement_characters: int
    starts: dict[str, int]

    @property
    def mean_statement_length(self) -> float:
        """As :func:`kg.query.ranking.keyword_preference` computes it: characters / max(items, 1)."""
        return self.statement_characters / max(self.items, 1)

    def document_frequency(self, stem: str) -> int | None:
        """Statements using ``stem`` as a word start; ``None``: a stem the table does not cover."""
        if len(stem) < MIN_START or not all(_letter(char) is not None for char in stem):
            return None
        return self.starts.get("".join(_letter(char) or "" for char in stem), 0)


def corpus_statistics(corpus: Corpus) -> CorpusStatistics:
    """The statistics of ``corpus``'s evidence items (the items of the evidence index)."""
    starts: Counter[str] = Counter()
    cache: dict[str, tuple[str, ...]] = {}
    characters = 0
    items = list(corpus.evidence.values())
    for item in items:
        statement: str = getattr(item, "statement")  # noqa: B009 - every evidence item has one
        characters += len(statement)
        starts.update(word_starts(statement, cache))
    return CorpusStatistics(len(items), characters, dict(sorted(starts.items())))


def statistics_statements(corpus: Corpus) -> str:
    """The statistics node as N-Triples statements (what the export appends after the records)."""
    stats = corpus_statistics(corpus)
    subject = iri_term(STATISTICS_IRI)
    integer = integer_term(_XSD_INTEGER)
    table = json.dumps(stats.starts, separators=(",", ":"), ensure_ascii=True)
    pieces = [
        (RDF.type, iri_term(_CLASS)),
        (_OF, iri_term(DATASET_IRI)),
        (_ITEMS, integer(stats.items)),
        (_CHARACTERS, integer(stats.statement_characters)),
        (_STARTS, text_term(table)),
    ]
    return "".join(f"{subject} {iri_term(prop)} {obj} .\n" for prop, obj in pieces)


def read_statistics(triples: Iterable[Any]) -> CorpusStatistics | None:
    """The statistics among pyoxigraph triples or quads (a parse, a CONSTRUCT, a store); ``None`` if absent."""
    values: dict[str, str] = {}
    for triple in triples:
        if triple.subject.value == STATISTICS_IRI and triple.predicate.value in (_ITEMS, _CHARACTERS, _STARTS):
            values[triple.predicate.value] = triple.object.value
    if set(values) != {_ITEMS, _CHARACTERS, _STARTS}:
        return None
    counts = {_ITEMS: _count(values, _ITEMS), _CHARACTERS: _count(values, _CHARACTERS)}
    try:
        starts = json.loads(values[_STARTS])
        if not isinstance(starts, dict):
            raise ValueError("not an object")
        table = {str(key): int(value) for key, value in starts.items()}
    except (ValueError, TypeError):
        raise DataError(
            "(RDF)", STATISTICS_IRI, _STARTS, "a JSON object of word start -> integer", values[_STARTS][:80]
        ) from None
    return CorpusStatistics(counts[_ITEMS], counts[_CHARACTERS], table)


def _count(values: dict[str, str], prop: str) -> int:
    """The count of ``prop``; a :class:`~kg.core.errors.DataError` naming the node and property otherwise."""
    text = values[prop]
    if not text.isdigit():
        raise DataError("(RDF)", STATISTICS_IRI, prop, "a non-negative integer", text)
    return int(text)


#: The SPARQL query that fetches the statistics node from a store (a CONSTRUCT: feed its triples to
#: :func:`read_statistics`).
STATISTICS_QUERY = f"CONSTRUCT {{ <{STATISTICS_IRI}> ?p ?o }} WHERE {{ <{STATISTICS_IRI}> ?p ?o }}"
