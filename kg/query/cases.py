"""A patient case as a timeline: dated events, and each line of therapy with its start, end, response and duration.

A case report tells its story in dated sentences; a researcher asks "what
did she receive, when, for how long, and how did she respond?". The case
record (:class:`~kg.model.PatientCase`) holds the events as published; this
module derives, per treatment, what the paper only implies, and says how
each value was obtained so nothing derived passes for published:

* **start**: the event's date (``stated``);
* **end**: its ``end_date`` (``stated``); else a duration the text states
  ("for one year": ``computed`` from it); else the next progression or the
  start of the next line (``inferred``, naming that event); else, for the
  last line, none (ongoing at the last review);
* **duration**: only where both ends are dated, ``computed`` (in days
  between two full dates, in months between two months), and marked as
  resting on an inferred end when it does;
* **response**: the RECIST category of the assessments that ``assesses``
  the treatment (``assessed``), every assessment listed; the first
  progression after the treatment is given separately (``inferred``: the
  paper does not always say the progression was on that line).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg.core.vocab import NodeType
from kg.model import CaseEvent, PatientCase
from kg.model.cases import date_sort_key
from kg.model.terms import EventKind
from kg.query.payload import record_payload, ref

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["TREATMENT_KINDS", "case_ids", "case_payload", "case_summary", "patient_case", "timeline"]

#: Event kinds that are treatments (a line of systemic therapy is a drug therapy with a line number).
TREATMENT_KINDS = (EventKind.DRUG_THERAPY, EventKind.RADIOTHERAPY, EventKind.SURGERY)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12}
_STATED_DURATION = re.compile(
    r"\bfor (?P<n>\d+|one|two|three|four|five|six|twelve) (?P<unit>year|month|week)s?\b", re.I
)


def case_ids(kg: KnowledgeGraph) -> list[str]:
    """Ids of every patient case, sorted."""
    return sorted(kg.corpus.table(NodeType.PATIENT_CASE))


def patient_case(kg: KnowledgeGraph, case_id: str) -> PatientCase | None:
    """The case record, or None."""
    record = kg.corpus.table(NodeType.PATIENT_CASE).get(case_id)
    return record if isinstance(record, PatientCase) else None


def _precision(value: str | None) -> str | None:
    if value is None:
        return None
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def _as_date(value: str) -> datetime.date | None:
    parts = [int(part) for part in value.split("-")]
    return datetime.date(parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def _months(start: str, end: str) -> int | None:
    a, b = start.split("-"), end.split("-")
    if len(a) < 2 or len(b) < 2:
        return None
    return (int(b[0]) - int(a[0])) * 12 + int(b[1]) - int(a[1])


def duration(start: str | None, end: str | None) -> dict[str, Any] | None:
    """Time from ``start`` to ``end`` (partial dates): days between full dates, else whole months; None if too coarse."""
    if not start or not end:
        return None
    first, last = _as_date(start), _as_date(end)
    if first is not None and last is not None:
        days = (last - first).days
        return {"days": days, "months": round(days / 30.4375, 1), "how": "computed", "note": None}
    months = _months(start, end)
    if months is None:
        return None
    return {"days": None, "months": months, "how": "computed", "note": None}


def _add(start: str, count: int, unit: str) -> str:
    """``start`` plus a stated duration, at the precision of ``start``."""
    parts = [int(part) for part in start.split("-")]
    if unit == "week":
        first = _as_date(start)
        if first is None:
            return start
        return datetime.date.fromordinal(first.toordinal() + 7 * count).isoformat()
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(parts[0] * 12 + (parts[1] if len(parts) > 1 else 1) - 1 + months, 12)
    if len(parts) == 1:
        return f"{year:04d}"
    if len(parts) == 2:
        return f"{year:04d}-{month + 1:02d}"
    day = min(parts[2], calendar.monthrange(year, month + 1)[1])
    return f"{year:04d}-{month + 1:02d}-{day:02d}"


def _stated_duration(event: CaseEvent) -> re.Match[str] | None:
    for text in (event.date_text or "", event.quote.text):
        match = _STATED_DURATION.search(text)
        if match:
            return match
    return None


def _later(events: Sequence[CaseEvent], index: int) -> list[CaseEvent]:
    return list(events[index + 1 :])


def _end(events: Sequence[CaseEvent], index: int) -> dict[str, Any] | None:
    """How a treatment ended: stated, computed from a stated duration, or inferred from the next event."""
    event = events[index]
    if event.end_date:
        return {"date": event.end_date, "how": "stated", "from_event": None, "note": None}
    stated = _stated_duration(event)
    if stated and event.date:
        count = int(stated.group("n")) if stated.group("n").isdigit() else _NUMBER_WORDS[stated.group("n").lower()]
        end = _add(event.date, count, stated.group("unit").lower())
        return {"date": end, "how": "computed", "from_event": None, "note": f"computed from '{stated.group()}'"}
    if event.kind is not EventKind.DRUG_THERAPY:
        return None
    for later in _later(events, index):
        if not later.date:
            continue
        if later.kind is EventKind.PROGRESSION:
            return {
                "date": later.date,
                "how": "inferred",
                "from_event": later.id,
                "note": "the end is not stated; taken as the next progression",
            }
        if later.kind is EventKind.DRUG_THERAPY:
            return {
                "date": later.date,
                "how": "inferred",
                "from_event": later.id,
                "note": "the end is not stated; taken as the start of the next line",
            }
    return None


def _assessments(events: Sequence[CaseEvent], treatment: CaseEvent) -> list[dict[str, Any]]:
    return [
        {
            "event": e.id,
            "date": e.date,
            "date_text": e.date_text,
            "response": e.response.value if e.response else None,
            "criteria": e.response_criteria,
            "finding": e.finding,
        }
        for e in events
        if e.assesses == treatment.id
    ]


def _treatment(kg: KnowledgeGraph, events: Sequence[CaseEvent], index: int) -> dict[str, Any]:
    event = events[index]
    end = _end(events, index)
    assessments = _assessments(events, event)
    graded = [a for a in assessments if a["response"]]
    response = None
    if graded:
        last = max(graded, key=lambda a: date_sort_key(a["date"] or "0000"))
        response = {"category": last["response"], "how": "assessed", "event": last["event"], "date": last["date"]}
    span = duration(event.date, end["date"] if end else None)
    if span is not None and end is not None and end["how"] != "stated":
        span["note"] = f"from an end that is {end['how']}"
    progression = next(
        (e for e in _later(events, index) if e.kind is EventKind.PROGRESSION and (e.date or e.date_text)), None
    )
    last_review = max((e.date for e in events if e.date), key=date_sort_key, default=None)
    names = [event.label.lower()] + [
        name.lower() for drug in event.drugs for name in getattr(kg.corpus.drugs.get(drug), "all_names", tuple)()
    ]
    adverse = [
        e.id for e in _later(events, index) if e.kind is EventKind.ADVERSE_EVENT and _during(e, event, end, names)
    ]
    ongoing = end is None and event.kind is EventKind.DRUG_THERAPY and last_review is not None
    return {
        "event": event.id,
        "kind": event.kind.value,
        "line": event.line_of_therapy,
        "label": event.label,
        "drugs": [ref(kg, drug) for drug in event.drugs],
        "procedure": event.procedure,
        "dose": event.dose,
        "cycles": event.cycles,
        "start": {"date": event.date, "date_text": event.date_text, "how": "stated" if event.date else None},
        "end": end,
        "ongoing_at_last_review": ongoing,
        "duration": span,
        "follow_up": duration(event.date, last_review) if ongoing else None,
        "response": response,
        "assessments": assessments,
        "next_progression": (
            {"event": progression.id, "date": progression.date, "label": progression.label, "how": "inferred"}
            if progression is not None
            else None
        ),
        "adverse_events": adverse,
    }


def _during(event: CaseEvent, treatment: CaseEvent, end: dict[str, Any] | None, names: Sequence[str]) -> bool:
    """An adverse event belongs to a treatment when dated inside it, or undated and 'during' one of its names."""
    if event.date and treatment.date:
        after_start = date_sort_key(event.date) >= date_sort_key(treatment.date)
        before_end = end is None or date_sort_key(event.date) <= date_sort_key(end["date"])
        return after_start and before_end
    words = (event.date_text or "").lower()
    return "during" in words and any(name in words for name in names)


def event_payload(kg: KnowledgeGraph, event: CaseEvent, order: int) -> dict[str, Any]:
    """One dated event: its record payload (every field, its quote), its position and its date's precision."""
    return {**record_payload(kg, event), "order": order, "date_precision": _precision(event.date)}


