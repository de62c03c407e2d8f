"""KGX TSV: ``nodes.tsv`` and ``edges.tsv`` from the networkx graph, zipped in memory.

KGX is what Biolink/Translator tools load. Nodes carry ``id``, ``category``
(the Biolink category of :mod:`kg.core.vocab`), ``name`` and useful extras
(description, synonyms, *verified* external ids only, our node type, IRI).
Edges carry ``subject``, ``predicate`` (Biolink), ``object``,
``knowledge_level``, ``agent_type``, ``primary_knowledge_source`` and
``aggregator_knowledge_source``, plus our own predicate (``ekg_predicate``)
so that the many edges Biolink can only call ``biolink:mentions`` or
``biolink:related_to`` keep their meaning, ``negated`` for the NOT part of a
molecular profile, and the networkx edge attributes as JSON
(``ekg_edge_attributes``). Multiple values are joined with ``|``.

Knowledge provenance: an edge whose subject record was quoted from the
CIViC release (a source ``src:civic-…``) has ``primary_knowledge_source``
``infores:civic`` and aggregator ``infores:evidence-kg``; every other edge is
curated here (``infores:evidence-kg``; not a registered infores id yet).
All edges are ``knowledge_assertion`` by a ``manual_agent``, except the
``has_outcome`` edges of outcomes extracted by a program from CIViC's free
text (``text_mining_agent``).

KGX is a flat, lossy view: the RDF exports are the complete one.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.core.vocab import NodeType, Predicate
from kg.graph.internals import EvidenceGraph
from kg.model import Outcome, Record
from kg.rdf.iris import record_iri

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "KgxTables", "kgx_tables", "kgx_zip"]

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "provided_by", "iri", "ekg_type")
EDGE_COLUMNS = (
    "subject",
    "predicate",
    "object",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "ekg_predicate",
    "negated",
    "ekg_edge_attributes",
)

OWN_INFORES = "infores:evidence-kg"
CIVIC_INFORES = "infores:civic"


@dataclass
class KgxTables:
    """Rows of the two files (lists of dicts keyed by the column names)."""

    nodes: list[dict[str, str]]
    edges: list[dict[str, str]]


def _join(values: Any) -> str:
    return "|".join(str(v) for v in values)


def _description(record: Any) -> str:
    for attribute in ("description", "statement", "summary", "finding"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _from_civic(record: Any) -> bool:
    quote = getattr(record, "quote", None)
    source = getattr(quote, "source", None) or getattr(record, "source", None)
    return isinstance(source, str) and source.startswith("src:civic")


def _node_rows(graph: EvidenceGraph) -> Iterator[dict[str, str]]:
    for node_id, data in graph.nodes(data=True):
        node_type = NodeType(data["type"])
        record: Record = data["record"]
        owner = graph.nodes[data["evidence"]]["record"] if "evidence" in data else record
        verified = record.verified_xrefs() if hasattr(record, "verified_xrefs") else ()
        if not verified and hasattr(record, "xrefs"):
            verified = tuple(x for x in record.xrefs if x.status.value != "unverified")
        yield {
            "id": node_id,
            "category": node_type.info.biolink,
            "name": data.get("label", ""),
            "description": _description(record),
            "synonym": _join(getattr(record, "synonyms", ())),
            "xref": _join(x.id for x in verified),
            "provided_by": CIVIC_INFORES if _from_civic(owner) else OWN_INFORES,
            "iri": record_iri(node_id),
            "ekg_type": node_type.value,
        }


def _edge_rows(graph: EvidenceGraph) -> Iterator[dict[str, str]]:
    nodes = graph.nodes
    for subject, obj, key, attributes in graph.edges(keys=True, data=True):
        predicate = Predicate(key)
        subject_data = nodes[subject]
        owner = nodes[subject_data["evidence"]]["record"] if "evidence" in subject_data else subject_data["record"]
        civic = _from_civic(owner)
        agent = "manual_agent"
        target = nodes[obj].get("record")
        if predicate is Predicate.HAS_OUTCOME and isinstance(target, Outcome) and target.machine_extracted:
            agent = "text_mining_agent"
        extra = {k: v for k, v in attributes.items() if k != "negated"}
        yield {
            "subject": subject,
            "predicate": predicate.info.biolink or "biolink:related_to",
            "object": obj,
            "knowledge_level": "knowledge_assertion",
            "agent_type": agent,
            "primary_knowledge_source": CIVIC_INFORES if civic else OWN_INFORES,
            "aggregator_knowledge_source": OWN_INFORES if civic else "",
            "ekg_predicate": f"ekg:{predicate.info.rdf_property}",
            "negated": "true" if attributes.get("negated") else "",
            "ekg_edge_attributes": json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str) if extra else "",
        }


def kgx_tables(graph: EvidenceGraph) -> KgxTables:
    """The node and edge rows of the graph."""
    return KgxTables(nodes=list(_node_rows(graph)), edges=list(_edge_rows(graph)))


def _tsv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def kgx_zip(graph: EvidenceGraph) -> tuple[bytes, KgxTables]:
    """A zip (in memory) holding ``nodes.tsv`` and ``edges.tsv``, and the rows written."""
    tables = kgx_tables(graph)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.tsv", _tsv(tables.nodes, NODE_COLUMNS))
        archive.writestr("edges.tsv", _tsv(tables.edges, EDGE_COLUMNS))
    return buffer.getvalue(), tables
