"""Result formats of the SPARQL endpoint and HTTP content negotiation.

SELECT and ASK answer with a SPARQL result set (JSON by default, XML, CSV,
TSV); CONSTRUCT and DESCRIBE answer with RDF triples (Turtle by default,
N-Triples). Which one is chosen from the request's ``Accept`` header
follows RFC 9110: the most specific matching range gives a format its
quality, ``q=0`` excludes it, the highest quality wins, ties go to the range
listed first and then to our default. Nothing acceptable is a
:class:`~kg.sparql.errors.NotAcceptableError` (HTTP 406) that lists what is
supported, never a silent fallback.

This module only names formats; the worker maps them to pyoxigraph's
serializers (:mod:`kg.sparql.execute`).
"""

from __future__ import annotations

from enum import StrEnum

from kg.sparql.errors import NotAcceptableError
from kg.sparql.guard import QueryForm

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "ResultFormat",
    "negotiate",
    "supported_media_types",
]


class ResultFormat(StrEnum):
    """A serialization of query results; the value is its canonical media type."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"
    TURTLE = "text/turtle"
    N_TRIPLES = "application/n-triples"

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` to send, with a charset for the text formats that need one."""
        if self in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.TURTLE):
            return f"{self.value}; charset=utf-8"
        return self.value

    @property
    def for_graphs(self) -> bool:
        """Whether this format serializes triples (CONSTRUCT/DESCRIBE) rather than result sets."""
        return self in GRAPH_FORMATS


#: Formats for SELECT and ASK, default first.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)
#: Formats for CONSTRUCT and DESCRIBE, default first.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (ResultFormat.TURTLE, ResultFormat.N_TRIPLES)

# Other names clients use for the same formats.
_ALIASES: dict[str, ResultFormat] = {
    "application/json": ResultFormat.JSON,
    "application/xml": ResultFormat.XML,
    "text/xml": ResultFormat.XML,
    "application/x-turtle": ResultFormat.TURTLE,
    "text/n-triples": ResultFormat.N_TRIPLES,
}


def _formats_for(form: QueryForm) -> tuple[ResultFormat, ...]:
    return GRAPH_FORMATS if form.returns_graph else SOLUTION_FORMATS


def supported_media_types(form: QueryForm) -> list[str]:
    """The canonical media types a query of this form can be answered in, default first."""
    return [fmt.value for fmt in _formats_for(form)]


def _parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, quality, position)`` for each well-formed entry of an Accept header."""
    ranges: list[tuple[str, float, int]] = []
    for position, entry in enumerate(accept.split(",")):
        parts = [part.strip() for part in entry.split(";")]
        media_range = parts[0].lower()
        if media_range.count("/") != 1:
            continue
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0  # a malformed weight is not a request for this type
        ranges.append((media_range, quality, position))
    return ranges


def _match(media_range: str, fmt: ResultFormat) -> int | None:
    """How specifically ``media_range`` matches ``fmt`` (2 exact, 1 ``type/*``, 0 ``*/*``), or None."""
    names = {fmt.value} | {alias for alias, target in _ALIASES.items() if target is fmt}
    if media_range in names:
        return 2
    kind, _, subtype = media_range.partition("/")
    if subtype == "*" and fmt.value.startswith(f"{kind}/"):  # aliases (text/xml) do not count here
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate(accept: str | None, form: QueryForm) -> ResultFormat:
    """The format to answer a ``form`` query in, given the request's Accept header.

    ``None`` or an empty header means "anything": the default (SPARQL JSON
    for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). Raises
    :class:`NotAcceptableError` when no supported format is acceptable.
    """
    candidates = _formats_for(form)
    if accept is None or not accept.strip():
        return candidates[0]
    ranges = _parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: ResultFormat | None = None
    for preference, fmt in enumerate(candidates):
        matches = [(spec, quality, pos) for media, quality, pos in ranges if (spec := _match(media, fmt)) is not None]
        if not matches:
            continue
        # The most specific matching range decides the quality (RFC 9110 §12.5.1).
        spec, quality, pos = max(matches, key=lambda match: (match[0], -match[2]))
        if quality <= 0:
            continue
        rank = (quality, spec, -pos, -preference)
        if best is None or rank > best:
            best, chosen = rank, fmt
    if chosen is None:
        raise NotAcceptableError(accept, supported_media_types(form), str(form))
    return chosen
