"""The graph view without a browser: selection, caps, escaping, assets, layout, atomic writes, HTTP errors.

Browser behaviour (drawing, clicking, search, filters, scripts not running)
is in test_view_browser.py; these tests pin down the Python side quickly.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from benchmarks.synth import synthetic_knowledge_graph
from kg.core.errors import InvalidQueryError, UnknownEntityError
from kg.curation.load import load_curated
from kg.graph.neighbourhood import neighbourhood
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.view import render_view, select, view_data, write_view
from kg.view.assets import ASSET_NAMES, asset, vis_network_path
from kg.view.layout import force_layout, layout
from kg.view.safe_json import dumps_for_script
from kg.view.select import DEFAULT_MAX_NODES, FULL_MAX_NODES

MALICIOUS_DATA = Path(__file__).parent / "fixtures" / "view" / "malicious"


@pytest.fixture(scope="module")
def kg_evil() -> KnowledgeGraph:
    """A tiny graph whose labels, synonyms, quote and citation are script-injection payloads."""
    return KnowledgeGraph.from_corpus(load_curated(MALICIOUS_DATA))


@pytest.fixture(scope="module")
def kg_2k(curated_corpus) -> KnowledgeGraph:
    return synthetic_knowledge_graph(2000, curated_corpus)


def _embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-view-data">(.*?)</script>', html, re.S)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


# -- selection ---------------------------------------------------------------------


def test_default_view_is_the_seed_question(kg_curated):
    selection = select(kg_curated)
    assert selection.mode == "default"
    for entity in ("drug:pyrotinib", "alt:ERBB2-amplification", "disease:nsclc"):
        assert entity in selection.nodes
        assert entity in selection.highlighted
    evidence = [n for n in selection.nodes if kg_curated.graph.nodes[n]["type"] == "evidence"]
    assert evidence, "the seed question has evidence in the curated data"
    assert len(selection.nodes) <= DEFAULT_MAX_NODES
    kept = set(selection.nodes)
    assert all(s in kept and o in kept for s, o, _ in selection.edges)


def test_focus_agrees_with_the_api_neighbourhood(kg_curated):
    selection = select(kg_curated, focus="HER2", depth=2)
    hood = neighbourhood(kg_curated.graph, "gene:ERBB2", depth=2, max_nodes=DEFAULT_MAX_NODES)
    assert selection.center == "gene:ERBB2"
    assert selection.nodes == hood.nodes
    assert sorted(selection.edges) == sorted(hood.edges)


def test_focus_accepts_ids_names_and_synonyms(kg_curated):
    for text in ("alt:ERBB2-amplification", "HER2 amplification", "her2-amplified", "ERBB2 amplification"):
        assert select(kg_curated, focus=text).center == "alt:ERBB2-amplification"


def test_unknown_focus_suggests_names(kg_curated):
    with pytest.raises(UnknownEntityError) as raised:
        select(kg_curated, focus="pyrotnib")
    assert "pyrotinib" in raised.value.suggestions


@pytest.mark.parametrize(
    ("options", "parameter"),
    [({"depth": 0}, "depth"), ({"depth": 5}, "depth"), ({"max_nodes": 0}, "max_nodes"), ({"focus": "  "}, "focus")],
)
def test_bad_parameters_name_the_parameter(kg_curated, options, parameter):
    with pytest.raises(InvalidQueryError) as raised:
        select(kg_curated, **options)
    assert raised.value.parameter == parameter


def test_caps_truncate_and_say_so(kg_2k, curated_corpus):
    full = view_data(kg_2k, full=True)
    total = kg_2k.graph.number_of_nodes()
    assert 2000 <= total <= FULL_MAX_NODES
    assert len(full["nodes"]) == total  # under the full cap: nothing hidden
    assert full["notice"] is None
    capped = view_data(kg_2k, full=True, max_nodes=500)
    assert len(capped["nodes"]) == 500
    assert capped["truncated"]
    assert f"Showing 500 of {total:,} nodes" in capped["notice"]
    hood = view_data(kg_2k, focus="ERBB2", depth=4)
    assert len(hood["nodes"]) == DEFAULT_MAX_NODES
    assert hood["notice"] and hood["truncated"]
    assert view_data(synthetic_knowledge_graph(6000, curated_corpus), full=True)["limit"] == FULL_MAX_NODES


def test_large_views_get_positions_and_no_physics(kg_2k, kg_curated):
    full = view_data(kg_2k, full=True)
    assert not full["physics"]
    assert all("x" in node and "y" in node for node in full["nodes"])
    small = view_data(kg_curated)
    assert small["physics"]
    assert not any("x" in node for node in small["nodes"])


# -- layout ------------------------------------------------------------------------


def test_layout_is_deterministic_and_spread(kg_2k):
    selection = select(kg_2k, full=True)
    first = layout(selection.nodes, selection.edges)
    assert first == layout(selection.nodes, selection.edges)
    assert set(first) == set(selection.nodes)
    points = {(round(x), round(y)) for x, y in first.values()}
    assert len(points) > 0.98 * len(first), "nodes should not pile up on one point"


def test_force_layout_handles_edge_cases():
    import numpy as np

    two = force_layout(2, np.array([0]), np.array([1]), iterations=10)
    assert np.isfinite(two).all()
    positions = layout(["a", "b", "c"], [])  # no edges: a grid of singletons
    assert len(set(positions.values())) == 3


# -- escaping and assets -------------------------------------------------------------


def test_json_for_script_cannot_end_the_element():
    payload = {"label": "</script><script>alert(1)</script><!-- & \u2028"}
    text = str(dumps_for_script(payload))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == payload


def test_malicious_labels_only_appear_escaped(kg_evil):
    for inline in (True, False):
        html = render_view(kg_evil, inline_assets=inline)
        data_block = re.search(r'id="kg-view-data">(.*?)</script>', html, re.S).group(1)
        for needle in ("window.__pwned", "<img src=x", "<svg onload"):
            outside = html.replace(data_block, "")
            assert needle not in outside, f"{needle!r} reached the page outside the JSON block"
        assert "<" not in data_block
        labels = {node["label"] for node in _embedded(html)["nodes"]}
        assert "<img src=x onerror=\"window.__pwned = 'drug label'\">evilinib" in labels


def test_standalone_page_has_no_remote_references(kg_curated):
    html = render_view(kg_curated, inline_assets=True)
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)
    assert all("http" not in tag for tag in tags), tags
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert "cdn" not in "".join(tags).lower()
    assert 'http-equiv="Content-Security-Policy"' in html


def test_inline_scripts_match_the_csp_hashes(kg_curated):
    html = render_view(kg_curated, inline_assets=True)
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    inline_scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline_scripts) == 2
    for name in ("vis-network.min.js", "graph-view.js"):
        assert asset(name).text in inline_scripts
        assert asset(name).csp_hash in policy
    assert "'unsafe-eval'" not in policy and "script-src 'unsafe-inline'" not in policy


def test_vis_network_comes_from_the_installed_pyvis_with_its_licence():
    path = vis_network_path()
    assert path.parts[-3:-1] == ("lib", "vis-9.1.2")
    header = asset("vis-network.min.js").text[:1200]
    assert "@version 9.1.2" in header and "MIT License" in header and "Apache 2.0" in header
    assert set(ASSET_NAMES) == {"graph-view.css", "vis-network.min.js", "graph-view.js"}


def test_served_page_links_versioned_assets(kg_curated):
    html = render_view(kg_curated, inline_assets=False, asset_base="/graph/assets")
    for name in ("vis-network.min.js", "graph-view.js", "graph-view.css"):
        assert f"/graph/assets/{name}?v={asset(name).version}" in html
    data = _embedded(html)
    assert "details" not in data  # fetched on click
    assert data["config"]["api"]["evidence"] == "/evidence"


def test_standalone_page_embeds_panel_details(kg_curated):
    data = _embedded(render_view(kg_curated, inline_assets=True))
    details = data["details"]["ev:chictr-orr"]["evidence"]
    assert details["quote"]["text"]
    assert details["outcomes"][0]["ci_lower"] == 10.6
    entity = data["details"]["alt:ERBB2-amplification"]
    assert "HER2 amplification" in entity["synonyms"]
    assert entity["evidence_query"] == {"parameter": "alteration", "value": "alt:ERBB2-amplification"}


# -- write_view ------------------------------------------------------------------------


def test_write_view_is_atomic(kg_curated, tmp_path, monkeypatch):
    output = tmp_path / "out" / "graph.html"
    write_view(kg_curated, output, focus="pyrotinib", depth=1)
    first = output.read_text(encoding="utf-8")
    assert _embedded(first)["center"] == "drug:pyrotinib"

    import kg.view.page as page

    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(page, "render_view", broken)
    with pytest.raises(RuntimeError):
        write_view(kg_curated, output)
    assert output.read_text(encoding="utf-8") == first, "a failed render must leave the old file intact"
    assert [p.name for p in output.parent.iterdir()] == ["graph.html"], "no temporary file left behind"


def test_write_view_unknown_focus_writes_nothing(kg_curated, tmp_path):
    with pytest.raises(UnknownEntityError):
        write_view(kg_curated, tmp_path / "x.html", focus="no such thing at all")
    assert not (tmp_path / "x.html").exists()


# -- HTTP (the app, in process) ----------------------------------------------------------


@pytest.fixture(scope="module")
def client(kg_curated):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import ApiSettings

    with TestClient(create_app(kg_curated, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def test_http_page_headers(client):
    response = client.get("/graph")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy


def test_http_unknown_focus_is_404_with_suggestions(client):
    response = client.get("/graph", params={"focus": "pyrotnib"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["parameter"] == "focus"
    assert {"id": "drug:pyrotinib", "label": "pyrotinib", "type": "drug"} in error["suggestions"]
    page = client.get("/graph", params={"focus": "pyrotnib"}, headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert 'href="/graph?focus=drug%3Apyrotinib&amp;depth=2"' in page.text


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"depth": 9}, "depth"),
        ({"depth": "two"}, "depth"),
        ({"max_nodes": 0}, "max_nodes"),
        ({"full": "maybe"}, "full"),
    ],
)
def test_http_bad_parameters_are_422_naming_the_parameter(client, params, parameter):
    response = client.get("/graph", params=params)
    assert response.status_code == 422
    assert parameter in response.text


def test_http_blank_focus_is_the_default_view(client):
    assert client.get("/graph/data", params={"focus": "  "}).json()["mode"] == "default"
    assert client.get("/graph", params={"focus": ""}).status_code == 200


def test_http_data_search_details(client):
    data = client.get("/graph/data", params={"focus": "HER2", "depth": 1}).json()
    assert data["center"] == "gene:ERBB2" and data["mode"] == "focus"
    hits = client.get("/graph/search", params={"q": "HER-2"}).json()["results"]
    assert hits[0]["id"] == "gene:ERBB2"
    details = client.get("/graph/details", params={"id": "ev:chictr-orr"}).json()
    assert details["evidence"]["outcomes"][0]["ci_upper"] == 40.8
    missing = client.get("/graph/details", params={"id": "drug:nope"})
    assert missing.status_code == 404 and missing.json()["error"]["parameter"] == "id"


def test_http_assets_are_cached_by_version(client):
    item = asset("graph-view.js")
    response = client.get(f"/graph/assets/graph-view.js?v={item.version}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.content == item.body
    assert client.get("/graph/assets/graph-view.js").headers["cache-control"] == "no-cache"
    again = client.get(f"/graph/assets/graph-view.js?v={item.version}", headers={"If-None-Match": f'"{item.version}"'})
    assert again.status_code == 304
    assert client.get("/graph/assets/..%2Fpage.py").status_code == 404
    assert client.get("/graph/assets/vis-network.css").status_code == 404
