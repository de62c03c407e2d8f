"""A server's heap is frozen once its graph is built, so full collections no longer walk the graph."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

_PROGRAM = """
import gc
from kg.core.bulk import freeze_heap
from kg.runtime.knowledge_graph import load_knowledge_graph

kg = load_knowledge_graph(include_civic=False)
kg.index
tracked = len(gc.get_objects())
assert gc.get_freeze_count() == 0, gc.get_freeze_count()
freeze_heap()
print(tracked, gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_freeze_heap_moves_the_built_graph_out_of_the_collectors_reach() -> None:
    # In a child process: freezing the test worker's own heap would keep every later test's garbage.
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    tracked, frozen, left = map(int, result.stdout.split())
    assert frozen >= 0.9 * tracked, (tracked, frozen)
    assert left < 0.01 * tracked, (tracked, left)
