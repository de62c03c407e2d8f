"""No Python module in ``kg/`` or ``api/`` is over 500 lines (the project's rule).

A module that grows past the limit is holding more than one concept; split it
along a real seam instead of raising the limit.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kg", "api")
MAX_LINES = 500


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_over_the_limit() -> None:
    modules = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    assert modules, "no modules found: is the test run from the repository?"
    too_long = {str(path.relative_to(ROOT)): lines for path in modules if (lines := _line_count(path)) > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines (split them along a real seam): {too_long}"
