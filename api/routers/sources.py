"""``/sources``: where the evidence comes from.

``GET /sources`` pages through every publication, database and cited
reference (filter by ``kind`` or a words in the citation); ``GET
/sources/{id}`` gives one with the evidence items that quote or cite it, so
a researcher can go from a paper to everything the graph draws from it.
The source → evidence map is built once per graph, on first use (in the graph's memo).
"""

from __future__ import annotations

import difflib
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import ConfigDict, with_config
from starlette.responses import Response
from typing_extensions import TypedDict

from api.cache import CachedRoute
from api.deps import KG, Settings
from api.docs import error_responses, example
from api.errors import ApiError
from api.params import MAX_TERM_LENGTH, Offset, check_page
from api.responses import json_response
from api.settings import DEFAULT_SOURCES_LIMIT
from kg.model import Source
from kg.model.terms import SourceKind
from kg.query.payload import SourcePayload, extended_payload_type, source_payload
from kg.runtime.knowledge_graph import KnowledgeGraph
from kg.runtime.memo import MemoSpec
from kg.runtime.resolve import name_tokens

__all__ = ["EVIDENCE_BY_SOURCE", "SourceDetail", "SourcePage", "evidence_by_source", "router"]

MAX_PAGE = 500

router = APIRouter(tags=["sources"], route_class=CachedRoute)

#: Source id → ids of the evidence items quoting or citing it (one value per graph).
EVIDENCE_BY_SOURCE: MemoSpec[None, dict[str, list[str]]] = MemoSpec("evidence by source", max_entries=1)


@with_config(ConfigDict(extra="forbid"))
class SourcePage(TypedDict):
    """A page of sources, ordered by id."""

    total: int
    offset: int
    limit: int
    results: list[SourcePayload]


class _EvidencePage(TypedDict):
    evidence_total: int
    evidence: list[str]
    evidence_offset: int
    evidence_limit: int


#: A source's payload and a page of the evidence items quoting or citing it.
SourceDetail = extended_payload_type(
    Source,
    "SourceDetail",
    _EvidencePage,
    "A source, and the evidence items quoting or citing it (a page of their ids).",
)


def evidence_by_source(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Source id → ids of the evidence items quoting or citing it (built once per graph)."""

    def build() -> dict[str, list[str]]:
        mapping: dict[str, list[str]] = {}
        for item in kg.corpus.evidence.values():
            for source in dict.fromkeys((item.quote.source, *item.cites)):
                mapping.setdefault(source, []).append(item.id)
        return mapping

    return kg.memo.table(EVIDENCE_BY_SOURCE).compute_once(None, build)


@router.get(
    "/sources",
    response_model=SourcePage,
    responses=error_responses(422),
    summary="List sources",
    description="Publications, databases and cited references, ordered by id.",
)
def list_sources(
    kg: KG,
    settings: Settings,
    kind: Annotated[list[SourceKind] | None, Query(max_length=len(SourceKind), description="Only these kinds.")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            description="Words that must all appear in the citation, title, journal or registry ids.",
            openapi_examples=example("ChiCTR1800020262", "ChiCTR1800020262"),
        ),
    ] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = DEFAULT_SOURCES_LIMIT,
) -> Response:
    """A page of sources."""
    check_page(settings, offset, limit, settings.max_sources_page)
    words = name_tokens(q) if q else []
    kinds = set(kind or ())
    selected = []
    for source_id in sorted(kg.corpus.sources):
        source = kg.corpus.sources[source_id]
        if kinds and source.kind not in kinds:
            continue
        if words:
            haystack = " ".join(
                name_tokens(
                    " ".join([source.short_citation, source.title or "", source.journal or "", *source.registry_ids])
                )
            )
            if not all(word in haystack for word in words):
                continue
        selected.append(source_id)
    page = [source_payload(kg, source_id) for source_id in selected[offset : offset + limit]]
    return json_response({"total": len(selected), "offset": offset, "limit": limit, "results": page})


@router.get(
    "/sources/{source_id}",
    response_model=SourceDetail,
    responses=error_responses(404, 422),
    summary="One source and the evidence drawn from it",
)
def get_source(
    kg: KG,
    settings: Settings,
    source_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=MAX_TERM_LENGTH,
            description="Source id.",
            openapi_examples=example("The seed review", "src:pan-zhou-2024"),
        ),
    ],
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Most evidence ids listed.")] = 100,
) -> Response:
    """One source, with a page of the evidence items quoting or citing it."""
    check_page(settings, offset, limit, settings.max_sources_page)
    if source_id not in kg.corpus.sources:
        close = difflib.get_close_matches(source_id, list(kg.corpus.sources), n=5, cutoff=0.5)
        suggestions = [
            {"id": other, "label": kg.corpus.sources[other].short_citation, "type": "source"} for other in close
        ]
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise ApiError(
            404,
            "unknown_source",
            f"unknown source {source_id!r}{hint}",
            parameter="source_id",
            suggestions=suggestions,
            value=source_id,
        )
    evidence = evidence_by_source(kg).get(source_id, [])
    return json_response(
        {
            **source_payload(kg, source_id),
            "evidence_total": len(evidence),
            "evidence": evidence[offset : offset + limit],
            "evidence_offset": offset,
            "evidence_limit": limit,
        }
    )
