"""Exports of the knowledge graph: RDF (Turtle, JSON-LD, N-Triples, RDF/XML), KGX TSV and a flat CSV.

::

    from kg.export import serialize, write_export

    data = serialize(kg, "turtle")                       # bytes (the API)
    report = write_export(kg, "nt", Path("kg.nt"))       # atomic file write (the CLI)

See ``docs/rdf.md``.
"""

from kg.export.api import ExportReport, serialize, write_export
from kg.export.formats import EXPORT_FORMATS, ExportFormat, ExportFormatName, export_format

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "ExportFormatName",
    "ExportReport",
    "export_format",
    "serialize",
    "write_export",
]
