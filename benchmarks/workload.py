"""What the HTTP and in-process benchmarks ask: one repeated question, and a thousand distinct ones.

One module for the workload, read by the load generator
(:mod:`benchmarks.http_load`), the per-request cost split
(:mod:`benchmarks.request_cost`) and the fast path's byte-for-byte test
(``tests/test_fast_path.py``), so each measures the same requests and none
imports another.

* :data:`ENDPOINTS`: the one-question workload (the headline question, the
  same path every request), kept as the second row of every table: with the
  response cache on it measures the cache.
* :func:`distinct_questions`: at least 1,000 distinct evidence questions
  generated from the graph's own evidence (fixed seed): each is read off one
  evidence item or one study (its drug, alteration, disease; sometimes its
  gene, a filter on its direction or evidence type, a second page, a
  synonym or an id instead of the label), so every question names things the
  graph holds and finds something. Researchers rarely ask the same question
  twice: this is the workload of first-time answers. The questions depend
  only on the entities and the evidence's combinations of them, which a
  replicated corpus (:mod:`benchmarks.synth`) shares with its base, so every
  scale is asked the same questions.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["ENDPOINTS", "QUESTION", "SEED", "Question", "distinct_questions", "wrk_script"]

#: The headline question, in free text.
QUESTION = "what evidence supports pyrotinib in HER2-amplified NSCLC?"

#: Endpoint name → the one path it is loaded with (``ping`` is the pre-serialized ceiling).
ENDPOINTS: dict[str, str] = {
    "ping": "/health/ping",
    "evidence": "/evidence?therapy=pyrotinib&alteration=HER2%20amplification&disease=NSCLC",
    "ask": f"/ask?q={quote(QUESTION)}",
}

#: The seed of :func:`distinct_questions` (fixed: every run asks the same questions).
SEED = 18


@dataclass(frozen=True)
class Question:
    """One generated question: its ``/evidence`` parameters (in order) and its path."""

    parameters: tuple[tuple[str, str], ...]

    @property
    def path(self) -> str:
        return "/evidence?" + urlencode(self.parameters, quote_via=quote)


def _name(kg: KnowledgeGraph, node_id: str, rng: random.Random) -> str:
    """The entity as a researcher might write it: mostly its label, sometimes a synonym or its id."""
    record = kg.corpus.get(node_id) if hasattr(kg.corpus, "get") else None
    synonyms = tuple(getattr(record, "synonyms", ()) or ())
    roll = rng.random()
    if roll < 0.15:
        return node_id
    if roll < 0.35 and synonyms:
        return str(rng.choice(synonyms))
    return kg.resolver.label(node_id)


def _combinations(kg: KnowledgeGraph) -> list[tuple[str, str | None, str | None, str | None, str, str]]:
    """(drug, alteration, gene, disease, direction, evidence type) of every item, once each, in a fixed order."""
    found: set[tuple[str, str | None, str | None, str | None, str, str]] = set()
    alterations = kg.corpus.alterations
    for item in kg.corpus.evidence.values():
        drugs = (*item.therapy, *item.therapy_classes)
        if not drugs:
            continue
        alteration = item.alterations[0] if item.alterations else None
        record = alterations.get(alteration) if alteration else None
        gene = record.gene if record is not None else (item.genes[0] if item.genes else None)
        found.add((drugs[0], alteration, gene, item.disease, item.direction.value, item.evidence_type.value))
    return sorted(found, key=lambda combination: tuple(part or "" for part in combination))


def _shapes(
    kg: KnowledgeGraph, combination: tuple[str, str | None, str | None, str | None, str, str], rng: random.Random
) -> Iterator[list[tuple[str, str]]]:
    """The questions one combination yields (the headline shape first, then narrower or wider ones)."""
    drug, alteration, gene, disease, direction, evidence_type = combination
    therapy = [("therapy", _name(kg, drug, rng))]
    altered = [("alteration", _name(kg, alteration, rng))] if alteration else []
    ill = [("disease", _name(kg, disease, rng))] if disease else []
    yield therapy + altered + ill
    if altered and ill:
        yield altered + ill
    if gene and ill:
        yield [("gene", _name(kg, gene, rng)), *therapy, *ill]
    if ill:
        yield therapy + ill + [("direction", direction)]
        yield therapy + altered + ill + [("evidence_type", evidence_type), ("limit", "10")]
    if altered:
        yield therapy + altered + [("offset", "20")]


def distinct_questions(kg: KnowledgeGraph, count: int = 1000, seed: int = SEED) -> list[Question]:
    """``count`` distinct ``/evidence`` questions read off the graph's evidence (see the module docstring).

    Fewer only when the graph has fewer distinct combinations (a tiny test
    graph); the order is shuffled with ``seed`` so consecutive requests ask
    about different things.
    """
    rng = random.Random(seed)
    combinations = _combinations(kg)
    rng.shuffle(combinations)
    seen: set[tuple[tuple[str, str], ...]] = set()
    questions: list[Question] = []
    for rounds in range(3):  # a second round names the same things differently (synonyms, ids)
        for combination in combinations:
            for parameters in _shapes(kg, combination, rng):
                key = tuple(parameters)
                if key in seen or (rounds and rng.random() < 0.5):
                    continue
                seen.add(key)
                questions.append(Question(key))
                if len(questions) >= count:
                    rng.shuffle(questions)
                    return questions
    rng.shuffle(questions)
    return questions


def wrk_script(paths: list[str]) -> str:
    """A ``wrk`` Lua script sending ``paths`` in turn, one per request, cycling (one thread: ``-t1``)."""

    def lua(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["local paths = {", *(f"  {lua(path)}," for path in paths), "}"]
    lines += [
        "local count = #paths",
        "local next_path = 0",
        "request = function()",
        "  next_path = next_path % count + 1",
        '  return wrk.format("GET", paths[next_path])',
        "end",
    ]
    return "\n".join(lines) + "\n"
