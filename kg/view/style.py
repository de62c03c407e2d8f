"""How each node type and predicate looks in the graph view, decided once.

Colour *and* shape both encode the node type, so the view still reads in
greyscale and for colour-blind users; shapes are ones vis-network draws
with the label outside (dot, square, diamond, ...), because label-inside
shapes (box, ellipse) cost a text measurement per node per frame and make
large views slow. Labels of *detail* nodes (evidence statements, outcome
numbers, citations) are drawn only when zoomed in, so an overview shows
the entities' names instead of a smear of overlapping sentences. Edge labels are the predicate labels of
:mod:`kg.core.vocab`, so the view, the RDF and the API say the same words.
"""

from __future__ import annotations

from typing import NamedTuple

from kg.core.vocab import NodeType, Predicate

__all__ = ["NODE_STYLES", "NodeStyle", "edge_label", "legend", "node_style"]


class NodeStyle(NamedTuple):
    """Drawing attributes of one node type."""

    color: str  # fill, as a hex colour
    shape: str  # a vis-network shape with the label outside
    size: int  # radius in pixels at zoom 1
    detail: bool = False  # label drawn only when zoomed in (long statements, numbers, citations)


#: Node type → style. Entities are large, evidence medium, detail nodes (outcomes, arms) small.
NODE_STYLES: dict[NodeType, NodeStyle] = {
    NodeType.DRUG: NodeStyle("#d62728", "diamond", 18),
    NodeType.DRUG_CLASS: NodeStyle("#ff9896", "diamond", 15),
    NodeType.GENE: NodeStyle("#1f77b4", "dot", 17),
    NodeType.ALTERATION: NodeStyle("#17becf", "dot", 15),
    NodeType.MOLECULAR_PROFILE: NodeStyle("#2ca02c", "hexagon", 14),
    NodeType.DISEASE: NodeStyle("#ff7f0e", "triangle", 16),
    NodeType.ANATOMICAL_SITE: NodeStyle("#bcbd22", "triangle", 12),
    NodeType.PATHWAY: NodeStyle("#9467bd", "hexagon", 13),
    NodeType.ADVERSE_EVENT: NodeStyle("#e377c2", "triangleDown", 12),
    NodeType.RESISTANCE_MECHANISM: NodeStyle("#8c564b", "star", 14),
    NodeType.BIOMARKER_DEFINITION: NodeStyle("#c49c94", "star", 12),
    NodeType.SOURCE: NodeStyle("#7f7f7f", "square", 11, detail=True),
    NodeType.STUDY: NodeStyle("#98df8a", "square", 13),
    NodeType.ARM: NodeStyle("#c5e0b4", "dot", 8, detail=True),
    NodeType.POPULATION: NodeStyle("#c5b0d5", "dot", 9, detail=True),
    NodeType.EVIDENCE: NodeStyle("#393b79", "square", 12, detail=True),
    NodeType.OUTCOME: NodeStyle("#aec7e8", "dot", 7, detail=True),
    NodeType.ASSERTION: NodeStyle("#5254a3", "star", 13),
    NodeType.PATIENT_CASE: NodeStyle("#e7969c", "square", 12),
    NodeType.CASE_EVENT: NodeStyle("#f7b6d2", "dot", 8, detail=True),
}

_UNKNOWN = NodeStyle("#cccccc", "dot", 8)


def node_style(node_type: str) -> NodeStyle:
    """Style of a node type value (unknown types get a neutral grey dot rather than an error)."""
    try:
        return NODE_STYLES[NodeType(node_type)]
    except ValueError:
        return _UNKNOWN


def edge_label(predicate: str) -> str:
    """Display label of a predicate value ("about_therapy" → "about therapy")."""
    try:
        return Predicate(predicate).info.label
    except ValueError:
        return predicate.replace("_", " ")


def legend() -> list[dict[str, str | int]]:
    """Every node type with its label and style, in vocabulary order (the page's legend and type filters)."""
    return [
        {"type": node_type.value, "label": node_type.info.label, **style._asdict()}
        for node_type, style in NODE_STYLES.items()
    ]
