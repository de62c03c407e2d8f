"""``GET /evidence``: the structured evidence question, ranked, explained and sourced.

Parameter names follow CIViC and MetaKB (``therapy``, ``gene``,
``molecular_profile``, ``disease``, ``evidence_type``, ``direction``,
``significance``, ``level``); names may be labels, synonyms or ids
(``aumolertinib``, ``T-DM1``, ``HER2``, ``DOID:3908``). The work is
:func:`kg.query.engine.find_evidence` and :func:`kg.query.answer.answer_json`
(the answer assembled from pre-serialized parts); this module only declares
the parameters (the OpenAPI document shows them; :class:`~api.query_route.QueryRoute`
reads the query string by the same declarations in one pass) and builds the
:class:`~kg.query.evidence_query.EvidenceQuery` under the app's limits. The
documented answer is the type the answer layer returns.

Most answers take well under a millisecond from the index, so the endpoint
is ``async`` and computes on the event loop (a threadpool hop would cost
more than the work); only large pages, whose explanation and serialization
take milliseconds, are sent to the threadpool so they never stall other
requests. Repeated questions are answered from :mod:`api.cache`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.bundles import Bundled, bundle_bytes
from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import HEADLINE_ALTERATION, HEADLINE_DISEASE, HEADLINE_THERAPY, error_responses, example
from api.params import DEFAULT_LIMIT, MAX_TERM_LENGTH, MAX_TERMS, NON_BLANK, Limit, Offset, Term, query_limits
from api.query_route import query_values
from api.responses import JSON_MEDIA_TYPE
from kg.core.errors import InvalidQueryError
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, Significance, StudyDesign
from kg.query.answer import AnswerPayload, answer_json, evidence_answer
from kg.query.bundle import Bundle, query_question
from kg.query.engine import find_evidence
from kg.query.evidence_query import EvidenceQuery
from kg.runtime.index import filter_named

__all__ = ["INLINE_LIMIT", "router"]

#: Pages up to this size are computed on the event loop; larger ones in the threadpool.
INLINE_LIMIT = 50

router = APIRouter(tags=["evidence"], route_class=CachedRoute)

_Names = list[Term] | None


def _filter(name: str) -> Any:
    """The parameter declaration of one filter of :data:`kg.runtime.index.FILTERS`: its values, its description."""
    spec = filter_named(name)
    return Query(max_length=len(spec.values), description=spec.description)


@router.get(
    "/evidence",
    response_model=AnswerPayload | Bundle,
    responses=error_responses(404, 422),
    summary="Evidence for a therapy × alteration × disease question",
    description=(
        "Every relevant evidence item, ranked: items matching every asked term exactly come first, then "
        "narrower (lung adenocarcinoma for NSCLC), broader, and related matches (same gene with another "
        "alteration, the same drug in another disease), each with a sentence saying how it matched. When "
        "nothing matches, the question is widened step by step and `relaxations` lists each step. "
        "Unknown names give 404 with suggestions."
    ),
)
async def get_evidence(
    request: Request,
    kg: KG,
    settings: Settings,
    therapy: Annotated[
        _Names,
        Query(
            max_length=MAX_TERMS,
            description="Drug or drug class (label, synonym or id); repeat for several (any of them matches).",
            openapi_examples=example("pyrotinib", [HEADLINE_THERAPY]),
        ),
    ] = None,
    alteration: Annotated[
        _Names,
        Query(
            max_length=MAX_TERMS,
            description="Alteration, gene or molecular profile (label, synonym or id); repeat for co-alterations.",
            openapi_examples=example("HER2 amplification", [HEADLINE_ALTERATION]),
        ),
    ] = None,
    gene: Annotated[
        _Names,
        Query(max_length=MAX_TERMS, description="Gene (symbol, alias or id): any alteration of it matches."),
    ] = None,
    molecular_profile: Annotated[
        _Names,
        Query(max_length=MAX_TERMS, description="Molecular profile (name or id): each of its alterations is asked."),
    ] = None,
    disease: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            pattern=NON_BLANK,
            description="Disease (label, synonym, id or DOID); subtypes and broader diseases rank below exact.",
            openapi_examples=example("NSCLC", HEADLINE_DISEASE),
        ),
    ] = None,
    evidence_type: Annotated[list[EvidenceType] | None, _filter("evidence_type")] = None,
    direction: Annotated[list[Direction] | None, _filter("direction")] = None,
    significance: Annotated[list[Significance] | None, _filter("significance")] = None,
    level: Annotated[list[EvidenceLevel] | None, _filter("level")] = None,
    design: Annotated[list[StudyDesign] | None, _filter("design")] = None,
    measure: Annotated[list[OutcomeMeasure] | None, _filter("measure")] = None,
    include_related: Annotated[
        bool, Query(description="Also rank related matches (same gene, another disease, same-target drugs).")
    ] = True,
    summary: Annotated[bool, Query(description="Include the summary (counts and headline outcomes).")] = True,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
    bundle: Bundled = False,
) -> Response:
    """Answer a structured evidence question (see the module docstring)."""
    query = EvidenceQuery(
        therapy=tuple(therapy or ()),
        alteration=tuple(alteration or ()),
        gene=tuple(gene or ()),
        molecular_profile=tuple(molecular_profile or ()),
        disease=disease,
        evidence_type=tuple(evidence_type or ()),
        direction=tuple(direction or ()),
        significance=tuple(significance or ()),
        level=tuple(level or ()),
        design=tuple(design or ()),
        measure=tuple(measure or ()),
        include_related=include_related,
        offset=offset,
        limit=limit,
        limits=query_limits(settings),
    )
    diseases = query_values(request, "disease")
    if len(diseases) > 1:
        raise InvalidQueryError("disease", diseases, "one disease per question")

    def answer() -> bytes:
        if not bundle:  # the fast path: the same bytes, assembled from kept fragments
            return answer_json(find_evidence(kg, query), summary=summary)
        payload = evidence_answer(kg, query, summary=summary)
        return bundle_bytes(request, kg, "evidence", query_question(query, summary=summary), payload)

    body = answer() if limit <= INLINE_LIMIT else await run_in_threadpool(answer)
    return Response(content=body, media_type=JSON_MEDIA_TYPE)
