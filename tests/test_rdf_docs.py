"""The SPARQL example of docs/rdf.md runs over an exported Turtle file and returns the expected rows."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import rdflib

from kg.export import write_export
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import tiny_corpus

DOC = Path(__file__).resolve().parent.parent / "docs" / "rdf.md"


def _documented_query() -> str:
    blocks = re.findall(r"```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 1, "docs/rdf.md should have exactly one sparql block"
    return blocks[0]


def _run(path: Path) -> list[tuple]:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    rows = []
    for row in store.query(_documented_query()):
        lower, upper = row["lower"], row["upper"]
        rows.append(
            (
                row["item"].value,
                row["measure"].value,
                Decimal(row["value"].value),
                row["unit"].value,
                None if lower is None else Decimal(lower.value),
                None if upper is None else Decimal(upper.value),
            )
        )
    return rows


def test_documented_query_on_the_fixture(tmp_path):
    path = tmp_path / "kg.ttl"
    write_export(KnowledgeGraph.from_corpus(tiny_corpus()), "turtle", path)
    assert _run(path) == [
        (
            "https://w3id.org/evidence-kg/ev/tiny-pfs",
            "hazard_ratio",
            Decimal("0.18"),
            "ratio",
            Decimal("0.13"),
            Decimal("0.26"),
        ),
        (
            "https://w3id.org/evidence-kg/ev/tiny-pfs",
            "pfs_median",
            Decimal("11.10"),
            "months",
            Decimal("9.7"),
            Decimal("16.5"),
        ),
    ]
    # rdflib gives the same rows.
    graph = rdflib.Graph().parse(path, format="turtle")
    assert len(list(graph.query(_documented_query()))) == 2


def test_documented_query_on_the_curated_data(kg_curated, tmp_path):
    path = tmp_path / "kg.ttl"
    write_export(kg_curated, "turtle", path)
    rows = _run(path)
    assert rows, "the curated data has outcomes of evidence about pyrotinib"
    corpus = kg_curated.corpus
    expected = {
        (f"https://w3id.org/evidence-kg/ev/{item.id.split(':', 1)[1]}", outcome.measure.value, outcome.value)
        for item in corpus.evidence.values()
        if any(corpus.get(d) is not None and corpus.get(d).label == "pyrotinib" for d in item.therapy)
        for outcome in item.outcomes
        if outcome.value is not None
    }
    assert {(item, measure, value) for item, measure, value, *_ in rows} == expected
