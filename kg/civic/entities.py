"""Genes, variants (→ alterations) and molecular profiles of a CIViC release.

Only what the evidence items and assertions use is imported: the profiles
they name, the variants of those profiles and the genes of those variants.
Each entity is first reconciled with the curated corpus (identifier, then
name); a merged entity keeps the curated id and the curated record gains
the CIViC identifiers it lacked, a new one gets a stable id of ours. Two
CIViC variants with one ClinGen allele id (CAID) are one allele written two
ways (``EGFR A767_V769dupASV`` and ``V769_D770insASV``) and become one
alteration, the second name a synonym.

Where alterations sit in their hierarchy is :mod:`kg.civic.hierarchy`;
therapies are :mod:`kg.civic.therapies`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.civic.context import ImportContext
from kg.civic.profiles import ProfileSyntaxError, parse_profile
from kg.civic.reconcile import Decision
from kg.civic.tsv import TsvRow
from kg.civic.values import parse_bool, parse_id, parse_id_list, parse_optional_id
from kg.civic.variants import classify_variant, variant_slug
from kg.core.vocab import NodeType
from kg.model import Alteration, Gene, MolecularProfile, Xref
from kg.model.terms import AlterationLogic, Verification

__all__ = [
    "ProfileInfo",
    "import_genes",
    "import_profiles",
    "import_variants",
    "profile_variants",
]

_CLINVAR = re.compile(r"^\d+$")
_CAID = re.compile(r"^CA\d+$")
_RS = re.compile(r"^rs\d+$", re.IGNORECASE)
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class ProfileInfo:
    """A profile as the evidence mapping needs it."""

    id: str
    positive: tuple[str, ...]
    negated: tuple[str, ...]
    logic: AlterationLogic
    genes: tuple[str, ...]


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- genes ---------------------------------------------------------------------------
def import_genes(ctx: ImportContext, wanted: set[int]) -> dict[int, str]:
    """CIViC gene id → our gene id, for the genes in ``wanted``."""
    resolved: dict[int, str] = {}
    for row in ctx.tables["Gene"]:
        gid = parse_id(row, "gene_id", ctx.errors)
        if gid is None or gid not in wanted:
            continue
        symbol = row["name"].strip()
        if not _SYMBOL.match(symbol):
            ctx.errors.append(row.error("name", "an HGNC gene symbol (letters, digits, '-', '.', '_')", symbol))
            continue
        entrez = parse_optional_id(row, "entrez_id", ctx.errors)
        parse_bool(row, "is_flagged", ctx.errors)
        xrefs = [ctx.xref(f"civic.gid:{gid}", row, "gene_id")]
        if entrez is not None:
            xrefs.insert(0, ctx.xref(f"NCBIGene:{entrez}", row, "entrez_id"))
        decision = ctx.index.reconcile(NodeType.GENE, symbol, [x.id for x in xrefs], [symbol])
        ctx.decide(decision)
        if decision.curated_id:
            ctx.enrich_curated(decision.curated_id, "xrefs", list(xrefs))
            resolved[gid] = decision.curated_id
            continue
        gene_id = ctx.allocate(f"gene:{symbol}", f"gene {symbol}")
        with ctx.building(row):
            ctx.add(Gene(id=gene_id, label=symbol, symbol=symbol, xrefs=tuple(xrefs)), row)
        resolved[gid] = gene_id
    return resolved


# -- variants → alterations ------------------------------------------------------------
def _variant_xrefs(ctx: ImportContext, row: TsvRow, vid: int) -> tuple[list[Xref], list[str]]:
    """Xrefs (civic.vid, CAID, ClinVar, dbSNP) and the non-rs aliases of a variant row."""
    secondary = Verification.VERIFIED_SECONDARY
    xrefs = [ctx.xref(f"civic.vid:{vid}", row, "variant_id")]
    caid = row["allele_registry_id"].strip()
    if _CAID.match(caid):
        xrefs.append(ctx.xref(f"CAID:{caid}", row, "allele_registry_id", secondary))
    elif caid not in ("", "unregistered", "N/A"):
        ctx.errors.append(row.error("allele_registry_id", "a ClinGen allele id like CA126713, or empty", caid))
    clinvar = row["clinvar_ids"].strip()
    if clinvar not in ("", "N/A", "NONE FOUND"):
        parts = [part.strip() for part in clinvar.split(",") if part.strip()]
        if not all(_CLINVAR.match(part) for part in parts):
            ctx.errors.append(row.error("clinvar_ids", "comma-separated ClinVar variation ids, N/A or NONE FOUND"))
        for part in dict.fromkeys(parts):
            xrefs.append(ctx.xref(f"ClinVarVariant:{part}", row, "clinvar_ids", secondary))
    aliases: list[str] = []
    for alias in (a.strip() for a in row["variant_aliases"].split(",")):
        if not alias:
            continue
        if _RS.match(alias):
            curie = f"DBSNP:rs{alias[2:]}"
            if curie not in {x.id for x in xrefs}:
                xrefs.append(ctx.xref(curie, row, "variant_aliases", secondary))
        else:
            aliases.append(alias)
    return xrefs, aliases


def import_variants(ctx: ImportContext, wanted: set[int], genes: dict[int, str]) -> dict[int, str]:
    """CIViC variant id → our alteration id, for the variants in ``wanted``."""
    gene_by_symbol: dict[str, int] = {}
    for row in ctx.tables["Gene"]:
        if row["gene_id"].isdigit():
            gene_by_symbol[row["name"].strip()] = int(row["gene_id"])
    resolved: dict[int, str] = {}
    by_caid: dict[str, str] = {}  # CAID → new alteration id
    for row in ctx.tables["Variant"]:
        vid = parse_id(row, "variant_id", ctx.errors)
        if vid is None or vid not in wanted:
            continue
        parse_bool(row, "is_flagged", ctx.errors)
        symbol, variant = row["gene"].strip(), _squash(row["variant"])
        gid = gene_by_symbol.get(symbol)
        if gid is None or gid not in genes:
            ctx.errors.append(row.error("gene", "the name of a gene in the release's GeneSummaries.tsv", symbol))
            continue
        if not variant:
            ctx.errors.append(row.error("variant", "a variant name", row["variant"]))
            continue
        gene_id = genes[gid]
        klass = classify_variant(variant, row["variant_types"])
        xrefs, aliases = _variant_xrefs(ctx, row, vid)
        hgvs = tuple(
            h.strip() for h in row["hgvs_descriptions"].split(",") if h.strip() and h.strip() not in ("N/A", "NONE")
        )
        label = f"{symbol} {variant}"
        decision = ctx.index.reconcile(NodeType.ALTERATION, label, [x.id for x in xrefs], [variant], scope=gene_id)
        ctx.decide(decision)
        if decision.curated_id:
            ctx.enrich_curated(decision.curated_id, "xrefs", list(xrefs))
            if hgvs and not getattr(ctx.curated.get(decision.curated_id), "hgvs", ()):
                ctx.enrich_curated(decision.curated_id, "hgvs", list(hgvs))
            resolved[vid] = decision.curated_id
            continue
        gene_symbol = getattr(ctx.curated.get(gene_id) or ctx.records.get(gene_id), "symbol", symbol)
        wanted_id = f"alt:{gene_symbol}-{variant_slug(variant)}"
        caid = next((x.id for x in xrefs if x.id.startswith("CAID:")), None)
        if caid is not None and caid in by_caid:
            resolved[vid] = _merge_allele(ctx, by_caid[caid], caid, label, wanted_id, aliases, xrefs, hgvs)
            continue
        alt_id = ctx.allocate(wanted_id, f"variant {label}")
        synonyms = tuple(dict.fromkeys(a for a in aliases if a not in (variant, label)))
        with ctx.building(row):
            ctx.add(
                Alteration(
                    id=alt_id,
                    label=label,
                    synonyms=synonyms,
                    gene=gene_id,
                    kind=klass.kind,
                    variant=variant,
                    hgvs=hgvs,
                    xrefs=tuple(xrefs),
                ),
                row,
            )
        if caid is not None:
            by_caid[caid] = alt_id
        resolved[vid] = alt_id
    return resolved


def _merge_allele(
    ctx: ImportContext,
    alt_id: str,
    caid: str,
    label: str,
    wanted_id: str,
    aliases: list[str],
    xrefs: list[Xref],
    hgvs: tuple[str, ...],
) -> str:
    """A second CIViC variant with the CAID of ``alt_id``: its names, ids and HGVS join that alteration."""
    record = ctx.records[alt_id]
    assert isinstance(record, Alteration)
    names = [n for n in dict.fromkeys((label, *aliases, wanted_id)) if n not in record.all_names()]
    known = {x.id for x in record.xrefs}
    ctx.records[alt_id] = record.model_copy(
        update={
            "synonyms": (*record.synonyms, *names),
            "xrefs": (*record.xrefs, *(x for x in xrefs if x.id not in known)),
            "hgvs": tuple(dict.fromkeys((*record.hgvs, *hgvs))),
        }
    )
    detail = f"{caid} is the ClinGen allele of both {record.label!r} and {label!r}: one allele written two ways"
    ctx.report.duplicates_merged.append(Decision(NodeType.ALTERATION, label, alt_id, "identifier (CAID)", detail))
    return alt_id


# -- molecular profiles -------------------------------------------------------------------
def profile_variants(ctx: ImportContext, wanted: set[int]) -> dict[int, list[int]]:
    """Molecular profile id → its variant ids, for the profiles in ``wanted``."""
    variants: dict[int, list[int]] = {}
    for row in ctx.tables["MolecularProfile"]:
        mpid = parse_id(row, "molecular_profile_id", ctx.errors)
        if mpid is None or mpid not in wanted:
            continue
        variants[mpid] = parse_id_list(row, "variant_ids", ctx.errors)
    for mpid in sorted(wanted - set(variants)):
        problem = f"molecular profile {mpid} is named by the release but has no row in {ctx.release.display('MolecularProfile')}"
        ctx.profile_problems[mpid] = problem
        ctx.report.dropped_references.append(problem)
    return variants


def import_profiles(
    ctx: ImportContext, wanted: set[int], variants: dict[int, str], labels: dict[int, str]
) -> dict[int, ProfileInfo]:
    """CIViC molecular profile id → what evidence items need to know about it."""
    resolved: dict[int, ProfileInfo] = {}
    seen: dict[tuple[tuple[str, ...], tuple[str, ...], AlterationLogic], str] = {}  # new profiles by content
    for row in ctx.tables["MolecularProfile"]:
        mpid = parse_id(row, "molecular_profile_id", ctx.errors)
        if mpid is None or mpid not in wanted:
            continue
        parse_bool(row, "is_flagged", ctx.errors)
        vids = parse_id_list(row, "variant_ids", ctx.errors)
        missing = [vid for vid in vids if vid not in variants]
        if missing:
            problem = (
                f"molecular profile {mpid} ({row['name'].strip()!r}) names variant(s) {missing} that "
                f"{ctx.release.display('Variant')} does not list (CIViC factors such as kataegis have no gene)"
            )
            ctx.profile_problems[mpid] = problem
            ctx.report.dropped_references.append(problem)
            continue
        name = row["name"].strip()
        try:
            parsed = parse_profile(name, [(vid, labels[vid]) for vid in vids])
        except ProfileSyntaxError as problem:
            ctx.errors.append(row.error("name", str(problem), name))
            continue
        positive = tuple(dict.fromkeys(variants[v] for v in parsed.positive))
        negated = tuple(dict.fromkeys(variants[v] for v in parsed.negated))
        genes = tuple(
            dict.fromkeys(getattr(ctx.curated.get(a) or ctx.records.get(a), "gene", "") for a in (*positive, *negated))
        )
        xref = ctx.xref(f"civic.mpid:{mpid}", row, "molecular_profile_id")
        decision = ctx.index.reconcile(NodeType.MOLECULAR_PROFILE, name, [xref.id], [name])
        ctx.decide(decision)
        same = (positive, negated, parsed.logic)
        if decision.curated_id:
            ctx.enrich_curated(decision.curated_id, "xrefs", [xref])
            mp_id = decision.curated_id
        elif same in seen and (positive or negated):
            mp_id = _merge_profile(ctx, seen[same], name, f"mp:civic-{mpid}", xref)
        else:
            mp_id = ctx.allocate(f"mp:civic-{mpid}", f"molecular profile {mpid}")
            aliases = tuple(dict.fromkeys(a.strip() for a in row["aliases"].split(",") if a.strip()))
            with ctx.building(row):
                ctx.add(
                    MolecularProfile(
                        id=mp_id,
                        label=_squash(name),
                        synonyms=tuple(a for a in aliases if a != _squash(name)),
                        alterations=positive,
                        negated=negated,
                        logic=parsed.logic,
                        expression=name,
                        xrefs=(xref,),
                    ),
                    row,
                )
            seen.setdefault(same, mp_id)
        resolved[mpid] = ProfileInfo(mp_id, positive, negated, parsed.logic, tuple(g for g in genes if g))
    return resolved


def _merge_profile(ctx: ImportContext, mp_id: str, name: str, wanted_id: str, xref: Xref) -> str:
    """A second CIViC profile over the very same alterations (one allele under two names): one profile."""
    record = ctx.records[mp_id]
    assert isinstance(record, MolecularProfile)
    names = [n for n in (_squash(name), wanted_id) if n not in record.all_names()]
    ctx.records[mp_id] = record.model_copy(
        update={"synonyms": (*record.synonyms, *names), "xrefs": (*record.xrefs, xref)}
    )
    detail = f"{name!r} names the same alterations as {record.label!r} (one allele, two CIViC names)"
    ctx.report.duplicates_merged.append(Decision(NodeType.MOLECULAR_PROFILE, name, mp_id, "same alterations", detail))
    return mp_id
