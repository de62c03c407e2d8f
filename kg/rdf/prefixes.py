"""The prefixes written in exports, and IRI → prefixed-name shortening that is always safe.

Turtle, JSON-LD and RDF/XML all shorten IRIs with one table: the standard
vocabularies, our own record prefixes (``drug:``, ``ev:``, ...), ``obo:``
for OBO terms, and the external prefixes of :mod:`kg.core.identifiers` whose
namespace ends in ``/`` or ``#`` (JSON-LD 1.1 only treats such terms as
prefixes). An IRI is shortened only when its local part is a plain name
(letters, digits, ``_``, ``-``, inner ``.``) that every Turtle and JSON-LD
reader accepts unescaped; anything else is written in full, which is always
correct.
"""

from __future__ import annotations

import re
from functools import cache

from kg.core.identifiers import EXTERNAL_PREFIXES, own_prefixes
from kg.core.vocab import EKG_BASE
from kg.rdf.namespace import STANDARD_PREFIXES

__all__ = ["IriShortener", "export_prefixes", "is_safe_local"]

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


def is_safe_local(local: str) -> bool:
    """Whether ``local`` can follow ``prefix:`` unescaped in Turtle and JSON-LD (and in an IRI)."""
    return _SAFE_LOCAL.match(local) is not None


@cache
def export_prefixes() -> dict[str, str]:
    """Prefix → namespace IRI, in the order they are declared in an export."""
    prefixes = dict(STANDARD_PREFIXES)
    prefixes["obo"] = "http://purl.obolibrary.org/obo/"
    for prefix in own_prefixes():
        prefixes[prefix] = f"{EKG_BASE}{prefix}/"
    for prefix, uri, _, _ in EXTERNAL_PREFIXES:
        if uri.endswith(("/", "#")) and not uri.startswith("http://purl.obolibrary.org/obo/"):
            prefixes[prefix] = uri
    return prefixes


class IriShortener:
    """Shortens IRIs to ``prefix:local`` when that is safe; caches every answer."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self._by_namespace = {namespace: prefix for prefix, namespace in (prefixes or export_prefixes()).items()}
        self._cache: dict[str, str | None] = {}

    def shorten(self, iri: str) -> str | None:
        """``prefix:local`` for ``iri``, or ``None`` when it must be written in full."""
        try:
            return self._cache[iri]
        except KeyError:
            pass
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._by_namespace.get(iri[:cut])
        local = iri[cut:]
        short = f"{prefix}:{local}" if prefix is not None and _SAFE_LOCAL.match(local) else None
        if len(self._cache) < 2_000_000:
            self._cache[iri] = short
        return short
