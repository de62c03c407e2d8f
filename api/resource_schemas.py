"""Response models of ``/studies`` and ``/cases``: what a study and a patient case look like over HTTP.

Like :mod:`api.schemas`, these document the answers (``response_model``)
and a test validates real answers against them; the routers send
pre-serialized bytes. The parts a study shares with an evidence result
(arms, populations, outcomes) reuse that module's models, so both read
the same.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import OutcomePayload, PopulationPayload, Ref, StudyPayload
from kg.model.terms import EventKind, ResponseCategory, StudyDesign

__all__ = [
    "CaseDetail",
    "CasePage",
    "CaseSummary",
    "StudyDetail",
    "StudyPage",
    "StudySummary",
    "Timeline",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteRef(_Strict):
    """A verbatim quote: its text, the section it is from and its source."""

    text: str
    section: str
    source: str


# -- studies ---------------------------------------------------------------------------------------------------
class StudySummary(_Strict):
    """One study in a list."""

    id: str = Field(examples=["study:chictr1800020262"])
    name: str = Field(examples=["ChiCTR1800020262"])
    design: StudyDesign
    phase: str | None
    sample_size: int | None
    registry_ids: list[str]
    line_of_therapy: str | None
    setting: str | None
    evidence_count: int = Field(description="Evidence items drawn from the study.")


class StudyPage(_Strict):
    total: int
    offset: int
    limit: int
    results: list[StudySummary]


class StudyPopulation(PopulationPayload):
    """A population of the study, with its subgroups and what defines it."""

    metastasis_sites: list[Ref | None]
    subgroups: list[Ref | None]
    provenance: list[QuoteRef]
    curator_note: str | None


class StudyOutcomes(_Strict):
    """The outcomes one evidence item reports from the study, with the population they were measured in."""

    evidence: str
    statement: str
    population: Ref | None
    outcomes: list[OutcomePayload]


class StudyDetail(StudyPayload):
    """A study with its populations and subgroups, its outcomes, its limitations and the quotes stating its design."""

    prospective: bool | None
    provenance: list[QuoteRef]
    limitations: list[str] = Field(examples=[["No randomized control arm."]])
    curator_note: str | None
    populations: list[StudyPopulation]
    outcomes: list[StudyOutcomes]
    evidence: list[str]


# -- cases -----------------------------------------------------------------------------------------------------
class CaseSummary(_Strict):
    """One patient case in a list."""

    id: str = Field(examples=["case:pan-zhou-2024"])
    label: str
    age: int | None
    sex: str | None
    disease: Ref | None
    stage: str | None
    alterations: list[Ref | None]
    source: Ref | None
    events: int
    lines_of_therapy: int


class CasePage(_Strict):
    total: int
    results: list[CaseSummary]


class CaseDetail(CaseSummary):
    """A case with the quotes stating who the patient was, its curator notes and the evidence drawn from it."""

    provenance: list[QuoteRef]
    curator_notes: list[str]
    evidence: list[str]


class CaseAdverseEvent(_Strict):
    term: Ref | None
    grade: int | None
    ctcae_version: str | None


class CaseEventPayload(_Strict):
    """One dated event of the case, as published (dates at the precision the source gives)."""

    id: str
    order: int
    kind: EventKind
    label: str
    date: str | None = Field(examples=["2019-06-01", "2023-01"])
    end_date: str | None
    date_precision: Literal["year", "month", "day"] | None
    date_text: str | None
    drugs: list[Ref | None]
    procedure: str | None
    dose: str | None
    cycles: int | None
    line_of_therapy: int | None
    response: ResponseCategory | None
    response_criteria: str | None
    assesses: str | None
    sites: list[Ref | None]
    alterations: list[Ref | None]
    negative_genes: list[Ref | None]
    adverse_events: list[CaseAdverseEvent]
    finding: str | None
    tumor_size: str | None
    quote: QuoteRef
    curator_note: str | None


class TreatmentStart(_Strict):
    date: str | None
    date_text: str | None
    how: Literal["stated"] | None


class TreatmentEnd(_Strict):
    """How a treatment ended: ``stated``, ``computed`` from a stated duration, or ``inferred`` from the next event."""

    date: str
    how: Literal["stated", "computed", "inferred"]
    from_event: str | None
    note: str | None


class Duration(_Strict):
    """Always ``computed`` from two dates; ``note`` says when one of them is itself computed or inferred."""

    days: int | None
    months: float | None
    how: Literal["computed"]
    note: str | None = None


class LineResponse(_Strict):
    category: ResponseCategory
    how: Literal["assessed"]
    event: str
    date: str | None


class Assessment(_Strict):
    event: str
    date: str | None
    date_text: str | None
    response: ResponseCategory | None
    criteria: str | None
    finding: str | None


class Progression(_Strict):
    event: str
    date: str | None
    label: str
    how: Literal["inferred"]


class Treatment(_Strict):
    """A line of systemic therapy (``line`` set) or a local treatment, with start, end, duration and response."""

    event: str
    kind: EventKind
    line: int | None
    label: str
    drugs: list[Ref | None]
    procedure: str | None
    dose: str | None
    cycles: int | None
    start: TreatmentStart
    end: TreatmentEnd | None
    ongoing_at_last_review: bool
    duration: Duration | None
    follow_up: Duration | None = Field(description="For an ongoing line: from its start to the last dated review.")
    response: LineResponse | None
    assessments: list[Assessment]
    next_progression: Progression | None
    adverse_events: list[str]


class Timeline(_Strict):
    """A case's dated events, its lines of systemic therapy and its local treatments."""

    case: CaseSummary
    events: list[CaseEventPayload]
    lines: list[Treatment]
    local_treatments: list[Treatment]
    notes: list[str]
