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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.core.vocab import NodeType
from kg.model import Alteration, BiomarkerDefinition, Gene, PatientCase, Source, Study
from kg.runtime.memo import MemoSpec
from kg.runtime.resolve import EntityName, name_key, name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "ABBREVIATIONS",
    "FUZZY_TYPES",
    "LEXICON",
    "Lexicon",
    "fuzzy_budget",
    "is_english",
    "lexicon",
    "looks_like_a_name",
    "loose_key",
    "loose_token",
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
#: Standard abbreviations of diseases in clinical writing, each read only as the one graph name its expansion has.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AML": ("acute myeloid leukemia",),
    "CML": ("chronic myeloid leukemia",),
    "CLL": ("chronic lymphocytic leukemia",),
    "ALL": ("acute lymphoblastic leukemia", "b-lymphoblastic leukemia/lymphoma"),
    "MDS": ("myelodysplastic syndrome",),
    "GIST": ("gastrointestinal stromal tumor",),
    "CRC": ("colorectal cancer",),
    "mCRC": ("colorectal cancer",),
    "HCC": ("hepatocellular carcinoma",),
    "RCC": ("renal cell carcinoma",),
    "ccRCC": ("clear cell renal cell carcinoma",),
    "SCLC": ("lung small cell carcinoma", "small cell lung carcinoma"),
    "LUAD": ("lung adenocarcinoma",),
    "HNSCC": ("head and neck squamous cell carcinoma",),
    "GBM": ("glioblastoma",),
    "DLBCL": ("diffuse large b-cell lymphoma",),
    "MM": ("multiple myeloma",),
    "CRPC": ("castration-resistant prostate carcinoma",),
    "mCRPC": ("castration-resistant prostate carcinoma",),
    "PDAC": ("pancreatic ductal adenocarcinoma",),
    "MTC": ("medullary thyroid carcinoma",),
    "PTC": ("papillary thyroid carcinoma",),
    "TNBC": ("triple-receptor negative breast cancer",),
}
#: Words a name may leave out (or a question add) without naming something else: read only when the exact name fails.
_QUALIFIERS = frozenset(
    {"the", "a", "an", "of", "receptor", "metastasis", "advanced", "early", "recurrent", "locally", "unresectable",
     "stage", "iv", "iiib", "setting", "positive-status"}
)  # fmt: skip
_HEAD_NOUNS = {
    "drug": "therapy",
    "agent": "therapy",
    "treatment": "therapy",
    "regimen": "therapy",
    "carcinoma": "cancer",
}
_PROTEIN_CHANGE = re.compile(r"^[A-Z]\d+(?:[A-Z*]|_[A-Z]\d+(?:del|ins|dup)\w*|del|dup|fs\w*)$")


def loose_token(token: str) -> str:
    """One name token as loose keys see it: "" for a qualifier, a head noun folded ("drug" → "therapy")."""
    return "" if token in _QUALIFIERS else _HEAD_NOUNS.get(token, token)


def loose_key(tokens: Sequence[str]) -> str:
    """A name's key with qualifier words left out and head nouns folded ("HER2-positive metastatic breast cancer")."""
    return "".join(loose_token(token) for token in tokens)


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
    loose: dict[str, list[EntityName]] = field(default_factory=dict)
    starts: set[str] = field(default_factory=set)  # first tokens of every name: other words start none
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_names: dict[str, list[EntityName]] = field(default_factory=dict)
    max_tokens: int = 8

    def lookup(self, key: str) -> Sequence[EntityName]:
        """Every name whose key is ``key``: the resolver's first (labels before synonyms), then the extra ones."""
        found = self.kg.resolver.by_key(key)
        extra = self.extra.get(key)
        if not extra:
            return found
        if not found:
            return extra
        seen = {entry.entity_id for entry in found}
        return [*found, *(entry for entry in extra if entry.entity_id not in seen)]

    def lookup_loose(self, tokens: Sequence[str]) -> Sequence[EntityName]:
        """Names whose loose key equals that of ``tokens``, when exactly one record has it (else none).

        ``tokens`` are name tokens already folded by :func:`loose_token` ("" for a qualifier).
        """
        if not tokens or not tokens[0] or not tokens[-1]:
            return ()  # qualifiers are left out inside a name, never at its edges ("of EGFR" is not a name)
        entries = self.loose.get("".join(tokens))
        if not entries:
            return ()
        if len({entry.entity_id for entry in entries}) > 1:  # an alteration and its one-alteration profile are one
            entries = [e for e in entries if e.node_type is not NodeType.MOLECULAR_PROFILE] or entries
        return entries if len({entry.entity_id for entry in entries}) == 1 else ()

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


