"""kg.reader.names on the bundled graph: brands, identifiers, registry ids, misspellings, and unknown names.

Expectations are derived from the data (the label a brand is verified on, the
xrefs a record carries), never typed in as answers.
"""

from __future__ import annotations

import re

import pytest

from kg.core.vocab import NodeType
from kg.model import Drug, Source
from kg.reader.lexicon import fuzzy_budget, is_english
from kg.reader.names import find_names, looks_like_a_name, recognise
from kg.runtime.resolve import name_key


def _brands(kg) -> list[tuple[str, str]]:
    """(brand, drug id) for every synonym a drug's label provenance names in capitals."""
    found = []
    for drug in kg.corpus.drugs.values():
        if not isinstance(drug, Drug):
            continue
        for quote in drug.provenance:
            source = kg.corpus.sources.get(quote.source)
            if isinstance(source, Source) and source.id.startswith("src:label-"):
                found += [(s, drug.id) for s in drug.synonyms if s.upper() in quote.text]
    return found


def test_every_brand_is_verified_on_a_label_and_read_as_its_drug(kg_full) -> None:
    brands = _brands(kg_full)
    assert len(brands) >= 10
    for brand, drug in brands:
        question = f"Which patients benefit from {brand} in lung cancer?"
        mentions = [m for m in find_names(kg_full, question).mentions if m.text == brand]
        assert [m.entity for m in mentions] == [drug], brand
        assert mentions[0].how == "name" and mentions[0].facet == "therapy"


def test_each_label_source_is_quoted_by_exactly_the_drug_it_names(kg_full) -> None:
    labels = [s for s in kg_full.corpus.sources.values() if s.id.startswith("src:label-")]
    quoted = {q.source for d in kg_full.corpus.drugs.values() for q in getattr(d, "provenance", ())}
    assert labels and all(label.id in quoted for label in labels)
    assert all(label.url and label.curator_note and "seen" in label.curator_note for label in labels)


@pytest.mark.parametrize("node_type", [NodeType.DISEASE, NodeType.GENE, NodeType.DRUG])
def test_verified_external_ids_in_free_text_are_read_exactly(kg_full, node_type: NodeType) -> None:
    records = [
        r for r in kg_full.corpus.table(node_type).values() if any(x.status.value != "unverified" for x in r.xrefs)
    ]
    assert records
    for record in records[:25]:
        xref = next(x for x in record.xrefs if x.status.value != "unverified")
        question = f"What is known about {xref.id} in recent trials?"
        mentions = find_names(kg_full, question).mentions
        assert [(m.entity, m.how, m.text) for m in mentions if m.how == "identifier"] == [
            (kg_full.resolver.resolve(xref.id)[0], "identifier", xref.id)
        ]


def test_own_ids_of_any_record_are_read(kg_full) -> None:
    case = next(iter(kg_full.corpus.table(NodeType.PATIENT_CASE)))
    study = next(iter(kg_full.corpus.studies))
    names = find_names(kg_full, f"compare {case} with {study}")
    assert [(m.entity, m.facet) for m in names.mentions] == [(case, "case"), (study, "study")]


def test_every_registry_id_of_a_study_names_that_study(kg_full) -> None:
    for study in kg_full.corpus.studies.values():
        for registry_id in study.registry_ids:
            mentions = recognise(kg_full, f"outcomes of {registry_id} please")
            assert [m.entity for m in mentions] == [study.id], registry_id


def test_a_trial_registry_id_known_only_from_a_publication_names_that_publication(kg_full) -> None:
    in_studies = {r for s in kg_full.corpus.studies.values() for r in s.registry_ids}
    source = next(
        s
        for s in kg_full.corpus.sources.values()
        if any(re.fullmatch(r"NCT\d{8}", r) and r not in in_studies for r in s.registry_ids)
    )
    registry_id = next(r for r in source.registry_ids if r not in in_studies)
    mentions = recognise(kg_full, f"what did {registry_id} find?")
    assert [(m.facet, m.node_type) for m in mentions] == [("study", NodeType.SOURCE)]
    assert registry_id in kg_full.corpus.sources[mentions[0].entity].registry_ids


