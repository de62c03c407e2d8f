"""Draw the third tuning set of CIViC statements, ``civic_figures_extra2.yaml`` (issue 15, "generality").

Why another draw: the two earlier tuning sets were tuned on until their
wording was known, while the ``measure`` half of ``civic_figures.yaml`` kept
failing on wording they do not hold. A fresh sample nobody has tuned on shows
which kinds of wording the grammar misses in general, before it is changed.

The draw uses :mod:`draw_civic_sample`'s reading of the release and its
figure hints, a new seed (:data:`SEED`), and excludes every statement
already labelled (the evidence ids of ``civic_figures.yaml`` and
``civic_figures_extra.yaml``, and any statement whose text is in one of them
or in ``civic_figures_written.yaml``). The hinted statements left are
shuffled with ``random.Random(SEED)`` and the first :data:`N_DRAWN` of that
order are the sample, kept in that order, every one ``tune``; statements
that turn out to state no figure stay in with ``figures: []`` (they measure
precision), so nobody chooses which statements are labelled. Run from the
repository root::

    python tests/data/draw_civic_sample_extra2.py --output /tmp/skeleton_extra2.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_civic_sample import RELEASE, TSV, _hinted, read_statements, write_skeleton

__all__ = ["LABELLED", "N_DRAWN", "SEED", "draw_extra2", "run_draw", "skeleton"]

SEED = 20261207
N_DRAWN = 210
HERE = Path(__file__).resolve().parent
LABELLED = ("civic_figures.yaml", "civic_figures_extra.yaml", "civic_figures_written.yaml")


def _labelled(names: tuple[str, ...] = LABELLED) -> tuple[set[int], set[str]]:
    """Evidence ids and texts of every statement in the labelled files ``names`` (of this folder)."""
    eids: set[int] = set()
    texts: set[str] = set()
    for name in names:
        document = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
        for statement in document["statements"]:
            if isinstance(statement["eid"], int):
                eids.add(statement["eid"])
            texts.add(statement["text"])
    return eids, texts


def draw_extra2(
    statements: dict[int, str], seed: int = SEED, count: int = N_DRAWN, labelled: tuple[str, ...] = LABELLED
) -> list[int]:
    """Evidence ids of the sample, in the order drawn (hinted statements in none of the files ``labelled``)."""
    eids, texts = _labelled(labelled)
    pool = sorted(eid for eid, text in statements.items() if eid not in eids and text not in texts and _hinted(text))
    random.Random(seed).shuffle(pool)
    return pool[:count]


def skeleton(
    tsv: Path = TSV, seed: int = SEED, count: int = N_DRAWN, labelled: tuple[str, ...] = LABELLED
) -> dict[str, Any]:
    """The unlabelled ``civic_figures_extra2.yaml`` (or, with another seed and ``labelled``, a later draw)."""
    statements = read_statements(tsv)
    return {
        "version": 1,
        "seed": seed,
        "release": RELEASE,
        "statements": [
            {"eid": eid, "split": "tune", "text": statements[eid], "figures": []}
            for eid in draw_extra2(statements, seed, count, labelled)
        ],
    }


def run_draw(
    argv: list[str] | None, description: str, make: Callable[[Path, int, int], dict[str, Any]], seed: int, count: int
) -> int:
    """The command line of a seeded draw (``--tsv``, ``--count``, ``--output``): ``make(tsv, seed, count)`` written out."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tsv", type=Path, default=TSV, help="CIViC ClinicalEvidenceSummaries TSV")
    parser.add_argument("--count", type=int, default=count, help="how many statements of the shuffled pool")
    parser.add_argument("--output", type=Path, help="write the skeleton here (default: standard output)")
    args = parser.parse_args(argv)
    write_skeleton(make(args.tsv, seed, args.count), args.output)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_draw(argv, __doc__.splitlines()[0], skeleton, SEED, N_DRAWN)


if __name__ == "__main__":
    raise SystemExit(main())
