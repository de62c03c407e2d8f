"""The README's promises are checked: two-command quickstart, real transcripts, runnable SPARQL, live links."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pyoxigraph
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import write_export
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_quickstart_is_exactly_two_commands_and_ci_runs_the_readme_test_command() -> None:
    block = re.search(r"```sh\n(.*?)```", _section("Quickstart"), flags=re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, flags=re.MULTILINE) and re.search(r"^test:", makefile, flags=re.MULTILINE)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert [line.strip() for line in ci.splitlines() if line.strip().startswith("make ")] == ["make test"]


def test_the_cli_transcript_is_what_the_cli_prints() -> None:
    transcript = _blocks("console")[0]
    command = transcript.splitlines()[0].removeprefix("$ .venv/bin/kg ").strip()
    assert command.startswith('ask "what evidence supports pyrotinib in HER2-amplified NSCLC?"')
    result = CliRunner().invoke(
        app, ["ask", "what evidence supports pyrotinib in HER2-amplified NSCLC?", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    shown = [line for line in transcript.splitlines()[1:] if line.strip() and "[…]" not in line]
    printed = result.stdout.splitlines()
    missing = [line for line in shown if line not in printed]
    assert not missing, f"README lines the CLI no longer prints: {missing}"


@pytest.fixture(scope="module")
def turtle_export(kg_curated, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("readme") / "kg.ttl"
    write_export(kg_curated, "turtle", path)
    return path


def test_the_five_line_sparql_example_runs_on_an_export(turtle_export: Path) -> None:
    snippet = next(block for block in _blocks("python") if "pyoxigraph" in block)
    assert len(snippet.strip().splitlines()) == 5
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(turtle_export.parent)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(snippet, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    rows = output.getvalue().splitlines()
    assert 1 <= len(rows) <= 5  # LIMIT 5
    assert all(row.startswith("https://w3id.org/evidence-kg/outcome/") for row in rows)


def test_the_endpoint_query_returns_the_pyrotinib_outcomes(turtle_export: Path) -> None:
    block = next(block for block in _blocks("sh") if "/sparql" in block)
    query = block.split("query=", 1)[1].rsplit("'", 1)[0]
    store = pyoxigraph.Store()
    store.load(path=str(turtle_export), format=pyoxigraph.RdfFormat.TURTLE)
    rows = list(store.query(query))
    values = {row["value"].value for row in rows if row["measure"].value == "orr"}
    assert {"22.2", "30.8"} <= values  # ChiCTR1800020262, whole trial and subgroup


@pytest.mark.parametrize("link", re.findall(r"\]\((?!https?://)([^)#]+)\)", README))
def test_relative_links_point_at_files(link: str) -> None:
    assert (REPO / link).exists(), f"README links to {link}, which does not exist"