def test_an_unknown_identifier_with_a_known_prefix_is_reported(kg_full) -> None:
    names = find_names(kg_full, "evidence for DOID:99999999 and HGNC:999999 please")
    assert [u.text for u in names.unknown] == ["DOID:99999999", "HGNC:999999"]
    assert all("names nothing" in u.reason for u in names.unknown)
    assert not names.mentions


def _misspellings(label: str) -> list[str]:
    """A deletion and an adjacent transposition inside the word (never the first letter)."""
    middle = len(label) // 2
    deleted = label[:middle] + label[middle + 1 :]
    swapped = label[: middle - 1] + label[middle] + label[middle - 1] + label[middle + 1 :]
    return [w for w in (deleted, swapped) if w != label]


def test_a_misspelled_drug_is_read_as_that_drug_with_a_note_or_not_at_all(kg_full) -> None:
    drugs = [d for d in kg_full.corpus.drugs.values() if d.label.isalpha() and len(d.label) >= 8][:120]
    read = 0
    for drug in drugs:
        for typo in _misspellings(drug.label.lower()):
            if kg_full.resolver.resolve(typo) or is_english(typo):
                continue
            names = find_names(kg_full, f"is {typo} active here?")
            fuzzy = [m for m in names.mentions if m.how == "fuzzy"]
            if fuzzy:
                assert [m.entity for m in fuzzy] == [drug.id], (typo, fuzzy)
                assert fuzzy[0].note and fuzzy[0].note.startswith(f"read '{typo}' as {drug.label}")
                read += 1
            else:  # not read: then listed, with the reason
                assert [u.text for u in names.unknown] == [typo]
    assert read >= len(drugs)  # most typos are read (about one of each pair)


def test_common_english_words_are_never_read_as_names_by_fuzzy_matching(kg_full) -> None:
    from spellchecker import SpellChecker

    frequency = SpellChecker(language="en").word_frequency
    common = [w for w, _ in frequency.dictionary.most_common(6000) if w.isalpha() and len(w) >= 5][:3000]
    assert len(common) > 1500
    fuzzy = [
        (word, m.label) for word in common for m in find_names(kg_full, f"the {word} here").mentions if m.how == "fuzzy"
    ]
    assert fuzzy == []


def test_the_edit_budget_is_bounded() -> None:
    assert [fuzzy_budget("x" * n) for n in (3, 4, 5, 7, 8, 15)] == [0, 0, 1, 1, 2, 2]


def test_a_word_beyond_the_budget_is_not_read(kg_full) -> None:
    assert kg_full.resolver.resolve("pyrotinib")
    names = find_names(kg_full, "what about pyrtnb?")  # three edits from pyrotinib
    assert not names.mentions and [u.text for u in names.unknown] == ["pyrtnb"]


def test_gene_symbols_that_are_english_words_count_only_in_capitals(kg_full) -> None:
    lower = find_names(kg_full, "we met to discuss a kit for the pole").mentions
    assert lower == ()
    upper = [m.entity for m in find_names(kg_full, "MET and KIT and POLE").mentions]
    assert upper == ["gene:MET", "gene:KIT", "gene:POLE"]


@pytest.mark.parametrize("word", ["qwertinib", "XQZ-771", "Zorblimab", "hl7z9q"])
def test_name_like_unknown_words_are_listed_with_a_reason(kg_full, word: str) -> None:
    assert not kg_full.resolver.resolve(word)
    names = find_names(kg_full, f"Does {word} help patients with lung cancer?")
    assert [u.text for u in names.unknown] == [word]
    assert names.unknown[0].reason


def test_plain_english_is_not_name_like() -> None:
    assert not any(
        looks_like_a_name(w) for w in ["which", "treatments", "helped", "patients", "most", "during", "follow", "up"]
    )
    assert all(looks_like_a_name(w) for w in ("T790M", "HS10296", "PHILA", "mAb", "zanidatamab"))


def test_spans_point_at_the_text(kg_full) -> None:
    question = "Efficacy of aumolertinib (HS-10296) with DOID:3908, after T-DXd — and ERBB2?"
    for mention in find_names(kg_full, question).mentions:
        assert question[mention.start : mention.end] == mention.text
        assert name_key(mention.text) or mention.how == "identifier"
