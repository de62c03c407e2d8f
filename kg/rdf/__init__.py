"""The knowledge graph as RDF: vocabulary, mapping, writers, reader, shapes.

Entry points::

    rdf_chunks(corpus, "turtle")          # text chunks of an export (turtle, nt, jsonld, xml)
    read_corpus(graph)                    # RDF (rdflib graph) → records, the inverse of the writers

See ``docs/rdf.md`` for the model. Exports for users go through
:mod:`kg.export` (``serialize`` / ``write_export``).
"""

from kg.rdf.serialize import RDF_FORMATS, RdfFormat, rdf_chunks, rdf_format

__all__ = ["RDF_FORMATS", "RdfFormat", "rdf_chunks", "rdf_format"]
