"""Free-text questions: read the question, say how it was read, answer it from the evidence and the records.

``ask(kg, "pyrotinib after EGFR-TKI failure in HER2-amplified NSCLC: mPFS?")``
reads the question with :func:`kg.reader.question.read_question` (the one
reader: the names, measure words and grammar papers are read with), turns
the :class:`~kg.reader.question_reading.Reading` into the engine's
:class:`~kg.query.evidence_query.EvidenceQuery` and answers:

* the therapies (either arm of a comparison), alterations and disease are
  the engine's name facets, as in ``/evidence``;
* the studies, case, sites, adverse events, mechanisms, pathways,
  definitions and evidence ids named, and the alterations read as absent,
  rank the matches (or, for a question naming nothing else, are what it
  matches); the prior therapies and lines (the setting), the measures named,
  the arms compared, cue words ("adverse events" → safety) and words the
  graph does not know ("BRIM-3", looked for in the statements) order each
  tier; each result says why it ranks where it does (``ranked``);
* ``context`` lists the records the question is about (the study, the
  definition, the patient case and its best-fitting dated events), each with
  why (:func:`kg.query.context.answer_context`): a case question is answered
  from the case's timeline there.

The answer repeats the reading (``reading``, ``recognised``, ``ignored``,
``notes``, ``uncertain``, ``interpretation``) so a misreading is visible;
:class:`AskAnswer` is both what :func:`ask` returns and what ``/ask`` documents;
:func:`ask_json` is the same answer as bytes, assembled from kept fragments.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, NotRequired, cast

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.core.errors import InvalidQueryError
from kg.core.text import is_blank
from kg.query.answer import AnswerPayload, answer_json, answer_payload
from kg.query.context import answer_context
from kg.query.engine import EvidenceAnswer, find_evidence
from kg.query.evidence_query import DEFAULT_LIMITS, EvidenceQuery, QueryLimits, Wording
from kg.reader.question import MAX_QUESTION_LENGTH, Reading, read_question

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "MAX_QUESTION_LENGTH",
    "AskAnswer",
    "AskReading",
    "ContextEntry",
    "IgnoredWord",
    "Mention",
    "ReadingFacets",
    "ask",
    "ask_json",
    "query_of",
    "read_and_find",
]

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class ReadingFacets(TypedDict):
    """Every facet of the reading (ids, or values for measures, lines and cue filters); empty when not asked."""

    therapy: Annotated[list[str], Field(examples=[["drug:pyrotinib"]])]
    comparison: Annotated[list[str], Field(description="Therapies of either arm of 'X vs Y'.")]
    prior_therapy: Annotated[list[str], Field(description="The setting: therapies received before (never co-drugs).")]
    line: Annotated[list[str], Field(examples=[["second-line"]])]
    alteration: list[str]
    negated: Annotated[list[str], Field(description="Alterations (or therapies) read as absent.")]
    disease: Annotated[list[str], Field(description="At most one: the most specific disease named.")]
    study: list[str]
    case: list[str]
    site: list[str]
    adverse_event: list[str]
    mechanism: list[str]
    pathway: list[str]
    biomarker: list[str]
    measure: Annotated[list[str], Field(description="Outcome measures named: they order the results.")]
    evidence_type: list[str]
    significance: list[str]
    direction: list[str]
    evidence: Annotated[list[str], Field(description="Evidence items or assertions named by id.")]
    case_topics: Annotated[list[str], Field(description="What about the case is asked (dates, therapy, response...).")]


@with_config(_FORBID)
class Mention(TypedDict):
    """A span of the question read as a record, the facet it was read into, and how it was found."""

    text: Annotated[str, Field(examples=["HER2-amplified"])]
    start: int
    end: int
    id: Annotated[str, Field(examples=["alt:ERBB2-amplification"])]
    label: str
    type: str
    facet: Annotated[str | None, Field(examples=["alteration"])]
    how: Annotated[str, Field(description="name, identifier, fuzzy (a misspelling read with a note), ...")]
    note: str | None


@with_config(_FORBID)
class IgnoredWord(TypedDict):
    """A name-like span of the question that was not read into any facet, and why."""

    text: str
    start: int
    end: int
    id: str | None
    label: str | None
    type: str | None
    reason: str


@with_config(_FORBID)
class ContextEntry(TypedDict):
    """A record the question is about (study, definition, case, case event, named entity), with why."""

    id: Annotated[str, Field(examples=["event:pan-zhou-2024-brain-metastases"])]
    type: str
    label: str
    why: str
    date: NotRequired[str | None]
    date_text: NotRequired[str | None]
    kind: NotRequired[str]


@with_config(_FORBID)
class AskReading(TypedDict):
    """A free-text question, how it was read and the records it is about (the evidence answer aside)."""

    question: Annotated[str, Field(examples=["what evidence supports pyrotinib in HER2-amplified NSCLC?"])]
    reading: ReadingFacets
    recognised: list[Mention]
    ignored: list[IgnoredWord]
    notes: list[str]
    keywords: Annotated[list[str], Field(description="Content words no name or cue accounts for: they rank.")]
    uncertain: Annotated[bool, Field(description="Part of the reading is a guess (a misspelling, an ambiguity).")]
    interpretation: Annotated[
        str,
        Field(examples=["therapy: pyrotinib; alteration: ERBB2 amplification; disease: non-small cell lung carcinoma"]),
    ]
    context: Annotated[list[ContextEntry], Field(description="The records the question is about, ranked, with why.")]


@with_config(_FORBID)
class AskAnswer(AnswerPayload, AskReading):
    """A free-text question, how it was read, the records it is about, and the evidence answer."""


def query_of(
    reading: Reading,
    *,
    offset: int = 0,
    limit: int = 20,
    include_related: bool = True,
    limits: QueryLimits = DEFAULT_LIMITS,
) -> EvidenceQuery:
    """The engine's question for a reading: name facets match, records rank, the setting and wording order."""
    words = tuple(dict.fromkeys(item.text for item in reading.ignored if item.entity is None))
    prefer = tuple(
        (name, values)
        for name, values in (
            ("evidence_type", reading.evidence_type),
            ("significance", reading.significance),
            ("direction", reading.direction),
        )
        if values
    )
    return EvidenceQuery(
        therapy=reading.therapy,
        alteration=reading.alteration,
        disease=reading.disease,
        study=reading.study,
        case=reading.case,
        biomarker=reading.biomarker,
        mechanism=reading.mechanism,
        site=reading.site,
        adverse_event=reading.adverse_event,
        pathway=reading.pathway,
        evidence=reading.evidence,
        negated=reading.negated,
        prior_therapy=reading.prior_therapy,
        line=reading.line,
        order_by=reading.measure,
        wording=Wording(
            comparison=reading.comparison,
            contrast=reading.contrast,
            defining=reading.defining,
            words=words[: limits.max_terms],
            prefer=prefer,
            keywords=reading.keywords[: limits.max_terms],
        ),
        records_rank=True,
        include_related=include_related,
        offset=offset,
        limit=limit,
        limits=limits,
    )


