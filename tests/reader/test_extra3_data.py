"""Integrity of ``tests/data/civic_figures_extra3.yaml``, the held-out set (issue 15, "generality").

As ``test_extra2_data.py`` checks the third tuning set, with plain YAML and string operations only (no extractor
code): the schema, that every span is ``text[start:end]`` and holds every number recorded for it, and that the file
is exactly what ``tests/data/draw_civic_sample_extra3.py`` draws from the bundled release, in the order drawn.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import pytest
import yaml

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from tests.reader.test_extra2_data import DATA, FIGURE_KEYS, NUMBERS

EXTRA3 = DATA / "civic_figures_extra3.yaml"
DOCUMENT: dict[str, Any] = yaml.safe_load(EXTRA3.read_text(encoding="utf-8"))
STATEMENTS: list[dict[str, Any]] = DOCUMENT["statements"]


def _draw_script() -> Any:
    sys.path.insert(0, str(DATA))
    try:
        spec = importlib.util.spec_from_file_location("draw_civic_sample_extra3", DATA / "draw_civic_sample_extra3.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(DATA))


def test_header_and_size() -> None:
    assert set(DOCUMENT) == {"version", "seed", "release", "statements"}
    assert DOCUMENT["seed"] == 20261208 and DOCUMENT["release"] == "01-Aug-2024"
    assert len(STATEMENTS) == 60
    assert all(statement["split"] == "tune" for statement in STATEMENTS)
    assert sum(1 for statement in STATEMENTS if statement["figures"]) == 39


def test_the_file_is_the_draw() -> None:
    drawn = _draw_script().skeleton()["statements"]
    assert [(s["eid"], s["text"]) for s in STATEMENTS] == [(s["eid"], s["text"]) for s in drawn]


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: f"eid{s['eid']}")
def test_every_figure(statement: dict[str, Any]) -> None:
    text = statement["text"]
    for figure in statement["figures"]:
        assert set(figure) <= FIGURE_KEYS, set(figure) - FIGURE_KEYS
        assert OutcomeMeasure(figure["measure"]) and Unit(figure["unit"])
        for key in ("value_comparator", "p_comparator"):
            if key in figure:
                Comparator(figure[key])
        assert text[figure["start"] : figure["end"]] == figure["text"]
        for key in NUMBERS:
            if key in figure:
                assert str(figure[key]) in figure["text"], (key, figure["text"])
