"""What a question is about, ranked: the answer's ``context`` list beside its evidence results.

Evidence items answer "what supports X"; many questions are about a
record itself: "what did PHILA show?" (the study), "how is HER2
amplification defined?" (the definition), "when did the patient develop
brain metastases?" (the case and the dated event). ``answer_context(kg,
reading)`` lists those records first, each with a sentence saying why it
is there, in this order:

1. the studies, biomarker definitions and patient cases the question names;
2. the case's events that best fit the question (up to three), scored by
   what they share with it: a named site, drug, adverse event or
   alteration (3 each), an event kind the question asks about
   ("metastases" → progression, "testing" → genetic test; 2, and 3 for a
   line of systemic therapy when treatments are asked), an assessment of a
   matching treatment (2); ties in date order;
3. the resistance mechanisms and the other entities the question names;
4. the rest of the fitting events.

Nothing here is ranked by the engine: it is read off the records and the
reading, so it is the same for any page of results.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kg.core.vocab import NodeType
from kg.model import BiomarkerDefinition, CaseEvent, PatientCase
from kg.model.terms import EventKind

if TYPE_CHECKING:
    from kg.reader.question import Reading
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["TOPIC_KINDS", "answer_context", "case_events"]

#: Event kinds each case topic asks about.
TOPIC_KINDS: dict[str, tuple[EventKind, ...]] = {
    "therapy": (EventKind.DRUG_THERAPY, EventKind.RADIOTHERAPY, EventKind.SURGERY),
    "response": (EventKind.RESPONSE_ASSESSMENT,),
    "adverse_event": (EventKind.ADVERSE_EVENT,),
    "test": (EventKind.GENETIC_TEST,),
    "metastasis": (EventKind.PROGRESSION,),
    "radiotherapy": (EventKind.RADIOTHERAPY,),
    "surgery": (EventKind.SURGERY,),
    "pathology": (EventKind.PATHOLOGY,),
    "presentation": (EventKind.PRESENTATION, EventKind.IMAGING, EventKind.SYMPTOM),
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_YEAR = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b", re.I)
_ISO_MONTH = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def asked_dates(question: str) -> tuple[set[str], set[str]]:
    """Months ("2022-12") and years ("2022") a question names ("in December 2022", "2022-12", "in 2020")."""
    months = {f"{year}-{_MONTHS[name.lower()]:02d}" for name, year in _MONTH_YEAR.findall(question)}
    months |= {f"{year}-{month}" for year, month in _ISO_MONTH.findall(question)}
    years = set(_YEAR.findall(question)) - {month[:4] for month in months}
    return months, years


_FIRST_EVENTS = 3


def _label(kg: KnowledgeGraph, node_id: str) -> str:
    data = kg.graph.nodes.get(node_id)
    return str(data["label"]) if data is not None else node_id


def _entry(kg: KnowledgeGraph, node_id: str, why: str, **extra: Any) -> dict[str, Any]:
    data = kg.graph.nodes.get(node_id)
    node_type = str(data["type"]) if data is not None else "unknown"
    return {"id": node_id, "type": node_type, "label": _label(kg, node_id), "why": why, **extra}


def _score(
    kg: KnowledgeGraph, event: CaseEvent, reading: Reading, matched_treatments: set[str]
) -> tuple[int, list[str]]:
    """How well one event fits the question, and the words saying why."""
    score, why = 0, []
    shared = {
        "site": set(event.sites) & set(reading.site),
        "drug": set(event.drugs) & (set(reading.therapy) | set(reading.prior_therapy)),
        "adverse event": {o.term for o in event.adverse_events} & set(reading.adverse_event),
        "alteration": (set(event.alterations) | set(event.negative_genes))
        & (set(reading.alteration) | set(reading.negated)),
    }
    for name, ids in shared.items():
        if ids:
            score += 3 * len(ids)
            why.append(f"{name}: {', '.join(sorted(_label(kg, i) for i in ids))}")
    kinds = {kind for topic in reading.case_topics for kind in TOPIC_KINDS.get(topic, ())}
    if event.kind in kinds:
        score += 3 if event.line_of_therapy and "therapy" in reading.case_topics else 2
        why.append(
            f"kind: {event.kind.value.replace('_', ' ')}"
            + (f", line {event.line_of_therapy}" if event.line_of_therapy else "")
        )
    if event.assesses and event.assesses in matched_treatments:
        score += 2
        why.append("assesses the treatment asked about")
    months, years = asked_dates(reading.question)
    when = [d for d in (event.date, event.end_date) if d]
    if any(d[:7] in months for d in when):
        score += 3
        why.append("dated in the month asked")
    elif any(d[:4] in years for d in when):
        score += 1
        why.append("dated in the year asked")
    return score, why


def case_events(kg: KnowledgeGraph, case: PatientCase, reading: Reading) -> list[tuple[CaseEvent, list[str]]]:
    """The case's events that fit the question, best first (all of them, in date order, when nothing narrows it)."""
    drugs = set(reading.therapy) | set(reading.prior_therapy)
    treatments = {e.id for e in case.events if set(e.drugs) & drugs}
    scored = [(event, *_score(kg, event, reading, treatments)) for event in case.events]
    fitting = [(event, score, why) for event, score, why in scored if score > 0]
    if not fitting:
        return [(event, ["an event of the case"]) for event in case.events]
    order = {event.id: rank for rank, event in enumerate(case.events)}
    fitting.sort(key=lambda entry: (-entry[1], order[entry[0].id]))
    return [(event, why) for event, _, why in fitting]


