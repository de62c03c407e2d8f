"""Documented answers of ``/studies`` and ``/cases``: what a study and a patient case look like over HTTP.

Like every answer type of the API, these are ``TypedDict`` classes that
forbid unknown keys and require their keys; the routers send pre-serialized
bytes and a test validates real answers against these types. The parts
that are records (a study, a population, an outcome, a case event, a quote)
are the record payloads of :mod:`kg.query.payload`, derived from the
models, extended with the few keys these resources add: a field added to
``Study`` or ``CaseEvent`` appears here with no edit.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.model import CaseEvent, Population, Study
from kg.model.base import Quote
from kg.model.terms import EventKind, ResponseCategory
from kg.query.payload import OutcomePayload, PayloadOf, Reference, extended_payload_type

__all__ = [
    "CaseDetail",
    "CaseEventPayload",
    "CasePage",
    "CaseSummary",
    "QuotePayload",
    "StudyDetail",
    "StudyPage",
    "StudyPopulation",
    "StudySummary",
    "Timeline",
]

_FORBID = ConfigDict(extra="forbid")

#: A verbatim quote (its source expanded), as every record payload shows one.
QuotePayload = Annotated[dict[str, Any], PayloadOf(Quote)]


# -- studies ---------------------------------------------------------------------------------------------------
@with_config(_FORBID)
class StudySummary(TypedDict):
    """One study in a list."""

    id: Annotated[str, Field(examples=["study:chictr1800020262"])]
    name: Annotated[str, Field(examples=["ChiCTR1800020262"])]
    design: Annotated[str, Field(examples=["single_arm_trial"])]
    design_text: Annotated[str, Field(examples=["phase II, design not stated"])]
    phase: str | None
    sample_size: int | None
    registry_ids: list[str]
    line_of_therapy: str | None
    setting: str | None
    evidence_count: Annotated[int, Field(description="Evidence items drawn from the study.")]


@with_config(_FORBID)
class StudyPage(TypedDict):
    """A page of studies, ordered by id."""

    total: int
    offset: int
    limit: int
    results: list[StudySummary]


class _PopulationExtra(TypedDict):
    subgroups: Annotated[list[Reference], Field(description="Subgroups of this population in the study.")]
    provenance: Annotated[list[QuotePayload], Field(description="Quotes that define the population.")]


#: A population of a study: its record payload, its subgroups and the quotes defining it.
StudyPopulation = extended_payload_type(
    Population,
    "StudyPopulation",
    _PopulationExtra,
    "A population of the study, with its subgroups and the quotes that define it.",
)


@with_config(_FORBID)
class StudyOutcomes(TypedDict):
    """The outcomes one evidence item reports from the study, with the population they were measured in."""

    evidence: Annotated[str, Field(examples=["ev:chictr-orr"])]
    statement: str
    population: Reference | None
    outcomes: list[OutcomePayload]


class _StudyExtra(TypedDict):
    design_text: Annotated[
        str,
        Field(
            description="The design in words, with the phase when stored (a phase is shown even when the design "
            "is not stated).",
            examples=["phase II, design not stated"],
        ),
    ]
    provenance: Annotated[list[QuotePayload], Field(description="Quotes stating the design facts.")]
    populations: list[StudyPopulation]  # type: ignore[valid-type]
    outcomes: list[StudyOutcomes]
    evidence: Annotated[list[str], Field(description="Ids of the evidence items drawn from the study.")]


#: A study: its record payload (arms, limitations, registry ids, ...), populations, outcomes and evidence.
StudyDetail = extended_payload_type(
    Study,
    "StudyDetail",
    _StudyExtra,
    "A study with its populations and subgroups, its outcomes, its limitations and the quotes stating its design.",
)


# -- cases -----------------------------------------------------------------------------------------------------
@with_config(_FORBID)
class CaseSummary(TypedDict):
    """One patient case in a list."""

    id: Annotated[str, Field(examples=["case:pan-zhou-2024"])]
    label: str
    age: int | None
    sex: str | None
    disease: Reference
    stage: str | None
    alterations: list[Reference]
    source: Reference
    events: Annotated[int, Field(description="Dated events of the case.")]
    lines_of_therapy: int


@with_config(_FORBID)
class CasePage(TypedDict):
    """Every patient case, by id."""

    total: int
    results: list[CaseSummary]


@with_config(_FORBID)
class CaseDetail(CaseSummary):
    """A case with the quotes stating who the patient was, its curator notes and the evidence drawn from it."""

    provenance: list[QuotePayload]
    curator_notes: list[str]
    evidence: list[str]


class _EventExtra(TypedDict):
    order: Annotated[int, Field(description="Position of the event in the case, from 1.")]
    date_precision: Annotated[
        Literal["year", "month", "day"] | None, Field(description="How precise the source's date is.")
    ]


#: One event of a case: its record payload, its position and the precision of its date.
CaseEventPayload = extended_payload_type(
    CaseEvent,
    "CaseEventPayload",
    _EventExtra,
    "One dated event of the case, as published (dates at the precision the source gives).",
)


@with_config(_FORBID)
class TreatmentStart(TypedDict):
    """When a treatment started, as stated."""

    date: str | None
    date_text: str | None
    how: Literal["stated"] | None


@with_config(_FORBID)
class TreatmentEnd(TypedDict):
    """How a treatment ended: ``stated``, ``computed`` from a stated duration, or ``inferred`` from the next event."""

    date: str
    how: Literal["stated", "computed", "inferred"]
    from_event: str | None
    note: str | None


@with_config(_FORBID)
class Duration(TypedDict):
    """Always ``computed`` from two dates; ``note`` says when one of them is itself computed or inferred."""

    days: int | None
    months: float | None
    how: Literal["computed"]
    note: str | None


@with_config(_FORBID)
class LineResponse(TypedDict):
    """The response of a treatment, from the last assessment of it."""

    category: ResponseCategory
    how: Literal["assessed"]
    event: str
    date: str | None


@with_config(_FORBID)
class Assessment(TypedDict):
    """One assessment of a treatment."""

    event: str
    date: str | None
    date_text: str | None
    response: ResponseCategory | None
    criteria: str | None
    finding: str | None


@with_config(_FORBID)
class Progression(TypedDict):
    """The first progression after a treatment (the source does not always say it was on that treatment)."""

    event: str
    date: str | None
    label: str
    how: Literal["inferred"]


@with_config(_FORBID)
class Treatment(TypedDict):
    """A line of systemic therapy (``line`` set) or a local treatment, with start, end, duration and response."""

    event: str
    kind: EventKind
    line: int | None
    label: str
    drugs: list[Reference]
    procedure: str | None
    dose: str | None
    cycles: int | None
    start: TreatmentStart
    end: TreatmentEnd | None
    ongoing_at_last_review: bool
    duration: Duration | None
    follow_up: Annotated[Duration | None, Field(description="For an ongoing line: from its start to the last review.")]
    response: LineResponse | None
    assessments: list[Assessment]
    next_progression: Progression | None
    adverse_events: Annotated[list[str], Field(description="Ids of the adverse events dated inside the treatment.")]


@with_config(_FORBID)
class Timeline(TypedDict):
    """A case's dated events, its lines of systemic therapy and its local treatments."""

    case: CaseSummary
    events: list[CaseEventPayload]  # type: ignore[valid-type]
    lines: list[Treatment]
    local_treatments: list[Treatment]
    notes: list[str]
