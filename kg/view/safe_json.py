"""JSON that can sit inside an HTML ``<script>`` element whatever the data says.

Labels, quotes and synonyms come from papers and databases; one containing
``</script>`` would end the data block and let the rest run as HTML, and
``<!--`` can switch the HTML parser into a state where a later
``</script>`` no longer closes the element. Escaping ``<``, ``>`` and ``&``
as ``\\u003c`` etc. makes such sequences impossible while JSON.parse
reads the same string back. U+2028/U+2029 are escaped too (older JS
engines treat them as line ends). This is what Jinja's ``tojson`` does,
with orjson for speed: a 20,000-node view is several megabytes of JSON.
"""

from __future__ import annotations

from typing import Any

import orjson
from markupsafe import Markup

__all__ = ["dumps_for_script"]

_REPLACEMENTS = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def dumps_for_script(value: Any) -> Markup:
    """``value`` as JSON safe to place verbatim inside ``<script type="application/json">``."""
    data = orjson.dumps(value)
    for raw, escaped in _REPLACEMENTS:
        data = data.replace(raw, escaped)
    return Markup(data.decode())  # noqa: S704 - every character that could end the element is escaped above
