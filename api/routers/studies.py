"""``/studies``: trials and cohorts as resources, with arms, populations, subgroups, outcomes and limitations.

``GET /studies`` lists them (words in the name, registry ids, setting or the
report's citation; designs); ``GET /studies/{id}`` gives one by id, name,
acronym or registry id (``study:phila``, ``PHILA``, ``NCT03863223``), built by
:func:`kg.query.studies.study_detail`. An unknown study is a 404 with the
studies it may have meant.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import error_responses, example
from api.errors import ApiError
from api.params import MAX_TERM_LENGTH, Offset, check_page
from api.resource_schemas import StudyDetail, StudyPage
from api.responses import json_response
from kg.core.vocab import NodeType
from kg.model.terms import StudyDesign
from kg.query.studies import find_study, select_studies, study_detail, study_summary

__all__ = ["router"]

MAX_PAGE = 500

router = APIRouter(tags=["studies"], route_class=CachedRoute)


@router.get(
    "/studies",
    response_model=StudyPage,
    responses=error_responses(422),
    summary="List studies",
    description="Trials, cohorts, case reports and laboratory studies, ordered by id.",
)
def list_studies(
    kg: KG,
    settings: Settings,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            description="Words that must all appear in the name, registry ids, setting or the report's citation.",
            openapi_examples=example("A trial by registry id", "ChiCTR1800020262"),
        ),
    ] = None,
    design: Annotated[
        list[StudyDesign] | None, Query(max_length=len(StudyDesign), description="Only these designs.")
    ] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 100,
) -> Response:
    """A page of studies."""
    check_page(settings, offset, limit, MAX_PAGE)
    selected = select_studies(kg, q, {d.value for d in design or ()})
    page = [study_summary(kg, study) for study in selected[offset : offset + limit]]
    return json_response({"total": len(selected), "offset": offset, "limit": limit, "results": page})


@router.get(
    "/studies/{study_id}",
    response_model=StudyDetail,
    responses=error_responses(404, 422),
    summary="One study: arms, populations and subgroups, outcomes, limitations",
)
def get_study(
    kg: KG,
    study_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            description="Study id, name, acronym or registry id.",
            openapi_examples=example("ChiCTR1800020262", "study:chictr1800020262"),
        ),
    ],
) -> Response:
    """One study (see the module docstring)."""
    found = find_study(kg, study_id)
    if found is None:
        close = [entity for entity, _ in kg.resolver.search(study_id, [NodeType.STUDY], 5)]
        if not close:
            close = [s.id for s in select_studies(kg, study_id.split(":", 1)[-1], set())][:5]
        suggestions = [kg.resolver.reference(entity) for entity in close]
        hint = f"; did you mean: {', '.join(s['label'] for s in suggestions)}?" if suggestions else ""
        raise ApiError(
            404,
            "unknown_study",
            f"unknown study {study_id!r}{hint}",
            parameter="study_id",
            suggestions=suggestions,
            value=study_id,
        )
    return json_response(study_detail(kg, kg.corpus.studies[found]))
