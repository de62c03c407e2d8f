"""``kg import civic`` on hostile releases: a clear message naming file, row and column, and nothing installed.

Each test breaks a copy of the small CIViC fixture release (issue 12, items
3, 4 and 5), runs the real command (with and without ``--dry-run``) against
a private copy of the data directory, and checks that the message names the
file, the row(s) and the column, that no traceback is printed, and that
``data/civic/`` and the cache are untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg.cli import app
from tests.conftest import DATA_DIR
from tests.test_cli_bad_data import snapshot

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "civic"
EVIDENCE = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the data directory, with the bundled release installed in civic/."""
    target = tmp_path / "data"
    for sub in ("registry", "papers", "texts", "civic"):
        shutil.copytree(DATA_DIR / sub, target / sub)
    return target


@pytest.fixture
def release(tmp_path: Path) -> Path:
    target = tmp_path / "release"
    shutil.copytree(FIXTURE, target)
    return target


def import_civic(release: Path, data: Path, tmp_path: Path, *extra: str) -> Result:
    """``kg import civic RELEASE --data DATA`` with a private cache; asserts nothing was written."""
    cache = tmp_path / "cache"
    before = snapshot(data, cache)
    result = runner.invoke(
        app, ["import", "civic", str(release), "--data", str(data), *extra], env={"EVIDENCE_KG_CACHE": str(cache)}
    )
    assert snapshot(data, cache) == before, "a refused import wrote something"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("  - ")]


def edit_row(path: Path, row: int, column: str, change) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    cells = lines[row].split("\t")
    cells[header.index(column)] = change(cells[header.index(column)])
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_fixture_release_imports(release: Path, data: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "civic", str(release), "--data", str(data), "--dry-run"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "install"])
def test_a_duplicated_evidence_row_names_both_rows(release: Path, data: Path, tmp_path: Path, dry_run: bool) -> None:
    path = release / EVIDENCE
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")  # data row 2 again, as row 9
    eid = lines[2].split("\t")[lines[0].split("\t").index("evidence_id")]
    result = import_civic(release, data, tmp_path, *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert f"release/{EVIDENCE}: record row {len(lines)} (line {len(lines) + 1}): field evidence_id" in message
    assert f"row 2 (line 3) has the same evidence_id {eid}" in message
    assert "-civic" not in result.output  # never a second item ev:civic-<eid>-civic


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_control_characters_in_a_statement_are_refused_with_row_and_column(
    release: Path, data: Path, tmp_path: Path, character: str
) -> None:
    edit_row(release / EVIDENCE, 3, "evidence_statement", lambda text: text.replace(" ", f" {character}[31m", 1))
    result = import_civic(release, data, tmp_path, "--dry-run")
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert f"release/{EVIDENCE}: record row 3 (line 4): field evidence_statement" in message
    assert f"expected text without control characters (found U+{ord(character):04X} at character" in message


def test_a_summaries_path_that_is_a_directory_is_named(release: Path, data: Path, tmp_path: Path) -> None:
    gene = release / "01-Aug-2024-GeneSummaries.tsv"
    gene.unlink()
    gene.mkdir()
    result = import_civic(release, data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert (
        "release/01-Aug-2024-GeneSummaries.tsv: record (file): field (file): expected a CIViC TSV file, not a directory"
        in message
    )


def test_non_utf8_release_file_names_row_and_byte(release: Path, data: Path, tmp_path: Path) -> None:
    path = release / EVIDENCE
    raw = path.read_bytes()
    third = raw.index(b"\n", raw.index(b"\n", raw.index(b"\n") + 1) + 1)  # end of line 3
    path.write_bytes(raw[:third] + b"\xe9" + raw[third:])
    result = import_civic(release, data, tmp_path)
    assert result.exit_code == 1
    (message,) = error_lines(result)
    assert f"release/{EVIDENCE}: record row 2 (line 3): field (encoding): expected UTF-8 text" in message
    assert f"byte {third} (0xe9)" in message
