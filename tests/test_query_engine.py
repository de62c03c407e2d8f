"""The evidence query engine on a hand-built graph whose right answers are known by construction."""

from __future__ import annotations

import pytest

from kg.core.errors import InvalidQueryError, UnknownEntityError
from kg.model.terms import Direction
from kg.query.answer import answer_payload
from kg.query.ask import ask
from kg.query.engine import find_evidence
from kg.query.evidence_query import EvidenceQuery, QueryLimits
from kg.reader.names import recognise
from tests.fixtures.mini_kg import mini_kg


@pytest.fixture(scope="module")
def kg():
    return mini_kg()


HEADLINE = EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2 amplification",), disease="NSCLC")


def ranked_ids(answer) -> list[str]:
    return [result["id"] for result in answer_payload(answer, summary=False)["results"]]


def test_headline_question_ranks_by_nearness(kg) -> None:
    answer = find_evidence(kg, HEADLINE)
    assert ranked_ids(answer) == [
        "ev:exact",  # every facet exact
        "ev:combo-case",  # disease narrower (lung adenocarcinoma ⊂ NSCLC)
        "ev:broader-disease",  # disease broader (lung cancer ⊃ NSCLC)
        "ev:other-alteration",  # same gene, another alteration (and a narrower disease)
        "ev:breast",  # another disease
    ]
    assert answer.total == 5
    assert answer.direct == 3
    assert "ev:trastuzumab-negative" not in ranked_ids(answer)  # another drug is not evidence for pyrotinib


def test_each_result_explains_each_facet(kg) -> None:
    results = answer_payload(find_evidence(kg, HEADLINE), summary=False)["results"]
    by_id = {result["id"]: result for result in results}
    combo = {m["facet"]: m for m in by_id["ev:combo-case"]["match"]}
    assert combo["therapy"]["match"] == "exact"
    assert "combination with almonertinib" in combo["therapy"]["note"]
    assert combo["alteration"]["note"].endswith("co-occurring with EGFR L858R")
    assert combo["disease"] == {
        "facet": "disease",
        "asked": {"id": "disease:nsclc", "label": "non-small cell lung carcinoma"},
        "match": "narrower",
        "matched": {"id": "disease:luad", "label": "lung adenocarcinoma"},
        "note": "lung adenocarcinoma is a subtype of non-small cell lung carcinoma",
    }
    other = {m["facet"]: m for m in by_id["ev:other-alteration"]["match"]}
    assert other["alteration"]["match"] == "related"
    assert other["alteration"]["matched"]["id"] == "alt:ERBB2-mutation"
    breast = {m["facet"]: m for m in by_id["ev:breast"]["match"]}
    assert breast["disease"]["note"] == "another disease: breast cancer"
    assert [r["direct"] for r in results] == [True, True, True, False, False]


def test_without_related_matches_only_direct_evidence_remains(kg) -> None:
    answer = find_evidence(
        kg,
        EvidenceQuery(therapy=HEADLINE.therapy, alteration=HEADLINE.alteration, disease="NSCLC", include_related=False),
    )
    assert ranked_ids(answer) == ["ev:exact", "ev:combo-case", "ev:broader-disease"]


def test_synonyms_resolve_case_insensitively(kg) -> None:
    answer = find_evidence(kg, EvidenceQuery(therapy=("AUMOLERTINIB",)))
    assert ranked_ids(answer) == ["ev:combo-case"]
    assert answer.terms[0].entity == "drug:almonertinib"


def test_drug_class_question_finds_member_drugs_as_narrower(kg) -> None:
    answer = find_evidence(kg, EvidenceQuery(therapy=("EGFR-TKI",)))
    result = answer_payload(answer, summary=False)["results"][0]
    assert result["id"] == "ev:combo-case"
    assert result["match"][0]["match"] == "narrower"
    assert result["match"][0]["matched"]["id"] == "drug:almonertinib"


def test_gene_question_finds_every_alteration_of_the_gene(kg) -> None:
    answer = find_evidence(kg, EvidenceQuery(alteration=("HER2",), disease="NSCLC", include_related=False))
    assert set(ranked_ids(answer)) == {
        "ev:exact",
        "ev:combo-case",
        "ev:broader-disease",
        "ev:other-alteration",
        "ev:trastuzumab-negative",
    }
    kinds = {r["id"]: r["match"][0]["match"] for r in answer_payload(answer, summary=False)["results"]}
    assert kinds["ev:exact"] == "narrower"


def test_gene_facet_asks_the_gene_only_and_answers_like_the_alteration_facet(kg) -> None:
    by_gene = find_evidence(kg, EvidenceQuery(gene=("HER2",), disease="NSCLC", include_related=False))
    by_alteration = find_evidence(kg, EvidenceQuery(alteration=("HER2",), disease="NSCLC", include_related=False))
    assert ranked_ids(by_gene) == ranked_ids(by_alteration)
    first = by_gene.terms[0]
    assert (first.slot.value, first.asked, first.entity) == ("alteration", "HER2", "gene:ERBB2")
    with pytest.raises(UnknownEntityError) as error:
        find_evidence(kg, EvidenceQuery(gene=("HER2 amplification",)))  # an alteration, not a gene
    assert error.value.kind == "gene"