def _event_entry(kg: KnowledgeGraph, event: CaseEvent, why: list[str]) -> dict[str, Any]:
    when = event.date or event.date_text or "undated"
    return _entry(
        kg, event.id, f"{when}: {'; '.join(why)}", date=event.date, date_text=event.date_text, kind=event.kind.value
    )


def answer_context(kg: KnowledgeGraph, reading: Reading) -> list[dict[str, Any]]:
    """The records the question is about, ranked (see the module docstring)."""
    entries: list[dict[str, Any]] = []
    for study in reading.study:
        entries.append(_entry(kg, study, "the study the question names"))
    for definition in reading.biomarker:
        record = kg.corpus.table(NodeType.BIOMARKER_DEFINITION).get(definition)
        if isinstance(record, BiomarkerDefinition):
            threshold = f"{record.measurement} {record.comparator.value} {record.threshold}"
            entries.append(_entry(kg, definition, f"defines {_label(kg, record.biomarker)}: {threshold}"))
    events: list[dict[str, Any]] = []
    for case_id in reading.case:
        case = kg.corpus.table(NodeType.PATIENT_CASE).get(case_id)
        if not isinstance(case, PatientCase):
            continue
        asked = f" (asked: {', '.join(reading.case_topics)})" if reading.case_topics else ""
        entries.append(_entry(kg, case_id, f"the patient case the question is about{asked}"))
        events += [_event_entry(kg, event, why) for event, why in case_events(kg, case, reading)]
    if not reading.case and (reading.site or reading.adverse_event):  # the events that carry what is named
        for case in kg.corpus.table(NodeType.PATIENT_CASE).values():
            if isinstance(case, PatientCase):
                for event, why in case_events(kg, case, reading):
                    if (event.sites and set(event.sites) & set(reading.site)) or (
                        {o.term for o in event.adverse_events} & set(reading.adverse_event)
                    ):
                        events.append(_event_entry(kg, event, [*why, f"an event of {case.id}"]))
    entries += events[:_FIRST_EVENTS]
    named = [
        *reading.mechanism,
        *reading.therapy,
        *reading.prior_therapy,
        *reading.alteration,
        *reading.negated,
        *([reading.disease] if reading.disease else []),
        *reading.site,
        *reading.adverse_event,
        *reading.pathway,
    ]
    seen = {entry["id"] for entry in entries}
    for node_id in dict.fromkeys(named):
        if node_id not in seen and node_id in kg.graph.nodes:
            entries.append(_entry(kg, node_id, "named in the question"))
            seen.add(node_id)
    entries += [event for event in events[_FIRST_EVENTS:] if event["id"] not in seen]
    return entries
