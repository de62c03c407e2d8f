"""An evidence answer as JSON: the page of results, each explained and sourced, and the summary.

The engine (:mod:`kg.query.engine`) finds and ranks; this module, above
it, turns its :class:`~kg.query.engine.EvidenceAnswer` into what the API,
``kg evidence --json`` and ``/ask`` return. Its types are the documented
response types: :class:`AnswerPayload` is what :func:`answer_payload`
returns and what the OpenAPI document shows for ``/evidence``.

Two parts of an answer depend only on the graph and so are memoised in the
graph's memo (:mod:`kg.runtime.memo`): an evidence item's payload
(independent of the question) and an explanation (fixed by the item, the
asked terms and how the item matched each). The same objects are handed
out again, so an answer page is mostly a list of kept dicts.

What the API sends is :func:`answer_json`: the same answer, assembled as
bytes from parts serialized once (:func:`kg.query.serialize.fragment`) and
kept in the memo: each item's payload, and each explanation of one item on
one asked term (it depends on the item, the term and the tier only, so it
serves every question asking that term). A first-time question then pays
for its own parts only: how it was read, the ranks, the summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, NotRequired

import orjson
from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.model import EvidenceItem
from kg.model.terms import EvidenceLevel
from kg.query.engine import EvidenceAnswer, Relaxation, ResolvedTerm, ResultRow, find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.query.explain import MatchExplanation, explain_facet, explain_row
from kg.query.facets import Facet, MatchKind, Slot
from kg.query.payload import EvidencePayload, Reference, evidence_payload, ref
from kg.query.serialize import dumps, fragment
from kg.query.summary import Summary, summarize
from kg.runtime.index import STATIC_ORDER
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "EXPLANATIONS",
    "EXPLANATION_JSON",
    "PAYLOADS",
    "PAYLOAD_JSON",
    "AnswerPayload",
    "QueryReading",
    "RelaxationPayload",
    "ResolvedTermPayload",
    "ResultPayload",
    "answer_json",
    "answer_payload",
    "evidence_answer",
    "item_payload",
    "query_reading",
]

_FORBID = ConfigDict(extra="forbid")

#: Evidence payloads, by item id (an item's payload does not depend on the question).
PAYLOADS: MemoSpec[str, EvidencePayload] = MemoSpec("evidence payloads", max_entries=1_000_000)
#: Explanations, by (item number, asked terms, how the item matched each).
EXPLANATIONS: MemoSpec[tuple[Any, ...], list[MatchExplanation]] = MemoSpec("explanations", max_entries=100_000)
#: Evidence payloads serialized, by item id (what :func:`answer_json` places in an answer as it is).
PAYLOAD_JSON: MemoSpec[str, orjson.Fragment] = MemoSpec("evidence payload JSON", max_entries=100_000)
#: One item's explanation on one asked term, serialized, by (item number, slot, term id, tier).
EXPLANATION_JSON: MemoSpec[tuple[int, Slot, str, MatchKind], orjson.Fragment] = MemoSpec(
    "explanation JSON", max_entries=200_000
)


@with_config(_FORBID)
class ResolvedTermPayload(TypedDict):
    """How one asked name was read."""

    facet: Annotated[str, Field(examples=["therapy"])]
    asked: Annotated[str, Field(examples=["pyrotinib"])]
    id: Annotated[str, Field(examples=["drug:pyrotinib"])]
    label: Annotated[str, Field(examples=["pyrotinib"])]
    type: Annotated[str, Field(examples=["drug"])]


@with_config(_FORBID)
class QueryReading(TypedDict):
    """How the question was read: the resolved names, the records and setting asked, the filters, the ordering."""

    resolved: list[ResolvedTermPayload]
    records: Annotated[
        dict[str, list[Reference]],
        Field(description="Records asked per record facet (study, case, site, ...), resolved.", examples=[{}]),
    ]
    prior_therapy: Annotated[list[Reference], Field(description="Prior therapies asked (the setting): they rank.")]
    filters: dict[str, list[str]]
    records_rank: Annotated[
        bool, Field(description="Records rank the matches instead of filtering them (a question naming more).")
    ]
    ordering: Annotated[
        list[str], Field(description="What orders each tier, in words (weights in parentheses).", examples=[[]])
    ]
    include_related: bool


@with_config(_FORBID)
class ResultPayload(TypedDict):
    """One ranked evidence item with its explanation."""

    rank: Annotated[int, Field(examples=[1])]
    id: Annotated[str, Field(examples=["ev:chictr-orr"])]
    direct: Annotated[
        bool,
        Field(
            description="Every asked term matched exactly, narrower or broader (at most one broader), without relaxation."
        ),
    ]
    distance: Annotated[
        int, Field(description="0 is an exact match on every facet; larger is further from the question.")
    ]
    match: list[MatchExplanation]
    ranked: Annotated[
        list[str],
        Field(
            description="Why the result ranks where it does: its tier, then each preference of the question it meets "
            f"(with its weight), then the static order ({STATIC_ORDER}).",
            examples=[["tier 1 (distance 0)", "+2 reports PFS median (a measure asked)", "reports outcomes; level B"]],
        ),
    ]
    evidence: EvidencePayload


@with_config(_FORBID)
class RelaxationPayload(TypedDict):
    """A widening of the question taken because the narrower question found nothing."""

    step: int
    description: Annotated[str, Field(examples=["alteration ERBB2 amplification dropped"])]
    found: int


@with_config(_FORBID)
class AnswerPayload(TypedDict):
    """Every relevant evidence item, ranked (one page of it), explained and sourced."""

    query: QueryReading
    total: Annotated[int, Field(description="Matching items over all tiers.")]
    direct: Annotated[int, Field(description="Items matching every asked term directly.")]
    offset: int
    limit: int
    relaxations: Annotated[
        list[RelaxationPayload], Field(description="Empty unless the question had to be widened to find anything.")
    ]
    results: list[ResultPayload]
    summary: NotRequired[Summary]


def item_payload(kg: KnowledgeGraph, evidence_id: str) -> EvidencePayload:
    """The question-independent payload of an evidence item, built once per graph."""
    return kg.memo.table(PAYLOADS).get_or_compute(
        evidence_id, lambda: evidence_payload(kg, kg.corpus.evidence[evidence_id])
    )


def _explanation(
    kg: KnowledgeGraph, item: EvidenceItem, facets: list[Facet], row: ResultRow, asked: tuple[tuple[Slot, str], ...]
) -> list[MatchExplanation]:
    """:func:`~kg.query.explain.explain_row`, memoised: it depends on the item, the asked terms and the match only."""
    key = (row.position, asked, row.kinds)
    return kg.memo.table(EXPLANATIONS).get_or_compute(key, lambda: explain_row(kg, item, facets, row))


def _term(term: ResolvedTerm) -> ResolvedTermPayload:
    return {
        "facet": term.slot.value,
        "asked": term.asked,
        "id": term.entity,
        "label": term.label,
        "type": term.node_type.value,
    }


def _relaxation(step: Relaxation) -> RelaxationPayload:
    return {"step": step.step, "description": step.description, "found": step.found}


def query_reading(answer: EvidenceAnswer) -> QueryReading:
    """How the engine read the question: the resolved names, the records and setting, the filters, the ordering."""
    kg = answer.kg
    ordering = [
        f"{p.reason} ({'per item, by word rarity and statement length' if p.scorer else f'{p.weight:+g}'})"
        for p in answer.preferences
        if p.items
    ]
    ordering.append(f"then {STATIC_ORDER}")
    return {
        "resolved": [_term(term) for term in answer.terms],
        "records": {facet: [ref(kg, e) for e in entities] for facet, entities in answer.records.items()},
        "prior_therapy": [ref(kg, e) for e in answer.prior],
        "filters": {name: list(values) for name, values in answer.query.filters().items()},
        "records_rank": answer.query.records_rank and bool(answer.terms),
        "ordering": ordering,
        "include_related": answer.query.include_related,
    }


def _frame(answer: EvidenceAnswer, results: list[Any], summary: bool) -> dict[str, Any]:
    """The answer around its results: how the question was read, the counts, the relaxations, the summary."""
    query = answer.query
    payload: dict[str, Any] = {
        "query": query_reading(answer),
        "total": answer.total,
        "direct": answer.direct,
        "offset": query.offset,
        "limit": query.limit,
        "relaxations": [_relaxation(step) for step in answer.relaxations],
        "results": results,
    }
    if summary:
        payload["summary"] = summarize(answer)
    return payload


def _tier_numbers(answer: EvidenceAnswer) -> dict[int, str]:
    """The first reason of :func:`_ranked` (the tier's number from 1, and its distance), by distance: once per tier."""
    return {
        distance: f"tier {number} (distance {distance})"
        for number, distance in enumerate(answer.tier_distances, start=1)
    }


#: The last reason of :func:`_ranked`, by (the item reports outcomes, its level): a handful of strings.
_STATIC_REASONS: dict[tuple[bool, EvidenceLevel], str] = {
    (outcomes, level): f"{'reports outcomes' if outcomes else 'narrative statement'}; level {level.value}"
    for outcomes in (True, False)
    for level in EvidenceLevel
}


def _ranked(answer: EvidenceAnswer, row: ResultRow, tiers: dict[int, str], item: EvidenceItem) -> list[str]:
    """Why a row ranks where it does: its tier, the preferences it met, the static order.

    It depends on the question's preferences, so it is built per answer,
    never kept as a fragment.
    """
    why = [tiers[row.distance]]
    for number in row.preferred:
        preference = answer.preferences[number]
        why.append(f"{preference.weight_of(row.position):+g} {preference.reason_of(row.position)}")
    why.append(_STATIC_REASONS[bool(item.outcomes), item.level])
    return why


def answer_payload(answer: EvidenceAnswer, *, summary: bool = True) -> AnswerPayload:
    """The answer as JSON-ready data: how the question was read, the page of results, and the summary."""
    kg = answer.kg
    index = kg.index
    asked = tuple((facet.slot, facet.asked) for facet in answer.facets)
    tiers = _tier_numbers(answer)
    results: list[ResultPayload] = []
    for rank, row in enumerate(answer.rows, start=answer.query.offset + 1):
        item = index.items[row.position]
        results.append(
            {
                "rank": rank,
                "id": item.id,
                "direct": answer.is_direct(row),
                "distance": row.distance,
                "match": _explanation(kg, item, answer.facets, row, asked),
                "ranked": _ranked(answer, row, tiers, item),
                "evidence": item_payload(kg, item.id),
            }
        )
    return _frame(answer, results, summary)  # type: ignore[return-value]


def answer_json(answer: EvidenceAnswer, *, summary: bool = True, before: Mapping[str, Any] | None = None) -> bytes:
    """:func:`answer_payload` as JSON bytes, assembled from kept fragments (the bytes are the same).

    ``before`` puts keys ahead of the answer's own (``/ask`` puts how it
    read the question there). Each result's ``ranked`` reasons depend on the
    question's preferences and are built here per answer, as in
    :func:`answer_payload`.
    """
    kg = answer.kg
    items = kg.index.items
    rows = answer.rows
    terms = [(facet.slot, facet.asked) for facet in answer.facets]
    tiers = _tier_numbers(answer)
    payloads = kg.memo.table(PAYLOAD_JSON)
    ids = [items[row.position].id for row in rows]
    evidence = payloads.get_many(ids)
    explanations = kg.memo.table(EXPLANATION_JSON)
    keys = [
        (row.position, slot, asked, kind) for row in rows for (slot, asked), kind in zip(terms, row.kinds, strict=True)
    ]
    explained = explanations.get_many(keys)
    results: list[dict[str, Any]] = []
    width = len(terms)
    for number, row in enumerate(rows):
        item = items[row.position]
        payload = evidence[number]
        if payload is None:
            payload = payloads.put(item.id, fragment(evidence_payload(kg, item)))
        match = explained[number * width : (number + 1) * width]
        for place, found in enumerate(match):
            if found is None:
                key = keys[number * width + place]
                match[place] = explanations.put(key, fragment(explain_facet(kg, item, key[1], key[2], key[3])))
        results.append(
            {
                "rank": answer.query.offset + number + 1,
                "id": item.id,
                "direct": answer.is_direct(row),
                "distance": row.distance,
                "match": match,
                "ranked": _ranked(answer, row, tiers, item),
                "evidence": payload,
            }
        )
    frame = _frame(answer, results, summary)
    return dumps({**before, **frame} if before else frame)


def evidence_answer(kg: KnowledgeGraph, query: EvidenceQuery, *, summary: bool = True) -> AnswerPayload:
    """:func:`~kg.query.engine.find_evidence` and its JSON form, in one call."""
    return answer_payload(find_evidence(kg, query), summary=summary)
