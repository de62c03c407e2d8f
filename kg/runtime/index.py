"""The evidence index: posting sets over evidence items, numbered in rank order.

Answering "pyrotinib in HER2-amplified NSCLC" over hundreds of thousands of
items must take a millisecond, so the query engine never scans: it
intersects posting sets (``term → set of item numbers``), which Python does
in C. Items are numbered in *static rank order* (:data:`STATIC_ORDER`:
validated evidence and items reporting outcomes before narrative
statements, then evidence level, study design, CIViC rating, id), so
within one match tier the best items are simply the smallest numbers and
ranking a tier is an integer sort.

The index reads the graph's evidence nodes (their ``record`` attribute), so
it answers from exactly what the graph holds. Besides the name facets
(therapy, alteration, gene, disease) and the filters, it keeps one table per
*record facet* (:data:`RECORD_FACETS`): the studies, cases, sites, adverse
events, mechanisms, pathways and biomarker definitions an item is about,
the alterations it reads as absent, the prior therapies of its population
and its line of therapy, so a question naming any of them is a set lookup.

A large index also keeps its items as *groups* of items no name table and
no filter tells apart (:mod:`kg.runtime.groups`, :meth:`EvidenceIndex.default_groups`):
questions of names and filters then run on a hundred times fewer elements at 100×.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from kg.core.vocab import NodeType
from kg.graph.internals import node_table
from kg.model import EvidenceItem, Population, Study
from kg.model.terms import (
    DESIGN_RANK,
    Direction,
    EvidenceLevel,
    EvidenceType,
    OutcomeMeasure,
    Significance,
    StudyDesign,
)
from kg.runtime.memo import MemoSpec, MemoTable, union_of_postings

if TYPE_CHECKING:
    from kg.runtime.groups import ItemGroups
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "FILTERS",
    "LINE_WORDS",
    "RECORD_FACETS",
    "STATIC_ORDER",
    "UNIONS",
    "EvidenceIndex",
    "Filter",
    "filter_named",
    "lines_in",
]


@dataclass(frozen=True)
class Filter:
    """One filterable field of an evidence item: its name, its values, and how to read them off the items.

    The one definition of the question's filters: the index builds a
    posting set per value from ``column``, :class:`~kg.query.evidence_query.EvidenceQuery`
    has one field per filter (same name, a tuple of ``values``), and the
    API and the CLI take one repeatable parameter per filter. ``column``
    reads every item at once (``attrgetter`` in C, not a call per item):
    per item its value, or with ``many`` the set of its values.
    """

    name: str
    values: type[StrEnum]
    column: Callable[[Sequence[EvidenceItem], Sequence[StudyDesign]], Iterable[Any]]
    description: str
    many: bool = False


def _attribute(name: str) -> Callable[[Sequence[EvidenceItem], Sequence[StudyDesign]], Iterable[Any]]:
    read = attrgetter(name)
    return lambda items, _designs: map(read, items)


def _measures(items: Sequence[EvidenceItem], _designs: Sequence[StudyDesign]) -> Iterable[Iterable[OutcomeMeasure]]:
    return ({outcome.measure for outcome in item.outcomes} if item.outcomes else () for item in items)


#: The filters, in the order answers list them.
FILTERS: tuple[Filter, ...] = (
    Filter("evidence_type", EvidenceType, _attribute("evidence_type"), "Keep only these evidence types."),
    Filter("direction", Direction, _attribute("direction"), "Keep only these directions."),
    Filter("significance", Significance, _attribute("significance"), "Keep only these significances."),
    Filter("level", EvidenceLevel, _attribute("level"), "Keep only these CIViC evidence levels (A–E)."),
    Filter("design", StudyDesign, lambda _items, designs: designs, "Keep only these study designs."),
    Filter("measure", OutcomeMeasure, _measures, "Keep only items reporting one of these outcome measures.", True),
)

_BY_NAME = {spec.name: spec for spec in FILTERS}


def filter_named(name: str) -> Filter:
    """The filter called ``name`` (KeyError if there is none)."""
    return _BY_NAME[name]


def _filter_key(name: str, value: str) -> str:
    return f"{name}\0{value}"


#: Unions of posting sets, per (table, terms): hierarchies repeat, so a question's buckets mostly are.
UNIONS: MemoSpec[tuple[str, frozenset[str]], frozenset[int]] = MemoSpec("posting-set unions", max_entries=4096)

_LEVEL_RANK = {level: rank for rank, level in enumerate(EvidenceLevel)}

#: An index of at least this many items builds its item groups with it (:meth:`EvidenceIndex.default_groups`).
GROUPS_WITH_INDEX_FROM = 20_000

#: The static order in words: the answer's ``ordering`` and the API's field descriptions say it so.
#: Level A (validated: a clinical consensus) ranks with the studies that report outcomes although CIViC
#: states it as a narrative: the narratives the order demotes are the anecdotes and inferences of levels B–E.
STATIC_ORDER = (
    "validated (level A) evidence and reported outcomes before narrative statements, "
    "then level, reported outcomes, design, rating"
)


def _static_key(item: EvidenceItem, design: StudyDesign) -> tuple[int, int, int, int, float, str]:
    """An item's place in the static order (:data:`STATIC_ORDER`), a total order: the id breaks ties."""
    first = item.outcomes or item.level is EvidenceLevel.A
    reports = 0 if item.outcomes else 1
    return (0 if first else 1, _LEVEL_RANK[item.level], reports, DESIGN_RANK[design], -(item.rating or 0), item.id)


