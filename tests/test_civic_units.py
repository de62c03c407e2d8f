"""Unit tests of the CIViC importer's parts: profile expressions, therapy lists, variant kinds, TSV errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.civic.names import drug_key, name_key
from kg.civic.profiles import ProfileSyntaxError, parse_profile
from kg.civic.tsv import read_tsv
from kg.civic.values import split_therapies
from kg.civic.variants import classify_variant, variant_slug
from kg.model.terms import AlterationKind, AlterationLogic


def test_profile_and_or_not_and_nesting() -> None:
    braf = [(1, "BRAF Amplification"), (2, "BRAF V600E"), (3, "BRAF V600K")]
    nested = parse_profile("BRAF Amplification AND ( BRAF V600E OR BRAF V600K )", braf)
    assert nested.positive == (1, 2, 3) and nested.negated == ()
    assert nested.logic is AlterationLogic.EXPRESSION
    either = parse_profile("EGFR L858R OR EGFR Exon 19 Deletion", [(33, "EGFR L858R"), (133, "EGFR Exon 19 Deletion")])
    assert either.logic is AlterationLogic.ANY and either.positive == (33, 133)
    negated = parse_profile("NOT KIT D816V", [(7, "KIT D816V")])
    assert negated.positive == () and negated.negated == (7,)
    assert negated.logic is AlterationLogic.EXPRESSION


def test_profile_variant_names_with_spaces_and_brackets() -> None:
    parsed = parse_profile(
        "MET Amplification AND MET Splice Site (c.3028G>A)",
        [(9, "MET Splice Site (c.3028G>A)"), (4, "MET Amplification")],
    )
    assert parsed.positive == (4, 9) and parsed.logic is AlterationLogic.ALL
    # V600 must not swallow the start of V600E
    prefix = parse_profile("BRAF V600 OR BRAF V600E", [(1, "BRAF V600"), (2, "BRAF V600E")])
    assert prefix.positive == (1, 2)


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("EGFR L858R AND", [(1, "EGFR L858R")]),
        ("EGFR L858R AND EGFR T790M", [(1, "EGFR L858R")]),
        ("EGFR L858R", [(1, "EGFR L858R"), (2, "EGFR T790M")]),
        ("( EGFR L858R", [(1, "EGFR L858R")]),
    ],
)
def test_profile_errors(name: str, variants: list[tuple[int, str]]) -> None:
    with pytest.raises(ProfileSyntaxError):
        parse_profile(name, variants)


def test_therapy_names_with_commas_stay_whole() -> None:
    assert split_therapies("Gefitinib,HER2 Inhibitor CP-724,714,Selumetinib") == [
        "Gefitinib",
        "HER2 Inhibitor CP-724,714",
        "Selumetinib",
    ]
    assert split_therapies("2,4-pyrimidinediamine") == ["2,4-pyrimidinediamine"]
    assert split_therapies("FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074,Fexagratinib") == [
        "FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074",
        "Fexagratinib",
    ]
    assert split_therapies("") == []


@pytest.mark.parametrize(
    ("variant", "kind", "sequence"),
    [
        ("L858R", AlterationKind.POINT_MUTATION, True),
        ("Exon 19 Deletion", AlterationKind.DELETION, True),
        ("E746_A750del", AlterationKind.DELETION, True),
        ("Amplification", AlterationKind.AMPLIFICATION, False),
        ("EML4::ALK", AlterationKind.FUSION, False),
        ("Mutation", AlterationKind.MUTATION, True),
        ("Wildtype", AlterationKind.WILD_TYPE, False),
        ("Overexpression", AlterationKind.OVEREXPRESSION, False),
        ("Loss", AlterationKind.LOSS, False),
        ("D770_N771insNPG", AlterationKind.INSERTION, True),
        ("W8* (c.24G>A)", AlterationKind.POINT_MUTATION, True),
        ("Splice Site (c.340+1G>A)", AlterationKind.POINT_MUTATION, True),
        ("P1175FS*5", AlterationKind.FRAMESHIFT, True),
        ("Promoter Hypermethylation", AlterationKind.OTHER, False),
    ],
)
def test_variant_kinds(variant: str, kind: AlterationKind, sequence: bool) -> None:
    klass = classify_variant(variant)
    assert (klass.kind, klass.is_sequence_mutation) == (kind, sequence)


def test_variant_slugs_follow_curated_style() -> None:
    assert variant_slug("Exon 19 Deletion") == "exon-19-deletion"
    assert variant_slug("E746_A750del") == "E746_A750del"
    assert variant_slug("Amplification") == "amplification"
    assert variant_slug("BCR::ABL1") == "BCR-ABL1"
    assert variant_slug("R200W (c.598C>T)") == "R200W-c.598CtoT"


def test_name_keys() -> None:
    assert drug_key("ado-trastuzumab emtansine") == drug_key("Trastuzumab Emtansine")
    assert name_key("Lung Non-small Cell Carcinoma") == name_key("lung non small-cell carcinoma")
    assert name_key("lung cancer") != name_key("lung carcinoma")


def test_tsv_row_with_missing_tab_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\tc\n1\t2\t3\n4\t5\n", encoding="utf-8")
    errors: list = []
    assert read_tsv(path, "x.tsv", ("a", "b", "c"), errors) is None
    (error,) = errors
    assert (error.file, error.record, error.field) == ("x.tsv", "row 2 (line 3)", "c")
