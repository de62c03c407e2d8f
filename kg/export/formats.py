"""The export formats users can ask for, with their media types and file extensions.

One table, so the CLI (``kg export --format``), the API (content
negotiation) and the docs list the same names. A few common spellings are
accepted as aliases (``ttl``, ``n-triples``, ``json-ld``, ``rdfxml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core.errors import InvalidQueryError

__all__ = ["EXPORT_FORMATS", "ExportFormat", "export_format"]


@dataclass(frozen=True)
class ExportFormat:
    """One export format."""

    name: str
    media_type: str
    extension: str
    description: str


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "turtle": ExportFormat("turtle", "text/turtle; charset=utf-8", ".ttl", "RDF, Turtle"),
    "jsonld": ExportFormat("jsonld", "application/ld+json", ".jsonld", "RDF, JSON-LD with the context inline"),
    "nt": ExportFormat("nt", "application/n-triples", ".nt", "RDF, N-Triples"),
    "xml": ExportFormat("xml", "application/rdf+xml", ".rdf", "RDF, RDF/XML"),
    "kgx": ExportFormat("kgx", "application/zip", ".zip", "KGX TSV: nodes.tsv and edges.tsv in a zip"),
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", ".csv", "evidence items and outcomes, one row per outcome"),
}

_ALIASES = {
    "ttl": "turtle",
    "n-triples": "nt",
    "ntriples": "nt",
    "json-ld": "jsonld",
    "rdfxml": "xml",
    "rdf/xml": "xml",
    "rdf": "xml",
}


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (case-insensitive, aliases accepted).

    Raises :class:`~kg.core.errors.InvalidQueryError` naming the parameter
    ``format`` and listing the valid formats.
    """
    key = name.strip().lower() if isinstance(name, str) else name
    key = _ALIASES.get(key, key)
    try:
        return EXPORT_FORMATS[key]
    except (KeyError, TypeError):
        raise InvalidQueryError("format", name, f"one of {', '.join(EXPORT_FORMATS)}") from None