def _refuse(kg: KnowledgeGraph, question: str, reading: Reading) -> InvalidQueryError:
    words = [w for w in re.findall(r"[0-9A-Za-z]+", question) if len(w) >= 4]
    hints = sorted({s for w in words for s in kg.resolver.suggest(w, limit=1)})
    hint = f" (did you mean: {', '.join(hints[:5])}?)" if hints else ""
    unknown = [item.text for item in reading.ignored]
    listed = f"; not known: {', '.join(unknown)}" if unknown else ""
    return InvalidQueryError(
        "q",
        question,
        f"a question naming a drug, gene, alteration, disease, study, case or other record in the graph{hint}{listed}",
    )


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
    """Answer a free-text question: how it was read, the records it is about, and the ranked evidence."""
    answer, reading = read_and_find(
        kg,
        question,
        offset=offset,
        limit=limit,
        include_related=include_related,
        limits=limits,
        max_question_length=max_question_length,
    )
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
    answer, reading = read_and_find(
        kg,
        question,
        offset=offset,
        limit=limit,
        include_related=include_related,
        limits=limits,
        max_question_length=max_question_length,
    )
    return answer_json(answer, before=reading)


def read_and_find(
    kg: KnowledgeGraph,
    question: str,
    *,
    offset: int = 0,
    limit: int = 20,
    include_related: bool = True,
    limits: QueryLimits = DEFAULT_LIMITS,
    max_question_length: int = MAX_QUESTION_LENGTH,
) -> tuple[EvidenceAnswer, AskReading]:
    """Read a free-text question into the engine's query and run it: the engine's answer and how it was read.

    What :func:`ask` serializes, and what other answers built on the same
    question (``/synthesis?q=``, bundles) start from, so a question reads one way.
    """
    limits.check_page(offset, limit)  # before reading the question, as the question's own check would
    if len(question) > max_question_length:
        raise InvalidQueryError("q", f"{question[:40]}…", f"a question of at most {max_question_length} characters")
    if not question or is_blank(question):
        raise InvalidQueryError("q", question, "a non-empty question")
    reading = read_question(kg, question)
    if not reading.has_subject():
        raise _refuse(kg, question, reading)
    query = query_of(reading, offset=offset, limit=limit, include_related=include_related, limits=limits)
    answer = find_evidence(kg, query)
    shown = reading.to_dict()
    interpretation = reading.interpretation
    if answer.relaxations:
        steps = "; ".join(step.description for step in answer.relaxations)
        interpretation += f"{'; ' if interpretation else ''}no evidence matches as asked; relaxed: {steps}"
    read: AskReading = {
        "question": question,
        "reading": shown["reading"],
        "recognised": shown["recognised"],
        "ignored": shown["ignored"],
        "notes": shown["notes"],
        "keywords": shown["keywords"],
        "uncertain": shown["uncertain"],
        "interpretation": interpretation,
        "context": cast("list[ContextEntry]", answer_context(kg, reading)),
    }
    return answer, read
