"""The evidence-kg ontology (``kg/rdf/ontology.ttl``), generated from the vocabulary and the mapping.

One class per node type (:class:`kg.core.vocab.NodeType`) plus the three part
classes (quote, cross-reference, adverse-event occurrence); one object
property per graph predicate (:class:`kg.core.vocab.Predicate`) plus the links
to parts; one datatype property per literal field of the mapping, with its
XSD range and the model field's own description as comment. Biolink
mappings: ``rdfs:subClassOf`` where our class is the Biolink class or a
narrower one, ``skos:closeMatch`` where it only overlaps (a drug *class* is
not a chemical entity; an alteration such as an amplification is not
strictly a sequence variant; a case event is not always an intervention);
predicates map with ``rdfs:subPropertyOf`` to ``biolink:related_to`` and
``skos:closeMatch`` to a narrower Biolink predicate.

The file is generated so it cannot drift from the code: a test checks that
``ontology.ttl`` is isomorphic to :func:`build_ontology`, and that the
ontology, the closed namespace :data:`kg.rdf.vocabulary.EKG` and the terms
an export uses agree. Regenerate with ``python -m kg.rdf.generate``.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.core.vocab import EKG_VOCAB, NodeType, Predicate
from kg.rdf.literals import (
    XSD_ANY_URI,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_G_YEAR_MONTH,
    XSD_INTEGER,
)
from kg.rdf.mapping import CLASS_OF_MODEL, FieldMap, Kind, field_maps, mapped_models
from kg.rdf.namespace import BIOLINK, DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.rdf.vocabulary import EKG

__all__ = ["ONTOLOGY_FILE", "ONTOLOGY_IRI", "build_ontology", "load_ontology"]

ONTOLOGY_FILE = "ontology.ttl"
ONTOLOGY_IRI = URIRef(EKG_VOCAB.rstrip("#"))

#: Node types whose class is the Biolink category or narrower (others get skos:closeMatch).
_SUBCLASS_OF_BIOLINK = frozenset(NodeType) - {
    NodeType.DRUG_CLASS,
    NodeType.ALTERATION,
    NodeType.RESISTANCE_MECHANISM,
    NodeType.CASE_EVENT,
}

_PART_CLASSES = {
    EKG.Quote: (
        "quote",
        "A verbatim span of a source text that a fact rests on (prov:value is the text, prov:wasQuotedFrom "
        "the source). A record points at its quote with prov:wasDerivedFrom (its main quote) or "
        "ekg:provenanceQuote (further quotes).",
        PROV.Entity,
    ),
    EKG.CrossReference: (
        "cross-reference",
        "An identifier of a record in an external resource, with how it was checked. ekg:xrefId is the CURIE "
        "as curated (a string, never an IRI); ekg:verification is 'verified', 'verified_secondary' or "
        "'unverified'; ekg:seenIn says where it was seen. Only a verified or verified_secondary id is also "
        "asserted as an IRI: ekg:xrefTarget on this node and skos:exactMatch from the record (and "
        "dcterms:identifier on a source). An unverified id is never asserted as a match.",
        None,
    ),
    EKG.AdverseEventOccurrence: (
        "adverse event occurrence",
        "An adverse event as observed in an evidence item or a case event: the term and the grade it reached.",
        None,
    ),
    EKG.OutcomeExtraction: (
        "outcome extraction",
        "How an outcome's numbers were read: ekg:method 'curated' (by a person) or 'machine_extracted' (by a "
        "program, named by ekg:extractor and ekg:extractorVersion), and the span of the evidence item's quote "
        "they rest on (ekg:spanStart, ekg:spanEnd, ekg:spanText).",
        None,
    ),
}

#: Comments of properties that no field carries, or that say more than the field's description.
_PREDICATE_COMMENTS = {
    Predicate.QUOTED_FROM: "The source of the record's quote (shortcut for prov:wasDerivedFrom/prov:wasQuotedFrom).",
    Predicate.FOLLOWED_BY: "The next event of the same patient case, in date order.",
    Predicate.ABOUT_ADVERSE_EVENT: "An adverse-event term an evidence item reports (shortcut through its occurrences).",
    Predicate.HAD_ADVERSE_EVENT: "An adverse-event term observed at a case event (shortcut through its occurrences).",
    Predicate.HAS_POPULATION: "A population (or subgroup) of a study.",
}
_COMMENTS = {
    **{EKG[predicate.info.rdf_property]: comment for predicate, comment in _PREDICATE_COMMENTS.items()},
    EKG.xrefTarget: "The external identifier as an IRI; present only when the cross-reference is verified.",
    EKG.continuation: "Further verbatim spans of the quote's sentence, in reading order (an rdf:List of strings).",
    EKG.order: (
        "Position (from 1) of a nested node or part within its field: an outcome, study arm or case event, and a "
        "quote, cross-reference or adverse-event occurrence of a multi-valued field."
    ),
}

_RANGES = {
    Kind.TEXT: XSD.string,
    Kind.ENUM: XSD.string,
    Kind.DECIMAL: URIRef(XSD_DECIMAL),
    Kind.INTEGER: URIRef(XSD_INTEGER),
    Kind.BOOLEAN: URIRef(XSD_BOOLEAN),
    Kind.YEAR: URIRef(XSD_G_YEAR),
    Kind.ANY_URI: URIRef(XSD_ANY_URI),
}


def _label(local: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _biolink(curie: str) -> URIRef:
    return BIOLINK[curie.split(":", 1)[1]]


def _docstring(model: type) -> str:
    return (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


def build_ontology() -> Graph:
    """The ontology as an rdflib graph."""
    g = Graph()
    for prefix, namespace in (
        ("ekg", EKG_VOCAB),
        ("biolink", str(BIOLINK)),
        ("prov", str(PROV)),
        ("skos", str(SKOS)),
        ("dcterms", str(DCTERMS)),
        ("schema", str(SCHEMA)),
        ("owl", str(OWL)),
    ):
        g.bind(prefix, namespace)
    g.add((ONTOLOGY_IRI, RDF.type, OWL.Ontology))
    g.add((ONTOLOGY_IRI, DCTERMS.title, Literal("evidence-kg vocabulary")))
    g.add(
        (
            ONTOLOGY_IRI,
            RDFS.comment,
            Literal(
                "Classes and properties of the evidence-kg RDF export: sourced, quantified evidence for "
                "precision oncology. Standard vocabularies are reused where they fit: PROV-O for quotes, "
                "Dublin Core terms for sources, SKOS for labels, synonyms, notes and verified matches, "
                "BIBO for author lists, xsd datatypes for numbers and dates. Closed value sets (evidence "
                "type, level, outcome measure, ...) are plain strings; kg/rdf/shapes.ttl lists them."
            ),
        )
    )
    # classes
    for model, class_iri in CLASS_OF_MODEL.items():
        node_type: NodeType | None = getattr(model, "node_type", None)
        g.add((class_iri, RDF.type, OWL.Class))
        if node_type is not None:
            g.add((class_iri, RDFS.label, Literal(node_type.info.label)))
            g.add((class_iri, RDFS.comment, Literal(_docstring(model))))
            relation = RDFS.subClassOf if node_type in _SUBCLASS_OF_BIOLINK else SKOS.closeMatch
            g.add((class_iri, relation, _biolink(node_type.info.biolink)))
            if node_type in (NodeType.EVIDENCE, NodeType.ASSERTION):
                g.add((class_iri, RDFS.subClassOf, PROV.Entity))
    for class_iri, (label, comment, parent) in _PART_CLASSES.items():
        g.add((class_iri, RDFS.label, Literal(label)))
        g.add((class_iri, RDFS.comment, Literal(comment)))
        if parent is not None:
            g.add((class_iri, RDFS.subClassOf, parent))
    # properties used by the mapping
    used: dict[URIRef, list[FieldMap]] = {}
    for model in mapped_models():
        for fm in field_maps(model):
            used.setdefault(fm.prop, []).append(fm)
    for predicate in Predicate:
        prop = EKG[predicate.info.rdf_property]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(predicate.info.label)))
        if predicate.info.biolink == "biolink:related_to" or predicate.info.biolink is None:
            g.add((prop, RDFS.subPropertyOf, BIOLINK.related_to))
        else:
            g.add((prop, RDFS.subPropertyOf, BIOLINK.related_to))
            g.add((prop, SKOS.closeMatch, _biolink(predicate.info.biolink)))
    for prop, maps in used.items():
        if not str(prop).startswith(EKG_VOCAB):
            continue
        kinds = {fm.kind for fm in maps}
        if kinds <= {Kind.REF, Kind.NESTED} or prop == EKG.continuation:
            g.add((prop, RDF.type, OWL.ObjectProperty))
        else:
            g.add((prop, RDF.type, OWL.DatatypeProperty))
            if Kind.PARTIAL_DATE in kinds:
                union = BNode()
                Collection(g, union, [URIRef(XSD_G_YEAR), URIRef(XSD_G_YEAR_MONTH), URIRef(XSD_DATE)])
                datatype = BNode()
                g.add((datatype, RDF.type, RDFS.Datatype))
                g.add((datatype, OWL.unionOf, union))
                g.add((prop, RDFS.range, datatype))
            else:
                (kind,) = kinds
                g.add((prop, RDFS.range, _RANGES[kind]))
        if (prop, RDFS.label, None) not in g:
            g.add((prop, RDFS.label, Literal(_label(str(prop)[len(EKG_VOCAB) :]))))
        if prop not in _COMMENTS:
            description = next(
                (
                    fm.model.model_fields[fm.name].description
                    for fm in maps
                    if fm.model.model_fields[fm.name].description
                ),
                None,
            )
            if description:
                g.add((prop, RDFS.comment, Literal(description)))
        for fm in maps:
            g.add((prop, SCHEMA.domainIncludes, CLASS_OF_MODEL[fm.model]))
        targets = {fm.target for fm in maps if fm.target is not None}
        for target in targets:
            g.add((prop, SCHEMA.rangeIncludes, CLASS_OF_MODEL[target]))
        ref_types = {t for fm in maps for t in fm.ref_types}
        for node_type in ref_types:
            g.add((prop, SCHEMA.rangeIncludes, EKG[node_type.info.rdf_class]))
    for prop in (EKG.provenanceQuote,):
        g.add((prop, RDFS.subPropertyOf, PROV.wasDerivedFrom))
    # terms that no field carries (the predicates' object properties are declared above)
    g.add((EKG.xrefTarget, RDF.type, OWL.ObjectProperty))
    g.add((EKG.xrefTarget, RDFS.label, Literal("xref target")))
    g.add((EKG.xrefTarget, SCHEMA.domainIncludes, EKG.CrossReference))
    g.add((EKG.order, RDF.type, OWL.DatatypeProperty))
    g.add((EKG.order, RDFS.label, Literal("order")))
    g.add((EKG.order, RDFS.range, URIRef(XSD_INTEGER)))
    g.add((EKG.continuation, RDFS.range, RDF.List))
    _order_and_digits(g)
    _statistics(g)
    for prop, comment in _COMMENTS.items():
        g.add((prop, RDFS.comment, Literal(comment)))
    return g


def _name(prop: URIRef) -> str:
    text = str(prop)
    return "ekg:" + text[len(EKG_VOCAB) :] if text.startswith(EKG_VOCAB) else f"<{text}>"


def _declare(g: Graph, prop: URIRef, kind: URIRef, range_: URIRef | None, comment: str, domain: URIRef) -> None:
    """A property the models' fields do not declare: its kind, label (from its local name), comment, domain, range."""
    g.add((prop, RDF.type, kind))
    g.add((prop, RDFS.label, Literal(_label(str(prop)[len(EKG_VOCAB) :]))))
    g.add((prop, RDFS.comment, Literal(comment)))
    g.add((prop, SCHEMA.domainIncludes, domain))
    if range_ is not None:
        g.add((prop, RDFS.range, range_))


