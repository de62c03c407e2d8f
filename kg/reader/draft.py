"""Write ``kg propose --yaml``: a draft ``data/papers/`` file whose evidence items are proposed, not curated.

The draft is a data file like any other, so ``kg validate`` checks it (its
quotes are verbatim in the text, its references resolve, every outcome
number is in its quote); but its evidence items are in the
``proposed_evidence:`` section, each with ``curation: {status: proposed,
method: machine_proposed, extractor, extractor_version}``
(:class:`~kg.model.curation.ProposedEvidenceItem`), and are not served
until a curator has checked them and set ``status: accepted`` (see README,
"Adding a paper"). What the text does not say —
the type of claim, its direction and significance, the level — is filled
with placeholders that the item's ``curator_notes`` name; what the model
cannot hold yet (an arm as the text names it, a count without its n, a
number written "0·62") is written into the notes, not dropped silently.

Each item is built as a :class:`~kg.model.EvidenceItem` first (so a draft
that would not load is never written) and written one at a time, so a long
text is drafted in bounded memory; the file appears only when complete.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kg.core.text import number_text, numbers_in_text
from kg.core.vocab import NodeType
from kg.curation.datafiles import dump_canonical
from kg.model import Outcome, Source
from kg.model.curation import Curation, CurationMethod, CurationStatus, ProposedEvidenceItem
from kg.model.terms import EvidenceLevel, EvidenceType, OutcomeMeasure, StudyDesign
from kg.reader.figures import EXTRACTOR, EXTRACTOR_VERSION, Figure
from kg.reader.papers import Proposal, Unrecognised

__all__ = ["DraftReport", "draft_slug", "write_draft"]

_LEVEL_OF_DESIGN = {
    StudyDesign.CASE_REPORT: EvidenceLevel.C,
    StudyDesign.CASE_SERIES: EvidenceLevel.C,
    StudyDesign.IN_VITRO_STUDY: EvidenceLevel.D,
    StudyDesign.IN_VIVO_STUDY: EvidenceLevel.D,
}
_PREVALENCE = {OutcomeMeasure.PROPORTION, OutcomeMeasure.COUNT}


@dataclass
class DraftReport:
    """What was written: the file, its items and outcomes, and what could not be written as data."""

    path: Path
    items: int = 0
    outcomes: int = 0
    outcomes_in_notes: int = 0
    unrecognised: list[str] = field(default_factory=list)


def draft_slug(text_file: Path) -> str:
    """An id-safe name for a paper from its text file's name ("pan-zhou-2024-front-oncol")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text_file.stem.lower()).strip("-")
    return slug or "paper"


def _number(text: str | None) -> Decimal | None:
    from kg.reader.tokens import number_value

    return None if text is None else number_value(text)


def _outcome(figure: Figure, quote: str) -> tuple[Outcome | None, str | None]:
    """The figure as an Outcome, or None and a note saying why it stays a note."""
    stated = numbers_in_text(quote)
    values = {
        name: _number(getattr(figure, name))
        for name in ("value", "range_low", "range_high", "ci_level", "ci_lower", "ci_upper", "p_value")
    }
    counts = {name: _number(getattr(figure, name)) for name in ("numerator", "denominator")}
    written = {name: value for name, value in {**values, **counts}.items() if value is not None}
    hidden = [name for name, value in written.items() if number_text(value) not in stated]
    where = f"{figure.measure.value} {figure.shown_value()} in {figure.text!r}"
    if hidden:
        return None, f"Outcome not drafted ({where}): {', '.join(hidden)} not written in plain digits in the quote."
    if (counts["numerator"] is None) != (counts["denominator"] is None):
        return None, f"Outcome not drafted ({where}): a count without its group size (k without n)."
    label_parts = [part for part in (figure.label, f"arm as written: {figure.arm}" if figure.arm else None) if part]
    label_parts.append(f"proposed by kg propose from {figure.text!r}")
    fields: dict[str, Any] = {
        "measure": figure.measure,
        "unit": figure.unit,
        "value_comparator": figure.value_comparator,
        "timepoint": figure.timepoint,
        "label": "; ".join(label_parts),
        "machine_extracted": True,
        **{name: value for name, value in values.items() if value is not None},
    }
    if figure.p_comparator is not None:
        fields["p_comparator"] = figure.p_comparator
    if counts["numerator"] is not None and counts["denominator"] is not None:
        fields["numerator"], fields["denominator"] = int(counts["numerator"]), int(counts["denominator"])
    try:
        return Outcome(**fields), None
    except ValidationError as error:
        return None, f"Outcome not drafted ({where}): {error.errors()[0]['msg']}."


def _design(proposal: Proposal) -> StudyDesign | None:
    from kg.model.terms import DESIGN_RANK

    designs = [word.design for word in proposal.design if word.design is not None]
    return min(designs, key=lambda d: DESIGN_RANK[d]) if designs else None


