"""Integrity of the drawn label sets ``civic_figures_extra2.yaml`` (tuned on) and ``civic_figures_extra3.yaml``
(held out), issue 15 "generality".

Like ``tests/test_civic_figures_data.py`` for the first two sets, with plain YAML and string operations only (no
extractor code, so the labels stay independent of what they measure): the schema, that every span is
``text[start:end]`` and holds every number recorded for it, and that each file is exactly what its script in
``tests/data/`` draws from the bundled release, in the order drawn. The held-out set's statements are all of the
``measure`` split, so ``kg eval figures --details`` refuses to list its misses (it is measured, never tuned on).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.model.terms import Comparator, OutcomeMeasure, Unit

DATA = Path(__file__).resolve().parents[1] / "data"
FIGURE_KEYS = {
    "measure", "text", "start", "end", "value", "value_comparator", "range_low", "range_high", "unit", "ci_level",
    "ci_lower", "ci_upper", "p_value", "p_comparator", "numerator", "denominator", "timepoint", "arm", "grade", "label",
}  # fmt: skip
NUMBERS = ("value", "range_low", "range_high", "ci_lower", "ci_upper", "p_value", "numerator", "denominator")


@dataclass(frozen=True)
class DrawnSet:
    """One drawn label file, the script that draws it, and what its header and size must be."""

    name: str
    seed: int
    statements: int
    with_figures: int
    split: str

    @cached_property
    def document(self) -> dict[str, Any]:
        return yaml.safe_load((DATA / f"civic_figures_{self.name}.yaml").read_text(encoding="utf-8"))

    def drawn(self) -> list[dict[str, Any]]:
        """The skeleton the set's draw script makes now."""
        module_name = f"draw_civic_sample_{self.name}"
        sys.path.insert(0, str(DATA))
        try:
            spec = importlib.util.spec_from_file_location(module_name, DATA / f"{module_name}.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.skeleton()["statements"]
        finally:
            sys.path.remove(str(DATA))


SETS = [
    DrawnSet("extra2", seed=20261207, statements=210, with_figures=155, split="tune"),
    DrawnSet("extra3", seed=20261208, statements=60, with_figures=39, split="measure"),
]
STATEMENTS = [(drawn, statement) for drawn in SETS for statement in drawn.document["statements"]]


@pytest.mark.parametrize("drawn", SETS, ids=lambda d: d.name)
def test_header_and_size(drawn: DrawnSet) -> None:
    document = drawn.document
    assert set(document) == {"version", "seed", "release", "statements"}
    assert document["seed"] == drawn.seed and document["release"] == "01-Aug-2024"
    statements = document["statements"]
    assert len(statements) == drawn.statements
    assert all(statement["split"] == drawn.split for statement in statements)
    assert sum(1 for statement in statements if statement["figures"]) == drawn.with_figures


@pytest.mark.parametrize("drawn", SETS, ids=lambda d: d.name)
def test_the_file_is_the_draw(drawn: DrawnSet) -> None:
    assert [(s["eid"], s["text"], s["split"]) for s in drawn.document["statements"]] == [
        (s["eid"], s["text"], s["split"]) for s in drawn.drawn()
    ]


@pytest.mark.parametrize(("drawn", "statement"), STATEMENTS, ids=lambda v: getattr(v, "name", None) or f"eid{v['eid']}")
def test_every_figure(drawn: DrawnSet, statement: dict[str, Any]) -> None:
    text = statement["text"]
    for figure in statement["figures"]:
        assert set(figure) <= FIGURE_KEYS, set(figure) - FIGURE_KEYS
        assert OutcomeMeasure(figure["measure"]) and Unit(figure["unit"])
        for key in ("value_comparator", "p_comparator"):
            if key in figure:
                Comparator(figure[key])
        assert text[figure["start"] : figure["end"]] == figure["text"], drawn.name
        for key in NUMBERS:
            if key in figure:
                assert str(figure[key]) in figure["text"], (key, figure["text"])
