"""Which data version a store holds, read from the data itself, and the check a replica makes.

Every export describes itself: its first triples are a ``void:Dataset``
node, ``<https://w3id.org/evidence-kg/>``, with ``dcterms:hasVersion`` the
data version (:mod:`kg.rdf.emit`). Loading the export into any engine
therefore records the version in the store, in the same graph as the data,
with no side file that could drift from it: the version a store declares is
the version of the triples it answers from. A store into which two exports
were loaded declares both, and is refused like any other mismatch.

:func:`export_version` reads the version from an N-Triples file before it is
published; :data:`VERSION_QUERY` and :func:`versions_from_rows` read it back
from a store; :func:`check_version` is the rule a replica applies at start.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import pyoxigraph

from kg.core.vocab import EKG_BASE
from kg.sparql.errors import DataVersionMismatchError, StoreError

__all__ = ["DATASET_IRI", "HAS_VERSION", "VERSION_QUERY", "check_version", "export_version", "versions_from_rows"]

#: The node an export describes itself with (:data:`kg.rdf.emit.DATASET_IRI`; named here without importing rdflib).
DATASET_IRI = EKG_BASE
#: ``dcterms:hasVersion``, the data version of that node.
HAS_VERSION = "http://purl.org/dc/terms/hasVersion"
_HAS_VERSION = HAS_VERSION
#: The data versions a store declares, sorted (one row each).
VERSION_QUERY = f"SELECT DISTINCT ?version WHERE {{ <{DATASET_IRI}> <{_HAS_VERSION}> ?version }} ORDER BY ?version"
#: The dataset node comes first in an export; look no further than this many triples for it.
_HEAD_TRIPLES = 50


def versions_from_rows(rows: Iterable[tuple[object, ...]]) -> list[str]:
    """The version strings from the rows of :data:`VERSION_QUERY`."""
    found = []
    for row in rows:
        term = row[0]
        if isinstance(term, pyoxigraph.Literal):
            found.append(term.value)
    return sorted(set(found))


def check_version(expected: str, found: list[str], endpoint: str, *, allow_mismatch: bool = False) -> None:
    """Raise :class:`DataVersionMismatchError` unless the store declares exactly ``expected``.

    ``allow_mismatch`` lets a replica knowingly serve a store of another
    version (``--allow-version-mismatch``); ``/health`` still reports both.
    """
    if found == [expected] or allow_mismatch:
        return
    raise DataVersionMismatchError(expected, found, endpoint)


def export_version(ntriples: str | os.PathLike[str]) -> str:
    """The data version an N-Triples export declares (from its first triples).

    Raises :class:`StoreError` naming the file when it is not an evidence-kg
    export, does not parse, or declares no version.
    """
    path = Path(ntriples)
    try:
        with path.open("rb") as handle:
            for quad in islice(pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.N_TRIPLES), _HEAD_TRIPLES):
                if (
                    quad.subject == pyoxigraph.NamedNode(DATASET_IRI)
                    and quad.predicate.value == _HAS_VERSION
                    and isinstance(quad.object, pyoxigraph.Literal)
                ):
                    return quad.object.value
    except FileNotFoundError:
        raise StoreError(
            f"{path}: no such file; write the export first: kg export --format nt --output {path}"
        ) from None
    except (OSError, SyntaxError) as error:
        raise StoreError(f"{path}: not a readable N-Triples file: {error}") from None
    raise StoreError(
        f"{path}: no data version in its first {_HEAD_TRIPLES} triples "
        f'(expected <{DATASET_IRI}> <{_HAS_VERSION}> "..."); is it an export of kg export --format nt?'
    )
