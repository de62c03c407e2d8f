"""A flat CSV of evidence items and their outcomes, for spreadsheet users.

One row per outcome; an item without outcomes gets one row with the outcome
columns empty. Related records are shown by their labels (drugs, alterations,
disease, study), ids stay in ``evidence_id``. Numbers are written exactly as
published (``30.0`` stays ``30.0``); a qualified number keeps its qualifier
in the neighbouring ``*_comparator`` column (``p_value`` 0.0001 with
``p_comparator`` ``<``).

The file is UTF-8 with a byte-order mark, which spreadsheet programs need to
read UTF-8 correctly. Text cells that begin with ``=``, ``+``, ``-``, ``@``,
tab or CR are prefixed with ``'`` so a spreadsheet shows them as text
instead of running them as formulas (CSV injection); number cells are never
altered.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from kg.core.text import number_text
from kg.model import Corpus, EvidenceItem, Outcome
from kg.model.terms import Verification
from kg.present.labels import record_label

__all__ = ["CSV_COLUMNS", "NUMBER_COLUMNS", "evidence_csv", "evidence_rows"]

CSV_COLUMNS = (
    "evidence_id",
    "statement",
    "evidence_type",
    "direction",
    "significance",
    "level",
    "therapy",
    "therapy_interaction",
    "alterations",
    "disease",
    "study",
    "design",
    "measure",
    "outcome_label",
    "value_comparator",
    "value",
    "unit",
    "ci_level",
    "ci_lower",
    "ci_upper",
    "p_comparator",
    "p_value",
    "arm",
    "population",
    "quote",
    "source_citation",
    "doi_pmid",
)
#: Columns holding numbers (never prefixed against formula injection).
NUMBER_COLUMNS = frozenset({"value", "ci_level", "ci_lower", "ci_upper", "p_value"})

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ID_PREFIXES = ("doi", "PMID")


def _labels(corpus: Corpus, ids: tuple[str, ...]) -> str:
    names = []
    for record_id in ids:
        record = corpus.get(record_id)
        names.append(record_label(record) if record is not None else record_id)
    return "; ".join(names)


def _label(corpus: Corpus, record_id: str | None) -> str:
    return _labels(corpus, (record_id,)) if record_id else ""


def _number(value: Any) -> str:
    return "" if value is None else number_text(value)


def _identifiers(corpus: Corpus, item: EvidenceItem) -> str:
    found: list[str] = []
    for source_id in (item.quote.source, *item.cites):
        source = corpus.sources.get(source_id)
        if source is None:
            continue
        for xref in source.xrefs:
            verified = xref.status is not Verification.UNVERIFIED
            if verified and xref.id.split(":", 1)[0] in _ID_PREFIXES and xref.id not in found:
                found.append(xref.id)
    return "; ".join(found)


def _outcome_cells(corpus: Corpus, outcome: Outcome | None) -> dict[str, str]:
    if outcome is None:
        return {}
    return {
        "measure": outcome.measure.value,
        "outcome_label": outcome.label or "",
        "value_comparator": "" if outcome.value is None else outcome.value_comparator.value,
        "value": _number(outcome.value),
        "unit": outcome.unit.value,
        "ci_level": _number(outcome.ci_level),
        "ci_lower": _number(outcome.ci_lower),
        "ci_upper": _number(outcome.ci_upper),
        "p_comparator": "" if outcome.p_value is None else outcome.p_comparator.value,
        "p_value": _number(outcome.p_value),
        "arm": _label(corpus, outcome.arm),
        "population": _label(corpus, outcome.population),
    }


def evidence_rows(corpus: Corpus) -> Iterator[dict[str, str]]:
    """One dict per row (keys: :data:`CSV_COLUMNS`), before spreadsheet protection."""
    for item in corpus.evidence.values():
        study = corpus.studies.get(item.study) if item.study else None
        source = corpus.sources.get(item.quote.source)
        base = {
            "evidence_id": item.id,
            "statement": item.statement,
            "evidence_type": item.evidence_type.value,
            "direction": item.direction.value,
            "significance": item.significance.value,
            "level": item.level.value,
            "therapy": _labels(corpus, (*item.therapy, *item.therapy_classes)),
            "therapy_interaction": item.therapy_interaction.value if item.therapy_interaction else "",
            "alterations": _labels(corpus, item.alterations),
            "disease": _label(corpus, item.disease),
            "study": study.name if study else "",
            "design": study.design.value if study else "",
            "population": _label(corpus, item.population),
            "quote": item.quote.full_text(),
            "source_citation": source.short_citation if source else item.quote.source,
            "doi_pmid": _identifiers(corpus, item),
        }
        for outcome in item.outcomes or (None,):
            row = dict.fromkeys(CSV_COLUMNS, "")
            row.update(base)
            row.update(_outcome_cells(corpus, outcome))
            if outcome is not None and not outcome.population:
                row["population"] = base["population"]
            yield row


def _protect(column: str, value: str) -> str:
    if column not in NUMBER_COLUMNS and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def evidence_csv(corpus: Corpus) -> tuple[bytes, int]:
    """The CSV file (UTF-8 with BOM) and its number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for row in evidence_rows(corpus):
        writer.writerow([_protect(column, row[column]) for column in CSV_COLUMNS])
        rows += 1
    return buffer.getvalue().encode("utf-8-sig"), rows
