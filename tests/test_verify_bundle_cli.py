"""``kg verify-bundle`` through the real console script: a bundle holds, then the data changes under it.

Bundles are made by the real app (TestClient) on a copy of the small fixture
data set; the copy is then edited as a curator would (a CI bound corrected in
the data file and its source text, an item removed) and the command, run as
a subprocess on the edited copy, must say what changed and exit 1; a bundle
edited after the fact exits 3, an unreadable one 2.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.runtime.knowledge_graph import load_knowledge_graph

MINI = Path(__file__).parent / "fixtures" / "mini_data"
KG = Path(sys.executable).parent / "kg"


def _kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(MINI, copy)
    return copy


def _bundles(data: Path, tmp_path: Path) -> dict[str, Path]:
    kg = load_knowledge_graph(data, include_civic=False)
    saved = {}
    with TestClient(create_app(kg, settings=ApiSettings(sparql_enabled=False))) as client:
        for name, path, params in (
            ("synthesis", "/synthesis", {"therapy": "drugx", "disease": "subcancer"}),
            ("evidence", "/evidence", {"therapy": "drugx"}),
            ("ask", "/ask", {"q": "drugx in ABC1-amplified subcancer"}),
        ):
            response = client.get(path, params={**params, "bundle": "true"})
            assert response.status_code == 200, response.text
            saved[name] = tmp_path / f"{name}.json"
            saved[name].write_bytes(response.content)
    return saved


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_bundle_holds_then_says_what_changed(data: Path, tmp_path: Path) -> None:
    bundles = _bundles(data, tmp_path)
    for kind, path in bundles.items():
        result = _kg("verify-bundle", path, "--data", data, "--no-civic")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{path}: holds — the answer still holds" in result.stdout
        assert f"{kind} answer made on data curated-" in result.stdout

    # a curator corrects a CI bound (in the data file and the source text) and moves the item's level
    _edit(data / "papers" / "mini.yaml", "ci_upper: 43.2", "ci_upper: 44.2")
    _edit(data / "papers" / "mini.yaml", "(95% CI 18.8-43.2)", "(95% CI 18.8-44.2)")
    _edit(data / "texts" / "mini.txt", "18.8-43.2)", "18.8-44.2)")
    _edit(
        data / "papers" / "mini.yaml",
        "    level: B\n    level_rationale: randomised trial",
        "    level: C\n    level_rationale: randomised trial",
    )
    for kind in ("synthesis", "evidence", "ask"):
        result = _kg("verify-bundle", bundles[kind], "--data", data, "--no-civic")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "changed — the answer changed" in result.stdout
        assert "number changed: ev:mini-trial outcome:mini-trial-1 ci_upper: 43.2 → 44.2" in result.stdout
        assert "item changed: ev:mini-trial level: B → C" in result.stdout

    as_json = json.loads(_kg("verify-bundle", bundles["synthesis"], "--data", data, "--no-civic", "--json").stdout)
    assert as_json["status"] == "changed" and as_json["bundle_data_version"] != as_json["current_data_version"]
    number = next(c for c in as_json["changes"] if c["change"] == "number_changed")
    assert (number["item"], number["field"], number["was"], number["now"]) == (
        "ev:mini-trial",
        "outcome:mini-trial-1 ci_upper",
        43.2,
        44.2,
    )


def test_an_item_gone_is_reported(data: Path, tmp_path: Path) -> None:
    bundles = _bundles(data, tmp_path)
    paper = data / "papers" / "mini.yaml"
    text = paper.read_text(encoding="utf-8")
    start, end = text.index("  - id: ev:mini-trial\n"), text.index("  - id: ev:mini-prevalence\n")
    paper.write_text(text[:start] + text[end:], encoding="utf-8")
    result = _kg("verify-bundle", bundles["evidence"], "--data", data, "--no-civic")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "item gone: ev:mini-trial (rank 1)" in result.stdout


def test_data_that_no_longer_loads_exits_4_and_names_the_file(data: Path, tmp_path: Path) -> None:
    bundles = _bundles(data, tmp_path)
    paper = data / "papers" / "mini.yaml"
    _edit(paper, "    direction: supports\n", "    direction: sideways\n")
    result = _kg("verify-bundle", bundles["evidence"], "--data", data, "--no-civic")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "the current data does not load" in result.stderr and "mini.yaml" in result.stderr


def test_an_edited_bundle_is_refused_and_a_broken_file_named(data: Path, tmp_path: Path) -> None:
    bundle = _bundles(data, tmp_path)["synthesis"]
    edited = json.loads(bundle.read_text(encoding="utf-8"))
    edited["results"]["measures"][0]["rows"][0]["ci_upper"] = 99  # someone "fixes" a number in the file
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(edited), encoding="utf-8")
    result = _kg("verify-bundle", tampered, "--data", data, "--no-civic")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "altered — the bundle does not match its content hash" in result.stdout

    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json", encoding="utf-8")
    result = _kg("verify-bundle", garbage, "--data", data, "--no-civic")
    assert result.returncode == 2 and f"error: {garbage}: expected a JSON answer bundle" in result.stderr
    missing = json.loads(bundle.read_text(encoding="utf-8"))
    del missing["data_version"]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(missing), encoding="utf-8")
    result = _kg("verify-bundle", partial, "--data", data, "--no-civic")
    assert result.returncode == 2 and "field 'data_version': expected the field to be present" in result.stderr
    result = _kg("verify-bundle", tmp_path / "absent.json")
    assert result.returncode == 2 and "expected a readable file" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_has_an_example() -> None:
    result = _kg("verify-bundle", "--help")
    assert result.returncode == 0 and "Example: kg verify-bundle" in result.stdout
