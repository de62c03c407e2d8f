"""The interactive graph view: an offline HTML page drawn with vis-network.

One page, two deliveries: standalone files (``kg view --output``,
:func:`write_view`) with every asset inlined, and the API's ``/graph``
with assets served by the app. Modules, one concept each:

* :mod:`kg.view.select` — which nodes a view shows (seed question, focus, full graph) and caps;
* :mod:`kg.view.layout` — precomputed positions for large views;
* :mod:`kg.view.style` — colour and shape per node type, labels per predicate;
* :mod:`kg.view.details` — what the side panel shows for a node;
* :mod:`kg.view.model` — the JSON a page draws, cached per data version;
* :mod:`kg.view.safe_json` — JSON that cannot break out of its ``<script>`` element;
* :mod:`kg.view.assets` — the JS/CSS, from installed packages;
* :mod:`kg.view.page` — the autoescaped template, :func:`render_view` and :func:`write_view`;
* :func:`benchmarks.synth.synthetic_knowledge_graph` and :mod:`benchmarks.view_size` — graphs of any size and the timing harness.
"""

from kg.view.page import ApiLinks, content_security_policy, render_view, view_data, write_view
from kg.view.select import DEFAULT_MAX_NODES, FULL_MAX_NODES, MAX_DEPTH, Selection, resolve_focus, select

__all__ = [
    "DEFAULT_MAX_NODES",
    "FULL_MAX_NODES",
    "MAX_DEPTH",
    "ApiLinks",
    "Selection",
    "content_security_policy",
    "render_view",
    "resolve_focus",
    "select",
    "view_data",
    "write_view",
]
