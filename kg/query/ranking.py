"""What a question prefers inside a match tier, and why each result ranks where it does.

The engine's tiers say how closely an item matches the asked therapy,
alteration and disease (:mod:`kg.query.facets`). A researcher's question
says more: the study it is about ("PHILA"), the site, adverse event,
mechanism, pathway or definition it names, the alterations it reads as
absent ("T790M-negative"), the setting ("after EGFR-TKI failure",
"second-line"), the measures it wants ("mPFS", "hazard ratio"), two arms
to compare, and words that name nothing in the graph but may be in a
statement ("BRIM-3"). Each becomes a :class:`Preference`: a set of items
and a weight. Inside a tier, items are ordered by the sum of the weights of
the preferences they meet (then by the index's static order,
:data:`kg.runtime.index.STATIC_ORDER`), and each
result lists the preferences it met, so it says why it ranks where it does.

What an item *is about* comes from its records first (its study, case,
sites, adverse events, mechanism, population's prior therapies: the index's
record tables). Where CIViC has no such field, a statement that names the
record (a site, an adverse event, the prior therapy, the other arm of a
comparison, an unknown word) counts for less, and the reason says it was
read from the statement. Statement matches are computed once per graph and
pattern, over every item (:mod:`kg.query.mentions`).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.core.vocab import NodeType
from kg.model import Population
from kg.model.terms import OUTCOME_MEASURE_LABELS, OutcomeMeasure
from kg.query.mentions import comparative_items, statement_mentions
from kg.runtime.index import LINE_WORDS, EvidenceIndex
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from kg.query.engine import ResolvedTerm
    from kg.query.evidence_query import EvidenceQuery
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "RECORD_FACETS",
    "Plan",
    "Preference",
    "RecordFacet",
    "build_preferences",
    "ranked",
    "record_items",
    "resolve_record",
    "resolve_records",
]


@dataclass(frozen=True)
class RecordFacet:
    """A facet naming records an item is about: the types its names may have, and its weight when it ranks."""

    name: str
    types: tuple[NodeType, ...]
    weight: int
    #: The weight of an item whose statement names the record but whose fields do not (0: never read from text).
    text_weight: int = 0
    label: str = ""


#: The record facets, in the order answers list them.
RECORD_FACETS: tuple[RecordFacet, ...] = (
    RecordFacet("evidence", (NodeType.EVIDENCE, NodeType.ASSERTION), 8, label="the evidence item asked"),
    RecordFacet("study", (NodeType.STUDY, NodeType.SOURCE), 6, label="the study asked"),
    RecordFacet("case", (NodeType.PATIENT_CASE,), 4, label="the patient case asked"),
    RecordFacet("biomarker", (NodeType.BIOMARKER_DEFINITION,), 4, label="the definition asked"),
    RecordFacet("mechanism", (NodeType.RESISTANCE_MECHANISM,), 4, 2, label="the mechanism asked"),
    RecordFacet("site", (NodeType.ANATOMICAL_SITE,), 3, 2, label="the site asked"),
    RecordFacet("adverse_event", (NodeType.ADVERSE_EVENT,), 3, 2, label="the adverse event asked"),
    RecordFacet("pathway", (NodeType.PATHWAY,), 3, 2, label="the pathway asked"),
    RecordFacet(
        "negated",
        (NodeType.ALTERATION, NodeType.GENE, NodeType.DRUG, NodeType.DRUG_CLASS),
        6,
        2,
        label="read as absent, as asked",
    ),
)
_BY_NAME = {facet.name: facet for facet in RECORD_FACETS}


def resolve_record(kg: KnowledgeGraph, facet: str, text: str) -> str:
    """The record a name or id of a record facet names; an unknown one raises with suggestions."""
    spec = _BY_NAME[facet]
    if facet == "study":
        from kg.query.studies import find_study  # studies are found by name, acronym or registry id

        found = find_study(kg, text)
        if found is not None:
            return found
    data = kg.graph.nodes.get(text.strip())
    if data is not None and data.get("type") in {t.value for t in spec.types}:
        return text.strip()
    return kg.resolver.resolve_one(text, spec.types, facet.replace("_", " "))


def _names(kg: KnowledgeGraph, entity: str) -> tuple[str, ...]:
    record = kg.corpus.get(entity)
    names = getattr(record, "all_names", None)
    return tuple(names()) if callable(names) else (kg.resolver.label(entity),)


def record_items(kg: KnowledgeGraph, facet: str, entity: str) -> tuple[frozenset[int], frozenset[int]]:
    """Items about a record (or a narrower one) by their fields, and items naming it in their statement only."""
    index = kg.index
    spec = _BY_NAME[facet]
    table = "source" if facet == "study" and entity.startswith("src:") else facet
    assertion = kg.corpus.assertions.get(entity) if facet == "evidence" else None
    if assertion is not None:  # an assertion names the items backing it
        return index.record_postings("evidence", frozenset(assertion.evidence_items)), frozenset()
    terms = frozenset({entity}) | (kg.hierarchy.descendants(entity) if facet in ("mechanism", "negated") else set())
    structured = index.record_postings(table, frozenset(terms))
    if not spec.text_weight:
        return structured, frozenset()
    text = statement_mentions(kg, _names(kg, entity), site=facet == "site", absent=facet == "negated")
    return structured, text - structured


@dataclass(frozen=True)
class Preference:
    """Items a question prefers, their weight (negative: ranked lower) and the reason a result shows.

    A preference with a ``scorer`` weighs each item on its own (keyword
    relevance): the scorer gives the item's weight and the words it shares.
    """

    reason: str
    weight: float
    items: frozenset[int]
    scorer: Callable[[int], tuple[float, str]] | None = field(default=None, compare=False, repr=False)

    def weight_of(self, position: int) -> float:
        """The weight this preference gives one of its items."""
        return self.weight if self.scorer is None else self.scorer(position)[0]

    def reason_of(self, position: int) -> str:
        """The reason a result meeting this preference shows."""
        return self.reason if self.scorer is None else f"{self.reason} {self.scorer(position)[1]}"


def _label(kg: KnowledgeGraph, entity: str) -> str:
    return kg.resolver.label(entity) if kg.resolver.node_type(entity) else str(kg.graph.nodes[entity]["label"])


def record_preferences(kg: KnowledgeGraph, records: dict[str, tuple[str, ...]]) -> list[Preference]:
    """One preference per asked record (and one for its mentions in statements); a penalty for an absent one asserted."""
    found: list[Preference] = []
    index = kg.index
    for facet, entities in records.items():
        spec = _BY_NAME[facet]
        for entity in entities:
            label = _label(kg, entity)
            if facet == "negated" and kg.resolver.node_type(entity) in (NodeType.DRUG, NodeType.DRUG_CLASS):
                found.append(Preference(f"never treated with {label}, as asked", 3, untreated_items(kg, entity)))
                continue
            structured, text = record_items(kg, facet, entity)
            exact = index.record_postings(facet, frozenset({entity})) if facet in ("mechanism", "negated") else None
            if exact is not None and exact != structured:  # a narrower mechanism counts for less than the one asked
                found.append(Preference(f"{label}: {spec.label}", spec.weight, exact))
                found.append(Preference(f"narrower than {label} ({spec.label})", spec.weight - 1, structured - exact))
            else:
                found.append(Preference(f"{label}: {spec.label}", spec.weight, structured))
            if text:
                found.append(Preference(f"the statement names {label} ({spec.label})", spec.text_weight, text))
            if facet == "negated":  # items about it present tell what its absence means, by contrast
                about = index.postings("alteration", frozenset({entity}) | kg.hierarchy.descendants(entity))
                about = (about | index.postings("gene_level", frozenset({entity}))) - structured - text
                found.append(Preference(f"about {label} present (the status asked about, by contrast)", 2, about))
    return found


def untreated_items(kg: KnowledgeGraph, therapy: str) -> frozenset[int]:
    """Items whose population received none of ``therapy`` (or of a broader class) before, as the source states."""
    names = [n.lower() for t in (therapy, *kg.hierarchy.ancestors(therapy)) for n in _names(kg, t)]
    untreated = {
        p.id
        for p in kg.corpus.populations.values()
        if isinstance(p, Population)
        and re.match(r"\s*(?:no|none|without|never)\b", p.prior_therapy_text or "", re.I)
        and any(name in (p.prior_therapy_text or "").lower() for name in names)
    }
    index = kg.index
    return frozenset(
        i
        for i, item in enumerate(index.items)
        if item.population in untreated or any(o.population in untreated for o in item.outcomes)
    )


def setting_preferences(
    kg: KnowledgeGraph, prior: Sequence[str], lines: Sequence[str], asked_therapy: Iterable[str]
) -> list[Preference]:
    """Populations treated before with the asked prior therapy (or its members) and the asked lines of therapy."""
    if not prior and not lines:  # most questions ask no setting: skip reading the asked therapies' names
        return []
    index = kg.index
    found: list[Preference] = []
    asked_names = {n.lower() for t in asked_therapy for n in _names(kg, t)}
    for therapy in prior:
        label = _label(kg, therapy)
        related = frozenset({therapy}) | kg.hierarchy.descendants(therapy) | kg.hierarchy.ancestors(therapy)
        structured = index.record_postings("prior_therapy", related)
        found.append(Preference(f"its population was treated before with {label} (the asked setting)", 3, structured))
        named = [
            n
            for t in (therapy, *kg.hierarchy.descendants(therapy))
            for n in _names(kg, t)
            if n.lower() not in asked_names
        ]
        text = statement_mentions(kg, named) - structured
        found.append(Preference(f"the statement names {label} (the asked setting)", 1, text))
    for line in lines:
        structured = index.record_postings("line", frozenset({line}))
        found.append(Preference(f"{line} (the asked line of therapy)", 2, structured))
        words = [m.group(0) for m in LINE_WORDS.finditer(line.replace("-", " ") + " " + line)] or [line]
        found.append(Preference(f"the statement says {line}", 1, statement_mentions(kg, words) - structured))
    return found


def comparison_preference(
    kg: KnowledgeGraph, sides: Sequence[Sequence[str]], table: str = "therapy"
) -> list[Preference]:
    """Head-to-head evidence first: items about one side (arm, or alteration) that name the other and compare."""
    if not sides:
        return []
    distinct = [set(side) - set().union(*(set(o) for o in sides if o is not side)) for side in sides]
    index = kg.index
    matched: list[frozenset[int]] = []
    for side in distinct:
        if not side:
            continue  # a side wholly inside the other ("letrozole" of "palbociclib plus letrozole vs letrozole")
        given = index.postings(table, frozenset(side))
        named = statement_mentions(kg, [n for drug in side for n in _names(kg, drug)])
        matched.append(given | named)
    if not matched:
        return []
    both = frozenset.intersection(*matched) & comparative_items(kg)
    arms = " vs ".join(" + ".join(_label(kg, d) for d in side) for side in sides)
    what = "arms" if table == "therapy" else "alterations"
    return [Preference(f"compares the {what} asked ({arms})", 4, both)]


#: Items about no therapy, and items about no disease (one value each per graph).
UNSPECIFIC: MemoSpec[str, frozenset[int]] = MemoSpec("items without a therapy or disease", max_entries=2)


def defining_preferences(kg: KnowledgeGraph, terms: Sequence[ResolvedTerm]) -> list[Preference]:
    """For "what is X": statements about X alone (no therapy, no disease, unless the question names one)."""
    index = kg.index
    asked = {term.slot.value for term in terms}
    found = []
    for slot, words in (("therapy", "no therapy"), ("disease", "no disease")):
        if slot in asked:
            continue

        def scan(slot: str = slot) -> frozenset[int]:
            if slot == "therapy":
                return frozenset(
                    i for i, item in enumerate(index.items) if not item.therapy and not item.therapy_classes
                )
            return frozenset(i for i, item in enumerate(index.items) if not item.disease)

        items = kg.memo.table(UNSPECIFIC).compute_once(slot, scan)
        weight = 2 if slot == "therapy" else 1
        found.append(Preference(f"about what was asked alone ({words}): a 'what is' question", weight, items))
    return found


def measure_preferences(index: EvidenceIndex, measures: Sequence[OutcomeMeasure]) -> list[Preference]:
    """One preference per asked measure: items reporting it."""
    found = []
    for measure in measures:
        buckets = index.filter_buckets("measure", (measure.value,))
        items = frozenset(buckets[0]) if buckets else frozenset()
        found.append(Preference(f"reports {OUTCOME_MEASURE_LABELS[measure]} (a measure asked)", 2, items))
    return found


def value_preferences(index: EvidenceIndex, values: dict[str, tuple[str, ...]]) -> list[Preference]:
    """Filters read from the question's wording, as preferences ("adverse events" → safety evidence first)."""
    found = []
    for name, chosen in values.items():
        for value in chosen:
            buckets = index.filter_buckets(name, (value,))
            items = frozenset(buckets[0]) if buckets else frozenset()
            found.append(Preference(f"{name.replace('_', ' ')} {value} (from the question's wording)", 2, items))
    return found


