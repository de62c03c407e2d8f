"""Shared fixtures. The network guard is installed before any test module is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import network_guard

network_guard.install()

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's bundled data directory."""
    return DATA_DIR


@pytest.fixture(scope="session")
def curated_corpus():
    """The curated corpus (seed paper and registries), loaded once per test session."""
    from kg.curation.load import load_curated

    return load_curated(DATA_DIR)


@pytest.fixture(scope="session")
def kg_curated():
    """Knowledge graph of the curated data only (seed paper and registries)."""
    from kg.runtime.knowledge_graph import load_knowledge_graph

    return load_knowledge_graph(DATA_DIR, include_civic=False)


@pytest.fixture(scope="session")
def kg_full():
    """Knowledge graph of everything bundled: curated data plus the CIViC release."""
    from kg.runtime.knowledge_graph import load_knowledge_graph

    return load_knowledge_graph(DATA_DIR, include_civic=True)
