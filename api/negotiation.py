"""Content negotiation for the export formats: a 406 that lists what is available, never a silent fallback.

The algorithm (RFC 9110 §12.5.1) is :func:`kg.present.negotiation.choose_media_type`,
shared with the SPARQL results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from api.errors import ApiError
from kg.present.negotiation import choose_media_type

__all__ = ["negotiate_media_type"]


def negotiate_media_type(accept: str | None, offered: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """The offered media type (bare, without parameters) that best fits ``accept``; the first when absent.

    ``aliases`` maps other names clients use (``application/x-turtle``) to an offered type.

    Raises a 406 :class:`ApiError` listing ``offered`` when none is acceptable.
    """
    chosen = choose_media_type(accept, offered, aliases)
    if chosen is None:
        raise ApiError(
            406,
            "not_acceptable",
            f"cannot answer in {accept!r}; available media types: {', '.join(offered)}",
            accept=accept,
            supported=list(offered),
        )
    return chosen
