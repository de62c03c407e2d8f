"""The export formats, defined once: name, media type, file name, aliases and serializer.

The CLI (``kg export --format``), the API (``/export/{format}`` and content
negotiation on ``/export``), :func:`kg.export.serialize` and the RDF
serializer (which takes the pyoxigraph syntax named here) all read this
table, so they cannot disagree on a name, a media type or a download file
name. :class:`ExportFormatName` spells the names once, for typer's and
FastAPI's choices; ``tests/test_export_formats.py`` checks the CLI and the
API offer exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph

from kg.core.errors import InvalidQueryError

__all__ = ["EXPORT_FORMATS", "MEDIA_TYPE_ALIASES", "ExportFormat", "ExportFormatName", "export_format"]


class ExportFormatName(StrEnum):
    """The names users give a format (``kg export --format nt``, ``/export/nt``)."""

    TURTLE = "turtle"
    JSONLD = "jsonld"
    NT = "nt"
    XML = "xml"
    KGX = "kgx"
    CSV = "csv"


@dataclass(frozen=True)
class ExportFormat:
    """One export format."""

    name: ExportFormatName
    media_type: str  # bare, as content negotiation compares it
    charset: bool  # text formats are sent with "; charset=utf-8"
    file_name: str  # download name (Content-Disposition) and the CLI's suggested output
    aliases: tuple[str, ...]  # other spellings accepted by export_format (case-insensitive)
    description: str
    rdf_syntax: pyoxigraph.RdfFormat | None = None  # the RDF serializer's syntax; None: kgx, csv

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value."""
        return self.media_type + ("; charset=utf-8" if self.charset else "")

    @property
    def extension(self) -> str:
        """The file name's extension, dots included (``.ttl``, ``.kgx.zip``)."""
        return self.file_name[self.file_name.index(".") :]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name.value: fmt
    for fmt in (
        ExportFormat(
            ExportFormatName.TURTLE,
            "text/turtle",
            True,
            "evidence-kg.ttl",
            ("ttl",),
            "RDF, Turtle",
            pyoxigraph.RdfFormat.TURTLE,
        ),
        ExportFormat(
            ExportFormatName.JSONLD,
            "application/ld+json",
            False,
            "evidence-kg.jsonld",
            ("json-ld",),
            "RDF, JSON-LD (expanded: full IRIs, nothing to fetch)",
            pyoxigraph.RdfFormat.JSON_LD,
        ),
        ExportFormat(
            ExportFormatName.NT,
            "application/n-triples",
            False,
            "evidence-kg.nt",
            ("n-triples", "ntriples"),
            "RDF, N-Triples",
            pyoxigraph.RdfFormat.N_TRIPLES,
        ),
        ExportFormat(
            ExportFormatName.XML,
            "application/rdf+xml",
            False,
            "evidence-kg.rdf",
            ("rdfxml", "rdf/xml", "rdf"),
            "RDF, RDF/XML",
            pyoxigraph.RdfFormat.RDF_XML,
        ),
        ExportFormat(
            ExportFormatName.KGX,
            "application/zip",
            False,
            "evidence-kg.kgx.zip",
            (),
            "KGX TSV: nodes.tsv and edges.tsv in a zip",
        ),
        ExportFormat(
            ExportFormatName.CSV,
            "text/csv",
            True,
            "evidence-kg.csv",
            (),
            "evidence items and outcomes, one row per outcome",
        ),
    )
}

#: Other media types clients send for the same formats (content negotiation).
MEDIA_TYPE_ALIASES: dict[str, str] = {
    "application/x-turtle": "text/turtle",
    "text/n-triples": "application/n-triples",
    "application/xml": "application/rdf+xml",
}

_BY_ALIAS = {alias: fmt.name.value for fmt in EXPORT_FORMATS.values() for alias in fmt.aliases}


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (case-insensitive, aliases accepted).

    Raises :class:`~kg.core.errors.InvalidQueryError` naming the parameter
    ``format`` and listing the valid formats.
    """
    key = name.strip().lower() if isinstance(name, str) else name
    key = _BY_ALIAS.get(key, key)
    try:
        return EXPORT_FORMATS[key]
    except (KeyError, TypeError):
        raise InvalidQueryError("format", name, f"one of {', '.join(EXPORT_FORMATS)}") from None
