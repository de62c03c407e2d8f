"""Namespaces of the RDF export: evidence-kg's own namespace plus the standard ones reused.

Our terms are not listed here: classes come from :mod:`kg.core.vocab`,
properties from the mapping's rules (:mod:`kg.rdf.mapping`), and the closed
set of both is :data:`kg.rdf.vocabulary.EKG`.

Standard vocabularies are reused wherever one fits (PROV-O for quotes,
Dublin Core terms for sources, SKOS for labels, synonyms and verified
matches, BIBO for the ordered author list, VoID for the dataset node);
``ekg:`` only names what none of them says.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from kg.core.vocab import EKG_VOCAB

__all__ = [
    "BIBO",
    "BIOLINK",
    "DCTERMS",
    "EKG_NS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "STANDARD_PREFIXES",
    "VOID",
    "XSD",
]

#: The Biolink Model's namespace (categories and predicates).
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
#: The Bibliographic Ontology (only ``bibo:authorList`` is used).
BIBO = Namespace("http://purl.org/ontology/bibo/")
#: schema.org (only ``schema:domainIncludes`` in the ontology).
SCHEMA = Namespace("https://schema.org/")
#: SHACL (shapes file).
SH = Namespace("http://www.w3.org/ns/shacl#")


#: evidence-kg's own classes and properties, open: the mapping names its properties by rule
#: (:mod:`kg.rdf.mapping`). Code and tests that spell a term by hand use the closed
#: :data:`kg.rdf.vocabulary.EKG`, which refuses a term the exports do not use.
EKG_NS = Namespace(EKG_VOCAB)


#: Prefixes written in Turtle, JSON-LD and RDF/XML (besides our own record prefixes).
STANDARD_PREFIXES: dict[str, str] = {
    "ekg": EKG_VOCAB,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "bibo": str(BIBO),
    "void": str(VOID),
    "biolink": str(BIOLINK),
}
