"""A pure ASGI guard against oversized query strings.

Every parameter has its own length bound, but a URL with thousands of
repeated parameters would still be parsed in full before any of them is
checked. This refuses such requests with 414 before routing, in the one
error shape. It is written as raw ASGI (not ``BaseHTTPMiddleware``) so it
costs a length comparison per request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

__all__ = ["QueryStringLimit"]


class QueryStringLimit:
    """Answer 414 to HTTP requests whose raw query string exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope.get("query_string", b"")) > self.max_bytes:
            response = error_response(
                414,
                "uri_too_long",
                f"the query string is {len(scope['query_string'])} bytes; at most {self.max_bytes} are accepted "
                "(send long SPARQL queries with POST)",
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
