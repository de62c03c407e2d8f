"""JSON responses as pre-serialized bytes.

FastAPI's default path (``jsonable_encoder`` then ``json.dumps``) walks every
value in Python and served about 1k req/s on a 9 KB answer here; orjson
serializes the same dict in microseconds. Endpoints therefore return a
:class:`starlette.responses.Response` with orjson bytes; the types the
answers are built as (the ``TypedDict`` classes of :mod:`kg.query` and the routers)
document the shape (``response_model``) without being paid for on each
request, and a test checks real answers against them.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

__all__ = ["JSON_MEDIA_TYPE", "dump", "json_response"]

JSON_MEDIA_TYPE = "application/json"


def _fallback(value: Any) -> Any:
    """Anything orjson does not know (Decimal, Path, enums of other kinds) is sent as text, never a 500."""
    return str(value)


def dump(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON bytes."""
    return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS)


def json_response(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response whose body is serialized once, here, by orjson."""
    return Response(content=dump(data), status_code=status_code, media_type=JSON_MEDIA_TYPE, headers=headers)
