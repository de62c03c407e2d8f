"""The OpenAPI document, corrected to describe what the app really answers.

FastAPI documents every 422 with its own ``HTTPValidationError`` body, but
:mod:`api.errors` answers validation failures in the one error shape. Routers
written in this package declare their 422 explicitly; for any other router
(the graph view) this rewrites the generated default, so no endpoint
documents a body it never sends. The 414 of :mod:`api.middleware` applies to
every path, and the 503 of a graph still loading (:mod:`api.graph_source`) to
every path but the ping; both are documented on every operation they apply to.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.docs import ErrorBody, error_responses

__all__ = ["install_openapi"]

_DEFAULT_422 = "#/components/schemas/HTTPValidationError"
_ERROR_REF = "#/components/schemas/ErrorBody"
_NEVER_WAITS = frozenset({"/health/ping"})


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the error shape for every 422."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        too_long = {
            "description": error_responses(414)[414]["description"],
            "content": {"application/json": {"schema": {"$ref": _ERROR_REF}}},
        }
        loading = {
            "description": "The knowledge graph is still loading in the background (or failed to load); retry.",
            "content": {"application/json": {"schema": {"$ref": _ERROR_REF}}},
        }
        for path, operations in spec.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("414", too_long)  # api.middleware, for every path
                if path not in _NEVER_WAITS:
                    responses.setdefault("503", loading)  # api.graph_source, before the graph is loaded
                answer = operation.get("responses", {}).get("422")
                schema = (answer or {}).get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") == _DEFAULT_422:
                    description = error_responses(422)[422]["description"]
                    operation["responses"]["422"] = {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": _ERROR_REF}}},
                    }
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorBody" not in components:
            schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components["ErrorBody"] = schema
        text = str(spec["paths"])
        for name in ("HTTPValidationError", "ValidationError"):
            if f"/{name}'" not in text and name in components:
                del components[name]
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