_DRUG_ENDING = re.compile(
    r"(tinib|anib|rafenib|ciclib|parib|lisib|zumab|ximab|umab|mab|platin|taxel|rubicin|tecan|mustine|"
    r"rolimus|degib|fenib|metinib|sertib|stat|trexed|citabine|mycin)$",
    re.I,
)
#: Upper-case words of clinical writing that are not names of graph records (read by the question grammar, or
#: plainly not names): they are not reported as unknown names.
_NOT_NAMES = frozenset(
    {"I", "A", "II", "III", "IV", "V", "VI", "US", "USA", "UK", "EU", "FDA", "EMA", "NMPA", "WHO", "CI", "OK",
     "AND", "OR", "NOT", "VS", "NO", "THE", "OF", "IN", "ON", "AT", "TO", "IS"}
)  # fmt: skip


def looks_like_a_name(word: str) -> bool:
    """Whether a word is shaped like a name: a digit inside letters, capitals, a drug-like ending, or not English."""
    if not word or word.isdigit() or word.upper() in _NOT_NAMES:
        return False
    letters = sum(char.isalpha() for char in word)
    if letters and any(char.isdigit() for char in word):
        return letters >= 1 and len(word) >= 3  # T790M, HS10296, ex20ins; not "5th"
    if len(word) >= 2 and word.isupper():
        return True
    if any(char.isupper() for char in word[1:]):
        return True  # mAb, pCR, HER2-like mixed case
    if _DRUG_ENDING.search(word) and len(word) >= 6:
        return True
    return len(word) >= 4 and word.isalpha() and not is_english(word)


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


_ET_AL = re.compile(r"\s+et al\.?,?", re.I)


def _study_variants(names: Iterable[str]) -> Iterable[str]:
    """Each name, and the name without "et al." ("Zhou et al. 2020" is also "Zhou 2020")."""
    for name in names:
        yield name
        bare = _ET_AL.sub("", name)
        if bare != name:
            yield bare


def _alteration_names(kg: KnowledgeGraph) -> Iterable[tuple[Alteration, str]]:
    """Names an alteration is written by that its record does not list.

    The label without its parenthesis and with the parenthesis alone ("VHL
    R200W (c.598C>T)" is "VHL R200W" and "VHL c.598C>T"); a label ending in
    "mutation" without the word when a variant remains ("MET exon 14
    skipping"); the gene's other names with the variant ("PD-L1 expression");
    the bare protein change ("T315I"), kept only when no other gene has it.
    """
    bare: dict[str, list[Alteration]] = {}
    for record in kg.corpus.alterations.values():
        if not isinstance(record, Alteration):
            continue
        gene = kg.corpus.genes.get(record.gene)
        gene_names = gene.all_names() if isinstance(gene, Gene) else ()
        label = record.label
        inner = re.search(r"\(([^()]+)\)\s*$", label)
        if inner:
            outer = label[: inner.start()].strip()
            yield record, outer
            symbol = record.gene.split(":", 1)[1]
            yield record, f"{symbol} {inner.group(1)}"
        words = label.split()
        if len(words) >= 4 and words[-1].lower() in ("mutation", "mutations"):
            yield record, " ".join(words[:-1])
        variant = _PARENTHESIS.sub("", record.variant or "").strip()
        if variant:
            for alias in gene_names[1:]:
                yield record, f"{alias} {variant}"
            if _PROTEIN_CHANGE.match(variant):
                bare.setdefault(variant, []).append(record)
    for variant, records in bare.items():
        if len({r.gene for r in records}) == 1 and len(records) == 1:
            yield records[0], variant


