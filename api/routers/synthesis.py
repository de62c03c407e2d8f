"""``GET /synthesis`` and ``/synthesis/view``: every reported outcome of the evidence for one question, side by side.

The question is asked exactly as ``/evidence`` asks it (the same names,
filters and page, read by the same declarations: :func:`question_parameters`
takes them from :func:`api.routers.evidence.get_evidence`'s own signature,
so a filter added there is a filter here) or, with ``q=``, in free text read
as ``/ask`` reads it (:func:`kg.query.ask.read_and_find`). Only ``limit`` has
its own default here (100: a synthesis compares the numbers of every item
it can). The answer is :func:`kg.query.synthesis.synthesis_payload`'s:
rows by measure, tallies per tier, conflicts.

``/synthesis`` answers JSON, or CSV with ``format=csv`` or ``Accept:
text/csv`` (:mod:`kg.query.synthesis_csv`: it reads back into the JSON rows),
or a citable bundle with ``bundle=true``. ``/synthesis/view`` is the offline
HTML page (:mod:`kg.view.synthesis_page`: forest plots drawn by the vendored
Vega-Lite under a strict CSP, the table, conflicts and quotes); its
scripts and stylesheet are served from ``/synthesis/assets``.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.bundles import Bundled, bundle_bytes
from api.deps import KG, Settings
from api.docs import HEADLINE_QUESTION, error_responses, example
from api.errors import ApiError
from api.negotiation import negotiate_media_type
from api.params import NON_BLANK, query_limits
from api.responses import JSON_MEDIA_TYPE, dump
from api.routers.evidence import INLINE_LIMIT, get_evidence
from kg.core.errors import InvalidQueryError, UnknownEntityError
from kg.query.ask import MAX_QUESTION_LENGTH, read_and_find
from kg.query.bundle import Bundle, ask_question, query_question
from kg.query.evidence_query import MAX_LIMIT, EvidenceQuery
from kg.query.synthesis import SynthesisPayload, synthesis_payload, synthesis_rows, synthesize
from kg.query.synthesis_csv import CSV_MEDIA_TYPE, synthesis_csv
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.view.page import error_page
from kg.view.synthesis_assets import SYNTHESIS_ASSETS, synthesis_asset
from kg.view.synthesis_page import SYNTHESIS_CSP, render_synthesis_page

__all__ = ["DEFAULT_SYNTHESIS_LIMIT", "SynthesisQuestion", "question_parameters", "router"]

router = APIRouter(tags=["synthesis"])

#: Items synthesised when no limit is given.
DEFAULT_SYNTHESIS_LIMIT = 100
#: /evidence parameters that are not part of the question (or that /synthesis declares itself).
_NOT_QUESTION = frozenset({"request", "kg", "settings", "summary", "bundle", "limit"})
_FIELDS = {field.name for field in fields(EvidenceQuery)}


def question_parameters() -> list[inspect.Parameter]:
    """/evidence's question parameters (names, filters, include_related, offset), with their own declarations."""
    hints = typing.get_type_hints(get_evidence, include_extras=True)
    found = []
    for parameter in inspect.signature(get_evidence).parameters.values():
        if parameter.name in _NOT_QUESTION:
            continue
        if parameter.name not in _FIELDS:  # a parameter of /evidence that is not a field of the question
            raise TypeError(f"/evidence parameter {parameter.name!r} is not a field of EvidenceQuery")
        found.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[parameter.name]))
    return found


@dataclass(frozen=True)
class SynthesisQuestion:
    """A question of /synthesis: structured (``query``) or free text (``q``, read with the page fields)."""

    query: EvidenceQuery | None
    q: str | None
    offset: int
    limit: int
    include_related: bool

    def bundle_question(self) -> dict[str, Any]:
        if self.q is not None:
            return ask_question(self.q, offset=self.offset, limit=self.limit, include_related=self.include_related)
        assert self.query is not None
        return query_question(self.query)


