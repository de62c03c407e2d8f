"""Names in text: find the spans of a question or a paper that name records of the graph, and the ones that don't.

The question reader (``/ask``, :mod:`kg.reader.question`) and the paper
reader (``kg propose``) find drugs, genes, alterations, diseases, studies,
sites, adverse events, mechanisms, pathways, biomarker definitions and
cases here, with the names of :mod:`kg.reader.lexicon` (labels, synonyms,
brand names, registry ids, citations; identifiers such as ``DOID:3908``),
so a name understood in a question is understood in a paper.

Three passes over the text, each only on what the earlier ones left:

1. **identifiers**: CURIEs (``DOID:3908``, ``HGNC:3430``, ``drug:pyrotinib``)
   resolve exactly or are reported unknown;
2. **names**: longest-first over the text's tokens, compared by
   :func:`~kg.runtime.resolve.name_key` (case, hyphens and plurals do not
   matter). A one-word gene symbol that is also a common English word
   ("met", "kit", "pole") counts only when written in capitals;
3. **everything else that looks like a name** (a digit inside a word, capitals,
   a drug-like ending, a word no English dictionary has): read as the
   nearest known name when one single name lies within a small, fixed
   number of edits (:func:`~kg.reader.lexicon.fuzzy_budget`; never for an
   English word), with a note saying so; otherwise listed as unknown with
   the reason. Nothing name-like is dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.core.identifiers import EXTERNAL_PREFIXES, own_prefixes
from kg.core.vocab import NodeType
from kg.reader.lexicon import Lexicon, is_english, lexicon, looks_like_a_name, loose_token
from kg.runtime.resolve import EntityName, name_key, name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["FACET_OF_TYPE", "Mention", "Names", "Unknown", "find_names", "looks_like_a_name", "recognise"]

_TOKEN = re.compile(r"[0-9A-Za-z]+")
_CURIE = re.compile(r"(?<![\w:/.])[A-Za-z][A-Za-z0-9_.]*:[A-Za-z0-9][A-Za-z0-9_.\-]*(?<![.\-])(?![\w:])")
# lower-case words that are also gene or drug names: only an upper-case spelling counts as the name
_COMMON_WORDS = frozenset(
    {"met", "kit", "ret", "all", "set", "cat", "can", "was", "has", "map", "arm", "not", "and", "the", "for",
     "her", "men", "car", "nor", "rest", "age", "sex", "aim", "impact", "large", "tube", "mice"}
)  # fmt: skip
_GENE_TYPES = frozenset({NodeType.GENE, NodeType.ALTERATION, NodeType.MOLECULAR_PROFILE})

#: Facet of a question each kind of record is read into.
FACET_OF_TYPE: dict[NodeType, str] = {
    NodeType.DRUG: "therapy",
    NodeType.DRUG_CLASS: "therapy",
    NodeType.ALTERATION: "alteration",
    NodeType.GENE: "alteration",
    NodeType.MOLECULAR_PROFILE: "alteration",
    NodeType.DISEASE: "disease",
    NodeType.STUDY: "study",
    NodeType.SOURCE: "study",  # a trial's publication named by its registry id (no study record)
    NodeType.ANATOMICAL_SITE: "site",
    NodeType.ADVERSE_EVENT: "adverse_event",
    NodeType.RESISTANCE_MECHANISM: "mechanism",
    NodeType.PATHWAY: "pathway",
    NodeType.BIOMARKER_DEFINITION: "biomarker",
    NodeType.PATIENT_CASE: "case",
    NodeType.CASE_EVENT: "case",
    NodeType.ARM: "therapy",  # a study arm ("pyHT") stands for its drugs
    NodeType.EVIDENCE: "evidence",  # "CIViC EID 1867"
    NodeType.ASSERTION: "evidence",
}
# When one name names several records, which to read: facets in this order, then labels before synonyms.
_TYPE_ORDER = {node_type: rank for rank, node_type in enumerate(FACET_OF_TYPE)}
_TYPE_ORDER[NodeType.DRUG_CLASS] = -1  # "chemotherapy" the curated class, before CIViC's drug of that name


@dataclass(frozen=True)
class Mention:
    """A span of the text read as a record: how it was found (``name``, ``identifier``, ``fuzzy``) and any note."""

    text: str
    start: int
    end: int
    entity: str
    label: str
    node_type: NodeType
    how: str = "name"
    note: str | None = None

    @property
    def facet(self) -> str | None:
        """The facet of a question this record is read into (None: a record that is not a question facet)."""
        return FACET_OF_TYPE.get(self.node_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.entity,
            "label": self.label,
            "type": self.node_type.value,
            "facet": self.facet,
        }


@dataclass(frozen=True)
class Unknown:
    """A name-like span that names nothing in the graph, and why it was not read."""

    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True)
class Names:
    """What :func:`find_names` found: the records named, and the name-like words it could not read."""

    mentions: tuple[Mention, ...]
    unknown: tuple[Unknown, ...]


def _ascii_same_length(text: str) -> str:
    """Fold accents to ASCII one character at a time, keeping offsets."""
    if text.isascii():
        return text
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(folded[:1] if folded else " ")
    return "".join(out)


def _choose(entries: Sequence[EntityName]) -> EntityName:
    return min(entries, key=lambda e: (_TYPE_ORDER.get(e.node_type, len(_TYPE_ORDER)), not e.is_label, e.entity_id))


@cache
def _known_prefixes() -> frozenset[str]:
    """Lower-cased CURIE prefixes we know (ours and the external map's, with their synonyms)."""
    external = {name.lower() for prefix, _, synonyms, _ in EXTERNAL_PREFIXES for name in (prefix, *synonyms)}
    return frozenset({prefix.lower() for prefix in own_prefixes()} | external)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def _identifiers(lex: Lexicon, text: str, taken: list[tuple[int, int]]) -> tuple[list[Mention], list[Unknown]]:
    mentions: list[Mention] = []
    unknown: list[Unknown] = []
    for match in _CURIE.finditer(text):
        span = match.group()
        if not _free(taken, match.start(), match.end()):
            continue
        entity = lex.identifier(span)
        if entity is None:
            if span.split(":", 1)[0].lower() in _known_prefixes():
                unknown.append(
                    Unknown(span, match.start(), match.end(), "an identifier that names nothing in the graph")
                )
                taken.append((match.start(), match.end()))
            continue
        node_type = lex.node_type(entity)
        if node_type is None:
            continue
        mentions.append(Mention(span, match.start(), match.end(), entity, lex.label(entity), node_type, "identifier"))
        taken.append((match.start(), match.end()))
    return mentions, unknown


_CIVIC_ID = re.compile(r"\b(?:CIViC\s+)?(?P<kind>EID|AID)\s*#?\s*(?P<number>\d+)\b")


def _civic_ids(lex: Lexicon, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """CIViC evidence and assertion numbers written out ("CIViC EID 1867", "AID 7")."""
    found: list[Mention] = []
    for match in _CIVIC_ID.finditer(text):
        if not _free(taken, match.start(), match.end()):
            continue
        entity = lex.identifier(f"civic.{match.group('kind').lower()}:{match.group('number')}")
        node_type = lex.node_type(entity) if entity else None
        if entity is None or node_type is None:
            continue
        found.append(
            Mention(match.group(), match.start(), match.end(), entity, lex.label(entity), node_type, "identifier")
        )
        taken.append((match.start(), match.end()))
    return found


def _gene_ids_with_variants(lex: Lexicon, text: str, mentions: list[Mention], taken: list[tuple[int, int]]) -> None:
    """A gene named by its id and followed by a variant ("HGNC:3430 amplification") names that alteration."""
    for index, mention in enumerate(mentions):
        if mention.node_type is not NodeType.GENE:
            continue
        symbol = mention.label
        words = list(_TOKEN.finditer(text, mention.end))[: lex.max_tokens]
        if not words or text[mention.end : words[0].start()].strip():
            continue
        others = [span for span in taken if span != (mention.start, mention.end)]
        best = None
        for k in range(len(words), 0, -1):
            if not _free(others, words[0].start(), words[k - 1].end()):
                continue
            key = "".join([name_tokens(symbol)[0], *((name_tokens(w.group()) or [""])[0] for w in words[:k])])
            entries = [e for e in lex.lookup(key) if e.node_type in _GENE_TYPES and e.node_type is not NodeType.GENE]
            if entries:
                best = (words[k - 1].end(), _choose(entries))
                break
        if best is not None:
            end, entry = best
            mentions[index] = Mention(
                text[mention.start : end],
                mention.start,
                end,
                entry.entity_id,
                entry.label,
                entry.node_type,
                "identifier",
            )
            taken.append((mention.start, end))


def _implied_disease(lex: Lexicon, word: str, start: int, end: int) -> Mention | None:
    """An organ adjective alone ("lynparza BRCA ovarian") read as the cancer of that name, with a note."""
    for noun in ("cancer", "carcinoma"):
        entries = [e for e in lex.lookup(name_key(f"{word} {noun}")) if e.node_type is NodeType.DISEASE]
        if len({e.entity_id for e in entries}) == 1:
            entry = entries[0]
            note = f"read '{word}' as {entry.label} (no disease was named)"
            return Mention(word, start, end, entry.entity_id, entry.label, entry.node_type, "implied", note)
    return None


def _is_common_word(span: str, key: str, entry: EntityName) -> bool:
    """A lower-case gene symbol that is an English word ("met", "kit") is the word, not the gene."""
    if span.isupper():
        return False
    if key in _COMMON_WORDS:
        return True
    return entry.node_type in _GENE_TYPES and len(key) <= 5 and is_english(key)


def find_names(kg: KnowledgeGraph, text: str, *, fuzzy: bool = True, skip: Iterable[tuple[int, int]] = ()) -> Names:
    """Every record ``text`` names, and every name-like word it does not (see the module docstring).

    ``skip`` are spans other readers have already read (measure words, cue
    phrases): they are neither names nor unknown. ``fuzzy=False`` reads only
    exact names (what a paper reader wants).
    """
    lex = lexicon(kg)
    taken: list[tuple[int, int]] = list(skip)
    mentions, unknown = _identifiers(lex, text, taken)
    mentions += _civic_ids(lex, text, taken)
    _gene_ids_with_variants(lex, text, mentions, taken)
    folded = _ascii_same_length(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded) if _free(taken, m.start(), m.end())]
    normal = [(name_tokens(word) or [""])[0] for _, _, word in tokens]
    loose = [loose_token(token) for token in normal]
    # a name never spans a region another reader took: tokens are grouped into segments between such regions
    segment = [sum(1 for a, _ in taken if a < start) for start, _, _ in tokens]
    leftover: list[int] = []
    i = 0
    while i < len(tokens):
        if normal[i] not in lex.starts:  # most words of a question start no name
            leftover.append(i)
            i += 1
            continue
        last = i
        while last + 1 < len(tokens) and last + 1 < i + lex.max_tokens and segment[last + 1] == segment[i]:
            last += 1
        for j in range(last + 1, i, -1):
            key = "".join(normal[i:j])
            entries = lex.lookup(key)
            if not entries and j - i >= 2:  # "HER2-positive metastatic breast cancer", "hands and feet"
                entries = lex.lookup_loose(loose[i:j])
                if entries and len(name_tokens(entries[0].name)) == 1 and not looks_like_a_name("".join(loose[i:j])):
                    entries = ()
            if not entries:
                continue
            span = text[tokens[i][0] : tokens[j - 1][1]]
            entry = _choose(entries)
            if j - i == 1 and _is_common_word(span, key, entry):
                continue
            mentions.append(
                Mention(span, tokens[i][0], tokens[j - 1][1], entry.entity_id, entry.label, entry.node_type)
            )
            i = j
            break
        else:
            leftover.append(i)
            i += 1
    named_disease = any(m.node_type is NodeType.DISEASE for m in mentions)
    for start, end in _words(text, tokens, leftover):
        word = text[start:end]
        if fuzzy and not named_disease and word.isalpha() and len(word) >= 4:
            implied = _implied_disease(lex, word, start, end)
            if implied is not None:
                mentions.append(implied)
                named_disease = True
                continue
        if not any(looks_like_a_name(part) for part in _HYPHEN.split(word)):
            continue
        mention, why = _fuzzy(lex, word, start, end) if fuzzy else (None, "not a name in the graph")
        if mention is not None:
            mentions.append(mention)
        else:
            unknown.append(Unknown(word, start, end, why))
    mentions.sort(key=lambda m: m.start)
    unknown.sort(key=lambda u: u.start)
    return Names(tuple(mentions), tuple(unknown))


_HYPHEN = re.compile(r"[-/]")


def _words(text: str, tokens: list[tuple[int, int, str]], leftover: list[int]) -> list[tuple[int, int]]:
    """Leftover tokens joined into words where only a hyphen or slash separates them ("XYZ-123" is one word)."""
    words: list[tuple[int, int]] = []
    previous = -2
    for index in leftover:
        start, end, _ = tokens[index]
        if words and index == previous + 1 and text[words[-1][1] : start] in ("-", "/"):
            words[-1] = (words[-1][0], end)
        else:
            words.append((start, end))
        previous = index
    return words


def _fuzzy(lex: Lexicon, word: str, start: int, end: int) -> tuple[Mention | None, str]:
    """Read a misspelled word as the one name within its edit budget, or say why not."""
    if is_english(word):
        return None, "not a name in the graph"
    entries, distance = lex.nearest(word)
    if not entries:
        return None, "not a name in the graph"
    if len({entry.entity_id for entry in entries}) > 1:
        labels = sorted({entry.label for entry in entries})
        return None, f"close to {' and '.join(labels[:3])}; not read as either"
    entry = entries[0]
    edits = "edit" if distance == 1 else "edits"
    note = f"read '{word}' as {entry.label} ({distance} {edits} from '{entry.name}')"
    return Mention(word, start, end, entry.entity_id, entry.label, entry.node_type, "fuzzy", note), note


def recognise(kg: KnowledgeGraph, text: str) -> list[Mention]:
    """Exact names and identifiers in ``text``, left to right (the paper reader's entry point; no fuzzy reading)."""
    return list(find_names(kg, text, fuzzy=False).mentions)
