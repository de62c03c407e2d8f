"""A tiny run of :mod:`benchmarks.synthesis_cost`, so the harness cannot rot (no timing is asserted).

It measures the real app at 1× with a few runs and writes its section into a
copy of a results file: the other sections must stay byte for byte, and a
second run must replace its own section, not add another.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synthesis_cost import HEADING, main

pytestmark = pytest.mark.xdist_group("benchmarks-smoke")

OTHERS = "# results\n\n## 1. Build\n\nkept as it was\n"


def test_section_is_appended_then_replaced(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    output.write_text(OTHERS, encoding="utf-8")
    assert main(["--scales", "1", "--runs", "5", "--output", str(output)]) == 0
    first = output.read_text(encoding="utf-8")
    assert first.startswith(OTHERS) and first.count(HEADING) == 1
    rows = [line for line in first.splitlines() if line.startswith("| 1× |")]
    assert len(rows) == 2 and rows[0].count("|") == 9 and rows[1].count("|") == 5, rows  # both tables, every cell
    output.write_text(first + "\n## 8. Later section\n\nalso kept\n", encoding="utf-8")
    assert main(["--scales", "1", "--runs", "5", "--output", str(output)]) == 0
    second = output.read_text(encoding="utf-8")
    assert second.startswith(OTHERS) and second.count(HEADING) == 1
    assert second.endswith("|\n\n## 8. Later section\n\nalso kept\n")
