"""Vega-Lite specifications for the synthesis page: one forest plot per measure, and the supports-vs-disputes bar.

The plots are declared, not drawn: Vega-Lite (vendored, drawn in the
browser by Vega with the SVG renderer and the CSP-safe expression
interpreter; see ``kg/view/static/vendor/README.md``) does scales, axes,
legends and layout. Building the specifications here keeps the page's
script generic and lets tests read exactly what is asked to be drawn.

A forest plot (:func:`forest_spec`) has one row per outcome row of the
synthesis, in the synthesis's order, labelled with its number in the table,
study and population; per row:

* a point at the value (or at 100·k/n where only k of n was published),
  filled where a CI was reported and hollow where none was;
* a whisker from the CI's lower to its upper bound;
* a dashed bar for a published range (no point: a range is not a value);
* the value as published, and k/n where given, as text beside the point;
* colour by direction (supports / does not support), shape by who the
  number is about (whole study, subgroup, intervention arm, comparator arm),
  lighter for matches outside the question's direct tiers;
* a log scale with the line of no effect at 1 for hazard, odds and risk
  ratios; best response is drawn by category.

Field predicates filter the layers (no expression strings), so the same
spec runs with or without Vega's expression interpreter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.model.terms import ResponseCategory
from kg.query.synthesis import MeasureGroup, SynthesisRow, TierTally

__all__ = ["DIRECTION_COLOURS", "ROLE_SHAPES", "balance_spec", "forest_spec", "plot_row", "row_role"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only: nothing is fetched

#: Colour of each direction (as the plots label it), colour-blind safe (Okabe-Ito blue and vermillion).
DIRECTION_COLOURS = {"supports": "#0072B2", "does not support": "#D55E00", "not applicable": "#999999"}
#: Shape of each kind of population a number is about.
ROLE_SHAPES = {
    "whole study": "circle",
    "subgroup": "diamond",
    "intervention arm": "square",
    "comparator arm": "triangle-down",
}
_RESPONSES = [category.value for category in ResponseCategory]
_ROW_HEIGHT = 26
_WIDTH = 520


def row_role(row: SynthesisRow) -> str:
    """Who the number is about: the whole study, a subgroup, or one arm (a comparator arm is marked)."""
    if row["arm_role"] == "comparator":
        return "comparator arm"
    if row["subgroup"]:
        return "subgroup"
    if row["arm"]:
        return "intervention arm"
    return "whole study"


def _who(row: SynthesisRow) -> str:
    """The arm, subgroup or population, without the study name it often starts with ('PHILA: ...')."""
    who = row["arm"] or row["population"] or "all patients"
    study = row["study_name"] or ""
    for name in (study, study.split(" (")[0]):
        if name and who.startswith(name) and len(who) > len(name):
            who = who[len(name) :].lstrip(" :·-") or who
            break
    parts = [who]
    if row["comparator"]:
        parts.append(f"vs {row['comparator']}")
    if row["timepoint"]:
        parts.append(f"at {row['timepoint']}")
    text = " ".join(parts)
    return text if len(text) <= 48 else text[:47] + "…"


def _value_text(row: SynthesisRow) -> str:
    if row["value"] is not None:
        comparator = "" if row["value_comparator"] == "=" else row["value_comparator"]
        text = f"{comparator}{row['value']}"
    elif row["range_low"] is not None:
        text = f"{row['range_low']}–{row['range_high']}"
    elif row["response"]:
        text = row["response"].replace("_", " ")
    else:
        text = ""
    if row["numerator"] is not None:
        count = f"{row['numerator']}/{row['denominator']}"
        text = f"{text} ({count})" if text else count
    return text


def plot_row(number: int, row: SynthesisRow) -> dict[str, Any]:
    """What one row contributes to its forest plot (``number`` is its number in the page's table)."""
    study = row["study_name"] or "no study recorded"
    study = study if len(study) <= 40 else study[:39] + "…"
    return {
        "key": row["id"],
        "number": number,
        "row": f"{number}. {study} · {_who(row)}",
        "x": row["plot_value"],
        "basis": row["plot_basis"],
        "ci_lower": row["ci_lower"],
        "ci_upper": row["ci_upper"],
        "has_ci": row["ci_lower"] is not None,
        "range_low": row["range_low"] if row["plot_basis"] == "range" else None,
        "range_high": row["range_high"] if row["plot_basis"] == "range" else None,
        "response": row["response"],
        "text": _value_text(row),
        "role": row_role(row),
        "direction": row["direction"].replace("_", " "),
        "match": "direct" if row["direct"] else "related",
        "published": row["published"],
        "study": study,
        "n": row["n"],
        "design": row["design"].replace("_", " "),
        "disease": row["disease"] or "",
        "evidence": row["evidence"],
        "extracted": "machine-extracted" if row["machine_extracted"] else "curated",
    }


_TOOLTIP = [
    {"field": "published", "title": "as published"},
    {"field": "study", "title": "study"},
    {"field": "design", "title": "design"},
    {"field": "n", "title": "n"},
    {"field": "role", "title": "about"},
    {"field": "disease", "title": "disease"},
    {"field": "direction", "title": "direction"},
    {"field": "match", "title": "match"},
    {"field": "extracted", "title": "source of the number"},
    {"field": "evidence", "title": "evidence item"},
]


def _encodings(x: dict[str, Any], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "y": {
            "field": "row",
            "type": "nominal",
            "sort": [row["row"] for row in rows],
            "axis": {"title": None, "labelLimit": 340},
        },
        "x": x,
    }


def _colour() -> dict[str, Any]:
    return {
        "field": "direction",
        "type": "nominal",
        "scale": {"domain": list(DIRECTION_COLOURS), "range": list(DIRECTION_COLOURS.values())},
        "legend": {"title": "direction"},
    }


def _opacity() -> dict[str, Any]:
    return {
        "field": "match",
        "type": "ordinal",
        "scale": {"domain": ["direct", "related"], "range": [1, 0.45]},
        "legend": {"title": "match"},
    }


def _points(x: dict[str, Any], rows: Sequence[dict[str, Any]], filled: bool) -> dict[str, Any]:
    # ("valid" tests for a number: a category is selected by what the row's point is)
    where = {"field": "x", "valid": True} if x["field"] == "x" else {"field": "basis", "equal": "response"}
    return {
        "name": "points" if filled else "points_hollow",
        "transform": [{"filter": where}, {"filter": {"field": "has_ci", "equal": filled}}],
        "mark": {
            "type": "point",
            "filled": filled,
            "size": 90,
            "strokeWidth": 1.6,
            **({} if filled else {"fill": "white"}),
        },
        "encoding": {
            **_encodings(x, rows),
            "color": _colour(),
            "shape": {
                "field": "role",
                "type": "nominal",
                "scale": {"domain": list(ROLE_SHAPES), "range": list(ROLE_SHAPES.values())},
                "legend": {"title": "about"},
            },
            "opacity": _opacity(),
            "tooltip": _TOOLTIP,
        },
    }


def _rule(
    name: str, x: dict[str, Any], rows: Sequence[dict[str, Any]], low: str, high: str, **mark: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "transform": [{"filter": {"field": low, "valid": True}}],
        "mark": {"type": "rule", **mark},
        "encoding": {
            **_encodings({**x, "field": low}, rows),
            "x2": {"field": high},
            "color": _colour(),
            "opacity": _opacity(),
        },
    }


def forest_spec(group: MeasureGroup, first_number: int) -> dict[str, Any]:
    """The Vega-Lite specification of one measure's forest plot (rows numbered from ``first_number``).

    A layer is declared only when some row draws in it (an empty layer would
    give its scale an empty extent).
    """
    rows = [plot_row(first_number + i, row) for i, row in enumerate(group["rows"])]
    unit = group["unit"].replace("_", " ")
    title = f"{group['measure_label']} ({unit})" if unit not in ("none", "ratio") else group["measure_label"]
    layers: list[dict[str, Any]] = []
    if group["scale"] == "categorical":
        x = {
            "field": "response",
            "type": "nominal",
            "scale": {"domain": _RESPONSES},
            "axis": {"title": "best response", "labelAngle": 0},
        }
        if any(row["response"] for row in rows):
            layers.append(_points(x, rows, filled=False))
    else:
        scale: dict[str, Any] = {"type": "log"} if group["scale"] == "log" else {"zero": True}
        if group["unit"] == "percent":
            scale["domain"] = [0, 100]
        x = {"field": "x", "type": "quantitative", "scale": scale, "axis": {"title": title}}
        plotted = [row for row in rows if row["x"] is not None]
        if group["scale"] == "log":
            layers.append(
                {
                    "name": "no_effect",
                    "data": {"values": [{"x": 1}]},
                    "mark": {"type": "rule", "strokeDash": [2, 2], "color": "#777777"},
                    "encoding": {"x": {"field": "x", "type": "quantitative"}},
                }
            )
        if any(row["has_ci"] for row in rows):
            layers.append(_rule("whiskers", x, rows, "ci_lower", "ci_upper", strokeWidth=1.6))
        if any(row["range_low"] is not None for row in rows):
            layers.append(_rule("ranges", x, rows, "range_low", "range_high", strokeWidth=3, strokeDash=[4, 3]))
        for filled in (True, False):
            if any(row["has_ci"] is filled for row in plotted):
                layers.append(_points(x, rows, filled=filled))
        if plotted:
            layers.append(
                {
                    "name": "values",
                    "transform": [{"filter": {"field": "x", "valid": True}}],
                    "mark": {"type": "text", "align": "left", "dx": 9, "dy": -8, "fontSize": 10},
                    "encoding": {**_encodings(x, rows), "text": {"field": "text"}},
                }
            )
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "width": _WIDTH,
        "height": {"step": _ROW_HEIGHT},
        "data": {"values": rows},
        "layer": layers,
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }


def balance_spec(tallies: Sequence[TierTally]) -> dict[str, Any]:
    """Supports vs does not support, per match tier: one stacked bar per tier, over every matching item."""
    values = [
        {"tier": f"tier {t['tier']} (distance {t['distance']})", "direction": key.replace("_", " "), "items": t[key]}
        for t in tallies
        for key in ("supports", "does_not_support", "not_applicable")
        if t[key]
    ]
    return {
        "$schema": SCHEMA,
        "title": {"text": "Supports vs does not support, by match tier (all matching items)", "anchor": "start"},
        "width": _WIDTH,
        "height": {"step": 22},
        "data": {"values": values},
        "name": "bars",
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "tier", "type": "nominal", "sort": None, "axis": {"title": None}},
            "x": {"field": "items", "type": "quantitative", "stack": "zero", "axis": {"title": "evidence items"}},
            "color": {
                "field": "direction",
                "type": "nominal",
                "scale": {"domain": list(DIRECTION_COLOURS), "range": list(DIRECTION_COLOURS.values())},
                "legend": {"title": "direction"},
            },
            "tooltip": [{"field": "tier"}, {"field": "direction"}, {"field": "items"}],
        },
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }
