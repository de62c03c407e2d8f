"""The CIViC import keeps what the results grammar read, so importing the same statements again reads, not parses.

Through the real command (``kg import civic``) on the small fixture release,
with a private cache directory: the first import leaves one outcomes file,
a second import finds every statement in it and rewrites nothing, the
outcomes it serves are the ones the grammar gives with the cache off, and a
release that changes a statement adds that statement only.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.civic import import_civic
from kg.civic.outcomes import StatementOutcomes, extract_outcomes, read_outcomes
from kg.cli import app
from kg.curation.load import load_curated
from tests.conftest import DATA_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "civic"
EVIDENCE = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
runner = CliRunner()


def _import(release: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_KG_CACHE", str(cache))
    result = runner.invoke(app, ["import", "civic", str(release), "--dry-run"])
    assert result.exit_code == 0, result.output


def _kept(cache: Path) -> tuple[Path, dict[str, StatementOutcomes]]:
    files = sorted(cache.glob("civic-outcomes-*.pickle"))
    assert len(files) == 1, files
    with files[0].open("rb") as handle:
        return files[0], pickle.load(handle)


def test_a_second_import_reads_what_the_first_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _import(FIXTURE, cache, monkeypatch)
    path, kept = _kept(cache)
    assert kept, "the fixture's statements state outcomes"
    written = path.stat().st_mtime_ns
    _import(FIXTURE, cache, monkeypatch)
    assert path.stat().st_mtime_ns == written, "nothing new was read: nothing is written"
    for statement, reading in kept.items():
        assert reading == read_outcomes(statement)  # the outcomes and what was not kept of the figures


def test_kept_outcomes_are_the_ones_the_grammar_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    curated = load_curated(DATA_DIR)
    monkeypatch.setenv("EVIDENCE_KG_CACHE", "off")
    fresh = import_civic(FIXTURE, curated).corpus
    monkeypatch.setenv("EVIDENCE_KG_CACHE", str(tmp_path / "cache"))
    import_civic(FIXTURE, curated)
    warm = import_civic(FIXTURE, curated).corpus
    assert any(item.outcomes for item in fresh.evidence.values())
    assert {key: item.outcomes for key, item in warm.evidence.items()} == {
        key: item.outcomes for key, item in fresh.evidence.items()
    }


def test_a_changed_statement_is_read_and_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _import(FIXTURE, cache, monkeypatch)
    _, before = _kept(cache)
    release = tmp_path / "release"
    shutil.copytree(FIXTURE, release)
    path = release / EVIDENCE
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    cells = lines[1].split("\t")
    column = header.index("evidence_statement")
    changed = cells[column] + " The median PFS was 7.4 months (95% CI 5.1-9.9) in this cohort."
    cells[column] = changed
    lines[1] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    _import(release, cache, monkeypatch)
    _, after = _kept(cache)
    assert set(after) - set(before) == {changed.strip()}
    assert after[changed.strip()].outcomes == extract_outcomes(changed.strip())
    assert any(str(outcome.value) == "7.4" for outcome in after[changed.strip()].outcomes), after[changed.strip()]
