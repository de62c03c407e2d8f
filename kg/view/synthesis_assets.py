"""The synthesis page's JavaScript and CSS: our own, and the vendored Vega builds, never from a CDN.

Vega, Vega-Lite and vega-embed are vendored as their publishers' minified
UMD builds in ``kg/view/static/vendor/`` (versions, licences, hashes and how
to refresh them: the README there). Each asset is served under a URL that
carries its content hash (:attr:`~kg.view.assets.Asset.version`), so a
browser may cache it for a year and never run a stale copy. These files are
only ever linked, never inlined into a page, so the check that an inlined
script cannot end its element early does not apply.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from kg.view.assets import Asset, AssetError

__all__ = ["SYNTHESIS_ASSETS", "synthesis_asset"]

_JS = "text/javascript; charset=utf-8"

#: Name → (path under kg/view/static, content type), in the page's load order.
SYNTHESIS_ASSETS: dict[str, tuple[str, str]] = {
    "synthesis.css": ("synthesis.css", "text/css; charset=utf-8"),
    "vega.min.js": ("vendor/vega.min.js", _JS),
    "vega-lite.min.js": ("vendor/vega-lite.min.js", _JS),
    "vega-embed.min.js": ("vendor/vega-embed.min.js", _JS),
    "synthesis.js": ("synthesis.js", _JS),
}

_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")


@cache
def synthesis_asset(name: str) -> Asset:
    """The asset called ``name`` (``KeyError`` for a name not in :data:`SYNTHESIS_ASSETS`)."""
    relative, content_type = SYNTHESIS_ASSETS[name]
    path = Path(str(resources.files("kg.view"))) / "static" / relative
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AssetError(f"cannot read synthesis asset {path}: {error}") from error
    return Asset(name, _SOURCE_MAP.sub("\n", text), content_type)
