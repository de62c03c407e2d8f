"""Import a CIViC release into a new Corpus, reconciled with the curated one; all or nothing.

:func:`import_civic` reads the release files, maps every accepted evidence
item and assertion with the profiles, variants, genes, diseases, therapies
and citations they use, reconciles each entity with the curated corpus, and
returns a *new* Corpus holding the curated records (enriched with the CIViC
identifiers they lacked) and the CIViC records, validated by
:mod:`kg.curation.validate`'s rules. Any data error, in any file, raises one
:class:`~kg.core.errors.CorpusError` listing every problem, and nothing is
returned: a half-imported release would be worse than none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kg.civic.context import ImportContext
from kg.civic.diseases import collect_uses, disease_key, import_diseases
from kg.civic.duplicates import audit_duplicates
from kg.civic.entities import import_genes, import_profiles, import_variants, profile_variants
from kg.civic.evidence import import_assertions, import_evidence, read_curator_notes
from kg.civic.hierarchy import link_alterations, variant_facts
from kg.civic.reconcile import CuratedIndex
from kg.civic.release import COLUMNS, KINDS, find_release
from kg.civic.report import CivicReport
from kg.civic.sources import collect_citations, import_sources, release_source
from kg.civic.therapies import import_therapies
from kg.civic.tsv import TsvRow, TsvTable, read_tsv
from kg.civic.values import parse_id, split_therapies
from kg.core.errors import CorpusError, DataError
from kg.core.vocab import NodeType
from kg.curation.validate import RULES, Located, ValidationContext, check_outcome_numbers
from kg.model import SECTIONS, Corpus, Node
from kg.model.corpus import SECTION_OF_TYPE

__all__ = ["CivicImport", "import_civic"]


@dataclass(frozen=True)
class CivicImport:
    """The merged corpus and the report of how it was made."""

    corpus: Corpus
    report: CivicReport


def _fail(errors: list[DataError]) -> CorpusError:
    return CorpusError(errors)


#: The column holding each file kind's own CIViC id: one row per id.
_ID_COLUMNS = {
    "Gene": "gene_id",
    "Variant": "variant_id",
    "MolecularProfile": "molecular_profile_id",
    "ClinicalEvidence": "evidence_id",
    "Assertion": "assertion_id",
}


def _duplicate_rows(tables: dict[str, TsvTable]) -> list[DataError]:
    """A CIViC id on two rows is an error naming both (never a second record ``ev:civic-5-civic``)."""
    errors: list[DataError] = []
    for kind, column in _ID_COLUMNS.items():
        first: dict[str, TsvRow] = {}
        for row in tables.get(kind, ()):
            value = row[column].strip()
            if not value:
                continue  # an empty id is the mapping's error, with its own message
            earlier = first.setdefault(value, row)
            if earlier is not row:
                errors.append(
                    row.error(
                        column,
                        f"an id of its own: {earlier.record} has the same {column} {value} "
                        "(a row pasted twice, or two items given one id)",
                        value,
                    )
                )
    return errors


def _wanted_ids(ctx: ImportContext, kind: str, column: str) -> set[int]:
    ids: set[int] = set()
    for row in ctx.tables[kind]:
        value = parse_id(row, column, ctx.errors)
        if value is not None:
            ids.add(value)
    return ids


def _variant_genes(ctx: ImportContext, variant_ids: set[int]) -> tuple[set[int], dict[int, str]]:
    """CIViC gene ids of the wanted variants, and each variant's ``GENE VARIANT`` label."""
    gene_ids = {row["name"].strip(): row["gene_id"] for row in ctx.tables["Gene"]}
    genes: set[int] = set()
    labels: dict[int, str] = {}
    for row in ctx.tables["Variant"]:
        if not row["variant_id"].isdigit() or int(row["variant_id"]) not in variant_ids:
            continue
        symbol = row["gene"].strip()
        if gene_ids.get(symbol, "").isdigit():
            genes.add(int(gene_ids[symbol]))
        labels[int(row["variant_id"])] = f"{symbol} {row['variant']}"
    return genes, labels


def _therapy_names(ctx: ImportContext) -> list[tuple[str, TsvRow]]:
    """Every therapy name with the first row naming it (rows are checked when their item is mapped)."""
    names: list[tuple[str, TsvRow]] = []
    for kind in ("ClinicalEvidence", "Assertion"):
        for row in ctx.tables[kind]:
            names += [(name, row) for name in split_therapies(row["therapies"])]
    return names


def _apply_enrichment(ctx: ImportContext) -> dict[str, Node]:
    """Curated records with the CIViC identifiers (and, for diseases without any, parents) they gained."""
    updated: dict[str, Node] = {}
    for record_id, fields in ctx.enrich.items():
        record = ctx.curated.get(record_id)
        changes = {name: (*getattr(record, name), *values) for name, values in fields.items() if values}
        if record is None or not changes:
            continue
        updated[record_id] = record.model_copy(update=changes)
        added = []
        for name, values in fields.items():
            added += [f"{name} {getattr(value, 'id', value)}" for value in values]
        if added:
            ctx.report.augmented[record_id] = added
    return updated


def _curated_unmatched(ctx: ImportContext) -> dict[str, list[str]]:
    merged = {d.curated_id for d in ctx.report.merges}
    unmatched: dict[str, list[str]] = {}
    for node_type in (NodeType.GENE, NodeType.DISEASE, NodeType.DRUG, NodeType.ALTERATION):
        ids = sorted(rid for rid in ctx.curated.table(node_type) if rid not in merged)
        unmatched[SECTION_OF_TYPE[node_type]] = ids
    return unmatched


