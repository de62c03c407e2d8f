"""CIViC evidence items and assertions → EvidenceItem and Assertion records.

An item's claim is CIViC's: type, direction, significance, level and rating
are mapped one to one (:mod:`kg.civic.values`). Its words are CIViC's too:
the evidence statement is both the ``statement`` and the verbatim ``quote``,
quoted from the release (``src:civic-<date>``, locator ``CIViC EID <n>``),
while ``cites`` names the publication the statement summarises. Items
flagged in CIViC, their variant origin and phenotypes, and notes from
``curator_notes.tsv`` become curator notes, because the model has no field
for them yet.
"""

from __future__ import annotations

from kg.civic.context import ImportContext
from kg.civic.diseases import disease_key
from kg.civic.entities import ProfileInfo
from kg.civic.outcomes import NotKept, outcomes_by_statement, read_outcomes
from kg.civic.release import CURATOR_NOTES_FILE
from kg.civic.therapies import Therapies
from kg.civic.tsv import TsvRow, read_tsv
from kg.civic.values import (
    DIRECTIONS,
    EVIDENCE_TYPES,
    INTERACTIONS,
    LEVEL_MEANINGS,
    LEVELS,
    SIGNIFICANCES,
    VARIANT_ORIGINS,
    parse_bool,
    parse_enum,
    parse_id,
    parse_id_list,
    parse_rating,
    split_therapies,
)
from kg.core.identifiers import node_type_of
from kg.core.vocab import NodeType
from kg.model import Assertion, EvidenceItem, Outcome, Quote
from kg.model.terms import AlterationLogic, Section, TherapyInteraction

__all__ = ["import_assertions", "import_evidence", "read_curator_notes", "therapies_of"]

FLAG_NOTE = (
    "Flagged in CIViC (is_flagged=true in this release): a CIViC user raised a concern about this item; "
    "check it on CIViC before relying on it."
)


def _therapy_parts(names: list[str], therapies: Therapies) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """Drug ids, drug-class ids and the notes of one row's therapy names (a class is never a twin drug)."""
    ids = tuple(dict.fromkeys(therapies.ids[name] for name in names if name in therapies.ids))  # else: an error
    classes = tuple(i for i in ids if node_type_of(i) is NodeType.DRUG_CLASS)
    notes = [therapies.notes[name] for name in names if name in therapies.notes]
    return tuple(i for i in ids if i not in classes), classes, notes


def therapies_of(row: TsvRow, ctx: ImportContext, interaction_column: str | None) -> list[str]:
    """Therapy names of a row, checked against the interaction type when the file has one."""
    names = split_therapies(row["therapies"])
    if interaction_column is None:
        return names
    interaction = row[interaction_column]
    if len(names) > 1 and not interaction:
        ctx.errors.append(
            row.error(interaction_column, "Combination, Substitutes or Sequential for several therapies", interaction)
        )
    if len(names) < 2 and interaction:
        ctx.errors.append(row.error(interaction_column, "an empty cell for fewer than two therapies", interaction))
    return names


def read_curator_notes(ctx: ImportContext) -> dict[tuple[str, int], list[str]]:
    """Notes by (kind, CIViC id) from the optional curator notes file."""
    path = ctx.release.directory / CURATOR_NOTES_FILE
    notes: dict[tuple[str, int], list[str]] = {}
    if not path.is_file():
        return notes
    table = read_tsv(path, f"{path.parent.name}/{path.name}", ("kind", "civic_id", "note"), ctx.errors)
    for row in table or ():
        if row["kind"] not in ("evidence", "assertion"):
            ctx.errors.append(row.error("kind", "'evidence' or 'assertion'", row["kind"]))
            continue
        civic_id = parse_id(row, "civic_id", ctx.errors)
        if civic_id is not None and row["note"].strip():
            notes.setdefault((row["kind"], civic_id), []).append(row["note"].strip())
    return notes


