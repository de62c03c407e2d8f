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

from kg.present.negotiation import choose_media_type
from kg.sparql.errors import NotAcceptableError
from kg.sparql.guard import QueryForm

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "ResultFormat",
    "ensure_answerable",
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


def negotiate(accept: str | None, form: QueryForm) -> ResultFormat:
    """The format to answer a ``form`` query in, given the request's Accept header.

    ``None`` or an empty header means "anything": the default (SPARQL JSON
    for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). Raises
    :class:`NotAcceptableError` when no supported format is acceptable.
    """
    candidates = _formats_for(form)
    aliases = {alias: fmt.value for alias, fmt in _ALIASES.items()}
    chosen = choose_media_type(accept, [fmt.value for fmt in candidates], aliases)
    if chosen is None:
        raise NotAcceptableError(accept or "", supported_media_types(form), str(form))
    return next(fmt for fmt in candidates if fmt.value == chosen)


def ensure_answerable(accept: str | None) -> None:
    """Refuse, before any work, an Accept header that no query form could be answered in."""
    try:
        negotiate(accept, QueryForm.SELECT)
    except NotAcceptableError:
        try:
            negotiate(accept, QueryForm.CONSTRUCT)
        except NotAcceptableError:
            supported = supported_media_types(QueryForm.SELECT) + supported_media_types(QueryForm.CONSTRUCT)
            raise NotAcceptableError(accept or "", supported) from None
