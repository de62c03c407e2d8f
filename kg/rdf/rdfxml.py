"""The RDF/XML writer, and why it refuses some text.

RDF/XML is XML 1.0, which cannot represent most C0 control characters
(U+0000–U+0008, U+000B, U+000C, U+000E–U+001F) nor U+FFFE/U+FFFF, not even
as character references: a file containing them is not well-formed and no
conforming parser reads it (rdflib's own RDF/XML output has this bug). So
this writer raises :class:`~kg.rdf.escape.UnwritableError` for such a
literal, and the export turns it into an :class:`~kg.core.errors.ExportError`
naming the record and the field. It never alters the text: the other
formats (Turtle, N-Triples, JSON-LD) carry it exactly. CR is written as
``&#13;`` so XML line-end normalisation cannot turn it into LF.

Input is a stream of pyoxigraph triples grouped by subject, like the
JSON-LD writer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph

from kg.rdf.escape import UnwritableError, escape_xml_attribute, escape_xml_text, xml_forbidden
from kg.rdf.namespace import XSD
from kg.rdf.prefixes import export_prefixes

__all__ = ["rdfxml_chunks"]

_XSD_STRING = str(XSD.string)
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def rdfxml_chunks(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> Iterator[str]:
    """RDF/XML text of ``triples``, in chunks."""
    prefixes = export_prefixes()
    by_namespace = {namespace: prefix for prefix, namespace in prefixes.items()}
    qnames: dict[str, str] = {}

    def qname(iri: str) -> str:
        name = qnames.get(iri)
        if name is None:
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            prefix = by_namespace.get(iri[:cut])
            local = iri[cut:]
            if prefix is None or not _NCNAME.match(local):
                raise UnwritableError(f"predicate {iri} has no XML qualified name in the declared namespaces")
            name = qnames[iri] = f"{prefix}:{local}"
        return name

    def subject_attribute(node: Any) -> str:
        if isinstance(node, pyoxigraph.BlankNode):
            return f'rdf:nodeID="{node.value}"'
        return f'rdf:about="{escape_xml_attribute(node.value)}"'

    declarations = "".join(
        f'\n    xmlns:{prefix}="{escape_xml_attribute(namespace)}"' for prefix, namespace in prefixes.items()
    )
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n'
    current: Any = None
    buffer: list[str] = []
    for triple in triples:
        subject = triple.subject
        if subject != current:
            if current is not None:
                buffer.append("  </rdf:Description>\n")
            current = subject
            buffer.append(f"  <rdf:Description {subject_attribute(subject)}>\n")
        name = qname(triple.predicate.value)
        obj = triple.object
        if isinstance(obj, pyoxigraph.NamedNode):
            buffer.append(f'    <{name} rdf:resource="{escape_xml_attribute(obj.value)}"/>\n')
        elif isinstance(obj, pyoxigraph.BlankNode):
            buffer.append(f'    <{name} rdf:nodeID="{obj.value}"/>\n')
        else:
            text = obj.value
            problem = xml_forbidden(text)
            if problem is not None:
                raise UnwritableError(problem)
            if obj.language:
                attribute = f' xml:lang="{escape_xml_attribute(obj.language)}"'
            elif obj.datatype.value != _XSD_STRING:
                attribute = f' rdf:datatype="{escape_xml_attribute(obj.datatype.value)}"'
            else:
                attribute = ""
            buffer.append(f"    <{name}{attribute}>{escape_xml_text(text)}</{name}>\n")
        if len(buffer) >= 20_000:
            yield "".join(buffer)
            buffer.clear()
    if current is not None:
        buffer.append("  </rdf:Description>\n")
    buffer.append("</rdf:RDF>\n")
    yield "".join(buffer)
