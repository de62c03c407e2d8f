"""Curation status: whether a record was curated by a person or proposed by a program and not yet accepted.

``kg propose`` drafts a paper's evidence items from its text, into a data
file's ``proposed_evidence:`` section; each draft item carries a
:class:`Curation` saying it is *proposed*, by which method and by which
extractor version. A proposed item is validated like any other
(``kg validate`` checks its quote, references and numbers) but is not
served as curated evidence — not in the graph, the API, the RDF or the
views — until a curator checks it and sets ``status: accepted``. Items in
``evidence:`` were curated by hand and carry no curation record.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from kg.model.base import Node, Record
from kg.model.evidence import EvidenceItem

__all__ = [
    "DRAFT_SECTIONS",
    "Curation",
    "CurationMethod",
    "CurationStatus",
    "ProposedEvidenceItem",
    "served",
]


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


class ProposedEvidenceItem(EvidenceItem):
    """An evidence item drafted by ``kg propose``: every field of an evidence item, and its curation.

    Drafts live in a data file's ``proposed_evidence:`` section. They are
    validated like curated items (schema, references, verbatim quotes, the
    numbers in each quote) but are served only once a curator has set
    ``curation.status: accepted`` — and then as a plain
    :class:`~kg.model.EvidenceItem`, so what the graph, the API and the RDF
    hold is the same record shape whether it was typed or proposed.
    """

    curation: Curation = Field(description="Proposed (not served) or accepted (served), by whom or what.")

    def as_served(self) -> EvidenceItem | None:
        """The item as served: a plain evidence item once accepted, nothing while proposed."""
        if self.curation.status is not CurationStatus.ACCEPTED:
            return None
        return EvidenceItem.model_validate(self.model_dump(exclude={"curation"}))


#: Data file sections whose records are drafts (validated, served only once accepted), by section name.
DRAFT_SECTIONS: dict[str, type[ProposedEvidenceItem]] = {"proposed_evidence": ProposedEvidenceItem}


def served(record: Node) -> Node | None:
    """What a loaded record contributes to the served corpus: itself, an accepted draft's item, or nothing."""
    if isinstance(record, ProposedEvidenceItem):
        return record.as_served()
    return record
