"""A question's reading as data: every facet read, what was ignored and why, and the one-line interpretation.

:func:`kg.reader.question.read_question` produces a :class:`Reading`; the
answer of ``/ask`` shows it (``reading``, ``recognised``, ``ignored``,
``notes``, ``uncertain``, ``interpretation``) so a misreading is visible.
The interpretation is written here from the reading alone: every facet read,
every ordering, every cue, every note, every word ignored and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.model.terms import OUTCOME_MEASURE_LABELS, OutcomeMeasure
from kg.reader.cues import Cue
from kg.reader.names import Mention

__all__ = ["FACETS", "Ignored", "Reading", "interpretation"]

#: Facets of a reading, in the order the interpretation states them (the answer's ``reading`` object has each key).
FACETS = (
    "therapy",
    "comparison",
    "prior_therapy",
    "line",
    "alteration",
    "negated",
    "disease",
    "study",
    "case",
    "site",
    "adverse_event",
    "mechanism",
    "pathway",
    "biomarker",
    "measure",
    "evidence_type",
    "significance",
    "direction",
    "evidence",
)


@dataclass(frozen=True)
class Ignored:
    """A span of the question that was not read into any facet, and why."""

    text: str
    start: int
    end: int
    reason: str
    entity: str | None = None
    label: str | None = None
    node_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.entity,
            "label": self.label,
            "type": self.node_type,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Reading:
    """How one question was read. Every facet is a tuple of ids (or values); ``ignored`` says what was not read."""

    question: str
    therapy: tuple[str, ...] = ()
    comparison: tuple[tuple[str, ...], ...] = ()  # the sides of "X vs Y", each a tuple of therapy ids
    combination: tuple[tuple[str, ...], ...] = ()  # therapies given together ("X plus Y")
    contrast: tuple[tuple[str, ...], ...] = ()  # alterations compared ("exon 19 deletion versus L858R")
    defining: bool = False  # the question asks what something is ("what is the L858R mutation")
    prior_therapy: tuple[str, ...] = ()
    line: tuple[str, ...] = ()
    alteration: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    disease: str | None = None
    study: tuple[str, ...] = ()
    case: tuple[str, ...] = ()
    case_topics: tuple[str, ...] = ()
    site: tuple[str, ...] = ()
    adverse_event: tuple[str, ...] = ()
    mechanism: tuple[str, ...] = ()
    pathway: tuple[str, ...] = ()
    biomarker: tuple[str, ...] = ()
    measure: tuple[OutcomeMeasure, ...] = ()
    evidence_type: tuple[str, ...] = ()
    significance: tuple[str, ...] = ()
    direction: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # evidence items or assertions named by id ("CIViC EID 1867")
    recognised: tuple[tuple[Mention, str], ...] = ()  # each mention with the facet it was read into
    ignored: tuple[Ignored, ...] = ()
    notes: tuple[str, ...] = ()
    uncertain: bool = False
    #: Content words no name, measure or cue accounts for: statements using them rank first (:mod:`kg.reader.keywords`).
    keywords: tuple[str, ...] = ()
    interpretation: str = ""
    labels: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # id → label, for the interpretation

    def facets(self) -> dict[str, list[str]]:
        """Every facet by name (``FACETS``), as lists of ids or values (empty when not asked)."""
        values: dict[str, list[str]] = {
            "therapy": list(self.therapy),
            "comparison": list(dict.fromkeys(t for side in self.comparison for t in side)),
            "prior_therapy": list(self.prior_therapy),
            "line": list(self.line),
            "alteration": list(self.alteration),
            "negated": list(self.negated),
            "disease": [self.disease] if self.disease else [],
            "study": list(self.study),
            "case": list(self.case),
            "site": list(self.site),
            "adverse_event": list(self.adverse_event),
            "mechanism": list(self.mechanism),
            "pathway": list(self.pathway),
            "biomarker": list(self.biomarker),
            "measure": [m.value for m in self.measure],
            "evidence_type": list(self.evidence_type),
            "significance": list(self.significance),
            "direction": list(self.direction),
            "evidence": list(self.evidence),
        }
        return {name: values[name] for name in FACETS}

    def has_subject(self) -> bool:
        """Whether anything the graph can be asked about was read (else the question names nothing known)."""
        facets = self.facets()
        return any(facets[name] for name in FACETS if name not in ("evidence_type", "significance", "direction"))

    def to_dict(self) -> dict[str, Any]:
        """The reading as the answer shows it: facets, what each span was read as, what was ignored and why."""
        return {
            "reading": {**self.facets(), "case_topics": list(self.case_topics)},
            "recognised": [
                {**mention.to_dict(), "facet": facet, "how": mention.how, "note": mention.note}
                for mention, facet in self.recognised
            ],
            "ignored": [item.to_dict() for item in self.ignored],
            "notes": list(self.notes),
            "keywords": list(self.keywords),
            "uncertain": self.uncertain,
            "interpretation": self.interpretation,
        }


_FACET_WORDS = {
    "therapy": "therapy",
    "prior_therapy": "after (prior therapy)",
    "line": "line",
    "alteration": "alteration",
    "negated": "absent",
    "disease": "disease",
    "study": "study",
    "case": "case",
    "site": "site",
    "adverse_event": "adverse event",
    "mechanism": "resistance mechanism",
    "pathway": "pathway",
    "biomarker": "biomarker definition",
    "evidence_type": "evidence type",
    "significance": "significance",
    "direction": "direction",
    "evidence": "evidence item",
}


def interpretation(reading: Reading, labels: dict[str, str], found_cues: Sequence[Cue]) -> str:
    """State every facet read, every ordering, every word ignored and why, in one line."""

    def named(values: Iterable[str]) -> str:
        return ", ".join(labels.get(value, value) for value in values)

    parts: list[str] = []
    facets = reading.facets()
    if reading.comparison:
        sides = [" + ".join(labels.get(t, t) for t in side) for side in reading.comparison]
        parts.append(f"comparison: {' vs '.join(sides)} (either arm; head-to-head evidence first)")
        extra = [t for t in reading.therapy if t not in facets["comparison"]]
        if extra:
            parts.append(f"therapy: {named(extra)}")
    elif reading.therapy:
        combined = f" (together: {'; '.join(' + '.join(labels.get(t, t) for t in g) for g in reading.combination)})"
        parts.append(f"therapy: {named(reading.therapy)}" + (combined if reading.combination else ""))
    if reading.contrast:
        sides = [" + ".join(labels.get(a, a) for a in side) for side in reading.contrast]
        parts.append(f"alterations compared: {' vs '.join(sides)} (either; evidence comparing them first)")
    if reading.defining:
        parts.append("asks what something is: statements about it alone first")
    for facet in FACETS:
        if facet in ("therapy", "comparison", "measure") or not facets[facet]:
            continue
        text = named(facets[facet])
        if facet == "case" and reading.case_topics:
            text += f" (asked: {', '.join(reading.case_topics)})"
        parts.append(f"{_FACET_WORDS[facet]}: {text}")
    if reading.measure:
        parts.append(
            "ordered by: " + ", ".join(OUTCOME_MEASURE_LABELS[m] for m in reading.measure) + " (named in the question)"
        )
    for cue in found_cues:
        parts.append(f"'{cue.text}' read as {cue.meaning}")
    if reading.keywords:
        parts.append(f"statements using the words {', '.join(reading.keywords)} first")
    parts += list(reading.notes)
    for item in reading.ignored:
        parts.append(f"ignored '{item.text}': {item.reason}")
    if reading.uncertain:
        parts.insert(0, "uncertain reading")
    return "; ".join(parts)
