"""The JSON-LD writer: one node object per subject, compact IRIs, the published context inline.

Input is a stream of pyoxigraph triples grouped by subject (the parse of
our own N-Triples, which is written subject by subject), so JSON-LD says
exactly what N-Triples says. Output is compacted only in the safe sense:
keys and ``@id`` values are ``prefix:local`` names of the published context
or full IRIs; plain strings are JSON strings; typed literals are
``{"@value": ..., "@type": "xsd:decimal"}``. The ``@context`` is embedded,
not referenced, so no reader ever fetches anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph

from kg.rdf.context import published_context
from kg.rdf.namespace import RDF, XSD
from kg.rdf.prefixes import IriShortener

__all__ = ["jsonld_chunks"]

_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = str(RDF.langString)


def jsonld_chunks(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> Iterator[str]:
    """JSON-LD text of ``triples`` as chunks: ``{"@context": {...}, "@graph": [...]}``."""
    shortener = IriShortener(published_context())

    def compact(iri: str) -> str:
        return shortener.shorten(iri) or iri

    def term(node: Any) -> Any:
        if isinstance(node, pyoxigraph.NamedNode):
            return {"@id": compact(node.value)}
        if isinstance(node, pyoxigraph.BlankNode):
            return {"@id": "_:" + node.value}
        datatype = node.datatype.value
        if node.language:
            return {"@value": node.value, "@language": node.language}
        if datatype == _XSD_STRING:
            return node.value
        return {"@value": node.value, "@type": compact(datatype)}

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield '{"@context":' + dumps(published_context()) + ',"@graph":[\n'
    first = True
    current: Any = None
    node: dict[str, Any] = {}
    buffer: list[str] = []
    for triple in triples:
        subject = triple.subject
        if subject != current:
            if current is not None:
                buffer.append(("" if first else ",\n") + dumps(node))
                first = False
            current = subject
            node = {"@id": term(subject)["@id"]}
        predicate = triple.predicate.value
        if predicate == _RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(predicate), []).append(term(triple.object))
        if len(buffer) >= 2_000:
            yield "".join(buffer)
            buffer.clear()
    if current is not None:
        buffer.append(("" if first else ",\n") + dumps(node))
    buffer.append("\n]}\n")
    yield "".join(buffer)
