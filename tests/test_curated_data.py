"""The curated data itself: it loads, its quotes and numbers are the paper's, and each record keeps the curation rules.

The loader already enforces verbatim quotes and numbers; the checks here re-implement them with
plain string operations (no kg.core.text, no kg.curation.validate), so a bug in the validator cannot hide a bad
record. Every failure message names the record and says how to fix it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from kg.curation.lint import lint_data
from kg.curation.load import curated_files
from kg.model import Corpus, EvidenceItem, Quote, Source, Xref
from kg.model.terms import EventKind, EvidenceLevel, EvidenceType, ResponseCategory, SourceKind, StudyDesign

SEED = "src:pan-zhou-2024"
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8"}
NOISE = ("HER?2", "mPES", "mPEFS", "T-DMI", "PIK3A", "THC", "pT1cN2MO", "TKISs", "parbronchial")
# Values recalled from memory only (reference/README.md: UNVERIFIED or NOT_FOUND); they must never enter the data.
MEMORY_ONLY_VALUES = (
    "NCT02973737",  # PHENIX registry id
    "10.21037/tbcr-20-25",  # PHENIX doi
    "10.1158/1078-0432.CCR-21-2936",  # ChiCTR1800020262 report doi
    "34753778",  # its pmid
    "10.1200/JCO.20.00297",  # Zhou 2020 doi
    "32614698",  # its pmid
    "NCT02834936",  # its registry id
    "32213539",  # Li 2020 pmid
    "10.1158/2159-8290.CD-12-0108",  # Takezawa 2012 doi
    "22956644",  # its pmid
    "10.1158/1078-0432.CCR-12-2246",  # Yu 2013 doi
    "10.1200/JCO.2018.77.8738",  # ASCO/CAP guideline doi
    "29846122",  # its pmid
    "10.1016/j.lungcan.2014.10.014",  # Suzuki doi
    "C116377",  # osimertinib NCIt (disputed)
    "C102402",
    "C82492",  # T-DM1 NCIt
    "C38692",  # pertuzumab NCIt
    "C53556",  # HER2+ breast carcinoma NCIt
    "C4872",  # breast carcinoma NCIt
    "C4015",  # brain metastasis NCIt
    "DOID:1319",  # brain cancer: not a metastasis term
    "DOID:184",  # bone cancer: not a metastasis term
    "10012735",  # MedDRA diarrhea
    "10022611",  # MedDRA ILD
    "SHR-1258",  # pyrotinib code name, unverified
)
KEPT_IDS = {
    "gene": ["EGFR", "ERBB2", "ERBB4", "MET", "KRAS", "BRAF", "PIK3CA", "ALK", "ROS1"],
    "alt": [
        "ERBB2-alteration",
        "ERBB2-amplification",
        "ERBB2-mutation",
        "ERBB2-overexpression",
        "EGFR-alteration",
        "EGFR-mutation",
        "EGFR-activating-mutation",
        "EGFR-L858R",
        "EGFR-T790M",
        "EGFR-C797S",
        "EGFR-exon-19-deletion",
        "EGFR-E746_A750del",
    ],
    "disease": ["lung-cancer", "nsclc", "lung-adenocarcinoma", "breast-cancer", "her2-positive-breast-cancer"],
    "drug": [
        "pyrotinib",
        "almonertinib",
        "osimertinib",
        "trastuzumab",
        "pertuzumab",
        "trastuzumab-emtansine",
        "trastuzumab-deruxtecan",
        "afatinib",
        "dacomitinib",
        "neratinib",
        "docetaxel",
        "capecitabine",
        "pemetrexed",
        "cisplatin",
        "nab-paclitaxel",
        "anlotinib",
        "gefitinib",
        "erlotinib",
    ],
    "src": ["pan-zhou-2024"],
    "study": ["chictr1800020262", "phila", "phenix", "nct02675829"],
    "case": ["pan-zhou-2024"],
}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def walk(model: BaseModel, path: str) -> Iterator[tuple[str, BaseModel]]:
    """The model and every nested model, with a readable path (independent of kg.model.walk)."""
    yield path, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        values = value if isinstance(value, tuple) else (value,)
        for index, item in enumerate(values):
            if isinstance(item, BaseModel):
                yield from walk(item, f"{path}.{name}" + (f"[{index}]" if isinstance(value, tuple) else ""))


def all_models(corpus: Corpus) -> Iterator[tuple[str, BaseModel]]:
    for record in corpus:
        yield from walk(record, record.id)  # type: ignore[attr-defined]


def quotes(corpus: Corpus) -> Iterator[tuple[str, Quote]]:
    for path, model in all_models(corpus):
        if isinstance(model, Quote):
            yield path, model


def numbers_stated(text: str) -> set[str]:
    found = set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?", text))
    found |= {digit for word, digit in NUMBER_WORDS.items() if re.search(rf"\b{word}\b", text, re.IGNORECASE)}
    return found


def as_text(number: Decimal | int) -> str:
    return format(number, "f") if isinstance(number, Decimal) else str(number)


def ancestors(table: dict, start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(table[start].parents)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack += list(table[node].parents)
    return seen


@pytest.fixture(scope="module")
def corpus(curated_corpus) -> Corpus:
    return curated_corpus


@pytest.fixture(scope="module")
def paper_text(data_dir: Path) -> str:
    return collapse((data_dir / "texts" / "pan-zhou-2024-front-oncol.txt").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------- loading and size
def test_counts_by_type_are_sane(corpus: Corpus) -> None:
    counts = corpus.counts()
    seed_sources = [s for s in corpus.sources.values() if s.id == SEED or s.reported_in == SEED]
    assert len(seed_sources) == 37, "the seed paper plus one source per in-text reference number 1-36"
    labels = [s for s in corpus.sources.values() if s.id.startswith("src:label-")]
    assert counts["sources"] == 37 + len(labels), "besides the seed's: only the drug labels that verify brand names"
    assert counts["evidence"] >= 100
    assert counts["outcomes"] >= 45
    assert counts["case_events"] >= 20
    assert counts["patient_cases"] == 1
    assert counts["studies"] >= 10 and counts["populations"] >= 20
    assert counts["drugs"] >= 18 and counts["drug_classes"] >= 10 and counts["resistance_mechanisms"] >= 10
    assert counts["biomarker_definitions"] >= 1
    assert counts["anatomical_sites"] >= 10 and counts["pathways"] >= 4 and counts["adverse_events"] >= 4
    types = Counter(item.evidence_type for item in corpus.evidence.values())
    for wanted in (
        EvidenceType.PREDICTIVE,
        EvidenceType.PROGNOSTIC,
        EvidenceType.PREVALENCE,
        EvidenceType.MECHANISTIC,
        EvidenceType.SAFETY,
        EvidenceType.CLINICAL_PRACTICE,
        EvidenceType.METHODOLOGICAL,
    ):
        assert types[wanted] >= 1, f"no evidence item of type {wanted.value}"
    assert types[EvidenceType.PREDICTIVE] >= 30
    assert {item.level for item in corpus.evidence.values()} == set(EvidenceLevel)


def test_kept_ids_exist(corpus: Corpus) -> None:
    missing = [f"{prefix}:{local}" for prefix, locals_ in KEPT_IDS.items() for local in locals_]
    missing = [record_id for record_id in missing if record_id not in corpus]
    assert not missing, f"ids other code relies on are missing (restore them, do not rename): {missing}"


def test_every_reference_number_has_exactly_one_source(corpus: Corpus) -> None:
    by_number = Counter(n for s in corpus.sources.values() if s.reported_in == SEED for n in s.reference_numbers)
    problems = [f"ref {n}: {by_number[str(n)]} sources" for n in range(1, 37) if by_number[str(n)] != 1]
    assert not problems, "each in-text reference number of the seed needs exactly one Source: " + "; ".join(problems)


# --------------------------------------------------------------------------------------------- quotes and numbers
def test_every_quote_is_verbatim_in_the_paper(corpus: Corpus, paper_text: str) -> None:
    problems = []
    for path, quote in quotes(corpus):
        if quote.source != SEED:
            continue
        position = 0
        for span in (quote.text, *quote.continuation):
            found = paper_text.find(collapse(span), position)
            if found < 0:
                problems.append(f"{path}: {span[:80]!r}")
                break
            position = found + len(collapse(span))
    assert not problems, (
        "quotes not verbatim in data/texts/pan-zhou-2024-front-oncol.txt (copy the text exactly, noise included; "
        "continuation spans must follow in reading order):\n" + "\n".join(problems)
    )


def test_quotes_of_sources_without_text_are_their_verified_titles(corpus: Corpus) -> None:
    for path, quote in quotes(corpus):
        if quote.source == SEED:
            continue
        source = corpus.sources[quote.source]
        assert quote.locator, f"{path}: a quote from {source.id}, which has no text, needs a locator"
        assert source.title and collapse(quote.text) == collapse(source.title), (
            f"{path}: only a cited source's verified title can be quoted without its text; quote it exactly"
        )


def test_every_outcome_number_is_in_its_quote(corpus: Corpus) -> None:
    problems = []
    for item in corpus.evidence.values():
        stated = numbers_stated(" ".join((item.quote.text, *item.quote.continuation)))
        for index, outcome in enumerate(item.outcomes):
            for name in ("value", "range_low", "range_high", "ci_level", "ci_lower", "ci_upper", "p_value"):
                number = getattr(outcome, name)
                if number is not None and as_text(number) not in stated:
                    problems.append(f"{item.id} outcomes[{index}].{name} = {as_text(number)}")
            for name in ("numerator", "denominator"):
                number = getattr(outcome, name)
                if number is not None and str(number) not in stated:
                    problems.append(f"{item.id} outcomes[{index}].{name} = {number}")
    assert not problems, "outcome numbers must be written exactly as in the quote (30.0, not 30):\n" + "\n".join(
        problems
    )


def test_noisy_quotes_carry_a_corrected_reading(corpus: Corpus) -> None:
    problems = []
    for path, quote in quotes(corpus):
        noise = [token for token in NOISE if token in quote.text or any(token in s for s in quote.continuation)]
        if noise and (quote.corrected is None or any(token in quote.corrected for token in noise)):
            problems.append(f"{path}: {noise}")
    assert not problems, "add a 'corrected' reading without the extraction noise to:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------- identifiers
def test_every_xref_is_verified_and_sourced(corpus: Corpus) -> None:
    problems = [
        f"{path}: {model.id} ({model.status.value})"
        for path, model in all_models(corpus)
        if isinstance(model, Xref)
        and (model.status.value not in ("verified", "verified_secondary") or not model.source)
    ]
    assert not problems, "only verified or verified_secondary ids, each with where it was seen:\n" + "\n".join(problems)


@pytest.mark.parametrize("value", MEMORY_ONLY_VALUES)
def test_memory_only_values_never_enter_the_data(data_dir: Path, value: str) -> None:
    holders = [path.name for path in curated_files(data_dir) if value in path.read_text(encoding="utf-8")]
    assert not holders, f"{value} is an unverified value (reference/README.md); remove it from {holders}"


def test_unidentified_references_carry_no_guessed_bibliography(corpus: Corpus) -> None:
    for source in corpus.sources.values():
        if source.kind is SourceKind.UNIDENTIFIED_REFERENCE:
            assert not (source.title or source.journal or source.authors or source.xrefs or source.registry_ids), (
                f"{source.id}: an unidentified reference must not carry a title, journal, authors, ids; "
                "put candidates in curator_note"
            )
            assert source.curator_note and source.curator_note.startswith("Cited for:"), (
                f"{source.id}: say in curator_note what the paper cites it for ('Cited for: ...')"
            )


def test_unverified_reference_mappings_stay_unidentified(corpus: Corpus) -> None:
    for number in ("8", "16", "18", "22", "25", "33", "35"):
        (source,) = [s for s in corpus.sources.values() if number in s.reference_numbers]
        assert source.kind is SourceKind.UNIDENTIFIED_REFERENCE, (
            f"ref {number}: mapping unverified; keep it unidentified"
        )
    notes = {n: next(s for s in corpus.sources.values() if n in s.reference_numbers).curator_note for n in ("8", "33")}
    assert "Takezawa" in notes["8"] and "Yu" in notes["8"]
    assert "Gatzemeier" in notes["33"] and "Lara" in notes["33"]


def test_identified_references(corpus: Corpus) -> None:
    phila = corpus.sources["src:ma-2023-phila"]
    assert "doi:10.1136/bmj-2023-076065" in {x.id for x in phila.xrefs} and phila.reference_numbers == ("17",)
    li2016 = corpus.sources["src:li-2016-her2-amplification-mutation-lung"]
    assert {x.id for x in li2016.xrefs} == {"doi:10.1016/j.jtho.2015.10.025", "PMID:26723242"}
    li2020 = corpus.sources["src:li-2020-her2-internalization-t-dm1"]
    assert "Peters" in (li2020.curator_note or ""), "note that Li 2020 (ref 36) is not the Peters 2019 T-DM1 study"
    for source in corpus.sources.values():
        if source.reported_in == SEED and source.kind is SourceKind.JOURNAL_ARTICLE:
            assert source.title, f"{source.id}: an identified cited source needs its verified title"


# --------------------------------------------------------------------------------------------- entities
def test_alteration_ids_name_their_gene(corpus: Corpus) -> None:
    for alteration in corpus.alterations.values():
        gene = alteration.id.removeprefix("alt:").split("-", 1)[0]
        assert alteration.gene == f"gene:{gene}", f"{alteration.id}: gene should be gene:{gene} (id says so)"


@pytest.mark.parametrize(
    ("table", "child", "ancestors_wanted"),
    [
        ("alterations", "alt:EGFR-L858R", {"alt:EGFR-activating-mutation", "alt:EGFR-mutation", "alt:EGFR-alteration"}),
        ("alterations", "alt:EGFR-E746_A750del", {"alt:EGFR-exon-19-deletion", "alt:EGFR-activating-mutation"}),
        ("alterations", "alt:EGFR-T790M", {"alt:EGFR-mutation"}),
        ("alterations", "alt:EGFR-C797S", {"alt:EGFR-mutation"}),
        ("alterations", "alt:ERBB2-amplification", {"alt:ERBB2-alteration"}),
        ("alterations", "alt:ERBB2-mutation", {"alt:ERBB2-alteration"}),
        ("alterations", "alt:ERBB2-overexpression", {"alt:ERBB2-alteration"}),
        ("diseases", "disease:lung-adenocarcinoma", {"disease:nsclc", "disease:lung-cancer"}),
        ("diseases", "disease:her2-positive-breast-cancer", {"disease:breast-cancer"}),
        (
            "drug_classes",
            "drugclass:third-generation-egfr-tki",
            {"drugclass:egfr-tki", "drugclass:tyrosine-kinase-inhibitor"},
        ),
    ],
)
def test_hierarchies(corpus: Corpus, table: str, child: str, ancestors_wanted: set[str]) -> None:
    found = ancestors(getattr(corpus, table), child)
    assert ancestors_wanted <= found, f"{child}: add parents so that it is_a {sorted(ancestors_wanted - found)}"


@pytest.mark.parametrize(
    ("record_id", "names"),
    [
        ("drug:almonertinib", {"aumolertinib", "HS-10296"}),
        ("drug:trastuzumab-emtansine", {"T-DM1", "ado-trastuzumab emtansine"}),
        ("drug:trastuzumab-deruxtecan", {"T-DXd"}),
        ("drug:nab-paclitaxel", {"albumin-bound paclitaxel"}),
        ("gene:ERBB2", {"HER2"}),
        ("gene:EGFR", {"HER1"}),
        ("gene:ERBB4", {"HER4"}),
        ("disease:nsclc", {"NSCLC", "non-small cell lung carcinoma"}),
    ],
)
def test_required_synonyms(corpus: Corpus, record_id: str, names: set[str]) -> None:
    known = set(corpus.get(record_id).all_names())  # type: ignore[union-attr]
    assert names <= known, f"{record_id}: add synonyms {sorted(names - known)}"


def test_drug_classes_are_stated_or_flagged(corpus: Corpus) -> None:
    for drug in corpus.drugs.values():
        if not drug.classes:
            continue
        names = [name.lower() for name in drug.all_names()]
        stated = any(any(name in quote.text.lower() for name in names) for quote in drug.provenance)
        flagged = "not state" in (drug.curator_note or "")
        assert stated or flagged, (
            f"{drug.id}: quote the paper's sentence giving its class in provenance, or say in curator_note that the "
            "class is not stated and assigned for querying"
        )


def test_metastases_are_sites_not_diseases(corpus: Corpus) -> None:
    for disease in corpus.diseases.values():
        names = " ".join(disease.all_names()).lower()
        assert not any(word in names for word in ("metasta", "brain cancer", "bone cancer")), (
            f"{disease.id}: DOID has no metastasis terms; model metastasis sites as AnatomicalSite records"
        )
    assert {"site:brain", "site:bone"} <= set(corpus.anatomical_sites)


def test_resistance_mechanisms_link_to_drug_classes(corpus: Corpus) -> None:
    mechanisms = corpus.resistance_mechanisms
    assert "drugclass:third-generation-egfr-tki" in mechanisms["mech:egfr-c797s"].confers_resistance_to
    assert "drugclass:first-generation-egfr-tki" in mechanisms["mech:egfr-t790m"].confers_resistance_to
    for slug in ("her2-amplification", "met-amplification", "kras-mutation", "braf-mutation", "pik3ca-mutation"):
        mechanism = mechanisms[f"mech:{slug}"]
        assert mechanism.alteration and mechanism.confers_resistance_to, (
            f"mech:{slug}: link alteration and drug classes"
        )
        assert "mech:bypass-pathway-activation" in mechanism.parents
    for mechanism in mechanisms.values():
        assert mechanism.provenance, f"{mechanism.id}: quote the paper sentence that names this mechanism"


# --------------------------------------------------------------------------------------------- evidence items
def test_case_level_items_are_level_c(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        study = corpus.studies.get(item.study or "")
        single_case = item.case is not None or (study is not None and study.design is StudyDesign.CASE_REPORT)
        if item.level is EvidenceLevel.C:
            assert single_case, f"{item.id}: level C is for case reports; set case/study or change the level"
        if item.case is not None:
            assert item.level is EvidenceLevel.C, f"{item.id}: an item drawn from a patient case is level C"


def test_level_a_items_state_an_approval_or_recommendation(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        if item.level is EvidenceLevel.A:
            assert re.search(r"approved|recommended", item.quote.text), (
                f"{item.id}: level A needs the paper to state an approval or recommendation in the quote"
            )


def test_items_cite_their_study_sources(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        study = corpus.studies.get(item.study or "")
        if study is None or SEED in study.sources:
            continue
        assert set(study.sources) & set(item.cites), (
            f"{item.id}: add the study's source ({', '.join(study.sources)}) to cites"
        )
        for cited in item.cites:
            assert corpus.sources[cited].reported_in == SEED, f"{item.id}: cites {cited}, not a reference of the seed"


def test_combinations_have_several_parts(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        if item.is_combination():
            assert len(item.therapy) + len(item.therapy_classes) >= 2, f"{item.id}: a combination needs two parts"


def test_subgroup_outcomes_point_at_the_subgroup(corpus: Corpus) -> None:
    item = corpus.evidence["ev:pan-zhou-2024-chictr-egfr-tki-failed-subgroup"]
    subgroup = corpus.populations[item.population]  # type: ignore[index]
    assert subgroup.parent == "pop:chictr1800020262-all"
    assert [str(o.value) for o in item.outcomes] == ["30.8", "7.2"]
    assert {o.population for o in item.outcomes} == {item.population}, "subgroup numbers name their subgroup"
    assert any("7.2" in note and "abstract" in note for note in item.curator_notes)
    whole = {str(o.value) for i in corpus.evidence.values() if i.population == subgroup.parent for o in i.outcomes}
    assert "30.8" not in whole and "22.2" in whole


def test_nct02675829_subgroup(corpus: Corpus) -> None:
    item = corpus.evidence["ev:pan-zhou-2024-nct02675829-her2-amplified-egfr-mutant-subgroup"]
    responders = item.outcomes[1]
    assert (responders.numerator, responders.denominator) == (2, 6)
    assert corpus.populations[responders.population].parent == "pop:nct02675829-all"  # type: ignore[index]


def test_hazard_ratios_name_both_arms(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        for index, outcome in enumerate(item.outcomes):
            if outcome.measure.value == "hazard_ratio":
                assert outcome.arm and outcome.comparator_arm, (
                    f"{item.id} outcomes[{index}]: set arm and comparator_arm"
                )


def test_phila_is_not_merged_with_phenix_and_t_dm1_studies_are_distinct(corpus: Corpus) -> None:
    assert "PHOEBE" in (corpus.studies["study:phenix"].curator_note or "")
    assert corpus.studies["study:nct02675829"].sources == ("src:li-2020-her2-internalization-t-dm1",)


# --------------------------------------------------------------------------------------------- the patient case
def test_case_trajectory_is_a_dated_path_of_therapy_lines(corpus: Corpus) -> None:
    case = corpus.patient_cases["case:pan-zhou-2024"]
    assert (case.age, case.sex, case.disease) == (50, "female", "disease:lung-adenocarcinoma")
    lines = [event for event in case.events if event.kind is EventKind.DRUG_THERAPY]
    assert [event.line_of_therapy for event in lines] == [1, 2, 3, 4], "number drug therapy lines 1..n in order"
    assert [set(event.drugs) for event in lines] == [
        {"drug:pemetrexed", "drug:cisplatin"},
        {"drug:nab-paclitaxel"},
        {"drug:anlotinib"},
        {"drug:almonertinib", "drug:pyrotinib"},
    ]
    ids = [event.id for event in case.events]
    for event in case.events:
        if event.assesses:
            assert ids.index(event.assesses) < ids.index(event.id), f"{event.id}: assess an earlier event"
    final = [e for e in case.events if e.assesses == lines[-1].id and e.response is ResponseCategory.PARTIAL_RESPONSE]
    assert final and final[0].response_criteria == "RECIST 1.1"
    assert any("8th edition" in note for note in case.curator_notes), "note that T1c exists only from TNM 8th edition"
    assert any("chemotherapy" in (e.curator_note or "") for e in lines[-1:]), (
        "note the paper calls the TKIs chemotherapy"
    )


def test_case_events_are_in_date_order(corpus: Corpus) -> None:
    def bounds(date: str) -> tuple[str, str]:
        parts = date.split("-")
        low = "-".join(parts + ["01"] * (3 - len(parts)))
        high = "-".join(parts + ["12", "31"][len(parts) - 1 :]) if len(parts) < 3 else date
        return low, high

    dated = [(event.id, bounds(event.date)) for event in corpus.case_events() if event.date]
    for (earlier, (low, _)), (later, (_, high)) in itertools.pairwise(dated):
        assert high >= low, f"{later} is dated before {earlier}: move it or fix its date"


def test_case_level_evidence_is_about_the_combination(corpus: Corpus) -> None:
    items = [
        item
        for item in corpus.evidence.values()
        if item.case == "case:pan-zhou-2024" and set(item.therapy) == {"drug:almonertinib", "drug:pyrotinib"}
    ]
    assert any(item.evidence_type is EvidenceType.PREDICTIVE for item in items)
    assert any(item.evidence_type is EvidenceType.SAFETY and item.adverse_events for item in items)
    assert all(item.is_combination() for item in items)


# --------------------------------------------------------------------------------------------- discrepancies
@pytest.mark.parametrize(
    ("record_id", "needle"),
    [
        ("biomarker:her2-amplification-asco-cap", ">= 2.0"),
        ("ev:pan-zhou-2024-her2-amplification-share-acquired-resistance", "Takezawa"),
        ("ev:pan-zhou-2024-chictr-egfr-tki-failed-subgroup", "not in the abstract"),
        ("ev:pan-zhou-2024-e746-a750-deletion-l858r-share", "category"),
        ("alt:EGFR-C797S", "two DNA changes"),
        ("ev:pan-zhou-2024-bypass-pik3ca-mutation", "PIK3CA"),
        ("drug:docetaxel", "trihydrate"),
        ("drug:pemetrexed", "disodium"),
        ("drug:erlotinib", "hydrochloride"),
        ("src:pan-zhou-2024-ref-18", "PHOEBE"),
    ],
)
def test_known_discrepancies_have_curator_notes(corpus: Corpus, record_id: str, needle: str) -> None:
    record = corpus.get(record_id)
    assert record is not None, f"{record_id} is missing"
    notes = " ".join(
        [getattr(record, "curator_note", None) or "", *getattr(record, "curator_notes", ())]  # type: ignore[list-item]
    )
    assert needle in notes, f"{record_id}: its curator note should explain the discrepancy ({needle!r})"


# --------------------------------------------------------------------------------------------- form
def test_data_files_are_canonical(data_dir: Path) -> None:
    result = lint_data(data_dir)
    assert result.ok, result.report()


def test_every_record_of_the_paper_file_quotes_the_seed(corpus: Corpus) -> None:
    for item in corpus.evidence.values():
        assert isinstance(item, EvidenceItem) and item.quote.source == SEED, f"{item.id}: quote the seed paper"
    assert isinstance(corpus.sources[SEED], Source) and corpus.sources[SEED].license == "CC BY 4.0"
