"""``GET /ask?q=``: a free-text evidence question, read aloud, then answered.

:func:`kg.query.ask.ask` recognises the drugs, alterations, genes and
diseases named in the question (synonyms included: "aumolertinib", "T-DM1",
"HER2"), says how it read the question (``recognised``, ``ignored``,
``interpretation``) so a misreading is visible, and answers like
``/evidence``. A question naming nothing known is a 422 on ``q`` with
"did you mean" hints. Same execution policy and cache as ``/evidence``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.bundles import Bundled, bundle_bytes
from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import HEADLINE_QUESTION, error_responses, example
from api.params import DEFAULT_LIMIT, NON_BLANK, Limit, Offset, query_limits
from api.responses import JSON_MEDIA_TYPE
from api.routers.evidence import INLINE_LIMIT
from kg.query.ask import MAX_QUESTION_LENGTH, AskAnswer, ask, ask_json
from kg.query.bundle import Bundle, ask_question

__all__ = ["router"]

router = APIRouter(tags=["evidence"], route_class=CachedRoute)


@router.get(
    "/ask",
    response_model=AskAnswer | Bundle,
    responses=error_responses(422),
    summary="Ask a free-text evidence question",
    description=(
        "Recognises the entities named in the question (any label or synonym), reads cue words "
        "(adverse events, prevalence, prognosis, resistance) as filters, and answers like `/evidence`. "
        "`interpretation` says exactly how the question was read."
    ),
)
async def get_ask(
    request: Request,
    kg: KG,
    settings: Settings,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUESTION_LENGTH,
            pattern=NON_BLANK,
            description="The question, in plain words.",
            openapi_examples=example("The headline question", HEADLINE_QUESTION),
        ),
    ],
    include_related: Annotated[
        bool, Query(description="Also rank related matches (same gene, another disease, same-target drugs).")
    ] = True,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
    bundle: Bundled = False,
) -> Response:
    """Answer a free-text question (see the module docstring)."""
    limits = query_limits(settings)

    def answer() -> bytes:
        if not bundle:  # the fast path: the same bytes, assembled from kept fragments
            return ask_json(
                kg,
                q,
                offset=offset,
                limit=limit,
                include_related=include_related,
                limits=limits,
                max_question_length=settings.max_question_length,
            )
        payload = ask(
            kg,
            q,
            offset=offset,
            limit=limit,
            include_related=include_related,
            limits=limits,
            max_question_length=settings.max_question_length,
        )
        question = ask_question(q, offset=offset, limit=limit, include_related=include_related)
        return bundle_bytes(request, kg, "ask", question, payload)

    body = answer() if limit <= INLINE_LIMIT else await run_in_threadpool(answer)
    return Response(content=body, media_type=JSON_MEDIA_TYPE)
