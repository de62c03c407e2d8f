"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) served from files installed with the app: offline, with a CSP.

FastAPI's own pages load Swagger UI, ReDoc and Google fonts from CDNs, so
offline they are blank. The JavaScript and CSS here come from the
``fastapi-offline`` package (PyPI), which ships Swagger UI 5 (Apache-2.0)
and ReDoc 2 (MIT) as plain files: a well-kept package instead of vendoring
two megabytes of minified JavaScript into this repository. Only those
files are used (served under ``/docs/assets/``), not its app factory: the
pages are our own, so that

* nothing is loaded from anywhere but this server: no CDN, no remote font,
  no Swagger validator badge (``validatorUrl: null``);
* there is no inline script: each page starts its viewer from a small file
  of ours (``api/static/*-init.js``) and tells it where the OpenAPI document
  is through a ``data-`` attribute, so the CSP says ``script-src 'self'``;
* every page carries a Content-Security-Policy that allows exactly that.
  Both viewers set element styles (``style-src 'unsafe-inline'``), and ReDoc
  runs its search index in a worker built from a ``blob:`` URL
  (``worker-src blob:``).

ReDoc's sidebar shows its maker's logo from Redocly's own server; the CSP
would block it (with a console error), so ``redoc.standalone.js`` is served
with that one remote URL replaced by an empty inline SVG
(:func:`_redoc_script`).
"""

from __future__ import annotations

import functools
import html
import re
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

__all__ = ["ASSETS_URL", "DOCS_CSP", "install_docs"]

#: Where the viewers' files are served.
ASSETS_URL = "/docs/assets"
#: What the docs pages may load: this server's scripts, styles, images and API, nothing else.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

_VENDOR = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
_OURS = ("swagger-init.js", "redoc-init.js")

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""


def _assets() -> StaticFiles:
    """The viewers' files (fastapi-offline's ``static/``) and our start-up scripts (``api/static/``), one prefix."""
    ours = Path(str(resources.files("api") / "static"))
    files = StaticFiles(directory=ours, packages=[("fastapi_offline", "static")])
    missing = [
        name for name in (*_VENDOR, *_OURS) if not any((d / name).is_file() for d in map(Path, files.all_directories))
    ]
    if missing:
        raise RuntimeError(f"the API docs assets are not installed: {', '.join(missing)}")
    return files


#: The one remote URL ReDoc's bundle loads by itself (the "API docs by Redocly" logo, on whatever host), and what
#: replaces it.
_REDOC_REMOTE_LOGO = re.compile(rb'"https?://[^"/]+/redoc/logo-mini\.svg"')
_EMPTY_SVG = b'"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"'


@functools.cache
def _redoc_script() -> bytes:
    """fastapi-offline's ``redoc.standalone.js`` with its remote logo replaced by an empty inline image."""
    import fastapi_offline

    path = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
    return _REDOC_REMOTE_LOGO.sub(_EMPTY_SVG, path.read_bytes())


def _page(title: str, head: str, body: str, assets: str) -> HTMLResponse:
    text = _PAGE.format(title=html.escape(title), head=head, body=body, assets=assets)
    return HTMLResponse(text, headers={"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"})


def install_docs(app: FastAPI, *, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve Swagger UI at ``docs_url`` and ReDoc at ``redoc_url`` for ``app.openapi_url``, offline."""
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_script() -> Response:
        return Response(_redoc_script(), media_type="text/javascript", headers={"Cache-Control": "max-age=3600"})

    app.mount(ASSETS_URL, _assets(), name="docs-assets")  # after the route above, which it would shadow

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = html.escape(request.scope.get("root_path", ""), quote=True)
        assets = f"{root}{ASSETS_URL}"
        head = f'<link rel="stylesheet" href="{assets}/swagger-ui.css">'
        body = (
            f'<div id="swagger-ui" data-openapi-url="{root}{html.escape(openapi_url, quote=True)}"></div>\n'
            f'<script src="{assets}/swagger-ui-bundle.js"></script>\n'
            f'<script src="{assets}/swagger-init.js"></script>'
        )
        return _page(f"{app.title} – API docs (Swagger UI)", head, body, assets)

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = html.escape(request.scope.get("root_path", ""), quote=True)
        assets = f"{root}{ASSETS_URL}"
        body = (
            f'<div id="redoc" data-openapi-url="{root}{html.escape(openapi_url, quote=True)}"></div>\n'
            f'<script src="{assets}/redoc.standalone.js"></script>\n'
            f'<script src="{assets}/redoc-init.js"></script>'
        )
        return _page(f"{app.title} – API reference (ReDoc)", "", body, assets)
