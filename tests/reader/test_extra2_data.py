"""Integrity of ``tests/data/civic_figures_extra2.yaml``, the third tuning set (issue 15, "generality").

Like ``tests/test_civic_figures_data.py`` for the first two sets, with plain
YAML and string operations only (no extractor code, so the labels stay
independent of what they measure): the schema, that every span is
``text[start:end]`` and holds every number recorded for it, and that the file
is exactly what ``tests/data/draw_civic_sample_extra2.py`` draws from the
bundled release, in the order drawn.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.model.terms import Comparator, OutcomeMeasure, Unit

DATA = Path(__file__).resolve().parents[1] / "data"
EXTRA2 = DATA / "civic_figures_extra2.yaml"
DOCUMENT: dict[str, Any] = yaml.safe_load(EXTRA2.read_text(encoding="utf-8"))
STATEMENTS: list[dict[str, Any]] = DOCUMENT["statements"]
FIGURE_KEYS = {
    "measure", "text", "start", "end", "value", "value_comparator", "range_low", "range_high", "unit", "ci_level",
    "ci_lower", "ci_upper", "p_value", "p_comparator", "numerator", "denominator", "timepoint", "arm", "grade", "label",
}  # fmt: skip
NUMBERS = ("value", "range_low", "range_high", "ci_lower", "ci_upper", "p_value", "numerator", "denominator")


def _draw_script() -> Any:
    sys.path.insert(0, str(DATA))
    try:
        spec = importlib.util.spec_from_file_location("draw_civic_sample_extra2", DATA / "draw_civic_sample_extra2.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(DATA))


def test_header_and_size() -> None:
    assert set(DOCUMENT) == {"version", "seed", "release", "statements"}
    assert DOCUMENT["seed"] == 20261207 and DOCUMENT["release"] == "01-Aug-2024"
    assert len(STATEMENTS) == 210
    assert all(statement["split"] == "tune" for statement in STATEMENTS)
    assert sum(1 for statement in STATEMENTS if statement["figures"]) == 155


def test_the_file_is_the_draw() -> None:
    script = _draw_script()
    drawn = script.skeleton()["statements"]
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
