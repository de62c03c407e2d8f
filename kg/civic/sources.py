"""Citations of CIViC evidence → Source records, plus the Source that stands for the release.

A PubMed citation becomes ``src:pmid-<n>`` with a verified PMID xref (CIViC
checks PMIDs against PubMed when an item is submitted); ClinicalTrials.gov
ids that CIViC attaches to items citing it become its ``registry_ids``.
Conference abstracts carry the identifiers CIViC gives and nothing more:
ASCO abstracts their ASCO web id and abstract number (in a note: they are
not trial registry ids and have no CURIE prefix), ASH abstracts the DOI
that CIViC records as their citation id. No title, journal or DOI is looked
up or guessed. A source the curated corpus already has (same PMID or DOI)
is reused, never duplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.civic.context import ImportContext
from kg.civic.tsv import TsvRow
from kg.civic.values import parse_nct_ids
from kg.core.vocab import NodeType
from kg.model import Source, Xref
from kg.model.terms import SourceKind, Verification

__all__ = ["CitationUse", "collect_citations", "import_sources", "release_source"]

_PMID = re.compile(r"^[1-9]\d*$")
_DOI = re.compile(r"^10\.\d{2,9}/\S+$")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_ASCO = re.compile(r"^(?P<author>.+?), (?P<year>\d{4}), (?P<meeting>.+?), Abstract (?P<number>\S+)$")


@dataclass
class CitationUse:
    """One cited source as the release describes it, and the trial ids given with it."""

    key: str  # PMID:<n>, ASCO:<id>, doi:<doi>
    source_type: str
    citation: str
    citation_id: str
    asco_abstract_id: str
    row: TsvRow
    nct_ids: dict[str, None] = field(default_factory=dict)


def release_source(ctx: ImportContext) -> Source:
    """The Source record of the CIViC release itself, which every imported quote comes from."""
    release = ctx.release
    return Source(
        id=release.source_id,
        kind=SourceKind.DATABASE,
        short_citation=f"CIViC, release {release.date_prefix}",
        title=f"CIViC: Clinical Interpretation of Variants in Cancer, data release {release.date_prefix}",
        journal="CIViC (civicdb.org)",
        year=int(release.date[:4]),
        url="https://civicdb.org",
        license="CC0 1.0",
        curator_note="CIViC data are dedicated to the public domain (CC0 1.0); we attribute them to CIViC "
        "(Griffith et al., Nat Genet 2017) and its curators. Statements are quoted as CIViC gives them.",
    )


def collect_citations(ctx: ImportContext) -> tuple[dict[str, CitationUse], dict[int, str]]:
    """Cited sources by key, and evidence row number → source key."""
    uses: dict[str, CitationUse] = {}
    by_row: dict[int, str] = {}
    for row in ctx.tables["ClinicalEvidence"]:
        source_type, citation_id = row["source_type"], row["citation_id"].strip()
        if source_type == "PubMed":
            if not _PMID.match(citation_id):
                ctx.errors.append(row.error("citation_id", "a PubMed id (digits) for source_type PubMed", citation_id))
                continue
            key = f"PMID:{citation_id}"
        elif source_type == "ASCO":
            if not citation_id.isdigit():
                ctx.errors.append(row.error("citation_id", "CIViC's numeric ASCO abstract id", citation_id))
                continue
            key = f"ASCO:{citation_id}"
        elif source_type == "ASH":
            if not _DOI.match(citation_id):
                ctx.errors.append(row.error("citation_id", "the DOI CIViC gives for an ASH abstract", citation_id))
                continue
            key = f"doi:{citation_id}"
        else:
            ctx.errors.append(row.error("source_type", "one of 'PubMed', 'ASCO', 'ASH'", source_type))
            continue
        use = uses.get(key)
        if use is None:
            use = uses[key] = CitationUse(
                key, source_type, row["citation"].strip(), citation_id, row["asco_abstract_id"].strip(), row
            )
        for nct in parse_nct_ids(row, "nct_ids", ctx.errors):
            use.nct_ids[nct] = None
        by_row[row.number] = key
    return uses, by_row


def _slug(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.casefold())).strip("-")


def import_sources(ctx: ImportContext, uses: dict[str, CitationUse]) -> dict[str, str]:
    """Citation key → our source id."""
    resolved: dict[str, str] = {}
    for key, use in uses.items():
        row = use.row
        year_match = _YEAR.findall(use.citation)
        year = int(year_match[-1]) if year_match else None
        registry = tuple(use.nct_ids)
        xrefs: tuple[Xref, ...] = ()
        note = None
        journal = None
        if use.source_type == "PubMed":
            xrefs = (ctx.xref(key, row, "citation_id"),)
            wanted, kind = f"src:pmid-{use.citation_id}", SourceKind.JOURNAL_ARTICLE
        elif use.source_type == "ASCO":
            wanted, kind = f"src:asco-{use.citation_id}", SourceKind.CONFERENCE_ABSTRACT
            parsed = _ASCO.match(use.citation)
            journal = parsed.group("meeting") if parsed else None
            note = (
                f"ASCO abstract as identified by CIViC: ASCO web id {use.citation_id}, abstract number "
                f"{use.asco_abstract_id or 'not given'}; no PubMed id."
            )
        else:
            xrefs = (ctx.xref(key, row, "citation_id", Verification.VERIFIED_SECONDARY),)
            wanted, kind = f"src:ash-{_slug(use.citation_id)}", SourceKind.CONFERENCE_ABSTRACT
            note = "ASH abstract; the DOI is the citation id CIViC records for it."
        decision = ctx.index.reconcile(NodeType.SOURCE, use.citation, [x.id for x in xrefs], ())
        if decision.curated_id:
            ctx.decide(decision)
            ctx.enrich_curated(decision.curated_id, "xrefs", list(xrefs))
            if registry:
                ctx.enrich_curated(decision.curated_id, "registry_ids", list(registry))
            resolved[key] = decision.curated_id
            continue
        source_id = ctx.allocate(wanted, f"source {use.citation}")
        with ctx.building(row):
            ctx.add(
                Source(
                    id=source_id,
                    kind=kind,
                    short_citation=use.citation or key,
                    journal=journal,
                    year=year,
                    xrefs=xrefs,
                    registry_ids=registry,
                    curator_note=note,
                ),
                row,
            )
        resolved[key] = source_id
    return resolved
