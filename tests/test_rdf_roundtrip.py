"""RDF exports of real and made-up data: every syntax parses back, says the same triples, matches the
records and the graph, and reads back into the same records (RDF → records → RDF is isomorphic)."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef
from rdflib.compare import isomorphic

from kg.core.errors import ExportError
from kg.core.identifiers import expand
from kg.core.vocab import NodeType, Predicate
from kg.export.formats import export_format
from kg.model import Corpus, EvidenceItem, Quote, Source, Xref
from kg.model.terms import Verification
from kg.model.walk import iter_quotes
from kg.rdf.iris import record_iri
from kg.rdf.mapping import CLASS_OF_MODEL
from kg.rdf.namespace import RDF, SKOS
from kg.rdf.read import read_corpus, read_corpus_bytes, read_corpus_triples
from kg.rdf.vocabulary import EKG
from tests.fixtures.rdf.helpers import TINY_GOLDEN, export_text, normalized, parse, same_graph, tiny_corpus

FORMATS = ("nt", "turtle", "jsonld", "xml")
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
OXIGRAPH = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "turtle": pyoxigraph.RdfFormat.TURTLE}


@pytest.fixture(scope="module")
def curated_exports(kg_curated):
    return {fmt: export_text(kg_curated.corpus, fmt) for fmt in FORMATS}


@pytest.fixture(scope="module")
def curated_graph(curated_exports):
    return parse(curated_exports["nt"], "nt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_parses_back_to_the_same_graph(curated_exports, curated_graph, fmt):
    graph = parse(curated_exports[fmt], fmt)
    assert len(graph) == len(curated_graph) > 1000
    assert same_graph(graph, curated_graph)


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_ntriples_and_turtle_parse_with_pyoxigraph(curated_exports, curated_graph, fmt):
    triples = list(pyoxigraph.parse(curated_exports[fmt], format=OXIGRAPH[fmt]))
    assert len(triples) == len(curated_graph)


def test_ntriples_are_byte_for_byte_what_pyoxigraph_writes(curated_exports):
    # The builder states triples in pyoxigraph's own terms; its N-Triples is pyoxigraph's N-Triples.
    data = curated_exports["nt"]
    triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) == data


def test_jsonld_is_expanded_and_needs_no_context(curated_exports):
    # Nothing for a reader to fetch: no @context, every key a keyword or an absolute IRI.
    document = json.loads(curated_exports["jsonld"])
    assert isinstance(document, list) and len(document) > 100
    keys = {key for node in document for key in node}
    assert all(key.startswith(("@", "http://", "https://")) for key in keys), keys
    assert "@context" not in keys


def test_counts_per_type_match_the_records(kg_curated, curated_graph):
    corpus = kg_curated.corpus
    typed = Counter(o for _, _, o in curated_graph.triples((None, RDF.type, None)))
    for model, class_iri in CLASS_OF_MODEL.items():
        node_type = getattr(model, "node_type", None)
        if node_type is None or node_type in (NodeType.ARM, NodeType.CASE_EVENT, NodeType.OUTCOME):
            continue
        assert typed[class_iri] == len(corpus.table(node_type)), class_iri
    counts = corpus.counts()
    assert typed[EKG.StudyArm] == counts["arms"]
    assert typed[EKG.CaseEvent] == counts["case_events"]
    assert typed[EKG.Outcome] == counts["outcomes"]
    quotes = sum(1 for record in corpus for _ in iter_quotes(record))
    assert typed[EKG.Quote] == quotes


def test_every_graph_edge_is_a_triple(kg_curated, curated_graph):
    # SPARQL sees the same links as the networkx query engine.
    for subject, obj, key, data in kg_curated.graph.edges(keys=True, data=True):
        predicate = Predicate(key)
        prop = EKG.negatedComponent if data.get("negated") else EKG[predicate.info.rdf_property]
        assert (URIRef(record_iri(subject)), prop, URIRef(record_iri(obj))) in curated_graph, (subject, key, obj)


def test_only_verified_ids_become_iris(kg_curated, curated_graph):
    iris = {str(t) for triple in curated_graph for t in triple if isinstance(t, URIRef)}
    checked = 0
    for record in kg_curated.corpus:
        for xref in getattr(record, "xrefs", ()):
            target = URIRef(expand(xref.id))
            asserted = (URIRef(record_iri(record.id)), SKOS.exactMatch, target) in curated_graph
            if xref.status is Verification.UNVERIFIED:
                assert str(target) not in iris, xref
            else:
                assert asserted, xref
            checked += 1
    assert checked > 0


def test_unverified_xref_of_the_fixture_is_a_string_only():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    unverified = URIRef(expand("PMID:87654321"))
    assert not any(unverified in triple for triple in graph)
    assert (None, EKG.xrefId, rdflib.Literal("PMID:87654321")) in graph
    assert (URIRef(record_iri("src:tiny-paper")), SKOS.exactMatch, URIRef(expand("PMID:12345678"))) in graph


def test_outcomes_are_structured_typed_literals():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    hazard = URIRef(record_iri("outcome:tiny-pfs-2"))
    assert graph.value(hazard, EKG.measure) == rdflib.Literal("hazard_ratio")
    value = graph.value(hazard, EKG.pValue)
    assert str(value) == "0.0001" and value.datatype == rdflib.XSD.decimal
    assert graph.value(hazard, EKG.pComparator) == rdflib.Literal("<")
    assert str(graph.value(URIRef(record_iri("outcome:tiny-pfs-1")), EKG.value)) == "11.10"  # digits as published
    assert graph.value(hazard, EKG.comparedWith) == URIRef(record_iri("arm:tiny-placebo"))
    assert graph.value(URIRef(record_iri("outcome:tiny-pfs-3")), EKG.numerator).datatype == rdflib.XSD.integer


def test_golden_turtle_of_the_fixture():
    # Compared as graphs (isomorphic), not text. Regenerate tests/fixtures/rdf/tiny.ttl only after reviewing the diff.
    golden = rdflib.Graph().parse(TINY_GOLDEN, format="turtle")
    assert isomorphic(golden, parse(export_text(tiny_corpus(), "turtle"), "turtle"))


def _round_trip(corpus: Corpus, fmt: str = "nt") -> tuple[rdflib.Graph, rdflib.Graph, Corpus]:
    first = parse(export_text(corpus, fmt), fmt)
    back = read_corpus(first)
    second = parse(export_text(back, fmt), fmt)
    return first, second, back


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixture_round_trip_in_every_syntax(fmt):
    corpus = tiny_corpus()
    first, second, back = _round_trip(corpus, fmt)
    assert isomorphic(first, second)
    assert back.version == corpus.version
    for record in corpus:
        assert normalized(back.get(record.id)) == normalized(record), record.id


def test_curated_round_trip(kg_curated, curated_graph):
    back = read_corpus(curated_graph)
    assert back.counts() == kg_curated.corpus.counts()
    for record in kg_curated.corpus:
        assert normalized(back.get(record.id)) == normalized(record), record.id
    assert same_graph(parse(export_text(back, "nt"), "nt"), curated_graph)


def test_reader_on_pyoxigraph_parse(curated_exports, kg_curated):
    for fmt in ("nt", "turtle", "jsonld"):
        syntax = export_format(fmt).rdf_syntax
        assert read_corpus_bytes(curated_exports[fmt], syntax).counts() == kg_curated.corpus.counts()


def test_reader_takes_a_repeated_triple_once():
    # A CONSTRUCT that reaches one part by two paths may write its triples twice; a graph is a set.
    text = export_text(tiny_corpus(), "nt")
    once = read_corpus_bytes(text, pyoxigraph.RdfFormat.N_TRIPLES)
    twice = read_corpus_bytes(text + text, pyoxigraph.RdfFormat.N_TRIPLES)
    assert twice.counts() == once.counts()
    for record in once:
        assert normalized(twice.get(record.id)) == normalized(record), record.id


def test_reader_reports_bad_rdf():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    item = URIRef(record_iri("ev:tiny-pfs"))
    graph.set((item, EKG.level, rdflib.Literal("F")))
    graph.add((item, EKG.rating, rdflib.Literal("four")))
    with pytest.raises(Exception) as caught:
        read_corpus(graph)
    message = str(caught.value)
    assert "ev:tiny-pfs" in message and "level" in message and "rating" in message


# -- order and published digits: a record read back is the record ----------------------------------------


def _exactly(back: Corpus, corpus: Corpus) -> None:
    for record in corpus:
        copy = back.get(record.id)
        assert copy == record and repr(copy) == repr(record), record.id


def test_fixture_reads_back_exactly_with_order_and_digits():
    # No normalisation: tuples in their order, Decimal("11.10") with its digits, through a store that drops digits.
    corpus = tiny_corpus()
    store = pyoxigraph.Store()
    store.load(export_text(corpus, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    stored = {q.object.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(EKG.value)), None)}
    assert "11.1" in stored and "11.10" not in stored  # the store keeps the value only
    back = read_corpus_triples(store.quads_for_pattern(None, None, None))
    _exactly(back, corpus)
    assert back.get("ev:tiny-pfs").curator_notes == ("second note", "first note")  # not sorted


def test_a_repeated_value_keeps_its_places():
    record = tiny_corpus().get("ev:tiny-pfs")
    notes = ("b note", "a note", "b note")
    corpus = Corpus.from_records([record.model_copy(update={"curator_notes": notes})], version="v")
    graph = parse(export_text(corpus, "nt"), "nt")
    assert len(list(graph.objects(URIRef(record_iri("ev:tiny-pfs")), SKOS.editorialNote))) == 2  # a set
    assert read_corpus_bytes(export_text(corpus, "nt"), pyoxigraph.RdfFormat.N_TRIPLES).get("ev:tiny-pfs") == (
        corpus.get("ev:tiny-pfs")
    )


def test_reader_reports_a_list_that_is_not_the_set_and_digits_of_another_value():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    item = URIRef(record_iri("ev:tiny-pfs"))
    graph.remove((item, EKG.aboutTherapy, URIRef(record_iri("drug:placebo-ish"))))
    graph.set((URIRef(record_iri("outcome:tiny-pfs-2")), EKG.valueAsPublished, rdflib.Literal("0.19")))
    with pytest.raises(Exception) as caught:
        read_corpus(graph)
    message = str(caught.value)
    assert "therapy" in message and "rdf:List of the same values" in message
    assert "outcomes[1].value" in message and "0.19" in message


def test_an_export_without_lists_or_digits_still_reads_with_sets_sorted():
    graph = parse(export_text(tiny_corpus(), "nt"), "nt")
    for prop in {p for p in graph.predicates() if str(p).endswith(("List", "AsPublished"))}:
        graph.remove((None, prop, None))
    back = read_corpus(graph)
    assert back.get("ev:tiny-pfs").curator_notes == ("first note", "second note")
    assert str(back.get("ev:tiny-pfs").outcomes[0].value) == "11.10"  # rdflib keeps the typed digits


# -- property-based: awkward text ----------------------------------------------------------------------

#: Any character Python strings hold except lone surrogates (not encodable in UTF-8), with a bias
#: towards the troublesome ones: quotes, backslashes, line ends, C0/C1 controls, astral characters.
AWKWARD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\"\\\n\r\t\x00\x01\x0b\x0c\x1f\x7f\x85\u2028\u2029\ufeff\ufffe\uffff𝔘🧬<>&'")),
    ),
    min_size=1,
    max_size=40,
)
LOCAL_ID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True).filter(lambda s: not s.endswith("."))
XML_FORBIDDEN = set(range(0x09)) | {0x0B, 0x0C} | set(range(0x0E, 0x20)) | {0xFFFE, 0xFFFF}


def _awkward_corpus(texts: list[str], local: str) -> Corpus:
    """A small corpus (source, gene, evidence item) whose every free-text field holds ``texts``."""
    it = iter(texts * 20)
    source_id = f"src:{local}"
    source = Source(
        id=source_id,
        kind="journal_article",
        short_citation=next(it),
        title=next(it),
        authors=(next(it), next(it)),
        registry_ids=(next(it),),
        curator_note=next(it),
        xrefs=(Xref(id="doi:10.1000/x", status="verified", source=next(it)),),
    )
    quote = Quote(
        text=next(it),
        continuation=(next(it), next(it)),
        source=source_id,
        section="abstract",
        corrected=next(it),
        locator=next(it),
    )
    item = EvidenceItem(
        id=f"ev:{local}",
        statement=next(it),
        evidence_type="predictive",
        direction="supports",
        significance="sensitivity_response",
        level="C",
        level_rationale=next(it),
        quote=quote,
        outcomes=[{"measure": "orr", "unit": "percent", "value": "12.50", "timepoint": next(it), "label": next(it)}],
        curator_notes=(next(it), next(it)),
    )
    return Corpus.from_records([source, item], version=next(it))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(AWKWARD, min_size=1, max_size=6), local=LOCAL_ID)
def test_round_trip_of_awkward_text(texts, local):
    corpus = _awkward_corpus(texts, local)
    for fmt in ("nt", "turtle", "jsonld"):
        first, second, back = _round_trip(corpus, fmt)
        assert isomorphic(first, second), fmt
        for record in corpus:
            assert normalized(back.get(record.id)) == normalized(record), (fmt, record.id)
    nt = export_text(corpus, "nt")
    assert len(list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))) == len(parse(nt, "nt"))
    triples = pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) == nt


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(AWKWARD, min_size=1, max_size=6), local=LOCAL_ID)
def test_rdfxml_is_readable_or_refused_with_record_and_field(texts, local):
    corpus = _awkward_corpus(texts, local)
    forbidden = any(ord(c) in XML_FORBIDDEN for text in texts for c in text)
    if forbidden:
        with pytest.raises(ExportError) as caught:
            export_text(corpus, "xml")
        message = str(caught.value)
        assert "record " in message and "field " in message and "XML 1.0" in message
        return
    first, second, back = _round_trip(corpus, "xml")
    assert isomorphic(first, second)
    for record in corpus:
        assert normalized(back.get(record.id)) == normalized(record), record.id
