"""``/docs`` and ``/redoc`` work offline (issue 12, item 10), and what a real uvicorn does with huge URLs (item 8).

Debian's headless Chromium loads the docs pages from the real app on a real
uvicorn on 127.0.0.1. Every request goes through a route handler that lets
only the test server through and aborts and records anything else (a CDN
script, a remote font, the Swagger validator badge); the test fails if any
was attempted, and on any console error, which is how Chromium reports a
CSP violation. Swagger UI must list the API's operations, ReDoc render them.

The same server shows where the JSON 414 ends: a query string over the
app's limit gets the documented JSON 414, while a request line over 64 KiB
is refused by uvicorn itself with a plain-text 400 before the app sees it,
which is what the OpenAPI document says.
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

import httpx
import pytest

from api.app import create_app
from api.settings import MAX_QUERY_STRING, SERVER_REQUEST_LINE_LIMIT, ApiSettings
from kg.curation.load import load_curated
from kg.runtime.knowledge_graph import KnowledgeGraph

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("docs-offline")]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
MINI = Path(__file__).parent / "fixtures" / "mini_data"
ARTIFACTS = Path(__file__).parent / "artifacts"


@contextmanager
def serve(app) -> Iterator[str]:
    """The app on a real uvicorn (its default HTTP parser, as ``kg serve``) on a free loopback port, in a thread."""
    import uvicorn

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
def base_url() -> Iterator[str]:
    kg = KnowledgeGraph.from_corpus(load_curated(MINI))
    with serve(create_app(kg, settings=ApiSettings(sparql_enabled=False))) as url:
        yield url


# -- request lines: our 414, then uvicorn's own limit -----------------------------------------------


def raw_get(base_url: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """Send one GET with ``target`` as the request target over a plain socket; status, headers, body."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_a_query_string_over_the_limit_gets_the_json_414_over_real_http(base_url) -> None:
    target = "/evidence?therapy=" + "x" * (MAX_QUERY_STRING + 1000)
    assert len(target) < SERVER_REQUEST_LINE_LIMIT - 100
    status, headers, body = raw_get(base_url, target)
    assert status == 414
    assert headers["content-type"].startswith("application/json") and b'"uri_too_long"' in body
    assert headers["x-content-type-options"] == "nosniff"


def test_a_request_line_over_64_kib_is_uvicorns_plain_400_as_documented(base_url) -> None:
    status, headers, _ = raw_get(base_url, "/evidence?therapy=" + "x" * SERVER_REQUEST_LINE_LIMIT)
    assert status == 400  # the HTTP server's answer, before the app: not JSON, and the spec says so
    assert not headers.get("content-type", "").startswith("application/json")
    spec = httpx.get(f"{base_url}/openapi.json").json()
    described = spec["paths"]["/evidence"]["get"]["responses"]["414"]["description"]
    assert "64 KiB" in described and "plain-text 400" in described


def test_the_served_redoc_bundle_loads_no_remote_logo(base_url) -> None:
    bundle = httpx.get(f"{base_url}/docs/assets/redoc.standalone.js").text
    assert "logo-mini.svg" not in bundle  # replaced by an inline image: the CSP would block the remote one
    assert "data:image/svg+xml" in bundle


# -- the docs pages in a real browser ------------------------------------------------------------------


def test_docs_pages_name_only_local_files(base_url) -> None:
    for path in ("/docs", "/redoc"):
        response = httpx.get(f"{base_url}{path}")
        assert response.status_code == 200
        assert "cdn" not in response.text.lower() and "fonts.googleapis" not in response.text
        assert "<script>" not in response.text  # no inline script: the CSP allows 'self' only
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp


@dataclass
class Watch:
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(base_url):
    if not Path(CHROMIUM).exists():  # pragma: no cover - the CI image has it
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("EVIDENCE_KG_REQUIRE_BROWSER"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    watch = Watch()

    def gate(route) -> None:
        if route.request.url.startswith((base_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            watch.blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, service_workers="block"
        )
        context.route("**/*", gate)
        yield context, watch
        context.close()


@pytest.fixture
def page(browser, request):
    context, watch = browser
    watch.blocked.clear()
    watch.errors.clear()
    tab = context.new_page()
    tab.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    tab.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=False)
    finally:
        tab.close()
    assert watch.blocked == [], f"the page tried to reach the network: {watch.blocked}"
    assert watch.errors == [], f"console errors (a CSP violation is one): {watch.errors}"


@pytest.mark.browser
def test_swagger_ui_renders_every_operation_offline(page, base_url) -> None:
    spec = httpx.get(f"{base_url}/openapi.json").json()
    expected = {(method.upper(), path) for path, operations in spec["paths"].items() for method in operations}
    response = page.goto(f"{base_url}/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".opblock", timeout=30_000)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.opblock-summary')].map(s => [
            s.querySelector('.opblock-summary-method').textContent.trim(),
            s.querySelector('.opblock-summary-path').getAttribute('data-path')])"""
    )
    assert {tuple(item) for item in shown} == expected
    assert "evidence-kg" in page.locator(".info .title").inner_text()


@pytest.mark.browser
def test_redoc_renders_the_operations_offline(page, base_url) -> None:
    response = page.goto(f"{base_url}/redoc")
    assert response is not None and response.status == 200
    page.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
    sections = page.evaluate("() => document.querySelectorAll(\"[data-section-id^='operation/']\").length")
    spec = httpx.get(f"{base_url}/openapi.json").json()
    assert sections == sum(len(operations) for operations in spec["paths"].values())
