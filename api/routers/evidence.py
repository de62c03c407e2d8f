"""``GET /evidence``: the structured evidence question, ranked, explained and sourced.

Parameter names follow CIViC and MetaKB (``therapy``, ``gene``,
``molecular_profile``, ``disease``, ``evidence_type``, ``direction``,
``significance``, ``level``); names may be labels, synonyms or ids
(``aumolertinib``, ``T-DM1``, ``HER2``, ``DOID:3908``). The work is
:func:`kg.query.engine.find_evidence`; this module only reads parameters,
enforces the app's limits and serializes.

Most answers take well under a millisecond from the index, so the endpoint
is ``async`` and computes on the event loop (a threadpool hop would cost
more than the work); only large pages, whose explanation and serialization
take milliseconds, are sent to the threadpool so they never stall other
requests. Repeated questions are answered from :mod:`api.cache`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import HEADLINE_ALTERATION, HEADLINE_DISEASE, HEADLINE_THERAPY, error_responses, example
from api.params import (
    DEFAULT_LIMIT,
    MAX_TERM_LENGTH,
    MAX_TERMS,
    NON_BLANK,
    Limit,
    Offset,
    Term,
    check_page,
    check_terms,
)
from api.responses import JSON_MEDIA_TYPE, dump
from api.schemas import EvidenceAnswer
from kg.core.errors import InvalidQueryError
from kg.core.vocab import NodeType
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, Significance, StudyDesign
from kg.query.engine import ALTERATION_TYPES, EvidenceQuery, find_evidence
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["INLINE_LIMIT", "router"]

#: Pages up to this size are computed on the event loop; larger ones in the threadpool.
INLINE_LIMIT = 50

router = APIRouter(tags=["evidence"], route_class=CachedRoute)

_Names = list[Term] | None


def _resolve_ids(kg: KnowledgeGraph, names: tuple[str, ...], node_type: NodeType, parameter: str) -> tuple[str, ...]:
    """Check that names given for one type (``gene=HER2`` must be a gene) name one; 404 with suggestions if not.

    A name that the engine's own alteration lookup reads the same way is passed on as typed, so the
    answer's ``query.resolved`` shows what the user asked ("HER2"); otherwise the id is passed.
    """
    passed: list[str] = []
    for name in names:
        entity = kg.resolver.resolve_one(name, (node_type,), parameter)
        same = kg.resolver.resolve_one(name, ALTERATION_TYPES, parameter) == entity  # the engine's own reading
        passed.append(name if same else entity)
    return tuple(passed)


@router.get(
    "/evidence",
    response_model=EvidenceAnswer,
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
    evidence_type: Annotated[
        list[EvidenceType] | None, Query(max_length=len(EvidenceType), description="Keep only these evidence types.")
    ] = None,
    direction: Annotated[
        list[Direction] | None, Query(max_length=len(Direction), description="Keep only these directions.")
    ] = None,
    significance: Annotated[
        list[Significance] | None, Query(max_length=len(Significance), description="Keep only these significances.")
    ] = None,
    level: Annotated[
        list[EvidenceLevel] | None,
        Query(max_length=len(EvidenceLevel), description="Keep only these CIViC evidence levels (A–E)."),
    ] = None,
    design: Annotated[
        list[StudyDesign] | None, Query(max_length=len(StudyDesign), description="Keep only these study designs.")
    ] = None,
    measure: Annotated[
        list[OutcomeMeasure] | None,
        Query(max_length=len(OutcomeMeasure), description="Keep only items reporting one of these outcome measures."),
    ] = None,
    include_related: Annotated[
        bool, Query(description="Also rank related matches (same gene, another disease, same-target drugs).")
    ] = True,
    summary: Annotated[bool, Query(description="Include the summary (counts and headline outcomes).")] = True,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    """Answer a structured evidence question (see the module docstring)."""
    check_page(settings, offset, limit)
    if len(request.query_params.getlist("disease")) > 1:
        raise InvalidQueryError("disease", request.query_params.getlist("disease"), "one disease per question")
    therapies = check_terms(settings, "therapy", therapy)
    alterations = check_terms(settings, "alteration", alteration)
    genes = _resolve_ids(kg, check_terms(settings, "gene", gene), NodeType.GENE, "gene")
    profiles = _resolve_ids(
        kg,
        check_terms(settings, "molecular_profile", molecular_profile),
        NodeType.MOLECULAR_PROFILE,
        "molecular_profile",
    )
    diseases = check_terms(settings, "disease", [disease] if disease is not None else None)
    query = EvidenceQuery(
        therapy=therapies,
        alteration=tuple(dict.fromkeys((*alterations, *genes, *profiles))),
        disease=diseases[0] if diseases else None,
        evidence_type=tuple(evidence_type or ()),
        direction=tuple(direction or ()),
        significance=tuple(significance or ()),
        level=tuple(level or ()),
        design=tuple(design or ()),
        measure=tuple(measure or ()),
        include_related=include_related,
        offset=offset,
        limit=limit,
    )

    def answer() -> bytes:
        return dump(find_evidence(kg, query).to_dict(summary=summary))

    body = answer() if limit <= INLINE_LIMIT else await run_in_threadpool(answer)
    return Response(content=body, media_type=JSON_MEDIA_TYPE)
