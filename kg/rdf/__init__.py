"""The knowledge graph as RDF: vocabulary, mapping, triples, reader, shapes.

Modules, one concept each::

    namespace   the standard namespaces reused, and ours (open); vocabulary: the closed ekg terms (EKG)
    mapping     model field → RDF property, derived from the models (rules + a few overrides)
    triples     records → triples in pyoxigraph terms (reused; what no syntax can carry is refused); iris: record IRIs
    serialize   corpus → bytes in a pyoxigraph RDF syntax (Turtle, N-Triples, JSON-LD, RDF/XML)
    xmlchars    what XML 1.0 (RDF/XML) cannot carry; literals: xsd lexical forms; prefixes: declared prefixes
    read        RDF → records (read_corpus, read_corpus_bytes)
    ontology    ontology.ttl, generated; shapes: generated SHACL value lists; shacl: validation
    context     the published JSON-LD context (context.jsonld, generated)
    generate    ``python -m kg.rdf.generate`` rewrites ontology.ttl, context.jsonld and the shapes' value lists

User-facing exports (format names, media types) go through :mod:`kg.export`;
``docs/rdf.md`` describes the model.
"""

from kg.rdf.serialize import RdfWrite, rdf_bytes

__all__ = ["RdfWrite", "rdf_bytes"]