def import_evidence(
    ctx: ImportContext,
    profiles: dict[int, ProfileInfo],
    diseases: dict[str, str],
    therapies: Therapies,
    sources: dict[str, str],
    citation_of_row: dict[int, str],
    notes: dict[tuple[str, int], list[str]],
) -> set[str]:
    """Create one EvidenceItem per row; return the ids created."""
    created: set[str] = set()
    release_source = ctx.release.source_id
    rows = ctx.tables["ClinicalEvidence"]
    ctx.kept_outcomes = outcomes_by_statement(
        statement
        for statement in (row["evidence_statement"].strip() for row in rows if row["evidence_status"] == "accepted")
        if statement
    )
    known = ctx.kept_outcomes.values
    for row in rows:
        errors_before = len(ctx.errors)
        eid = parse_id(row, "evidence_id", ctx.errors)
        mpid = parse_id(row, "molecular_profile_id", ctx.errors)
        evidence_type = parse_enum(row, "evidence_type", EVIDENCE_TYPES, ctx.errors)
        direction = parse_enum(row, "evidence_direction", DIRECTIONS, ctx.errors)
        level = parse_enum(row, "evidence_level", LEVELS, ctx.errors)
        significance = parse_enum(row, "significance", SIGNIFICANCES, ctx.errors)
        rating = parse_rating(row, "rating", ctx.errors)
        flagged = parse_bool(row, "is_flagged", ctx.errors)
        origin_cell = row["variant_origin"].strip()
        variant_origin = parse_enum(row, "variant_origin", VARIANT_ORIGINS, ctx.errors) if origin_cell else None
        interaction = INTERACTIONS.get(row["therapy_interaction_type"])
        if row["therapy_interaction_type"] and interaction is None:
            parse_enum(row, "therapy_interaction_type", INTERACTIONS, ctx.errors)
        names = therapies_of(row, ctx, "therapy_interaction_type")
        if row["evidence_status"] != "accepted":
            ctx.errors.append(row.error("evidence_status", "'accepted' (the release holds accepted items only)"))
        statement = row["evidence_statement"].strip()
        if not statement:
            ctx.errors.append(row.error("evidence_statement", "the statement of the evidence item", ""))
        if len(ctx.errors) > errors_before or eid is None or mpid is None:
            continue
        assert evidence_type and direction and level and significance
        profile = profiles.get(mpid)
        name, doid = " ".join(row["disease"].split()), row["doid"].strip()
        disease_ref = disease_key(doid, name) if (name or doid) else None
        citation = citation_of_row.get(row.number)
        if (profile is None and mpid not in ctx.profile_problems) or citation is None:
            continue  # the profile or citation had a data error, already recorded
        if disease_ref is not None and disease_ref not in diseases:
            continue  # the disease had a data error, already recorded
        therapy, therapy_classes, curator_notes = _therapy_parts(names, therapies)
        if flagged:
            curator_notes.insert(0, FLAG_NOTE)
            ctx.report.flagged_items += 1
        if len(therapy) + len(therapy_classes) < len(names):
            curator_notes.append(f"CIViC names {', '.join(names)}; some of them are one drug or drug class here.")
        if len(therapy) + len(therapy_classes) < 2:
            interaction = None
        if row["phenotypes"].strip():
            curator_notes.append(f"CIViC phenotypes: {row['phenotypes'].strip()}.")
        curator_notes += notes.get(("evidence", eid), [])
        if profile is None:
            curator_notes.append(
                f"CIViC molecular profile {mpid} ({row['molecular_profile'].strip()!r}) could not be imported: "
                f"{ctx.profile_problems[mpid]}. The item is kept without a profile."
            )
        disease = diseases[disease_ref] if disease_ref is not None else None
        outcomes: tuple[Outcome, ...] = ()
        not_kept: tuple[NotKept, ...] = ()
        errors_before = len(ctx.errors)
        with ctx.building(row, "evidence_statement"):  # an extracted outcome checks its own numbers
            read = known.get(statement) or read_outcomes(statement)
            outcomes, not_kept = read.outcomes, read.not_kept
        if len(ctx.errors) > errors_before:
            continue
        for figure in not_kept:  # counted by reason in the report: nothing read is lost silently
            ctx.report.outcomes_not_kept[figure.reason] = ctx.report.outcomes_not_kept.get(figure.reason, 0) + 1
        if outcomes:
            ctx.report.outcomes_extracted += len(outcomes)
            ctx.report.items_with_outcomes += 1
        item_id = ctx.allocate(f"ev:civic-{eid}", f"evidence item {eid}")
        with ctx.building(row):
            ctx.add(
                EvidenceItem(
                    id=item_id,
                    statement=statement,
                    evidence_type=evidence_type,
                    direction=direction,
                    significance=significance,
                    level=level,
                    level_rationale=f"CIViC level {level.value} ({LEVEL_MEANINGS[level]})",
                    rating=rating,
                    therapy=therapy,
                    therapy_classes=therapy_classes,
                    therapy_interaction=interaction,
                    alterations=profile.positive if profile else (),
                    alteration_logic=profile.logic if profile else AlterationLogic.ALL,
                    molecular_profile=profile.id if profile else None,
                    genes=profile.genes if profile and not profile.positive else (),
                    disease=disease,
                    outcomes=outcomes,
                    quote=Quote(
                        text=statement,
                        source=release_source,
                        section=Section.DATABASE_STATEMENT,
                        locator=f"CIViC EID {eid}",
                    ),
                    cites=(sources[citation],),
                    xrefs=(ctx.xref(f"civic.eid:{eid}", row, "evidence_id", url=row["evidence_civic_url"].strip()),),
                    variant_origin=variant_origin,
                    flagged=bool(flagged),
                    curator_notes=tuple(curator_notes),
                ),
                row,
            )
        created.add(item_id)
    return created


