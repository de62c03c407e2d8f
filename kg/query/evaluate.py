"""``kg eval questions FILE``: how well ``/ask`` answers a kept set of researcher questions, per kind.

The question set (format: ``tests/data/README.md``) says, per question, what
the reading must contain (``reading``, ``not_reading``, ``ignored``,
``interpretation_contains``), whether the answer must be relaxed, and which
ids must come first: evidence ids among the first results, any other id
(study, case, event, definition, entity) among the first entries of the
answer's ``context``. A question is right **at 5** when every check holds
and every ``top5`` id (and one ``top5_any`` id) is in the first five; right
**at 1** when every check holds and one expected id is the very first.
A question whose only expectation is ``relaxed: true`` is right at 1 and 5
alike when its checks hold.

The file is validated first (unknown keys, unknown kinds or facets,
duplicate ids, a question without a top-5 or relaxed expectation are errors
naming the file, the question and the field), so a typo never turns into a
silently passing question.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kg.core.errors import CorpusError, DataError, EvidenceKGError
from kg.reader.question import FACETS

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["KINDS", "Outcome", "QuestionSet", "Report", "evaluate", "judge", "load_questions"]

#: Kinds of question (tests/data/README.md); every kind is reported separately.
KINDS = (
    "trial",
    "case",
    "measure",
    "adverse_event",
    "site",
    "mechanism",
    "setting",
    "comparison",
    "negation",
    "names",
    "definition",
    "no_direct",
    "general",
)
TOP = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    """What the answer to one question must show."""

    reading: dict[str, list[str]] = Field(default_factory=dict)
    not_reading: dict[str, list[str]] = Field(default_factory=dict)
    top5: list[str] = Field(default_factory=list)
    top5_any: list[str] = Field(default_factory=list)
    relaxed: bool | None = None
    ignored: list[str] = Field(default_factory=list)
    interpretation_contains: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _checked(self) -> Expect:
        unknown = sorted((set(self.reading) | set(self.not_reading)) - set(FACETS))
        if unknown:
            raise ValueError(f"unknown facets {unknown}; expected some of {', '.join(FACETS)}")
        if not (self.top5 or self.top5_any or self.relaxed):
            raise ValueError("expect needs at least one of top5, top5_any or relaxed: true")
        return self


class Question(_Strict):
    """One kept question."""

    id: str = Field(min_length=1)
    kind: Literal[KINDS]  # type: ignore[valid-type]
    source: Literal["seed", "civic"]
    question: str = Field(min_length=1)
    note: str | None = None
    expect: Expect


class QuestionSet(_Strict):
    """A whole question file."""

    version: Literal[1]
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> QuestionSet:
        repeated = [qid for qid, n in Counter(q.id for q in self.questions).items() if n > 1]
        if repeated:
            raise ValueError(f"question ids must be unique; repeated: {repeated}")
        return self


_EXPECTED = {
    "extra_forbidden": "no such field (see tests/data/README.md)",
    "missing": "a value (the field is required)",
}


def load_questions(path: Path) -> QuestionSet:
    """Read and validate a question file; every problem names the file, the question and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CorpusError([DataError(str(path), "-", "-", "valid YAML", str(error))]) from None
    try:
        return QuestionSet.model_validate(raw)
    except ValidationError as error:
        problems = []
        questions = raw.get("questions") if isinstance(raw, dict) else None
        for item in error.errors():
            location = list(item["loc"])
            record = "-"
            if len(location) >= 2 and location[0] == "questions" and isinstance(location[1], int):
                entry = questions[location[1]] if isinstance(questions, list) else None
                record = str(entry.get("id", f"#{location[1]}")) if isinstance(entry, dict) else f"#{location[1]}"
                location = location[2:]
            where = ".".join(str(p) for p in location) or "-"
            expected = _EXPECTED.get(str(item["type"]), str(item["msg"]))
            problems.append(DataError(str(path), record, where, expected, item.get("input")))
        raise CorpusError(problems) from None


@dataclass(frozen=True)
class Outcome:
    """How one question was answered: right at 1 and at 5, and every failed check with why."""

    question: Question
    at1: bool
    at5: bool
    reasons: tuple[str, ...]