def _order_and_digits(g: Graph) -> None:
    """The companion properties: a set-valued field's values in order, a decimal's published digits."""
    for model in mapped_models():
        for fm in field_maps(model):
            domain = CLASS_OF_MODEL[fm.model]
            if fm.list_prop is not None:
                comment = (
                    f"The values of a record's field '{fm.name}' in the order the record gives them, as an rdf:List; "
                    "written beside the field's set of triples when it holds more than one value."
                )
                _declare(g, fm.list_prop, OWL.ObjectProperty, RDF.List, comment, domain)
            if fm.as_published is not None:
                comment = (
                    f"The digits of {_name(fm.prop)} as published, as a string (a SPARQL store keeps only the "
                    "value of an xsd:decimal: '10.0' comes back as '10')."
                )
                _declare(g, fm.as_published, OWL.DatatypeProperty, XSD.string, comment, domain)


def _statistics(g: Graph) -> None:
    """The statistics node of an export (:mod:`kg.rdf.statistics`)."""
    g.add((EKG.CorpusStatistics, RDF.type, OWL.Class))
    g.add((EKG.CorpusStatistics, RDFS.label, Literal("corpus statistics")))
    g.add(
        (
            EKG.CorpusStatistics,
            RDFS.comment,
            Literal(
                "Numbers of the whole corpus that ranking needs (evidence items, statement length, how many "
                "statements use each word start), so an engine that reads only some items from a store ranks "
                "them as the in-memory engine does. One node per export: <https://w3id.org/evidence-kg/statistics>."
            ),
        )
    )
    properties = (
        (EKG.statisticsOf, OWL.ObjectProperty, None, "The dataset (export) these statistics describe."),
        (EKG.evidenceItemCount, OWL.DatatypeProperty, URIRef(XSD_INTEGER), "Evidence items of the corpus."),
        (
            EKG.statementCharacterCount,
            OWL.DatatypeProperty,
            URIRef(XSD_INTEGER),
            "Characters (code points) of all evidence statements together; over the item count, the mean "
            "statement length of BM25's length normalisation.",
        ),
        (
            EKG.wordStartFrequencies,
            OWL.DatatypeProperty,
            XSD.string,
            "A JSON object: each word start (the first four or more letters of a word of a statement, lower-case) "
            "-> the number of evidence statements that have it; a stem's document frequency.",
        ),
    )
    for prop, kind, range_, comment in properties:
        _declare(g, prop, kind, range_, comment, EKG.CorpusStatistics)


def load_ontology() -> Graph:
    """The published ``ontology.ttl`` (parsed from the package)."""
    text = resources.files("kg.rdf").joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def main() -> None:
    """Regenerate ``kg/rdf/ontology.ttl`` next to this module."""
    path = Path(__file__).with_name(ONTOLOGY_FILE)
    header = (
        "# evidence-kg vocabulary. Generated by `python -m kg.rdf.generate` from the models and kg/core/vocab.py.\n"
    )
    path.write_text(header + build_ontology().serialize(format="turtle"), encoding="utf-8")


if __name__ == "__main__":
    main()
