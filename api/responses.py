"""JSON responses as pre-serialized bytes.

FastAPI's default path (``jsonable_encoder`` then ``json.dumps``) walks every
value in Python and served about 1k req/s on a 9 KB answer here; orjson
serializes the same dict in microseconds (:mod:`kg.query.serialize`, the
one serializer, which also assembles answers from pre-serialized parts). Endpoints therefore return a
:class:`starlette.responses.Response` with orjson bytes; the types the
answers are built as (the ``TypedDict`` classes of :mod:`kg.query` and the routers)
document the shape (``response_model``) without being paid for on each
request, and a test checks real answers against them.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from kg.query.serialize import dumps

__all__ = ["JSON_MEDIA_TYPE", "dump", "json_response"]

JSON_MEDIA_TYPE = "application/json"


def dump(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON bytes (:func:`kg.query.serialize.dumps`: the answers' one serializer)."""
    return dumps(data)


def json_response(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response whose body is serialized once, here, by orjson."""
    return Response(content=dump(data), status_code=status_code, media_type=JSON_MEDIA_TYPE, headers=headers)