_Q = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_QUESTION_LENGTH,
        pattern=NON_BLANK,
        description="A free-text question, read as /ask reads it (instead of the structured parameters).",
        openapi_examples=example("The headline question", HEADLINE_QUESTION),
    ),
]
_Limit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description=f"Evidence items synthesised, in rank order, 1 to {MAX_LIMIT} (default {DEFAULT_SYNTHESIS_LIMIT}).",
    ),
]
_SCALARS = ("q", "disease", "include_related", "offset", "limit", "format", "bundle")


async def _read_question(**values: Any) -> SynthesisQuestion:
    """The dependency that reads the question (its signature is set below, from /evidence's parameters)."""
    request: Request = values.pop("request")
    settings = values.pop("settings")
    q: str | None = values.pop("q")
    for name in _SCALARS:
        given = request.query_params.getlist(name)
        if len(given) > 1:
            raise InvalidQueryError(name, given, f"one value of {name}")
    offset, limit, include_related = values.pop("offset"), values.pop("limit"), values.pop("include_related")
    asked = {name: value for name, value in values.items() if value not in (None, [], ())}
    if q is not None:
        if asked:
            raise InvalidQueryError(
                "q", q, f"either q or the structured parameters ({', '.join(sorted(asked))}), not both"
            )
        query_limits(settings).check_page(offset, limit)
        return SynthesisQuestion(None, q, offset, limit, include_related)
    structured: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in asked.items()}
    query = EvidenceQuery(
        **structured, include_related=include_related, offset=offset, limit=limit, limits=query_limits(settings)
    )
    return SynthesisQuestion(query, None, offset, limit, include_related)


_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_read_question.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter("request", _KEYWORD, annotation=Request),
        inspect.Parameter("settings", _KEYWORD, annotation=Settings),
        inspect.Parameter("q", _KEYWORD, annotation=_Q, default=None),
        *question_parameters(),
        inspect.Parameter("limit", _KEYWORD, annotation=_Limit, default=DEFAULT_SYNTHESIS_LIMIT),
    ]
)
Question = Annotated[SynthesisQuestion, Depends(_read_question)]


def _synthesis(kg: KnowledgeGraph, question: SynthesisQuestion, max_question_length: int) -> SynthesisPayload:
    if question.q is not None:
        answer, reading = read_and_find(
            kg,
            question.q,
            offset=question.offset,
            limit=question.limit,
            include_related=question.include_related,
            max_question_length=max_question_length,
        )
        return synthesis_payload(answer, reading)
    assert question.query is not None
    return synthesize(kg, question.query)


async def _computed(kg: KnowledgeGraph, question: SynthesisQuestion, settings: Any) -> SynthesisPayload:
    """Small pages on the event loop (their work is well under a millisecond once kept), large ones in the pool."""
    if question.limit <= INLINE_LIMIT:
        return _synthesis(kg, question, settings.max_question_length)
    return await run_in_threadpool(_synthesis, kg, question, settings.max_question_length)


_DOCUMENTED_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}}}


