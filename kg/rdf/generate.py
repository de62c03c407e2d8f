"""Regenerate the published files derived from the code: ``ontology.ttl``, ``context.jsonld`` and the
value lists at the end of ``shapes.ttl``.

Run ``python -m kg.rdf.generate`` after changing a model (a field, an enum value),
:mod:`kg.core.vocab`, :mod:`kg.core.identifiers` or :mod:`kg.rdf.mapping` (tests fail
until you do, so the published files cannot silently drift from what the exports say).
"""

from __future__ import annotations

from pathlib import Path

from kg.rdf.context import CONTEXT_FILE, write_context_file
from kg.rdf.ontology import main as write_ontology
from kg.rdf.shapes import write_shapes

__all__ = ["main"]


def main() -> None:
    """Write the three files next to this module."""
    write_ontology()
    write_shapes()
    Path(__file__).with_name(CONTEXT_FILE).write_text(write_context_file(), encoding="utf-8")


if __name__ == "__main__":
    main()
