"""The published JSON-LD ``@context`` (``kg/rdf/context.jsonld``) and how exports embed it.

The context only declares prefixes (the table of
:func:`kg.rdf.prefixes.export_prefixes`), so every key and ``@id`` in an
export is a compact IRI or a full IRI and no term has hidden coercion rules.
Exports embed the context *inline* (never a URL), so reading one never
needs the network: rdflib would otherwise fetch a remote context.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from kg.rdf.prefixes import export_prefixes

__all__ = ["CONTEXT_FILE", "build_context", "published_context"]

#: File name of the published context, inside the ``kg.rdf`` package.
CONTEXT_FILE = "context.jsonld"


def build_context() -> dict[str, Any]:
    """The context document as generated from the prefix table (what ``context.jsonld`` must contain)."""
    return {"@context": dict(export_prefixes())}


@cache
def published_context() -> dict[str, Any]:
    """The ``@context`` object of the published file (a test checks it equals :func:`build_context`)."""
    text = resources.files("kg.rdf").joinpath(CONTEXT_FILE).read_text(encoding="utf-8")
    context: dict[str, Any] = json.loads(text)["@context"]
    return context


def write_context_file() -> str:
    """Text of ``context.jsonld`` (used to regenerate the file when prefixes change)."""
    return json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n"
