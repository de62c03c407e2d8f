"""``python -m benchmarks.ask_latency``: in-process ``/ask`` latency, p50 and p99, at given scales.

The full benchmark (``python -m benchmarks``) times the ``ask`` shape next
to its SPARQL twins, which costs minutes of pyoxigraph and rdflib work per
scale. Reading questions changes only the in-process side, so this module
times just that: :func:`kg.query.ask.ask` on the benchmark's question
(:data:`benchmarks.shapes.QUESTION`, top 20, JSON-ready answer) and on a
few questions of the kinds the reader understands, over the bundled corpus
replicated ``scale`` times (:func:`benchmarks.synth.synthetic_corpus`).
A question the code cannot answer is recorded with its error instead of a
time, so the same command runs before and after a change.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from benchmarks.shapes import QUESTION, TOP
from benchmarks.stats import sample, summarize

__all__ = ["QUESTIONS", "main", "measure"]

#: The benchmark's question first (the one the acceptance bound is about), then one per kind of reading.
QUESTIONS: tuple[str, ...] = (
    QUESTION,
    "what evidence supports pyrotinib in HER2-amplified NSCLC?",
    "What did the PHILA trial show?",
    "pyrotinib vs trastuzumab in HER2 NSCLC",
    "HER2 amplification in EGFR T790M-negative resistance",
    "pyrotinib after EGFR-TKI failure: ORR and mPFS",
    "diarrhea with pyrotinib",
)


def measure(scale: int, runs: int) -> dict[str, Any]:
    """p50/p99 (ms) of each question at one scale; errors recorded by name."""
    from benchmarks.synth import synthetic_corpus
    from kg.query.ask import ask
    from kg.runtime.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_corpus(synthetic_corpus(scale))
    kg.index  # noqa: B018 - built before timing, as a served graph has it
    results: dict[str, Any] = {"scale": scale, "evidence": len(kg.corpus.evidence), "questions": {}}
    for question in QUESTIONS:
        try:
            ask(kg, question, limit=TOP)
        except Exception as error:  # a question today's reader refuses: recorded, not timed
            results["questions"][question] = {"error": f"{type(error).__name__}: {error}"[:200]}
            continue

        def call(q: str = question) -> object:
            return ask(kg, q, limit=TOP)

        summary = summarize(sample(call, runs, warmup=3)).scaled(1000)
        results["questions"][question] = {"p50_ms": round(summary.median, 3), "p99_ms": round(summary.p99, 3)}
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Measure at each scale and print JSON (one object per scale)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1], help="replication factors (1 = bundled data)")
    parser.add_argument("--runs", type=int, default=300, help="timed calls per question")
    args = parser.parse_args(argv)
    for scale in args.scales:
        print(json.dumps(measure(scale, args.runs), indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
