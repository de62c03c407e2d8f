"""Where an external SPARQL store answers, and how to ask it: a plain value, with no I/O.

Kept apart from :mod:`kg.sparql.client` so that the settings, the worker pool
and the app can name an endpoint without importing the HTTP client, and
``kg serve`` starts as fast with an external engine as without one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["EndpointSpec"]


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """Where an external store answers and how to ask it.

    ``url`` is the query endpoint (``http://127.0.0.1:7878/query`` for
    Oxigraph, ``http://127.0.0.1:8890/sparql`` for Virtuoso);
    ``default_graph`` is sent as ``default-graph-uri`` with every query (the
    named graph ``kg publish virtuoso`` loaded); ``engine`` is what
    :func:`~kg.sparql.engines.identify` recognised, and decides which time
    limit parameter is sent. ``engine_timeout_s`` is the engine's own time
    limit when it has one (Oxigraph's ``serve-read-only --timeout-s``): an
    answer that ends later than that is refused, because Oxigraph can end a
    query it cancelled with a well-formed, shorter answer and nothing to
    say so (a ``LIMIT``/``OFFSET`` query cancelled while skipping comes back
    as zero rows, a ``COUNT`` over it as 0).
    """

    url: str
    default_graph: str | None = None
    engine: str = "sparql"
    engine_timeout_s: float | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"SPARQL endpoint {self.url!r} is not an http(s) URL with a host, "
                "e.g. http://127.0.0.1:7878/query (Oxigraph) or http://127.0.0.1:8890/sparql (Virtuoso)"
            )
        if parts.username or parts.password:
            raise ValueError(f"SPARQL endpoint {self.url!r}: credentials in the URL are not supported")
        if self.default_graph is not None and not urlsplit(self.default_graph).scheme:
            raise ValueError(f"default graph {self.default_graph!r} is not an absolute IRI")
        if self.engine_timeout_s is not None and not self.engine_timeout_s > 0:
            raise ValueError(
                f"the engine's time limit must be a positive number of seconds, not {self.engine_timeout_s!r}"
            )

    def to_json(self) -> str:
        """The spec as JSON (how it reaches a worker process on its command line)."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> EndpointSpec:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)