def import_assertions(
    ctx: ImportContext,
    profiles: dict[int, ProfileInfo],
    diseases: dict[str, str],
    therapies: Therapies,
    evidence_ids: set[str],
    notes: dict[tuple[str, int], list[str]],
) -> None:
    """Create one Assertion per row, linked to the accepted evidence items it cites."""
    for row in ctx.tables["Assertion"]:
        errors_before = len(ctx.errors)
        aid = parse_id(row, "assertion_id", ctx.errors)
        mpid = parse_id(row, "molecular_profile_id", ctx.errors)
        evidence_type = parse_enum(row, "assertion_type", EVIDENCE_TYPES, ctx.errors)
        direction = parse_enum(row, "assertion_direction", DIRECTIONS, ctx.errors)
        significance = parse_enum(row, "significance", SIGNIFICANCES, ctx.errors)
        flagged = parse_bool(row, "is_flagged", ctx.errors)
        approval = parse_bool(row, "regulatory_approval", ctx.errors) if row["regulatory_approval"].strip() else None
        companion = parse_bool(row, "fda_companion_test", ctx.errors) if row["fda_companion_test"].strip() else None
        eids = parse_id_list(row, "evidence_item_ids", ctx.errors, allow_empty=True)
        names = therapies_of(row, ctx, None)
        summary = row["assertion_summary"].strip()
        if not summary:
            ctx.errors.append(row.error("assertion_summary", "a one-line summary", ""))
        if len(ctx.errors) > errors_before or aid is None or mpid is None:
            continue
        assert evidence_type and direction and significance
        name, doid = " ".join(row["disease"].split()), row["doid"].strip()
        disease_ref = disease_key(doid, name) if (name or doid) else None
        if (mpid not in profiles and mpid not in ctx.profile_problems) or (
            disease_ref is not None and disease_ref not in diseases
        ):
            continue  # the profile or disease had a data error, already recorded
        items = []
        for eid in eids:
            if f"ev:civic-{eid}" in evidence_ids:
                items.append(f"ev:civic-{eid}")
            else:
                ctx.report.dropped_references.append(
                    f"CIViC assertion AID {aid} cites EID {eid}, which is not an accepted item of this release"
                )
        therapy, classes, class_notes = _therapy_parts(names, therapies)
        disease = diseases[disease_ref] if disease_ref is not None else None
        curator_notes = [FLAG_NOTE] if flagged else []
        curator_notes += class_notes
        if classes:  # the model gives an assertion drugs only
            curator_notes.append(f"CIViC also names the drug class(es) {', '.join(classes)}, not kept on an assertion.")
        curator_notes += notes.get(("assertion", aid), [])
        if mpid not in profiles:
            curator_notes.append(
                f"CIViC molecular profile {mpid} ({row['molecular_profile'].strip()!r}) could not be imported: "
                f"{ctx.profile_problems[mpid]}."
            )
        assertion_id = ctx.allocate(f"assertion:civic-{aid}", f"assertion {aid}")
        with ctx.building(row):
            ctx.add(
                Assertion(
                    id=assertion_id,
                    summary=summary,
                    description=row["assertion_description"].strip() or None,
                    evidence_type=evidence_type,
                    direction=direction,
                    significance=significance,
                    amp_category=row["amp_category"].strip() or None,
                    acmg_codes=tuple(code.strip() for code in row["acmg_codes"].split(",") if code.strip()),
                    nccn_guideline=row["nccn_guideline"].strip() or None,
                    nccn_guideline_version=row["nccn_guideline_version"].strip() or None,
                    regulatory_approval=approval,
                    fda_companion_test=companion,
                    therapy=therapy,
                    therapy_interaction=TherapyInteraction.SINGLE if len(therapy) == 1 else None,
                    molecular_profile=profiles[mpid].id if mpid in profiles else None,
                    disease=disease,
                    evidence_items=tuple(items),
                    source=ctx.release.source_id,
                    xrefs=(ctx.xref(f"civic.aid:{aid}", row, "assertion_id", url=row["assertion_civic_url"].strip()),),
                    flagged=bool(flagged),
                    curator_notes=tuple(curator_notes),
                ),
                row,
            )
