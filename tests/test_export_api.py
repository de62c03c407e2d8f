"""kg.export entry points: serialize and write_export for every format, errors, and atomic writes."""

from __future__ import annotations

import pyoxigraph
import pytest

from kg.core.errors import ExportError, InvalidQueryError
from kg.export import EXPORT_FORMATS, serialize, write_export
from kg.export.atomic import atomic_write
from kg.model import Corpus
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import parse, same_graph, tiny_corpus

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
RDF_FORMATS = ("turtle", "jsonld", "nt", "xml")


@pytest.fixture(scope="module")
def tiny_kg() -> KnowledgeGraph:
    return KnowledgeGraph.from_corpus(tiny_corpus())


def test_formats_are_the_documented_six():
    assert tuple(EXPORT_FORMATS) == ("turtle", "jsonld", "nt", "xml", "kgx", "csv")


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_serialize_rdf_parses_and_agrees_with_ntriples(kg_curated, fmt):
    reference = parse(serialize(kg_curated, "nt"), "nt")
    assert same_graph(parse(serialize(kg_curated, fmt), fmt), reference)


def test_unknown_format_lists_the_valid_ones(tiny_kg):
    with pytest.raises(InvalidQueryError) as caught:
        serialize(tiny_kg, "yaml")
    assert caught.value.parameter == "format"
    for name in EXPORT_FORMATS:
        assert name in str(caught.value)


def test_aliases(tiny_kg):
    assert serialize(tiny_kg, "TTL") == serialize(tiny_kg, "turtle")
    assert serialize(tiny_kg, "n-triples") == serialize(tiny_kg, "nt")


def test_exports_are_reproducible(tiny_kg):
    assert serialize(tiny_kg, "nt") == serialize(tiny_kg, "nt")


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_write_export_reports_what_it_wrote(tiny_kg, tmp_path, fmt):
    output = tmp_path / f"export.{fmt}"
    report = write_export(tiny_kg, fmt, output)
    assert output.read_bytes() == serialize(tiny_kg, fmt)
    assert report.bytes == output.stat().st_size > 0
    assert report.format == fmt and report.path == str(output) and report.seconds >= 0
    assert report.counts["records.evidence"] == 2
    if fmt in RDF_FORMATS:
        assert report.triples == len(parse(output.read_bytes(), fmt))
    assert [p.name for p in tmp_path.iterdir()] == [output.name]  # no temporary file left
    assert output.stat().st_mode & 0o777 == 0o644


def test_triple_count_of_ntriples_matches_pyoxigraph(kg_curated, tmp_path):
    report = write_export(kg_curated, "nt", tmp_path / "kg.nt")
    triples = list(pyoxigraph.parse(path=str(tmp_path / "kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert report.triples == len(triples) == len(set(triples))


def _with_control_character() -> KnowledgeGraph:
    corpus = tiny_corpus()
    records = list(corpus)
    index = next(i for i, r in enumerate(records) if r.id == "ev:tiny-no-outcome")
    records[index] = records[index].model_copy(update={"statement": "bad \x01 byte"})
    return KnowledgeGraph.from_corpus(Corpus.from_records(records, version="broken"))


def test_rdfxml_refuses_a_control_character_naming_record_and_field():
    kg = _with_control_character()
    with pytest.raises(ExportError) as caught:
        serialize(kg, "xml")
    message = str(caught.value)
    assert "ev:tiny-no-outcome" in message and "field statement" in message and "U+0001" in message
    # The formats that can carry it do, exactly.
    assert b"bad \\u0001 byte" in serialize(kg, "nt")


def test_failed_export_leaves_no_partial_file_and_keeps_the_old_one(tmp_path):
    output = tmp_path / "kg.rdf"
    output.write_bytes(b"previous good export")
    with pytest.raises(ExportError):
        write_export(_with_control_character(), "xml", output)
    assert output.read_bytes() == b"previous good export"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.rdf"]


def test_atomic_write_removes_the_temporary_file_on_failure(tmp_path):
    output = tmp_path / "out.nt"

    def chunks():
        yield b"<a> <b> <c> .\n" * 1000
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(output, chunks())
    assert list(tmp_path.iterdir()) == []


def test_write_export_to_a_missing_directory(tiny_kg, tmp_path):
    with pytest.raises(ExportError):
        write_export(tiny_kg, "nt", tmp_path / "missing" / "kg.nt")


def _with_statement(text: str) -> KnowledgeGraph:
    corpus = tiny_corpus()
    records = [r.model_copy(update={"statement": text}) if r.id == "ev:tiny-no-outcome" else r for r in corpus]
    return KnowledgeGraph.from_corpus(Corpus.from_records(records, version="broken"))


@pytest.mark.parametrize("fmt", ["nt", "turtle", "jsonld", "xml"])
def test_lone_surrogate_is_refused_naming_record_and_field(fmt):
    with pytest.raises(ExportError) as caught:
        serialize(_with_statement("half a pair \ud800"), fmt)
    assert "record ev:tiny-no-outcome" in str(caught.value) and "field statement" in str(caught.value)


def test_id_that_is_no_valid_iri_is_refused_naming_the_field():
    # CURIE syntax forbids whitespace, not every control character: such an id passes the model but no RDF syntax.
    corpus = tiny_corpus()
    records = [r.model_copy(update={"cites": ("src:tiny\x01cited",)}) if r.id == "ev:tiny-pfs" else r for r in corpus]
    kg = KnowledgeGraph.from_corpus(Corpus.from_records(records, version="broken"))
    with pytest.raises(ExportError) as caught:
        serialize(kg, "nt")
    assert "record ev:tiny-pfs" in str(caught.value) and "field cites[0]" in str(caught.value)
