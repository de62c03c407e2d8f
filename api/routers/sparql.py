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
``update`` requests are refused with 400.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.docs import error_responses
from api.errors import ApiError
from api.sparql_provider import SparqlProvider
from kg.sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, ensure_answerable
from kg.sparql.guard import precheck

__all__ = ["EXAMPLE_QUERY", "router"]

EXAMPLE_QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    'SELECT ?s ?label WHERE { ?s rdfs:label ?label . FILTER(CONTAINS(LCASE(STR(?label)), "pyrotinib")) } LIMIT 10'
)

#: Longest query accepted in a GET URL (characters); longer ones go in a POST body (up to the service's byte limit).
MAX_GET_QUERY_CHARS = 8192

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
_FORM = "application/x-www-form-urlencoded"
_QUERY_TYPE = "application/sparql-query"
_UPDATE_TYPE = "application/sparql-update"
_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            _QUERY_TYPE: {"schema": {"type": "string", "example": EXAMPLE_QUERY}},
            _FORM: {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string", "example": EXAMPLE_QUERY}},
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


def _refuse_dataset(params: dict[str, list[str]] | Any) -> None:
    for name in _DATASET_PARAMETERS:
        if params.get(name):
            raise ApiError(
                400,
                "forbidden_query",
                f"{name} is not supported: the dataset of this endpoint is fixed (the evidence graph)",
                parameter=name,
            )


async def _answer(request: Request, query: str | None) -> Response:
    if query is None or not query.strip():
        raise ApiError(400, "missing_query", "give a SPARQL query in the 'query' parameter", parameter="query")
    provider = _provider(request)
    accept = request.headers.get("accept")
    # Cheap checks first, in this process: a forbidden or oversized query, or an
    # impossible Accept, is refused even while the store is still being built.
    precheck(query, max_bytes=provider.settings.sparql_max_query_bytes)
    ensure_answerable(accept)
    service = await provider.service()
    result = await run_in_threadpool(service.query, query, accept)
    return Response(content=result.body, headers=result.headers())


@router.get(
    "/sparql",
    responses=_RESPONSES,
    response_class=Response,
    summary="SPARQL query (GET)",
    description=__doc__,
)
async def sparql_get(
    request: Request,
    query: Annotated[
        str | None,
        Query(
            max_length=MAX_GET_QUERY_CHARS,
            description="A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); send longer ones with POST.",
            openapi_examples={"labels": {"summary": "Entities labelled pyrotinib", "value": EXAMPLE_QUERY}},
        ),
    ] = None,
) -> Response:
    """Run the query given in the URL."""
    _refuse_dataset(request.query_params)
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
    _refuse_dataset(request.query_params)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    # Form encoding can triple the size of the query text.
    limit = provider.settings.sparql_max_query_bytes * 3 + 1024
    if content_type == _QUERY_TYPE:
        return await _answer(request, _decode(await _read_body(request, limit), "query"))
    if content_type == _FORM:
        text = _decode(await _read_body(request, limit), "form body")
        try:
            form = parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=32)
        except ValueError as error:
            raise ApiError(400, "bad_request", f"malformed form body: {error}") from None
        if "update" in form:
            raise ApiError(
                400, "forbidden_query", "SPARQL Update is not allowed: this endpoint is read-only", parameter="update"
            )
        _refuse_dataset(form)
        queries = form.get("query", [])
        if len(queries) > 1:
            raise ApiError(400, "bad_request", "give exactly one 'query' parameter", parameter="query")
        return await _answer(request, queries[0] if queries else None)
    if content_type == _UPDATE_TYPE:
        raise ApiError(400, "forbidden_query", "SPARQL Update is not allowed: this endpoint is read-only")
    raise ApiError(
        415,
        "unsupported_media_type",
        f"cannot read a {content_type or 'body without Content-Type'}; send {_QUERY_TYPE} or {_FORM} (query=...)",
    )
