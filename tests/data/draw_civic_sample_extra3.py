"""Draw the held-out set of CIViC statements, ``civic_figures_extra3.yaml`` (issue 15, "generality").

Why another draw: ``civic_figures_extra2.yaml`` was drawn to be measured on
before it was tuned on, and has since been tuned on. A fresh sample, labelled
by hand before the extractor was run on it and never tuned on, is a pure
held-out measure of how the grammar reads CIViC's wording in general.

The draw is :mod:`draw_civic_sample_extra2`'s with a new seed (:data:`SEED`),
fewer statements (:data:`N_DRAWN`), and every statement of the four earlier
labelled files excluded (by evidence id and by text), ``civic_figures_extra2.yaml``
included. Run from the repository root::

    python tests/data/draw_civic_sample_extra3.py --output /tmp/skeleton_extra3.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_civic_sample import TSV
from draw_civic_sample_extra2 import LABELLED as LABELLED_BEFORE
from draw_civic_sample_extra2 import run_draw
from draw_civic_sample_extra2 import skeleton as skeleton_extra2

__all__ = ["LABELLED", "N_DRAWN", "SEED", "skeleton"]

SEED = 20261208
N_DRAWN = 60
LABELLED = (*LABELLED_BEFORE, "civic_figures_extra2.yaml")


def skeleton(tsv: Path = TSV, seed: int = SEED, count: int = N_DRAWN) -> dict[str, Any]:
    """The unlabelled ``civic_figures_extra3.yaml``: every statement of the ``measure`` split (held out)."""
    drawn = skeleton_extra2(tsv, seed, count, LABELLED)
    for statement in drawn["statements"]:
        statement["split"] = "measure"
    return drawn


def main(argv: list[str] | None = None) -> int:
    return run_draw(argv, __doc__.splitlines()[0], skeleton, SEED, N_DRAWN)


if __name__ == "__main__":
    raise SystemExit(main())
