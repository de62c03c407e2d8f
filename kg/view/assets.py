"""The page's JavaScript and CSS, read from installed packages, never from a CDN.

vis-network comes from the copy that pyvis ships
(``pyvis/lib/vis-9.1.2/vis-network.min.js``, the standalone UMD build with
vis-data included; dual-licensed Apache-2.0/MIT, licence header kept
intact). pyvis is already a dependency and its last release (0.3.2, 2023)
pins this file, so no third-party blob is vendored into this repository.
Our own script and stylesheet live in ``kg/view/static/``. vis-network's
220 KB stylesheet is not needed: it styles the navigation and manipulation
widgets we do not use, and the one rule we need (the tooltip) is in ours.

Each asset has a content hash: the app serves it under a URL that carries
the hash, so browsers may cache it for a year and still never run a stale
copy after an upgrade.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["ASSET_NAMES", "Asset", "AssetError", "asset", "vis_network_path"]

#: Name → content type of every asset the page uses, in load order.
ASSET_NAMES: dict[str, str] = {
    "graph-view.css": "text/css; charset=utf-8",
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "graph-view.js": "text/javascript; charset=utf-8",
}

_VIS_DIR = re.compile(r"^vis-(\d+)\.(\d+)\.(\d+)$")


class AssetError(RuntimeError):
    """A bundled asset is missing (a broken install)."""


@dataclass(frozen=True)
class Asset:
    """One static file: its text, content type, and hashes for cache busting and CSP."""

    name: str
    text: str
    content_type: str

    @property
    def body(self) -> bytes:
        return self.text.encode()

    @property
    def version(self) -> str:
        """Short content hash, used in the asset URL."""
        return hashlib.sha256(self.body).hexdigest()[:16]

    @property
    def csp_hash(self) -> str:
        """``'sha256-…'`` source expression allowing this text as an inline script or style."""
        return "'sha256-" + base64.b64encode(hashlib.sha256(self.body).digest()).decode() + "'"


def vis_network_path() -> Path:
    """The newest vis-network build shipped inside the installed pyvis package."""
    lib = Path(str(resources.files("pyvis"))) / "lib"
    versions = []
    for folder in lib.glob("vis-*"):
        match = _VIS_DIR.match(folder.name)
        if match and (folder / "vis-network.min.js").is_file():
            versions.append((tuple(int(part) for part in match.groups()), folder / "vis-network.min.js"))
    if not versions:
        raise AssetError(f"vis-network not found in {lib}: reinstall pyvis (pip install 'pyvis>=0.3.2')")
    return max(versions)[1]


def _inline_safe(name: str, text: str) -> str:
    """Refuse text that would end its ``<script>``/``<style>`` element early when inlined."""
    lowered = text.lower()
    for marker in ("</script", "<!--", "</style"):
        if marker in lowered:
            raise AssetError(f"{name} contains {marker!r} and cannot be inlined safely")
    return text


_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")


@cache
def asset(name: str) -> Asset:
    """The asset called ``name`` (raises ``KeyError`` for a name not in :data:`ASSET_NAMES`)."""
    content_type = ASSET_NAMES[name]
    if name == "vis-network.min.js":
        path = vis_network_path()
    else:
        path = Path(str(resources.files("kg.view"))) / "static" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AssetError(f"cannot read view asset {path}: {error}") from error
    text = _SOURCE_MAP.sub("\n", text)  # the map is not shipped: no browser should ask for it
    return Asset(name, _inline_safe(name, text), content_type)
