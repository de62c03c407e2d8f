"""The two export entry points: ``serialize`` (bytes, for the API) and ``write_export`` (a file, for the CLI).

Both accept the formats of :mod:`kg.export.formats`. ``write_export``
streams the RDF syntaxes chunk by chunk into a temporary file next to the
target and renames it into place (:func:`kg.export.atomic.atomic_write`), so
an export that fails half-way leaves no partial file and never clobbers a
previous good one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.core.errors import ExportError
from kg.export.atomic import atomic_write
from kg.export.evidence_csv import evidence_csv
from kg.export.formats import ExportFormatName, export_format
from kg.export.kgx import kgx_zip
from kg.rdf.serialize import RdfWrite

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["ExportReport", "serialize", "write_export"]


@dataclass
class ExportReport:
    """What an export wrote: format, path, size, time, and counts (triples, nodes/edges or rows)."""

    format: str
    path: str | None
    bytes: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int | None:
        """Triples written (RDF formats only)."""
        return self.counts.get("triples")

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready) of the report."""
        return asdict(self)


class _Export:
    """One export: its chunks of bytes, then its counts."""

    def __init__(self, kg: KnowledgeGraph, fmt: str) -> None:
        self.kg = kg
        self.spec = export_format(fmt)
        self.format = self.spec.name.value
        self.counts: dict[str, int] = {}

    def chunks(self) -> Iterator[bytes]:
        corpus = self.kg.corpus
        if self.spec.rdf_syntax is not None:
            write = RdfWrite(corpus, self.spec.rdf_syntax)
            yield from write.byte_chunks()
            self.counts["triples"] = write.triples
        elif self.spec.name is ExportFormatName.KGX:
            data, tables = kgx_zip(self.kg.graph)
            self.counts.update(nodes=len(tables.nodes), edges=len(tables.edges))
            yield data
        else:
            data, rows = evidence_csv(corpus)
            self.counts["rows"] = rows
            yield data
        self.counts.update({f"records.{name}": n for name, n in corpus.counts().items() if n})


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The whole export in format ``fmt`` (turtle, jsonld, nt, xml, kgx, csv) as bytes.

    Raises :class:`~kg.core.errors.InvalidQueryError` for an unknown format (listing
    the valid ones) and :class:`~kg.core.errors.ExportError` when a value cannot be
    written in that format (naming the record and the field).
    """
    return b"".join(_Export(kg, fmt).chunks())


def write_export(kg: KnowledgeGraph, fmt: str, output: Path) -> ExportReport:
    """Write the export atomically to ``output``; report counts, bytes and seconds."""
    export = _Export(kg, fmt)
    output = Path(output)
    if not output.parent.is_dir():
        raise ExportError(f"cannot write {output}: directory {output.parent} does not exist")
    started = time.perf_counter()
    size = atomic_write(output, export.chunks())
    return ExportReport(
        format=export.format,
        path=str(output),
        bytes=size,
        seconds=round(time.perf_counter() - started, 6),
        counts=export.counts,
    )
