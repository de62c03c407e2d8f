"""``kg eval questions``: the question file is validated, answers are judged at 1 and 5, failures say why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.core.errors import CorpusError
from kg.query.engine import find_evidence
from kg.query.evaluate import judge, load_questions
from kg.query.evidence_query import EvidenceQuery

HEADLINE = "what evidence supports pyrotinib in HER2-amplified NSCLC?"


def _write(tmp_path: Path, questions: list[dict]) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "questions": questions}), encoding="utf-8")
    return path


def _question(**changes) -> dict:
    base = {"id": "q-1", "kind": "general", "source": "seed", "question": HEADLINE, "expect": {"top5": ["ev:x"]}}
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("change", "field", "record"),
    [
        ({"kind": "trials"}, "kind", "q-1"),
        ({"expect": {"top5": ["ev:x"], "reading": {"therapies": ["drug:x"]}}}, "expect", "q-1"),
        ({"expect": {"reading": {"therapy": ["drug:x"]}}}, "expect", "q-1"),
        ({"expect": {"top5": ["ev:x"], "top_5": ["ev:y"]}}, "expect.top_5", "q-1"),
        ({"question": ""}, "question", "q-1"),
    ],
)
def test_a_bad_question_is_an_error_naming_file_question_and_field(tmp_path, change, field, record) -> None:
    path = _write(tmp_path, [_question(**change)])
    with pytest.raises(CorpusError) as raised:
        load_questions(path)
    error = raised.value.errors[0]
    assert (error.file, error.record, error.field) == (str(path), record, field)


def test_repeated_ids_and_bad_yaml_are_errors(tmp_path) -> None:
    with pytest.raises(CorpusError, match="unique"):
        load_questions(_write(tmp_path, [_question(), _question()]))
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nquestions: [\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="valid YAML"):
        load_questions(broken)


def _judge(tmp_path, expect: dict, answer: dict):
    question = load_questions(_write(tmp_path, [_question(expect=expect)])).questions[0]
    return judge(question, answer)


def test_ranks_decide_accuracy_at_1_and_at_5(tmp_path) -> None:
    results = [{"id": f"ev:{n}"} for n in range(8)]
    answer = {"results": results, "context": [{"id": "study:s"}], "reading": {}}
    first = _judge(tmp_path, {"top5": ["ev:0"]}, answer)
    assert (first.at1, first.at5) == (True, True)
    fourth = _judge(tmp_path, {"top5": ["ev:3", "study:s"]}, answer)
    assert (fourth.at1, fourth.at5) == (True, True)  # the study is first in the context
    late = _judge(tmp_path, {"top5": ["ev:6"]}, answer)
    assert (late.at1, late.at5) == (False, False) and late.reasons == ("top5: ev:6 at rank 7 of the results",)
    absent = _judge(tmp_path, {"top5_any": ["ev:99", "ev:98"]}, answer)
    assert not absent.at5 and "none of" in absent.reasons[0]


def test_reading_ignored_interpretation_and_relaxation_are_checked(tmp_path) -> None:
    answer = {
        "results": [{"id": "ev:0"}],
        "reading": {"therapy": ["drug:a"], "negated": ["alt:t"]},
        "ignored": [{"text": "Foo", "reason": "not a name"}],
        "interpretation": "therapy: a; read 'pyrotinb' as pyrotinib",
        "relaxations": [],
    }
    good = {
        "top5": ["ev:0"],
        "reading": {"therapy": ["drug:a"]},
        "not_reading": {"therapy": ["drug:b"]},
        "ignored": ["foo"],
        "interpretation_contains": ["read 'pyrotinb' as pyrotinib"],
        "relaxed": False,
    }
    assert _judge(tmp_path, good, answer).at5
    bad = {**good, "reading": {"therapy": ["drug:b"]}, "not_reading": {"negated": ["alt:t"]}, "relaxed": True}
    outcome = _judge(tmp_path, bad, answer)
    assert not outcome.at5 and len(outcome.reasons) == 3


def test_the_command_reports_per_kind_and_fails_under_a_threshold(tmp_path, kg_full) -> None:
    query = EvidenceQuery(therapy=("pyrotinib",), alteration=("HER2 amplification",), disease="NSCLC")
    top = [r.position for r in find_evidence(kg_full, query).rows]
    first = kg_full.index.items[top[0]].id
    path = _write(
        tmp_path,
        [
            _question(id="q-right", expect={"top5": [first]}),
            _question(id="q-wrong", kind="trial", expect={"top5": ["ev:not-there"]}),
        ],
    )
    result = CliRunner().invoke(app, ["eval", "questions", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["accuracy"]["general"] == {"questions": 1, "at1": 1.0, "at5": 1.0}
    assert report["accuracy"]["trial"]["at5"] == 0.0 and report["accuracy"]["overall"]["at5"] == 0.5
    assert [f["id"] for f in report["failures"]] == ["q-wrong"]
    assert "not in the answer's results" in report["failures"][0]["why"][0]
    text = CliRunner().invoke(app, ["eval", "questions", str(path), "--fail-under", "0.95"])
    assert text.exit_code == 1 and "Failures at 5: 1" in text.stdout


def test_a_bad_file_is_refused_before_the_graph_is_loaded(tmp_path) -> None:
    path = _write(tmp_path, [_question(kind="nonsense")])
    result = CliRunner().invoke(app, ["eval", "questions", str(path)])
    assert result.exit_code == 1 and "record q-1: field kind" in result.output and "Loading" not in result.output
