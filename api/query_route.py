"""Routes whose query string is read in one pass into validated values, by the endpoint's own declarations.

An endpoint declares its parameters once, as FastAPI parameters
(``limit: Annotated[int, Query(ge=1, le=500, description=...)]``): the
OpenAPI document shows them as always. FastAPI's own request path then reads
and validates each parameter separately on every request (for /evidence's
16 parameters, a third of an uncached answer's time). A
:class:`QueryRoute` compiles the same declarations, once, into a
:class:`QueryReader`: one ``parse_qsl`` of ``scope["query_string"]`` (as
Starlette reads it), one grouping (a list parameter takes every value, any
other the last one, as FastAPI does), and one pydantic validation of all the
present values at once (a ``TypedDict`` of the declared types and
constraints, validated in Rust). Absent parameters take their declared
defaults; an absent required one, or any invalid value, raises FastAPI's
``RequestValidationError`` with the errors FastAPI would report (same type,
location, message and input, in declaration order), so the 422 answer
(:mod:`api.errors`) is unchanged, byte for byte (``tests/test_fast_path.py``
compares the two paths on many query strings).

A new parameter is a new declaration in the endpoint's signature and nothing
else. Dependencies are supported when they take only the request (the
graph, the settings: :mod:`api.deps`); a route that declares anything else
(path, header, cookie or body parameters, other dependencies, a synchronous
endpoint) keeps FastAPI's own request handling, unchanged.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, NotRequired
from urllib.parse import unquote

from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

__all__ = ["Handler", "QueryReader", "QueryRoute", "query_values"]

#: Where a :class:`QueryRoute` leaves the query string's values, by name, in the request's scope.
_SCOPE_KEY = "evidence_kg.query_values"

Endpoint = Callable[..., Coroutine[Any, Any, Response]]
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True)
class _Parameter:
    name: str
    many: bool  # a list parameter: every value, else the last one
    required: bool
    default: Any


def _is_list(annotation: Any) -> bool:
    """Whether FastAPI reads every value of the parameter (a list, tuple, set or sequence type)."""
    options = [arg for arg in typing.get_args(annotation) if arg is not type(None)] if _is_union(annotation) else None
    if options is not None:
        return len(options) == 1 and _is_list(options[0])
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, (list, tuple, set, frozenset))


def _is_union(annotation: Any) -> bool:
    import types

    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


class QueryReader:
    """The query parameters of one endpoint, compiled: read a query string into validated keyword arguments."""

    def __init__(self, dependant: Dependant) -> None:
        self.parameters: list[_Parameter] = []
        fields: dict[str, Any] = {}
        for model_field in dependant.query_params:
            info = model_field.field_info
            if model_field.alias != model_field.name:
                raise TypeError(f"{model_field.name}: a query parameter with an alias is not supported")
            many = _is_list(info.annotation)
            required = info.is_required()
            default = None if required else info.get_default(call_default_factory=True)
            self.parameters.append(_Parameter(model_field.name, many, required, default))
            declared = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            fields[model_field.name] = NotRequired[declared]
        make: Any = TypedDict  # the functional form, with keys known only at run time
        self._order = {parameter.name: number for number, parameter in enumerate(self.parameters)}
        self._adapter: TypeAdapter[dict[str, Any]] = TypeAdapter(make("QueryParameters", fields))

    def read(self, query_string: bytes, given: dict[str, list[str]] | None = None) -> dict[str, Any]:
        """The validated value of every declared parameter (defaults for the absent ones).

        ``given`` receives every value of the query string by name, as read.
        Raises ``RequestValidationError`` with FastAPI's errors for a missing
        required parameter or an invalid value.
        """
        given = {} if given is None else given
        for name, value in _pairs(query_string):
            found = given.get(name)
            if found is None:
                given[name] = [value]
            else:
                found.append(value)
        present: dict[str, Any] = {}
        values: dict[str, Any] = {}
        missing: list[dict[str, Any]] = []
        for parameter in self.parameters:
            found = given.get(parameter.name)
            if found is not None:
                present[parameter.name] = found if parameter.many else found[-1]
            elif parameter.required:
                missing.append(
                    {"type": "missing", "loc": ("query", parameter.name), "msg": "Field required", "input": None}
                )
            else:
                values[parameter.name] = parameter.default
        try:
            values.update(self._adapter.validate_python(present))
        except ValidationError as error:
            problems = [{**problem, "loc": ("query", *problem["loc"])} for problem in error.errors(include_url=False)]
            missing.extend(problems)
        if missing:
            missing.sort(key=lambda problem: self._order[str(problem["loc"][1])])  # stable: FastAPI's order
            raise RequestValidationError(missing)
        return values


def _pairs(query_string: bytes) -> list[tuple[str, str]]:
    """``parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)``, as Starlette reads a query string.

    The same steps as the standard library's (split on ``&``, skip empty
    parts, split each on its first ``=``, ``+`` is a space, percent-escapes
    are UTF-8 with replacement) without its generic argument handling; the
    tests compare the two on generated query strings.
    """
    pairs: list[tuple[str, str]] = []
    text = query_string.decode("latin-1")
    if not text:
        return pairs
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "+" in name:
            name = name.replace("+", " ")
        if "%" in name:
            name = unquote(name)
        if "+" in value:
            value = value.replace("+", " ")
        if "%" in value:
            value = unquote(value)
        pairs.append((name, value))
    return pairs


def query_values(request: Request, name: str) -> list[str]:
    """Every value of the query parameter ``name`` (as Starlette's ``query_params.getlist``), read once per request."""
    given: dict[str, list[str]] | None = request.scope.get(_SCOPE_KEY)
    if given is None:
        return request.query_params.getlist(name)
    return list(given.get(name, ()))


def _request_only(dependant: Dependant) -> bool:
    """Whether a dependency is an ``async def`` taking the request and nothing else (no parameters of its own)."""
    return (
        dependant.call is not None
        and inspect.iscoroutinefunction(dependant.call)
        and not (
            dependant.path_params
            or dependant.query_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
            or dependant.dependencies
            or dependant.websocket_param_name
            or dependant.http_connection_param_name
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or dependant.security_scopes_param_name
        )
        and dependant.request_param_name is not None
    )


def _supported(dependant: Dependant) -> bool:
    return (
        inspect.iscoroutinefunction(dependant.call)
        and not (
            dependant.path_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
            or dependant.websocket_param_name
            or dependant.http_connection_param_name
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or dependant.security_scopes_param_name
        )
        and all(dependency.name is not None and _request_only(dependency) for dependency in dependant.dependencies)
    )


class QueryRoute(APIRoute):
    """An ``APIRoute`` that reads its query string with a :class:`QueryReader` (see the module docstring).

    The endpoint must return a ``Response`` (ours send pre-serialized bytes).
    """

    def get_route_handler(self) -> Handler:
        dependant = self.dependant
        if not _supported(dependant):
            return super().get_route_handler()
        reader = QueryReader(dependant)
        endpoint: Endpoint = self.endpoint
        request_name = dependant.request_param_name
        dependencies = [
            (str(dependency.name), dependency.call, str(dependency.request_param_name))
            for dependency in dependant.dependencies
        ]

        async def handler(request: Request) -> Response:
            arguments: dict[str, Any] = {}
            for name, call, parameter in dependencies:  # as FastAPI: the dependencies first, then the parameters
                arguments[name] = await call(**{parameter: request})  # type: ignore[misc]
            given: dict[str, list[str]] = {}
            request.scope[_SCOPE_KEY] = given
            arguments.update(reader.read(request.scope["query_string"], given))
            if request_name is not None:
                arguments[request_name] = request
            response = await endpoint(**arguments)
            if not isinstance(response, Response):
                raise TypeError(f"{self.path}: a QueryRoute endpoint must return a Response, not {type(response)}")
            return response

        return handler