def word_preferences(kg: KnowledgeGraph, words: Sequence[str]) -> list[Preference]:
    """Words that name nothing in the graph ("BRIM-3"), looked for in the statements.

    A short word of letters may be the stem of a family of gene names
    ("BRCA" for BRCA1 and BRCA2, "NTRK" for NTRK1-3): it is also found
    followed by a digit.
    """
    found = []
    for word in words:
        items = statement_mentions(kg, [word])
        if word.isalpha() and 3 <= len(word) <= 5:
            items |= statement_mentions(kg, [f"{word}1", f"{word}2", f"{word}3"])
        found.append(Preference(f"the statement names '{word}'", 2, items))
    return found


#: A keyword found in more than this share of the statements tells them nothing: it is left out.
COMMON_SHARE = 0.4
#: BM25's term-frequency saturation and length normalisation (the usual values).
_K1, _B = 1.2, 0.75
#: Statement length (characters) averaged over the graph's items (one value per graph).
MEAN_LENGTH: MemoSpec[None, float] = MemoSpec("mean statement length", max_entries=1)


def keyword_preference(kg: KnowledgeGraph, words: Sequence[str]) -> Preference | None:
    """Statements sharing the question's content words ("oncogenic", "driver"), scored like BM25.

    Each word weighs by how rare it is among the statements (its inverse
    document frequency, scaled so a word in one statement of twelve weighs
    about 1, capped at 2), and a match in a short statement counts more than
    one in a long statement (BM25's length normalisation, computed with the
    library's usual constants), so "Studies assessed HER2 amplification by
    different methods" outranks a long trial report that happens to use
    "different". Only items some asked facet already admits are scored.
    """
    if not words:  # most questions have no content words left: no import, no lookups
        return None
    from kg.reader.keywords import stem

    index = kg.index
    total = max(len(index), 1)
    postings: list[tuple[str, frozenset[int], float]] = []
    for word in words:
        items = statement_mentions(kg, [stem(word)], stems=True)
        if items and len(items) / total <= COMMON_SHARE:
            idf = math.log((total - len(items) + 0.5) / (len(items) + 0.5))
            postings.append((word, items, min(max(idf / 2.5, 0.0), 2.0)))
    if not postings:
        return None
    mean = kg.memo.table(MEAN_LENGTH).compute_once(
        None, lambda: sum(len(item.statement) for item in index.items) / total
    )
    kept: dict[int, tuple[float, str]] = {}

    def score(position: int) -> tuple[float, str]:
        found = kept.get(position)
        if found is None:
            length = len(index.items[position].statement)
            norm = (_K1 + 1) / (1 + _K1 * (1 - _B + _B * length / mean))
            shared = [(word, weight) for word, items, weight in postings if position in items]
            value = round(sum(weight for _, weight in shared) * norm, 2)
            found = kept[position] = (value, ", ".join(f"'{word}'" for word, _ in shared))
        return found

    union = frozenset().union(*(items for _, items, _ in postings))
    return Preference("the statement uses the words", 1, union, score)


