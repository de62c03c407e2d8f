"""The closed ``ekg:`` vocabulary: every class and property the exports use, and nothing else.

The terms are not listed by hand: classes come from the node types
(:class:`kg.core.vocab.NodeType`) and the part models, object properties
from the predicates (:class:`kg.core.vocab.Predicate`), the others from the
mapping (:func:`kg.rdf.mapping.field_maps`), plus the two structural
properties the writer adds (``ekg:order``, ``ekg:xrefTarget``). :data:`EKG`
is an rdflib ``ClosedNamespace`` of exactly those terms: asking for one that
is not there (``EKG.levl``) raises ``AttributeError`` at once, so a typo in a
test or in the ontology cannot mint an undeclared property. The ontology
(``kg/rdf/ontology.ttl``) declares the same terms; a test checks it.
"""

from __future__ import annotations

from functools import cache

from rdflib.namespace import ClosedNamespace

from kg.core.vocab import EKG_VOCAB, NodeType, Predicate
from kg.rdf.mapping import CLASS_OF_MODEL, field_maps, mapped_models

__all__ = ["EKG", "STATISTICS_TERMS", "STRUCTURAL_PROPERTIES", "vocabulary_terms"]

#: Properties the writer adds that no field carries: positions in ordered fields, verified xref IRIs.
STRUCTURAL_PROPERTIES = ("order", "xrefTarget")
#: The statistics node of an export (:mod:`kg.rdf.statistics`): its class and properties.
STATISTICS_TERMS = (
    "CorpusStatistics",
    "statisticsOf",
    "evidenceItemCount",
    "statementCharacterCount",
    "wordStartFrequencies",
)


@cache
def vocabulary_terms() -> tuple[str, ...]:
    """Local names of every ``ekg:`` term, sorted."""
    terms = {node_type.info.rdf_class for node_type in NodeType}
    terms |= {str(iri)[len(EKG_VOCAB) :] for iri in CLASS_OF_MODEL.values()}
    terms |= {predicate.info.rdf_property for predicate in Predicate}
    for model in mapped_models():
        for fm in field_maps(model):
            for prop in (fm.prop, fm.sequence, fm.list_prop, fm.as_published, *(lift[2] for lift in fm.lifts)):
                if prop is not None and str(prop).startswith(EKG_VOCAB):
                    terms.add(str(prop)[len(EKG_VOCAB) :])
    terms.update(STRUCTURAL_PROPERTIES)
    terms.update(STATISTICS_TERMS)
    return tuple(sorted(terms))


#: The closed ``ekg:`` namespace (``EKG.measure``, ``EKG.EvidenceItem``; ``EKG.levl`` raises AttributeError).
EKG = ClosedNamespace(EKG_VOCAB, list(vocabulary_terms()))
