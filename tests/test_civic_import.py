"""The CIViC import on the real release in data/civic/, reconciled with the real curated corpus.

Expected counts are computed here with the csv module straight from the TSV,
independently of kg.civic, so a mapping bug cannot hide behind its own count.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kg.civic import CivicImport, import_civic
from kg.civic.outcomes import (
    BELOW_BAR,
    IMPORTED_MEASURES,
    NOT_KEPT_REASONS,
    NOT_PLAIN,
    P_LEFT_OUT,
    read_outcomes,
)
from kg.core.errors import CorpusError
from kg.core.text import number_text, numbers_in_text
from kg.core.vocab import NodeType
from kg.curation.assemble import run_import
from kg.model import Alteration, Corpus, Disease, Drug, EvidenceItem, Gene, MolecularProfile, Source, Xref
from kg.model.outcomes import ExtractionMethod
from kg.model.terms import AlterationLogic, Direction, EvidenceLevel, EvidenceType, TherapyInteraction, Verification
from kg.reader.figures import EXTRACTOR, EXTRACTOR_VERSION
from tests.conftest import DATA_DIR

CIVIC_DIR = DATA_DIR / "civic"
EVIDENCE_TSV = CIVIC_DIR / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
ASSERTION_TSV = CIVIC_DIR / "01-Aug-2024-AssertionSummaries.tsv"
FIXTURE = Path(__file__).parent / "fixtures" / "civic"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def civic(curated_corpus: Corpus) -> CivicImport:
    return import_civic(CIVIC_DIR, curated_corpus)


def _item(result: CivicImport, eid: int) -> EvidenceItem:
    return result.corpus.evidence[f"ev:civic-{eid}"]


# -- completeness ---------------------------------------------------------------------
def test_every_accepted_item_is_imported(civic: CivicImport) -> None:
    rows = _rows(EVIDENCE_TSV)
    assert len(rows) == 4375
    imported = {x.id for item in civic.corpus.evidence.values() for x in item.xrefs if x.id.startswith("civic.eid:")}
    assert imported == {f"civic.eid:{row['evidence_id']}" for row in rows}


def test_counts_by_type_and_level_match_the_tsv(civic: CivicImport) -> None:
    rows = _rows(EVIDENCE_TSV)
    items = [item for item in civic.corpus.evidence.values() if item.id.startswith("ev:civic-")]
    assert Counter(item.evidence_type.value for item in items) == Counter(row["evidence_type"].lower() for row in rows)
    assert Counter(item.level.value for item in items) == Counter(row["evidence_level"] for row in rows)
    assert Counter(item.direction for item in items)[Direction.NOT_APPLICABLE] == sum(
        row["evidence_direction"] == "N/A" for row in rows
    )
    flagged = {row["evidence_id"] for row in rows if row["is_flagged"] == "true"}
    noted = {
        item.id.removeprefix("ev:civic-") for item in items if any("Flagged in CIViC" in n for n in item.curator_notes)
    }
    assert noted == flagged and len(flagged) == 61
    assert {item.id.removeprefix("ev:civic-") for item in items if item.flagged} == flagged
    origins = Counter(item.variant_origin.value for item in items if item.variant_origin)
    expected = Counter(row["variant_origin"].lower().replace(" ", "_").replace("n/a", "not_applicable") for row in rows)
    assert origins == expected


def test_corpus_is_new_and_versioned(civic: CivicImport, curated_corpus: Corpus) -> None:
    assert civic.corpus is not curated_corpus
    assert civic.corpus.version == f"{curated_corpus.version}+civic-2024-08-01"
    assert all(record.id in civic.corpus for record in curated_corpus)  # type: ignore[attr-defined]
    assert not any(rid.startswith("ev:civic-") for rid in curated_corpus.evidence)


# -- the seed's HER2 amplification evidence and CIViC's land on one node -----------------
def test_erbb2_amplification_in_nsclc_lands_on_curated_nodes(civic: CivicImport) -> None:
    for eid in (1041, 1042):
        item = _item(civic, eid)
        assert item.alterations == ("alt:ERBB2-amplification",)
        assert item.disease == "disease:nsclc"
        assert item.therapy == ("drug:trastuzumab",)
        assert item.direction is Direction.DOES_NOT_SUPPORT
        assert item.evidence_type is EvidenceType.PREDICTIVE and item.level is EvidenceLevel.B
        assert item.molecular_profile == "mp:civic-302"
        assert item.level_rationale == "CIViC level B (clinical evidence)"
        assert item.quote.locator == f"CIViC EID {eid}" and item.quote.source == "src:civic-2024-08-01"
        assert item.quote.text == item.statement
        (xref,) = item.xrefs
        assert xref.id == f"civic.eid:{eid}" and f"https://civicdb.org/links/evidence_items/{eid}" in xref.source
    assert civic.corpus.sources[_item(civic, 1041).cites[0]].xrefs[0].id == "PMID:14679114"
    curated = [
        item
        for item in civic.corpus.evidence.values()
        if not item.id.startswith("ev:civic-")
        and "alt:ERBB2-amplification" in item.alterations
        and item.disease == "disease:nsclc"
    ]
    assert curated, "the seed's HER2-amplification evidence in NSCLC must share the nodes"
    # one node each: no CIViC duplicate of the curated alteration or disease
    with_vid = [a.id for a in civic.corpus.alterations.values() if any(x.id == "civic.vid:306" for x in a.xrefs)]
    assert with_vid == ["alt:ERBB2-amplification"]
    with_doid = [d.id for d in civic.corpus.diseases.values() if any(x.id == "DOID:3908" for x in d.xrefs)]
    assert with_doid == ["disease:nsclc"]
    genes = [g.id for g in civic.corpus.genes.values() if g.symbol == "ERBB2"]
    assert genes == ["gene:ERBB2"]


def test_named_overlaps_are_single_nodes(civic: CivicImport) -> None:
    corpus = civic.corpus
    assert _item(civic, 1393).disease == "disease:lung-adenocarcinoma"
    assert {"DOID:3910"} <= {x.id for x in corpus.diseases["disease:lung-adenocarcinoma"].xrefs}
    drugs = {d.label.casefold(): d.id for d in corpus.drugs.values()}
    assert drugs["trastuzumab emtansine"] == "drug:trastuzumab-emtansine"
    for name in ("afatinib", "dacomitinib", "osimertinib", "trastuzumab"):
        assert sum(1 for d in corpus.drugs.values() if d.label.casefold() == name) == 1
    egfr = {a.variant: a.id for a in corpus.alterations.values() if a.gene == "gene:EGFR" and a.variant}
    assert egfr["L858R"] == "alt:EGFR-L858R"
    assert egfr["T790M"] == "alt:EGFR-T790M"
    assert egfr["E746_A750del"] == "alt:EGFR-E746_A750del"
    exon19 = [a for a in corpus.alterations.values() if any(x.id == "civic.vid:133" for x in a.xrefs)]
    assert [a.id for a in exon19] == ["alt:EGFR-exon-19-deletion"]


def test_alteration_hierarchy(civic: CivicImport, curated_corpus: Corpus) -> None:
    corpus = civic.corpus
    assert "alt:ERBB2-alteration" in curated_corpus.alterations
    new_erbb2 = [a for a in corpus.alterations.values() if a.gene == "gene:ERBB2" and a.id not in curated_corpus]
    assert len(new_erbb2) > 10
    assert all(a.parents for a in new_erbb2), [a.id for a in new_erbb2 if not a.parents]
    l755s = next(a for a in new_erbb2 if a.variant == "L755S")
    expected = "alt:ERBB2-mutation" if "alt:ERBB2-mutation" in corpus.alterations else "alt:ERBB2-alteration"
    assert l755s.parents == (expected,)
    amplification = corpus.alterations["alt:ERBB2-amplification"]
    assert amplification.parents == curated_corpus.alterations["alt:ERBB2-amplification"].parents
    fusion = next(a for a in corpus.alterations.values() if a.label == "ALK EML4::ALK")
    assert fusion.kind.value == "fusion"


def test_disease_hierarchy(civic: CivicImport) -> None:
    diseases = civic.corpus.diseases

    def chain(disease_id: str) -> list[str]:
        seen = [disease_id]
        while diseases[seen[-1]].parents:
            seen.append(diseases[seen[-1]].parents[0])
        return seen

    assert diseases["disease:lung-adenocarcinoma"].parents[0] in ("disease:nsclc",) or "disease:nsclc" in chain(
        "disease:lung-adenocarcinoma"
    )
    assert "disease:lung-cancer" in chain("disease:nsclc")
    melanoma = next(d.id for d in diseases.values() if any(x.id == "DOID:8923" for x in d.xrefs))
    assert any(any(x.id == "DOID:1909" for x in diseases[p].xrefs) for p in diseases[melanoma].parents)
    # no invented DOIDs: every DOID xref was seen in the CIViC files
    seen = {
        f"DOID:{row['doid']}"
        for path in (EVIDENCE_TSV, CIVIC_DIR / "01-Aug-2024-AssertionSummaries.tsv")
        for row in _rows(path)
        if row["doid"]
    }
    imported = {x.id for d in diseases.values() for x in d.xrefs if x.id.startswith("DOID:") and "CIViC" in x.source}
    assert imported <= seen
    assert all(not d.xrefs for d in diseases.values() if d.curator_note and "grouping of evidence-kg" in d.curator_note)


# -- molecular profiles ---------------------------------------------------------------
def test_and_or_not_profiles(civic: CivicImport) -> None:
    corpus = civic.corpus
    both = _item(civic, 73)  # BRAF V600E AND BRAF V600M
    assert both.alterations == ("alt:BRAF-V600E", "alt:BRAF-V600M")
    assert both.alteration_logic is AlterationLogic.ALL
    either = _item(civic, 7363)  # EGFR L858R OR EGFR Exon 19 Deletion, dacomitinib
    assert either.alterations == ("alt:EGFR-L858R", "alt:EGFR-exon-19-deletion")
    assert either.alteration_logic is AlterationLogic.ANY
    assert either.therapy == ("drug:dacomitinib",)
    negated = _item(civic, 11158)  # NOT KIT D816V
    assert negated.alterations == ()
    assert negated.genes == ("gene:KIT",)
    profile = corpus.molecular_profiles[negated.molecular_profile]
    assert isinstance(profile, MolecularProfile)
    assert profile.negated == ("alt:KIT-D816V",) and profile.logic is AlterationLogic.EXPRESSION
    assert profile.expression == "NOT KIT D816V"
    assert Xref(id="civic.mpid:4353", status=Verification.VERIFIED, source=profile.xrefs[0].source) in profile.xrefs
    nested = corpus.molecular_profiles[_item(civic, 6262).molecular_profile]
    assert nested.logic is AlterationLogic.EXPRESSION and len(nested.alterations) == 3


def test_combination_and_substitutes(civic: CivicImport) -> None:
    combination = _item(civic, 11240)  # Ramucirumab,Erlotinib
    assert combination.therapy_interaction is TherapyInteraction.COMBINATION
    assert set(combination.therapy) == {"drug:ramucirumab", "drug:erlotinib"}
    substitutes = _item(civic, 1393)  # Erlotinib,Gefitinib
    assert substitutes.therapy_interaction is TherapyInteraction.SUBSTITUTES
    assert substitutes.therapy == ("drug:erlotinib", "drug:gefitinib")
    assert any("3 of 24" in note for note in substitutes.curator_notes)  # discrepancy 2 of the reference tables
    single = _item(civic, 1041)
    assert single.therapy_interaction is None


def test_assertions_link_their_items(civic: CivicImport) -> None:
    assertions = civic.corpus.assertions
    rows = {row["assertion_id"]: row for row in _rows(ASSERTION_TSV)}
    assert len(assertions) == len(rows) == 66
    likely = {aid for aid, row in rows.items() if row["significance"].startswith("Likely")}
    assert {assertions[f"assertion:civic-{aid}"].significance.value for aid in likely} == {
        "likely_pathogenic",
        "likely_oncogenic",
    }
    her2 = assertions["assertion:civic-2"]
    assert (her2.nccn_guideline, her2.nccn_guideline_version) == (
        rows["2"]["nccn_guideline"],
        rows["2"]["nccn_guideline_version"],
    )
    assert her2.regulatory_approval is (rows["2"]["regulatory_approval"] == "true")
    assert her2.fda_companion_test is (rows["2"]["fda_companion_test"] == "true")
    assert sum(bool(a.acmg_codes) for a in assertions.values()) == sum(bool(r["acmg_codes"]) for r in rows.values())
    for assertion in assertions.values():
        assert all(item in civic.corpus.evidence for item in assertion.evidence_items)
        assert assertion.source == "src:civic-2024-08-01"


# -- report ---------------------------------------------------------------------------
def test_report_lists_merges_and_non_merges(civic: CivicImport) -> None:
    report = civic.report
    merges = {(d.node_type, d.civic_label): d for d in report.merges}
    erbb2 = merges[(NodeType.GENE, "ERBB2")]
    assert (erbb2.curated_id, erbb2.rule) == ("gene:ERBB2", "identifier") and "NCBIGene:2064" in erbb2.detail
    nsclc = merges[(NodeType.DISEASE, "Lung Non-small Cell Carcinoma")]
    assert (nsclc.curated_id, nsclc.rule) == ("disease:nsclc", "identifier")
    trastuzumab = merges[(NodeType.DRUG, "Trastuzumab")]
    assert (trastuzumab.curated_id, trastuzumab.rule) == ("drug:trastuzumab", "name")
    apart = {(d.node_type, d.civic_label): d for d in report.apart}
    assert apart[(NodeType.GENE, "VHL")].rule == "no match"
    data = json.loads(json.dumps(report.as_dict()))
    assert data["merge_counts"]["identifier"] > 0 and data["merge_counts"]["name"] > 0
    assert data["created"]["evidence"] == 4375
    text = report.to_text()
    assert "gene 'ERBB2' → gene:ERBB2 by identifier" in text
    assert "Kept apart" in text


def test_reconciliation_rules_on_a_small_curated_corpus() -> None:
    """Identifier beats name, the ado- prefix is ignored, and a conflicting DOID blocks a name merge."""
    ver = Verification.VERIFIED
    curated = Corpus.from_records(
        [
            Gene(
                id="gene:HER2", label="HER2", symbol="ERBB2", xrefs=(Xref(id="NCBIGene:2064", status=ver, source="t"),)
            ),
            Gene(id="gene:egfr-by-name", label="EGFR", symbol="EGFR"),
            Drug(id="drug:kadcyla", label="ado-trastuzumab emtansine", synonyms=("T-DM1",)),
            Disease(id="disease:x", label="Breast Carcinoma", xrefs=(Xref(id="DOID:1612", status=ver, source="t"),)),
            Alteration(id="alt:her2-amp", label="HER2 amplification", gene="gene:HER2", kind="amplification"),
            Source(id="src:seed", kind="journal_article", short_citation="Seed", text_file=None),
        ],
        version="test",
    )
    result = import_civic(FIXTURE, curated)
    by_label = {(d.node_type, d.civic_label): d for d in result.report.decisions}
    assert by_label[(NodeType.GENE, "ERBB2")].curated_id == "gene:HER2"
    assert by_label[(NodeType.GENE, "ERBB2")].rule == "identifier"
    assert by_label[(NodeType.GENE, "EGFR")].rule == "name"
    assert by_label[(NodeType.DRUG, "Trastuzumab")].rule == "no match"
    alt = by_label[(NodeType.ALTERATION, "ERBB2 Amplification")]
    assert (alt.curated_id, alt.rule) == ("alt:her2-amp", "name")
    assert result.corpus.evidence["ev:civic-1041"].alterations == ("alt:her2-amp",)
    assert "civic.vid:306" in {x.id for x in result.corpus.alterations["alt:her2-amp"].xrefs}
    assert len(result.corpus.evidence) == 8


# -- outcomes -------------------------------------------------------------------------
def test_machine_extracted_outcomes_are_flagged_and_quoted(civic: CivicImport) -> None:
    outcomes = [
        (item, o) for item in civic.corpus.evidence.values() if item.id.startswith("ev:civic-") for o in item.outcomes
    ]
    assert len(outcomes) > 1000
    for item, outcome in outcomes:
        assert outcome.machine_extracted
        stated = numbers_in_text(item.quote.text)
        assert all(number_text(value) in stated for value in outcome.numbers().values()), item.id
        extraction = outcome.extraction
        assert extraction is not None and extraction.method is ExtractionMethod.MACHINE_EXTRACTED, item.id
        assert (extraction.extractor, extraction.extractor_version) == (EXTRACTOR, EXTRACTOR_VERSION)
        assert extraction.span_start is not None and extraction.span_end is not None
        assert item.quote.text[extraction.span_start : extraction.span_end] == extraction.span_text, item.id
    # An ORR is read (with its CI) but not imported: below the import's precision bar on the tuning statements.
    item = _item(civic, 11230)
    assert not any(o.measure.value == "orr" for o in item.outcomes)
    assert any(
        figure.reason == BELOW_BAR and str(figure).startswith("orr is below the import's precision bar")
        for figure in read_outcomes(item.quote.text).not_kept
    )
    assert all(o.measure in IMPORTED_MEASURES for _, o in outcomes)
    assert not _item(civic, 1448).outcomes  # "cell line HR6" is not a hazard ratio
    # "median PFS was 7.4 months in the regorafenib group and 1.7 months in the placebo group": one per arm
    medians = [(str(o.value), o.arm_as_written) for o in _item(civic, 4628).outcomes if o.measure.value == "pfs_median"]
    assert medians == [("7.4", "regorafenib group"), ("1.7", "placebo group")]
    curated = [
        o for item in civic.corpus.evidence.values() if not item.id.startswith("ev:civic-") for o in item.outcomes
    ]
    assert curated and not any(o.machine_extracted for o in curated)


# -- bad input --------------------------------------------------------------------------
def _copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "civic"
    shutil.copytree(FIXTURE, target)
    return target


def _edit(path: Path, row: int, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    cells = lines[row].split("\t")
    cells[header.index(column)] = value
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


EVIDENCE = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("evidence_level", "F", "'A', 'B', 'C', 'D', 'E'"),
        ("evidence_id", "12a", "positive integer"),
        ("evidence_direction", "Maybe", "'Does Not Support'"),
        ("significance", "Sensitivity", "'Sensitivity/Response'"),
        ("evidence_type", "Predictivity", "'Predictive'"),
        ("therapy_interaction_type", "Together", "'Combination'"),
        ("rating", "7", "1-5"),
        ("nct_ids", "NCT123", "NCT01234567"),
    ],
)
def test_bad_cell_names_file_row_and_column(tmp_path: Path, column: str, value: str, expected: str) -> None:
    directory = _copy_fixture(tmp_path)
    _edit(directory / EVIDENCE, 2, column, value)
    curated = Corpus(version="empty")
    with pytest.raises(CorpusError) as raised:
        import_civic(directory, curated)
    errors = [e for e in raised.value.errors if e.field == column]
    assert errors, raised.value
    assert all(e.file.endswith(EVIDENCE) and e.record.startswith("row 2 (line 3)") for e in errors)
    assert any(expected in e.expected for e in errors), errors
    assert len(curated) == 0


def test_missing_column_names_it(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    path = directory / "01-Aug-2024-VariantSummaries.tsv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    index = lines[0].split("\t").index("variant_types")
    kept = ["\t".join(c for i, c in enumerate(line.split("\t")) if i != index) for line in lines]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        import_civic(directory, Corpus())
    (error,) = raised.value.errors
    assert error.file.endswith("01-Aug-2024-VariantSummaries.tsv")
    assert error.record == "header (line 1)" and error.field == "variant_types"


def test_wrong_column_count_names_row(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    path = directory / EVIDENCE
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[4].split("\t")
    lines[4] = "\t".join(cells[:-1])  # drop the last field (is_flagged)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        import_civic(directory, Corpus())
    (error,) = raised.value.errors
    assert (error.record, error.field) == ("row 4 (line 5)", "is_flagged")
    assert "25 tab-separated fields" in error.expected and error.got == "24 fields"
    assert EVIDENCE in str(raised.value)


def test_unparsable_profile_and_unknown_variant(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    _edit(directory / "01-Aug-2024-MolecularProfileSummaries.tsv", 1, "name", "ERBB2 Amplifikation")
    with pytest.raises(CorpusError) as raised:
        import_civic(directory, Corpus())
    error = next(e for e in raised.value.errors if e.field == "name")
    assert error.file.endswith("MolecularProfileSummaries.tsv") and error.record.startswith("row 1 ")


def test_missing_release_file(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    (directory / "01-Aug-2024-GeneSummaries.tsv").unlink()
    with pytest.raises(CorpusError, match="GeneSummaries"):
        run_import(directory, DATA_DIR)
    with pytest.raises(CorpusError, match="directory"):
        run_import(tmp_path / "nowhere", DATA_DIR)


def test_fixture_imports_cleanly(tmp_path: Path, curated_corpus: Corpus) -> None:
    result = import_civic(_copy_fixture(tmp_path), curated_corpus)
    assert len([i for i in result.corpus.evidence if i.startswith("ev:civic-")]) == 8
    assert result.report.rows_read["civic/01-Aug-2024-ClinicalEvidenceSummaries.tsv"] == 8


def test_run_import_validates_the_bundled_release() -> None:
    result = run_import(CIVIC_DIR, DATA_DIR)
    assert result.corpus.version.endswith("+civic-2024-08-01")
    assert result.report.created["evidence"] == 4375


@pytest.mark.parametrize(
    ("statement", "values"),
    [
        ("Median PFS was 10.5 months (95% CI 8.0-13.1) versus 6.1 months (P=3E-4).", ["10.5", "6.1"]),
        ("Median overall survival was 14.2 months versus 8.1 months (P = 1.2 x 10-5).", ["14.2", "8.1"]),
        ("The hazard ratio for death was 0.47 (95% CI, 0.34 to 0.65; P = .001).", ["0.47"]),
    ],
)
def test_a_p_value_not_storable_as_written_is_left_out_not_the_figure(statement: str, values: list[str]) -> None:
    read = read_outcomes(statement)
    assert [str(o.value) for o in read.outcomes] == values
    assert all(o.p_value is None for o in read.outcomes)
    assert any(
        figure.reason == P_LEFT_OUT and str(figure).startswith("p_value left out of the outcome")
        for figure in read.not_kept
    )


def test_a_p_value_in_plain_digits_is_kept_with_its_figure() -> None:
    read = read_outcomes("Median PFS was 10.5 months versus 6.1 months (P=0.003).")
    assert [(str(o.value), str(o.p_value) if o.p_value is not None else None) for o in read.outcomes] == [
        ("10.5", None),
        ("6.1", "0.003"),
    ]
    assert not read.not_kept


# -- what was read but not kept is counted in the report ------------------------------------
def test_the_report_counts_figures_not_kept_by_reason(civic: CivicImport) -> None:
    counts = civic.report.outcomes_not_kept
    assert set(counts) <= set(NOT_KEPT_REASONS)
    assert counts[BELOW_BAR] > 1000  # ORR, counts, proportions: read, below the precision bar
    assert counts[P_LEFT_OUT] >= 1  # EID 1420: "P = .013" is left out, its OS medians kept
    assert any(figure.reason == P_LEFT_OUT for figure in read_outcomes(_item(civic, 1420).quote.text).not_kept)
    assert civic.report.as_dict()["outcomes_not_kept"] == counts
    text = civic.report.to_text()
    total = sum(counts.values())
    assert f"figures read but not kept as outcomes, or kept without their p-value: {total}" in text
    assert f"    {P_LEFT_OUT}: {counts[P_LEFT_OUT]}" in text


def test_the_import_command_reports_what_it_did_not_keep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through ``kg import civic --dry-run`` on the small fixture, cold and then from the cache: the same counts."""
    from typer.testing import CliRunner

    from kg.cli import app

    expected = Counter(
        figure.reason
        for row in _rows(FIXTURE / "01-Aug-2024-ClinicalEvidenceSummaries.tsv")
        for figure in read_outcomes(row["evidence_statement"].strip()).not_kept
    )
    assert expected[BELOW_BAR] and expected[NOT_PLAIN]  # the fixture states both kinds
    monkeypatch.setenv("EVIDENCE_KG_CACHE", str(tmp_path / "cache"))
    for _ in range(2):  # the second import reads what the first kept
        result = CliRunner().invoke(app, ["import", "civic", str(FIXTURE), "--dry-run", "--json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.output[result.output.index("{") :])
        assert report["outcomes_not_kept"] == dict(expected)
