"""A summary of an answer, built from the data alone (no language model).

Counts over *all* matching items (not just the page) by study design,
direction, evidence type and level, and the headline outcomes of the best
direct evidence, assembled into a few plain sentences a researcher can
check against the results below them.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.present.labels import outcome_label
from kg.query.engine import EvidenceAnswer

__all__ = ["HEADLINE_ITEMS", "HeadlineOutcome", "Summary", "summarize"]

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


def _phrase(counts: Counter[str]) -> str:
    return ", ".join(f"{count} {_READABLE.get(name, name.replace('_', ' '))}" for name, count in counts.most_common())


def _counts(answer: EvidenceAnswer) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """Matching items by design, direction, evidence type and level.

    Counted over the index's per-item codes (one C-level count over all
    matching items, then a few hundred codes split into the four counts),
    in ranked order (tiers best first, then rank), so equal counts are
    listed in the order their first item appears in the results.
    """
    index = answer.kg.index
    ranked = [position for _, items in answer.tiers for position in sorted(items)]
    by_code = Counter(map(index.summary_codes.__getitem__, ranked))
    by_design: Counter[str] = Counter()
    by_direction: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    keys = index.summary_keys
    for code, count in by_code.items():
        design, direction, evidence_type, level = keys[code]
        by_design[design] += count
        by_direction[direction] += count
        by_type[evidence_type] += count
        by_level[level] += count
    return by_design, by_direction, by_type, by_level


def summarize(answer: EvidenceAnswer) -> Summary:
    """Counts, headline outcomes and a short text for an answer."""
    kg = answer.kg
    index = kg.index
    by_design, by_direction, by_type, by_level = _counts(answer)
    headline: list[HeadlineOutcome] = []
    for position in sorted(answer.direct_items if not answer.relaxations else ()):
        item = index.items[position]
        if not item.outcomes:
            continue
        study = kg.corpus.studies.get(item.study) if item.study else None
        population = kg.corpus.populations.get(item.population) if item.population else None
        subgroup = population.label if population is not None and population.parent else None
        outcomes = [outcome_label(outcome) for outcome in item.outcomes]
        if any(entry["outcomes"] == outcomes and entry["subgroup"] == subgroup for entry in headline):
            continue  # the same numbers restated by another sentence
        headline.append(
            {
                "evidence": item.id,
                "subgroup": subgroup,
                "study": study.name if study else kg.corpus.sources[item.quote.source].short_citation,
                "design": index.designs[position].value,
                "sample_size": study.sample_size if study else None,
                "direction": item.direction.value,
                "outcomes": outcomes,
            }
        )
        if len(headline) >= HEADLINE_ITEMS:
            break
    sentences = []
    if answer.relaxations:
        steps = "; ".join(step.description for step in answer.relaxations)
        sentences.append(f"No evidence matches the question as asked. Relaxed ({steps}): {answer.total} items found.")
    else:
        nearer = answer.total - answer.direct
        sentences.append(
            f"{answer.total} evidence items match: {answer.direct} directly (every asked term exact, narrower or broader)"
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
        "by_design": dict(by_design.most_common()),
        "by_direction": dict(by_direction.most_common()),
        "by_evidence_type": dict(by_type.most_common()),
        "by_level": dict(sorted(by_level.items())),
        "headline_outcomes": headline,
        "text": " ".join(sentences),
    }
