"""One table of export formats: the CLI, the API, content negotiation and the serializers offer the same ones."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.settings import ApiSettings
from kg.cli import app as cli_app
from kg.core.errors import InvalidQueryError
from kg.export import EXPORT_FORMATS, ExportFormatName, export_format
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.fixtures.rdf.helpers import tiny_corpus

NAMES = list(EXPORT_FORMATS)


@pytest.fixture(scope="module")
def client():
    kg = KnowledgeGraph.from_corpus(tiny_corpus())
    with TestClient(create_app(kg, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _cli_choices() -> list[str]:
    """The choices ``kg export --help`` lists for ``--format`` (``<turtle|jsonld|...>``)."""
    result = CliRunner().invoke(cli_app, ["export", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "--format" in line and "<" in line]
    return re.search(r"<([a-z|]+)>", line).group(1).split("|")  # type: ignore[union-attr]


def _api_choices(client: TestClient) -> list[str]:
    spec = client.get("/openapi.json").json()
    (parameter,) = spec["paths"]["/export/{format}"]["get"]["parameters"]
    schema = parameter["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema["enum"])


def test_cli_and_api_offer_the_same_formats_with_the_same_names(client):
    assert _cli_choices() == _api_choices(client) == NAMES == [name.value for name in ExportFormatName]


def test_negotiation_offers_every_format_by_its_media_type(client):
    refused = client.get("/export", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.json()["error"]["supported"] == [spec.media_type for spec in EXPORT_FORMATS.values()]
    for spec in EXPORT_FORMATS.values():
        response = client.get("/export", headers={"Accept": spec.media_type})
        assert response.headers["content-type"] == spec.content_type
        assert response.headers["content-disposition"] == f'attachment; filename="{spec.file_name}"'


def test_the_cli_writes_the_file_name_the_api_sends(tmp_path, monkeypatch):
    # One file name per format: the KGX zip is evidence-kg.kgx.zip wherever it is named.
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, ["export", "--format", "kgx", "--no-civic"])
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == [export_format("kgx").file_name] == ["evidence-kg.kgx.zip"]
    assert {spec.extension for spec in EXPORT_FORMATS.values()} == {
        ".ttl",
        ".jsonld",
        ".nt",
        ".rdf",
        ".kgx.zip",
        ".csv",
    }


def test_aliases_resolve_to_the_table_and_unknown_names_list_it():
    assert export_format("TTL") is EXPORT_FORMATS["turtle"]
    assert export_format(" n-triples ") is EXPORT_FORMATS["nt"]
    with pytest.raises(InvalidQueryError) as caught:
        export_format("rdfa")
    assert all(name in str(caught.value) for name in NAMES)


def test_rdf_formats_name_their_pyoxigraph_syntax():
    rdf = {spec.name.value for spec in EXPORT_FORMATS.values() if spec.rdf_syntax is not None}
    assert rdf == {"turtle", "jsonld", "nt", "xml"}
    assert {spec.rdf_syntax.media_type for spec in EXPORT_FORMATS.values() if spec.rdf_syntax} == {
        spec.media_type for spec in EXPORT_FORMATS.values() if spec.rdf_syntax
    }
