"""Where evidence comes from: publications, databases, and references cited through them.

A paper's review cites many studies. Each cited study is a Source of its
own, linked to the paper that reports it (``reported_in``) with the paper's
in-text reference number, so a researcher sees both "PHILA (BMJ 2023)" and
"as reported by Pan and Zhou 2024, ref. 17". A reference whose publication
could not be identified stays a Source of kind ``unidentified_reference``
rather than being guessed.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from kg.core.vocab import NodeType
from kg.model.base import Node, OwnId, Ref, Xref
from kg.model.terms import SourceKind

__all__ = ["Source"]


class Source(Node):
    """A publication, database or database record that evidence is drawn from."""

    node_type: ClassVar[NodeType] = NodeType.SOURCE
    id: Annotated[str, OwnId(NodeType.SOURCE)] = Field(
        description="Stable id, e.g. src:pan-zhou-2024 or src:pan-zhou-2024-ref-8."
    )
    kind: SourceKind = Field(description="Journal article, abstract, guideline, database, ...")
    short_citation: str = Field(min_length=1, description="How the source is cited in results: 'Pan and Zhou, 2024'.")
    title: str | None = Field(default=None, description="Full title, when verified.")
    journal: str | None = Field(default=None, description="Journal or database name, with volume/pages when known.")
    year: int | None = Field(default=None, ge=1900, le=2100, description="Year of publication.")
    authors: tuple[str, ...] = Field(default=(), description="Authors, as published, when known.")
    xrefs: tuple[Xref, ...] = Field(default=(), description="DOI, PMID and other ids, each with its verification.")
    registry_ids: tuple[str, ...] = Field(
        default=(), description="Trial registry ids this source reports (NCT…, ChiCTR…), as written."
    )
    url: str | None = Field(default=None, description="Landing page.")
    license: str | None = Field(default=None, description="Licence of the text we hold, e.g. 'CC BY 4.0'.")
    text_file: str | None = Field(
        default=None, description="Path, relative to data/, of the source's plain text; quotes are checked against it."
    )
    reported_in: Annotated[str, Ref(NodeType.SOURCE)] | None = Field(
        default=None, description="The source through which this one is cited (the seed paper)."
    )
    reference_numbers: tuple[str, ...] = Field(
        default=(), description="In-text reference numbers under which the reporting source cites it ('20')."
    )
    curator_note: str | None = Field(default=None, description="Caveats: identification, discrepancies.")
