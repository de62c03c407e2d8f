"""Corpus → RDF bytes in one syntax: the triples of :mod:`kg.rdf.triples`, serialized by pyoxigraph.

The builder states every triple once, in N-Triples made of pyoxigraph's own
terms (byte for byte what ``pyoxigraph.serialize`` writes; a test checks);
Turtle, JSON-LD and RDF/XML are pyoxigraph's serializers over pyoxigraph's
parse of those statements, so all four say the same triples and no syntax
is written by hand. Turtle and RDF/XML declare the prefixes of
:func:`kg.rdf.prefixes.export_prefixes`; pyoxigraph decides where a prefixed
name is safe. JSON-LD comes out expanded (full IRIs, no ``@context``:
pyoxigraph 0.5 does not compact), which every JSON-LD reader takes without
fetching anything; ``kg/rdf/context.jsonld`` publishes our prefixes for
those who want to compact it.

Which syntaxes the exports offer, and under which names and media types,
is the one table of :mod:`kg.export.formats`; this module takes the
pyoxigraph format it names. Errors: any value a syntax cannot carry becomes
an :class:`~kg.core.errors.ExportError` naming the record and the field.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph

from kg.model import Corpus
from kg.rdf.prefixes import export_prefixes
from kg.rdf.triples import TripleBuilder
from kg.rdf.xmlchars import protect_carriage_returns

__all__ = ["RdfWrite", "rdf_bytes"]

_NT = pyoxigraph.RdfFormat.N_TRIPLES
_PREFIXED = (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML)


class RdfWrite:
    """One export in progress: its bytes, chunk by chunk, then how many triples were written."""

    def __init__(self, corpus: Corpus, syntax: pyoxigraph.RdfFormat) -> None:
        self.corpus = corpus
        self.syntax = syntax
        self.triples = 0

    def byte_chunks(self) -> Iterator[bytes]:
        """The export as UTF-8 bytes: N-Triples about 1,000 records at a time, the other syntaxes in one chunk."""
        xml = self.syntax == pyoxigraph.RdfFormat.RDF_XML
        builder = TripleBuilder(xml_safe=xml)
        if self.syntax == _NT:
            yield from builder.corpus_chunks(self.corpus)
            self.triples = builder.count
            return
        statements = b"".join(builder.corpus_chunks(self.corpus))
        self.triples = builder.count
        prefixes = export_prefixes() if self.syntax in _PREFIXED else None
        # lenient: the statements are made of terms pyoxigraph built and validated (40 % faster to parse)
        triples = pyoxigraph.parse(statements, format=_NT, lenient=True)
        data = pyoxigraph.serialize(triples, format=self.syntax, prefixes=prefixes)
        assert data is not None  # no output given: pyoxigraph returns the bytes
        yield protect_carriage_returns(data) if xml else data


def rdf_bytes(corpus: Corpus, syntax: pyoxigraph.RdfFormat) -> bytes:
    """The corpus in RDF syntax ``syntax`` (``pyoxigraph.RdfFormat.TURTLE``, ...), as bytes."""
    return b"".join(RdfWrite(corpus, syntax).byte_chunks())
