"""Curation status: whether a record was curated by a person or proposed by a program and not yet accepted.

``kg propose`` drafts a paper's evidence items from its text; each draft
item carries a :class:`Curation` saying it is *proposed*, by which method
and by which extractor version. A proposed item is validated like any
other (``kg validate`` checks its quote, references and numbers) but is
not served as curated evidence — not in the graph, the API, the RDF or
the views — until a curator checks it and sets ``status: accepted``.
An item with no ``curation`` was curated by hand, as all items were
before ``kg propose`` existed.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from kg.model.base import Record

__all__ = ["Curation", "CurationMethod", "CurationStatus"]


class CurationStatus(StrEnum):
    """Whether a curator has accepted the record."""

    PROPOSED = "proposed"  # drafted, not yet checked: validated but not served
    ACCEPTED = "accepted"  # checked by a curator: served as curated evidence


class CurationMethod(StrEnum):
    """How the record was made."""

    MANUAL = "manual"  # written by a curator
    MACHINE_PROPOSED = "machine_proposed"  # drafted by a program from the source text (kg propose)


class Curation(Record):
    """Who or what made a record, and whether it has been accepted."""

    status: CurationStatus = Field(description="proposed (not served yet) or accepted (served).")
    method: CurationMethod = Field(description="manual, or machine_proposed by kg propose.")
    extractor: str | None = Field(default=None, description="Program that proposed it ('kg.reader.results').")
    extractor_version: str | None = Field(default=None, description="Version of that program ('1.0.0').")
