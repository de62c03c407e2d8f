"""Evidence synthesis for one question: every reported outcome of the matching evidence, side by side.

A researcher who asked "what evidence supports pyrotinib in HER2-amplified
NSCLC?" next compares the numbers: which studies, which designs, what ORR
and mPFS with what intervals, and who disagrees. :func:`synthesis_payload`
turns the engine's answer (:func:`~kg.query.engine.find_evidence`, the
same ranking as ``/evidence``) into that comparison:

* **rows**, one per reported outcome of the synthesised items (the page of
  ranked items the question asks for), with the study, its design, phase
  and size, the arm and its comparator, the population or subgroup, the
  measure, the value, CI and p exactly as published, the item's direction,
  level and match tier, its quote, and whether a program extracted the
  number (``machine_extracted``); grouped by measure and unit
  (:class:`MeasureGroup`, in :class:`~kg.model.terms.OutcomeMeasure` order),
  ordered within a group by match tier, then study, then rank;
* **tallies** of supports / does not support per match tier, over every
  matching item, not only the synthesised page;
* **conflicts**: evidence making the same claim about the same therapy,
  alteration and disease with opposite directions, both sides shown
  (:mod:`kg.query.conflicts`).

This one function feeds ``GET /synthesis`` (JSON and CSV), the forest
plots of ``/synthesis/view`` and the notebook's forest plot, so they
cannot disagree. A row's question-independent part is built once per
evidence item and kept in the graph's memo (:data:`ROWS`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Literal, NotRequired, cast

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.graph.build import outcome_id
from kg.graph.internals import node_table
from kg.model import EvidenceItem, Outcome, Population, Study
from kg.model.terms import OUTCOME_MEASURE_LABELS, ArmRole, Direction, OutcomeMeasure, TherapyInteraction, Unit
from kg.present.labels import format_ci, format_p, format_value, outcome_label, record_label
from kg.query.answer import QueryReading, RelaxationPayload, query_reading
from kg.query.ask import AskReading
from kg.query.conflicts import Conflict, conflicts
from kg.query.engine import EvidenceAnswer, ResultRow, find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.query.payload import number
from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "RATIO_MEASURES",
    "ROWS",
    "ROW_COLUMNS",
    "MeasureGroup",
    "SynthesisPayload",
    "SynthesisRow",
    "TierTally",
    "synthesis_payload",
    "synthesis_rows",
    "synthesize",
]

_FORBID = ConfigDict(extra="forbid")

#: Measures that are ratios: drawn on a log scale, with the line of no effect at 1.
RATIO_MEASURES = frozenset({OutcomeMeasure.HAZARD_RATIO, OutcomeMeasure.ODDS_RATIO, OutcomeMeasure.RISK_RATIO})

PlotBasis = Literal["value", "k/n", "response", "range"]


@with_config(_FORBID)
class SynthesisRow(TypedDict):
    """One reported outcome of one evidence item, with everything needed to weigh it against the others."""

    id: Annotated[str, Field(description="The outcome's node id in the graph.", examples=["outcome:chictr-orr-1"])]
    evidence: Annotated[str, Field(examples=["ev:chictr-orr"])]
    rank: Annotated[int, Field(description="The item's rank in the answer (as /evidence ranks it).")]
    tier: Annotated[int, Field(description="Match tier of the item, 1 the closest to the question.")]
    distance: Annotated[int, Field(description="The tier's distance: 0 is an exact match on every facet.")]
    direct: Annotated[
        bool, Field(description="Every asked term matched exactly, narrower or broader (at most one broader).")
    ]
    match: Annotated[str, Field(examples=["therapy exact, alteration exact, disease exact"])]
    study: Annotated[str | None, Field(description="Study id.")]
    study_name: str | None
    design: Annotated[str, Field(description="Study design ('unspecified' when no study is recorded).")]
    phase: str | None
    n: Annotated[int | None, Field(description="Patients enrolled in the study, when stated.")]
    disease: str | None
    therapy: Annotated[str | None, Field(examples=["almonertinib + pyrotinib"])]
    arm: Annotated[str | None, Field(description="Arm the number was measured in.")]
    arm_role: Annotated[str | None, Field(description="'intervention' or 'comparator'.")]
    comparator: Annotated[str | None, Field(description="Arm compared against (hazard ratios, p-values).")]
    population: Annotated[str | None, Field(description="Population or subgroup the number applies to.")]
    subgroup: Annotated[bool, Field(description="The number is for a subgroup, not the whole study.")]
    measure: Annotated[str, Field(examples=["orr"])]
    measure_label: Annotated[str, Field(examples=["ORR"])]
    unit: Annotated[str, Field(examples=["percent"])]
    timepoint: str | None
    label: Annotated[str | None, Field(description="What exactly the number is of, when the measure alone is vague.")]
    value: float | int | None
    value_comparator: str
    range_low: float | int | None
    range_high: float | int | None
    numerator: Annotated[int | None, Field(description="k of a published 'k of n'.")]
    denominator: Annotated[int | None, Field(description="n of a published 'k of n'.")]
    response: str | None
    ci_level: float | int | None
    ci_lower: float | int | None
    ci_upper: float | int | None
    p_value: float | int | None
    p_comparator: str
    value_text: Annotated[
        str, Field(description="The value as published: '22.2%', '7/27 (25.9%)', 'partial response'.")
    ]
    ci_text: Annotated[str | None, Field(description="The interval as published: '95% CI 10.6–40.8'.")]
    p_text: Annotated[str | None, Field(description="The p-value as published: 'p<0.0001'.")]
    published: Annotated[str, Field(description="The outcome in one line, numbers exactly as published.")]
    plot_value: Annotated[
        float | int | None,
        Field(description="Where the forest plot draws the point: the value, or 100·k/n when only k of n is given."),
    ]
    plot_basis: Annotated[PlotBasis | None, Field(description="What the plotted position is (None: not plotted).")]
    direction: str
    level: str
    evidence_type: str
    significance: str
    machine_extracted: Annotated[bool, Field(description="A program extracted this number from free text (CIViC).")]
    statement: str
    quote: Annotated[str, Field(description="The verbatim quote the item rests on.")]
    quote_source: Annotated[str, Field(examples=["Pan and Zhou, 2024"])]
    quote_section: str | None
    citation: Annotated[str | None, Field(description="The primary sources the quoting source cites for it.")]


#: The row's keys in order: the CSV's columns.
ROW_COLUMNS: tuple[str, ...] = tuple(SynthesisRow.__annotations__)


@with_config(_FORBID)
class MeasureGroup(TypedDict):
    """The rows of one measure in one unit: one forest plot."""

    measure: Annotated[str, Field(examples=["orr"])]
    measure_label: Annotated[str, Field(examples=["ORR"])]
    unit: Annotated[str, Field(examples=["percent"])]
    scale: Annotated[Literal["linear", "log", "categorical"], Field(description="Ratios are drawn on a log scale.")]
    rows: list[SynthesisRow]


@with_config(_FORBID)
class TierTally(TypedDict):
    """How the matching items of one match tier divide by direction (all of them, not only the page)."""

    tier: int
    distance: int
    items: int
    direct: Annotated[int, Field(description="Items of the tier that match every asked term directly.")]
    supports: int
    does_not_support: int
    not_applicable: int


@with_config(_FORBID)
class SynthesisPayload(TypedDict):
    """The outcomes of the evidence for one question, side by side, with tallies and conflicts."""

    query: QueryReading
    question: NotRequired[AskReading]
    total: Annotated[int, Field(description="Matching items over all tiers.")]
    direct: Annotated[int, Field(description="Items matching every asked term directly.")]
    offset: int
    limit: int
    items: Annotated[int, Field(description="Items synthesised: the page [offset, offset + limit) of the ranking.")]
    more: Annotated[bool, Field(description="Matching items rank below this page (raise limit or offset).")]
    relaxations: list[RelaxationPayload]
    tallies: list[TierTally]
    rows: Annotated[int, Field(description="Outcome rows over all measures.")]
    measures: list[MeasureGroup]
    without_outcomes: Annotated[list[str], Field(description="Synthesised items that report no outcome, by rank.")]
    conflicts: list[Conflict]


# -- the rows of one item (independent of the question) ---------------------------------------------------

#: Per evidence item, its rows without the question-dependent keys (rank, tier, distance, direct, match).
ROWS: MemoSpec[str, tuple[dict[str, object], ...]] = MemoSpec("synthesis rows", max_entries=1_000_000)

_JOINERS = {TherapyInteraction.COMBINATION: " + ", TherapyInteraction.SEQUENTIAL: " then "}


def _label(kg: KnowledgeGraph, node_id: str | None) -> str | None:
    if node_id is None:
        return None
    data = node_table(kg.graph).get(node_id)  # networkx's node dict, read only
    return node_id if data is None else str(data["label"])


def _therapy(kg: KnowledgeGraph, item: EvidenceItem) -> str | None:
    """The intervention in one line: 'almonertinib + pyrotinib' (combination), 'a / b' (substitutes), or None."""
    names = [_label(kg, term) or term for term in (*item.therapy, *item.therapy_classes)]
    joiner = _JOINERS.get(item.therapy_interaction, " / ") if item.therapy_interaction else " / "
    return joiner.join(names) or None


def _plot(outcome: Outcome) -> tuple[float | int | None, PlotBasis | None]:
    """Where a forest plot draws the outcome, and on what basis; never a number the source did not give."""
    if outcome.value is not None:
        return number(outcome.value), "value"
    if outcome.numerator is not None and outcome.denominator and outcome.unit in (Unit.PERCENT, Unit.PATIENTS):
        return round(100 * outcome.numerator / outcome.denominator, 1), "k/n"
    if outcome.response is not None:
        return None, "response"
    if outcome.range_low is not None:
        return None, "range"
    return None, None


def _item_rows(kg: KnowledgeGraph, item: EvidenceItem, design: str) -> tuple[dict[str, object], ...]:
    corpus = kg.corpus
    study = corpus.studies.get(item.study) if item.study else None
    source = corpus.sources.get(item.quote.source)
    cited = [corpus.sources[s].short_citation for s in item.cites if s in corpus.sources]
    common: dict[str, object] = {
        "study": item.study,
        "study_name": study.name if isinstance(study, Study) else _label(kg, item.study),
        "design": design,
        "phase": study.phase if isinstance(study, Study) else None,
        "n": study.sample_size if isinstance(study, Study) else None,
        "disease": _label(kg, item.disease),
        "therapy": _therapy(kg, item),
    }
    verdict: dict[str, object] = {
        "direction": item.direction.value,
        "level": item.level.value,
        "evidence_type": item.evidence_type.value,
        "significance": item.significance.value,
    }
    words: dict[str, object] = {
        "statement": item.statement,
        "quote": item.quote.full_text(),
        "quote_source": source.short_citation if source else item.quote.source,
        "quote_section": item.quote.section.value if item.quote.section else None,
        "citation": "; ".join(cited) or None,
    }
    rows = []
    for index, outcome in enumerate(item.outcomes):
        arm = corpus.get(outcome.arm) if outcome.arm else None
        population_id = outcome.population or item.population
        population = corpus.populations.get(population_id) if population_id else None
        plot_value, plot_basis = _plot(outcome)
        rows.append(
            {
                "id": outcome_id(item.id, index),
                "evidence": item.id,
                **common,
                "arm": _label(kg, outcome.arm),
                "arm_role": getattr(arm, "role", ArmRole.INTERVENTION).value if outcome.arm else None,
                "comparator": _label(kg, outcome.comparator_arm),
                "population": record_label(population) if population else _label(kg, population_id),
                "subgroup": isinstance(population, Population) and population.parent is not None,
                "measure": outcome.measure.value,
                "measure_label": OUTCOME_MEASURE_LABELS[outcome.measure],
                "unit": outcome.unit.value,
                "timepoint": outcome.timepoint,
                "label": outcome.label,
                "value": number(outcome.value),
                "value_comparator": outcome.value_comparator.value,
                "range_low": number(outcome.range_low),
                "range_high": number(outcome.range_high),
                "numerator": outcome.numerator,
                "denominator": outcome.denominator,
                "response": outcome.response.value if outcome.response else None,
                "ci_level": number(outcome.ci_level),
                "ci_lower": number(outcome.ci_lower),
                "ci_upper": number(outcome.ci_upper),
                "p_value": number(outcome.p_value),
                "p_comparator": outcome.p_comparator.value,
                "value_text": format_value(outcome),
                "ci_text": format_ci(outcome),
                "p_text": format_p(outcome.p_value, outcome.p_comparator),
                "published": outcome_label(outcome),
                "plot_value": plot_value,
                "plot_basis": plot_basis,
                **verdict,
                "machine_extracted": outcome.machine_extracted,
                **words,
            }
        )
    return tuple(rows)


# -- the answer's synthesis ------------------------------------------------------------------------------


def _match(answer: EvidenceAnswer, row: ResultRow) -> str:
    kinds = ", ".join(f"{facet.slot.value} {kind.value}" for facet, kind in zip(answer.facets, row.kinds, strict=True))
    text = kinds or "no term asked"
    return f"{text} (question widened)" if answer.relaxations else text


def _tallies(answer: EvidenceAnswer) -> list[TierTally]:
    index = answer.kg.index
    codes, keys = index.summary_codes, index.summary_keys
    direct = answer.direct_items if not answer.relaxations else frozenset()
    tallies: list[TierTally] = []
    for number_, (dist, items) in enumerate(answer.tiers, start=1):
        directions: Counter[str] = Counter()
        for code, count in Counter(map(codes.__getitem__, items)).items():
            directions[keys[code][1]] += count
        tallies.append(
            {
                "tier": number_,
                "distance": dist,
                "items": len(items),
                "direct": len(items & direct),
                "supports": directions[Direction.SUPPORTS.value],
                "does_not_support": directions[Direction.DOES_NOT_SUPPORT.value],
                "not_applicable": directions[Direction.NOT_APPLICABLE.value],
            }
        )
    return tallies


def _group_order(key: tuple[str, str]) -> tuple[int, str]:
    return _MEASURE_ORDER[key[0]], key[1]


_MEASURE_ORDER = {measure.value: rank for rank, measure in enumerate(OutcomeMeasure)}


def _scale(measure: str, rows: Sequence[SynthesisRow]) -> Literal["linear", "log", "categorical"]:
    if measure == OutcomeMeasure.BEST_RESPONSE.value:
        return "categorical"
    if OutcomeMeasure(measure) in RATIO_MEASURES:
        bounds = [r[k] for r in rows for k in ("plot_value", "ci_lower", "ci_upper") if r[k] is not None]
        return "log" if all(cast("float", b) > 0 for b in bounds) else "linear"
    return "linear"


def synthesis_payload(answer: EvidenceAnswer, question: AskReading | None = None) -> SynthesisPayload:
    """The synthesis of the page of ``answer`` (see the module docstring); ``question`` when asked as free text."""
    kg = answer.kg
    index = kg.index
    tier_of = {dist: number_ for number_, (dist, _) in enumerate(answer.tiers, start=1)}
    groups: dict[tuple[str, str], list[SynthesisRow]] = {}
    without: list[str] = []
    ranks: dict[int, int] = {}
    kept = kg.memo.table(ROWS)
    for rank, result in enumerate(answer.rows, start=answer.query.offset + 1):
        ranks[result.position] = rank
        item = index.items[result.position]
        base = kept.get(item.id)
        if base is None:
            base = kept.put(item.id, _item_rows(kg, item, index.designs[result.position].value))
        if not base:
            without.append(item.id)
            continue
        asked = {
            "rank": rank,
            "tier": tier_of[result.distance],
            "distance": result.distance,
            "direct": answer.is_direct(result),
            "match": _match(answer, result),
        }
        for row in base:
            merged = cast("SynthesisRow", {"id": row["id"], "evidence": row["evidence"], **asked, **row})
            groups.setdefault((cast("str", row["measure"]), cast("str", row["unit"])), []).append(merged)
    measures: list[MeasureGroup] = []
    for key in sorted(groups, key=_group_order):
        rows = sorted(groups[key], key=lambda r: (r["tier"], (r["study_name"] or "\uffff").casefold(), r["rank"]))
        measures.append(
            {
                "measure": key[0],
                "measure_label": rows[0]["measure_label"],
                "unit": key[1],
                "scale": _scale(key[0], rows),
                "rows": rows,
            }
        )
    payload: SynthesisPayload = {
        "query": query_reading(answer),
        "total": answer.total,
        "direct": answer.direct,
        "offset": answer.query.offset,
        "limit": answer.query.limit,
        "items": len(answer.rows),
        "more": answer.query.offset + len(answer.rows) < answer.total,
        "relaxations": [{"step": s.step, "description": s.description, "found": s.found} for s in answer.relaxations],
        "tallies": _tallies(answer),
        "rows": sum(len(group["rows"]) for group in measures),
        "measures": measures,
        "without_outcomes": without,
        "conflicts": conflicts(kg, [row.position for row in answer.rows], ranks),
    }
    if question is not None:
        payload = cast("SynthesisPayload", {"question": question, **payload})
    return payload


def synthesize(kg: KnowledgeGraph, query: EvidenceQuery) -> SynthesisPayload:
    """:func:`~kg.query.engine.find_evidence` and its synthesis, in one call."""
    return synthesis_payload(find_evidence(kg, query))


def synthesis_rows(payload: SynthesisPayload) -> list[SynthesisRow]:
    """Every row of a synthesis, group after group (the CSV's rows, the notebook's table)."""
    return [row for group in payload["measures"] for row in group["rows"]]