def case_summary(kg: KnowledgeGraph, case: PatientCase) -> dict[str, Any]:
    """What a list of cases shows: who, what disease, how many events and lines."""
    return {
        "id": case.id,
        "label": case.label,
        "age": case.age,
        "sex": case.sex,
        "disease": ref(kg, case.disease),
        "stage": case.stage,
        "alterations": [ref(kg, alteration) for alteration in case.alterations],
        "source": ref(kg, case.source),
        "events": len(case.events),
        "lines_of_therapy": len({e.line_of_therapy for e in case.events if e.line_of_therapy}),
    }


def case_payload(kg: KnowledgeGraph, case: PatientCase) -> dict[str, Any]:
    """One case: its summary, provenance, curator notes and the evidence items drawn from it."""
    evidence = sorted(item.id for item in kg.corpus.evidence.values() if item.case == case.id)
    return {
        **case_summary(kg, case),
        "provenance": [record_payload(kg, quote) for quote in case.provenance],
        "curator_notes": list(case.curator_notes),
        "evidence": evidence,
    }


def timeline(kg: KnowledgeGraph, case: PatientCase) -> dict[str, Any]:
    """The case's events in order, its lines of systemic therapy and its local treatments (see the module docstring)."""
    events = list(case.events)
    treatments = [_treatment(kg, events, i) for i, e in enumerate(events) if e.kind in TREATMENT_KINDS]
    return {
        "case": case_summary(kg, case),
        "events": [event_payload(kg, event, order) for order, event in enumerate(events, start=1)],
        "lines": [t for t in treatments if t["line"] is not None],
        "local_treatments": [t for t in treatments if t["line"] is None],
        "notes": list(case.curator_notes),
    }