def ranked(
    tiers: Sequence[tuple[int, frozenset[int]]], preferences: Sequence[Preference]
) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """Every item of ``tiers`` in rank order, as (item, its tier's distance, the preferences it met).

    An item's rank key is its distance from the asked terms *minus* the
    summed weight of the preferences it meets, then its distance, then the
    index's static order: a subgroup in the asked setting, or the item from
    the study asked, comes before an item that only matches the terms, even
    when it matches them a little less closely (a broader disease). Only the
    items some preference holds are scored one by one; the others stream out
    of their tiers in static order (sorted lazily, as the page needs them).
    """
    met: dict[int, list[int]] = {}
    distance_of: dict[int, int] = {}
    for distance, items in tiers:
        for number, preference in enumerate(preferences):
            if preference.items:
                for position in items & preference.items:
                    met.setdefault(position, []).append(number)
                    distance_of[position] = distance
    if not met:
        for distance, items in tiers:
            for position in sorted(items):
                yield position, distance, ()
        return
    scored = sorted(
        (distance_of[p] - sum(preferences[n].weight_of(p) for n in numbers), distance_of[p], p)
        for p, numbers in met.items()
    )

    def plain() -> Iterator[tuple[float, int, int]]:
        for distance, items in tiers:
            for position in sorted(items.difference(met)):
                yield distance, distance, position

    for _, distance, position in heapq.merge(scored, plain()):
        yield position, distance, tuple(met.get(position, ()))


