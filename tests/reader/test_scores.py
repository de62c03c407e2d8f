"""The measured targets of issue 15, asserted: recall ≥ 0.9, CI-bound recall ≥ 0.9, precision ≥ 0.97.

On the seed paper (every curated outcome that states a number is a
target; the text is read as ``kg propose`` reads it) and on the ``tune``
half of the labelled CIViC statements. The ``measure`` half is scored and
printed, never tuned to and not asserted against the targets: its figures
are what the report quotes (run ``pytest -s`` or ``kg eval figures
tests/data/civic_figures.yaml --split measure`` to see them).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.evaluate import Gold, format_scores, load_labelled, match, paper_figures, score_labelled, score_paper
from kg.reader.figures import Figure
from kg.reader.results import extract_figures
from tests.conftest import REPO

LABELLED = REPO / "tests" / "data" / "civic_figures.yaml"
RECALL, CI_RECALL, PRECISION = 0.9, 0.9, 0.97


def _figures(text: str) -> list[Figure]:
    return list(extract_figures(text).figures)


@pytest.fixture(scope="module")
def statements() -> list[dict[str, object]]:
    return load_labelled(LABELLED)


def test_seed_paper_meets_the_targets(curated_corpus) -> None:
    scores = score_paper(curated_corpus, "src:pan-zhou-2024", paper_figures)
    total = scores["all"]
    print(format_scores("seed paper (Pan and Zhou 2024)", scores, details=True))
    assert total.tp + total.fn >= 40, "the seed's numbered outcomes are the targets"
    assert total.recall is not None and total.recall >= RECALL, total.misses
    assert total.precision is not None and total.precision >= PRECISION, total.false_alarms
    assert total.ci_recall is not None and total.ci_recall >= CI_RECALL


def test_tune_half_meets_the_targets(statements) -> None:
    scores, count = score_labelled(statements, _figures, "tune")
    total = scores["all"]
    print(format_scores(f"civic_figures.yaml, tune ({count} statements)", scores, details=True))
    assert count >= 60
    assert total.recall is not None and total.recall >= RECALL, total.misses
    assert total.precision is not None and total.precision >= PRECISION, total.false_alarms
    assert total.ci_recall is not None and total.ci_recall >= CI_RECALL


#: Floors on the second tuning set, a little under what the grammar reaches there (recall 0.781, precision 0.916,
#: CI-bound recall 0.945 with extractor 1.5.0; 0.769, 0.909, 0.945 with 1.4.0; 0.765, 0.906, 0.909 with 1.3.0; 0.709,
#: 0.893, 0.873 with 1.2.0): below
#: the targets, so a regression shows and a gain can raise them.
EXTRA = REPO / "tests" / "data" / "civic_figures_extra.yaml"
EXTRA_RECALL, EXTRA_PRECISION, EXTRA_CI_RECALL = 0.77, 0.91, 0.94
#: Floors on the third tuning set, drawn fresh (tests/data/README.md): recall 0.802, precision 0.931, CI-bound recall
#: 0.908 with extractor 1.5.0; 0.752, 0.913, 0.815 with 1.4.0 (0.713, 0.889, 0.738 with 1.3.0, before any change made
#: for it, on the same labels).
EXTRA2 = REPO / "tests" / "data" / "civic_figures_extra2.yaml"
EXTRA2_RECALL, EXTRA2_PRECISION, EXTRA2_CI_RECALL = 0.79, 0.92, 0.89


def _scored_above_floors(path: Path, split: str, floors: tuple[float, float, float]) -> int:
    """Score ``path``'s ``split`` against (recall, precision, CI-bound recall) floors; the count of statements.

    Misses and false alarms are printed and named in a failure only for a tuned-on set (``split="tune"``): a
    held-out set's labels are never shown, so nobody writes rules from them.
    """
    scores, count = score_labelled(load_labelled(path), _figures, split)
    total, tuned = scores["all"], split == "tune"
    print(format_scores(f"{path.name} ({count} statements)", scores, details=tuned))
    recall, precision, ci_recall = floors
    assert total.recall is not None and total.recall >= recall, total.misses if tuned else path.name
    assert total.precision is not None and total.precision >= precision, total.false_alarms if tuned else path.name
    assert total.ci_recall is not None and total.ci_recall >= ci_recall
    return count


def test_extra_tuning_set_keeps_its_floors() -> None:
    assert _scored_above_floors(EXTRA, "tune", (EXTRA_RECALL, EXTRA_PRECISION, EXTRA_CI_RECALL)) >= 200


def test_third_tuning_set_keeps_its_floors() -> None:
    assert _scored_above_floors(EXTRA2, "tune", (EXTRA2_RECALL, EXTRA2_PRECISION, EXTRA2_CI_RECALL)) == 210


#: The held-out set (tests/data/README.md): never tuned on, so its floors only catch a regression, a little under
#: what the extractor reaches there (1.5.1: recall 0.795, precision 0.755, CI-bound recall 0.800; 1.5.0: 0.781,
#: 0.747, 0.800); misses never printed.
EXTRA3 = REPO / "tests" / "data" / "civic_figures_extra3.yaml"
EXTRA3_RECALL, EXTRA3_PRECISION, EXTRA3_CI_RECALL = 0.76, 0.72, 0.78


def test_held_out_set_keeps_its_floors() -> None:
    assert _scored_above_floors(EXTRA3, "measure", (EXTRA3_RECALL, EXTRA3_PRECISION, EXTRA3_CI_RECALL)) == 60


def test_measure_half_is_scored_and_reported(statements) -> None:
    """Only measured: the figures are printed for the report; the labels are never shown."""
    scores, count = score_labelled(statements, _figures, "measure")
    print(format_scores(f"civic_figures.yaml, measure ({count} statements)", scores, details=False))
    assert count >= 60
    total = scores["all"]
    assert total.tp + total.fn > 0, "the measure half has labelled figures"
    assert total.recall is not None and total.precision is not None


# -- the matching rule itself ------------------------------------------------------------------------------------------


def _figure(measure: str, value: str | None, start: int, end: int, **fields: str) -> Figure:
    return Figure(OutcomeMeasure(measure), "x" * (end - start), start, end, Unit.PERCENT, value=value, **fields)  # type: ignore[arg-type]


def _gold(measure: str, start: int, end: int, **numbers: str) -> Gold:
    ci = (Decimal(numbers.pop("ci_lower")) if "ci_lower" in numbers else None,
          Decimal(numbers.pop("ci_upper")) if "ci_upper" in numbers else None)  # fmt: skip
    return Gold("g", measure, {k: Decimal(v) for k, v in numbers.items()}, ci, ((start, end),), "text")


def test_a_match_needs_the_measure_the_value_and_overlapping_spans() -> None:
    gold = _gold("orr", 10, 20, value="22.2", ci_lower="10.6", ci_upper="40.8")
    assert match([_figure("orr", "22.2", 15, 30, ci_lower="10.6", ci_upper="40.8")], [gold])["all"].tp == 1
    assert match([_figure("dcr", "22.2", 15, 30)], [gold])["all"].tp == 0
    assert match([_figure("orr", "22.3", 15, 30)], [gold])["all"].tp == 0
    assert match([_figure("orr", "22.2", 20, 30)], [gold])["all"].tp == 0  # touching is not overlapping


def test_ci_bound_recall_counts_bounds_and_precision_counts_false_alarms() -> None:
    gold = _gold("orr", 0, 10, value="30", ci_lower="20", ci_upper="40")
    scores = match([_figure("orr", "30", 0, 10, ci_lower="20", ci_upper="41"), _figure("dcr", "70", 30, 40)], [gold])
    total = scores["all"]
    assert (total.tp, total.fn, total.fp) == (1, 0, 1)
    assert (total.ci_found, total.ci_total) == (1, 2)
    assert scores["dcr"].false_alarms and scores["orr"].recall == 1.0


def test_a_figure_matches_one_label_only() -> None:
    golds = [_gold("orr", 0, 10, value="30"), _gold("orr", 0, 10, value="30")]
    assert match([_figure("orr", "30", 0, 10)], golds)["all"].fn == 1


def test_labelled_file_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="statements"):
        load_labelled(bad)
