"""Registry ids, design words, sample sizes, and sentences with offsets into the file's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.reader.sentences import MAX_PARAGRAPH, read_paragraphs, read_sentences, text_sentences
from kg.reader.studies import design_json, design_words, registry_ids, sample_size
from tests.conftest import DATA_DIR

SEED_TEXT = DATA_DIR / "texts" / "pan-zhou-2024-front-oncol.txt"


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("ChiCTR1800020262 trial suggested", ["ChiCTR1800020262"]),
        ("The NCT02675829 Phase II study", ["NCT02675829"]),
        ("(EudraCT number 2015-001234-56)", ["2015-001234-56"]),
        ("registered as ISRCTN12345678 and jRCT2031200116", ["ISRCTN12345678", "jRCT2031200116"]),
        (
            "ACTRN12615000123456, CTRI/2019/05/019012 and UMIN000012345",
            ["ACTRN12615000123456", "CTRI/2019/05/019012", "UMIN000012345"],
        ),
        ("KCT0001234 and DRKS00012345", ["KCT0001234", "DRKS00012345"]),
        ("ChiCTR-OIC-17013726", ["ChiCTR-OIC-17013726"]),
        ("NCT0267582 has seven digits and XNCT02675829 is glued", []),
    ],
)
def test_registry_ids_as_written(text: str, ids: list[str]) -> None:
    found = registry_ids(text, offset=10)
    assert [r.id for r in found] == ids
    assert all(text[r.start - 10 : r.end - 10] == r.id for r in found)


def test_design_words_and_the_design_they_suggest() -> None:
    text = "PHILA is a randomized, double-blind, parallel controlled, multi-center phase III clinical trial."
    design = design_json(design_words(text))
    assert design is not None
    assert design["phase"] == "III"
    assert design["study_design"] == "randomized_controlled_trial"
    assert next(w["text"] for w in design["words"]).startswith("randomized")
    assert design_json(design_words("A retrospective analysis showed"))["study_design"] == "retrospective_cohort"  # type: ignore[index]
    assert design_json(design_words("A case report in 2021 showed"))["study_design"] == "case_report"  # type: ignore[index]
    assert (
        design_json(design_words("a prospective, multicenter, single-arm trial"))["study_design"] == "single_arm_trial"
    )  # type: ignore[index]
    assert design_words("The patient was treated") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("investigating the efficacy of pyrotinib in 27 NSCLC patients with HER2-amplified", "27"),
        ("a subset of patients with EGFR mutations (n=261) treated", "261"),
        ("A total of 387 men were randomized", "387"),
        ("402 patients that were previously untreated were randomised", None),
        ("402 patients were randomised to binimetinib", "402"),
        ("The ORR was 30%", None),
    ],
)
def test_sample_size(text: str, value: str | None) -> None:
    found = sample_size(text)
    assert (found.value if found else None) == value


def test_sentences_carry_offsets_into_the_files_text() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    sentences = list(read_sentences(SEED_TEXT))
    assert len(sentences) > 150
    assert all(text[s.start : s.end] == s.text for s in sentences)
    # a line break inside a sentence does not end it (PDF text), "HER?\n2" noise does not either
    assert any(s.text.startswith("The median\nprogression-free survival (mPFS)") for s in sentences)
    assert any("HER?2" in s.text.replace("\n", "") for s in sentences)


def test_crlf_and_in_memory_text_agree(tmp_path: Path) -> None:
    body = "First paragraph ends here. It has two sentences.\r\n\r\nThe ORR was\r\n30% in the trial.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(body.encode())
    from_file = [(s.start, s.end, s.text) for s in read_sentences(path)]
    in_memory = [(s.start, s.end, s.text) for s in text_sentences(body)]
    assert from_file == in_memory
    assert [t for _, _, t in from_file] == [
        "First paragraph ends here.",
        "It has two sentences.",
        "The ORR was\n30% in the trial.",
    ]
    assert all(path.read_text(encoding="utf-8")[a:b] == t for a, b, t in from_file)


def test_a_paragraph_never_grows_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("word " * (3 * MAX_PARAGRAPH), encoding="utf-8")
    paragraphs = list(read_paragraphs(path))
    assert len(paragraphs) >= 15
    assert all(len(p.text) <= MAX_PARAGRAPH for p in paragraphs)
    text = path.read_text(encoding="utf-8")
    assert all(text[p.start : p.start + len(p.text)] == p.text for p in paragraphs)


def test_reading_a_large_file_takes_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "large.txt"
    paragraph = ("The ORR was 30% (95% CI 20-40) in 27 patients. " * 40 + "\n\n").encode()
    with path.open("wb") as stream:
        for _ in range(12_000):  # about 23 MB
            stream.write(paragraph)
    assert path.stat().st_size > 20_000_000
    tracemalloc.start()
    count = sum(1 for _ in read_paragraphs(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 12_000
    assert peak < 4_000_000, f"peak {peak:,} bytes while reading a {path.stat().st_size:,}-byte file"