#: Record facets the index keeps a table for, each keyed by record id (``line`` by a line value, ``source`` by the
#: quoted or cited source, ``negated`` by the alterations and genes an item reads as absent).
RECORD_FACETS = (
    "study",
    "source",
    "case",
    "site",
    "adverse_event",
    "mechanism",
    "pathway",
    "biomarker",
    "evidence",
    "negated",
    "prior_therapy",
    "line",
)

#: Lines of therapy as the sources write them, each with its one value.
LINE_WORDS = re.compile(
    r"\b(?P<line>(?:first|second|third|later)(?=[- ]line)|maintenance|neoadjuvant|adjuvant)(?:[- ]lines?)?\b", re.I
)


def lines_in(text: str | None) -> set[str]:
    """The line values a text names: 'first-line and second-line' → {'first-line', 'second-line'}."""
    found: set[str] = set()
    for match in LINE_WORDS.finditer(text or ""):
        word = match.group("line").lower()
        found.add(f"{word}-line" if word in ("first", "second", "third", "later") else word)
    return found


_WILD_TYPE = re.compile(r"wild[- ]?type", re.I)


def _add(postings: dict[str, set[int]], key: str, position: int) -> None:
    bucket = postings.get(key)
    if bucket is None:
        postings[key] = {position}
    else:
        bucket.add(position)


