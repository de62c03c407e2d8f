"""Exports of the knowledge graph: RDF (Turtle, JSON-LD, N-Triples, RDF/XML), KGX TSV and a flat CSV.

::

    from kg.export import serialize, write_export

    data = serialize(kg, "turtle")                       # bytes (the API)
    report = write_export(kg, "nt", Path("kg.nt"))       # atomic file write (the CLI)

The format table (:mod:`kg.export.formats`) is imported at once; the
serializers (:mod:`kg.export.api`, which load the models, networkx and the
RDF mapping) only when first used, so ``kg --help`` can list the formats
without paying for them. See ``docs/rdf.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export.formats import EXPORT_FORMATS, ExportFormat, ExportFormatName, export_format

if TYPE_CHECKING:
    from kg.export.api import ExportReport, serialize, write_export

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "ExportFormatName",
    "ExportReport",
    "export_format",
    "serialize",
    "write_export",
]

_SERIALIZERS = frozenset({"ExportReport", "serialize", "write_export"})


def __getattr__(name: str) -> object:
    """``serialize``, ``write_export`` and ``ExportReport``, from :mod:`kg.export.api` on first use."""
    if name in _SERIALIZERS:
        from kg.export import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
