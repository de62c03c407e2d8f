"""The flat evidence CSV: one row per outcome, exact numbers, protected against formula injection."""

from __future__ import annotations

import csv
import io

from kg.export import serialize
from kg.export.evidence_csv import CSV_COLUMNS
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import tiny_corpus


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheets
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_row_per_outcome_and_one_for_items_without(kg_curated):
    rows = _rows(serialize(kg_curated, "csv"))
    corpus = kg_curated.corpus
    assert len(rows) == sum(max(1, len(item.outcomes)) for item in corpus.evidence.values())
    assert tuple(rows[0]) == CSV_COLUMNS


def test_fixture_rows():
    rows = _rows(serialize(KnowledgeGraph.from_corpus(tiny_corpus()), "csv"))
    pfs = [r for r in rows if r["evidence_id"] == "ev:tiny-pfs"]
    assert [r["measure"] for r in pfs] == ["pfs_median", "hazard_ratio", "orr", "best_response", "adverse_event_rate"]
    first, hazard = pfs[0], pfs[1]
    assert first["value"] == "11.10" and first["ci_lower"] == "9.7" and first["ci_upper"] == "16.5"
    assert first["unit"] == "months" and first["arm"] == "pyrotinib plus capecitabine"
    assert hazard["p_value"] == "0.0001" and hazard["p_comparator"] == "<"
    assert first["therapy"] == "pyrotinib; capecitabine; HER2 TKI"
    assert first["study"] == "TINY" and first["design"] == "randomized_controlled_trial"
    assert first["source_citation"] == "Doe and Roe, 2021"
    assert first["doi_pmid"] == "doi:10.1000/tiny.2021.1; PMID:12345678"  # verified ids only
    (plain,) = [r for r in rows if r["evidence_id"] == "ev:tiny-no-outcome"]
    assert plain["measure"] == "" and plain["value"] == ""
    # A quote that starts like a formula is shown as text, not run.
    assert plain["quote"] == "'=SUM(A1:A2) there is no standard treatment"
