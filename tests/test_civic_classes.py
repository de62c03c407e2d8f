"""CIViC therapies that are drug classes ("Chemotherapy", "Platinum Compound") land on the curated class, never a twin.

A twin (a CIViC "drug" named like a curated class) splits the evidence: a
chemotherapy question would find CIViC's colorectal items under one node and
the seed's items under another. The release file is read directly here, so
the expectation does not come from the importer under test.
"""

from __future__ import annotations

import csv

from kg.runtime.resolve import name_key
from tests.conftest import DATA_DIR


def test_no_drug_is_named_like_a_drug_class(kg_full) -> None:
    class_keys = {name_key(n): c.id for c in kg_full.corpus.drug_classes.values() for n in c.all_names()}
    twins = [
        (d.id, class_keys[name_key(n)])
        for d in kg_full.corpus.drugs.values()
        for n in d.all_names()
        if name_key(n) in class_keys
    ]
    assert twins == []


def test_items_whose_therapy_is_a_class_carry_the_curated_class(kg_full) -> None:
    class_keys = {name_key(n): c.id for c in kg_full.corpus.drug_classes.values() for n in c.all_names()}
    # A name the therapy-name table decides (data/civic/therapy_names.tsv) goes where the table says: "Epidermal
    # Growth Factor Receptor Tyrosine Kinase Inhibitor" is CIViC's word for antibodies too, so the broader class.
    with (DATA_DIR / "civic" / "therapy_names.tsv").open(encoding="utf-8", newline="") as handle:
        for decided in csv.DictReader(handle, delimiter="\t"):
            if decided["decision"] in {"same", "broader", "class"} and decided["target"].startswith("drugclass:"):
                class_keys[name_key(decided["civic_name"])] = decided["target"]
    path = DATA_DIR / "civic" / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
    expected: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            classes = {class_keys[name_key(t)] for t in row["therapies"].split(",") if name_key(t) in class_keys}
            if classes and row["evidence_status"] == "accepted":
                expected[f"ev:civic-{row['evidence_id']}"] = classes
    assert len(expected) >= 20
    for item_id, classes in expected.items():
        item = kg_full.corpus.evidence[item_id]
        assert classes <= set(item.therapy_classes), item_id
        assert not classes & set(item.therapy)


_SALTS = ("mesylate", "hydrochloride", "tosylate", "maleate", "malate", "sulfate", "citrate", "acetate")


def test_no_drug_is_the_salt_of_another(kg_full) -> None:
    """A salt form ("Imatinib Mesylate") is the drug ("imatinib"): one node, or its evidence splits."""
    labels = {name_key(n): d.id for d in kg_full.corpus.drugs.values() for n in d.all_names()}
    twins = []
    for drug in kg_full.corpus.drugs.values():
        words = drug.label.split()
        if len(words) >= 2 and words[-1].lower() in _SALTS:
            base = labels.get(name_key(" ".join(words[:-1])))
            if base is not None and base != drug.id:
                twins.append((drug.id, base))
    assert twins == []
    path = DATA_DIR / "civic" / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        salted = [
            f"ev:civic-{row['evidence_id']}"
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row["evidence_status"] == "accepted" and "Imatinib Mesylate" in row["therapies"].split(",")
        ]
    assert salted
    assert all("drug:imatinib" in kg_full.corpus.evidence[i].therapy for i in salted)
