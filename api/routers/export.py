"""``/export``: the whole graph as RDF (Turtle, JSON-LD, N-Triples, RDF/XML), a flat CSV or a KGX zip.

``GET /export/{format}`` names the format; ``GET /export`` chooses it from
``Accept`` (RDF content negotiation; 406 lists the available types). The
serializer is :func:`kg.export.serialize`; each format is produced once per
data version and kept as bytes (:mod:`api.export_cache`), sent with a
strong ``ETag`` (``If-None-Match`` gives 304) and a download file name.
Names, media types and file names are the one table of
:mod:`kg.export.formats`, which ``kg export`` reads too.
The first request for a format serializes the graph (seconds on a large
graph), so the endpoints are ``def`` and run in the threadpool.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.docs import error_responses
from api.errors import ApiError
from api.export_cache import ExportCache
from api.negotiation import negotiate_media_type
from kg.export.formats import EXPORT_FORMATS, MEDIA_TYPE_ALIASES, ExportFormatName

__all__ = ["router"]

_BY_MEDIA_TYPE = {fmt.media_type: fmt.name for fmt in EXPORT_FORMATS.values()}
_OFFERED = [fmt.media_type for fmt in EXPORT_FORMATS.values()]

router = APIRouter(tags=["export"])

_CONTENT: dict[str, Any] = {
    media: {
        "schema": {"type": "array", "items": {"type": "object"}, "description": "Expanded JSON-LD: node objects."}
        if media.endswith("json")
        else {"type": "string", "format": "binary"}
    }
    for media in _OFFERED
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The export (identical bytes for one data version).", "content": _CONTENT},
    304: {"description": "Not modified (`If-None-Match` matched the `ETag`)."},
    **error_responses(406, 422, 500, 503),
}


def _exports(request: Request) -> ExportCache:
    exports: ExportCache = request.app.state.exports
    return exports


def _send(request: Request, fmt: ExportFormatName) -> Response:
    try:
        export = _exports(request).get(fmt.value)
    except ImportError as error:
        raise ApiError(
            503,
            "export_unavailable",
            f"the exporter is not installed in this build ({error}); try again after upgrading",
        ) from None
    spec = EXPORT_FORMATS[fmt.value]
    headers = {
        "ETag": export.etag,
        "Vary": "Accept",
        "Content-Disposition": f'attachment; filename="{spec.file_name}"',
        "Cache-Control": "public, max-age=3600",
    }
    if export.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(content=export.body, media_type=spec.content_type, headers=headers)


@router.get(
    "/export",
    responses=_RESPONSES,
    response_class=Response,
    summary="Export the graph, format chosen by Accept",
    description="RDF content negotiation: " + ", ".join(f"`{media}`" for media in _OFFERED) + ".",
)
def export_negotiated(request: Request) -> Response:
    """The whole graph in the format ``Accept`` prefers (Turtle when anything goes)."""
    media = negotiate_media_type(request.headers.get("accept"), _OFFERED, MEDIA_TYPE_ALIASES)
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
        ExportFormatName,
        Path(description="; ".join(f"{fmt.name.value}: {fmt.description}" for fmt in EXPORT_FORMATS.values())),
    ],
) -> Response:
    """The whole graph in ``format``."""
    return _send(request, format)
