"""Regenerate the published files derived from the code: ``ontology.ttl`` and ``context.jsonld``.

Run ``python -m kg.rdf.generate`` after changing :mod:`kg.core.vocab`,
:mod:`kg.core.identifiers` or :mod:`kg.rdf.mapping` (tests fail until you do, so
the published files cannot silently drift from what the exports say).
"""

from __future__ import annotations

from pathlib import Path

from kg.rdf.context import CONTEXT_FILE, write_context_file
from kg.rdf.ontology import main as write_ontology

__all__ = ["main"]


def main() -> None:
    """Write both files next to this module."""
    write_ontology()
    Path(__file__).with_name(CONTEXT_FILE).write_text(write_context_file(), encoding="utf-8")


if __name__ == "__main__":
    main()
