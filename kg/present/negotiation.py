"""HTTP content negotiation: which offered media type best fits an Accept header.

Used by the RDF exports (``/export``) and the SPARQL results (``/sparql``),
so both read Accept headers the same way (RFC 9110 §12.5.1): quality values,
the most specific matching range deciding a type's quality, ties broken by
the header's order and then by the server's preference. Callers raise their
own "not acceptable" error when nothing fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["choose_media_type", "parse_accept"]


def parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, quality, position)`` for each well-formed entry of an Accept header."""
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
                    quality = 0.0  # a malformed weight is not a request for this type
        ranges.append((media_range, quality, position))
    return ranges


def _specificity(media_range: str, media_type: str, aliases: set[str]) -> int | None:
    """2 for the type itself or an alias, 1 for ``type/*`` (aliases do not count), 0 for ``*/*``."""
    if media_range == media_type or media_range in aliases:
        return 2
    kind, _, subtype = media_range.partition("/")
    if subtype == "*" and media_type.startswith(f"{kind}/"):
        return 1
    if media_range == "*/*":
        return 0
    return None


def choose_media_type(
    accept: str | None, offered: Sequence[str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The offered media type that best fits ``accept`` (the first when absent), or None when none is acceptable.

    ``aliases`` maps other names clients use (``application/x-turtle``) to an offered type.
    """
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for preference, media_type in enumerate(offered):
        names = {alias for alias, target in (aliases or {}).items() if target == media_type}
        matches = [
            (spec, quality, position)
            for media_range, quality, position in ranges
            if (spec := _specificity(media_range, media_type, names)) is not None
        ]
        if not matches:
            continue
        spec, quality, position = max(matches, key=lambda match: (match[0], -match[2]))
        if quality <= 0:
            continue
        rank = (quality, spec, -position, -preference)
        if best is None or rank > best:
            best, chosen = rank, media_type
    return chosen
