"""Property-based: whatever bytes, YAML or TSV rows it is fed, ``kg validate`` / ``kg import civic --dry-run``
answer with a message and an exit code, never a traceback (issue 12, acceptance).

Hypothesis writes random content into a private copy of a tiny data
directory (``tests/fixtures/mini_data``) or of the small CIViC fixture
release, and runs the real command in process through typer's runner. Any
exception that escapes the command (a ``UnicodeDecodeError``, a
``RecursionError``, a pydantic ``ValidationError``, ...) fails the property;
so does a failure exit without an ``error:`` message on stderr. The example
counts are modest so the suite stays fast; a failure prints its minimal
example, to be turned into a regression test.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from kg.cli import app

MINI = Path(__file__).parent / "fixtures" / "mini_data"
RELEASE = Path(__file__).parent / "fixtures" / "civic"
EVIDENCE = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cli-fuzz")]
runner = CliRunner()


def run(args: list[str]) -> Result:
    result = runner.invoke(app, args, env={"EVIDENCE_KG_CACHE": "off"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kg {' '.join(args[:2])} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code != 0:
        assert "error:" in result.stderr, result.output
    return result


def validate_with(relative: str, content: bytes) -> Result:
    with tempfile.TemporaryDirectory(prefix="ekg-fuzz-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(MINI, data)
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return run(["validate", "--data", str(data), "--no-civic"])


FILES = st.sampled_from(["registry/drugs.yaml", "registry/entities.yaml", "papers/mini.yaml", "papers/extra.yaml"])


@FUZZ
@given(relative=FILES, content=st.binary(max_size=400))
def test_validate_survives_random_bytes(relative: str, content: bytes) -> None:
    validate_with(relative, content)


@FUZZ
@given(content=st.binary(max_size=200), keep=st.integers(min_value=0, max_value=2000))
def test_validate_survives_random_bytes_in_a_source_text(content: bytes, keep: int) -> None:
    text = (MINI / "texts" / "mini.txt").read_bytes()
    validate_with("texts/mini.txt", text[:keep] + content + text[keep:])


@st.composite
def deep_yaml(draw) -> str:
    """YAML nested 1–400 levels deep: flow lists and mappings, block lists and mappings, mixed."""
    depth = draw(st.integers(min_value=1, max_value=400))
    style = draw(st.sampled_from(["flow-list", "flow-map", "block-list", "block-map", "mixed"]))
    leaf = draw(st.sampled_from(["x", "1.5", "''", "null", "drug:drugx"]))
    if style == "flow-list":
        body = "[" * depth + leaf + "]" * depth
    elif style == "flow-map":
        body = "{a: " * depth + leaf + "}" * depth
    elif style == "block-list":
        body = "\n" + "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + leaf
    elif style == "block-map":
        body = "\n" + "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + leaf
    else:
        opens = draw(st.lists(st.sampled_from(["[", "{a: "]), min_size=depth, max_size=depth))
        body = "".join(opens) + leaf + "".join("]" if o == "[" else "}" for o in reversed(opens))
    section = draw(st.sampled_from(["drugs", "pathways", "evidence"]))
    return f"{section}: {body}\n"


@FUZZ
@given(relative=FILES, document=deep_yaml())
def test_validate_survives_deep_yaml(relative: str, document: str) -> None:
    validate_with(relative, document.encode("utf-8"))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["drug:drugx", "ev:x", "DOID:3908", "2020-13-01", "0.1", "best_response"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["id", "label", "x", "outcomes"]), inner, max_size=4),
    ),
    max_leaves=25,
)


@FUZZ
@given(
    relative=FILES,
    document=st.dictionaries(
        st.sampled_from(["drugs", "genes", "evidence", "sources", "nonsense"]), VALUES, min_size=1, max_size=3
    ),
)
def test_validate_survives_random_well_formed_yaml(relative: str, document: dict) -> None:
    validate_with(relative, yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


def import_with(edit) -> Result:
    with tempfile.TemporaryDirectory(prefix="ekg-fuzz-") as tmp:
        release = Path(tmp) / "release"
        shutil.copytree(RELEASE, release)
        edit(release)
        return run(["import", "civic", str(release), "--data", str(MINI), "--dry-run"])


CELLS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "NaN", "-1", "0", "1041", "A", "Predictive", "Supports", "accepted", "true", "TRUE", "N/A"]),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cs", "Zs", "Po"]), max_size=8),
)


@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=30), min_size=1, max_size=3))
def test_import_survives_random_evidence_rows(rows: list[list[str]]) -> None:
    def edit(release: Path) -> None:
        path = release / EVIDENCE
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        extra = ["\t".join(cell.replace("\n", " ").replace("\r", " ") for cell in row) for row in rows]
        path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8", errors="surrogatepass")

    import_with(edit)


KINDS = st.sampled_from(
    ["ClinicalEvidence", "Assertion", "MolecularProfile", "Variant", "Gene"],
)


@FUZZ
@given(
    kind=KINDS, row=st.integers(min_value=1, max_value=8), column=st.integers(min_value=0, max_value=40), value=CELLS
)
def test_import_survives_one_random_cell(kind: str, row: int, column: int, value: str) -> None:
    def edit(release: Path) -> None:
        path = release / f"01-Aug-2024-{kind}Summaries.tsv"
        lines = path.read_text(encoding="utf-8").split("\n")
        if row >= len(lines) or not lines[row]:
            return
        cells = lines[row].split("\t")
        cells[column % len(cells)] = value.replace("\n", " ").replace("\r", " ")
        lines[row] = "\t".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")

    import_with(edit)


@FUZZ
@given(kind=KINDS, content=st.binary(max_size=300))
def test_import_survives_random_bytes_in_a_release_file(kind: str, content: bytes) -> None:
    def edit(release: Path) -> None:
        (release / f"01-Aug-2024-{kind}Summaries.tsv").write_bytes(content)

    import_with(edit)