@dataclass(eq=False)
class EvidenceIndex:
    """Posting sets of evidence items by therapy, alteration, gene, disease and filter value."""

    ids: list[str]
    items: list[EvidenceItem]
    designs: list[StudyDesign]
    #: The graph's memo table of posting-set unions (:data:`UNIONS`).
    unions: MemoTable[tuple[str, frozenset[str]], frozenset[int]]
    therapy: dict[str, frozenset[int]] = field(default_factory=dict)
    alteration: dict[str, frozenset[int]] = field(default_factory=dict)
    gene: dict[str, frozenset[int]] = field(default_factory=dict)
    gene_level: dict[str, frozenset[int]] = field(default_factory=dict)
    disease: dict[str, frozenset[int]] = field(default_factory=dict)
    filters: dict[str, frozenset[int]] = field(default_factory=dict)  # 'field\0value' → items
    #: Record facet → record id (or value) → items (:data:`RECORD_FACETS`), frozen like the other posting sets.
    records: dict[str, dict[str, frozenset[int]]] = field(default_factory=lambda: {name: {} for name in RECORD_FACETS})
    position: dict[str, int] = field(default_factory=dict)
    #: Per item, a small code for its (design, direction, evidence type, level) values, so an
    #: answer's summary counts a few hundred codes instead of reading four enums per item.
    summary_codes: list[int] = field(default_factory=list)
    #: Code → (design, direction, evidence type, level) values.
    summary_keys: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: Per item, its disease id (or None): breakdowns by disease count this column, not the items.
    diseases: list[str | None] = field(default_factory=list)
    #: The graph's memo table of group posting-set unions (:data:`kg.runtime.groups.GROUP_UNIONS`).
    group_unions: MemoTable[tuple[str, frozenset[str]], frozenset[int]] | None = None

    @classmethod
    def from_knowledge_graph(cls, kg: KnowledgeGraph) -> EvidenceIndex:
        """Index every evidence node of the graph."""
        graph = kg.graph
        evidence_type = NodeType.EVIDENCE.value
        items: list[EvidenceItem] = [
            # networkx's node dict itself (graph.nodes(data=True) order): the view wraps every item
            record
            for _, kind, record in _typed_records(node_table(graph).items())
            if kind == evidence_type
        ]
        designs_by_study: dict[str, StudyDesign] = {
            study_id: study.design for study_id, study in kg.corpus.studies.items() if isinstance(study, Study)
        }
        unspecified = StudyDesign.UNSPECIFIED
        unsorted_designs = [
            designs_by_study.get(item.study, unspecified) if item.study else unspecified for item in items
        ]
        keys = [_static_key(item, design) for item, design in zip(items, unsorted_designs, strict=True)]
        order = sorted(range(len(items)), key=keys.__getitem__)
        items = [items[i] for i in order]
        designs = [unsorted_designs[i] for i in order]
        from kg.runtime.groups import GROUP_UNIONS

        index = cls(ids=[item.id for item in items], items=items, designs=designs, unions=kg.memo.table(UNIONS))
        index.group_unions = kg.memo.table(GROUP_UNIONS)
        mechanisms = kg.corpus.resistance_mechanisms
        alterations = kg.corpus.alterations
        codes: dict[tuple[str, str, str, str], int] = {}
        therapy: dict[str, set[int]] = {}
        alteration_table: dict[str, set[int]] = {}
        gene_table: dict[str, set[int]] = {}
        gene_level: dict[str, set[int]] = {}
        disease_table: dict[str, set[int]] = {}
        positions, summary_codes, summary_keys = index.position, index.summary_codes, index.summary_keys
        diseases = index.diseases
        record_tables: dict[str, dict[str, set[int]]] = {name: {} for name in RECORD_FACETS}
        records = _RecordReader(kg, record_tables)
        for position, item in enumerate(items):
            positions[item.id] = position
            for drug in (*item.therapy, *item.therapy_classes):
                _add(therapy, drug, position)
            altered_genes: set[str] = set()
            for altered in item.alterations:
                _add(alteration_table, altered, position)
                record = alterations.get(altered)
                if record is not None:
                    altered_genes.add(record.gene)
            for gene in item.genes:
                _add(gene_level, gene, position)
                altered_genes.add(gene)
            mechanism = mechanisms.get(item.mechanism) if item.mechanism else None
            if mechanism is not None:
                for target in mechanism.confers_resistance_to:
                    _add(therapy, target, position)
                if mechanism.alteration and mechanism.alteration not in item.alterations:
                    _add(alteration_table, mechanism.alteration, position)
                    record = alterations.get(mechanism.alteration)
                    if record is not None:
                        altered_genes.add(record.gene)
            for gene in altered_genes:
                _add(gene_table, gene, position)
            if item.disease:
                _add(disease_table, item.disease, position)
            design = designs[position]
            summary = (design._value_, item.direction._value_, item.evidence_type._value_, item.level._value_)
            code = codes.get(summary)
            if code is None:
                code = codes[summary] = len(summary_keys)
                summary_keys.append(summary)
            summary_codes.append(code)
            diseases.append(item.disease)
            records.add(item, position)
        index.therapy, index.alteration, index.gene = _frozen(therapy), _frozen(alteration_table), _frozen(gene_table)
        index.gene_level, index.disease = _frozen(gene_level), _frozen(disease_table)
        index.records = {facet: _frozen(table) for facet, table in record_tables.items()}
        index._add_filters()
        if len(index) >= GROUPS_WITH_INDEX_FROM:
            index.groups  # noqa: B018 - built with the index, not by the first question
        return index

    def _add_filters(self) -> None:
        """Posting sets of every filter, keyed ``'name\\0value'``.

        Items are grouped by their values of all single-valued filters at once
        (the columns zipped in C; a few hundred distinct combinations), and each
        group's positions are added to each of its filters' sets in one
        ``set.update``, rather than one set insertion per item per filter.
        """
        singles = [spec for spec in FILTERS if not spec.many]
        groups: dict[tuple[Any, ...], list[int]] = {}
        columns = zip(*(spec.column(self.items, self.designs) for spec in singles), strict=True)
        for position, values in enumerate(columns):
            group = groups.get(values)
            if group is None:
                groups[values] = [position]
            else:
                group.append(position)
        filters: dict[str, set[int]] = {}
        for values, positions in groups.items():
            for spec, value in zip(singles, values, strict=True):
                filters.setdefault(_filter_key(spec.name, value.value), set()).update(positions)
        for spec in FILTERS:
            if spec.many:
                by_value: dict[Any, set[int]] = {}
                for position, found in enumerate(spec.column(self.items, self.designs)):
                    for value in found:
                        bucket = by_value.get(value)
                        if bucket is None:
                            by_value[value] = {position}
                        else:
                            bucket.add(position)
                for value, items in by_value.items():
                    filters[_filter_key(spec.name, value.value)] = items
        self.filters = _frozen(filters)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def groups(self) -> ItemGroups | None:
        """The items no name facet or filter tells apart, as groups (:mod:`kg.runtime.groups`); None if unchecked."""
        from kg.runtime.groups import group_items

        return group_items(self, self.group_unions) if self.group_unions is not None else None

    def default_groups(self) -> ItemGroups | None:
        """The groups questions run on by default: a large index's (built with it), when they are much fewer than the items.

        A small index (the bundled 4,487 items) has nearly as many groups as
        items (3,910): its questions run on items, and its groups are built only
        when asked for (:attr:`groups`), not with the index (0.2 s).
        """
        if len(self.ids) < GROUPS_WITH_INDEX_FROM:
            return None
        groups = self.groups
        return groups if groups is not None and groups.preferred else None

    @cached_property
    def summary_code_array(self) -> npt.NDArray[np.int64]:
        """:attr:`summary_codes` as a numpy array: a large answer's summary counts them with one ``bincount``."""
        return np.asarray(self.summary_codes, dtype=np.int64)

    def filter_buckets(self, name: str, values: Iterable[str]) -> list[frozenset[int]]:
        """The posting sets of the items whose ``name`` field has each of ``values`` (empty ones left out)."""
        found = (self.filters.get(_filter_key(name, value)) for value in values)
        return [bucket for bucket in found if bucket]

    def record_postings(self, facet: str, terms: frozenset[str]) -> frozenset[int]:
        """Union of one record facet's posting sets of ``terms`` (shared or memoised like :meth:`postings`)."""
        return self.postings(f"record:{facet}", terms)

    def postings(self, table: str, terms: frozenset[str]) -> frozenset[int]:
        """Union of the posting sets of ``terms`` in one table.

        The posting set itself when only one term has items (posting sets are
        frozen when the index is built, so they are shared, never copied);
        a union of several is memoised (hierarchies repeat). A ``record:``
        table is one of :attr:`records` (:meth:`record_postings`).
        """
        postings: dict[str, frozenset[int]] = (
            self.records[table[7:]] if table.startswith("record:") else getattr(self, table)
        )
        return union_of_postings(postings, table, terms, self.unions)