@dataclass
class Report:
    """Accuracy per kind and overall, and the questions that failed at 5."""

    path: str
    outcomes: list[Outcome] = field(default_factory=list)

    def by_kind(self) -> dict[str, dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {}
        for kind in [*KINDS, "overall"]:
            chosen = [o for o in self.outcomes if kind in ("overall", o.question.kind)]
            if not chosen:
                continue
            table[kind] = {
                "questions": len(chosen),
                "at1": sum(o.at1 for o in chosen) / len(chosen),
                "at5": sum(o.at5 for o in chosen) / len(chosen),
            }
        return table

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "accuracy": self.by_kind(),
            "failures": [
                {"id": o.question.id, "kind": o.question.kind, "question": o.question.question, "why": list(o.reasons)}
                for o in self.outcomes
                if not o.at5
            ],
        }

    def lines(self) -> list[str]:
        """The report as text: a table, then each failure with why."""
        out = [
            f"Questions: {self.path} ({len(self.outcomes)} questions)",
            f"{'kind':<14}{'n':>5}{'at 1':>9}{'at 5':>9}",
        ]
        for kind, row in self.by_kind().items():
            out.append(f"{kind:<14}{row['questions']:>5}{row['at1']:>9.1%}{row['at5']:>9.1%}")
        failures = [o for o in self.outcomes if not o.at5]
        out.append(f"Failures at 5: {len(failures)}")
        for outcome in failures:
            out.append(f"  {outcome.question.id} [{outcome.question.kind}] {outcome.question.question}")
            out += [f"    - {reason}" for reason in outcome.reasons]
        return out


def _position(answer: dict[str, Any], entity: str) -> int | None:
    """0-based rank of an id: evidence among the results, anything else in the context list."""
    listed = answer.get("results", []) if entity.startswith("ev:") else answer.get("context", [])
    for rank, entry in enumerate(listed):
        if isinstance(entry, dict) and entry.get("id") == entity:
            return rank
    return None


def _in_top(answer: dict[str, Any], entity: str) -> bool:
    rank = _position(answer, entity)
    return rank is not None and rank < TOP


def _where(answer: dict[str, Any], entity: str) -> str:
    rank = _position(answer, entity)
    place = "results" if entity.startswith("ev:") else "context"
    return f"not in the answer's {place}" if rank is None else f"at rank {rank + 1} of the {place}"


def _checks(expect: Expect, answer: dict[str, Any]) -> list[str]:
    reasons: list[str] = []
    reading = answer.get("reading")
    if not isinstance(reading, dict):
        if expect.reading or expect.not_reading:
            return ["the answer has no reading"]
        reading = {}
    for facet, wanted in expect.reading.items():
        read = reading.get(facet, [])
        missing = [value for value in wanted if value not in read]
        if missing:
            reasons.append(f"reading.{facet}: expected {missing}, read {read}")
    for facet, unwanted in expect.not_reading.items():
        present = [value for value in unwanted if value in reading.get(facet, [])]
        if present:
            reasons.append(f"reading.{facet}: must not read {present}")
    ignored = [str(item.get("text", "")).casefold() for item in answer.get("ignored", []) if isinstance(item, dict)]
    for word in expect.ignored:
        if word.casefold() not in ignored:
            reasons.append(f"ignored: '{word}' not listed (ignored: {ignored})")
    interpretation = str(answer.get("interpretation", ""))
    for text in expect.interpretation_contains:
        if text.casefold() not in interpretation.casefold():
            reasons.append(f"interpretation lacks {text!r}")
    if expect.relaxed is not None and bool(answer.get("relaxations")) != expect.relaxed:
        reasons.append(
            f"relaxed: expected {expect.relaxed}, answer {'was' if not expect.relaxed else 'was not'} relaxed"
        )
    return reasons


def judge(question: Question, answer: dict[str, Any]) -> Outcome:
    """Whether one answer is right at 1 and at 5, and why not."""
    expect = question.expect
    reasons = _checks(expect, answer)
    top_reasons = [f"top5: {e} {_where(answer, e)}" for e in expect.top5 if not _in_top(answer, e)]
    if expect.top5_any and not any(_in_top(answer, e) for e in expect.top5_any):
        top_reasons.append(f"top5_any: none of {expect.top5_any} in the first {TOP}")
    expected = [*expect.top5, *expect.top5_any]
    at5 = not reasons and not top_reasons
    at1 = at5 and (not expected or any(_position(answer, e) == 0 for e in expected))
    return Outcome(question, at1, at5, tuple(reasons + top_reasons))


def evaluate(kg: KnowledgeGraph, questions: QuestionSet, path: str = "") -> Report:
    """Ask every question of ``kg`` through :func:`kg.query.ask.ask` and judge each answer."""
    from kg.query.ask import ask

    report = Report(path)
    for question in questions.questions:
        try:
            answer = ask(kg, question.question, limit=max(TOP, 20))
        except EvidenceKGError as error:
            report.outcomes.append(Outcome(question, False, False, (f"refused: {error}",)))
            continue
        report.outcomes.append(judge(question, dict(answer)))
    return report
