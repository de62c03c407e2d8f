"""The alteration hierarchy derived from CIViC's variant names and coordinates, rule by rule, on real release rows.

Each rule is checked on rows of the bundled release read with the csv
module (names, coordinates, variant types), independently of
:mod:`kg.civic.hierarchy`, including the cases a rule must refuse: a missense
change inside the exon-19 deletion region is not an exon-19 deletion, the
loss of a whole exon contains nothing, "Rare Exon 18-21 Mutation" is not a
container, a methylation profile named after a fusion is not the fusion.
Then the questions: ``BRAF V600`` reaches V600E items as narrower, an ALK
fusion question EML4::ALK items, a ROS1 rearrangement question ROS1 fusions.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.civic.hierarchy import variant_facts
from kg.core.vocab import NodeType
from tests.conftest import DATA_DIR

VARIANTS = DATA_DIR / "civic" / "01-Aug-2024-VariantSummaries.tsv"


def _variants() -> dict[tuple[str, str], dict[str, str]]:
    with VARIANTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {(row["gene"], row["variant"]): row for row in rows}


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], dict[str, str]]:
    return _variants()


@pytest.fixture(scope="module")
def alt(kg_full, rows):
    """The alteration a release row became (through its civic.vid xref)."""
    by_vid = {x.id: a for a in kg_full.corpus.alterations.values() for x in a.xrefs if x.id.startswith("civic.vid:")}

    def find(gene: str, variant: str) -> Any:
        return by_vid[f"civic.vid:{rows[(gene, variant)]['variant_id']}"]

    return find


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _ancestors(kg_full, alteration_id: str) -> frozenset[str]:
    return kg_full.hierarchy.ancestors(alteration_id)


# -- codons -------------------------------------------------------------------------------------
def test_a_substitution_is_a_kind_of_its_codon(alt, rows) -> None:
    assert rows[("BRAF", "V600")] and rows[("BRAF", "V600E")]
    assert alt("BRAF", "V600E").parents == (alt("BRAF", "V600").id,)
    assert alt("BRAF", "V600K").parents == (alt("BRAF", "V600").id,)
    for gene, variant in (("KRAS", "G12C"), ("KRAS", "G12D"), ("IDH1", "R132H"), ("EZH2", "Y646F")):
        codon = re.match(r"[A-Z]\d+", variant).group(0)  # type: ignore[union-attr]
        assert alt(gene, codon).id in alt(gene, variant).parents


def test_codons_alternatives_and_groups_chain_up_to_the_gene(kg_full, alt) -> None:
    g12c = alt("KRAS", "G12C").id
    chain = [alt("KRAS", "G12").id, alt("KRAS", "G12/G13").id, alt("KRAS", "Exon 2 Mutation").id, "alt:KRAS-mutation"]
    ancestors = _ancestors(kg_full, g12c)
    assert set(chain) <= ancestors
    assert alt("KRAS", "G12C").parents == (chain[0],)  # the nearest only: the others are implied
    assert alt("FLT3", "D835H").parents == (alt("FLT3", "D835H/Y").id,)
    assert alt("FLT3", "D835H/Y").parents == (alt("FLT3", "D835").id,)
    assert alt("NRAS", "G13D").parents == (alt("NRAS", "G12/G13").id,)  # NRAS has no G13 variant: the group
    # the alternatives variant no longer answers to its member's alias
    assert "ASP835HIS" not in alt("FLT3", "D835H/Y").synonyms
    assert kg_full.resolver.resolve("ASP835HIS", [NodeType.ALTERATION]) == [alt("FLT3", "D835H").id]
    profiles = kg_full.resolver.resolve("ASP835HIS", [NodeType.MOLECULAR_PROFILE])
    assert [kg_full.corpus.molecular_profiles[p].alterations for p in profiles] == [(alt("FLT3", "D835H").id,)]


def test_a_cdna_variant_without_a_protein_level_twin_keeps_the_generic_parent(alt, rows) -> None:
    assert ("VHL", "R200W") not in rows
    assert alt("VHL", "R200W (c.598C>T)").parents == ("alt:VHL-mutation",)


# -- fusions ------------------------------------------------------------------------------------
def test_named_fusions_are_kinds_of_their_gene_fusion(kg_full, alt, rows) -> None:
    assert rows[("ALK", "Fusion")]["variant_types"] == "transcript_fusion"
    eml4_alk = alt("ALK", "EML4::ALK")
    assert eml4_alk.parents == (alt("ALK", "Fusion").id,)
    for form in ("EML4::ALK e20-e20", "EML4::ALK e2-e20", "EML4::ALK e6-e20"):
        assert alt("ALK", form).parents == (eml4_alk.id,)
    assert alt("PML", "PML::RARA A216V").parents == (alt("PML", "PML::RARA").id,)
    # filed under the other partner: found by name
    assert alt("FLI1", "EWSR1::FLI1 e7-e6").parents == (alt("EWSR1", "EWSR1::FLI1").id,)
    # a partner's fusion or rearrangement, across genes
    assert alt("DUX4", "Fusion").id in alt("CIC", "CIC::DUX4").parents
    assert alt("MN1", "Rearrangement").id in alt("ZFTA", "MN1::ZFTA").parents


def test_fusion_is_a_kind_of_rearrangement(kg_full, alt, rows) -> None:
    rearrangement = alt("ROS1", "Rearrangement")
    assert rows[("ROS1", "Rearrangement")]["variant_types"] == "transcript_fusion"
    assert alt("ROS1", "Fusion").parents == (rearrangement.id,)
    for partner in ("TFG::ROS1", "CD74::ROS1", "GOPC::ROS1"):
        assert rearrangement.id in _ancestors(kg_full, alt("ROS1", partner).id)


def test_an_unreadable_suffix_or_another_spelling_is_left_alone(kg_full, alt) -> None:
    methylation = alt("ZFTA", "ZFTA::RELA Methylation Profile")
    assert methylation.kind.value == "other"
    assert alt("ZFTA", "ZFTA::RELA").id not in _ancestors(kg_full, methylation.id)
    assert alt("ABL1", "BCR::ABL V379I").parents == ()  # "BCR::ABL" is not the release's "BCR::ABL1"


# -- exons ----------------------------------------------------------------------------------------
def _inside(child: dict[str, str], container: dict[str, str]) -> bool:
    return (
        child["chromosome"] == container["chromosome"]
        and child["reference_build"] == container["reference_build"]
        and int(container["start"]) <= int(child["start"]) <= int(child["stop"]) <= int(container["stop"])
    )


def test_changes_inside_an_exon_region_are_kinds_of_it(kg_full, alt, rows) -> None:
    exon19, exon20 = rows[("EGFR", "Exon 19 Deletion")], rows[("EGFR", "Exon 20 Insertion")]
    assert "inframe_deletion" in exon19["variant_types"] and "inframe_insertion" in exon20["variant_types"]
    deletions = ["L747_P753delinsS", "L747_S752delinsQ"]
    insertions = ["D770_N771insNPG", "A763_Y764insFQEA", "M766_A767insAI"]
    for variant in deletions:
        assert _inside(rows[("EGFR", variant)], exon19)
        assert "alt:EGFR-exon-19-deletion" in alt("EGFR", variant).parents
    for variant in insertions:
        assert _inside(rows[("EGFR", variant)], exon20)
        assert alt("EGFR", "Exon 20 Insertion").id in alt("EGFR", variant).parents
    # inside the region but not a deletion: not an exon-19 deletion
    for variant in ("P753S", "D761Y", "L747P"):
        assert _inside(rows[("EGFR", variant)], exon19)
        assert "alt:EGFR-exon-19-deletion" not in _ancestors(kg_full, alt("EGFR", variant).id)
    assert alt("PIK3CA", "Exon 10 Mutation").id in alt("PIK3CA", "E542K").parents
    assert alt("KIT", "Exon 11 Mutation").id in alt("KIT", "V560D").parents


def test_exon_losses_and_qualified_ranges_contain_nothing(kg_full, rows) -> None:
    assert rows[("VHL", "Exon 1 Deletion")]["variant_types"] == "exon_loss_variant"
    by_vid = {x.id: a.id for a in kg_full.corpus.alterations.values() for x in a.xrefs if x.id.startswith("civic.vid:")}
    for gene, variant in (
        ("VHL", "Exon 1 Deletion"),
        ("EGFR", "Rare Exon 18-21 Mutation"),
        ("EGFR", "Exon 4 Deletion"),
    ):
        container = by_vid[f"civic.vid:{rows[(gene, variant)]['variant_id']}"]
        assert not kg_full.hierarchy.descendants(container), (gene, variant)
    assert "alt:EGFR-L858R" in kg_full.corpus.alterations  # inside "Rare Exon 18-21", and not under it


def test_exon_names_relate_exon_variants(alt) -> None:
    either = alt("PIK3CA", "Exon 10 or Exon 21 Mutation")
    both = alt("PIK3CA", "Exon 10 and Exon 21 Mutation")
    for single in ("Exon 10 Mutation", "Exon 21 Mutation"):
        assert either.id in alt("PIK3CA", single).parents
        assert alt("PIK3CA", single).id in both.parents


def test_the_table_decides_what_the_names_cannot(alt) -> None:
    assert alt("TERT", "Promoter Mutation").id in alt("TERT", "C228T").parents
    assert "-124C>T" not in alt("TERT", "Promoter Mutation").synonyms


# -- facts and counts -----------------------------------------------------------------------------
def test_facts_read_coordinates_and_refuse_bad_ones() -> None:
    """variant_facts on a context with one bad start cell: a data error naming the row and column."""
    from kg.civic.context import ImportContext
    from kg.civic.reconcile import CuratedIndex
    from kg.civic.release import COLUMNS, KINDS, find_release
    from kg.civic.report import CivicReport
    from kg.civic.tsv import TsvRow, TsvTable, read_tsv
    from kg.model import Corpus

    errors: list = []
    release = find_release(Path(__file__).parent / "fixtures" / "civic", errors)
    assert release is not None
    tables = {kind: read_tsv(release.files[kind], release.display(kind), COLUMNS[kind], errors) for kind in KINDS}
    variant = tables["Variant"]
    assert isinstance(variant, TsvTable) and not errors
    first = variant.rows[0]
    broken = TsvRow(first.file, first.number, {**first.cells, "start": "12x"})
    tables["Variant"] = TsvTable(variant.file, variant.header, [broken])
    corpus = Corpus.from_records([])
    ctx = ImportContext(release, corpus, CuratedIndex.build(corpus), CivicReport(release.id, "x"), tables, errors)  # type: ignore[arg-type]
    facts = variant_facts(ctx, {int(first["variant_id"]): "alt:X-y"})
    assert facts and facts[0].location is None
    (error,) = errors
    assert (error.record, error.field) == ("row 1 (line 2)", "start")


def test_the_report_counts_what_was_linked(kg_full) -> None:
    from kg.civic import import_civic
    from kg.curation.load import load_curated

    report = import_civic(DATA_DIR / "civic", load_curated(DATA_DIR), validate=False).report
    links = report.hierarchy_links
    assert sum(report.hierarchy_counts.values()) == len(links)
    assert report.hierarchy_gained > 0 and report.hierarchy_specific >= report.hierarchy_gained
    for line in links:
        child, parent = re.match(r"(\S+) is a kind of (\S+) ", line).groups()  # type: ignore[union-attr]
        assert parent in kg_full.corpus.alterations[child].parents or parent in _ancestors(kg_full, child), line
    assert "alt:BRAF-V600E is a kind of alt:BRAF-V600 (codon)" in links
    assert "alt:ALK-EML4-ALK is a kind of alt:ALK-fusion (fusion partner)" in links
    assert "alt:ROS1-fusion is a kind of alt:ROS1-rearrangement (fusion in rearrangement)" in links


# -- questions ------------------------------------------------------------------------------------
def _results(client: TestClient, **params: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    while True:
        body = client.get("/evidence", params={**params, "limit": 100, "offset": len(results)}).json()
        results += body["results"]
        if not body["results"] or len(results) >= body["total"]:
            return results


@pytest.mark.parametrize(
    ("asked", "narrower", "resolved"),
    [
        ("BRAF V600", "alt:BRAF-V600E", "alt:BRAF-V600"),
        ("ALK fusion", "alt:ALK-EML4-ALK", "alt:ALK-fusion"),
        ("ROS1 rearrangement", "alt:ROS1-CD74-ROS1", "alt:ROS1-rearrangement"),
        ("KRAS G12", "alt:KRAS-G12C", "alt:KRAS-G12"),
    ],
)
def test_a_broad_variant_question_reaches_its_kinds_as_narrower(
    client: TestClient, kg_full, asked: str, narrower: str, resolved: str
) -> None:
    results = _results(client, alteration=asked)
    first = client.get("/evidence", params={"alteration": asked, "limit": 1}).json()
    assert first["query"]["resolved"][0]["id"] == resolved
    items = [r for r in results if narrower in kg_full.corpus.evidence[r["id"]].alterations]
    assert items, f"no {narrower} item in the answer to {asked!r}"
    for result in items:
        assert result["direct"] is True
        (match,) = [m for m in result["match"] if m["facet"] == "alteration"]
        assert match["match"] in ("exact", "narrower")
    assert any(m["match"] == "narrower" for r in items for m in r["match"])
