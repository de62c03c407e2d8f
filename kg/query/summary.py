"""A summary of an answer, built from the data alone (no language model).

Counts over *all* matching items (not just the page) by study design,
direction, evidence type and level, and the headline outcomes of the best
direct evidence, assembled into a few plain sentences a researcher can
check against the results below them.

The counts read the index's per-item codes over the answer's tiers in rank
order (the tiers are ordered once per answer, shared with the page); large
answers are counted by numpy (one ``bincount`` and the first position of
each code), small ones by a ``Counter``: the two give the same counts in the
same order (tests check both). An answer computed on item groups
(:mod:`kg.query.grouped`, a large replicated index) is counted from the groups
instead: one addition per matched group, whatever the number of matches. An
item's headline entry depends on the item alone, so it is kept per item in
the graph's memo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Annotated, Any, cast

import numpy as np
from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.present.labels import outcome_label
from kg.query.engine import NUMPY_ORDER_FROM, EvidenceAnswer
from kg.query.grouped import summary_counts
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["HEADLINES", "HEADLINE_ITEMS", "HeadlineOutcome", "Summary", "summarize"]

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class HeadlineOutcome(TypedDict):
    """The numbers of one direct item, with the subgroup they apply to when it is not the whole study."""

    evidence: str
    subgroup: Annotated[str | None, Field(description="Population label when the numbers are for a subgroup.")]
    study: str
    design: str
    sample_size: int | None
    direction: str
    outcomes: list[str]


@with_config(_FORBID)
class Summary(TypedDict):
    """Counts over all matching items and the headline outcomes of the best direct evidence."""

    total: int
    direct: int
    by_design: dict[str, int]
    by_direction: dict[str, int]
    by_evidence_type: dict[str, int]
    by_level: dict[str, int]
    headline_outcomes: list[HeadlineOutcome]
    text: str


#: How many direct items contribute headline outcomes.
HEADLINE_ITEMS = 5


_READABLE = {"unspecified": "design not stated"}


def _phrase(counts: list[tuple[str, int]]) -> str:
    return ", ".join(f"{count} {_READABLE.get(name, name.replace('_', ' '))}" for name, count in counts)


def _most_common(counts: dict[str, int]) -> list[tuple[str, int]]:
    """``Counter(counts).most_common()``: by count, largest first, ties in insertion order (the sort is stable)."""
    return sorted(counts.items(), key=itemgetter(1), reverse=True)


def _code_counts(answer: EvidenceAnswer) -> list[tuple[int, int]]:
    """(code, count) of the matching items, each code at its first appearance in rank order."""
    if answer.groups is not None:  # one addition per group, not per match
        return summary_counts(answer.groups)
    index = answer.kg.index
    tiers = [answer.ordered_tier(number) for number in range(len(answer.tiers))]
    if answer.total < NUMPY_ORDER_FROM:
        by_code = Counter(map(index.summary_codes.__getitem__, chain.from_iterable(tiers)))
        return list(by_code.items())
    ranked = np.concatenate([np.asarray(tier, dtype=np.int64) for tier in tiers])
    codes = index.summary_code_array[ranked]
    counts = np.bincount(codes)
    present, first = np.unique(codes, return_index=True)
    in_order = present[np.argsort(first, kind="stable")].tolist()
    return [(code, int(counts[code])) for code in in_order]


def _counts(answer: EvidenceAnswer) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    """Matching items by design, direction, evidence type and level.

    Counted over the index's per-item codes (a few hundred distinct codes,
    whatever the number of matches), in ranked order (tiers best first,
    then rank), so equal counts are listed in the order their first item
    appears in the results. Plain dicts, not ``Counter``s: building four
    counters costs a first-time answer more than counting its codes.
    """
    by_design: dict[str, int] = {}
    by_direction: dict[str, int] = {}
    by_type: dict[str, int] = {}
    by_level: dict[str, int] = {}
    keys = answer.kg.index.summary_keys
    for code, count in _code_counts(answer):
        design, direction, evidence_type, level = keys[code]
        by_design[design] = by_design.get(design, 0) + count
        by_direction[direction] = by_direction.get(direction, 0) + count
        by_type[evidence_type] = by_type.get(evidence_type, 0) + count
        by_level[level] = by_level.get(level, 0) + count
    return by_design, by_direction, by_type, by_level


#: Headline entries, by item number (an empty dict for an item without outcomes): they depend on the item only.
HEADLINES: MemoSpec[int, dict[str, Any]] = MemoSpec("headline outcomes", max_entries=100_000)


def _headline(kg: KnowledgeGraph, position: int) -> dict[str, Any]:
    index = kg.index
    item = index.items[position]
    if not item.outcomes:
        return {}
    study = kg.corpus.studies.get(item.study) if item.study else None
    population = kg.corpus.populations.get(item.population) if item.population else None
    return {
        "evidence": item.id,
        "subgroup": population.label if population is not None and population.parent else None,
        "study": study.name if study else kg.corpus.sources[item.quote.source].short_citation,
        "design": index.designs[position].value,
        "sample_size": study.sample_size if study else None,
        "direction": item.direction.value,
        "outcomes": [outcome_label(outcome) for outcome in item.outcomes],
    }


def _direct_in_order(answer: EvidenceAnswer) -> Iterable[int]:
    """The direct items in rank order (none after a relaxation) that may have headline outcomes.

    On groups, only the groups whose members report outcomes, produced lazily:
    an item without outcomes has no headline entry (:func:`_headline`), so
    leaving them out changes nothing but the number of items read.
    """
    if answer.relaxations:
        return []
    if answer.groups is not None:
        return answer.groups.reporting_direct_in_order()
    found = answer.direct_items
    if len(found) < NUMPY_ORDER_FROM:
        return sorted(found)
    array = np.fromiter(found, dtype=np.int64, count=len(found))
    array.sort()
    return array.tolist()  # type: ignore[no-any-return]


def summarize(answer: EvidenceAnswer) -> Summary:
    """Counts, headline outcomes and a short text for an answer."""
    kg = answer.kg
    counted_design, counted_direction, counted_type, by_level = _counts(answer)
    by_design, by_direction = _most_common(counted_design), _most_common(counted_direction)
    headlines = kg.memo.table(HEADLINES)
    headline: list[HeadlineOutcome] = []
    for position in _direct_in_order(answer):
        found = headlines.get(position)
        if found is None:
            found = headlines.put(position, _headline(kg, position))
        if not found:
            continue
        if any(kept["outcomes"] == found["outcomes"] and kept["subgroup"] == found["subgroup"] for kept in headline):
            continue  # the same numbers restated by another sentence
        headline.append(cast("HeadlineOutcome", dict(found)))
        if len(headline) >= HEADLINE_ITEMS:
            break
    sentences = []
    if answer.relaxations:
        steps = "; ".join(step.description for step in answer.relaxations)
        sentences.append(f"No evidence matches the question as asked. Relaxed ({steps}): {answer.total} items found.")
    else:
        nearer = answer.total - answer.direct
        sentences.append(
            f"{answer.total} evidence items match: {answer.direct} directly (every asked term exact, narrower or broader, at most one of them broader)"
            f" and {nearer} through related terms."
        )
    if answer.total:
        sentences.append(f"Designs: {_phrase(by_design)}. Directions: {_phrase(by_direction)}.")
    for entry in headline:
        size = f", n={entry['sample_size']}" if entry["sample_size"] else ""
        design = _READABLE.get(entry["design"], entry["design"].replace("_", " "))
        who = f"; {entry['subgroup']}" if entry["subgroup"] else ""
        sentences.append(f"{entry['study']} ({design}{size}{who}): {'; '.join(entry['outcomes'])}.")
    return {
        "total": answer.total,
        "direct": answer.direct,
        "by_design": dict(by_design),
        "by_direction": dict(by_direction),
        "by_evidence_type": dict(_most_common(counted_type)),
        "by_level": dict(sorted(by_level.items())),
        "headline_outcomes": headline,
        "text": " ".join(sentences),
    }
