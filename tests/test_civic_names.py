"""One node per therapy, allele and profile: CIViC's duplicate names reconciled, through the CLI, the graph and the API.

Expectations are read straight from the release TSVs and from our curated
tables with the csv module, never from the importer under test: which CIViC
names the therapy table decides, which variants share a ClinGen allele id,
which items name a therapy. The report comes from ``kg import civic
--dry-run --json``, as a curator would run it.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.settings import ApiSettings
from kg.civic import import_civic as run_import
from kg.cli import app
from kg.core.vocab import NodeType
from kg.curation.load import load_curated
from kg.runtime.resolve import name_key
from tests.conftest import DATA_DIR
from tests.test_cli_bad_civic import error_lines, import_civic

CIVIC = DATA_DIR / "civic"
FIXTURE = Path(__file__).parent / "fixtures" / "civic"
runner = CliRunner()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _items_naming(therapy: str) -> set[str]:
    """Ids of the evidence items whose therapies cell names ``therapy`` (names never contain ',' here)."""
    rows = _rows(CIVIC / "01-Aug-2024-ClinicalEvidenceSummaries.tsv")
    return {f"ev:civic-{r['evidence_id']}" for r in rows if therapy in r["therapies"].split(",")}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    # The default cache, as a user's import runs: the outcomes an earlier import kept are read, not re-extracted
    # (tests/test_outcome_cache.py: the outcomes a warm import serves are the ones a cold import reads).
    result = runner.invoke(app, ["import", "civic", str(CIVIC), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _all_results(client: TestClient, **params: str) -> list[dict[str, Any]]:
    """Every result of one /evidence question, page by page."""
    results: list[dict[str, Any]] = []
    while True:
        body = client.get("/evidence", params={**params, "limit": 100, "offset": len(results)}).json()
        results += body["results"]
        if not body["results"] or len(results) >= body["total"]:
            return results


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


# -- the report -------------------------------------------------------------------------------
def test_no_collision_is_left_undecided(report: dict[str, Any]) -> None:
    assert report["undecided_collisions"] == []
    decided = {c["decision"] for c in report["collisions"]}
    assert decided <= {"hierarchy", "distinct"}
    assert all(c["reason"] and c["a"] != c["b"] for c in report["collisions"])
    # the pairs the data decide are there, with the data's reason
    pairs = {(c["a"], c["b"]): c for c in report["collisions"]}
    assert pairs[("alt:BRAF-V600", "alt:BRAF-V600E")]["decision"] == "hierarchy"  # ClinVar 13961 under both
    breast = pairs[("disease:breast-cancer", "disease:doid-3459")]  # "breast carcinoma" is a curated synonym
    assert (breast["decision"], breast["reason"]) == (
        "hierarchy",
        "disease:doid-3459 is a kind of disease:breast-cancer",
    )


def test_every_table_row_is_decided_and_reported(report: dict[str, Any]) -> None:
    table = _rows(CIVIC / "therapy_names.tsv")
    assert table and all(row["reason"].strip() for row in table)
    decided = {d["civic"]: d for d in (*report["merged"], *report["duplicates_merged"], *report["apart"])}
    for row in table:
        if row["decision"] == "distinct":
            continue
        decision = decided[row["civic_name"]]
        assert decision["rule"] == f"table: {row['decision']}", row["civic_name"]
        assert decision["detail"].endswith(row["reason"]), row["civic_name"]


def test_salts_merge_into_their_moiety(report: dict[str, Any], kg_full) -> None:
    # Into a curated drug (imatinib is in the registry for its brand) or into CIViC's own record of the moiety.
    merged = {d["civic"]: d for d in (*report["merged"], *report["duplicates_merged"])}
    assert (merged["Imatinib Mesylate"]["curated_id"], merged["Imatinib Mesylate"]["rule"]) == (
        "drug:imatinib",
        "salt form",
    )
    assert merged["Pictilisib Bismesylate"]["curated_id"] == "drug:pictilisib"
    drugs = kg_full.corpus.drugs
    assert "drug:imatinib-mesylate" not in drugs
    assert "Imatinib Mesylate" in drugs["drug:imatinib"].synonyms
    mesylate_items = _items_naming("Imatinib Mesylate")
    assert len(mesylate_items) > 50
    for item_id in mesylate_items:
        assert "drug:imatinib" in kg_full.corpus.evidence[item_id].therapy, item_id
    # an ester is not a salt: cyproterone acetate stays a drug of its own
    assert any(d.label == "Cyproterone Acetate" for d in drugs.values())


def test_trade_and_descriptive_names_are_the_drug(kg_full) -> None:
    drugs = kg_full.corpus.drugs
    by_label = {d.label: d.id for d in drugs.values()}
    for name, drug in (("Taxol", "Paclitaxel"), ("ALK Inhibitor TAE684", "TAE684"), ("JQ1 Compound", "JQ1")):
        assert name not in by_label
        assert name in drugs[by_label[drug]].synonyms
        for item_id in _items_naming(name):
            assert by_label[drug] in kg_full.corpus.evidence[item_id].therapy


# -- classes -----------------------------------------------------------------------------------
def test_therapies_that_name_a_class_are_drug_classes_on_the_items(kg_full) -> None:
    """Every table row of 'class', 'broader' or a class target: the items carry the class, never a twin drug."""
    corpus, classes = kg_full.corpus, kg_full.corpus.drug_classes
    checked = 0
    for row in _rows(CIVIC / "therapy_names.tsv"):
        target = row["target"]
        if row["decision"] not in ("class", "broader", "same") or not target.startswith("drugclass:"):
            continue
        assert target in classes, target
        assert not any(
            name_key(row["civic_name"]) in {name_key(n) for n in d.all_names()} for d in corpus.drugs.values()
        )
        for item_id in _items_naming(row["civic_name"]):
            item = corpus.evidence[item_id]
            assert target in item.therapy_classes, (item_id, target)
            checked += 1
        if row["decision"] == "class":
            created = classes[target]
            assert created.label == row["civic_name"]
            assert set(created.parents) == {p for p in row["parents"].split("|") if p}
            assert row["reason"] in (created.curator_note or "")
    assert checked >= 40


def test_a_broader_reading_says_so_on_each_item(kg_full) -> None:
    """CIViC's 'EGFR TKI' also covers cetuximab and panitumumab items: read as EGFR-targeted therapy, and noted."""
    for item_id in _items_naming("Epidermal Growth Factor Receptor Tyrosine Kinase Inhibitor"):
        item = kg_full.corpus.evidence[item_id]
        assert "drugclass:egfr-targeted-therapy" in item.therapy_classes
        assert "drugclass:egfr-tki" not in item.therapy_classes
        assert any("Epidermal Growth Factor Receptor Tyrosine Kinase Inhibitor" in n for n in item.curator_notes)
    cetuximab = kg_full.corpus.evidence["ev:civic-693"]
    assert "cetuximab" in cetuximab.statement


