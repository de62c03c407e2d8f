"""One cache directory, one meaning of ``EVIDENCE_KG_CACHE=off``: for the corpus cache and the SPARQL store alike.

``off`` used to disable the corpus cache while the API built its SPARQL store
in ``./off/sparql``. These tests set the variable, run the real loader and
the real app (a SPARQL query builds the store), and look at the disk.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.curation.assemble import load_corpus
from kg.curation.cache import CACHE_ENV_VAR, artefact_dir, cache_root
from kg.runtime.knowledge_graph import KnowledgeGraph
from tests.conftest import DATA_DIR


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A copy of the curated data (no CIViC release), so a cache key is private to the test."""
    target = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, target / sub)
    return target


def _files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false"])
def test_off_turns_every_cache_off_and_names_no_directory(monkeypatch, tmp_path: Path, value: str) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, value)
    monkeypatch.chdir(tmp_path)
    assert cache_root() is None
    store = ApiSettings().store_root()
    assert store.is_absolute()
    assert Path(tempfile.gettempdir()) in store.parents
    assert value not in store.parts
    assert store == artefact_dir("sparql")  # the API asks the one function


def test_a_directory_holds_the_corpus_cache_and_the_sparql_store(monkeypatch, tmp_path: Path, small_data) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV_VAR, str(cache))
    load_corpus(small_data, include_civic=False)
    assert [p.name.split("-")[0] for p in _files_under(cache)] == ["corpus"]
    assert ApiSettings().store_root() == cache / "sparql"


def test_off_writes_nothing_to_disk_and_the_api_still_answers_sparql(monkeypatch, tmp_path: Path, small_data) -> None:
    monkeypatch.setenv(CACHE_ENV_VAR, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    corpus = load_corpus(small_data, include_civic=False)
    app = create_app(KnowledgeGraph.from_corpus(corpus), settings=ApiSettings(sparql_workers=1))
    with TestClient(app) as client:
        answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True
    assert _files_under(work) == []  # no ./off/sparql
    assert _files_under(tmp_path / "xdg") == [] and _files_under(tmp_path / "home") == []
