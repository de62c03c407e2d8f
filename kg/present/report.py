"""Plain-text rendering of answers, for the terminal (``kg ask``, ``kg evidence``).

Reads the same JSON-ready answer the API returns, so the CLI can never say
something the API does not: how the question was read, the summary, then
each result with its match, study, outcomes (with CIs) and verbatim quote.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

__all__ = ["format_answer"]

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def _study_line(evidence: dict[str, Any]) -> str:
    study = evidence.get("study")
    parts = [f"level {evidence['level']}", evidence["direction"].replace("_", " "), evidence["evidence_type"]]
    if study:
        design = study["design"].replace("_", " ")
        phase = f" phase {study['phase']}" if study.get("phase") else ""
        size = f", n={study['sample_size']}" if study.get("sample_size") else ""
        parts.insert(0, f"{study['name']} ({design}{phase}{size})")
    population = evidence.get("population")
    if population and population.get("is_subgroup"):
        parts.append(f"subgroup: {population['label']}")
    return " · ".join(parts)


def _citation(evidence: dict[str, Any]) -> str:
    quote = evidence["quote"]
    source = quote["source"]
    cited = [c["citation"] for c in evidence.get("cites", [])]
    refs = [n for c in evidence.get("cites", []) for n in c.get("reference_numbers", [])]
    text: str = source["citation"]
    if cited:
        text = f"{'; '.join(cited)}, as reported by {text}"
    if refs:
        text += f" (ref. {', '.join(refs)})"
    if quote.get("locator"):
        text += f", {quote['locator']}"
    return text


def format_answer(answer: Mapping[str, Any]) -> str:
    """The answer as readable text."""
    lines: list[str] = []
    if "interpretation" in answer:
        lines.append(f"Question: {answer['question']}")
        lines.append(f"Read as:  {answer['interpretation']}")
    else:
        resolved = "; ".join(f"{t['facet']}: {t['label']}" for t in answer["query"]["resolved"])
        lines.append(f"Query: {resolved or '(no facets)'}")
    for step in answer.get("relaxations", []):
        lines.append(f"Relaxed (step {step['step']}): {step['description']} → {step['found']} found")
    summary = answer.get("summary")
    if summary:
        lines.append("")
        lines.append(_wrap(summary["text"], ""))
    shown = len(answer["results"])
    lines.append("")
    lines.append(f"Showing {shown} of {answer['total']} (offset {answer['offset']}).")
    for result in answer["results"]:
        evidence = result["evidence"]
        match = ", ".join(f"{m['facet']} {m['match']}" for m in result["match"])
        lines.append("")
        lines.append(f"{result['rank']}. [{'direct' if result['direct'] else 'nearer'}: {match}] {evidence['id']}")
        lines.append(_wrap(evidence["statement"], "   "))
        lines.append(f"   {_study_line(evidence)}")
        for note in (m["note"] for m in result["match"] if m["match"] != "exact"):
            lines.append(f"   why: {note}")
        for outcome in evidence["outcomes"]:
            extracted = " (machine-extracted)" if outcome["machine_extracted"] else ""
            lines.append(f"   • {outcome['text']}{extracted}")
        lines.append(_wrap(f"“{evidence['quote']['text']}”", "   "))
        lines.append(_wrap(f"— {_citation(evidence)}", "     "))
    return "\n".join(lines)
