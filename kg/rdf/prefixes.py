"""The prefixes declared in exports (Turtle, RDF/XML) and published as the JSON-LD context.

One table: the standard vocabularies, our own record prefixes (``drug:``,
``ev:``, ...), ``obo:`` for OBO terms, and the external prefixes of
:mod:`kg.core.identifiers` whose namespace ends in ``/`` or ``#`` (JSON-LD 1.1
only treats such terms as prefixes). pyoxigraph decides, IRI by IRI, whether a
prefixed name is safe; anything else it writes in full.
"""

from __future__ import annotations

from functools import cache

from kg.core.identifiers import EXTERNAL_PREFIXES, own_prefixes
from kg.core.vocab import EKG_BASE
from kg.rdf.namespace import STANDARD_PREFIXES

__all__ = ["export_prefixes"]


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
