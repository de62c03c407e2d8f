"""The knowledge graph as RDF: vocabulary, mapping, writers, reader, shapes.

Modules, one concept each::

    namespace   EKG (closed DefinedNamespace) and the standard namespaces reused
    mapping     model field → RDF property, for every field of every record model
    emit        records → N-Triples / Turtle text (generated per-model writers)
    syntax      N-Triples and Turtle rendering rules; prefixes: safe prefixed names
    escape      literal/IRI escaping and what XML 1.0 cannot carry; literals: xsd lexical forms
    jsonld      JSON-LD writer (context inline: context.jsonld); rdfxml: RDF/XML writer
    serialize   corpus → chunks in any of the four syntaxes (rdf_chunks)
    read        RDF → records (read_corpus, read_corpus_bytes)
    ontology    ontology.ttl, generated; shacl: validation against shapes.ttl
    generate    ``python -m kg.rdf.generate`` rewrites ontology.ttl and context.jsonld

User-facing exports go through :mod:`kg.export` (``serialize`` / ``write_export``);
``docs/rdf.md`` describes the model.
"""

from kg.rdf.serialize import RDF_FORMATS, RdfFormat, rdf_byte_chunks, rdf_chunks, rdf_format

__all__ = ["RDF_FORMATS", "RdfFormat", "rdf_byte_chunks", "rdf_chunks", "rdf_format"]