def _frozen(postings: dict[str, set[int]]) -> dict[str, frozenset[int]]:
    """Posting sets frozen once built: shared by every question as they are (no copy, no union)."""
    return {key: frozenset(items) for key, items in postings.items()}


class _RecordReader:
    """Reads what each item is about into the record-facet tables (one pass, with the item's study and population)."""

    def __init__(self, kg: KnowledgeGraph, tables: dict[str, dict[str, set[int]]]) -> None:
        self.tables = tables
        self.studies = kg.corpus.studies
        self.populations = kg.corpus.populations
        self.profiles = kg.corpus.molecular_profiles
        self.alterations = kg.corpus.alterations

    def _put(self, facet: str, keys: Iterable[str | None], position: int) -> None:
        table = self.tables[facet]
        for key in keys:
            if key:
                _add(table, key, position)

    def add(self, item: EvidenceItem, position: int) -> None:
        put = self._put
        study = self.studies.get(item.study) if item.study else None
        population = self.populations.get(item.population) if item.population else None
        put("evidence", (item.id,), position)
        put("study", (item.study,), position)
        put("source", (item.quote.source, *item.cites), position)
        put("case", (item.case,), position)
        sites = [*item.sites]
        groups = [population] + [self.populations.get(o.population) for o in item.outcomes if o.population]
        for group in dict.fromkeys(groups):  # the item's population and those its outcomes were measured in
            if isinstance(group, Population):
                sites += group.metastasis_sites
                put("prior_therapy", group.prior_therapies, position)
        put("site", sites, position)
        put("adverse_event", [event.term for event in item.adverse_events], position)
        put("mechanism", (item.mechanism,), position)
        put("pathway", item.pathways, position)
        put("biomarker", (item.biomarker,), position)
        profile = self.profiles.get(item.molecular_profile) if item.molecular_profile else None
        absent = list(getattr(profile, "negated", ()))
        for altered in item.alterations:  # "KRAS wild-type": no KRAS alteration, no KRAS mutation
            record = self.alterations.get(altered)
            if record is not None and _WILD_TYPE.fullmatch((record.variant or "").strip()):
                absent += [record.gene, f"alt:{record.gene.split(':', 1)[1]}-mutation"]
        put("negated", absent, position)
        line_text = item.line_of_therapy or (study.line_of_therapy if isinstance(study, Study) else None)
        put("line", lines_in(line_text), position)


def _typed_records(nodes: Iterable[tuple[str, dict[str, Any]]]) -> Iterable[tuple[str, Any, Any]]:
    for node, data in nodes:
        yield node, data.get("type"), data.get("record")
