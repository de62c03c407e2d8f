"""``GET|POST /sparql``: a read-only SPARQL 1.1 Protocol endpoint over the evidence graph.

Accepted requests (SPARQL 1.1 Protocol §2.1): ``GET ?query=``, ``POST``
form-encoded (``query=``), and ``POST`` with ``Content-Type:
application/sparql-query``. Results: SPARQL JSON (default), XML, CSV or TSV
for SELECT/ASK; Turtle (default) or N-Triples for CONSTRUCT/DESCRIBE, chosen
by ``Accept``.

The query itself runs in :class:`kg.sparql.service.SparqlService`, which
refuses updates, ``LOAD``, ``SERVICE`` and ``FROM`` before running anything
and runs each query in a killable worker process with a hard time limit and
a row cap. This router reads the request, waits for the answer in the
threadpool (a runaway query occupies one thread and one worker, never the
event loop) and maps the service's errors to statuses through the one error
shape: 400 malformed or forbidden, 406 unacceptable ``Accept``, 503 busy or
store not ready, 504 stopped at the time limit (nothing is returned then,
never a truncated 200). A row-capped answer is a 200 with
``X-SPARQL-Truncated: true`` and ``X-SPARQL-Row-Limit``.

The dataset is fixed: ``default-graph-uri`` / ``named-graph-uri`` and
``update`` requests are refused with 400, in the URL as in a form body, on
GET as on POST. Parameters are read from the raw bytes and decoded strictly:
percent-encoded bytes that are not UTF-8 are a 400 naming the parameter,
never silently replaced by U+FFFD. ``query`` is required (a request without
one, or with a blank one, is a 400 ``missing_query``), as the OpenAPI
document says; a GET query longer than :data:`MAX_GET_QUERY_CHARS` (the
``maxLength`` the document declares) is a 400 ``query_too_long`` that says to
POST it, as any other parameter outside its declared bounds (the 414 is for a
request target the server will not read at all, :mod:`api.middleware`). An XML result that would hold a character XML 1.0
cannot carry (a control character in the data) is never sent: the answer is
a 406 naming the formats that can carry it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.docs import error_responses
from api.errors import ApiError
from api.params import NON_BLANK
from api.sparql_provider import SparqlProvider
from kg.sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat, ensure_answerable
from kg.sparql.guard import precheck

__all__ = ["EXAMPLE_QUERY", "router"]

EXAMPLE_QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    'SELECT ?s ?label WHERE { ?s rdfs:label ?label . FILTER(CONTAINS(LCASE(STR(?label)), "pyrotinib")) } LIMIT 10'
)

#: Longest query accepted in a GET URL (characters); longer ones go in a POST body (up to the service's byte limit).
MAX_GET_QUERY_CHARS = 8192
#: Most parameters read from one URL or form body.
_MAX_FIELDS = 32

router = APIRouter(tags=["sparql"])

_SPARQL_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "SPARQL 1.1 Query Results JSON: `head`, then `results.bindings` (SELECT) or `boolean` (ASK).",
    "properties": {"head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}},
    "required": ["head"],
}
_TEXT_SCHEMA: dict[str, Any] = {"type": "string"}
_RESULT_CONTENT: dict[str, Any] = {
    fmt.value: {"schema": _SPARQL_JSON_SCHEMA if fmt.value.endswith("+json") else _TEXT_SCHEMA}
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS)
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": ("The complete answer, or the first `X-SPARQL-Row-Limit` rows when `X-SPARQL-Truncated: true`."),
        "content": _RESULT_CONTENT,
        "headers": {
            "X-SPARQL-Truncated": {
                "description": "`true` when the row cap cut the answer.",
                "schema": {"type": "string"},
            },
            "X-SPARQL-Row-Limit": {"description": "The row cap, when it applied.", "schema": {"type": "string"}},
            "X-SPARQL-Row-Count": {"description": "Rows (or triples) in the body.", "schema": {"type": "string"}},
        },
    },
    **error_responses(400, 406, 413, 415, 422, 500, 503, 504),
}
#: The documented shape of a query: some text that is not only blanks.
_QUERY_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": NON_BLANK, "example": EXAMPLE_QUERY}
_GET_PARAMETERS: dict[str, Any] = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "required": True,
            "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); send longer ones with POST.",
            "schema": {**_QUERY_SCHEMA, "maxLength": MAX_GET_QUERY_CHARS},
            "examples": {"labels": {"summary": "Entities labelled pyrotinib", "value": EXAMPLE_QUERY}},
        }
    ]
}
_FORM = "application/x-www-form-urlencoded"
_QUERY_TYPE = "application/sparql-query"
_UPDATE_TYPE = "application/sparql-update"
_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            _QUERY_TYPE: {"schema": _QUERY_SCHEMA},
            _FORM: {
                "schema": {
                    "type": "object",
                    "properties": {"query": _QUERY_SCHEMA},
                    "required": ["query"],
                }
            },
        },
    }
}
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


def _provider(request: Request) -> SparqlProvider:
    provider: SparqlProvider | None = getattr(request.app.state, "sparql", None)
    if provider is None:
        raise ApiError(404, "sparql_disabled", "the SPARQL endpoint is turned off on this server")
    return provider


def _refuse_dataset(params: dict[str, list[str]]) -> None:
    for name in _DATASET_PARAMETERS:
        if params.get(name):
            raise ApiError(
                400,
                "forbidden_query",
                f"{name} is not supported: the dataset of this endpoint is fixed (the evidence graph)",
                parameter=name,
            )


def _refuse_update(params: dict[str, list[str]]) -> None:
    if "update" in params:
        raise ApiError(
            400, "forbidden_query", "SPARQL Update is not allowed: this endpoint is read-only", parameter="update"
        )


def _parameters(raw: bytes, what: str) -> dict[str, list[str]]:
    """Name → values of a URL query string or form body, percent-decoded and then decoded as strict UTF-8.

    Starlette (like ``urllib.parse.parse_qs``) replaces bytes that are not
    UTF-8 with U+FFFD, which would run a query nobody sent; here they are a
    400 that names the parameter and the byte.
    """
    try:  # Latin-1 maps bytes to characters one to one, so the percent-decoded bytes come back exactly
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, max_num_fields=_MAX_FIELDS, encoding="latin-1")
    except ValueError as error:
        raise ApiError(400, "bad_request", f"malformed {what}: {error}") from None
    params: dict[str, list[str]] = {}
    for name_latin, value_latin in pairs:
        name_bytes, value_bytes = name_latin.encode("latin-1"), value_latin.encode("latin-1")
        name = name_bytes.decode("utf-8", errors="replace")  # for the message, should the name itself be bad
        try:
            name = name_bytes.decode("utf-8")
            value = value_bytes.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                400,
                "bad_request",
                f"parameter {name!r} of the {what} is not UTF-8 once percent-decoded "
                f"(byte {error.start}: 0x{error.object[error.start]:02x}); percent-encode the UTF-8 bytes of the text",
                parameter=name,
            ) from None
        params.setdefault(name, []).append(value)
    return params


def _one_query(params: dict[str, list[str]]) -> str | None:
    _refuse_update(params)
    _refuse_dataset(params)
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ApiError(400, "bad_request", "give exactly one 'query' parameter", parameter="query")
    return queries[0] if queries else None


_NON_BLANK = re.compile(NON_BLANK)
#: What XML 1.0 cannot carry, as UTF-8 bytes: C0 controls but tab, LF and CR; U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def _never_malformed_xml(media_type: str, body: bytes) -> None:
    """Refuse to send SPARQL XML results that no XML parser would read (a control character in the data).

    The loaders refuse such characters (:mod:`kg.curation.datafiles`), so
    this is defence in depth for graphs built in code. XML 1.0 cannot carry
    them even as character references, and altering the text would send a
    value that is not in the data, so the answer is a 406 naming the
    formats that carry the text exactly.
    """
    if media_type.startswith(ResultFormat.XML.value) and _XML_FORBIDDEN.search(body) is not None:
        others = [fmt.value for fmt in SOLUTION_FORMATS if fmt is not ResultFormat.XML]
        raise ApiError(
            406,
            "not_acceptable",
            "the answer holds a character XML 1.0 cannot carry (a control character in the data), so it cannot "
            f"be sent as {ResultFormat.XML.value}; ask for {', '.join(others)}",
            supported=others,
        )


async def _answer(request: Request, query: str | None) -> Response:
    if query is None or _NON_BLANK.search(query) is None:
        raise ApiError(400, "missing_query", "give a SPARQL query in the 'query' parameter", parameter="query")
    provider = _provider(request)
    accept = request.headers.get("accept")
    # Cheap checks first, in this process: a forbidden or oversized query, or an
    # impossible Accept, is refused even while the store is still being built.
    precheck(query, max_bytes=provider.settings.sparql_max_query_bytes)
    ensure_answerable(accept)
    service = await provider.service()
    result = await run_in_threadpool(service.query, query, accept)
    _never_malformed_xml(result.media_type, result.body)
    return Response(content=result.body, headers=result.headers())


@router.get(
    "/sparql",
    responses=_RESPONSES,
    response_class=Response,
    summary="SPARQL query (GET)",
    description=__doc__,
    openapi_extra=_GET_PARAMETERS,
)
async def sparql_get(request: Request) -> Response:
    """Run the query given in the URL (read here, strictly, rather than by FastAPI: see :func:`_parameters`)."""
    query = _one_query(_parameters(request.scope.get("query_string", b""), "URL"))
    if query is not None and len(query) > MAX_GET_QUERY_CHARS:
        raise ApiError(
            400,
            "query_too_long",
            f"the query is {len(query)} characters; a GET query may have {MAX_GET_QUERY_CHARS}: send it with POST",
            parameter="query",
        )
    return await _answer(request, query)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", f"the request body is {declared} bytes; at most {limit} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"the request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, "bad_request", f"the {what} is not valid UTF-8 (byte {error.start})") from None


@router.post(
    "/sparql",
    responses=_RESPONSES,
    response_class=Response,
    summary="SPARQL query (POST: form-encoded or application/sparql-query)",
    description=__doc__,
    openapi_extra=_POST_BODY,
)
async def sparql_post(request: Request) -> Response:
    """Run the query given in the request body."""
    provider = _provider(request)
    in_url = _parameters(request.scope.get("query_string", b""), "URL")
    _refuse_update(in_url)
    _refuse_dataset(in_url)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    # Form encoding can triple the size of the query text.
    limit = provider.settings.sparql_max_query_bytes * 3 + 1024
    if content_type == _QUERY_TYPE:
        return await _answer(request, _decode(await _read_body(request, limit), "query"))
    if content_type == _FORM:
        form = _parameters(await _read_body(request, limit), "form body")
        return await _answer(request, _one_query(form))
    if content_type == _UPDATE_TYPE:
        raise ApiError(400, "forbidden_query", "SPARQL Update is not allowed: this endpoint is read-only")
    raise ApiError(
        415,
        "unsupported_media_type",
        f"cannot read a {content_type or 'body without Content-Type'}; send {_QUERY_TYPE} or {_FORM} (query=...)",
    )