def _validate(ctx: ImportContext, records: list[Node], changed: set[str]) -> list[DataError]:
    """Run kg.curation.validate's rules over what the import created or changed, resolving against everything.

    Unchanged curated records passed these rules when the curated corpus was
    loaded, so only new and enriched records are checked, plus every record
    of an ``is_a`` hierarchy (a cycle may run through curated and CIViC
    records alike). ``check_outcome_numbers`` only sees items that have
    outcomes: it would otherwise scan the numbers of 4,000 quotes for nothing.
    """
    located: list[Located] = []
    by_id: dict[str, Located] = {}
    for record in records:
        record_id = record.id
        file, label = ctx.where.get(record_id, ("(curated data)", record_id))
        entry = Located(record, file, label)
        by_id[record_id] = entry
        for child in (*getattr(record, "arms", ()), *getattr(record, "events", ())):
            by_id[child.id] = Located(child, file, label)
        if record_id in changed or record.node_type in _HIERARCHY_TYPES:
            located.append(entry)
    context = ValidationContext(by_id=by_id, texts=ctx.curated.texts, text_files={})
    with_outcomes = [e for e in located if getattr(e.record, "outcomes", ())]
    errors: list[DataError] = []
    for rule in RULES:
        errors.extend(rule(with_outcomes if rule is check_outcome_numbers else located, context))
    return errors


_HIERARCHY_TYPES = {NodeType.DISEASE, NodeType.ALTERATION, NodeType.DRUG_CLASS, NodeType.RESISTANCE_MECHANISM}


def import_civic(civic_dir: Path, curated: Corpus, *, validate: bool = True) -> CivicImport:
    """Import the CIViC release in ``civic_dir`` and merge it with ``curated``; raise CorpusError on bad input.

    ``curated`` is not modified. The new corpus's version is the curated
    version plus ``+civic-<date>``. ``validate=False`` skips the final run of
    kg.curation.validate's rules (the import's own checks still run); it exists for
    benchmarks, not for loading data users see.
    """
    started = time.perf_counter()
    errors: list[DataError] = []
    release = find_release(Path(civic_dir), errors)
    if release is None:
        raise _fail(errors)
    tables: dict[str, TsvTable] = {}
    for kind in KINDS:
        table = read_tsv(release.files[kind], release.display(kind), COLUMNS[kind], errors)
        if table is not None:
            tables[kind] = table
    errors += _duplicate_rows(tables)
    if errors:
        raise _fail(errors)
    report = CivicReport(release.id, str(civic_dir))
    report.rows_read = {release.display(kind): len(tables[kind]) for kind in KINDS}
    ctx = ImportContext(release, curated, CuratedIndex.build(curated), report, tables, errors)

    wanted_profiles = _wanted_ids(ctx, "ClinicalEvidence", "molecular_profile_id") | _wanted_ids(
        ctx, "Assertion", "molecular_profile_id"
    )
    variants_of = profile_variants(ctx, wanted_profiles)
    variant_rows = {int(r["variant_id"]) for r in ctx.tables["Variant"] if r["variant_id"].isdigit()}
    wanted_variants = {vid for vids in variants_of.values() for vid in vids} & variant_rows
    wanted_genes, labels = _variant_genes(ctx, wanted_variants)
    genes = import_genes(ctx, wanted_genes)
    variants = import_variants(ctx, wanted_variants, genes)
    profiles = import_profiles(ctx, wanted_profiles, variants, labels)
    variant_distinct = link_alterations(ctx, variant_facts(ctx, variants))

    uses = collect_uses(ctx)
    diseases = import_diseases(ctx, uses)
    for key, use in uses.items():
        if use.doid is None and key in diseases:
            for name in use.names:
                diseases.setdefault(disease_key("", name), diseases[key])
    therapies = import_therapies(ctx, _therapy_names(ctx))
    citations, citation_of_row = collect_citations(ctx)
    sources = import_sources(ctx, citations)
    with ctx.building(None):
        ctx.add(release_source(ctx), file=release.display("ClinicalEvidence"))
    notes = read_curator_notes(ctx)
    evidence_ids = import_evidence(ctx, profiles, diseases, therapies, sources, citation_of_row, notes)
    import_assertions(ctx, profiles, diseases, therapies, evidence_ids, notes)
    if ctx.errors:
        raise _fail(ctx.errors)

    report.curated_unmatched = _curated_unmatched(ctx)
    enriched = _apply_enrichment(ctx)
    created: dict[str, int] = dict.fromkeys(SECTIONS, 0)
    for record in ctx.records.values():
        created[SECTION_OF_TYPE[record.node_type]] += 1
    report.created = {name: count for name, count in created.items() if count}
    records = [enriched.get(r.id, r) for r in curated] + list(ctx.records.values())
    collisions = audit_duplicates(records, therapies.rules, variant_distinct)
    report.collisions = [collision.as_dict() for collision in collisions]
    if validate:
        problems = _validate(ctx, records, set(ctx.records) | set(enriched))
        if problems:
            raise _fail(problems)
    corpus = Corpus.from_records(records, texts=curated.texts, version=f"{curated.version}+{release.id}")
    if ctx.kept_outcomes is not None:  # the import succeeded: what the grammar read is kept for the next one
        ctx.kept_outcomes.save()
    report.seconds = time.perf_counter() - started
    return CivicImport(corpus, report)
