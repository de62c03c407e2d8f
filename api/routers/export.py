"""``/export``: the whole graph as RDF (Turtle, JSON-LD, N-Triples, RDF/XML), a flat CSV or a KGX zip.

``GET /export/{format}`` names the format; ``GET /export`` chooses it from
``Accept`` (RDF content negotiation; 406 lists the available types). The
serializer is :func:`kg.export.serialize`; each format is produced once per
data version and kept as bytes (:mod:`api.export_cache`), sent with a
strong ``ETag`` (``If-None-Match`` gives 304) and a download file name.
The first request for a format serializes the graph (seconds on a large
graph), so the endpoints are ``def`` and run in the threadpool.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.docs import error_responses
from api.errors import ApiError
from api.export_cache import ExportCache
from api.negotiation import negotiate_media_type

__all__ = ["MEDIA_TYPES", "ExportFormat", "router"]


class ExportFormat(StrEnum):
    """Export formats, named as ``kg export --format`` names them."""

    TURTLE = "turtle"
    JSONLD = "jsonld"
    NT = "nt"
    XML = "xml"
    CSV = "csv"
    KGX = "kgx"


#: Format → (media type, file extension, charset parameter or "").
MEDIA_TYPES: dict[ExportFormat, tuple[str, str, str]] = {
    ExportFormat.TURTLE: ("text/turtle", "ttl", "; charset=utf-8"),
    ExportFormat.JSONLD: ("application/ld+json", "jsonld", ""),
    ExportFormat.NT: ("application/n-triples", "nt", ""),
    ExportFormat.XML: ("application/rdf+xml", "rdf", ""),
    ExportFormat.CSV: ("text/csv", "csv", "; charset=utf-8"),
    ExportFormat.KGX: ("application/zip", "kgx.zip", ""),
}
_BY_MEDIA_TYPE = {media: fmt for fmt, (media, _, _) in MEDIA_TYPES.items()}
# Other names clients send for the same formats.
_ALIASES = {
    "application/x-turtle": "text/turtle",
    "text/n-triples": "application/n-triples",
    "application/xml": "application/rdf+xml",
}

router = APIRouter(tags=["export"])

_CONTENT: dict[str, Any] = {
    media: {
        "schema": {"type": "object", "description": "A JSON-LD document (@context and @graph)."}
        if media.endswith("json")
        else {"type": "string", "format": "binary"}
    }
    for media, _, _ in MEDIA_TYPES.values()
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The export (identical bytes for one data version).", "content": _CONTENT},
    304: {"description": "Not modified (`If-None-Match` matched the `ETag`)."},
    **error_responses(406, 422, 500, 503),
}


def _exports(request: Request) -> ExportCache:
    return request.app.state.exports


def _send(request: Request, fmt: ExportFormat) -> Response:
    try:
        export = _exports(request).get(fmt.value)
    except ImportError as error:
        raise ApiError(
            503,
            "export_unavailable",
            f"the exporter is not installed in this build ({error}); try again after upgrading",
        ) from None
    media, extension, charset = MEDIA_TYPES[fmt]
    headers = {
        "ETag": export.etag,
        "Vary": "Accept",
        "Content-Disposition": f'attachment; filename="evidence-kg.{extension}"',
        "Cache-Control": "public, max-age=3600",
    }
    if export.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(content=export.body, media_type=media + charset, headers=headers)


@router.get(
    "/export",
    responses=_RESPONSES,
    response_class=Response,
    summary="Export the graph, format chosen by Accept",
    description="RDF content negotiation: " + ", ".join(f"`{m}`" for m, _, _ in MEDIA_TYPES.values()) + ".",
)
def export_negotiated(request: Request) -> Response:
    """The whole graph in the format ``Accept`` prefers (Turtle when anything goes)."""
    offered = [media for media, _, _ in MEDIA_TYPES.values()]
    media = negotiate_media_type(request.headers.get("accept"), offered, _ALIASES)
    return _send(request, _BY_MEDIA_TYPE[media])


@router.get(
    "/export/{format}",
    responses=_RESPONSES,
    response_class=Response,
    summary="Export the graph in a named format",
)
def export_format(
    request: Request,
    format: Annotated[
        ExportFormat, Path(description="turtle, jsonld, nt, xml (RDF/XML), csv or kgx (zip of KGX TSV files).")
    ],
) -> Response:
    """The whole graph in ``format``."""
    return _send(request, format)
