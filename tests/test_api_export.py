"""/export: every format by name and by Accept, serialized once per data version, with ETags.

Tests that need the serializer (:func:`kg.export.serialize`) are skipped,
with that reason, while it is not installed; negotiation and parameter
errors are decided before serializing and always run.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.export.formats import EXPORT_FORMATS, ExportFormatName


@pytest.fixture(scope="module")
def client(kg_curated) -> Iterator[TestClient]:
    with TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


@pytest.mark.parametrize("fmt", list(ExportFormatName))
def test_each_format_by_name(client, fmt: ExportFormatName) -> None:
    response = client.get(f"/export/{fmt.value}")
    assert response.status_code == 200, response.text
    spec = EXPORT_FORMATS[fmt.value]
    assert response.headers["content-type"] == spec.content_type
    assert response.headers["content-disposition"] == f'attachment; filename="{spec.file_name}"'
    assert response.headers["etag"].startswith('"')
    assert response.content


@pytest.mark.parametrize(("fmt", "parser"), [(ExportFormatName.TURTLE, "turtle"), (ExportFormatName.NT, "nt")])
def test_rdf_exports_parse_and_carry_the_graph(client, fmt: ExportFormatName, parser: str) -> None:
    graph = rdflib.Graph().parse(data=client.get(f"/export/{fmt.value}").content, format=parser)
    assert len(graph) > 100
    labels = {str(o).lower() for _, _, o in graph if isinstance(o, rdflib.Literal)}
    assert "pyrotinib" in labels


def test_kgx_is_a_zip_of_tsv_files(client) -> None:
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export/kgx").content))
    names = archive.namelist()
    assert any("nodes" in name for name in names) and any("edges" in name for name in names)


@pytest.mark.parametrize("fmt", list(ExportFormatName))
def test_content_negotiation_picks_the_format(client, fmt: ExportFormatName) -> None:
    media = EXPORT_FORMATS[fmt.value].media_type
    negotiated = client.get("/export", headers={"Accept": media})
    assert negotiated.status_code == 200
    assert negotiated.headers["content-type"].split(";")[0] == media
    assert negotiated.content == client.get(f"/export/{fmt.value}").content
    assert negotiated.headers["vary"] == "Accept"


def test_negotiation_honours_quality_and_defaults_to_turtle(client) -> None:
    weighted = client.get("/export", headers={"Accept": "text/turtle;q=0.5, application/ld+json"})
    assert weighted.headers["content-type"].startswith("application/ld+json")
    anything = client.get("/export", headers={"Accept": "*/*"})
    assert anything.headers["content-type"].startswith("text/turtle")
    alias = client.get("/export", headers={"Accept": "application/x-turtle"})
    assert alias.headers["content-type"].startswith("text/turtle")


def test_each_format_is_serialized_once_and_revalidates(kg_curated, monkeypatch) -> None:
    import kg.export

    calls: list[str] = []
    real = kg.export.serialize

    def counting(kg, fmt):
        calls.append(fmt)
        return real(kg, fmt)

    monkeypatch.setattr(kg.export, "serialize", counting)
    client = TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False)))
    first = client.get("/export/turtle")
    second = client.get("/export", headers={"Accept": "text/turtle"})
    assert first.content == second.content
    assert calls == ["turtle"]
    cached = client.get("/export/turtle", headers={"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304 and not cached.content


def test_unacceptable_accept_is_406_listing_the_types(client) -> None:
    response = client.get("/export", headers={"Accept": "image/png"})
    assert response.status_code == 406
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert set(error["supported"]) == {spec.media_type for spec in EXPORT_FORMATS.values()}
    excluded = client.get("/export", headers={"Accept": "text/turtle;q=0"})
    assert excluded.status_code == 406


def test_unknown_format_is_422_naming_it(client) -> None:
    response = client.get("/export/docx")
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "format"


def test_missing_exporter_is_a_clean_503(kg_curated, monkeypatch) -> None:
    """Whatever the state of kg.export, an unavailable serializer is a 503 in the error shape."""
    import builtins

    real_import = builtins.__import__

    def no_exporter(name, *args, **kwargs):
        if name == "kg.export" or name.startswith("kg.export."):
            raise ImportError("kg.export is missing")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_exporter)
    client = TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False)))
    response = client.get("/export/turtle")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "export_unavailable"
