"""The reader's lexicon: every name the graph knows, plus the few a text uses that no record lists as a name.

The resolver (:mod:`kg.runtime.resolve`) indexes labels, synonyms (brand
names among them) and verified external ids of the named entities. Texts
name more than that, and this module adds it, built once per knowledge
graph:

* **studies** by their registry ids (``NCT02675829``, ``ChiCTR1800020262``),
  the short form of their names ("NCT02675829" of "NCT02675829 (T-DM1 in
  …)") and the citations of their reports ("Li et al., 2016");
* **trial publications** without a study record (CIViC's sources) by their
  registry ids, so ``NCT01234567`` reaches the items citing that trial;
* **biomarker definitions** by what they measure ("HER2/CEP17 ratio");
* **patient cases** by their labels; ids of every record (``case:…``,
  ``ev:…``) and the external ids of evidence items (``civic.eid:1041``).

It also holds the two word lists the reader needs to be honest about words
it does not know: an English dictionary (pyspellchecker's frequency list,
pure Python and offline, used because a hand-made stop list cannot say
whether "pyrotinb" is a word) and the single-word names a misspelling may
be read as, matched with rapidfuzz's optimal-string-alignment distance (a C
implementation: a few microseconds against thousands of names, where
:mod:`difflib` takes milliseconds, and it counts a transposition as one
edit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.core.vocab import NodeType
from kg.model import BiomarkerDefinition, PatientCase, Source, Study
from kg.runtime.resolve import EntityName, name_key, name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "FUZZY_TYPES",
    "Lexicon",
    "fuzzy_budget",
    "is_english",
    "lexicon",
]

#: Types a misspelled word may be read as: the names researchers type from memory.
FUZZY_TYPES: frozenset[NodeType] = frozenset(
    {
        NodeType.DRUG,
        NodeType.DRUG_CLASS,
        NodeType.GENE,
        NodeType.DISEASE,
        NodeType.ADVERSE_EVENT,
        NodeType.ANATOMICAL_SITE,
        NodeType.STUDY,
    }
)
#: Shortest word a misspelling is looked for in (shorter ones are too close to too many names).
MIN_FUZZY_LENGTH = 5
#: Words of the dictionary rarer than this still count as English (the list's floor is 50).
_ENGLISH_FLOOR = 50
_PARENTHESIS = re.compile(r"\s*\(.*$")
_REGISTRY_ID = re.compile(r"^(NCT\d{8}|ChiCTR[-A-Za-z0-9]*\d{6,}|ISRCTN\d+|EudraCT[-\d]+|JapicCTI-\d+)$")


def fuzzy_budget(word: str) -> int:
    """Edits allowed between a word and the name it is read as: 1 up to 7 letters, 2 from 8 on.

    Bounded so that a short word is never stretched to a name ("cancer" is
    not "Cancel", and four-letter words are never read at all).
    """
    if len(word) < MIN_FUZZY_LENGTH:
        return 0
    return 1 if len(word) <= 7 else 2


@cache
def _dictionary() -> dict[str, int]:
    """Word → frequency of pyspellchecker's English list (loaded once per process)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def is_english(word: str) -> bool:
    """Whether ``word`` (any case) is an English word: in the dictionary, or a plural or ``-ed``/``-ing`` form of one."""
    lowered = word.lower()
    words = _dictionary()
    if words.get(lowered, 0) >= _ENGLISH_FLOOR:
        return True
    for suffix, stem_end in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if lowered.endswith(suffix) and len(lowered) > len(suffix) + 2:
            stem = lowered[: -len(suffix)] + stem_end
            if words.get(stem, 0) >= _ENGLISH_FLOOR:
                return True
    return False


@dataclass
class Lexicon:
    """The graph's names for reading texts: the resolver's, the extra ones above, and the fuzzy index."""

    kg: KnowledgeGraph
    extra: dict[str, list[EntityName]] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)  # lower-cased external id → record id
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_names: dict[str, list[EntityName]] = field(default_factory=dict)
    max_tokens: int = 8

    def lookup(self, key: str) -> list[EntityName]:
        """Every name whose key is ``key``: the resolver's first (labels before synonyms), then the extra ones."""
        found = list(self.kg.resolver.by_key(key))
        seen = {entry.entity_id for entry in found}
        found += [entry for entry in self.extra.get(key, ()) if entry.entity_id not in seen]
        return found

    def identifier(self, text: str) -> str | None:
        """The record an id names: our own id of any record, or a verified external id."""
        candidate = text.strip()
        if candidate in self.kg.corpus:
            return candidate
        resolved = self.kg.resolver.resolve(candidate)
        if resolved:
            return resolved[0]
        return self.identifiers.get(candidate.lower())

    def node_type(self, record_id: str) -> NodeType | None:
        """Type of any record id (named or not)."""
        data = self.kg.graph.nodes.get(record_id)
        return NodeType(data["type"]) if data is not None else None

    def label(self, record_id: str) -> str:
        """Display label of any record id."""
        data = self.kg.graph.nodes.get(record_id)
        return str(data["label"]) if data is not None else record_id

    def nearest(self, word: str) -> tuple[list[EntityName], int]:
        """The single-word names closest to ``word`` within its :func:`fuzzy_budget`, and their distance.

        Returns ``([], 0)`` when none is close enough. Several entities at the
        same distance are all returned: the caller reads none of them.
        """
        budget = fuzzy_budget(word)
        if not budget:
            return [], 0
        key = name_key(word)
        matches = process.extract(key, self.fuzzy_keys, scorer=OSA.distance, score_cutoff=budget, limit=10)
        if not matches:
            return [], 0
        best = min(int(score) for _, score, _ in matches)
        entries: dict[str, EntityName] = {}
        for choice, score, _ in matches:
            if int(score) == best:
                for entry in self.fuzzy_names[choice]:
                    entries.setdefault(entry.entity_id, entry)
        return list(entries.values()), best


