"""HTTP content negotiation (RFC 9110 §12.5.1) for the export formats.

The most specific matching media range gives a format its quality,
``q=0`` excludes it, the highest quality wins, ties go to the range listed
first and then to the server's order. Nothing acceptable is a 406 that lists
what is available, never a silent fallback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from api.errors import ApiError

__all__ = ["negotiate_media_type"]


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    ranges: list[tuple[str, float, int]] = []
    for position, entry in enumerate(accept.split(",")):
        parts = [part.strip() for part in entry.split(";")]
        media_range = parts[0].lower()
        if media_range.count("/") != 1:
            continue
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality, position))
    return ranges


def _specificity(media_range: str, names: set[str]) -> int | None:
    if media_range in names:
        return 2
    kind, _, subtype = media_range.partition("/")
    if subtype == "*" and any(name.startswith(f"{kind}/") for name in names):
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate_media_type(accept: str | None, offered: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """The offered media type (bare, without parameters) that best fits ``accept``; the first when absent.

    ``aliases`` maps other names clients use (``application/x-turtle``) to an offered type.

    Raises a 406 :class:`ApiError` listing ``offered`` when none is acceptable.
    """
    if accept is None or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for preference, media_type in enumerate(offered):
        names = {media_type} | {alias for alias, target in (aliases or {}).items() if target == media_type}
        matches = [(spec, q, pos) for media, q, pos in ranges if (spec := _specificity(media, names)) is not None]
        if not matches:
            continue
        spec, quality, pos = max(matches, key=lambda match: (match[0], -match[2]))
        if quality <= 0:
            continue
        rank = (quality, spec, -pos, -preference)
        if best is None or rank > best:
            best, chosen = rank, media_type
    if chosen is None:
        raise ApiError(
            406,
            "not_acceptable",
            f"cannot answer in {accept!r}; available media types: {', '.join(offered)}",
            accept=accept,
            supported=list(offered),
        )
    return chosen