@router.get(
    "/synthesis",
    response_model=SynthesisPayload | Bundle,
    responses={**_DOCUMENTED_CSV, **error_responses(404, 406, 422)},
    summary="The outcomes of the evidence for one question, side by side",
    description=(
        "One row per reported outcome of the matching evidence (the page `offset`/`limit` of the items /evidence "
        "ranks), grouped by measure and ordered by match tier and study, with the value, CI and p as published; "
        "tallies of supports / does not support per tier over every matching item; conflicts (the same claim about "
        "the same therapy, alteration and disease with opposite directions), both sides shown. Same parameters as "
        "`/evidence`, or `q=` in free text as `/ask` reads it. CSV with `format=csv` or `Accept: text/csv`; a "
        "citable bundle with `bundle=true`."
    ),
)
async def get_synthesis(
    request: Request,
    kg: KG,
    settings: Settings,
    question: Question,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="`csv` for the rows as CSV (else by `Accept`; JSON first).")
    ] = None,
    bundle: Bundled = False,
) -> Response:
    """Answer a synthesis question (see the module docstring)."""
    media = (
        {"json": JSON_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}[format]
        if format
        else negotiate_media_type(request.headers.get("accept"), [JSON_MEDIA_TYPE, CSV_MEDIA_TYPE])
    )
    if bundle and media != JSON_MEDIA_TYPE:
        raise InvalidQueryError("bundle", "true", "a bundle in JSON (drop format=csv, or Accept application/json)")
    payload = await _computed(kg, question, settings)
    if bundle:
        return Response(bundle_bytes(request, kg, "synthesis", question.bundle_question(), payload), media_type=media)
    if media == CSV_MEDIA_TYPE:
        headers = {"Content-Disposition": 'attachment; filename="synthesis.csv"'}
        return Response(synthesis_csv(synthesis_rows(payload)), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(dump(payload), media_type=JSON_MEDIA_TYPE)


def _page_errors() -> dict[int | str, dict[str, Any]]:
    """The page's errors: the JSON error shape, or (to a browser) an HTML page with "did you mean" links."""
    documented: dict[int | str, dict[str, Any]] = {}
    for status, entry in error_responses(404, 422).items():
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        documented[status] = {
            "description": entry["description"],
            "content": {**content, "text/html": {"schema": {"type": "string"}}},
        }
    return documented


def _html_error(request: Request, kg: KnowledgeGraph, error: UnknownEntityError | InvalidQueryError) -> Response:
    pairs = [(k, v) for k, v in request.query_params.multi_items()]
    if isinstance(error, UnknownEntityError):
        status, title = 404, "Not found"
        links = []
        for ref in kg.resolver.references(error.suggestions):
            replaced = [(k, ref["id"] if v == error.value else v) for k, v in pairs]
            links.append({**ref, "href": f"{router.url_path_for('synthesis_view')}?{urlencode(replaced)}"})
    else:
        status, title, links = 422, "Invalid request", []
    page = error_page(title, str(error), links, home="/graph")
    return HTMLResponse(page, status_code=status)


@router.get(
    "/synthesis/view",
    name="synthesis_view",
    response_class=HTMLResponse,
    responses=_page_errors(),
    summary="The synthesis as an offline HTML page: forest plots, the table, conflicts",
)
async def synthesis_view(request: Request, kg: KG, settings: Settings, question: Question) -> Response:
    """One forest plot per measure, the supports-vs-disputes bar, the table, conflicts and quotes (no CDN)."""
    try:
        payload = await _computed(kg, question, settings)
    except (UnknownEntityError, InvalidQueryError) as error:
        if "text/html" in request.headers.get("accept", ""):
            return _html_error(request, kg, error)
        raise
    page = await run_in_threadpool(render_synthesis_page, payload, request.url.query)
    headers = {"Content-Security-Policy": SYNTHESIS_CSP, "Cache-Control": "no-cache"}
    return HTMLResponse(page, headers=headers)


@router.get("/synthesis/assets/{name}", include_in_schema=False)
async def synthesis_assets(name: str, request: Request, v: str | None = None) -> Response:
    """A script or stylesheet of the page; cached for a year when the URL carries its content hash."""
    if name not in SYNTHESIS_ASSETS:
        raise ApiError(
            404,
            "not_found",
            f"unknown asset {name!r}; expected one of: {', '.join(SYNTHESIS_ASSETS)}",
            parameter="name",
        )
    item = synthesis_asset(name)
    etag = f'"{item.version}"'
    cache = "public, max-age=31536000, immutable" if v == item.version else "no-cache"
    headers = {"ETag": etag, "Cache-Control": cache}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(item.body, media_type=item.content_type, headers=headers)