def test_former_drug_ids_resolve_to_the_merged_node(client, kg_full) -> None:
    for old, new in (
        ("drug:chemotherapy", "drugclass:chemotherapy"),
        ("drug:imatinib-mesylate", "drug:imatinib"),
        ("drug:platinum-compound", "drugclass:platinum-chemotherapy"),
        ("drug:taxane-compound", "drugclass:taxane"),
        ("drug:taxol", "drug:paclitaxel"),
    ):
        assert old not in kg_full.graph
        assert kg_full.resolver.resolve(old) == [new]
        response = client.get(f"/entities/{old}")
        assert response.status_code == 200, response.text
        assert (response.json()["id"], response.json()["resolved_from"]) == (new, old)
    body = client.get("/evidence", params={"therapy": "drug:chemotherapy"}).json()
    assert body["query"]["resolved"][0]["id"] == "drugclass:chemotherapy"


def test_a_chemotherapy_question_finds_chemotherapy_from_both_sources(client, kg_full) -> None:
    """The seed's chemotherapy items and CIViC's are one node now; no relaxation is needed for the seed's question."""
    body = client.get(
        "/evidence", params={"therapy": "chemotherapy", "alteration": "HER2 amplification", "disease": "NSCLC"}
    ).json()
    assert body["query"]["resolved"][0]["id"] == "drugclass:chemotherapy"
    assert body["direct"] >= 1 and not body["relaxations"]
    direct = [r["id"] for r in body["results"] if r["direct"]]
    assert "ev:pan-zhou-2024-chemotherapy-her2-amplified-mpfs" in direct
    found = {r["id"] for r in _all_results(client, therapy="chemotherapy") if r["direct"]}
    assert {"ev:civic-1139", "ev:pan-zhou-2024-chemotherapy-her2-amplified-mpfs"} <= found
    assert _items_naming("Taxane Compound") <= found  # a class of ours under chemotherapy, reached as narrower
    # and nothing that is not chemotherapy: every direct item names chemotherapy or something under it
    under = {"drugclass:chemotherapy", *kg_full.hierarchy.descendants("drugclass:chemotherapy")}
    for item_id in found:
        item = kg_full.corpus.evidence[item_id]
        assert under & {*item.therapy, *item.therapy_classes}, item_id


