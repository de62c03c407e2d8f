"""Measurement 5: graph-view generation time and page size at 200, 2,000 and 20,000 nodes.

The view engineer's harness does the work (:func:`benchmarks.view_size.measure_view`:
synthetic graphs drawn at exact sizes, the full view rendered from a cold cache,
standalone page with inlined assets and the API's served page); this module
only calls it and keeps its rows.
"""

from __future__ import annotations

from typing import Any

from benchmarks.config import Config

__all__ = ["measure_views"]


def measure_views(config: Config) -> dict[str, Any]:
    """Rows of ``measure_view`` for the configured sizes, or why the view cannot be measured."""
    try:
        from benchmarks.view_size import measure_view
    except ImportError as error:
        return {"skipped": f"benchmarks.view_size is not available: {error}"}
    rows = measure_view(sizes=config.view_sizes, repeats=config.view_repeats)
    for row in rows:
        row["mb"] = round(row["bytes"] / 1e6, 3)
    return {"repeats": config.view_repeats, "rows": rows}
