"""``kg validate`` on hostile data files: a clear message naming file and place, exit 1, and nothing written.

Each test breaks a private copy of the curated data (issue 12, items 1, 2, 6
and 7), runs the real command through typer's runner with a private cache
directory, and checks three things: the message names the file and where
in it, no traceback is printed, and neither the data directory nor the
cache changed (a failed validation caches nothing).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.curation.datafiles import MAX_DEPTH
from tests.conftest import DATA_DIR

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the curated data (no CIViC release: these are curated-file defects)."""
    target = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, target / sub)
    return target


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file under ``roots`` with a hash of its content (directories as such)."""
    found: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*")) if root.exists() else ():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(dir)"
    return found


def validate(data: Path, tmp_path: Path) -> Result:
    """``kg validate --data DATA --no-civic`` with a private cache; asserts nothing was written."""
    cache = tmp_path / "cache"
    before = snapshot(data, cache)
    result = runner.invoke(app, ["validate", "--data", str(data), "--no-civic"], env={"EVIDENCE_KG_CACHE": str(cache)})
    assert snapshot(data, cache) == before, "a failed validation wrote something"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("  - ")]


@pytest.mark.parametrize(
    ("relative", "tail"),
    [
        ("registry/drugs.yaml", b"\xe9"),  # a Latin-1 byte
        ("registry/genes.yaml", b"\x00\x01\xff\xfe binary"),
        ("papers/junk.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),  # a junk file under papers/
    ],
)
def test_non_utf8_data_file_names_file_byte_and_line(data: Path, tmp_path: Path, relative: str, tail: bytes) -> None:
    path = data / relative
    existing = path.read_bytes() if path.exists() else b""
    path.write_bytes(existing + tail)
    offset = len(existing) + next(i for i, byte in enumerate(tail) if byte >= 0x80)
    line = existing.count(b"\n") + 1
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert f"data/{relative}: record line {line}: field (encoding): expected UTF-8 text" in message
    assert f"byte {offset} (0x{(existing + tail)[offset]:02x}" in message


def test_non_utf8_source_text_names_the_text_file_and_stops_the_quote_cascade(data: Path, tmp_path: Path) -> None:
    text = data / "texts" / "pan-zhou-2024-front-oncol.txt"
    text.write_bytes(
        text.read_bytes().replace(b"pyrotinib", "pyrotinib\N{LATIN SMALL LETTER E WITH ACUTE}".encode("latin-1"), 1)
    )
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)  # one error, not one per quote of that text
    assert "data/texts/pan-zhou-2024-front-oncol.txt: record line " in message and "expected UTF-8 text" in message


def test_a_directory_named_like_a_data_file_is_an_error(data: Path, tmp_path: Path) -> None:
    (data / "papers" / "notes.yaml").mkdir()
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert "data/papers/notes.yaml: record (whole file): field (file): expected a file" in message


@pytest.mark.parametrize(
    "document",
    [
        "pathways: " + "[" * 500 + "]" * 500,  # the reproduction: flow style
        "pathways:\n" + "".join("  " * depth + "- \n" for depth in range(300)),  # block style
        "pathways: " + "{a: " * 400 + "1" + "}" * 400,
    ],
    ids=["flow-lists", "block-lists", "flow-mappings"],
)
def test_deeply_nested_yaml_is_refused_with_the_depth(data: Path, tmp_path: Path, document: str) -> None:
    (data / "registry" / "pathways.yaml").write_text(document + "\n", encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert "data/registry/pathways.yaml: record line " in message
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_yaml_aliases_are_refused_so_a_few_lines_cannot_expand_into_billions(data: Path, tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    (data / "registry" / "pathways.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert "data/registry/pathways.yaml: record line 2:" in message and "an alias (*name)" in message


def test_duplicate_id_is_reported_at_each_records_own_line(data: Path, tmp_path: Path) -> None:
    path = data / "registry" / "drugs.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "  - id: drug:pyrotinib"
    first_end = next(i for i in range(2, len(lines)) if lines[i].startswith("  - id:"))
    copy_line = len(lines) + 1  # the copy's "- id:" line, 1-based
    path.write_text("\n".join([*lines, *lines[1:first_end]]) + "\n", encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert (
        f"data/registry/drugs.yaml: record drug:pyrotinib (line {copy_line}): field id: expected a unique id; "
        "drug:pyrotinib is already defined in data/registry/drugs.yaml by drug:pyrotinib (line 2)"
    ) in message


def test_one_yaml_syntax_error_is_one_error_not_a_cascade_of_unknown_drugs(data: Path, tmp_path: Path) -> None:
    path = data / "registry" / "drugs.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.strip().startswith("xrefs:"))
    lines[broken] = lines[broken].replace("xrefs:", "xrefs: [")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    messages = error_lines(result)
    assert len(messages) == 1, "\n".join(messages)
    assert "data/registry/drugs.yaml: record line " in messages[0] and "not valid YAML" in messages[0]
    assert "none has this id" not in result.stderr  # no "the id of an existing drug" for every reference


def test_a_syntax_error_does_not_hide_schema_errors_of_other_files(data: Path, tmp_path: Path) -> None:
    drugs = data / "registry" / "drugs.yaml"
    drugs.write_text(drugs.read_text(encoding="utf-8").replace("  - id: drug:pyrotinib\n", "  - id: [drug\n", 1))
    genes = data / "registry" / "genes.yaml"
    text = genes.read_text(encoding="utf-8")
    genes.write_text(text.replace("    symbol:", "    symbl:", 1), encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    messages = error_lines(result)
    assert any("data/registry/drugs.yaml" in m and "not valid YAML" in m for m in messages), messages
    assert any("data/registry/genes.yaml" in m and "no such field" in m for m in messages), messages
    assert not any("none has this id" in m for m in messages), messages


def test_control_characters_written_as_yaml_escapes_are_refused(data: Path, tmp_path: Path) -> None:
    path = data / "registry" / "drugs.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    label: pyrotinib\n" in text
    path.write_text(text.replace("    label: pyrotinib\n", '    label: "pyro\\x07tinib\\e[31m"\n', 1), encoding="utf-8")
    result = validate(data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert (
        "data/registry/drugs.yaml: record drug:pyrotinib (line 2): field label: expected text without control"
        in message
    )
    assert "found U+0007 at character 5" in message