def _distinctive_study_words(kg: KnowledgeGraph, extra: dict[str, list[EntityName]]) -> None:
    """A name-like word of one study's name and of no other record ("MSKCC") names that study."""
    owners: dict[str, set[str]] = {}
    for study in kg.corpus.studies.values():
        for word in re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", getattr(study, "name", "")):
            if looks_like_a_name(word) and not kg.resolver.by_key(name_key(word)):
                owners.setdefault(word, set()).add(study.id)
    for word, studies in owners.items():
        if len(studies) == 1:
            study_id = next(iter(studies))
            _add(extra, EntityName(study_id, NodeType.STUDY, word, kg.corpus.studies[study_id].name, False))


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
        for name in _study_variants(_study_names(kg, study)):
            _add(extra, EntityName(study.id, NodeType.STUDY, name, study.name, False))
        for arm in study.arms:
            short = _PARENTHESIS.sub("", arm.label).strip()
            if short and short != arm.label:
                _add(extra, EntityName(arm.id, NodeType.ARM, short, arm.label, False))
    _distinctive_study_words(kg, extra)
    for source in corpus.sources.values():
        if not isinstance(source, Source):
            continue
        for registry_id in source.registry_ids:
            if registry_id not in trial_studies and _REGISTRY_ID.match(registry_id):
                _add(extra, EntityName(source.id, NodeType.SOURCE, registry_id, source.short_citation, False))
    for alteration, name in _alteration_names(kg):
        _add(extra, EntityName(alteration.id, NodeType.ALTERATION, name, alteration.label, False))
    for abbreviation, expansions in ABBREVIATIONS.items():
        found = {
            e.entity_id: e
            for x in expansions
            for e in kg.resolver.by_key(name_key(x))
            if e.node_type is NodeType.DISEASE
        }
        if len(found) == 1:
            entry = next(iter(found.values()))
            _add(extra, EntityName(entry.entity_id, NodeType.DISEASE, abbreviation, entry.label, False))
    for record in corpus.table(NodeType.BIOMARKER_DEFINITION).values():
        if isinstance(record, BiomarkerDefinition):
            for name in _biomarker_names(record):
                _add(extra, EntityName(record.id, NodeType.BIOMARKER_DEFINITION, name, record.label, False))
    for record in corpus.table(NodeType.PATIENT_CASE).values():
        if isinstance(record, PatientCase):
            _add(extra, EntityName(record.id, NodeType.PATIENT_CASE, record.label, record.label, True))
    for record in (*corpus.evidence.values(), *corpus.table(NodeType.ASSERTION).values()):
        for xref in getattr(record, "xrefs", ()):
            if xref.status.value != "unverified":
                lex.identifiers[xref.id.lower()] = record.id
    lex.max_tokens = max(
        8, max((len(name_tokens(entry.name)) for entries in extra.values() for entry in entries), default=0)
    )
    _fuzzy_index(kg, lex)
    _loose_index(kg, lex)
    return lex


def _loose_index(kg: KnowledgeGraph, lex: Lexicon) -> None:
    """Every name of several words by its loose key, where that differs from its exact key."""

    def add(entry: EntityName) -> None:
        tokens = name_tokens(entry.name)
        key = loose_key(tokens)
        if len(tokens) >= 2 and key and key != "".join(tokens):
            bucket = lex.loose.setdefault(key, [])
            if all(other.entity_id != entry.entity_id for other in bucket):
                bucket.append(entry)

    for key in list(kg.resolver.keys()):
        for entry in kg.resolver.by_key(key):
            add(entry)
            tokens = name_tokens(entry.name)
            lex.loose.setdefault(loose_key(tokens), [])  # exact names also answer loose lookups
            bucket = lex.loose[loose_key(tokens)]
            if all(other.entity_id != entry.entity_id for other in bucket):
                bucket.append(entry)
    for entries in lex.extra.values():
        for entry in entries:
            add(entry)
    for key in list(kg.resolver.keys()):
        for entry in kg.resolver.by_key(key):
            _start(lex, entry.name)
    for entries in lex.extra.values():
        for entry in entries:
            _start(lex, entry.name)


def _start(lex: Lexicon, name: str) -> None:
    tokens = name_tokens(name)
    if tokens:
        lex.starts.add(tokens[0])
        lex.starts.add(loose_token(tokens[0]))


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


#: The reader's lexicon of a graph (one value per graph, in its memo).
LEXICON: MemoSpec[None, Lexicon] = MemoSpec("reader lexicon", max_entries=1)


def lexicon(kg: KnowledgeGraph) -> Lexicon:
    """The lexicon of ``kg``, built once on first use and kept in the graph's memo (concurrent first uses wait)."""
    return kg.memo.table(LEXICON).compute_once(None, lambda: _build(kg))
