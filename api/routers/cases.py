"""``/cases``: patient cases as resources, and each case's timeline.

``GET /cases`` lists the cases; ``GET /cases/{id}`` gives one (who, what
disease and stage, the quotes, the evidence drawn from it); ``GET
/cases/{id}/timeline`` its dated events and each line of therapy with
start, end, response and duration, every derived value saying how it was
obtained (:func:`kg.query.cases.timeline`). An unknown case is a 404 with
the cases it may have meant.
"""

from __future__ import annotations

import difflib
from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from api.cache import CachedRoute
from api.deps import KG
from api.docs import error_responses, example
from api.errors import ApiError
from api.params import MAX_TERM_LENGTH
from api.resource_schemas import CaseDetail, CasePage, Timeline
from api.responses import json_response
from kg.model import PatientCase
from kg.query.cases import case_ids, case_payload, case_summary, patient_case, timeline
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["router"]

router = APIRouter(tags=["cases"], route_class=CachedRoute)

_CaseId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_TERM_LENGTH,
        description="Case id (`case:…`).",
        openapi_examples=example("The seed paper's case", "case:pan-zhou-2024"),
    ),
]


def _case(kg: KnowledgeGraph, case_id: str) -> PatientCase:
    """The case, or a 404 naming the cases the id may have meant."""
    found = patient_case(kg, case_id)
    if found is not None:
        return found
    ids = case_ids(kg)
    close = difflib.get_close_matches(case_id, ids, n=5, cutoff=0.4) or ids[:5]
    suggestions = [{"id": other, "label": kg.graph.nodes[other]["label"], "type": "patient_case"} for other in close]
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise ApiError(
        404,
        "unknown_case",
        f"unknown case {case_id!r}{hint}",
        parameter="case_id",
        suggestions=suggestions,
        value=case_id,
    )


@router.get("/cases", response_model=CasePage, summary="List patient cases")
def list_cases(kg: KG) -> Response:
    """Every patient case, by id."""
    cases = [c for c in (patient_case(kg, case_id) for case_id in case_ids(kg)) if c is not None]
    return json_response({"total": len(cases), "results": [case_summary(kg, case) for case in cases]})


@router.get(
    "/cases/{case_id}",
    response_model=CaseDetail,
    responses=error_responses(404, 422),
    summary="One patient case",
)
def get_case(kg: KG, case_id: _CaseId) -> Response:
    """One case: summary, provenance, notes and its evidence items."""
    return json_response(case_payload(kg, _case(kg, case_id)))


@router.get(
    "/cases/{case_id}/timeline",
    response_model=Timeline,
    responses=error_responses(404, 422),
    summary="A patient case's timeline: dated events and each line of therapy",
    description=(
        "Events in date order (dates at the precision the source gives), and per treatment its start, end, "
        "duration and response. Every derived value says how it was obtained: an end is `stated`, `computed` "
        "from a stated duration or `inferred` from the next event (named); a duration is `computed`."
    ),
)
def get_timeline(kg: KG, case_id: _CaseId) -> Response:
    """The case's timeline (see the module docstring)."""
    return json_response(timeline(kg, _case(kg, case_id)))
