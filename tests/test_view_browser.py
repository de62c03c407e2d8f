"""The graph view in a real browser: Debian's headless Chromium against the real app on a real uvicorn.

Every request the page makes goes through a route handler that lets only
the test server (and file:// for the standalone file) through; anything
else is aborted and recorded, and the test fails if the list is not empty,
so a CDN script, a remote font or a source-map fetch cannot slip in. The
browser's console errors fail the test too (a CSP violation is one).
Counts are read from vis-network's own data (``network.body.nodeIndices``,
the nodes it actually draws), not from our page's bookkeeping.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchmarks.synth import synthetic_knowledge_graph
from kg.curation.load import load_curated
from kg.graph.neighbourhood import neighbourhood
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.resolve import name_tokens
from kg.view import view_data, write_view
from kg.view.select import DEFAULT_MAX_NODES

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
DOCS_IMAGE = Path(__file__).resolve().parent.parent / "docs" / "images" / "graph-view.png"
MALICIOUS_DATA = Path(__file__).parent / "fixtures" / "view" / "malicious"
READY = "#kg-graph[data-ready=true]"

if not Path(CHROMIUM).exists():  # pragma: no cover - the CI image has it
    reason = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("EVIDENCE_KG_REQUIRE_BROWSER"):  # CI: the browser tests must run, never be skipped
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


# -- servers ---------------------------------------------------------------------------


@contextmanager
def serve(kg: KnowledgeGraph) -> Iterator[str]:
    """Run the real app for ``kg`` on a real uvicorn on 127.0.0.1 (a free port), in a thread."""
    import uvicorn

    from api.app import create_app
    from api.settings import ApiSettings

    app = create_app(kg, settings=ApiSettings(sparql_enabled=False))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def kg_evil() -> KnowledgeGraph:
    """Labels, synonyms, statement, quote, citation and URL are script payloads setting ``window.__pwned``."""
    return KnowledgeGraph.from_corpus(load_curated(MALICIOUS_DATA))


@pytest.fixture(scope="module")
def kg_scale(curated_corpus) -> KnowledgeGraph:
    """A synthetic graph of at least 2,000 nodes: larger than live physics can handle."""
    return synthetic_knowledge_graph(2000, curated_corpus)


@pytest.fixture(scope="module")
def curated_url(kg_curated) -> Iterator[str]:
    with serve(kg_curated) as url:
        yield url


@pytest.fixture(scope="module")
def evil_url(kg_evil) -> Iterator[str]:
    with serve(kg_evil) as url:
        yield url


@pytest.fixture(scope="module")
def scale_url(kg_scale) -> Iterator[str]:
    with serve(kg_scale) as url:
        yield url


# -- browser -----------------------------------------------------------------------------


@dataclass
class Watch:
    """What the browser tried to do that it must not: remote requests, console errors, page errors."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.blocked.clear()
        self.errors.clear()


@pytest.fixture(scope="module")
def browser_context():
    """One headless Chromium (fresh profile) for the module; every non-local request is aborted and recorded."""
    watch = Watch()

    def gate(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "file://", "data:")):
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort()

    with sync_api.sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 860},
            service_workers="block",
        )
        context.route("**/*", gate)
        yield context, watch
        context.close()


@pytest.fixture
def page(browser_context, request):
    """A fresh page; after the test: no blocked request, no console error, and a screenshot in tests/artifacts/."""
    context, watch = browser_context
    watch.clear()
    tab = context.new_page()
    tab.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    tab.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    finally:
        tab.close()
    assert watch.blocked == [], f"the page tried to reach the network: {watch.blocked}"
    assert watch.errors == [], f"console errors: {watch.errors}"


def open_view(page, url: str):
    response = page.goto(url)
    page.wait_for_selector(READY, timeout=30_000)
    return response


def drawn(page) -> list[str]:
    """Ids of the nodes vis-network draws (its own index, after filters)."""
    return page.evaluate("() => kgView.network.body.nodeIndices.slice()")


