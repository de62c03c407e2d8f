"""`kg import civic DIR` installs a validated release into data/civic, and nothing when the release is bad."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.curation.assemble import load_corpus
from tests.conftest import DATA_DIR

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the bundled data directory (curated files and the CIViC release)."""
    target = tmp_path / "data"
    for sub in ("registry", "papers", "texts", "civic"):
        shutil.copytree(DATA_DIR / sub, target / sub)
    return target


def _release_as(tmp_path: Path, prefix: str) -> Path:
    """The bundled release's files under another date prefix, as a new release directory."""
    release = tmp_path / f"release-{prefix}"
    release.mkdir()
    for path in (DATA_DIR / "civic").glob("01-Aug-2024-*Summaries.tsv"):
        shutil.copyfile(path, release / path.name.replace("01-Aug-2024", prefix))
    return release


def test_a_new_release_replaces_the_old_one_and_keeps_our_files(tmp_path: Path, data: Path) -> None:
    release = _release_as(tmp_path, "01-Sep-2024")
    result = runner.invoke(app, ["import", "civic", str(release), "--data", str(data)])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (data / "civic").iterdir())
    assert [n for n in names if n.endswith("Summaries.tsv")] == sorted(p.name for p in release.iterdir())
    assert {"disease_hierarchy.tsv", "curator_notes.tsv", "README.md"} <= set(names)
    assert not any(name.startswith(".installing") for name in names)
    assert load_corpus(data, use_cache=False).version.endswith("+civic-2024-09-01")


def test_a_bad_release_installs_nothing(tmp_path: Path, data: Path) -> None:
    release = _release_as(tmp_path, "01-Sep-2024")
    evidence = release / "01-Sep-2024-ClinicalEvidenceSummaries.tsv"
    lines = evidence.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[3].split("\t")
    cells[9] = "Z"  # evidence_level
    lines[3] = "\t".join(cells)
    evidence.write_text("".join(lines), encoding="utf-8")
    before = sorted(path.name for path in (data / "civic").iterdir())
    result = runner.invoke(app, ["import", "civic", str(release), "--data", str(data)])
    assert result.exit_code == 1
    assert "evidence_level" in result.stderr and "row 3" in result.stderr
    assert sorted(path.name for path in (data / "civic").iterdir()) == before


def test_dry_run_validates_without_installing(tmp_path: Path, data: Path) -> None:
    release = _release_as(tmp_path, "01-Sep-2024")
    result = runner.invoke(app, ["import", "civic", str(release), "--data", str(data), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert not list((data / "civic").glob("01-Sep-2024-*"))
