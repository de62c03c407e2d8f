"""Query parameters shared by several routers, with their static bounds and runtime checks.

The OpenAPI document carries static bounds (the engine's own, the largest
any deployment allows: :mod:`kg.query.engine`), so a client and
schemathesis see them; :class:`~api.settings.ApiSettings` may tighten them
per app. An evidence question keeps them by being built with
:func:`query_limits` (its one check is :class:`~kg.query.evidence_query.EvidenceQuery`'s);
other pages use :func:`check_page`. Both answer a 422 that names the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import StringConstraints

from api.settings import DEFAULT_LIMIT, ApiSettings
from kg.core.errors import InvalidQueryError
from kg.core.text import BLANK
from kg.query.evidence_query import MAX_LIMIT, MAX_OFFSET, MAX_TERM_LENGTH, MAX_TERMS, QueryLimits

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
    "query_limits",
]

#: Documented pattern of a name or question: some character that is not :data:`kg.core.text.BLANK`.
NON_BLANK = "[^" + BLANK.encode("unicode_escape").decode("ascii") + "]"

#: One name or id in a parameter: bounded, with at least one non-blank character.
Term = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TERM_LENGTH, pattern=NON_BLANK)]

Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Results to skip (offset pagination): 0 is the first page.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).")]


def check_page(settings: ApiSettings, offset: int, limit: int, max_limit: int) -> None:
    """Refuse a page of a list (sources) beyond this app's limits (which may be tighter than the documented ones)."""
    if limit > max_limit:
        raise InvalidQueryError("limit", limit, f"an integer from 1 to {max_limit}")
    if offset > settings.max_offset:
        raise InvalidQueryError("offset", offset, f"an integer from 0 to {settings.max_offset}")


def query_limits(settings: ApiSettings) -> QueryLimits:
    """The bounds an evidence question must keep in this app (:attr:`ApiSettings.query_limits`, made once)."""
    return settings.query_limits
