"""The one JSON serializer of answers: compact UTF-8 bytes by orjson, and pre-serialized parts.

Every answer the API sends is made here (``api.responses.dump`` is this
:func:`dumps`), so a part serialized ahead of time with :func:`fragment`
(an evidence item's payload, an explanation) has exactly the bytes it would
have inside the whole answer: orjson copies an ``orjson.Fragment`` into its
output as it is, so an answer made of kept fragments is assembled, not
rebuilt, and is byte-for-byte the answer serialized in one go.
"""

from __future__ import annotations

from typing import Any

import orjson

__all__ = ["OPTIONS", "dumps", "fragment"]

#: orjson's options for every answer (non-string keys, such as an int-keyed count, are written as strings).
OPTIONS = orjson.OPT_NON_STR_KEYS


def _fallback(value: Any) -> Any:
    """Anything orjson does not know (Decimal, Path, enums of other kinds) is sent as text, never a 500."""
    return str(value)


def dumps(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON bytes."""
    return orjson.dumps(data, default=_fallback, option=OPTIONS)


def fragment(data: Any) -> orjson.Fragment:
    """``data`` serialized now, to be placed as it is inside a later :func:`dumps`."""
    return orjson.Fragment(dumps(data))
