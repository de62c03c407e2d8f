"""The synthesis page: forest plots, the outcome table, conflicts and quotes, as one offline HTML page.

Text reaches the page two ways only, both inert: through the autoescaped
Jinja template (every table cell, statement, quote and label is HTML-escaped
unless it is Markup we built on purpose), and as the plots' specifications
inside ``<script type="application/json">`` (:mod:`kg.view.safe_json`),
which Vega draws as SVG text. The page's script (``static/synthesis.js``)
only hands those specifications to vega-embed with the SVG renderer and the
expression interpreter, and wires the SVG downloads; it never writes HTML.

:data:`SYNTHESIS_CSP` is the page's policy: scripts and styles from this
origin only (no inline script or style, no ``unsafe-eval``), images from
``data:``/``blob:`` (the SVG download), nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import jinja2

from kg.query.synthesis import SynthesisPayload
from kg.view.forest import balance_spec, forest_spec
from kg.view.safe_json import dumps_for_script
from kg.view.synthesis_assets import synthesis_asset

if TYPE_CHECKING:
    from kg.query.synthesis import MeasureGroup

__all__ = ["SYNTHESIS_CSP", "SynthesisLinks", "render_synthesis_page"]

SYNTHESIS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)


@dataclass(frozen=True)
class SynthesisLinks:
    """Where the page links: the API's synthesis and evidence endpoints, the graph view, the assets."""

    synthesis: str = "/synthesis"
    evidence: str = "/evidence"
    graph: str = "/graph"
    assets: str = "/synthesis/assets"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg.view", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _query(query_string: str, drop: tuple[str, ...], **extra: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k not in drop]
    return urlencode([*pairs, *extra.items()])


def _caption(group: MeasureGroup) -> str:
    rows = group["rows"]
    parts = [f"{len(rows)} reported {group['measure_label']} value{'s' if len(rows) != 1 else ''}"]
    hollow = sum(1 for r in rows if r["ci_lower"] is None and r["plot_basis"] in ("value", "k/n"))
    if group["scale"] != "categorical":
        parts.append(
            "whiskers: confidence interval as published; hollow: no CI reported" + (f" ({hollow})" if hollow else "")
        )
    counted = sum(1 for r in rows if r["plot_basis"] == "k/n")
    if counted:
        parts.append(f"{counted} drawn at k/n (no value published)")
    ranges = sum(1 for r in rows if r["plot_basis"] == "range")
    if ranges:
        parts.append(f"{ranges} published as a range (dashed bar, no point)")
    if group["scale"] == "log":
        parts.append("log scale; dotted line: no effect (1)")
    machine = sum(1 for r in rows if r["machine_extracted"])
    if machine:
        parts.append(f"{machine} machine-extracted")
    return "; ".join(parts) + "."


def render_synthesis_page(
    payload: SynthesisPayload, query_string: str, links: SynthesisLinks | None = None, title: str | None = None
) -> str:
    """The page for ``payload``, the answer to ``/synthesis?{query_string}`` (used for its download links)."""
    links = links or SynthesisLinks()
    question = payload.get("question")
    resolved = payload["query"]["resolved"]
    heading = (
        "Evidence synthesis: " + "; ".join(f"{term['facet']} {term['label']}" for term in resolved)
        if resolved
        else "Evidence synthesis: every item"
    )
    counts = (
        f"{payload['total']} matching evidence items ({payload['direct']} direct); the {payload['items']} ranked "
        f"{payload['offset'] + 1}–{payload['offset'] + payload['items']} are synthesised: "
        f"{payload['rows']} reported outcomes, {len(payload['conflicts'])} conflict(s)."
        if payload["items"]
        else f"{payload['total']} matching evidence items; none on this page."
    )
    notices = [
        f"The question was widened: {step['description']} ({step['found']} found)." for step in payload["relaxations"]
    ]
    if payload["more"]:
        notices.append(f"More items match than are synthesised here: raise limit (now {payload['limit']}) or offset.")
    rows: list[dict[str, Any]] = []
    specs: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for group in payload["measures"]:
        first = len(rows) + 1  # rows are numbered across the groups, as the plots label them
        specs.append(forest_spec(group, first))
        groups.append({**group, "caption": _caption(group)})
        rows.extend([{**row, "number": first + i} for i, row in enumerate(group["rows"])])
    quotes: list[dict[str, Any]] = []
    anchors: dict[str, str] = {}
    for row in rows:
        if row["evidence"] not in anchors:
            anchors[row["evidence"]] = f"quote-{len(anchors) + 1}"
            quotes.append(
                {
                    "anchor": anchors[row["evidence"]],
                    "id": row["evidence"],
                    "statement": row["statement"],
                    "text": row["quote"],
                    "source": row["quote_source"],
                    "section": row["quote_section"],
                    "citation": row["citation"],
                }
            )
    base = _query(query_string, ("format", "bundle"))

    def graph_href(node_id: str) -> str:
        return f"{links.graph}?{urlencode({'focus': node_id, 'depth': 1})}"

    def asset_url(name: str) -> str:
        return f"{links.assets}/{name}?v={synthesis_asset(name).version}"

    context: dict[str, Any] = {
        "title": heading.replace("Evidence synthesis: ", "Synthesis: "),
        "heading": heading,
        "question": question,
        "counts": counts,
        "notices": notices,
        "links": links,
        "downloads": {
            "csv": f"{links.synthesis}?{_query(base, (), format='csv')}",
            "json": f"{links.synthesis}?{base}",
            "bundle": f"{links.synthesis}?{_query(base, (), bundle='true')}",
            "evidence": f"{links.evidence}?{_query(base, ('q',))}" if not question else f"/ask?{base}",
        },
        "tallies": payload["tallies"],
        "groups": groups,
        "rows": rows,
        "without_outcomes": payload["without_outcomes"],
        "conflicts": payload["conflicts"],
        "quotes": quotes,
        "quote_anchor": anchors,
        "graph_href": graph_href,
        "asset_url": asset_url,
        "specs_json": dumps_for_script({"forests": specs, "balance": balance_spec(payload["tallies"])}),
    }
    if title:
        context["title"] = title
    template = _environment().get_template("synthesis.html.j2")
    render: Callable[..., str] = template.render
    return render(context)
