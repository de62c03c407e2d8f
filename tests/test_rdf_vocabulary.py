"""The RDF vocabulary: every model field is mapped, and the namespace, the ontology, the context,
the shapes and the terms an export actually uses all agree."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
import rdflib
from rdflib import URIRef
from rdflib.compare import isomorphic

from kg.core.vocab import EKG_VOCAB, NodeType, Predicate
from kg.model import SECTIONS
from kg.model.walk import iter_nested
from kg.rdf.context import CONTEXT_FILE, build_context, published_context
from kg.rdf.mapping import Kind, field_maps, is_record_model, mapped_models, mapping_problems
from kg.rdf.namespace import OWL, RDF, SH
from kg.rdf.ontology import build_ontology, load_ontology
from kg.rdf.shacl import load_shapes
from kg.rdf.shapes import published_shapes, shapes_text
from kg.rdf.vocabulary import EKG, vocabulary_terms
from tests.fixtures.rdf.helpers import export_text, parse, tiny_corpus

NS_TERMS = {EKG[name] for name in vocabulary_terms()}


def test_every_model_field_has_an_rdf_property():
    # Every field but a record's own id (its subject IRI) is written: by the naming rule, its predicate
    # or an override; a type with no RDF form is listed by mapping_problems (and refused by the writer).
    assert mapping_problems() == []
    for model in mapped_models():
        expected = [name for name in model.model_fields if not (name == "id" and is_record_model(model))]
        assert [fm.name for fm in field_maps(model)] == expected, model.__name__


def _declaring_class(model: type, name: str) -> str:
    """The class that declares a field (Entity fields count once for all entity types)."""
    for cls in model.__mro__:
        if name in getattr(cls, "__annotations__", {}):
            return cls.__name__
    return model.__name__


def test_fixture_corpus_uses_every_mapped_field():
    # The round-trip and golden tests only prove what the fixture exercises: make it exercise everything.
    used: set[tuple[str, str]] = set()
    for record in tiny_corpus():
        for _, model in iter_nested(record):
            for name, info in type(model).model_fields.items():
                value = getattr(model, name)
                if value not in (None, ()) and value != info.get_default(call_default_factory=True):
                    used.add((_declaring_class(type(model), name), name))
    expected = {(_declaring_class(model, fm.name), fm.name) for model in mapped_models() for fm in field_maps(model)}
    assert expected - used == set()


def test_closed_namespace_refuses_unknown_terms():
    with pytest.raises(AttributeError):
        _ = EKG.levl


def test_namespace_and_ontology_declare_the_same_terms():
    ontology = load_ontology()
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(EKG_VOCAB)}
    assert declared == NS_TERMS


def test_ontology_file_is_generated_from_the_code():
    # Regenerate with `python -m kg.rdf.generate` when this fails.
    assert isomorphic(load_ontology(), build_ontology())


def test_every_node_type_and_predicate_is_in_the_ontology():
    ontology = load_ontology()
    for node_type in NodeType:
        assert (EKG[node_type.info.rdf_class], RDF.type, OWL.Class) in ontology
    for predicate in Predicate:
        assert (EKG[predicate.info.rdf_property], RDF.type, OWL.ObjectProperty) in ontology


def test_every_ontology_term_has_a_label_and_a_comment():
    ontology = load_ontology()
    for term in NS_TERMS:
        assert ontology.value(term, rdflib.RDFS.label) is not None, term
        assert ontology.value(term, rdflib.RDFS.comment) is not None, term


def test_terms_used_by_an_export_are_declared_with_the_right_kind():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    ontology = load_ontology()
    objects_by_property: dict[URIRef, set[type]] = defaultdict(set)
    for _, p, o in graph:
        objects_by_property[p].add(type(o))
        if str(p).startswith(EKG_VOCAB):
            assert p in NS_TERMS, p
        if isinstance(o, URIRef) and str(o).startswith(EKG_VOCAB):
            assert o in NS_TERMS, o
    for prop, kinds in objects_by_property.items():
        if not str(prop).startswith(EKG_VOCAB):
            continue
        if kinds == {rdflib.Literal}:
            assert (prop, RDF.type, OWL.DatatypeProperty) in ontology, prop
        else:
            assert (prop, RDF.type, OWL.ObjectProperty) in ontology, prop


def test_published_jsonld_context_matches_the_prefix_table():
    # Regenerate with `python -m kg.rdf.generate` when this fails.
    published_context.cache_clear()
    assert published_context() == build_context()["@context"]
    # Every namespace a JSON-LD 1.1 processor may use as a prefix ends with a gen-delim.
    assert all(iri.endswith(("/", "#")) for iri in published_context().values())
    json.dumps(published_context())  # plain JSON
    assert CONTEXT_FILE == "context.jsonld"


def test_shape_value_lists_are_generated_from_the_model():
    # Regenerate with `python -m kg.rdf.generate` when this fails (a new enum value or enum field).
    assert published_shapes() == shapes_text(published_shapes())


def test_shape_value_lists_are_the_model_enums():
    # Each sh:in list on a property must list exactly the enum values of the fields that property carries.
    shapes = load_shapes()
    enums_by_property: dict[URIRef, set[str]] = defaultdict(set)
    for model in (*SECTIONS.values(), *mapped_models()):
        for fm in field_maps(model):
            if fm.kind is Kind.ENUM and fm.enum is not None:
                enums_by_property[URIRef(str(fm.prop))] |= {m.value for m in fm.enum}
    checked = 0
    for shape in shapes.subjects(SH.path, None):
        path = shapes.value(shape, SH.path)
        values_node = shapes.value(shape, SH["in"])
        if values_node is None or not isinstance(path, URIRef):
            continue
        values = {str(v) for v in rdflib.collection.Collection(shapes, values_node)}
        assert values == enums_by_property[path], path
        checked += 1
    assert checked >= 10


def test_export_refuses_a_field_whose_type_has_no_rdf_form():
    # No silent drop: a value the mapping cannot write stops the export, naming the record and the field.
    from pydantic import Field

    from kg.core.errors import ExportError
    from kg.model import Corpus, Gene

    class GeneWithScores(Gene):
        scores: dict[str, int] = Field(default_factory=dict)

    gene = GeneWithScores(id="gene:TEST1", label="TEST1", symbol="TEST1", scores={"a": 1})
    with pytest.raises(ExportError) as caught:
        export_text(Corpus.from_records([gene], version="test"), "nt")
    assert "record gene:TEST1" in str(caught.value) and "GeneWithScores.scores" in str(caught.value)
