"""Query parameters shared by several routers, with their static bounds and runtime checks.

The OpenAPI document carries static bounds (the largest any deployment
allows), so a client and schemathesis see them; :class:`~api.settings.ApiSettings`
may tighten them per app, which :func:`check_page` and :func:`check_terms`
enforce with a 422 that names the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Query
from pydantic import StringConstraints

from api.settings import DEFAULT_LIMIT, ApiSettings
from kg.core.errors import InvalidQueryError
from kg.core.text import BLANK
from kg.query.engine import MAX_LIMIT

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_OFFSET",
    "MAX_TERMS",
    "MAX_TERM_LENGTH",
    "NON_BLANK",
    "Limit",
    "Offset",
    "Term",
    "check_page",
    "check_terms",
]

MAX_OFFSET = 100_000
MAX_TERMS = 10
MAX_TERM_LENGTH = 200

#: Documented pattern of a name or question: some character that is not :data:`kg.core.text.BLANK`.
NON_BLANK = "[^" + BLANK.encode("unicode_escape").decode("ascii") + "]"

#: One name or id in a parameter: bounded, with at least one non-blank character.
Term = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TERM_LENGTH, pattern=NON_BLANK)]

Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Results to skip (offset pagination): 0 is the first page.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).")]


def check_page(settings: ApiSettings, offset: int, limit: int, max_limit: int | None = None) -> None:
    """Refuse a page beyond this app's limits (which may be tighter than the documented ones)."""
    largest = settings.max_limit if max_limit is None else max_limit
    if limit > largest:
        raise InvalidQueryError("limit", limit, f"an integer from 1 to {largest}")
    if offset > settings.max_offset:
        raise InvalidQueryError("offset", offset, f"an integer from 0 to {settings.max_offset}")


def check_terms(settings: ApiSettings, parameter: str, values: Sequence[str] | None) -> tuple[str, ...]:
    """The values of a repeatable name parameter, stripped; refuse blank, too long or too many."""
    if not values:
        return ()
    if len(values) > settings.max_terms:
        raise InvalidQueryError(parameter, list(values), f"at most {settings.max_terms} values")
    cleaned: list[str] = []
    for value in values:
        text = value.strip(BLANK)
        if not text:
            raise InvalidQueryError(parameter, value, "a non-blank name or id")
        if len(text) > settings.max_term_length:
            raise InvalidQueryError(parameter, value, f"a name or id of at most {settings.max_term_length} characters")
        cleaned.append(text)
    return tuple(dict.fromkeys(cleaned))
