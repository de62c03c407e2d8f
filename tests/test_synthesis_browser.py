"""The synthesis page in a real browser: Debian's headless Chromium against the real app on a real uvicorn.

The harness is the graph view's (:mod:`tests.test_view_browser`): every
request that is not to the test server is aborted and recorded, and a test
fails on any blocked request or console error (a CSP violation is one, so an
``eval`` in Vega or an inline style would fail here). What the page draws is
read from the SVG that Vega rendered, not from the page's own bookkeeping:
symbols per forest plot, whisker end points mapped back to data values
through the drawn axis (tick positions against tick labels), and the
conflict panel's text.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.curation.load import load_curated
from kg.query.synthesis_csv import read_synthesis_csv
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.test_view_browser import browser_context, click_node, open_view, page, pwned, serve

__all__ = ["browser_context", "page"]  # the harness's fixtures, used by name below

pytestmark = [pytest.mark.browser, pytest.mark.server]

HEADLINE = "therapy=pyrotinib&alteration=HER2%20amplification&disease=NSCLC"
MALICIOUS = Path(__file__).parent / "fixtures" / "synthesis" / "malicious"
READY = "body[data-ready=true]"

#: Per forest plot: its symbols, whiskers, range bars, x-axis ticks (position, label) and y-axis labels.
GEOMETRY = """
figure => {
  const root = document.querySelector('#' + figure + ' svg');
  const box = el => el.getBoundingClientRect();
  const marks = name => Array.from(root.querySelectorAll('g.role-mark.' + name + '_marks > *'));
  const xAxis = Array.from(root.querySelectorAll('g.role-axis')).find(axis =>
      (axis.getAttribute('aria-label') || '').startsWith('X-axis'));
  const yAxis = Array.from(root.querySelectorAll('g.role-axis')).find(axis =>
      (axis.getAttribute('aria-label') || '').startsWith('Y-axis'));
  const ticks = xAxis ? Array.from(xAxis.querySelectorAll('g.role-axis-tick line')).map(l => box(l).left) : [];
  const labels = xAxis ? Array.from(xAxis.querySelectorAll('g.role-axis-label text')).map(t => t.textContent) : [];
  return {
    symbols: marks('points').concat(marks('points_hollow')).map(s => {
      const b = box(s); return {x: b.left + b.width / 2, y: b.top + b.height / 2, fill: s.getAttribute('fill')};
    }),
    hollow: marks('points_hollow').length,
    whiskers: marks('whiskers').map(l => { const b = box(l); return {x1: b.left, x2: b.right, y: b.top}; }),
    ranges: marks('ranges').length,
    ticks: ticks.map((x, i) => ({x: x, label: labels[i]})),
    rows: yAxis ? Array.from(yAxis.querySelectorAll('g.role-axis-label text')).map(t => {
      const b = box(t); return {y: b.top + b.height / 2, text: t.textContent};
    }) : [],
  };
}
"""


@pytest.fixture(scope="module")
def kg_evil() -> KnowledgeGraph:
    """Every label, statement, quote, arm, subgroup and citation is a script payload setting ``window.__pwned``."""
    return KnowledgeGraph.from_corpus(load_curated(MALICIOUS))


@pytest.fixture(scope="module")
def full_url(kg_full) -> Iterator[str]:
    with serve(kg_full) as url:
        yield url


@pytest.fixture(scope="module")
def evil_url(kg_evil) -> Iterator[str]:
    with serve(kg_evil) as url:
        yield url


def open_synthesis(page, url: str):
    response = page.goto(url)
    page.wait_for_selector(READY, timeout=30_000)
    return response


def synthesis_json(page, url: str, query: str) -> dict:
    response = page.request.get(f"{url}/synthesis?{query}")
    assert response.ok, response.text()
    return response.json()


def _number(label: str) -> float:
    return float(label.replace(",", "").replace("\u2212", "-"))


def axis_map(ticks: list[dict], log: bool):
    """Data value → screen x, fitted to the drawn ticks and their labels (checked against every tick)."""
    points = [(_number(t["label"]), t["x"]) for t in ticks if t["label"]]
    assert len(points) >= 2, ticks
    scale = math.log10 if log else (lambda v: v)
    (v0, x0), (v1, x1) = points[0], points[-1]
    slope = (x1 - x0) / (scale(v1) - scale(v0))

    def to_x(value: float) -> float:
        return x0 + slope * (scale(value) - scale(v0))

    for value, x in points:  # the axis is what we think it is: every tick sits where the fit puts it
        assert abs(to_x(value) - x) < 1.0, (value, x, to_x(value))
    return to_x


def test_headline_page_draws_one_mark_per_outcome_row(page, full_url) -> None:
    response = open_synthesis(page, f"{full_url}/synthesis/view?{HEADLINE}")
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    answer = synthesis_json(page, full_url, HEADLINE)
    assert answer["rows"] == sum(len(group["rows"]) for group in answer["measures"]) >= 10
    figures = page.locator("figure.syn-forest")
    assert figures.count() == len(answer["measures"])
    drawn_rows = 0
    for index, group in enumerate(answer["measures"]):
        geometry = page.evaluate(GEOMETRY, f"forest-{index}")
        plotted = [row for row in group["rows"] if row["plot_basis"] in ("value", "k/n", "response")]
        ranged = [row for row in group["rows"] if row["plot_basis"] == "range"]
        assert len(geometry["symbols"]) == len(plotted), group["measure"]
        assert geometry["ranges"] == len(ranged)
        assert len(geometry["symbols"]) + geometry["ranges"] == len(group["rows"])  # one mark per outcome row
        assert len(geometry["rows"]) == len(group["rows"])  # one labelled line per row
        assert geometry["hollow"] == sum(1 for row in plotted if row["ci_lower"] is None)  # hollow where no CI
        drawn_rows += len(group["rows"])
    assert drawn_rows == answer["rows"] == page.locator("#syn-table tbody tr").count()
    assert page.locator("#syn-balance svg g.role-mark.bars_marks > path").count() == sum(
        (t["supports"] > 0) + (t["does_not_support"] > 0) + (t["not_applicable"] > 0) for t in answer["tallies"]
    )


def test_whiskers_end_at_the_ci_bounds_and_ratios_are_on_a_log_scale(page, full_url) -> None:
    open_synthesis(page, f"{full_url}/synthesis/view?{HEADLINE}")
    answer = synthesis_json(page, full_url, HEADLINE)
    checked = 0
    scales = set()
    for index, group in enumerate(answer["measures"]):
        if group["scale"] == "categorical":
            continue
        scales.add(group["scale"])
        geometry = page.evaluate(GEOMETRY, f"forest-{index}")
        to_x = axis_map(geometry["ticks"], log=group["scale"] == "log")
        numbered = {row["text"].split(".", 1)[0]: row["y"] for row in geometry["rows"]}
        by_y = {}
        for row in group["rows"]:
            label = page.locator(f"#syn-table tbody tr[data-outcome='{row['id']}'] td").first.inner_text()
            by_y[round(numbered[label])] = row
        with_ci = [row for row in group["rows"] if row["ci_lower"] is not None]
        assert len(geometry["whiskers"]) == len(with_ci), group["measure"]
        for whisker in geometry["whiskers"]:
            row = by_y[min(by_y, key=lambda y: abs(y - whisker["y"]))]
            assert abs(whisker["x1"] - to_x(row["ci_lower"])) < 1.5, (row["published"], whisker)
            assert abs(whisker["x2"] - to_x(row["ci_upper"])) < 1.5, (row["published"], whisker)
            checked += 1
        for symbol in geometry["symbols"]:  # and each point sits at its value
            row = by_y[min(by_y, key=lambda y: abs(y - symbol["y"]))]
            assert abs(symbol["x"] - to_x(row["plot_value"])) < 1.5, row["published"]
    assert checked >= 8  # ChiCTR1800020262 ORR, PFS rate, mPFS, mOS; Zhou 2020 ORR, mPFS, mOS; the two HRs
    assert scales == {"linear", "log"}
    hr = next(i for i, g in enumerate(answer["measures"]) if g["measure"] == "hazard_ratio")
    assert page.locator(f"#forest-{hr}").get_attribute("data-scale") == "log"
    labels = [tick["label"] for tick in page.evaluate(GEOMETRY, f"forest-{hr}")["ticks"]]
    assert "1" in labels  # the line of no effect is on the axis


def test_subgroups_comparator_arms_and_counts_are_marked(page, full_url) -> None:
    open_synthesis(page, f"{full_url}/synthesis/view?{HEADLINE}")
    table = page.locator("#syn-table")
    subgroup = table.locator("tr", has_text="patients who failed EGFR-TKI treatment").first
    assert "subgroup" in subgroup.locator(".syn-tag").first.inner_text()
    comparator = table.locator("tr", has_text="placebo plus capecitabine").filter(has_text="4.1 months")
    assert "comparator arm" in comparator.inner_text()
    legend = page.locator("#forest-1 svg").text_content()
    assert "subgroup" in legend and "comparator arm" in legend
    caption = page.locator("figure.syn-forest[data-measure=orr] figcaption").inner_text()
    assert "hollow: no CI reported (1)" in caption


def test_conflicting_trastuzumab_evidence_in_nsclc_is_shown_on_both_sides(page, full_url) -> None:
    open_synthesis(page, f"{full_url}/synthesis/view?{HEADLINE}")
    answer = synthesis_json(page, full_url, HEADLINE)
    conflict = next(
        c
        for c in answer["conflicts"]
        if any("trastuzumab emtansine" in item["therapy"] for item in c["supports"])
        and any(item["disease"] == "non-small cell lung carcinoma" for item in c["does_not_support"])
    )
    number = answer["conflicts"].index(conflict)
    article = page.locator(f"#conflict-{number}")
    supports = article.locator("[data-side=supports] li[data-evidence]")
    disputes = article.locator("[data-side=does_not_support] li[data-evidence]")
    assert supports.count() == len(conflict["supports"]) >= 2
    assert disputes.count() == len(conflict["does_not_support"]) >= 1
    shown = {supports.nth(i).get_attribute("data-evidence") for i in range(supports.count())}
    assert "ev:chictr-orr" in shown  # the question's own evidence, on one side ...
    trastuzumab = [item for item in conflict["supports"] if "trastuzumab emtansine" in item["therapy"]]
    assert {item["id"] for item in trastuzumab} <= shown  # ... trastuzumab (T-DM1) evidence in lung cancer with it
    against = disputes.first
    assert "Targeted HER2 therapies have shown limited clinical efficacy" in against.inner_text()
    assert "non-small cell lung carcinoma" in against.inner_text()
    assert against.locator("blockquote").inner_text().startswith("Targeted HER2 therapies")
    outside = [item for item in conflict["supports"] if not item["in_answer"]]
    assert outside and "outside this question's matches" in article.inner_text()


def test_links_to_quotes_and_the_graph_view_and_the_downloads(page, full_url, tmp_path) -> None:
    open_synthesis(page, f"{full_url}/synthesis/view?{HEADLINE}")
    answer = synthesis_json(page, full_url, HEADLINE)
    first = page.locator("#syn-table tbody tr").first
    first.locator("a", has_text="quote").click()
    anchor = page.evaluate("location.hash")
    quote = page.locator(anchor)
    assert quote.get_attribute("data-evidence") == answer["measures"][0]["rows"][0]["evidence"] == "ev:chictr-orr"
    assert "and the ORR of 22.2% (95% CI 10.6-40.8%) (20)" in quote.locator("blockquote").inner_text()
    graph = first.locator("a", has_text="graph")
    assert graph.get_attribute("href") == "/graph?focus=ev%3Achictr-orr&depth=1"

    csv_href = page.locator("#syn-csv").get_attribute("href")
    rows = read_synthesis_csv(page.request.get(full_url + csv_href).body())
    assert rows == [row for group in answer["measures"] for row in group["rows"]]  # the CSV is the JSON rows
    bundle = page.request.get(full_url + page.locator("#syn-bundle").get_attribute("href")).json()
    assert bundle["kind"] == "synthesis" and bundle["results"]["rows"] == answer["rows"]

    with page.expect_download() as download:
        page.locator("button.syn-svg").first.click()
    saved = tmp_path / "forest.svg"
    download.value.save_as(saved)
    svg = saved.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "whiskers_marks" in svg and "22.2" in svg
    assert download.value.suggested_filename == "forest-orr.svg"


def test_machine_extracted_numbers_are_marked(page, full_url) -> None:
    query = "therapy=trastuzumab&disease=NSCLC"
    open_synthesis(page, f"{full_url}/synthesis/view?{query}")
    answer = synthesis_json(page, full_url, query)
    extracted = [row for group in answer["measures"] for row in group["rows"] if row["machine_extracted"]]
    assert extracted
    for row in extracted:
        cells = page.locator(f"#syn-table tr[data-outcome='{row['id']}']")
        assert cells.locator(".syn-machine").inner_text() == "machine-extracted"
    # One forest plot per measure and unit, in the answer's order; each caption counts its own extracted rows.
    captions = page.locator("figure.syn-forest figcaption").all_inner_texts()
    assert len(captions) == len(answer["measures"])
    for caption, group in zip(captions, answer["measures"], strict=True):
        machine = sum(1 for row in group["rows"] if row["machine_extracted"])
        assert (f"{machine} machine-extracted" in caption) == bool(machine), (group["measure"], group["unit"], caption)


def test_injected_scripts_in_the_data_are_inert(page, evil_url, kg_evil) -> None:
    query = "therapy=drug:evilinib"
    open_synthesis(page, f"{evil_url}/synthesis/view?{query}")
    assert pwned(page) is None
    answer = synthesis_json(page, evil_url, query)
    assert answer["rows"] == 5 and len(answer["conflicts"]) == 1
    table = page.locator("#syn-table").inner_text()
    assert '<script>window.__pwned = "study"</script>EVIL-1' in table  # shown as text, never run
    assert "<img src=x onerror=\"window.__pwned = 'subgroup'\">amplified subgroup" in table
    assert '</td><script>window.__pwned = "comparator"</script>control arm' in table
    conflict = page.locator("#conflict-0").inner_text()
    assert '"><script>window.__pwned = "dissent"</script>In EVIL-2' in conflict
    assert page.evaluate("document.querySelectorAll('main img, main iframe, main script, main svg image').length") == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    for index in range(len(answer["measures"])):  # hover every mark: the tooltip shows the payloads as text
        geometry = page.evaluate(GEOMETRY, f"forest-{index}")
        for symbol in geometry["symbols"]:
            page.mouse.move(symbol["x"], symbol["y"])
            page.wait_for_timeout(50)
    tooltip = page.locator("#vg-tooltip-element")
    assert tooltip.count() == 1 and tooltip.locator("img, script, iframe").count() == 0
    page.wait_for_timeout(300)  # give any injected handler (onerror, onload) time to fire
    assert pwned(page) is None
    assert "Synthesis: therapy" in page.title()


def test_graph_view_panel_links_entities_and_items_to_their_synthesis(page, full_url) -> None:
    open_view(page, f"{full_url}/graph")
    click_node(page, "alt:ERBB2-amplification")
    link = page.locator("#kg-details .kg-synthesis-link a")
    assert link.get_attribute("href") == "/synthesis/view?alteration=alt%3AERBB2-amplification"
    click_node(page, "ev:chictr-orr")
    claim = page.locator("#kg-details .kg-synthesis-link a")
    href = claim.get_attribute("href")
    assert (
        href == "/synthesis/view?therapy=drug%3Apyrotinib&alteration=alt%3AERBB2-amplification&disease=disease%3Ansclc"
    )
    open_synthesis(page, full_url + href)
    assert page.locator("#syn-table tr[data-evidence='ev:chictr-orr']").count() == 1