def _add(table: dict[str, list[EntityName]], entry: EntityName) -> None:
    key = name_key(entry.name)
    if not key:
        return
    bucket = table.setdefault(key, [])
    if all(other.entity_id != entry.entity_id for other in bucket):
        bucket.append(entry)


def _study_names(kg: KnowledgeGraph, study: Study) -> Iterable[str]:
    yield from study.registry_ids
    short = _PARENTHESIS.sub("", study.name)
    if short and short != study.name:
        yield short
    for source_id in study.sources:
        source = kg.corpus.sources.get(source_id)
        if isinstance(source, Source) and source.kind.value != "unidentified_reference":
            yield source.short_citation
            short_citation = _PARENTHESIS.sub("", source.short_citation)
            if short_citation != source.short_citation:
                yield short_citation


def _biomarker_names(record: BiomarkerDefinition) -> Iterable[str]:
    yield record.label
    yield record.measurement
    short = _PARENTHESIS.sub("", record.measurement)
    yield short
    if short.lower().endswith(" ratio"):  # "HER2/CEP17 ratio" is also written "HER2/CEP17"
        yield short[: -len(" ratio")]


def _build(kg: KnowledgeGraph) -> Lexicon:
    lex = Lexicon(kg)
    corpus = kg.corpus
    extra = lex.extra
    trial_studies: set[str] = set()
    for study in corpus.studies.values():
        if not isinstance(study, Study):
            continue
        trial_studies.update(study.registry_ids)
        for name in _study_names(kg, study):
            _add(extra, EntityName(study.id, NodeType.STUDY, name, study.name, False))
    for source in corpus.sources.values():
        if not isinstance(source, Source):
            continue
        for registry_id in source.registry_ids:
            if registry_id not in trial_studies and _REGISTRY_ID.match(registry_id):
                _add(extra, EntityName(source.id, NodeType.SOURCE, registry_id, source.short_citation, False))
    for record in corpus.table(NodeType.BIOMARKER_DEFINITION).values():
        if isinstance(record, BiomarkerDefinition):
            for name in _biomarker_names(record):
                _add(extra, EntityName(record.id, NodeType.BIOMARKER_DEFINITION, name, record.label, False))
    for record in corpus.table(NodeType.PATIENT_CASE).values():
        if isinstance(record, PatientCase):
            _add(extra, EntityName(record.id, NodeType.PATIENT_CASE, record.label, record.label, True))
    for item in corpus.evidence.values():
        for xref in item.xrefs:
            if xref.status.value != "unverified":
                lex.identifiers[xref.id.lower()] = item.id
    lex.max_tokens = max(
        8, max((len(name_tokens(entry.name)) for entries in extra.values() for entry in entries), default=0)
    )
    _fuzzy_index(kg, lex)
    return lex


def _fuzzy_index(kg: KnowledgeGraph, lex: Lexicon) -> None:
    """Single-word names of the fuzzy types, by key (a misspelling is a word, so only words are candidates)."""
    names: dict[str, list[EntityName]] = {}
    for key in list(kg.resolver.keys()):
        for entry in kg.resolver.by_key(key):
            if entry.node_type in FUZZY_TYPES and len(key) >= MIN_FUZZY_LENGTH and len(name_tokens(entry.name)) == 1:
                bucket = names.setdefault(key, [])
                if all(other.entity_id != entry.entity_id for other in bucket):
                    bucket.append(entry)
    for key, entries in lex.extra.items():
        for entry in entries:
            if entry.node_type in FUZZY_TYPES and len(key) >= MIN_FUZZY_LENGTH and len(name_tokens(entry.name)) == 1:
                names.setdefault(key, []).append(entry)
    lex.fuzzy_names = names
    lex.fuzzy_keys = sorted(names)


def lexicon(kg: KnowledgeGraph) -> Lexicon:
    """The lexicon of ``kg``, built on first use and kept with the graph (like its index)."""
    cached = kg.__dict__.get("_reader_lexicon")
    if isinstance(cached, Lexicon):
        return cached
    built = _build(kg)
    kg.__dict__["_reader_lexicon"] = built
    return built