def test_a_question_cleans_its_names_and_keeps_its_limits() -> None:
    query = EvidenceQuery(therapy=(" pyrotinib ", "pyrotinib", "T-DM1"), disease="  NSCLC ")
    assert query.therapy == ("pyrotinib", "T-DM1")
    assert query.disease == "NSCLC"
    tight = QueryLimits(max_limit=25, max_offset=10, max_terms=2, max_term_length=12)
    for fields, parameter in [
        ({"limit": 26}, "limit"),
        ({"offset": 11}, "offset"),
        ({"therapy": ("a", "b", "c")}, "therapy"),
        ({"gene": ("HER2 but far too long",)}, "gene"),
        ({"alteration": ("  ",)}, "alteration"),
        ({"disease": "\t"}, "disease"),
    ]:
        with pytest.raises(InvalidQueryError) as error:
            EvidenceQuery(**fields, limits=tight)
        assert error.value.parameter == parameter, fields
    assert EvidenceQuery(limit=25, limits=tight).limit == 25


def test_co_alteration_question_prefers_items_with_both(kg) -> None:
    answer = find_evidence(
        kg, EvidenceQuery(alteration=("EGFR L858R", "HER2 amplification"), disease="NSCLC", include_related=False)
    )
    results = answer_payload(answer, summary=False)["results"]
    assert results[0]["id"] == "ev:combo-case"
    assert [m["match"] for m in results[0]["match"]][:2] == ["exact", "exact"]
    assert any(m["match"] == "unmatched" for m in results[1]["match"])


def test_filters_narrow_the_answer(kg) -> None:
    negative = find_evidence(
        kg, EvidenceQuery(alteration=("HER2 amplification",), direction=(Direction.DOES_NOT_SUPPORT,))
    )
    assert ranked_ids(negative) == ["ev:trastuzumab-negative"]
    evidence = answer_payload(negative, summary=False)["results"][0]["evidence"]
    assert evidence["direction"] == "does_not_support"


def test_pagination_walks_the_same_ranking(kg) -> None:
    everything = ranked_ids(find_evidence(kg, HEADLINE))
    pages = []
    for offset in range(0, 5, 2):
        query = EvidenceQuery(
            therapy=HEADLINE.therapy, alteration=HEADLINE.alteration, disease="NSCLC", offset=offset, limit=2
        )
        pages += ranked_ids(find_evidence(kg, query))
    assert pages == everything


def test_nearest_evidence_fallback_explains_each_step(kg) -> None:
    answer = find_evidence(
        kg, EvidenceQuery(therapy=("neratinib",), alteration=("HER2 amplification",), disease="NSCLC")
    )
    data = answer_payload(answer)
    assert data["direct"] == 0
    assert data["relaxations"] == [
        {
            "step": 1,
            "description": "therapy widened from neratinib to drugs with the same target or drug class",
            "found": data["total"],
        }
    ]
    assert data["total"] > 0
    assert "No evidence matches the question as asked" in data["summary"]["text"]
    first = data["results"][0]
    assert first["direct"] is False
    assert first["match"][0]["match"] == "related"
    assert "shares a target or drug class with neratinib" in first["match"][0]["note"]


def test_summary_counts_all_matches_and_quotes_headline_numbers(kg) -> None:
    summary = answer_payload(find_evidence(kg, HEADLINE))["summary"]
    assert summary["total"] == 5
    assert sum(summary["by_design"].values()) == 5
    assert summary["by_design"]["randomized_controlled_trial"] == 1
    assert summary["headline_outcomes"][0]["outcomes"] == ["ORR 22.2% (95% CI 10.6–40.8)"]
    assert "TRIAL-1 (single arm trial, n=27): ORR 22.2% (95% CI 10.6–40.8)." in summary["text"]


def test_unknown_names_raise_with_suggestions(kg) -> None:
    with pytest.raises(UnknownEntityError) as error:
        find_evidence(kg, EvidenceQuery(therapy=("pyrotinb",)))
    assert error.value.suggestions[0] == "pyrotinib"
    assert "did you mean: pyrotinib" in str(error.value)


@pytest.mark.parametrize(("field", "value"), [("limit", 0), ("limit", 501), ("offset", -1)])
def test_bad_paging_names_the_parameter(kg, field: str, value: int) -> None:
    with pytest.raises(InvalidQueryError) as error:
        find_evidence(kg, EvidenceQuery(therapy=("pyrotinib",), **{field: value}))
    assert error.value.parameter == field


def test_ask_recognises_entities_tolerating_case_hyphens_and_plurals(kg) -> None:
    mentions = recognise(kg, "What evidence supports Pyrotinib in HER2-amplified non-small cell lung carcinomas?")
    assert [(m.text, m.entity) for m in mentions] == [
        ("Pyrotinib", "drug:pyrotinib"),
        ("HER2-amplified", "alt:ERBB2-amplification"),
        ("non-small cell lung carcinomas", "disease:nsclc"),
    ]
    answer = ask(kg, "what evidence supports pyrotinib in her2 amplification nsclc")
    assert answer["interpretation"] == (
        "therapy: pyrotinib; alteration: ERBB2 amplification; disease: non-small cell lung carcinoma"
    )
    assert [r["id"] for r in answer["results"]] == ranked_ids(find_evidence(kg, HEADLINE))


def test_ask_uses_the_most_specific_disease_and_reports_the_other(kg) -> None:
    answer = ask(kg, "pyrotinib in lung cancer, specifically lung adenocarcinoma")
    assert answer["query"]["resolved"][-1]["id"] == "disease:luad"
    assert [m["id"] for m in answer["ignored"]] == ["disease:lung-cancer"]


def test_ask_without_entities_is_a_clear_error(kg) -> None:
    with pytest.raises(InvalidQueryError) as error:
        ask(kg, "what is the meaning of life")
    assert error.value.parameter == "q"
    with pytest.raises(InvalidQueryError, match="non-empty"):
        ask(kg, "   ")