def click_node(page, node_id: str) -> None:
    """Zoom to a node and click it on the canvas, as a user would."""
    page.evaluate("id => kgView.network.focus(id, {scale: 1.6, animation: false})", node_id)
    point = page.evaluate("id => kgView.network.canvasToDOM(kgView.network.getPosition(id))", node_id)
    box = page.locator("#kg-graph").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector(f'#kg-details[data-node="{node_id}"]', timeout=10_000)


def pwned(page):
    return page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")


# -- the served view ----------------------------------------------------------------------


def test_default_view_renders_the_seed_question(page, curated_url, kg_curated):
    response = open_view(page, f"{curated_url}/graph")
    assert response.status == 200
    model = view_data(kg_curated)
    ids = drawn(page)
    assert len(ids) == len(model["nodes"]) == page.evaluate("kgView.nodes.length")
    assert set(ids) == {node["id"] for node in model["nodes"]}
    assert {"drug:pyrotinib", "alt:ERBB2-amplification", "disease:nsclc"} <= set(ids)
    assert page.evaluate("kgView.network.physics.physicsEnabled") is False  # stabilised, then switched off
    assert "pyrotinib" in page.locator("#kg-heading").inner_text()
    legend = page.locator("#kg-legend").inner_text()
    assert "drug" in legend and "evidence item" in legend
    edge_labels = set(page.evaluate("kgView.edges.get().map(e => e.label)"))
    assert {"about therapy", "has outcome", "quoted from"} <= edge_labels
    if os.environ.get("KG_VIEW_DOCS_SCREENSHOT"):  # refresh the README image on purpose only
        page.evaluate("() => kgView.select('ev:chictr-orr')")
        page.wait_for_selector('#kg-details[data-node="ev:chictr-orr"]')
        page.evaluate("() => kgView.network.fit({animation: false})")
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMAGE))


def test_hover_shows_text_tooltip(page, curated_url):
    open_view(page, f"{curated_url}/graph")
    page.evaluate("() => kgView.network.focus('drug:pyrotinib', {scale: 1.5, animation: false})")
    point = page.evaluate("() => kgView.network.canvasToDOM(kgView.network.getPosition('drug:pyrotinib'))")
    box = page.locator("#kg-graph").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "pyrotinib" in tooltip.inner_text() and "drug:pyrotinib" in tooltip.inner_text()


def test_click_evidence_shows_statement_outcome_ci_quote_and_source(page, curated_url):
    open_view(page, f"{curated_url}/graph")
    click_node(page, "ev:chictr-orr")
    panel = page.locator("#kg-details")
    text = panel.inner_text()
    assert "Pyrotinib gave an ORR of 22.2%" in text
    assert "ORR 22.2% (95% CI 10.6–40.8)" in text
    assert panel.locator('dd[data-field="ci"]').first.inner_text() == "95% CI 10.6–40.8"
    assert "and the ORR of 22.2% (95% CI 10.6-40.8%) (20)" in panel.locator(".kg-quote").inner_text()
    assert "Pan and Zhou, 2024" in text  # the quoting source
    assert "ChiCTR1800020262" in text  # the study


def test_click_entity_shows_synonyms_identifiers_and_evidence_link(page, curated_url):
    open_view(page, f"{curated_url}/graph")
    click_node(page, "alt:ERBB2-amplification")
    panel = page.locator("#kg-details")
    synonyms = panel.locator(".kg-synonyms").inner_text()
    assert "HER2 amplification" in synonyms and "HER2-amplified" in synonyms
    assert "civic.vid:306" in panel.locator(".kg-xrefs").inner_text()
    link = panel.locator(".kg-evidence-link a")
    assert link.get_attribute("href") == "/evidence?alteration=alt%3AERBB2-amplification"


def test_focus_url_narrows_the_view(page, curated_url, kg_curated):
    open_view(page, f"{curated_url}/graph?focus=pyrotinib&depth=1")
    hood = neighbourhood(kg_curated.graph, "drug:pyrotinib", depth=1, max_nodes=DEFAULT_MAX_NODES)
    ids = drawn(page)
    assert set(ids) == set(hood.nodes)
    assert len(ids) < len(view_data(kg_curated)["nodes"])
    assert page.locator("#kg-heading").inner_text() == "Neighbourhood of pyrotinib (1 hop)"
    page.wait_for_selector('#kg-details[data-node="drug:pyrotinib"]')  # the focus is selected and described


