"""Pure ASGI middleware: a guard against oversized query strings, and the security headers of every response.

Every parameter has its own length bound, but a URL with thousands of
repeated parameters would still be parsed in full before any of them is
checked. :class:`QueryStringLimit` refuses such requests with 414 before
routing, in the one error shape.

:class:`SecurityHeaders` gives every response, whoever made it (a router,
an error handler, a 404 page, the docs, the static files, Starlette's own
500), the same protective headers: ``X-Content-Type-Options: nosniff``, a
Content-Security-Policy (a strict ``default-src 'none'`` unless the page set
its own: the graph view and the docs pages allow exactly what they load; an
HTML page without one, such as an error page, may use its inline styles),
``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY`` and
``Cross-Origin-Opener-Policy``. :func:`with_security_headers` installs it
*outside* Starlette's ``ServerErrorMiddleware``, which user middleware
cannot otherwise wrap. Both are raw ASGI (not ``BaseHTTPMiddleware``), so
they cost a comparison or a few list appends per request.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

__all__ = [
    "DEFAULT_CSP",
    "HTML_CSP",
    "SECURITY_HEADERS",
    "QueryStringLimit",
    "SecurityHeaders",
    "with_security_headers",
]

#: The policy of responses that bring none: load nothing, be framed nowhere (JSON errors, files).
DEFAULT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
#: The policy of an HTML page that brings none (an error page): its own inline styles and data: images, no script.
HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_CSP = b"content-security-policy"
_HTML_CSP = HTML_CSP.encode()
#: Sent with every response; a header the response already has is left as it is.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (_CSP, DEFAULT_CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


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


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower(): value for name, value in headers}
                html = present.get(b"content-type", b"").startswith(b"text/html")
                for name, value in SECURITY_HEADERS:
                    if name not in present:
                        headers.append((name, _HTML_CSP if html and name == _CSP else value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(app: FastAPI) -> FastAPI:
    """Make :class:`SecurityHeaders` the outermost layer of ``app``, around even its ``ServerErrorMiddleware``.

    Starlette builds its middleware stack on the first request with
    ``ServerErrorMiddleware`` outermost, so a 500 it answers would pass by
    any middleware added with ``add_middleware``; wrapping the built stack
    puts the headers on that answer too.
    """
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
    return app
