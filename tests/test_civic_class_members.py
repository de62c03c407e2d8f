"""data/civic/class_members.tsv: every row's quote is in its CIViC statement, and the drug gets the class."""

from __future__ import annotations

import csv

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from tests.conftest import DATA_DIR

CIVIC = DATA_DIR / "civic"


def _rows(name: str) -> list[dict[str, str]]:
    with (CIVIC / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_quote_is_verbatim_in_its_statement_and_names_the_drug() -> None:
    statements = {row["evidence_id"]: row for row in _rows("01-Aug-2024-ClinicalEvidenceSummaries.tsv")}
    members = _rows("class_members.tsv")
    assert members
    for row in members:
        item = statements[row["eid"]]
        assert row["quote"] in item["evidence_statement"], f"EID {row['eid']}: quote not in the statement"
        assert row["civic_name"].casefold() in row["quote"].casefold()
        assert row["civic_name"] in item["therapies"].split(","), f"EID {row['eid']} is not about {row['civic_name']}"


def test_members_carry_their_class_and_questions_about_the_class_reach_them(kg_full) -> None:
    drugs = {drug.label.casefold(): drug for drug in kg_full.corpus.drugs.values()}
    for row in _rows("class_members.tsv"):
        assert row["class"] in drugs[row["civic_name"].casefold()].classes, row["civic_name"]
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as client:
        response = client.get("/evidence", params={"therapy": "anti-EGFR monoclonal antibody", "limit": 100})
    assert response.status_code == 200, response.text
    therapies = {t["id"] for result in response.json()["results"] for t in result["evidence"]["therapy"]}
    assert {"drug:cetuximab", "drug:panitumumab"} <= therapies  # through the class, not only items naming the class