def test_search_by_synonym_focuses_the_entity(page, curated_url, kg_curated):
    open_view(page, f"{curated_url}/graph")
    search = page.locator("#kg-search-input")
    search.fill("HER2-amplified")  # a synonym of ERBB2 amplification
    first = page.locator("#kg-search-results li").first
    first.wait_for(timeout=5000)
    assert "ERBB2 amplification" in first.inner_text()
    search.press("Enter")
    page.wait_for_url("**/graph?focus=alt%3AERBB2-amplification&depth=2")
    page.wait_for_selector(READY)
    hood = neighbourhood(kg_curated.graph, "alt:ERBB2-amplification", depth=2, max_nodes=DEFAULT_MAX_NODES)
    assert set(drawn(page)) == set(hood.nodes)
    assert "Neighbourhood of ERBB2 amplification" in page.locator("#kg-heading").inner_text()


def test_filters_hide_node_types_evidence_types_and_directions(page, curated_url, kg_curated):
    open_view(page, f"{curated_url}/graph")
    types = {node["id"]: node for node in view_data(kg_curated)["nodes"]}
    before = set(drawn(page))
    page.locator('#kg-legend input[data-type="outcome"]').uncheck()
    after = set(drawn(page))
    assert after == {n for n in before if types[n]["type"] != "outcome"}
    page.locator('#kg-legend input[data-type="outcome"]').check()
    assert set(drawn(page)) == before

    page.locator('#kg-filter-evidence-type input[data-value="predictive"]').uncheck()
    shown = set(drawn(page))
    hidden_items = {n for n, node in types.items() if node.get("evidence_type") == "predictive"}
    assert hidden_items and not (shown & hidden_items)
    outcomes_of_hidden = {n for n, node in types.items() if node.get("evidence") in hidden_items}
    assert not (shown & outcomes_of_hidden), "outcomes of hidden evidence items are hidden with them"
    page.locator('#kg-filter-evidence-type input[data-value="predictive"]').check()

    page.locator('#kg-filter-direction input[data-value="supports"]').uncheck()
    shown = set(drawn(page))
    assert not any(types[n].get("direction") == "supports" for n in shown)
    assert "nodes" in page.locator("#kg-status").inner_text()


def test_unknown_focus_page_is_404_with_suggestions(page, curated_url, browser_context):
    _, watch = browser_context
    response = page.goto(f"{curated_url}/graph?focus=pyrotnib")
    assert response.status == 404
    assert watch.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    watch.errors.clear()  # that 404 is the point of this test
    assert "unknown entity 'pyrotnib'" in page.locator("#kg-error-message").inner_text()
    suggestion = page.locator("#kg-suggestions a", has_text="pyrotinib").first
    suggestion.click()
    page.wait_for_selector(READY)
    assert "Neighbourhood of pyrotinib" in page.locator("#kg-heading").inner_text()


def test_search_page_tokens_match_the_resolver(page, curated_url):
    open_view(page, f"{curated_url}/graph")
    names = ["HER2-amplified", "EGFR mutations", "Lung adenocarcinomas", "KRAS", "métastases", "T-DM1", "leukemias"]
    assert page.evaluate("names => names.map(n => kgView.tokens(n))", names) == [name_tokens(n) for n in names]


# -- scale ------------------------------------------------------------------------------


def test_full_view_of_a_large_graph_uses_fixed_positions(page, scale_url, kg_scale):
    started = time.monotonic()
    open_view(page, f"{scale_url}/graph?full=1")
    elapsed = time.monotonic() - started
    assert len(drawn(page)) == kg_scale.graph.number_of_nodes() >= 2000
    assert page.evaluate("kgView.network.physics.physicsEnabled") is False
    sample = page.evaluate("() => kgView.network.getPositions(['ev:syn-0', 'ev:syn-1'])")
    model = {node["id"]: node for node in view_data(kg_scale, full=True)["nodes"]}
    for node_id, point in sample.items():
        assert (point["x"], point["y"]) == (model[node_id]["x"], model[node_id]["y"])
    assert elapsed < 15, f"2,000 nodes took {elapsed:.1f} s to draw"
    assert page.locator("#kg-notice").count() == 0


