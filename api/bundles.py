"""The ``bundle`` parameter of /evidence, /ask and /synthesis: the answer as a citable bundle.

A bundle (:mod:`kg.query.bundle`) wraps the answer with the request it
answered, the question's parameters, how it was read, the data version, the
time and content hashes; ``kg verify-bundle FILE`` checks it later. The
routers call :func:`bundle_bytes` with the answer they would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Query
from starlette.requests import Request

from api.responses import dump
from kg.query.bundle import BundleKind, make_bundle
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["Bundled", "bundle_bytes"]

#: ``bundle: Bundled = False`` in an endpoint's signature.
Bundled = Annotated[
    bool,
    Query(
        description=(
            "Answer with a citable bundle: the request, the question's parameters, how it was read, the data "
            "version, the time, the results and content hashes (`kg verify-bundle FILE` checks it later)."
        )
    ),
]


def bundle_bytes(
    request: Request, kg: KnowledgeGraph, kind: BundleKind, question: Mapping[str, Any], results: Mapping[str, Any]
) -> bytes:
    """The bundle of ``results`` as JSON bytes, recording the request's path and query string."""
    answered = {"path": request.url.path, "query": request.url.query}
    return dump(make_bundle(kg, kind, question, results, request=answered))