_THERAPY_TYPES = (NodeType.DRUG, NodeType.DRUG_CLASS)


def resolve_records(kg: KnowledgeGraph, query: EvidenceQuery) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The records each record facet of ``query`` names, and its prior therapies (unknown names raise)."""
    records: dict[str, tuple[str, ...]] = {}
    for facet in RECORD_FACETS:
        names = getattr(query, facet.name)
        if names:
            records[facet.name] = tuple(dict.fromkeys(resolve_record(kg, facet.name, name) for name in names))
    prior = tuple(
        dict.fromkeys(kg.resolver.resolve_one(name, _THERAPY_TYPES, "prior therapy") for name in query.prior_therapy)
    )
    return records, prior


def _record_sets(kg: KnowledgeGraph, facet: str, entity: str) -> list[frozenset[int]]:
    if facet == "negated" and kg.resolver.node_type(entity) in _THERAPY_TYPES:
        return [untreated_items(kg, entity)]
    return list(record_items(kg, facet, entity))


@dataclass(frozen=True)
class Plan:
    """What a question prefers, what it requires (any set of a group; every group), and the words it drops."""

    preferences: list[Preference]
    required: list[list[AbstractSet[int]]]
    #: Words of the question that name nothing in the graph and no statement: the answer is without them.
    dropped_words: tuple[str, ...] = ()


def build_preferences(
    kg: KnowledgeGraph,
    query: EvidenceQuery,
    terms: Sequence[ResolvedTerm],
    records: dict[str, tuple[str, ...]],
    prior: Sequence[str],
) -> Plan:
    """The question's preferences, the groups of items it requires, and the words that match nothing.

    Record facets are required (each facet: items about any of its records)
    unless ``query.records_rank`` and the question names a therapy,
    alteration or disease too; then they rank. A ranking question that names
    no therapy, alteration or disease requires items about some record it
    names (or, naming none, meeting some preference) and ranks them.
    """
    index = kg.index
    asked_therapy = [t.entity for t in terms if t.slot.value == "therapy"]
    words = word_preferences(kg, query.wording.words)
    dropped = tuple(word for word, p in zip(query.wording.words, words, strict=True) if not p.items)
    ranking = [
        *setting_preferences(kg, prior, query.line, asked_therapy),
        *comparison_preference(kg, query.wording.comparison),
        *comparison_preference(kg, query.wording.contrast, "alteration"),
        *(defining_preferences(kg, terms) if query.wording.defining else ()),
        *measure_preferences(index, query.order_by),
        *value_preferences(index, dict(query.wording.prefer)),
        *(p for p in words if p.items),
    ]
    keyword = keyword_preference(kg, query.wording.keywords)
    if keyword is not None:
        ranking.append(keyword)
    if query.records_rank:
        from_records = record_preferences(kg, records)
        preferences = [*from_records, *ranking]
        if terms:
            return Plan(preferences, [], dropped)
        candidates = frozenset().union(*(p.items for p in from_records if p.weight > 0))
        if not candidates:  # nothing is about the records named: what the setting and wording prefer
            candidates = frozenset().union(*(p.items for p in ranking if p.weight > 0))
        return Plan(preferences, [[candidates]] if preferences else [], dropped)
    required: list[list[AbstractSet[int]]] = [
        [s for entity in entities for s in _record_sets(kg, facet, entity)] for facet, entities in records.items()
    ]
    return Plan(ranking, required, dropped)