def test_capped_view_says_it_is_truncated(page, scale_url, kg_scale):
    open_view(page, f"{scale_url}/graph?full=1&max_nodes=500")
    assert len(drawn(page)) == 500
    notice = page.locator("#kg-notice").inner_text()
    assert f"Showing 500 of {kg_scale.graph.number_of_nodes():,} nodes" in notice


# -- safety -------------------------------------------------------------------------------


def test_injected_scripts_do_not_run_in_the_served_view(page, evil_url, kg_evil):
    open_view(page, f"{evil_url}/graph")
    assert pwned(page) is None
    for node_id in ("drug:evilinib", "ev:evil-2024-orr", "gene:EVIL", "disease:evil-cancer", "src:evil-2024"):
        click_node(page, node_id)
        page.mouse.move(10, 10)
        assert pwned(page) is None, node_id
    click_node(page, "ev:evil-2024-orr")
    panel = page.locator("#kg-details")
    assert "<img src=x onerror=" in panel.locator(".kg-statement").inner_text()  # shown as text
    assert '<script>window.__pwned = "quote"</script>' in panel.locator(".kg-quote").inner_text()
    assert panel.locator("img, script, iframe, svg image").count() == 0
    assert panel.locator('a[href^="javascript:"]').count() == 0  # the source's javascript: url is not a link
    click_node(page, "drug:evilinib")
    assert "evilinib-syn <svg onload=" in panel.locator(".kg-synonyms").inner_text()
    search = page.locator("#kg-search-input")
    search.fill("evilinib-syn")
    page.locator("#kg-search-results li").first.wait_for()
    assert "<img src=x" in page.locator("#kg-search-results").inner_text()
    page.wait_for_timeout(300)  # give any injected handler (onerror, onload) time to fire
    assert pwned(page) is None
    assert page.evaluate("document.querySelectorAll('body img, body iframe').length") == 0


# -- the standalone file ------------------------------------------------------------------------


def test_standalone_file_works_from_file_url_offline(page, kg_curated, tmp_path, browser_context):
    _, watch = browser_context
    output = write_view(kg_curated, tmp_path / "graph.html")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_view(page, output.as_uri())
    assert requests == [output.as_uri()], "the file must load nothing but itself"
    model = view_data(kg_curated)
    assert len(drawn(page)) == len(model["nodes"])

    click_node(page, "ev:chictr-orr")  # details are embedded: no server to ask
    assert "ORR 22.2% (95% CI 10.6–40.8)" in page.locator("#kg-details").inner_text()

    page.locator("#kg-search-input").fill("HER2")  # gene synonym, searched within the file
    page.locator("#kg-search-results li").first.wait_for()
    assert page.locator("#kg-search-results li").first.get_attribute("data-id") == "gene:ERBB2"
    page.locator("#kg-search-input").press("Enter")
    page.wait_for_selector("#kg-show-all")
    loaded = {node["id"] for node in model["nodes"]}
    local = neighbourhood(kg_curated.graph.subgraph(loaded), "gene:ERBB2", depth=2, max_nodes=10**6)
    assert set(drawn(page)) == set(local.nodes)
    page.locator("#kg-show-all").click()
    assert len(drawn(page)) == len(model["nodes"])
    assert watch.blocked == []


def test_standalone_file_with_injected_labels_is_inert(page, kg_evil, tmp_path):
    output = write_view(kg_evil, tmp_path / "evil.html", full=True)
    open_view(page, output.as_uri())
    for node_id in ("drug:evilinib", "ev:evil-2024-orr", "src:evil-2024"):
        click_node(page, node_id)
    page.locator("#kg-search-input").fill("evil")
    page.locator("#kg-search-results li").first.wait_for()
    page.wait_for_timeout(300)
    assert pwned(page) is None
    assert page.title() == "evidence-kg graph"
