"""One JSON error shape for every failure, and the handlers that produce it.

Every non-2xx answer of the API has the body::

    {"error": {"code": "unknown_entity",
               "message": "unknown therapy 'pyrotinb'; did you mean: pyrotinib?",
               "parameter": "therapy",                 # when one parameter is at fault
               "suggestions": [{"id": ..., "label": ..., "type": ...}],  # for unknown names
               ...}}                                   # a few code-specific fields

so a client needs one error path, and a researcher reading the message
learns what to change. The mapping is:

* :class:`kg.core.errors.UnknownEntityError` → 404 ``unknown_entity`` with "did you mean" suggestions;
* :class:`kg.core.errors.InvalidQueryError` and FastAPI's ``RequestValidationError`` → 422
  ``invalid_parameter`` naming the parameter;
* :class:`kg.sparql.errors.SparqlError` → its own status (400 forbidden or malformed query,
  406 unacceptable format, 503 busy, 504 stopped at the time limit);
* Starlette's ``HTTPException`` (unknown route, wrong method) → its status;
* :class:`kg.core.errors.ExportError` → a logged 500 ``export_failed`` naming the record and field;
* :class:`ApiError` → whatever the router chose;
* anything else → a logged 500 with a clean body (the tests make sure no input reaches it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.params import NON_BLANK
from api.responses import json_response
from kg.core.errors import ExportError, InvalidQueryError, UnknownEntityError
from kg.sparql.errors import SparqlError

__all__ = ["ApiError", "error_body", "error_response", "install_error_handlers", "suggestion_refs"]

logger = logging.getLogger("api")

#: Parameter names of the evidence question, as UnknownEntityError's ``kind`` carries them.
_QUERY_PARAMETERS = frozenset({"therapy", "alteration", "gene", "disease", "molecular_profile"})


class ApiError(Exception):
    """An error a router raises on purpose, with its HTTP status and the fields of the error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        parameter: str | None = None,
        suggestions: Sequence[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.suggestions = list(suggestions) if suggestions is not None else None
        self.headers = headers
        self.extra = extra


def error_body(
    code: str,
    message: str,
    *,
    parameter: str | None = None,
    suggestions: Sequence[dict[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The error body: ``{"error": {"code", "message", "parameter"?, "suggestions"?, ...}}``."""
    error: dict[str, Any] = {"code": code, "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    if suggestions is not None:
        error["suggestions"] = list(suggestions)
    error.update({key: value for key, value in extra.items() if value is not None})
    return {"error": error}


def error_response(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **fields: Any
) -> Response:
    """An error body as a JSON response."""
    return json_response(error_body(code, message, **fields), status_code=status, headers=headers)


def suggestion_refs(request: Request, labels: Sequence[str]) -> list[dict[str, str]]:
    """Turn suggested labels into ``{"id", "label", "type"}`` so a client can follow them."""
    kg = getattr(request.app.state, "kg", None)
    return kg.resolver.references(labels) if kg is not None else []


# -- handlers -----------------------------------------------------------------------


async def _api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status,
        exc.code,
        exc.message,
        headers=exc.headers,
        parameter=exc.parameter,
        suggestions=exc.suggestions,
        **exc.extra,
    )


async def _unknown_entity(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownEntityError)
    parameter = exc.kind if exc.kind in _QUERY_PARAMETERS else None
    return error_response(
        404,
        "unknown_entity",
        str(exc),
        parameter=parameter,
        suggestions=suggestion_refs(request, exc.suggestions),
        value=exc.value,
    )


async def _invalid_query(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidQueryError)
    return error_response(422, "invalid_parameter", str(exc), parameter=exc.parameter, expected=exc.expected)


def _parameter_of(location: Sequence[Any]) -> str:
    """``("query", "limit")`` → ``"limit"``; ``("query", "therapy", 3)`` → ``"therapy"``."""
    names = [str(part) for part in location[1:] if isinstance(part, str)] or [str(part) for part in location]
    return names[0] if names else "request"


def _short(value: Any, limit: int = 80) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Patterns of the API's parameters, said in words (pydantic's message would show the regex).
_PATTERN_WORDS = {NON_BLANK: "should contain something other than spaces, tabs and line breaks"}


def _validation_message(error: dict[str, Any]) -> str:
    if error.get("type") == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(str((error.get("ctx") or {}).get("pattern")))
        if words:
            return words
    return str(error.get("msg", "invalid value"))


async def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        location = tuple(error.get("loc", ()))
        parameter = _parameter_of(location)
        problem: dict[str, Any] = {
            "parameter": parameter,
            "in": str(location[0]) if location else "query",
            "message": _validation_message(error),
        }
        if "input" in error and error.get("type") != "missing":
            problem["input"] = _short(error["input"])
        problems.append(problem)
    if not problems:
        problems.append({"parameter": "request", "in": "query", "message": "invalid request"})
    first = problems[0]
    got = f"; got {first['input']!r}" if "input" in first else ""
    message = f"parameter {first['parameter']!r}: {first['message']}{got}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s), see 'errors')"
    return error_response(422, "invalid_parameter", message, parameter=first["parameter"], errors=problems)


_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
}


def _method_table(app: Any) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Path template → methods, from the app's OpenAPI document (built once per app)."""
    table = getattr(app.state, "_api_method_table", None)
    if table is None:
        by_pattern: list[tuple[re.Pattern[str], frozenset[str]]] = []
        for template, operations in app.openapi().get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            methods = {method.upper() for method in operations}
            if "GET" in methods:
                methods.add("HEAD")
            by_pattern.append((pattern, frozenset(methods)))
        table = by_pattern
        app.state._api_method_table = table
    return table


def _allowed_methods(request: Request) -> str | None:
    """Every method the API documents at this path (FastAPI names only one route's methods)."""
    methods: set[str] = set()
    for pattern, allowed in _method_table(request.app):
        if pattern.match(request.url.path):
            methods |= allowed
    return ", ".join(sorted(methods)) or None


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 405:
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = allowed
    if status in (204, 304) or status < 200:
        return Response(status_code=status, headers=headers)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    code = _CODES.get(status, phrase.lower().replace(" ", "_").replace("-", "_"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    message = detail or {
        404: "no such resource; see /docs for the endpoints of this API",
        405: "method not allowed on this resource",
    }.get(status, phrase)
    return error_response(status, code, message, headers=headers or None)


async def _sparql_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SparqlError)
    status = exc.http_status
    fields = {key: value for key, value in exc.fields().items() if key not in {"code", "message", "parameter"}}
    headers = {"Retry-After": "5"} if status == 503 else None
    if status >= 500 and status not in (503, 504):
        logger.error("SPARQL service failure: %s", exc)
    return error_response(status, exc.code, exc.message, headers=headers, **fields)


async def _export_failed(_request: Request, exc: Exception) -> Response:
    logger.error("export failed: %s", exc)
    return error_response(500, "export_failed", f"the export could not be produced: {exc}")


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "the server failed to answer this request; the error was logged")


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler above on ``app``."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(UnknownEntityError, _unknown_entity)
    app.add_exception_handler(InvalidQueryError, _invalid_query)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(SparqlError, _sparql_error)
    app.add_exception_handler(ExportError, _export_failed)
    app.add_exception_handler(Exception, _unexpected)
