"""``kg propose`` through the real command: the JSON shape, the draft file, the curator's path, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import DATA_DIR

runner = CliRunner()
SEED_TEXT = DATA_DIR / "texts" / "pan-zhou-2024-front-oncol.txt"
OUTCOME_KEYS = {
    "measure", "value", "unit", "ci_lower", "ci_upper", "ci_level", "p_value", "p_comparator", "arm", "text", "start",
    "end",
}  # fmt: skip
PROPOSAL_KEYS = {"quote", "therapy", "alterations", "disease", "registry_ids", "design", "sample_size", "outcomes"}


@pytest.fixture(scope="module")
def seed_json() -> dict[str, Any]:
    result = runner.invoke(app, ["propose", str(SEED_TEXT), "--json", "--no-civic"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", [["propose"], ["eval", "figures"], ["eval", "paper"]], ids=" ".join)
def test_commands_have_help_with_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: kg " in result.output


def test_json_has_exactly_the_documented_shape(seed_json: dict[str, Any]) -> None:
    assert set(seed_json) == {"proposals", "unrecognised"}
    assert len(seed_json["proposals"]) > 30
    for proposal in seed_json["proposals"]:
        assert set(proposal) == PROPOSAL_KEYS
        assert set(proposal["quote"]) == {"text", "start", "end"}
        for outcome in proposal["outcomes"]:
            assert set(outcome) == OUTCOME_KEYS
            for key in ("value", "ci_lower", "ci_upper", "ci_level", "p_value"):
                assert outcome[key] is None or isinstance(outcome[key], str), "values as strings, as written"


def test_quotes_and_outcomes_are_verbatim_spans_of_the_text(seed_json: dict[str, Any]) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    for proposal in seed_json["proposals"]:
        quote = proposal["quote"]
        assert text[quote["start"] : quote["end"]] == quote["text"]
        for outcome in proposal["outcomes"]:
            assert text[outcome["start"] : outcome["end"]] == outcome["text"]
            assert quote["start"] <= outcome["start"] < outcome["end"] <= quote["end"]


def test_the_chictr_sentence_is_proposed_with_its_trial_drug_and_figures(seed_json: dict[str, Any]) -> None:
    chictr = [p for p in seed_json["proposals"] if any(r["id"] == "ChiCTR1800020262" for r in p["registry_ids"])]
    assert chictr, "ChiCTR1800020262 is named as written"
    first = chictr[0]
    assert [t["id"] for t in first["therapy"]] == ["drug:pyrotinib"]
    assert first["disease"]["id"] == "disease:nsclc"
    [rate] = first["outcomes"]
    assert (rate["measure"], rate["value"], rate["ci_lower"], rate["ci_upper"], rate["ci_level"]) == (
        "pfs_rate", "51.9", "34.0", "69.3", "95",
    )  # fmt: skip
    orr = [o for p in seed_json["proposals"] for o in p["outcomes"] if o["measure"] == "orr" and o["value"] == "22.2"]
    assert [(o["ci_lower"], o["ci_upper"]) for o in orr] == [("10.6", "40.8")]
    phila = next(p for p in seed_json["proposals"] if "24.3" in p["quote"]["text"])
    hr = next(o for o in phila["outcomes"] if o["measure"] == "hazard_ratio")
    assert (hr["value"], hr["p_value"], hr["p_comparator"]) == ("0.41", "0.0001", "<")


def test_unrecognised_names_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(
        "Zorifertinib gave an ORR of 40% in EGFR-mutant NSCLC with ZZTOP7 amplification.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["propose", str(path), "--json", "--no-civic"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    names = {entry["text"]: entry["looks_like"] for entry in payload["unrecognised"]}
    assert names == {"Zorifertinib": "drug", "ZZTOP7": "gene"}
    [proposal] = payload["proposals"]
    assert proposal["outcomes"][0]["value"] == "40"
    assert proposal["disease"]["id"] == "disease:nsclc"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n\t\n", "holds only whitespace"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "binary file"),
        (b"%PDF-1.7\n%\xe2\xe3", "is a PDF"),
        (b"The ORR was 30% in caf\xe9 patients.\n", "not UTF-8 text: byte 22 (line 1)"),
        (b"line one\nline two \xff\n", "byte 18 (line 2)"),
    ],
    ids=["empty", "whitespace", "binary", "pdf", "latin-1", "bad-byte-line-2"],
)
def test_bad_input_gets_a_clear_message_not_a_traceback(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "paper.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["propose", str(path), "--json"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error:" in result.output and message in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_and_a_directory_are_clear_errors(tmp_path: Path) -> None:
    for target, message in ((tmp_path / "nope.txt", "no such file"), (tmp_path, "is a directory")):
        result = runner.invoke(app, ["propose", str(target)])
        assert result.exit_code == 2
        assert message in result.output


def test_a_large_file_is_announced_and_streamed(tmp_path: Path) -> None:
    """Proposals of a long text appear while it is still being read (the process is stopped after the first)."""
    path = tmp_path / "large.txt"
    paragraph = "The ORR was 31.5% and DCR 77.0% with pyrotinib in HER2-amplified NSCLC. " * 30 + "\n\n"
    with path.open("w", encoding="utf-8") as stream:
        for _ in range(2_700):  # about 6 MB: over the size that gets a note
            stream.write(paragraph)
    kg = Path(sys.executable).parent / "kg"
    process = subprocess.Popen(
        [str(kg), "propose", str(path), "--json", "--no-civic"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        head = process.stdout.readline()
        first = process.stdout.readline()
        assert head.startswith('{"proposals": [')
        proposal = json.loads(first.strip().rstrip(","))
        assert proposal["outcomes"][0]["measure"] == "orr"
        assert process.poll() is None, "the first proposal was written before the text was read to its end"
    finally:
        process.kill()
        _, errors = process.communicate()
    assert "is read paragraph by paragraph (bounded memory)" in errors


# -- the draft and the curator's path -----------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A data directory with the curated files and texts (no CIViC release, to stay quick)."""
    data = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, data / sub)
    shutil.copy(SEED_TEXT, data / "texts" / "new-paper.txt")
    return data