def _item(proposal: Proposal, index: int, slug: str, source_id: str) -> tuple[ProposedEvidenceItem, int, int]:
    quote = " ".join(proposal.quote.text.split())
    notes = [
        f"Proposed by kg propose ({EXTRACTOR} {EXTRACTOR_VERSION}) from the sentence at characters "
        f"{proposal.quote.start}-{proposal.quote.end} of the text. evidence_type, direction, significance, level "
        "and section are placeholders: a curator checks every field, then sets curation.status to accepted."
    ]
    outcomes: list[Outcome] = []
    in_notes = 0
    for figure in proposal.outcomes:
        outcome, note = _outcome(figure, quote)
        if outcome is not None:
            outcomes.append(outcome)
        if note is not None:
            notes.append(note)
            in_notes += 1
    for dropped in proposal.dropped:
        notes.append(f"Figures not read ({dropped.reason}): {dropped.text!r}.")
    if proposal.registry_ids:
        notes.append("Trial registry ids as written: " + ", ".join(r.id for r in proposal.registry_ids) + ".")
    if proposal.design:
        notes.append("Design words: " + ", ".join(word.text for word in proposal.design) + ".")
    if proposal.sample_size is not None:
        notes.append(f"Sample size as written: {proposal.sample_size.text!r}.")
    drugs = list(dict.fromkeys(m.entity for m in proposal.therapy if m.node_type is NodeType.DRUG))
    classes = list(dict.fromkeys(m.entity for m in proposal.therapy if m.node_type is NodeType.DRUG_CLASS))
    alterations = list(dict.fromkeys(m.entity for m in proposal.alterations if m.node_type is NodeType.ALTERATION))
    genes = list(dict.fromkeys(m.entity for m in proposal.alterations if m.node_type is NodeType.GENE))
    profiles = [m.entity for m in proposal.alterations if m.node_type is NodeType.MOLECULAR_PROFILE]
    if len(drugs) + len(classes) > 1:
        notes.append("therapy_interaction is a placeholder (combination): check how the drugs relate.")
    design = _design(proposal)
    prevalence = outcomes and all(o.measure in _PREVALENCE for o in outcomes) and not (drugs or classes)
    data: dict[str, Any] = {
        "id": f"ev:{slug}-p{index:04d}",
        "statement": quote,
        "evidence_type": EvidenceType.PREVALENCE if prevalence else EvidenceType.PREDICTIVE,
        "direction": "supports",
        "significance": "not_applicable",
        "level": _LEVEL_OF_DESIGN.get(design, EvidenceLevel.B) if design is not None else EvidenceLevel.E,
        "level_rationale": "Placeholder set by kg propose from the design words; a curator sets the level.",
        "therapy": drugs,
        "therapy_classes": classes,
        "therapy_interaction": "combination" if len(drugs) + len(classes) > 1 else None,
        "alterations": alterations,
        "genes": genes,
        "molecular_profile": profiles[0] if profiles else None,
        "disease": proposal.disease.entity if proposal.disease is not None else None,
        "outcomes": outcomes,
        "quote": {"text": quote, "source": source_id, "section": proposal.section},
        "curator_notes": notes,
        "curation": Curation(
            status=CurationStatus.PROPOSED,
            method=CurationMethod.MACHINE_PROPOSED,
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
        ),
    }
    return ProposedEvidenceItem.model_validate(data), len(outcomes), in_notes


def _dump(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="python", exclude_defaults=True)  # type: ignore[no-any-return]


def write_draft(
    proposals: Iterable[Proposal],
    unrecognised: Unrecognised,
    *,
    output: Path,
    text_file: str,
    slug: str,
) -> DraftReport:
    """Write the draft file ``output`` (atomically: a temporary file renamed when complete)."""
    source_id = f"src:{slug}"
    report = DraftReport(output)
    source = Source(
        id=source_id,
        kind="journal_article",  # type: ignore[arg-type]
        short_citation=f"{slug} (proposed by kg propose)",
        text_file=text_file,
        curator_note="Drafted by kg propose: title, authors, journal, year, identifiers (verified only) and the "
        "studies are not read from the text; a curator fills them in and checks every proposed item.",
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(f"# Draft written by kg propose ({EXTRACTOR} {EXTRACTOR_VERSION}): every evidence item is\n")
            stream.write("# proposed and is not served until a curator accepts it (README, 'Adding a paper').\n")
            stream.write(dump_canonical({"sources": [_dump(source)]}))
            stream.write("proposed_evidence:\n")
            written = False
            for index, proposal in enumerate(proposals, start=1):
                item, outcomes, in_notes = _item(proposal, index, slug, source_id)
                block = dump_canonical({"proposed_evidence": [_dump(item)]})
                stream.write(block.split("\n", 1)[1])
                report.items += 1
                report.outcomes += outcomes
                report.outcomes_in_notes += in_notes
                written = True
            if not written:
                stream.write("  []\n")
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    report.unrecognised = [entry["text"] for entry in unrecognised.to_json()]
    return report
