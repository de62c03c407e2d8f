"""The ``kg`` command through its real entry point: help, answers, and clear failures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import DATA_DIR

runner = CliRunner()

COMMANDS = [
    ["validate"],
    ["lint"],
    ["stats"],
    ["export"],
    ["evidence"],
    ["ask"],
    ["serve"],
    ["view"],
    ["import", "civic"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: kg " in result.output


def test_console_script_is_installed() -> None:
    kg = Path(sys.executable).parent / "kg"
    result = subprocess.run([str(kg), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "evidence" in result.stdout


def test_validate_passes_on_the_bundled_data() -> None:
    result = runner.invoke(app, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is True
    assert payload["counts"]["evidence"] > 4375  # CIViC items plus curated ones


def _broken_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for sub in ("registry", "papers", "texts"):
        shutil.copytree(DATA_DIR / sub, data / sub)
    paper = data / "papers" / "pan-zhou-2024.yaml"
    text = paper.read_text(encoding="utf-8")
    assert "(95% CI 10.6-40.8%)" in text  # a quote: the paper says 40.8
    paper.write_text(text.replace("(95% CI 10.6-40.8%)", "(95% CI 10.6-40.9%)", 1), encoding="utf-8")
    return data


def test_validate_names_file_record_and_field_of_a_broken_copy(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--data", str(_broken_copy(tmp_path)), "--no-civic"])
    assert result.exit_code == 1
    assert "data/papers/pan-zhou-2024.yaml: record ev:" in result.stderr
    assert "field quote.text: expected a verbatim span of data/texts/pan-zhou-2024-front-oncol.txt" in result.stderr
    assert "Traceback" not in result.output


def test_ask_prints_a_readable_answer_and_json() -> None:
    question = "what evidence supports pyrotinib in HER2-amplified NSCLC?"
    text = runner.invoke(app, ["ask", question, "--limit", "3"])
    assert text.exit_code == 0, text.output
    assert (
        "Read as:  therapy: pyrotinib; alteration: ERBB2 amplification; disease: non-small cell lung carcinoma"
        in text.stdout
    )
    assert "ChiCTR1800020262" in text.stdout
    as_json = runner.invoke(app, ["ask", question, "--json", "--limit", "3"])
    payload = json.loads(as_json.stdout)
    assert {"recognised", "results", "summary"} <= payload.keys()
    assert len(payload["results"]) == 3
    assert [m["id"] for m in payload["recognised"]] == ["drug:pyrotinib", "alt:ERBB2-amplification", "disease:nsclc"]


def test_evidence_query_as_json() -> None:
    result = runner.invoke(
        app,
        ["evidence", "--therapy", "pyrotinib", "--alteration", "HER2 amplification", "--disease", "NSCLC", "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["results"][0]["match"][0]["asked"]["id"] == "drug:pyrotinib"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["ask", "pyrotinxyz"], "did you mean: pyrotinib"),  # too far to be read as it ("pyrotinb" is, with a note)
        (["evidence", "--therapy", "pyrotinb"], "unknown therapy 'pyrotinb'; did you mean: pyrotinib"),
        (["evidence", "--therapy", "pyrotinib", "--level", "Z"], "Invalid value for '--level'"),  # typer's own check
        (["evidence"], "at least one of --therapy, --alteration, --disease"),
        (["evidence", "--therapy", "pyrotinib", "--limit", "0"], "parameter 'limit'"),
        (["import", "civic", "/nonexistent/dir"], "an existing directory"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(arguments: list[str], message: str) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_stats_json_counts_nodes_and_edges_by_type() -> None:
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["nodes"]["evidence"] > 4375
    assert payload["edges"]["about_therapy"] > 0


def test_export_writes_a_file_that_parses(tmp_path: Path) -> None:
    import pyoxigraph

    output = tmp_path / "kg.nt"
    result = runner.invoke(app, ["export", "--format", "nt", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.stdout
    triples = list(pyoxigraph.parse(output.read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert f"{len(triples):,} triples" in result.stdout


def test_export_rejects_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "rdfa", "--output", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "turtle" in result.output  # the valid choices are listed
    assert not (tmp_path / "x").exists()


def test_view_writes_a_standalone_offline_page(tmp_path: Path) -> None:
    output = tmp_path / "view.html"
    result = runner.invoke(app, ["view", "--output", str(output), "--focus", "aumolertinib", "--depth", "1"])
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert "almonertinib" in page
    assert "http://" not in page.split("<body", 1)[0].replace("http://www.w3.org", "")  # no remote assets in <head>
    unknown = runner.invoke(app, ["view", "--output", str(tmp_path / "y.html"), "--focus", "pyrotinb"])
    assert unknown.exit_code == 2
    assert "did you mean" in unknown.stderr


def test_import_civic_reports_counts_and_merges() -> None:
    result = runner.invoke(app, ["import", "civic", str(DATA_DIR / "civic"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_read"]["civic/01-Aug-2024-ClinicalEvidenceSummaries.tsv"] == 4375
    assert any(m["curated_id"] == "disease:nsclc" for m in report["merged"])


@pytest.mark.server
def test_kg_serve_answers_over_http_on_loopback() -> None:
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kg = Path(sys.executable).parent / "kg"
    server = subprocess.Popen([str(kg), "serve", "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline and answer is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/ask", params={"q": "pyrotinib in HER2-amplified NSCLC"})
                if response.status_code == 200:
                    answer = response.json()
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        assert answer is not None, "kg serve never answered /ask"
        assert answer["recognised"][0]["id"] == "drug:pyrotinib"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"Serving on http://127.0.0.1:{port}" in stderr


@pytest.mark.parametrize(
    ("option", "value"), [("--sparql-graph", "urn:x-kg:graph"), ("--sparql-engine-timeout-s", "15")]
)
def test_serve_refuses_an_engine_option_without_an_engine(option: str, value: str) -> None:
    result = runner.invoke(app, ["serve", option, value])
    assert result.exit_code == 2, result.output
    assert option in result.stderr and "--sparql-endpoint URL as well" in result.stderr
    assert "Traceback" not in result.output


def test_serve_names_a_bad_endpoint_url_before_loading_anything() -> None:
    result = runner.invoke(app, ["serve", "--sparql-endpoint", "ftp://127.0.0.1/query"])
    assert result.exit_code == 2, result.output
    assert "not an http(s) URL" in result.stderr and "graph ready" not in result.stderr