# -- one allele, two names ---------------------------------------------------------------------
def test_variants_with_one_clingen_allele_are_one_alteration(kg_full, report: dict[str, Any]) -> None:
    used = {
        vid
        for row in _rows(CIVIC / "01-Aug-2024-MolecularProfileSummaries.tsv")
        for vid in row["variant_ids"].split(",")
    }
    by_caid: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows(CIVIC / "01-Aug-2024-VariantSummaries.tsv"):
        if row["allele_registry_id"].startswith("CA") and row["variant_id"] in used:
            by_caid[row["allele_registry_id"]].append(row)
    shared = {caid: rows for caid, rows in by_caid.items() if len(rows) > 1}
    assert len(shared) >= 2
    alterations = kg_full.corpus.alterations.values()
    for caid, rows in shared.items():
        holders = {a.id for a in alterations if any(x.id == f"CAID:{caid}" for x in a.xrefs)}
        assert len(holders) == 1, (caid, holders)
        (alteration,) = (a for a in alterations if a.id in holders)
        vids = {x.id for x in alteration.xrefs if x.id.startswith("civic.vid:")}
        assert vids == {f"civic.vid:{row['variant_id']}" for row in rows}
        names = {name_key(n) for n in alteration.all_names()}
        assert all(name_key(f"{row['gene']} {row['variant']}") in names for row in rows)
    merged = {(d["type"], d["civic"]) for d in report["duplicates_merged"] if d["rule"] == "identifier (CAID)"}
    assert ("alteration", "EGFR A767_V769dupASV") in merged or ("alteration", "EGFR V769_D770insASV") in merged
    assert kg_full.resolver.resolve("EGFR A767_V769dupASV") == kg_full.resolver.resolve("EGFR V769_D770insASV")
    # the merged-away ids still resolve, for the alteration and for its profile
    for decision in report["duplicates_merged"]:
        if decision["rule"] in ("identifier (CAID)", "same alterations"):
            assert decision["curated_id"] in kg_full.graph
    assert kg_full.resolver.resolve("alt:EGFR-A767_V769dupASV") == ["alt:EGFR-V769_D770insASV"]
    profile = next(
        row["molecular_profile_id"]
        for row in _rows(CIVIC / "01-Aug-2024-MolecularProfileSummaries.tsv")
        if row["name"] == "EGFR A767_V769dupASV"
    )
    assert f"mp:civic-{profile}" not in kg_full.graph
    (merged_profile,) = kg_full.resolver.resolve(f"mp:civic-{profile}")
    assert kg_full.corpus.molecular_profiles[merged_profile].alterations == ("alt:EGFR-V769_D770insASV",)


def test_a_serine_change_is_not_its_codon(kg_full) -> None:
    """Folding plurals must not read 'G12S' as 'G12's plural: the two are different alterations."""
    assert name_key("KRAS G12S") != name_key("KRAS G12")
    assert name_key("Gly12Cys") == "gly12cys"
    alteration = [NodeType.ALTERATION]
    assert kg_full.resolver.resolve("KRAS G12S", alteration) == ["alt:KRAS-G12S"]
    assert kg_full.resolver.resolve("KRAS G12", alteration) == ["alt:KRAS-G12"]
    assert name_key("EGFR mutations") == "egfrmutation" and name_key("HER2s") == "her2"


