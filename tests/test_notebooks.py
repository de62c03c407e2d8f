"""The walkthrough notebook: committed without outputs, and it runs offline from top to bottom.

``notebooks/evidence_walkthrough.ipynb`` is executed with nbclient in a fresh
``python3`` kernel (the venv's interpreter), working directory ``notebooks/``
as when a researcher opens it. Before its first cell, a cell added in memory
only installs :mod:`tests.network_guard` in the kernel, so a download during
the notebook fails the test. Outputs are checked by the tags of the cells
that make them (``metadata.tags``), not by cell position.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "evidence_walkthrough.ipynb"
SEED_STUDIES = ("ChiCTR1800020262", "Zhou et al. 2020", "PHILA", "PHENIX", "NCT02675829")

GUARD_CELL = f"""\
import socket
import sys

sys.path.insert(0, {str(REPO)!r})
from tests import network_guard

network_guard.install()
try:  # the guard must be live: a lookup of a non-loopback address is refused before any packet is sent
    socket.create_connection(("192.0.2.1", 80), timeout=0.1)
except network_guard.NetworkBlockedError:
    pass
else:
    raise AssertionError("network guard not installed in the kernel")
"""


def _read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _text(outputs: list) -> str:
    """Everything a cell showed, as text (streams, text/plain and text/html)."""
    parts = []
    for output in outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            parts += [output.data.get("text/plain", ""), output.data.get("text/html", "")]
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


def _images(outputs: list) -> int:
    return sum(
        1 for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})
    )


def test_committed_notebook_is_valid_and_has_no_outputs():
    notebook = _read()
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code cells"
    for cell in code:
        assert cell.outputs == [], f"outputs committed in cell {cell.get('id')}: strip them (nbstripout)"
        assert cell.execution_count is None, f"execution count committed in cell {cell.get('id')}"
        assert "execution" not in cell.metadata, f"execution timing committed in cell {cell.get('id')}"
    tags = {tag for cell in code for tag in cell.metadata.get("tags", [])}
    assert {"headline", "outcome-table", "forest-plot", "neighbourhood", "trajectory", "sparql", "export"} <= tags


def test_committed_notebook_is_stripped_byte_for_byte():
    """What ``jupyter nbconvert --clear-output`` would write is what is committed (no stray metadata)."""
    notebook = _read()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    assert "widgets" not in notebook.metadata
    assert nbformat.writes(notebook) == nbformat.writes(_read())


@pytest.mark.slow
def test_notebook_runs_offline_and_shows_the_evidence():
    from nbclient import NotebookClient

    notebook = _read()
    notebook.cells.insert(0, nbformat.v4.new_code_cell(GUARD_CELL))
    before = sorted(p.name for p in NOTEBOOK.parent.iterdir())
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=240,  # per cell; the whole notebook takes ~15 s
        startup_timeout=120,
        allow_errors=False,  # a cell that raises fails here with its traceback
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()

    by_tag = {tag: cell.outputs for cell in notebook.cells for tag in cell.metadata.get("tags", [])}
    everything = "".join(_text(cell.get("outputs", [])) for cell in notebook.cells if cell.cell_type == "code")
    assert not any(
        output.output_type == "error" for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert "NetworkBlockedError" not in everything

    headline = _text(by_tag["headline"])
    assert "ERBB2 amplification" in headline
    assert "non-small cell lung carcinoma" in headline
    assert "ChiCTR1800020262" in _text(by_tag["summary"])

    table = _text(by_tag["outcome-table"])
    assert "<table" in table
    assert "ChiCTR1800020262" in table
    assert len(re.findall(r"<tr[ >]", table)) > 5  # header and outcome rows

    assert _images(by_tag["forest-plot"]) == 1
    forest = _text(by_tag["forest-plot"])
    for study in SEED_STUDIES:
        assert study in forest, f"{study} missing from the forest plot"
    assert _images(by_tag["neighbourhood"]) == 1
    assert _images(by_tag["trajectory"]) == 1

    sparql = _text(by_tag["sparql"])
    rows = re.search(r"(\d+) outcome rows", sparql)
    assert rows, sparql
    assert int(rows.group(1)) > 0
    assert "ev:chictr-orr" in sparql
    assert "same outcomes: True" in _text(by_tag["sparql-agrees"])
    assert "rows as text/csv" in _text(by_tag["sparql-service"])

    export = _text(by_tag["export"])
    assert "wrote turtle" in export
    assert "ev:chictr-orr a ekg:EvidenceItem" in export
    assert "kg export --format turtle" in export

    # exports went to temporary directories, not next to the notebook
    assert sorted(p.name for p in NOTEBOOK.parent.iterdir()) == before
