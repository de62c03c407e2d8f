"""What the side panel shows when a node is clicked: the API's payload shapes, trimmed.

The panel reuses :mod:`kg.query.payload` (an evidence item's statement,
outcomes with CIs, quote and source; an entity's synonyms and verified
identifiers), so a researcher sees in the view exactly what the API
returns. Empty fields are dropped, because a standalone page embeds the
details of every node it draws and most optional fields are empty.
Entities also get the evidence-API query that lists their evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.core.vocab import NodeType
from kg.query.answer import item_payload
from kg.query.entity import entity_payload
from kg.query.payload import outcome_payload, ref

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["EVIDENCE_PARAMETER", "compact", "node_details"]

#: Node type → the evidence endpoint's parameter that selects evidence about such a node.
EVIDENCE_PARAMETER: dict[str, str] = {
    NodeType.DRUG.value: "therapy",
    NodeType.DRUG_CLASS.value: "therapy",
    NodeType.ALTERATION.value: "alteration",
    NodeType.GENE.value: "gene",
    NodeType.MOLECULAR_PROFILE.value: "molecular_profile",
    NodeType.DISEASE.value: "disease",
}


def compact(value: Any) -> Any:
    """``value`` without None, empty strings, lists and dicts (recursively); False and 0 stay."""
    if isinstance(value, dict):
        pruned = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, (list, tuple)):
        return [compact(item) for item in value]
    return value


def _evidence_count(kg: KnowledgeGraph, node_id: str) -> int:
    evidence = NodeType.EVIDENCE.value
    return sum(1 for other in kg.graph.predecessors(node_id) if kg.graph.nodes[other].get("type") == evidence)


def node_details(kg: KnowledgeGraph, node_id: str) -> dict[str, Any]:
    """The panel content of one node (raises ``KeyError`` for a node not in the graph)."""
    data = kg.graph.nodes[node_id]
    node_type = data["type"]
    try:
        type_label = NodeType(node_type).info.label
    except ValueError:
        type_label = node_type
    if node_type == NodeType.EVIDENCE.value:
        details: dict[str, Any] = {"id": node_id, "type": node_type, "label": data["label"]}
        details["evidence"] = item_payload(kg, node_id)
    elif node_type == NodeType.OUTCOME.value:
        details = {"id": node_id, "type": node_type, "label": data["label"]}
        details["outcome"] = outcome_payload(kg, data["record"])
        details["of_evidence"] = ref(kg, data.get("evidence"))
    else:
        details = dict(entity_payload(kg, node_id))
    details["type_label"] = type_label
    parameter = EVIDENCE_PARAMETER.get(node_type)
    if parameter is not None:
        details["evidence_query"] = {"parameter": parameter, "value": node_id}
        details["evidence_count"] = _evidence_count(kg, node_id)
    compacted: dict[str, Any] = compact(details)
    return compacted
