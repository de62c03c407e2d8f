"""``--dist loadgroup`` keeps each ``xdist_group`` on one worker, as the suite's servers assume.

The engine, uvicorn and benchmark tests share session servers and fixtures
through their ``xdist_group``; when a pytest release stops honouring the
groups (pytest 9 with pytest-xdist 3.8: the group suffix is written to a
node id pytest no longer reads), every worker starts its own servers and the
suite silently takes minutes longer. This runs a small grouped suite in a
subprocess under ``-n 2 --dist loadgroup`` and checks where its tests ran.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GROUPED = """
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_member(n):
    pass
"""


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workers = set(re.findall(r"^\[(gw\d+)\].*PASSED .*test_member", run.stdout, re.MULTILINE))
    passed = re.findall(r"PASSED .*test_member\[\d+\]@together", run.stdout)
    assert len(passed) == 8, run.stdout
    assert len(workers) == 1, f"one xdist_group ran on {sorted(workers)}:\n{run.stdout}"
