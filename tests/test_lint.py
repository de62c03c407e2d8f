"""kg.curation.lint: data files are checked for, and rewritten into, the canonical form dump_canonical writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.curation.lint import canonical_text, lint_data, record_to_data
from kg.curation.load import load_curated
from kg.model import Outcome

FIXTURE = Path(__file__).parent / "fixtures" / "mini_data"

# The same records as registry/entities.yaml of the fixture, spelled differently: flow lists, fields out of
# model order, a default written out, sections out of order, a comment. Records keep their order within a
# section (reading order of the paper), so only the spelling differs.
NON_CANONICAL = """\
# a comment that canonical form drops
diseases:
  - id: disease:cancer
    label: cancer
  - {label: subcancer, id: disease:subcancer, parents: [disease:cancer], synonyms: []}
genes:
  - {symbol: ABC1, id: gene:ABC1, label: ABC1}
alterations:
  - {id: alt:ABC1-alteration, label: ABC1 alteration, gene: gene:ABC1, kind: any}
  - id: alt:ABC1-amplification
    kind: amplification
    gene: gene:ABC1
    label: ABC1 amplification
    parents: [alt:ABC1-alteration]
drug_classes:
  - {id: drugclass:kinase-inhibitor, label: kinase inhibitor}
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(FIXTURE, copy)
    return copy


def test_fixture_is_canonical() -> None:
    result = lint_data(FIXTURE)
    assert result.ok, result.report()
    assert len(result.checked) == 3
    assert not result.not_canonical


def test_non_canonical_file_is_reported_and_not_touched_without_fix(data: Path) -> None:
    path = data / "registry" / "entities.yaml"
    path.write_text(NON_CANONICAL, encoding="utf-8")
    result = lint_data(data)
    assert not result.ok
    assert result.not_canonical == ("data/registry/entities.yaml",)
    assert "not in canonical form (run: kg lint --fix)" in result.report()
    assert path.read_text(encoding="utf-8") == NON_CANONICAL


def test_fix_rewrites_to_the_canonical_text_and_keeps_the_records(data: Path) -> None:
    path = data / "registry" / "entities.yaml"
    canonical = path.read_text(encoding="utf-8")
    before = list(load_curated(data))
    path.write_text(NON_CANONICAL, encoding="utf-8")
    result = lint_data(data, fix=True)
    assert result.ok and result.fixed == ("data/registry/entities.yaml",)
    assert path.read_text(encoding="utf-8") == canonical
    assert "comment" not in path.read_text(encoding="utf-8")
    assert list(load_curated(data)) == before
    assert lint_data(data).ok  # idempotent: a second run finds nothing


def test_sections_follow_model_order_and_defaults_are_left_out(data: Path) -> None:
    text, errors = canonical_text(data / "registry" / "entities.yaml")
    assert not errors and text is not None
    order = [line.rstrip(":") for line in text.splitlines() if line and not line.startswith(" ")]
    assert order == ["drug_classes", "genes", "alterations", "diseases"]
    assert "synonyms: []" not in text


def test_record_to_data_omits_defaults_and_keeps_exact_numbers() -> None:
    outcome = Outcome.model_validate({"measure": "orr", "unit": "percent", "value": "30.0", "value_comparator": "="})
    assert record_to_data(outcome) == {"measure": outcome.measure, "value": outcome.value, "unit": outcome.unit}
    assert str(record_to_data(outcome)["value"]) == "30.0"


def test_file_with_schema_errors_is_reported_and_left_alone(data: Path) -> None:
    path = data / "papers" / "mini.yaml"
    text = path.read_text(encoding="utf-8").replace("    level: E\n", "    level: F\n")
    path.write_text(text, encoding="utf-8")
    result = lint_data(data, fix=True)
    assert not result.ok
    assert any(e.record.startswith("ev:mini-forms") and e.field == "level" for e in result.errors)
    assert path.read_text(encoding="utf-8") == text


def test_file_that_is_not_yaml_is_reported(data: Path) -> None:
    (data / "papers" / "bad.yaml").write_text("evidence: [unclosed\n", encoding="utf-8")
    result = lint_data(data)
    assert [e.field for e in result.errors] == ["(file)"]