# -- bad tables ----------------------------------------------------------------------------------
TABLE_HEADER = "civic_name\tdecision\ttarget\tparents\tsynonyms\treason\n"


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("Erlotinib\tsame\tdrug:nothing-like-it\t\t\tx", "target", "the id of a curated drug or drug class"),
        ("Erlotinib\tmerge\tdrug:erlotinib\t\t\tx", "decision", "one of same, broader, class, distinct"),
        ("Erlotinib\tsame\tdrug:erlotinib\t\t\t", "reason", "why"),
        ("Ramucirumab\tclass\tdrugclass:vegfr2-antibody\tdrugclass:nope\t\tx", "parents", "curated drug class ids"),
        ("Ramucirumab\tclass\tdrugclass:chemotherapy\t\t\tx", "target", "an id the curated data does not use"),
        ("Ramucirumab\tbroader\tdrug:erlotinib\t\t\tx", "target", "the id of a curated drug class"),
        ("Ramucirumab\tsame\tNo Such Therapy\t\t\tx", "target", "named by this release"),
        ("Gefitinib\tsame\tdrug:gefitinib\tdrugclass:egfr-tki\t\tx", "parents", "belong to 'class' rows"),
    ],
    ids=["unknown-id", "decision", "no-reason", "parent", "curated-id", "broader-drug", "unknown-name", "parents"],
)
def test_a_bad_therapy_table_row_is_named(tmp_path: Path, row: str, column: str, expected: str) -> None:
    release = tmp_path / "release"
    shutil.copytree(FIXTURE, release)
    (release / "therapy_names.tsv").write_text(TABLE_HEADER + row + "\n", encoding="utf-8")
    data = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, data / sub)
    result = import_civic(release, data, tmp_path, "--dry-run")
    assert result.exit_code != 0
    lines = error_lines(result)
    assert any("therapy_names.tsv" in line and "row 1 (line 2)" in line and column in line for line in lines), lines
    assert any(expected in line for line in lines), lines


def test_a_fixture_table_row_applies(tmp_path: Path) -> None:
    """A class row on the small fixture: the item's therapy becomes the new class, with the row's parent."""
    release = tmp_path / "release"
    shutil.copytree(FIXTURE, release)
    row = "Ramucirumab\tclass\tdrugclass:anti-vegfr2-antibody\tdrugclass:monoclonal-antibody\tVEGFR2 antibody\tx y\n"
    (release / "therapy_names.tsv").write_text(TABLE_HEADER + row, encoding="utf-8")
    result = runner.invoke(
        app, ["import", "civic", str(release), "--dry-run", "--json"], env={"EVIDENCE_KG_CACHE": "off"}
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    apart = {d["civic"]: d for d in data["apart"]}
    assert apart["Ramucirumab"]["rule"] == "table: class"
    assert data["created"]["drug_classes"] == 1


MEMBERS_HEADER = "civic_name\tclass\teid\tquote\n"


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("Erlotinib\tdrugclass:no-such-class\t1\tthe inhibitor erlotinib", "class", "a curated drug class id"),
        ("Erlotinib\tdrugclass:egfr-tki\tEID1\tthe inhibitor erlotinib", "eid", "the CIViC evidence id"),
        ("Erlotinib\tdrugclass:egfr-tki\t1\tan EGFR inhibitor", "quote", "a verbatim part of the statement"),
    ],
    ids=["unknown-class", "eid", "quote-without-the-drug"],
)
def test_a_bad_class_member_row_is_named(tmp_path: Path, row: str, column: str, expected: str) -> None:
    release = tmp_path / "release"
    shutil.copytree(FIXTURE, release)
    (release / "class_members.tsv").write_text(MEMBERS_HEADER + row + "\n", encoding="utf-8")
    data = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, data / sub)
    result = import_civic(release, data, tmp_path, "--dry-run")
    assert result.exit_code != 0
    lines = error_lines(result)
    assert any("class_members.tsv" in line and "row 1 (line 2)" in line and column in line for line in lines), lines
    assert any(expected in line for line in lines), lines


def test_a_class_member_row_puts_the_drug_in_its_class(tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(FIXTURE, release)
    row = "Ramucirumab\tdrugclass:monoclonal-antibody\t1\tthe antibody ramucirumab\n"
    (release / "class_members.tsv").write_text(MEMBERS_HEADER + row, encoding="utf-8")
    imported = run_import(release, load_curated(DATA_DIR))
    drug = next(d for d in imported.corpus.drugs.values() if d.label.casefold() == "ramucirumab")
    assert "drugclass:monoclonal-antibody" in drug.classes
    (release / "class_members.tsv").unlink()
    without = run_import(release, load_curated(DATA_DIR))
    assert (
        "drugclass:monoclonal-antibody"
        not in next(d for d in without.corpus.drugs.values() if d.label.casefold() == "ramucirumab").classes
    )
