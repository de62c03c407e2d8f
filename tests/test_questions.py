"""The project's question set (tests/data/questions.yaml): /ask must be right at 5 for 95 % of it, per kind.

The set is written from the data by another hand than the reader's; a
failure lists each question that failed and why (``kg eval questions``).
The floors are a little below what the reader measured when they were set
(``kg eval questions tests/data/questions.yaml``, 245 questions: 99.6 % at
5 and 82 % at 1 overall, every kind 100 % at 5 but ``general``, 98 %), so a change that
loses a question shows here, and the floor at 5 is never under the
project's 95 %.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.query.evaluate import evaluate, load_questions

QUESTIONS = Path(__file__).parent / "data" / "questions.yaml"
#: The project's target: 95 % at 5 on every kind.
AT5 = 0.95
AT5_OVERALL = 0.98
#: Accuracy at 1 per kind, as measured then, less about one question of slack.
AT1 = {
    "trial": 0.78,
    "case": 0.38,
    "measure": 0.68,
    "adverse_event": 0.92,
    "site": 0.61,
    "mechanism": 0.87,
    "setting": 0.81,
    "comparison": 0.73,
    "negation": 0.71,
    "names": 0.68,
    "definition": 0.84,
    "no_direct": 0.95,
    "general": 0.70,
    "overall": 0.76,
}


@pytest.mark.skipif(not QUESTIONS.exists(), reason="tests/data/questions.yaml is not in this checkout yet")
def test_the_question_set_is_answered_right_at_5(kg_full) -> None:
    report = evaluate(kg_full, load_questions(QUESTIONS), str(QUESTIONS))
    rows = report.by_kind()
    assert set(AT1) <= set(rows), sorted(rows)
    floor = {kind: AT5_OVERALL if kind == "overall" else AT5 for kind in rows}
    below = {kind: row for kind, row in rows.items() if row["at5"] < floor[kind] or row["at1"] < AT1.get(kind, 0.0)}
    assert not below, "\n".join(report.lines())
