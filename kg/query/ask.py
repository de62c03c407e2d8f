"""Free-text questions: recognise the entities, say what was recognised, run the structured query.

``ask(kg, "what evidence supports pyrotinib in HER2-amplified NSCLC?")``
finds the longest spans of the question that are names in the graph (any
label or synonym, compared by :func:`kg.runtime.resolve.name_key`, so case, hyphens
and plurals do not matter), assigns drugs to the therapy facet, alterations
and genes to the alteration facet and diseases to the disease facet, reads
a few cue words ("adverse events", "prevalence", "prognosis", "resistance")
as filters, and answers with :func:`~kg.query.engine.find_evidence`. The
answer says exactly how the question was read, so a misreading is visible;
:class:`AskAnswer` is both what :func:`ask` returns and what ``/ask`` documents.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.core.errors import InvalidQueryError
from kg.core.text import is_blank
from kg.model.terms import EvidenceType, Significance
from kg.query.answer import AnswerPayload, answer_json, answer_payload
from kg.query.engine import DEFAULT_LIMITS, EvidenceAnswer, EvidenceQuery, QueryLimits, find_evidence
from kg.reader.names import recognise

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MAX_QUESTION_LENGTH", "AskAnswer", "IgnoredMention", "Mention", "ask", "ask_json"]

#: Longest question accepted (characters).
MAX_QUESTION_LENGTH = 1000

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class Mention(TypedDict):
    """A span of the question recognised as an entity."""

    text: Annotated[str, Field(examples=["HER2-amplified"])]
    start: int
    end: int
    id: Annotated[str, Field(examples=["alt:ERBB2-amplification"])]
    label: str
    type: str
    facet: str | None


@with_config(_FORBID)
class IgnoredMention(Mention):
    """A recognised span the question's reading does not use, and why."""

    reason: str


@with_config(_FORBID)
class AskAnswer(AnswerPayload):
    """A free-text question, how it was read, and the evidence answer."""

    question: Annotated[str, Field(examples=["what evidence supports pyrotinib in HER2-amplified NSCLC?"])]
    recognised: list[Mention]
    ignored: list[IgnoredMention]
    interpretation: Annotated[
        str,
        Field(examples=["therapy: pyrotinib; alteration: ERBB2 amplification; disease: non-small cell lung carcinoma"]),
    ]


_CUES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\b(adverse|safety|toxicit|side[- ]effect|tolerab)", re.I),
        "evidence_type",
        EvidenceType.SAFETY.value,
    ),
    (
        re.compile(r"\b(prevalen|how common|how often|frequency|proportion)", re.I),
        "evidence_type",
        EvidenceType.PREVALENCE.value,
    ),
    (re.compile(r"\bprognos", re.I), "evidence_type", EvidenceType.PROGNOSTIC.value),
    (re.compile(r"\bdiagnos", re.I), "evidence_type", EvidenceType.DIAGNOSTIC.value),
    (re.compile(r"\bresistan", re.I), "significance", Significance.RESISTANCE.value),
)


def _most_specific(kg: KnowledgeGraph, diseases: list[str]) -> str:
    for disease in diseases:
        if not any(disease in kg.hierarchy.ancestors(other) for other in diseases if other != disease):
            return disease
    return diseases[0]


def ask(
    kg: KnowledgeGraph,
    question: str,
    *,
    offset: int = 0,
    limit: int = 20,
    include_related: bool = True,
    limits: QueryLimits = DEFAULT_LIMITS,
    max_question_length: int = MAX_QUESTION_LENGTH,
) -> AskAnswer:
    """Answer a free-text question: what was recognised, how it was read, and the ranked evidence."""
    reading, answer = _read(kg, question, offset, limit, include_related, limits, max_question_length)
    return cast("AskAnswer", {**reading, **answer_payload(answer)})