def _evidence_ids(data: Path) -> set[str]:
    from kg.core.vocab import NodeType
    from kg.curation.load import load_curated

    return set(load_curated(data).records.get(NodeType.EVIDENCE, {}))


def test_yaml_draft_validates_and_its_items_are_not_served_until_accepted(data_copy: Path) -> None:
    before = _evidence_ids(data_copy)
    text = data_copy / "texts" / "new-paper.txt"
    result = runner.invoke(app, ["propose", str(text), "--yaml", "--data", str(data_copy), "--no-civic"])
    assert result.exit_code == 0, result.output
    draft = data_copy / "papers" / "new-paper.yaml"
    assert draft.is_file() and "proposed evidence items" in result.output
    body = draft.read_text(encoding="utf-8")
    assert body.count("status: proposed") > 30 and "extractor: kg.reader.results" in body
    assert "\nproposed_evidence:\n" in body and "\nevidence:" not in body

    validated = runner.invoke(app, ["validate", "--data", str(data_copy), "--no-civic", "--json"])
    assert validated.exit_code == 0, validated.output
    assert _evidence_ids(data_copy) == before, "proposed items are validated but not served"

    accepted = body.replace("status: proposed", "status: accepted", 1)
    draft.write_text(accepted, encoding="utf-8")
    served = _evidence_ids(data_copy) - before
    assert served == {"ev:new-paper-p0001"}, "an accepted item is served"
    fixed = runner.invoke(app, ["lint", "--fix", "--data", str(data_copy)])
    assert fixed.exit_code in (0, 1), fixed.output
    relinted = draft.read_text(encoding="utf-8")
    assert relinted.count("status: proposed") == body.count("status: proposed") - 1, "lint keeps every draft mark"
    assert _evidence_ids(data_copy) - before == {"ev:new-paper-p0001"}
    assert runner.invoke(app, ["lint", "--data", str(data_copy)]).exit_code == 0, "the rewritten draft is canonical"

    again = runner.invoke(app, ["propose", str(text), "--yaml", "--data", str(data_copy), "--no-civic"])
    assert again.exit_code == 2 and "exists" in again.output, "a draft never replaces a file"

    # a curator's slip in a draft is reported like any data error: file, record, field
    body = draft.read_text(encoding="utf-8")
    at = body.index("radical surgery", body.index("    quote:"))  # in the first item's quote, not its statement
    draft.write_text(body[:at] + "radical surgeon" + body[at + len("radical surgery") :], encoding="utf-8")
    broken = runner.invoke(app, ["validate", "--data", str(data_copy), "--no-civic"])
    assert broken.exit_code == 1
    assert "papers/new-paper.yaml" in broken.output and "ev:new-paper-p0001" in broken.output


def test_eval_commands_print_scores() -> None:
    figures = runner.invoke(
        app, ["eval", "figures", str(DATA_DIR.parent / "tests/data/civic_figures.yaml"), "--split", "tune"]
    )
    assert figures.exit_code == 0, figures.output
    assert "recall" in figures.output and "  all " in figures.output
    refused = runner.invoke(
        app, ["eval", "figures", "tests/data/civic_figures.yaml", "--split", "measure", "--details"]
    )
    assert refused.exit_code == 2 and "measure half is only measured" in refused.output
    paper = runner.invoke(app, ["eval", "paper", "src:pan-zhou-2024"])
    assert paper.exit_code == 0, paper.output
    assert "pfs_median" in paper.output
