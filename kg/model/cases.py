"""A patient case as a dated sequence of events.

Each line of therapy is an event with its response, and consecutive events
are linked ``followed_by`` in the graph, so the resistance trajectory of a
case report (chemotherapy → nab-paclitaxel → anlotinib → almonertinib +
pyrotinib) is a path a researcher can walk. Dates keep the precision the
source gives: ``2019-06-01``, ``2023-01`` (January 2023) or ``2020``; a partial
date stands for the interval it covers (:func:`date_bounds`).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints, model_validator

from kg.core.vocab import NodeType
from kg.model.base import Node, OwnId, Quote, Ref
from kg.model.evidence import AdverseEventOccurrence
from kg.model.rules import Violations
from kg.model.terms import EventKind, ResponseCategory

__all__ = ["CaseEvent", "PartialDate", "PatientCase", "date_bounds", "date_sort_key"]

#: A date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD.
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


def date_sort_key(date: str) -> tuple[int, int, int]:
    """Sort key of a partial date; a missing month or day sorts first within its year or month."""
    parts = [int(part) for part in date.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)


def date_bounds(date: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Earliest and latest day a partial date can mean: "2020-08" is 2020-08-01 to 2020-08-31 (day 31 as a bound).

    Order checks compare these intervals, so an event dated "August 2020" (a figure legend) may follow
    one dated 05 August 2020 without being called out of order.
    """
    parts = [int(part) for part in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return (year, 1, 1), (year, 12, 31)
    if len(parts) == 2:
        return (year, parts[1], 1), (year, parts[1], 31)
    return (year, parts[1], parts[2]), (year, parts[1], parts[2])


class CaseEvent(Node):
    """One dated event of a patient case."""

    node_type: ClassVar[NodeType] = NodeType.CASE_EVENT
    id: Annotated[str, OwnId(NodeType.CASE_EVENT)] = Field(description="Stable id, e.g. event:pan-zhou-2024-lobectomy.")
    kind: EventKind = Field(description="What happened.")
    label: str = Field(min_length=1, description="Short description for display.")
    date: PartialDate | None = Field(default=None, description="When it happened or started.")
    end_date: PartialDate | None = Field(default=None, description="When it ended, for therapies.")
    date_text: str | None = Field(default=None, description="The date as the source writes it, when vague.")
    drugs: tuple[Annotated[str, Ref(NodeType.DRUG)], ...] = Field(default=(), description="Drugs given.")
    procedure: str | None = Field(default=None, description="Procedure (lobectomy, IMRT).")
    dose: str | None = Field(default=None, description="Dose or schedule as published ('45 Gy in 10 fractions').")
    cycles: int | None = Field(default=None, ge=1, description="Number of cycles, when stated.")
    line_of_therapy: int | None = Field(default=None, ge=1, description="Line of systemic therapy this event starts.")
    response: ResponseCategory | None = Field(default=None, description="RECIST response assessed at this event.")
    assesses: Annotated[str, Ref(NodeType.CASE_EVENT)] | None = Field(
        default=None, description="The therapy event a response assessment refers to."
    )
    alterations: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations detected."
    )
    negative_genes: tuple[Annotated[str, Ref(NodeType.GENE)], ...] = Field(
        default=(), description="Genes a test reported negative ('EGFR (-)'): tested, nothing detected."
    )
    sites: tuple[Annotated[str, Ref(NodeType.ANATOMICAL_SITE)], ...] = Field(
        default=(), description="Sites involved (metastases)."
    )
    adverse_events: tuple[AdverseEventOccurrence, ...] = Field(default=(), description="Adverse events.")
    finding: str | None = Field(default=None, description="Result of an examination or test.")
    tumor_size: str | None = Field(default=None, description="Tumour size as published ('2.5 cm x 3 cm').")
    response_criteria: str | None = Field(
        default=None, description="Criteria the response was assessed by, as published ('RECIST 1.1')."
    )
    quote: Quote = Field(description="Verbatim text describing the event.")
    provenance: tuple[Quote, ...] = Field(
        default=(), description="Further quotes about the same event, e.g. the figure legend that dates an image."
    )
    curator_note: str | None = Field(
        default=None, description="Caveats: how an undated event was placed, wording the source uses loosely."
    )

    @model_validator(mode="after")
    def _check_dates(self) -> CaseEvent:
        """No event ends before it starts (a partial date is the interval it covers)."""
        if (
            self.date is not None
            and self.end_date is not None
            and date_bounds(self.end_date)[1] < date_bounds(self.date)[0]
        ):
            problems = Violations()
            problems.add("end_date", f"an end date on or after the start {self.date}", self.end_date)
            problems.raise_if_any(type(self).__name__)
        return self


class PatientCase(Node):
    """A case report's patient: who, what disease, and the events in date order."""

    node_type: ClassVar[NodeType] = NodeType.PATIENT_CASE
    id: Annotated[str, OwnId(NodeType.PATIENT_CASE)] = Field(description="Stable id, e.g. case:pan-zhou-2024.")
    label: str = Field(min_length=1, description="Name for display.")
    source: Annotated[str, Ref(NodeType.SOURCE)] = Field(description="The case report.")
    age: int | None = Field(default=None, ge=0, le=120, description="Age at presentation, in years.")
    sex: str | None = Field(default=None, pattern=r"^(female|male)$", description="Sex as reported.")
    disease: Annotated[str, Ref(NodeType.DISEASE)] = Field(description="Primary diagnosis.")
    stage: str | None = Field(default=None, description="Stage as published.")
    alterations: tuple[Annotated[str, Ref(NodeType.ALTERATION)], ...] = Field(
        default=(), description="Alterations the patient's tumour carried at the latest test."
    )
    events: tuple[CaseEvent, ...] = Field(min_length=1, description="Events in date order.")
    provenance: tuple[Quote, ...] = Field(default=(), description="Quotes for age, sex, diagnosis and stage.")
    curator_notes: tuple[str, ...] = Field(default=(), description="Caveats (e.g. staging edition).")

    @model_validator(mode="after")
    def _check_event_order(self) -> PatientCase:
        """Dated events are in date order.

        A partial date is the interval it covers, so "2020-08" may follow "2020-08-05"; an event is out of
        order only when it must lie before an earlier-listed event (its latest day precedes that one's earliest).
        """
        problems = Violations()
        previous: tuple[str, str] | None = None
        for index, event in enumerate(self.events):
            if event.date is None:
                continue
            if previous is not None and date_bounds(event.date)[1] < date_bounds(previous[1])[0]:
                problems.add(
                    ("events", index, "date"),
                    f"events in date order: this event ({event.id}) is dated before {previous[0]} ({previous[1]})",
                    event.date,
                )
            if previous is None or date_bounds(event.date)[0] >= date_bounds(previous[1])[0]:
                previous = (event.id, event.date)
        problems.raise_if_any(type(self).__name__)
        return self
