"""The HTML page: our own Jinja template, autoescaped, with data as inert JSON.

pyvis's own template is not used: its Jinja environment does not
autoescape, puts node ids into the page as HTML and renders titles through
``innerHTML``, and it loads bootstrap (and in most modes vis-network) from
a CDN. Here every value from the data reaches the page in one place, the
``<script type="application/json">`` block (see :mod:`kg.view.safe_json`),
and the page's script renders it with ``textContent`` only.

Two ways of shipping the assets:

* ``inline_assets=True`` (standalone files, ``kg view --output``): scripts
  and stylesheet are inlined, the panel details of every node are
  embedded, and a Content-Security-Policy ``<meta>`` allows exactly those
  inline scripts by hash, so the file works from ``file://`` with no
  network at all;
* ``inline_assets=False`` (the API's ``/graph``): assets are linked under
  ``asset_base`` with a content hash in the URL, details are fetched on
  click, and the app sends the policy as a header (:func:`content_security_policy`).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from kg.view.assets import ASSET_NAMES, asset
from kg.view.model import cached, view_model
from kg.view.safe_json import dumps_for_script
from kg.view.select import MAX_DEPTH, select

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["ApiLinks", "content_security_policy", "error_page", "render_view", "view_data", "write_view"]


@dataclass(frozen=True)
class ApiLinks:
    """Where a served page sends its requests (None in a standalone file: there is no server)."""

    graph: str = "/graph"
    data: str = "/graph/data"
    search: str = "/graph/search"
    details: str = "/graph/details"
    evidence: str = "/evidence"
    synthesis: str = "/synthesis/view"

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg.view", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped unless it is Markup we built on purpose
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def content_security_policy(inline: bool) -> str:
    """The page's policy: no remote anything; scripts only ours (by hash when inlined, same origin when served)."""
    if inline:
        scripts = " ".join(asset(name).csp_hash for name in ASSET_NAMES if name.endswith(".js"))
        connect = "'none'"
    else:
        scripts = "'self'"
        connect = "'self'"
    return (
        "default-src 'none'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "  # vis-network positions its tooltip with inline styles
        "img-src 'self' data:; "
        f"connect-src {connect}; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def view_data(
    kg: KnowledgeGraph,
    focus: str | None = None,
    depth: int = 2,
    full: bool = False,
    max_nodes: int | None = None,
    embed_details: bool = False,
) -> dict[str, Any]:
    """The view model (nodes, edges, legend, notice; see :mod:`kg.view.model`), cached per data version.

    The selection is cheap and decides the cache key (mode, centre, depth,
    cap), so "pyrotinib", "drug:pyrotinib" and "Pyrotinib" share one entry.
    """
    selection = select(kg, focus=focus, depth=depth, full=full, max_nodes=max_nodes)
    key = ("model", selection.mode, selection.center, selection.depth, selection.limit, embed_details)
    return cached(kg, key, lambda: view_model(kg, selection, embed_details=embed_details))


def error_page(title: str, message: str, suggestions: list[dict[str, str]], home: str = "/graph") -> str:
    """A small autoescaped HTML error page; each suggestion has ``label``, ``type`` and ``href``."""
    template = _environment().get_template("error.html.j2")
    return template.render(title=title, message=message, suggestions=suggestions, home=home)


def render_view(
    kg: KnowledgeGraph,
    focus: str | None = None,
    depth: int = 2,
    full: bool = False,
    max_nodes: int | None = None,
    inline_assets: bool = True,
    asset_base: str = "/graph/assets",
    api: ApiLinks | None = None,
    title: str = "evidence-kg graph",
) -> str:
    """The graph view as one HTML page.

    ``focus`` (an entity id, name or synonym) shows its neighbourhood of
    ``depth`` hops (1–4); ``full`` shows the whole graph; otherwise the seed
    question's evidence is shown. ``max_nodes`` caps the view (default 300,
    or 5,000 for the full graph); a truncated view says so on the page.
    ``inline_assets`` makes a standalone page (see the module docstring);
    ``api`` gives a standalone page links to a running API (default: none;
    a served page always uses :class:`ApiLinks` defaults).

    Raises :class:`~kg.core.errors.UnknownEntityError` (with suggestions) for an
    unknown focus and :class:`~kg.core.errors.InvalidQueryError` for a bad depth
    or cap.
    """
    model = view_data(kg, focus, depth, full, max_nodes, embed_details=inline_assets)
    links = api if api is not None else (None if inline_assets else ApiLinks())
    config: dict[str, Any] = {
        "standalone": inline_assets,
        "api": links.as_dict() if links else None,
        "max_depth": MAX_DEPTH,
    }
    context = {
        "title": title,
        "heading": model["description"],
        "notice": model["notice"],
        "inline": inline_assets,
        "csp": content_security_policy(inline=True) if inline_assets else None,
        "assets": {name: asset(name) for name in ASSET_NAMES},
        "asset_base": asset_base.rstrip("/"),
        "data_json": dumps_for_script({**model, "config": config}),
    }
    return _environment().get_template("view.html.j2").render(context)


def write_view(kg: KnowledgeGraph, output: Path, **options: Any) -> Path:
    """Write a standalone view (:func:`render_view` with inlined assets) to ``output`` atomically.

    The page is written to a temporary file in the same directory and
    renamed over ``output``, so a reader never sees half a file and a failed
    render leaves any previous file intact. Returns ``output``.
    """
    options.setdefault("inline_assets", True)
    html = render_view(kg, **options)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(html)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return output
