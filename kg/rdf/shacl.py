"""SHACL validation of an export against ``kg/rdf/shapes.ttl`` (pyshacl, offline).

The shapes state what a consumer may rely on (every evidence item has one
quote from a source and a level among A–E; outcomes carry typed numbers
with CI lower ≤ upper; external ids are asserted only when verified).
Validation runs without inference and never fetches anything: the shapes
are read from the package and ``owl:imports`` is not followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyshacl
from rdflib import Graph

from kg.rdf.shapes import SHAPES_FILE, published_shapes

__all__ = ["SHAPES_FILE", "ShaclReport", "load_shapes", "validate"]


@dataclass(frozen=True)
class ShaclReport:
    """Outcome of a validation: whether the graph conforms, and pyshacl's report text."""

    conforms: bool
    text: str
    graph: Graph


@cache
def _shapes_text() -> str:
    return published_shapes()


def load_shapes() -> Graph:
    """The shapes graph (a fresh copy)."""
    return Graph().parse(data=_shapes_text(), format="turtle")


def validate(data: Graph) -> ShaclReport:
    """Validate ``data`` against the export shapes."""
    conforms, report_graph, report_text = pyshacl.validate(
        data,
        shacl_graph=load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        do_owl_imports=False,
    )
    return ShaclReport(conforms=bool(conforms), text=str(report_text), graph=report_graph)
