"""``/synthesis`` through the real app (TestClient): rows, grouping, tallies, conflicts, CSV, q=, errors, bundles.

Expected values are derived from the other public answers of the same app
(``/evidence`` and ``/ask`` on the same question) and from the records,
never typed in: the synthesis must agree with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from api.app import create_app
from api.docs import HEADLINE_QUESTION, ErrorBody
from api.settings import ApiSettings
from kg.curation.load import load_curated
from kg.model.terms import OutcomeMeasure
from kg.query.bundle import Bundle, read_bundle, verify_bundle
from kg.query.conflicts import in_conflict
from kg.query.synthesis import ROW_COLUMNS, SynthesisPayload
from kg.query.synthesis_csv import read_synthesis_csv, synthesis_csv
from kg.runtime.knowledge_graph import KnowledgeGraph

HEADLINE = {"therapy": "pyrotinib", "alteration": "HER2 amplification", "disease": "NSCLC"}
MALICIOUS = Path(__file__).parent / "fixtures" / "synthesis" / "malicious"
NUMBERS = (
    "value",
    "ci_level",
    "ci_lower",
    "ci_upper",
    "p_value",
    "numerator",
    "denominator",
    "range_low",
    "range_high",
)


@pytest.fixture(scope="module")
def client(kg_full) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def rows_of(answer: dict) -> list[dict]:
    return [row for group in answer["measures"] for row in group["rows"]]


def test_one_row_per_reported_outcome_of_the_ranked_items(client) -> None:
    synthesis = client.get("/synthesis", params=HEADLINE).json()
    evidence = client.get("/evidence", params={**HEADLINE, "limit": synthesis["limit"]}).json()
    assert synthesis["total"] == evidence["total"] and synthesis["items"] == len(evidence["results"])
    expected = {}
    for result in evidence["results"]:
        for index, outcome in enumerate(result["evidence"]["outcomes"], start=1):
            expected[(result["id"], index)] = (result, outcome)
    rows = rows_of(synthesis)
    assert len(rows) == len(expected) == synthesis["rows"]
    for row in rows:
        result, outcome = expected[(row["evidence"], int(row["id"].rsplit("-", 1)[1]))]
        assert row["rank"] == result["rank"] and row["direct"] == result["direct"]
        assert row["distance"] == result["distance"]
        assert row["measure"] == outcome["measure"] and row["published"] == outcome["text"]
        for name in NUMBERS:
            assert row[name] == outcome[name], (row["id"], name)
        study = result["evidence"]["study"] or {}
        assert row["study_name"] == study.get("name") and row["n"] == study.get("sample_size")
        assert row["quote"].startswith(result["evidence"]["quote"]["text"])
        assert row["direction"] == result["evidence"]["direction"] and row["level"] == result["evidence"]["level"]
    without = [r["id"] for r in evidence["results"] if not r["evidence"]["outcomes"]]
    assert synthesis["without_outcomes"] == without


def test_rows_are_grouped_by_measure_and_ordered_by_tier_then_study(client) -> None:
    synthesis = client.get("/synthesis", params=HEADLINE).json()
    order = [measure.value for measure in OutcomeMeasure]
    keys = [(order.index(g["measure"]), g["unit"]) for g in synthesis["measures"]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for group in synthesis["measures"]:
        assert {(row["measure"], row["unit"]) for row in group["rows"]} == {(group["measure"], group["unit"])}
        ranks = [(row["tier"], (row["study_name"] or "\uffff").casefold(), row["rank"]) for row in group["rows"]]
        assert ranks == sorted(ranks)
        assert group["scale"] == (
            "log" if group["unit"] == "ratio" else "categorical" if group["measure"] == "best_response" else "linear"
        )
    tiers = [row["tier"] for row in rows_of(synthesis)]
    assert min(tiers) == 1 and max(tiers) > 1  # several tiers, numbered from the closest


def test_tallies_count_every_matching_item_by_tier_and_direction(client) -> None:
    synthesis = client.get("/synthesis", params={**HEADLINE, "limit": 5}).json()
    evidence = client.get("/evidence", params=HEADLINE).json()
    tallies = synthesis["tallies"]
    assert sum(t["items"] for t in tallies) == evidence["total"] > synthesis["items"] == 5  # not only the page
    assert sum(t["direct"] for t in tallies) == evidence["direct"]
    by_direction = evidence["summary"]["by_direction"]
    assert sum(t["supports"] for t in tallies) == by_direction.get("supports", 0)
    assert sum(t["does_not_support"] for t in tallies) == by_direction.get("does_not_support", 0) > 0
    assert [t["distance"] for t in tallies] == sorted(t["distance"] for t in tallies)
    assert synthesis["more"] is True


def test_conflicts_show_both_sides_of_one_claim(client, kg_full) -> None:
    synthesis = client.get("/synthesis", params=HEADLINE).json()
    assert synthesis["conflicts"]
    items = kg_full.corpus.evidence
    for conflict in synthesis["conflicts"]:
        assert conflict["supports"] and conflict["does_not_support"]
        assert conflict["supports_total"] >= len(conflict["supports"])
        assert any(item["in_answer"] for side in ("supports", "does_not_support") for item in conflict[side])
        for a in conflict["supports"]:
            assert a["direction"] == "supports"
        for b in conflict["does_not_support"]:
            assert b["direction"] == "does_not_support"
        linked = [
            (a["id"], b["id"])
            for a in conflict["supports"]
            for b in conflict["does_not_support"]
            if in_conflict(kg_full, items[a["id"]], items[b["id"]])
        ]
        assert linked, conflict["claim"]  # every conflict shown rests on at least one pair that breaks the rule
    ranks = {row["evidence"]: row["rank"] for row in rows_of(synthesis)}
    shown = {
        item["id"]: item["rank"]
        for c in synthesis["conflicts"]
        for s in ("supports", "does_not_support")
        for item in c[s]
    }
    assert all(shown[i] == ranks[i] for i in shown if i in ranks)


def test_the_conflict_rule(kg_full) -> None:
    items = kg_full.corpus.evidence
    pyrotinib = items["ev:chictr-orr"]  # predictive sensitivity, supports, pyrotinib / ERBB2 amplification / NSCLC
    class_claim = items["ev:pan-zhou-2024-her2-targeted-therapy-limited-efficacy"]  # HER2-targeted therapy: does not
    practice = items["ev:pan-zhou-2024-her2-targeted-therapies-in-nsclc-trials"]  # clinical practice, supports
    assert in_conflict(kg_full, pyrotinib, class_claim) and in_conflict(kg_full, class_claim, pyrotinib)
    assert not in_conflict(kg_full, pyrotinib, items["ev:pan-zhou-2024-chictr-egfr-tki-failed-subgroup"])  # same side
    assert not in_conflict(kg_full, class_claim, practice)  # another kind of claim
    trastuzumab = items["ev:civic-1041"]  # trastuzumab, ERBB2 amplification, NSCLC: does not support
    assert not in_conflict(kg_full, trastuzumab, items["ev:civic-5980"])  # trastuzumab + pertuzumab, ERBB2 mutation
    assert not in_conflict(kg_full, trastuzumab, pyrotinib)  # another drug, neither a class of the other


def test_same_parameters_as_evidence_and_filters_apply(client) -> None:
    spec = client.get("/openapi.json").json()
    evidence = {p["name"] for p in spec["paths"]["/evidence"]["get"]["parameters"]}
    synthesis = {p["name"] for p in spec["paths"]["/synthesis"]["get"]["parameters"]}
    assert evidence - {"summary"} <= synthesis and {"q", "format", "bundle"} <= synthesis
    filtered = client.get("/synthesis", params={"therapy": "trastuzumab", "direction": "does_not_support"}).json()
    assert filtered["query"]["filters"] == {"direction": ["does_not_support"]}
    assert {row["direction"] for row in rows_of(filtered)} == {"does_not_support"}
    assert sum(t["supports"] for t in filtered["tallies"]) == 0


def test_free_text_question_is_read_as_ask_reads_it(client) -> None:
    asked = client.get("/ask", params={"q": HEADLINE_QUESTION, "limit": 100}).json()
    synthesis = client.get("/synthesis", params={"q": HEADLINE_QUESTION}).json()
    for key in ("question", "interpretation", "recognised", "ignored"):
        assert synthesis["question"][key] == asked[key]
    assert synthesis["query"] == asked["query"]
    structured = client.get("/synthesis", params=HEADLINE).json()
    assert rows_of(synthesis) == rows_of(structured)  # the same question, asked two ways


def test_machine_extracted_outcomes_are_marked(client, kg_full) -> None:
    rows = rows_of(client.get("/synthesis", params={"therapy": "trastuzumab", "disease": "NSCLC"}).json())
    for row in rows:
        outcome = kg_full.corpus.evidence[row["evidence"]].outcomes[int(row["id"].rsplit("-", 1)[1]) - 1]
        assert row["machine_extracted"] is outcome.machine_extracted
    assert {row["machine_extracted"] for row in rows} == {True, False}


def test_csv_round_trips_to_the_json_rows(client) -> None:
    for params in (HEADLINE, {"therapy": "trastuzumab", "limit": 300}, {"q": HEADLINE_QUESTION}):
        rows = rows_of(client.get("/synthesis", params=params).json())
        by_format = client.get("/synthesis", params={**params, "format": "csv"})
        by_accept = client.get("/synthesis", params=params, headers={"Accept": "text/csv"})
        assert by_format.headers["content-type"].startswith("text/csv")
        assert by_format.content == by_accept.content
        assert read_synthesis_csv(by_format.content) == rows


def test_csv_text_cells_cannot_become_formulas_and_still_read_back(client) -> None:
    row = rows_of(client.get("/synthesis", params=HEADLINE).json())[0]
    hostile = [{**row, "statement": '=HYPERLINK("http://x")', "quote": "'already quoted", "label": "+1", "value": -3}]
    data = synthesis_csv(hostile)
    line = data.decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK" in line and "''already quoted" in line and ",-3," in line  # numbers are never prefixed
    assert read_synthesis_csv(data) == hostile
    with pytest.raises(ValueError, match="line 2, column rank"):
        read_synthesis_csv(data.replace(b",1,1,0,true,", b",one,1,0,true,", 1))
    with pytest.raises(ValueError, match="header"):
        read_synthesis_csv(b"id,evidence\r\n")
    assert ROW_COLUMNS[0] == "id"


def test_answers_validate_against_their_documented_types(client) -> None:
    for params in (
        HEADLINE,
        {"q": HEADLINE_QUESTION},
        {"gene": "EGFR", "limit": 500},
        {"therapy": "pyrotinib", "offset": 10},
    ):
        TypeAdapter(SynthesisPayload).validate_python(client.get("/synthesis", params=params).json())
    for path, params in (
        ("/synthesis", HEADLINE),
        ("/evidence", {**HEADLINE, "limit": 3}),
        ("/ask", {"q": HEADLINE_QUESTION, "limit": 3}),
    ):
        TypeAdapter(Bundle).validate_python(client.get(path, params={**params, "bundle": "true"}).json())


@pytest.mark.parametrize(
    ("params", "headers", "status", "parameter"),
    [
        ({"therapy": "pyrotinb"}, {}, 404, "therapy"),
        ({"q": HEADLINE_QUESTION, "therapy": "pyrotinib"}, {}, 422, "q"),
        ({"q": "nothing known here"}, {}, 422, "q"),
        ({"disease": ["NSCLC", "lung cancer"]}, {}, 422, "disease"),
        ({"therapy": "pyrotinib", "bundle": "true", "format": "csv"}, {}, 422, "bundle"),
        ({"therapy": "pyrotinib", "limit": 0}, {}, 422, "limit"),
        ({"therapy": "pyrotinib", "format": "xml"}, {}, 422, "format"),
        ({"therapy": "pyrotinib"}, {"Accept": "image/png"}, 406, None),
    ],
)
def test_bad_questions_get_a_clear_error(client, params, headers, status, parameter) -> None:
    response = client.get("/synthesis", params=params, headers=headers)
    assert response.status_code == status, response.text
    body = ErrorBody.model_validate(response.json()).error
    assert body.parameter == parameter
    if status == 404:
        assert body.suggestions and body.suggestions[0].id == "drug:pyrotinib"


def test_bundles_hold_against_the_data_they_were_made_on(client, kg_full) -> None:
    for path, params in (("/synthesis", HEADLINE), ("/evidence", HEADLINE), ("/ask", {"q": HEADLINE_QUESTION})):
        response = client.get(path, params={**params, "bundle": "true"})
        bundle = read_bundle(response.content)
        assert bundle["data_version"] == kg_full.version and bundle["request"]["path"] == path
        plain = client.get(path, params=params).json()
        assert bundle["results"] == plain  # the answer exactly as returned without a bundle
        result = verify_bundle(kg_full, bundle)
        assert (result.status, result.exit_code) == ("holds", 0), result.message


def test_the_view_is_an_escaped_page_with_a_strict_policy() -> None:
    kg = KnowledgeGraph.from_corpus(load_curated(MALICIOUS))
    with TestClient(create_app(kg, settings=ApiSettings(sparql_enabled=False))) as evil:
        response = evil.get("/synthesis/view", params={"therapy": "drug:evilinib"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
        page = response.text
        assert "window.__pwned" in page  # the payloads are on the page ...
        assert "<script>window" not in page and "<img src=x" not in page and "<iframe" not in page  # ... as text
        assert "&lt;script&gt;window.__pwned = &#34;study&#34;&lt;/script&gt;EVIL-1" in page
        for src in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "synthesis.js"):
            assert f'src="/synthesis/assets/{src}?v=' in page
        assert "<script>" not in page.replace('<script type="application/json" id="syn-specs">', "")


def test_view_assets_are_served_offline_with_content_hashes(client) -> None:
    page = client.get("/synthesis/view", params=HEADLINE).text
    url = page.split('src="', 2)[1].split('"', 1)[0]  # the first script: /synthesis/assets/vega.min.js?v=…
    asset = client.get(url)
    assert asset.status_code == 200 and asset.headers["cache-control"].startswith("public, max-age=31536000")
    assert "sourceMappingURL" not in asset.text
    assert client.get(url, headers={"If-None-Match": asset.headers["etag"]}).status_code == 304
    missing = client.get("/synthesis/assets/nope.js")
    assert missing.status_code == 404 and ErrorBody.model_validate(missing.json()).error.parameter == "name"


def test_unknown_names_on_the_view_answer_html_to_a_browser_and_json_otherwise(client) -> None:
    html = client.get("/synthesis/view", params={"therapy": "pyrotinb"}, headers={"Accept": "text/html"})
    assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")
    assert 'href="/synthesis/view?therapy=drug%3Apyrotinib"' in html.text
    data = client.get("/synthesis/view", params={"therapy": "pyrotinb"})
    assert data.status_code == 404 and ErrorBody.model_validate(data.json()).error.code == "unknown_entity"
