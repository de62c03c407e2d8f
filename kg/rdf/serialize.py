"""Corpus → RDF text in one of four syntaxes, through one emitter.

N-Triples and Turtle are written directly by :class:`~kg.rdf.emit.TextEmitter`
(the fast paths: no rdflib graph). JSON-LD and RDF/XML are written from
pyoxigraph's parse of that N-Triples text (a C-speed parser), so all four
say the same triples by construction; tests check it with real parsers.

Errors: any value a syntax cannot carry becomes an
:class:`~kg.core.errors.ExportError` that names the record and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph

from kg.core.errors import ExportError
from kg.model import Corpus
from kg.rdf.emit import TextEmitter
from kg.rdf.escape import UnwritableError, xml_forbidden
from kg.rdf.jsonld import jsonld_chunks
from kg.rdf.rdfxml import rdfxml_chunks
from kg.rdf.syntax import NTriplesSyntax, TurtleSyntax

__all__ = ["RDF_FORMATS", "RdfFormat", "RdfWrite", "rdf_byte_chunks", "rdf_chunks", "rdf_format"]


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax: its name, media type and file extension."""

    name: str
    media_type: str
    extension: str


RDF_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat("turtle", "text/turtle", ".ttl"),
    "nt": RdfFormat("nt", "application/n-triples", ".nt"),
    "jsonld": RdfFormat("jsonld", "application/ld+json", ".jsonld"),
    "xml": RdfFormat("xml", "application/rdf+xml", ".rdf"),
}


def rdf_format(name: str) -> RdfFormat:
    """The RDF format called ``name``; ``ExportError`` listing the valid names otherwise."""
    try:
        return RDF_FORMATS[name]
    except KeyError:
        raise ExportError(f"unknown RDF format {name!r}; expected one of {', '.join(RDF_FORMATS)}") from None


class RdfWrite:
    """One export in progress: its text chunks, then how many triples were written."""

    def __init__(self, corpus: Corpus, fmt: str) -> None:
        self.corpus = corpus
        self.format = rdf_format(fmt)
        self.triples = 0

    def chunks(self) -> Iterator[str]:
        """The export as text chunks (kept for callers that encode themselves; :meth:`byte_chunks` is faster)."""
        for chunk in self.byte_chunks():
            yield chunk.decode("utf-8")

    def byte_chunks(self) -> Iterator[bytes]:
        """The export, chunk by chunk, encoded as UTF-8 (what :func:`kg.export.serialize` writes)."""
        name = self.format.name
        if name in ("nt", "turtle"):
            emitter = TextEmitter(NTriplesSyntax() if name == "nt" else TurtleSyntax())
            yield from emitter.corpus_chunks(self.corpus)
            self.triples = emitter.triples
            return
        emitter = TextEmitter(NTriplesSyntax())
        ntriples = b"".join(emitter.corpus_chunks(self.corpus))
        self.triples = emitter.triples
        triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        writer: Callable[..., Iterator[str]] = jsonld_chunks if name == "jsonld" else rdfxml_chunks
        try:
            for chunk in writer(triples):
                yield chunk.encode("utf-8")
        except UnwritableError as error:
            raise ExportError(f"cannot write {name}: {_locate_text(self.corpus, error)}") from error


def rdf_chunks(corpus: Corpus, fmt: str) -> Iterator[str]:
    """Text chunks of the corpus in RDF syntax ``fmt`` (turtle, nt, jsonld, xml)."""
    return RdfWrite(corpus, fmt).chunks()


def rdf_byte_chunks(corpus: Corpus, fmt: str) -> Iterator[bytes]:
    """UTF-8 chunks of the corpus in RDF syntax ``fmt`` (the fast path: no decode/encode round)."""
    return RdfWrite(corpus, fmt).byte_chunks()


def _locate_text(corpus: Corpus, error: UnwritableError) -> str:
    """``record …: field …: reason`` for the first string XML cannot carry (error path only)."""
    from kg.model.walk import iter_nested

    for record in corpus:
        for path, model in iter_nested(record):
            for name in type(model).model_fields:
                value = getattr(model, name)
                items = value if isinstance(value, tuple) else (value,)
                for index, item in enumerate(items):
                    if isinstance(item, str) and (problem := xml_forbidden(item)) is not None:
                        field = f"{path}.{name}" if path else name
                        field += f"[{index}]" if isinstance(value, tuple) else ""
                        return (
                            f"record {record.id}: field {field}: {problem}; "  # type: ignore[attr-defined]
                            "export Turtle, N-Triples or JSON-LD, which carry it exactly"
                        )
    return str(error)