def ask_json(
    kg: KnowledgeGraph,
    question: str,
    *,
    offset: int = 0,
    limit: int = 20,
    include_related: bool = True,
    limits: QueryLimits = DEFAULT_LIMITS,
    max_question_length: int = MAX_QUESTION_LENGTH,
) -> bytes:
    """:func:`ask` as JSON bytes, assembled from pre-serialized parts (:func:`kg.query.answer.answer_json`)."""
    reading, answer = _read(kg, question, offset, limit, include_related, limits, max_question_length)
    return answer_json(answer, before=reading)


def _read(
    kg: KnowledgeGraph,
    question: str,
    offset: int,
    limit: int,
    include_related: bool,
    limits: QueryLimits,
    max_question_length: int,
) -> tuple[dict[str, Any], EvidenceAnswer]:
    """How the question was read (the keys ``/ask`` puts before the answer's) and the evidence answer."""
    limits.check_page(offset, limit)  # before reading the question, as the question's own check would
    if len(question) > max_question_length:
        raise InvalidQueryError("q", f"{question[:40]}…", f"a question of at most {max_question_length} characters")
    if not question or is_blank(question):
        raise InvalidQueryError("q", question, "a non-empty question")
    mentions = recognise(kg, question)
    used = [m for m in mentions if m.facet]
    if not used:
        words = [w for w in re.findall(r"[0-9A-Za-z]+", question) if len(w) >= 4]
        hints = sorted({s for w in words for s in kg.resolver.suggest(w, limit=1)})
        hint = f" (did you mean: {', '.join(hints[:5])}?)" if hints else ""
        raise InvalidQueryError(
            "q", question, f"a question naming a drug, gene, alteration or disease in the graph{hint}"
        )
    therapy = tuple(dict.fromkeys(m.entity for m in used if m.facet == "therapy"))
    alteration = tuple(dict.fromkeys(m.entity for m in used if m.facet == "alteration"))
    diseases = list(dict.fromkeys(m.entity for m in used if m.facet == "disease"))
    disease = _most_specific(kg, diseases) if diseases else None
    filters: dict[str, tuple[Any, ...]] = {}
    for pattern, name, value in _CUES:
        if pattern.search(question):
            filters.setdefault(name, ())
            filters[name] = (*filters[name], value)
    query = EvidenceQuery(
        therapy=therapy,
        alteration=alteration,
        disease=disease,
        evidence_type=tuple(EvidenceType(v) for v in filters.get("evidence_type", ())),
        significance=tuple(Significance(v) for v in filters.get("significance", ())),
        include_related=include_related,
        offset=offset,
        limit=limit,
        limits=limits,
    )
    answer = find_evidence(kg, query)
    dropped_filters = False
    if answer.total == 0 and filters:
        query = EvidenceQuery(
            therapy=therapy,
            alteration=alteration,
            disease=disease,
            include_related=include_related,
            offset=offset,
            limit=limit,
            limits=limits,
        )
        answer = find_evidence(kg, query)
        dropped_filters = True
    ignored = [m for m in mentions if not m.facet] + [m for m in used if m.facet == "disease" and m.entity != disease]
    reading = "; ".join(
        f"{facet}: {', '.join(kg.resolver.label(e) for e in entities)}"
        for facet, entities in (
            ("therapy", therapy),
            ("alteration", alteration),
            ("disease", (disease,) if disease else ()),
        )
        if entities
    )
    if filters:
        cue_text = ", ".join(f"{name} = {'/'.join(values)}" for name, values in filters.items())
        reading += f"; filters from wording: {cue_text}" + (
            " (dropped: nothing matched with them)" if dropped_filters else ""
        )
    reading_part: dict[str, Any] = {
        "question": question,
        "recognised": [m.to_dict() for m in used if m not in ignored],
        "ignored": [
            {
                **m.to_dict(),
                "reason": "not a query facet"
                if not m.facet
                else "one disease per question: the most specific named one is used",
            }
            for m in ignored
        ],
        "interpretation": reading,
    }
    return reading_part, answer
